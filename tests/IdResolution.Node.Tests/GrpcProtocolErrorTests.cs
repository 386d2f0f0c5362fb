using System.Net;
using Grpc.Core;
using IdResolution.Node.Tests.Infrastructure;

namespace IdResolution.Node.Tests;

/// <summary>
/// Requests that are not well-formed gRPC calls are the client's mistake: INVALID_ARGUMENT with Handle
/// code 4 (PROTOCOL_ERROR), never INTERNAL or UNKNOWN, which would tell the client the node failed.
/// </summary>
public sealed class GrpcProtocolErrorTests : IClassFixture<NodeFactory>
{
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(b => b, b => b);
    private readonly NodeFactory _factory;

    public GrpcProtocolErrorTests(NodeFactory factory) => _factory = factory;

    [Theory]
    [InlineData("idresolution.v1.Resolution", "Resolve")]
    [InlineData("idresolution.v1.Registry", "CreateHandle")]
    [InlineData("grpc.health.v1.Health", "Check")]
    public async Task Bytes_that_do_not_decode_as_the_request_are_invalid_argument(string service, string method)
    {
        var call = new Method<byte[], byte[]>(MethodType.Unary, service, method, Bytes, Bytes);
        var (status, responseCode, _) = await Errors.Capture(() =>
            _factory.Channel.CreateCallInvoker().AsyncUnaryCall(call, null, new CallOptions(), [0x0A, 0xFF, 0xFF, 0xFF]).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, status);
        Assert.Equal(4, responseCode);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0, 9, 0x0A })]        // the frame is shorter than it says
    [InlineData(new byte[] { 1, 0, 0, 0, 1, 0xFF })]        // compressed, without grpc-encoding
    public async Task Broken_frames_are_invalid_argument(byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/idresolution.v1.Resolution/Resolve")
        {
            Version = HttpVersion.Version20,
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.ContentType = new("application/grpc");
        using var response = await _factory.CreateClient().SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();
        var headers = response.TrailingHeaders.Contains("grpc-status") ? (System.Net.Http.Headers.HttpHeaders)response.TrailingHeaders : response.Headers;
        Assert.Equal("3", headers.GetValues("grpc-status").Single());
        Assert.NotEmpty(headers.GetValues("grpc-status-details-bin").Single());
    }
}
