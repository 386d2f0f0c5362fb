namespace IdResolution.Cql.Connections;

/// <summary>
/// One SASL exchange with the server's IAuthenticator (native_protocol_v4.spec §4.2.3, §4.2.7). An instance
/// is created per handshake, so it may keep the state of a multi-step mechanism.
/// </summary>
internal interface ICqlAuthenticator
{
    /// <summary>The first AUTH_RESPONSE token, given the class name AUTHENTICATE named.</summary>
    ReadOnlyMemory<byte>? InitialResponse(string authenticatorClass);

    /// <summary>The token answering an AUTH_CHALLENGE.</summary>
    ReadOnlyMemory<byte>? EvaluateChallenge(ReadOnlyMemory<byte>? challenge);
}
