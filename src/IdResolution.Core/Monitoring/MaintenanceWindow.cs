namespace IdResolution.Core.Monitoring;

/// <summary>
/// Planned work the operator announced: <see cref="When"/>, declared at <see cref="DeclaredAt"/>. Only a window
/// declared before it starts is excluded from availability; one declared later is listed but counts as normal time.
/// </summary>
public sealed record MaintenanceWindow(TimeRange When, DateTimeOffset DeclaredAt, string Reason)
{
    public bool DeclaredInAdvance => DeclaredAt <= When.Start;
}
