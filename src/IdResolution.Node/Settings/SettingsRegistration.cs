using IdResolution.Core.Composition;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IdResolution.Node.Settings;

/// <summary>
/// Registers a settings class: bound from configuration when first used, checked by its rules at start
/// (<c>ValidateOnStart</c>; the node runs those checks before it opens the store), and served both as
/// IOptions of the class and as the class itself.
/// </summary>
internal static class SettingsRegistration
{
    public static OptionsBuilder<T> AddSettings<T>(this IServiceCollection services, IConfiguration configuration, string section, Action<T, SettingProblems> check)
        where T : class =>
        services.AddSettings<T>(options => configuration.GetSection(section).Bind(options), check);

    /// <summary>For a class bound from several sections (the core's settings).</summary>
    public static OptionsBuilder<T> AddSettings<T>(this IServiceCollection services, Action<T> bind, Action<T, SettingProblems> check)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new SettingsValidator<T>(options =>
        {
            var problems = new SettingProblems();
            check(options, problems);
            return problems.Found;
        }));
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<T>>().Value);
        return services.AddOptions<T>().Configure(bind).ValidateOnStart();
    }
}
