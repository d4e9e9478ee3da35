using AuditDashboard.Accounts;
using AuditDashboard.Adapters.ReadModels;
using AuditDashboard.Core.ReadModels;

namespace AuditDashboard.Hosting;

/// <summary>The read-model store (the embedded SQLite adapter), the projections kept in it, and their readiness.</summary>
internal static class ReadModelSetup
{
    /// <summary>Register after the store's start-up and before the ledger feed: the read models open once the ledger is.</summary>
    public static WebApplicationBuilder AddReadModels(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ReadModelOptions>().BindConfiguration(ReadModelOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IReadModelStore>(sp => new SqliteReadModelStore(ReadModelLocation.Resolve(
            sp.GetRequiredService<IOptions<ReadModelOptions>>().Value,
            sp.GetRequiredService<IOptions<EventStoreOptions>>().Value,
            builder.Environment.ContentRootPath)));
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ReadModelOptions>>().Value;
            return new AccountDirectory(sp.GetRequiredService<IReadModelStore>(), options.BatchSize, options.MarkInterval);
        });
        services.AddSingleton(sp => new AccountHistory(
            sp.GetRequiredService<IEventStore>(), sp.GetRequiredService<IReadModelStore>(), sp.GetRequiredService<AccountTimelines>()));
        services.AddSingleton<AccountReplays>();
        services.AddSingleton(sp => new CorrectionReads(
            sp.GetRequiredService<AccountTimelines>(),
            sp.GetRequiredService<AccountHistory>(),
            sp.GetRequiredService<AccountDirectory>(),
            sp.GetRequiredService<IOptions<TimelineCacheOptions>>().Value.WindowAbove));
        services.AddSingleton<CorrectionSnapshots>();
        services.AddHostedService<ReadModelStartup>();
        services.AddHealthChecks().AddCheck<ReadModelHealthCheck>("read-models", tags: ["ready"]);
        return builder;
    }
}
