namespace IdResolution.Core.Federation;

/// <summary>Whether this node answers for a handle itself.</summary>
public enum Holding
{
    /// <summary>The node holds the handle: it is the authority that stores and changes it.</summary>
    Held,

    /// <summary>Another node holds it: a write here is refused with SERVER_NOT_RESPONSIBLE (301).</summary>
    NotHeld,
}
