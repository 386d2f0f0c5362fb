namespace IdResolution.Core.Records;

/// <summary>
/// One wire form of a value's data. <see cref="ValueDataFormats.Accept{TResult}"/> decides the format and
/// decodes the data once; each surface (gRPC, Handle.Net JSON, the proxy's page) implements this
/// interface, so a format it forgets to render is a compile error, not a silent fallback.
/// </summary>
public interface IValueDataVisitor<out TResult>
{
    TResult Text(string text);

    TResult Binary(ReadOnlyMemory<byte> data);

    TResult Admin(AdminValue admin);

    TResult ValueList(IReadOnlyList<ValueReference> entries);

    TResult Site(SiteInfo site);
}
