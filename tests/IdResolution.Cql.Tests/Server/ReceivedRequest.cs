using IdResolution.Cql.Errors;
using IdResolution.Cql.Protocol;

namespace IdResolution.Cql.Tests.Server;

/// <summary>A request frame as the loopback server received it.</summary>
internal sealed record ReceivedRequest(int ConnectionId, byte Version, short StreamId, CqlOpcode Opcode, byte[] Body)
{
    /// <summary>The query string of a QUERY or PREPARE: both bodies start with it as a [long string].</summary>
    public string QueryText => Opcode is CqlOpcode.Query or CqlOpcode.Prepare
        ? new CqlBodyReader(Body).ReadLongString()
        : throw new InvalidOperationException($"A {Opcode} has no query text.");

    /// <summary>The consistency an EXECUTE asks for: it follows the prepared id ([short bytes]).</summary>
    public CqlConsistency ExecutedAt
    {
        get
        {
            if (Opcode != CqlOpcode.Execute)
            {
                throw new InvalidOperationException($"A {Opcode} is not an execution.");
            }

            var reader = new CqlBodyReader(Body);
            reader.ReadShortBytes();
            return reader.ReadConsistency();
        }
    }
}
