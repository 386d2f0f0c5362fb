using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol;
using IdResolution.Cql.Protocol.Responses;

namespace IdResolution.Cql.Tests.Protocol;

internal static class Truncation
{
    /// <summary>
    /// Decodes every strict prefix of a valid message body and requires <see cref="CqlProtocolException"/>
    /// from each: never IndexOutOfRange, ArgumentOutOfRange or anything else. The whole body must decode.
    /// </summary>
    public static void AssertEveryPrefixIsAProtocolError(CqlOpcode opcode, byte[] body)
    {
        Assert.NotNull(CqlResponseReader.Read(opcode, body));
        for (var length = 0; length < body.Length; length++)
        {
            var prefix = body.AsMemory(0, length);
            var thrown = Record.Exception(() => CqlResponseReader.Read(opcode, prefix));
            Assert.True(
                thrown is CqlProtocolException,
                $"{opcode} body cut to {length} of {body.Length} bytes: expected CqlProtocolException, got {thrown?.GetType().Name ?? "no exception"}.");
        }
    }
}
