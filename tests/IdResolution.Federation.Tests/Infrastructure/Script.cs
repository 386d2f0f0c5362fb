using System.Collections.Concurrent;
using Grpc.Core;
using IdResolution.Contracts.V1;

namespace IdResolution.Federation.Tests.Infrastructure;

/// <summary>What a scripted remote node answers, and what it received.</summary>
public sealed class Script
{
    private int _calls;
    private int _active;

    public Func<FederatedResolveRequest, ServerCallContext, Task<FederatedResolveReply>> Resolve { get; set; } =
        (_, _) => Task.FromResult(new FederatedResolveReply { ResponseCode = 100, Message = "not found" });

    public Func<GetReferralRequest, ServerCallContext, Task<GetReferralReply>> GetReferral { get; set; } =
        (_, _) => Task.FromResult(new GetReferralReply { ResponseCode = 301, Message = "not responsible" });

    public Func<FileRequest, ServerCallContext, Task<FileReply>> File { get; set; } =
        (_, _) => Task.FromResult(new FileReply());

    /// <summary>Calls that reached the service (a call refused by the client never does).</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Calls being handled right now.</summary>
    public int Active => Volatile.Read(ref _active);

    public ConcurrentQueue<Received> Received { get; } = new();

    /// <summary>Every call waits for the caller to give up: a node that accepts calls and never answers.</summary>
    public void Silent()
    {
        Resolve = async (_, context) => await Never<FederatedResolveReply>(context);
        GetReferral = async (_, context) => await Never<GetReferralReply>(context);
        File = async (_, context) => await Never<FileReply>(context);
    }

    /// <summary>Every call fails with <paramref name="status"/>.</summary>
    public void Failing(StatusCode status)
    {
        Resolve = (_, _) => throw new RpcException(new Status(status, "scripted failure"));
        GetReferral = (_, _) => throw new RpcException(new Status(status, "scripted failure"));
        File = (_, _) => throw new RpcException(new Status(status, "scripted failure"));
    }

    internal async Task<T> Handle<TRequest, T>(string method, TRequest request, ServerCallContext context, Func<TRequest, ServerCallContext, Task<T>> behaviour)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Increment(ref _active);
        var http = context.GetHttpContext();
        Received.Enqueue(new Received(method, request!, context.RequestHeaders.GetValue("authorization"), context.RequestHeaders.GetValue("traceparent"),
            http.Connection.ClientCertificate?.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256), DateTimeOffset.UtcNow));
        try
        {
            return await behaviour(request, context);
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    private static async Task<T> Never<T>(ServerCallContext context)
    {
        await Task.Delay(Timeout.Infinite, context.CancellationToken);
        throw new InvalidOperationException("unreachable");
    }
}

/// <summary>One call as the remote node saw it.</summary>
public sealed record Received(string Method, object Request, string? Authorization, string? TraceParent, string? ClientCertificate, DateTimeOffset At);

/// <summary>The Federation service of a scripted node.</summary>
internal sealed class ScriptedFederation(Script script) : Contracts.V1.Federation.FederationBase
{
    public override Task<FederatedResolveReply> Resolve(FederatedResolveRequest request, ServerCallContext context) =>
        script.Handle("Resolve", request, context, script.Resolve);

    public override Task<GetReferralReply> GetReferral(GetReferralRequest request, ServerCallContext context) =>
        script.Handle("GetReferral", request, context, script.GetReferral);

    public override Task<FileReply> File(FileRequest request, ServerCallContext context) =>
        script.Handle("File", request, context, script.File);
}
