namespace IdResolution.Core.Monitoring;

/// <summary>
/// "Node <see cref="Node"/>, running since <see cref="Start"/>, was alive at <see cref="At"/>", with the registrations and
/// resolutions it counted since its previous mark. A node writes one about itself every minute; a parent writes one for
/// each heartbeat a child sends. The gaps between them are the incidents of the monthly report.
/// </summary>
public sealed record AliveMark(string Node, DateTimeOffset Start, DateTimeOffset At, long Registrations, long Resolutions);
