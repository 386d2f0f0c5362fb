namespace IdResolution.Federation.Resilience;

/// <summary>How a streamed read ended: the pages it delivered in its last attempt.</summary>
internal readonly record struct StreamRead(int Pages);
