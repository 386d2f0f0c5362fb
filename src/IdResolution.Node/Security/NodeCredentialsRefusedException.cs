namespace IdResolution.Node.Security;

/// <summary>Why a node's credentials were refused, in words fit for the calling node's operator (nothing secret in them).</summary>
internal sealed class NodeCredentialsRefusedException(string reason) : Exception(reason);
