using IdResolution.Core.Security;

namespace IdResolution.StoreContract;

/// <summary>Callers for tests that exercise storage and registry rules, not authorisation.</summary>
public static class TestCallers
{
    public static Caller Administrator { get; } = Caller.Administrator("test-admin", "127.0.0.1");
}
