using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Protocol.Responses;

/// <summary>A decoded response message body.</summary>
internal abstract record CqlResponse;

/// <summary>READY: empty body (native_protocol_v4.spec §4.2.2).</summary>
internal sealed record ReadyResponse : CqlResponse;

/// <summary>AUTHENTICATE: the authenticator's class name (native_protocol_v4.spec §4.2.3).</summary>
internal sealed record AuthenticateResponse(string Authenticator) : CqlResponse;

/// <summary>AUTH_CHALLENGE: a [bytes] token (native_protocol_v4.spec §4.2.7).</summary>
internal sealed record AuthChallengeResponse(ReadOnlyMemory<byte>? Token) : CqlResponse;

/// <summary>AUTH_SUCCESS: a [bytes] token, possibly null (native_protocol_v4.spec §4.2.8).</summary>
internal sealed record AuthSuccessResponse(ReadOnlyMemory<byte>? Token) : CqlResponse;

/// <summary>SUPPORTED: a [string multimap] of STARTUP options and their values (native_protocol_v4.spec §4.2.4).</summary>
internal sealed record SupportedResponse(IReadOnlyDictionary<string, IReadOnlyList<string>> Options) : CqlResponse;

/// <summary>ERROR, carrying the typed exception it decodes to (native_protocol_v4.spec §4.2.1).</summary>
internal sealed record ErrorResponse(CqlServerException Exception) : CqlResponse;

/// <summary>EVENT (native_protocol_v4.spec §4.2.6).</summary>
internal sealed record EventResponse(CqlEvent Event) : CqlResponse;
