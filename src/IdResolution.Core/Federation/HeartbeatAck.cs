namespace IdResolution.Core.Federation;

/// <summary>The parent's answer to a heartbeat: Success with when it was received, or the Handle code of its refusal.</summary>
public sealed record HeartbeatAck(HandleResponseCode Code, string Message, DateTimeOffset? ReceivedAt);
