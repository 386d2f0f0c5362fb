namespace IdResolution.Node.Dashboard;

/// <summary>
/// One dependency the node probes every second (<see cref="DependencyProbe"/>). Adding a dependency to the
/// dashboard, the status and the health endpoints is registering one more of these.
/// </summary>
internal interface IDependencyCheck
{
    /// <summary>The name shown and reported (<c>store</c>, <c>redis</c>, <c>parent</c>, ...).</summary>
    string Name { get; }

    /// <summary>Whether the node cannot serve at all while this dependency is down (the store); others only degrade it.</summary>
    bool Essential { get; }

    /// <summary>Probes once; a failure is a reading, not an exception. The probe bounds the call with its own timeout too.</summary>
    ValueTask<DependencyReading> CheckAsync(CancellationToken cancellationToken);
}
