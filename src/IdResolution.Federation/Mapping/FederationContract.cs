using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using IdResolution.Core;
using IdResolution.Core.Federation;
using IdResolution.Core.Records;
using Contract = IdResolution.Contracts.V1;

namespace IdResolution.Federation.Mapping;

/// <summary>
/// The federation contract's messages and the core's federation model, both ways: the calling node reads
/// replies and writes filings with it, the answering node the reverse, so the two sides cannot drift.
/// What another node sends is checked like client input; an answer this node cannot read becomes an
/// answer with Handle code 2 (ERROR) and the reason, never an exception.
/// </summary>
public static class FederationContract
{
    public static RemoteAnswer ToAnswer(Contract.FederatedResolveReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (!TryCode(reply.ResponseCode, out var code))
        {
            return Unreadable($"response code {reply.ResponseCode.ToString(CultureInfo.InvariantCulture)}, which is not a Handle response code");
        }

        switch (code)
        {
            case HandleResponseCode.Success:
                var values = ContractValues.FromNode(reply.Values);
                if (!values.IsSuccess)
                {
                    return Unreadable(values.Message);
                }

                if (string.IsNullOrEmpty(reply.Handle) || reply.Version > long.MaxValue)
                {
                    return Unreadable("a record without its handle or with a version beyond 2^63");
                }

                return RemoteAnswer.Found(new HandleRecord(reply.Handle, values.Value, (long)reply.Version));
            case HandleResponseCode.PrefixReferral:
                return ReferralAnswer(reply.Referral);
            default:
                return new RemoteAnswer(code, reply.Message);
        }
    }

    public static RemoteAnswer ToAnswer(Contract.GetReferralReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (!TryCode(reply.ResponseCode, out var code))
        {
            return Unreadable($"response code {reply.ResponseCode.ToString(CultureInfo.InvariantCulture)}, which is not a Handle response code");
        }

        return code == HandleResponseCode.PrefixReferral ? ReferralAnswer(reply.Referral) : new RemoteAnswer(code, reply.Message);
    }

    public static Contract.FederatedResolveReply ToResolveReply(RemoteAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var reply = new Contract.FederatedResolveReply { ResponseCode = (int)answer.Code, Message = answer.Message };
        if (answer.Record is { } record)
        {
            reply.Handle = record.Handle;
            reply.Version = (ulong)Math.Max(0, record.Version);
            ContractValues.AddTo(reply.Values, record.Values);
        }

        if (answer.Referral is { } referral)
        {
            reply.Referral = ToContract(referral);
        }

        return reply;
    }

    public static Contract.GetReferralReply ToReferralReply(RemoteAnswer answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var reply = new Contract.GetReferralReply { ResponseCode = (int)answer.Code, Message = answer.Message };
        if (answer.Referral is { } referral)
        {
            reply.Referral = ToContract(referral);
        }

        return reply;
    }

    public static Contract.Referral ToContract(Referral referral)
    {
        ArgumentNullException.ThrowIfNull(referral);
        var result = new Contract.Referral
        {
            Prefix = referral.Prefix,
            TtlSeconds = (uint)Math.Clamp(referral.TimeToLive.TotalSeconds, 0, uint.MaxValue),
            Upward = referral.Upward,
        };
        result.Sites.AddRange(referral.Sites.Select(ContractValues.SiteToContract));
        return result;
    }

    public static Outcome<Referral> ToCore(Contract.Referral referral)
    {
        ArgumentNullException.ThrowIfNull(referral);
        if (string.IsNullOrEmpty(referral.Prefix))
        {
            return Outcome<Referral>.Fail(HandleResponseCode.InvalidValue, "a referral without the prefix it is for");
        }

        var sites = new SiteInfo[referral.Sites.Count];
        for (var i = 0; i < sites.Length; i++)
        {
            var site = ContractValues.SiteToCore(referral.Sites[i]);
            if (!site.IsSuccess)
            {
                return site.Cast<Referral>();
            }

            sites[i] = site.Value;
        }

        return Outcome<Referral>.Ok(new Referral(referral.Prefix, sites, TimeSpan.FromSeconds(referral.TtlSeconds), referral.Upward));
    }

    public static Contract.FileRequest ToRequest(IReadOnlyList<Filing> filings)
    {
        ArgumentNullException.ThrowIfNull(filings);
        var request = new Contract.FileRequest();
        foreach (var filing in filings)
        {
            request.Filings.Add(ToContract(filing));
        }

        return request;
    }

    public static Contract.Filing ToContract(Filing filing)
    {
        ArgumentNullException.ThrowIfNull(filing);
        var result = new Contract.Filing
        {
            Handle = filing.Handle,
            Version = (ulong)Math.Max(0, filing.Version),
            Removed = filing.Removed,
            ChangedAt = Timestamp.FromDateTimeOffset(filing.ChangedAt),
        };
        ContractValues.AddTo(result.Values, filing.Values);
        return result;
    }

    /// <summary>A filing as the parent receives it; values it cannot read refuse the filing with INVALID_VALUE.</summary>
    public static Outcome<Filing> ToCore(Contract.Filing filing)
    {
        ArgumentNullException.ThrowIfNull(filing);
        if (filing.Version > long.MaxValue)
        {
            return Outcome<Filing>.Fail(HandleResponseCode.InvalidValue, "the filing's version is beyond 2^63");
        }

        var values = ContractValues.FromNode(filing.Values);
        if (!values.IsSuccess)
        {
            return values.Cast<Filing>();
        }

        var changedAt = filing.ChangedAt is { } changed ? changed.ToDateTimeOffset() : DateTimeOffset.UnixEpoch;
        return Outcome<Filing>.Ok(new Filing(filing.Handle, (long)filing.Version, values.Value, filing.Removed, changedAt));
    }

    public static Contract.FilingResult ToContract(FilingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new Contract.FilingResult { Handle = result.Handle, ResponseCode = (int)result.Code, Message = result.Message, Applied = result.Applied };
    }

    /// <summary>
    /// One result per filing, in order. A filing the parent gave no result for (a shorter reply) is
    /// answered SERVER_TOO_BUSY, "send again": it is idempotent, and nothing is taken as filed unless the parent said so.
    /// </summary>
    public static IReadOnlyList<FilingResult> ToResults(IReadOnlyList<Filing> filings, Contract.FileReply reply)
    {
        ArgumentNullException.ThrowIfNull(filings);
        ArgumentNullException.ThrowIfNull(reply);
        var results = new FilingResult[filings.Count];
        for (var i = 0; i < results.Length; i++)
        {
            if (i >= reply.Results.Count)
            {
                results[i] = new FilingResult(filings[i].Handle, HandleResponseCode.ServerTooBusy, "the parent's reply held no result for this filing; it is sent again", Applied: false);
                continue;
            }

            var result = reply.Results[i];
            results[i] = TryCode(result.ResponseCode, out var code)
                ? new FilingResult(filings[i].Handle, code, result.Message, result.Applied)
                : new FilingResult(filings[i].Handle, HandleResponseCode.Error, $"the parent answered response code {result.ResponseCode.ToString(CultureInfo.InvariantCulture)}, which is not a Handle response code", Applied: false);
        }

        return results;
    }

    private static RemoteAnswer ReferralAnswer(Contract.Referral? referral)
    {
        if (referral is null)
        {
            return Unreadable("a referral (303) without the referral");
        }

        var parsed = ToCore(referral);
        return parsed.IsSuccess ? RemoteAnswer.Refer(parsed.Value) : Unreadable(parsed.Message);
    }

    private static RemoteAnswer Unreadable(string why) => new(HandleResponseCode.Error, "the other node's answer cannot be read: " + why);

    private static bool TryCode(int value, out HandleResponseCode code)
    {
        code = (HandleResponseCode)value;
        return System.Enum.IsDefined(code);
    }
}
