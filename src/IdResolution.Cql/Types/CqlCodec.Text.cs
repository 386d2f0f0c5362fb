using System.Buffers;
using System.Text;

namespace IdResolution.Cql.Types;

public static partial class CqlCodec
{
    // Strict both ways: the server rejects invalid UTF-8, so a lone surrogate must fail here, not become U+FFFD.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>text and varchar (UTF-8).</summary>
    public static void EncodeText(string value, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(writer);
        try
        {
            var length = StrictUtf8.GetByteCount(value);
            StrictUtf8.GetBytes(value, writer.GetSpan(length));
            writer.Advance(length);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException("The string is not valid UTF-16 (a lone surrogate).", nameof(value), e);
        }
    }

    /// <summary>text and varchar (UTF-8).</summary>
    public static string DecodeText(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new CqlDecodeException("A text value is not valid UTF-8.", e);
        }
    }

    public static void EncodeAscii(string value, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(writer);
        if (!Ascii.IsValid(value))
        {
            throw new ArgumentException("An ascii value holds only characters below U+0080.", nameof(value));
        }

        var span = writer.GetSpan(value.Length);
        Encoding.ASCII.GetBytes(value, span);
        writer.Advance(value.Length);
    }

    public static string DecodeAscii(ReadOnlySpan<byte> bytes) => Ascii.IsValid(bytes)
        ? Encoding.ASCII.GetString(bytes)
        : throw new CqlDecodeException("An ascii value has a byte above 0x7F.");
}
