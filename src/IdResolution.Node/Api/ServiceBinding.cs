using Google.Protobuf;
using Grpc.Core;
using IdResolution.Core;
using IdResolution.Node.ErrorReplies;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace IdResolution.Node.Api;

/// <summary>
/// Binds the node's services as the generated code does, but with request marshallers that answer
/// bytes which do not decode as the request message with INVALID_ARGUMENT and Handle code 4
/// (PROTOCOL_ERROR). Left to the generated marshallers, such a request is a handler exception to the
/// framework: UNKNOWN to the client and an error log with a stack trace on the node, per request.
/// The framework finds these bind methods through <see cref="BindServiceMethodAttribute"/>; JSON
/// transcoding and reflection read the service descriptor beside them, and the framework takes the
/// second parameter's type as the generated base whose methods the service overrides.
/// </summary>
internal sealed class DecodingGuard(ServiceBinderBase inner) : ServiceBinderBase
{
    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(Guard(method), handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(Guard(method), handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(Guard(method), handler);

    public override void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler) =>
        inner.AddMethod(Guard(method), handler);

    private static Method<TRequest, TResponse> Guard<TRequest, TResponse>(Method<TRequest, TResponse> method)
        where TRequest : class
        where TResponse : class
    {
        var marshaller = method.RequestMarshaller;
        var requestName = typeof(TRequest).Name;
        var guarded = new Marshaller<TRequest>(marshaller.ContextualSerializer, context =>
        {
            try
            {
                return marshaller.ContextualDeserializer(context);
            }
            catch (InvalidProtocolBufferException exception)
            {
                throw HandleStatus.ToException(HandleResponseCode.ProtocolError,
                    $"the message does not decode as a {requestName}: {exception.Message}", status: StatusCode.InvalidArgument);
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, guarded, method.ResponseMarshaller);
    }
}

[BindServiceMethod(typeof(ResolutionService), nameof(BindService))]
internal sealed partial class ResolutionService
{
    public static ServiceDescriptor Descriptor => Contracts.V1.Resolution.Descriptor;

    public static void BindService(ServiceBinderBase binder, Contracts.V1.Resolution.ResolutionBase service) =>
        Contracts.V1.Resolution.BindService(new DecodingGuard(binder), service);
}

[BindServiceMethod(typeof(RegistryService), nameof(BindService))]
internal sealed partial class RegistryService
{
    public static ServiceDescriptor Descriptor => Contracts.V1.Registry.Descriptor;

    public static void BindService(ServiceBinderBase binder, Contracts.V1.Registry.RegistryBase service) =>
        Contracts.V1.Registry.BindService(new DecodingGuard(binder), service);
}
