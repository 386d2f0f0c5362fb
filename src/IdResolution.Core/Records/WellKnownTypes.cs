namespace IdResolution.Core.Records;

/// <summary>Value types the node gives meaning to (Handle.Net's <c>Common</c> names).</summary>
public static class WellKnownTypes
{
    public const string Url = "URL";
    public const string Email = "EMAIL";
    public const string Admin = "HS_ADMIN";
    public const string Alias = "HS_ALIAS";
    public const string Site = "HS_SITE";
    public const string SitePrefix = "HS_SITE.PREFIX";
    public const string Serv = "HS_SERV";
    public const string ValueList = "HS_VLIST";
    public const string SecretKey = "HS_SECKEY";
    public const string PublicKey = "HS_PUBKEY";

    /// <summary>The index Handle.Net gives the HS_ADMIN value of a new handle.</summary>
    public const int AdminIndex = 100;
}
