using AuditDashboard.Adapters.Embedded;
using AuditDashboard.Adapters.EventStoreDb;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Hosting;

/// <summary>Builds the configured store adapter.</summary>
internal static class EventStoreFactory
{
    /// <summary>The store the configuration names, creating a missing embedded store only where <paramref name="environment"/> allows it.</summary>
    public static IEventStore Create(EventStoreOptions options, IHostEnvironment environment, TimeProvider? clock = null) =>
        CreatePorts(options, environment, clock).Events;

    public static IEventStore Create(EventStoreOptions options, string contentRoot, TimeProvider? clock = null, bool createIfMissing = false) =>
        CreatePorts(options, contentRoot, clock, createIfMissing).Events;

    /// <summary>The store the configuration names with each port it offers, typed by the adapter that offers it.</summary>
    public static EventStorePorts CreatePorts(EventStoreOptions options, IHostEnvironment environment, TimeProvider? clock = null) =>
        CreatePorts(options, environment.ContentRootPath, clock, options.CreatesMissingStore(environment));

    public static EventStorePorts CreatePorts(EventStoreOptions options, string contentRoot, TimeProvider? clock = null, bool createIfMissing = false) => options.Provider switch
    {
        EventStoreProvider.Embedded => Ports(new SqliteEventStore(
            new EmbeddedStoreOptions(ResolveSqlitePath(options.ConnectionString, contentRoot)) { CreateIfMissing = createIfMissing, ReadOnly = options.ReadOnly },
            clock ?? TimeProvider.System)),
        EventStoreProvider.EventStoreDb => Ports(new EventStoreDbEventStore(ParseEsdb(options.ConnectionString))),
        _ => throw new EventStoreUnavailableException($"EventStore:Provider '{options.Provider}' is not known."),
    };

    /// <summary>The esdb:// settings, or a start-up message that says what is wrong with them.</summary>
    public static EsdbConnectionString ParseEsdb(string connectionString)
    {
        try
        {
            return EsdbConnectionString.Parse(connectionString);
        }
        catch (FormatException ex)
        {
            throw new EventStoreUnavailableException($"EventStore:ConnectionString is not a valid EventStoreDB connection string: {ex.Message}", ex);
        }
    }

    /// <summary>A relative SQLite file is taken relative to the app's content root, so the working directory does not matter.</summary>
    public static string ResolveSqlitePath(string connectionString, string contentRoot)
    {
        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new EventStoreUnavailableException($"EventStore:ConnectionString is not a valid SQLite connection string: {ex.Message}", ex);
        }

        if (string.IsNullOrWhiteSpace(builder.DataSource))
            throw new EventStoreUnavailableException("EventStore:ConnectionString names no SQLite file ('Data Source=…').");

        if (builder.DataSource != ":memory:" && !Path.IsPathRooted(builder.DataSource))
            builder.DataSource = Path.GetFullPath(Path.Combine(contentRoot, builder.DataSource));
        return builder.ToString();
    }

    private static EventStorePorts Ports<TStore>(TStore store)
        where TStore : IEventStore, IPersistentSubscriptions => new(store, store);
}
