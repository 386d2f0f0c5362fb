namespace IdResolution.Core.Federation;

/// <summary>Whether this node answers for a handle itself.</summary>
public enum Holding
{
    /// <summary>The node holds the handle: it is the authority that stores and changes it.</summary>
    Held,

    /// <summary>Another node holds it: a write here is refused with SERVER_NOT_RESPONSIBLE (301); a resolve goes by referral.</summary>
    NotHeld,

    /// <summary>Under this node's prefix, but delegated to a child node, which holds it.</summary>
    Delegated,
}
