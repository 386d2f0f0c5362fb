using Microsoft.Extensions.Options;

namespace IdResolution.Node.Settings;

/// <summary>Options validation from a list of problems, each already a sentence naming its setting; none means valid.</summary>
internal sealed class SettingsValidator<T>(Func<T, IReadOnlyList<string>> problems) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options) =>
        problems(options) is { Count: > 0 } found ? ValidateOptionsResult.Fail(found) : ValidateOptionsResult.Success;
}
