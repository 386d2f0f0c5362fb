using IdResolution.Core;
using IdResolution.Federation.Mapping;
using IdResolution.Federation.Tests.Infrastructure;
using Contract = IdResolution.Contracts.V1;

namespace IdResolution.Federation.Tests;

/// <summary>The one value mapping of the node's surfaces and of node-to-node calls.</summary>
public sealed class ContractValuesTests
{
    [Fact]
    public void Values_from_another_node_keep_their_timestamps_values_from_a_client_do_not()
    {
        var record = SampleRecords.Varied("88.710/X");
        var wire = new Google.Protobuf.Collections.RepeatedField<Contract.HandleValue>();
        ContractValues.AddTo(wire, record.Values);

        var fromNode = ContractValues.FromNode(wire);
        var fromClient = ContractValues.ToCore(wire);

        Assert.Equal(record.Values, fromNode.Value);
        Assert.True(record.SameValues(fromClient.Value!));
        Assert.All(fromClient.Value!, value => Assert.Equal(0, value.Timestamp));
    }

    [Fact]
    public void A_site_goes_to_the_contract_and_back_unchanged_and_a_malformed_one_is_refused_with_the_reason()
    {
        var site = SampleRecords.Site("https://b.example:8001", primary: true, new string('C', 64), "b.example");

        var back = ContractValues.SiteToCore(ContractValues.SiteToContract(site));
        var broken = ContractValues.SiteToContract(site);
        broken.Servers[0].Address = "not-an-address";
        var refused = ContractValues.SiteToCore(broken);

        Assert.Equal(site.Encode(), back.Value!.Encode());
        Assert.Equal(HandleResponseCode.InvalidValue, refused.Code);
        Assert.Equal("a site: site server 1 has address 'not-an-address', which is not an IP address", refused.Message);
    }
}
