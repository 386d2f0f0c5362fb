using IdResolution.Cql.Errors;

namespace IdResolution.Cql.Protocol.Responses;

/// <summary>
/// Decodes an ERROR body, &lt;code&gt;&lt;message&gt; plus the code's extra fields, into the typed exception
/// (native_protocol_v4.spec §9, v4 layouts; 0x1600 and 0x1700 as in native_protocol_v5.spec §9).
/// </summary>
internal static class CqlErrorReader
{
    public static CqlServerException Read(CqlBodyReader reader)
    {
        var code = (CqlErrorCode)reader.ReadInt();
        var message = reader.ReadString();
        return code switch
        {
            CqlErrorCode.ServerError => new CqlServerErrorException(message),
            CqlErrorCode.ProtocolError => new CqlServerProtocolErrorException(message),
            CqlErrorCode.AuthenticationError => new CqlAuthenticationException(message),
            CqlErrorCode.Unavailable => new CqlUnavailableException(message, reader.ReadConsistency(), reader.ReadInt(), reader.ReadInt()),
            CqlErrorCode.Overloaded => new CqlOverloadedException(message),
            CqlErrorCode.IsBootstrapping => new CqlBootstrappingException(message),
            CqlErrorCode.TruncateError => new CqlTruncateException(message),
            CqlErrorCode.WriteTimeout => new CqlWriteTimeoutException(
                message, reader.ReadConsistency(), reader.ReadInt(), reader.ReadInt(), reader.ReadString()),
            CqlErrorCode.ReadTimeout => new CqlReadTimeoutException(
                message, reader.ReadConsistency(), reader.ReadInt(), reader.ReadInt(), reader.ReadByte() != 0),
            CqlErrorCode.ReadFailure => new CqlReadFailureException(
                message, reader.ReadConsistency(), reader.ReadInt(), reader.ReadInt(), reader.ReadInt(), reader.ReadByte() != 0),
            CqlErrorCode.FunctionFailure => new CqlFunctionFailureException(
                message, reader.ReadString(), reader.ReadString(), reader.ReadStringList()),
            CqlErrorCode.WriteFailure => new CqlWriteFailureException(
                message, reader.ReadConsistency(), reader.ReadInt(), reader.ReadInt(), reader.ReadInt(), reader.ReadString()),
            CqlErrorCode.CdcWriteFailure => new CqlCdcWriteFailureException(message),
            CqlErrorCode.CasWriteUnknown => new CqlCasWriteUnknownException(message, reader.ReadConsistency(), reader.ReadInt(), reader.ReadInt()),
            CqlErrorCode.SyntaxError => new CqlSyntaxErrorException(message),
            CqlErrorCode.Unauthorized => new CqlUnauthorizedException(message),
            CqlErrorCode.Invalid => new CqlInvalidQueryException(message),
            CqlErrorCode.ConfigError => new CqlConfigurationException(message),
            CqlErrorCode.AlreadyExists => new CqlAlreadyExistsException(message, reader.ReadString(), reader.ReadString()),
            CqlErrorCode.Unprepared => new CqlUnpreparedException(message, reader.ReadShortBytes()),
            _ => new CqlServerException(code, message),
        };
    }
}
