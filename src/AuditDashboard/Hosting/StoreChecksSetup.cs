using AuditDashboard.Adapters.Embedded;

namespace AuditDashboard.Hosting;

/// <summary>The store's condition (read-only on purpose, integrity) and the background check of its file.</summary>
internal static class StoreChecksSetup
{
    /// <summary>Register after the hosted service that opens the store: the check starts once the store is open.</summary>
    public static IServiceCollection AddStoreChecks(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var store = sp.GetRequiredService<IEventStore>();
            var readOnly = sp.GetRequiredService<IOptions<EventStoreOptions>>().Value.ReadOnly || store is SqliteEventStore { IsReadOnly: true };
            return new StoreCondition(readOnly, checksIntegrity: store is SqliteEventStore);
        });
        services.AddHostedService<StoreIntegrityCheck>();
        return services;
    }
}
