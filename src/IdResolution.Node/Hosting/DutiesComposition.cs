using IdResolution.Audit;
using IdResolution.Core.Composition;
using IdResolution.Core.Monitoring;
using IdResolution.Node.Settings;

namespace IdResolution.Node.Hosting;

/// <summary>Wires the operations reporting: the journal, the monthly reports over it, this node's own alive marks, its heartbeats to its parent and its probes of its children.</summary>
internal static class DutiesComposition
{
    public static void AddDuties(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<DutiesOptions>(configuration, DutiesOptions.Section, DutiesOptionsValidation.Check);
        services.AddSingleton<IOperationsJournal>(provider => new FileOperationsJournal(provider.GetRequiredService<DutiesOptions>().JournalPath));
        services.AddSingleton(provider => new MonthlyReports(provider.GetRequiredService<IOperationsJournal>(),
            provider.GetRequiredService<CoreOptions>().Security.NodePrefix,
            TimeSpan.FromSeconds(provider.GetRequiredService<DutiesOptions>().HeartbeatSeconds),
            provider.GetRequiredService<TimeProvider>()));
        services.AddSingleton(provider => new ChildHeartbeats(TimeSpan.FromSeconds(provider.GetRequiredService<DutiesOptions>().HeartbeatSeconds), provider.GetRequiredService<TimeProvider>()));
        services.AddHostedService<SelfAliveMarks>();
        services.AddHostedService<HeartbeatSender>();
        services.AddHostedService<ChildProber>();
    }
}
