using Microsoft.Extensions.Options;

namespace IdResolution.Node.Hosting;

/// <summary>Checks every registered setting at once, before the node opens anything.</summary>
internal static class StartupSettings
{
    /// <summary>Throws one exception whose message names every bad setting, its value and what is allowed.</summary>
    public static void Validate(IServiceProvider services)
    {
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException failure)
        {
            throw Invalid([failure]);
        }
        catch (AggregateException failures) when (failures.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            throw Invalid(failures.InnerExceptions.Cast<OptionsValidationException>());
        }
    }

    private static InvalidOperationException Invalid(IEnumerable<OptionsValidationException> failures) =>
        new("invalid settings: " + string.Join(" ", failures.SelectMany(failure => failure.Failures)));
}
