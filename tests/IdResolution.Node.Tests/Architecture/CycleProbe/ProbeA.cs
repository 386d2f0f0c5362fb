namespace IdResolution.Node.Tests.Architecture.CycleProbe;

/// <summary>The other half of the deliberate namespace cycle that proves the cycle check can fail.</summary>
internal static class ProbeA
{
    public static int Touch() => NamespaceCycleTests.ProbeB.Value();
}
