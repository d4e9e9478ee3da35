namespace AuditDashboard.Configuration;

/// <summary>Which store holds the ledger. Section <c>EventStore</c>.</summary>
public sealed class EventStoreOptions : IValidatableObject
{
    public const string Section = "EventStore";

    public EventStoreProvider Provider { get; set; } = EventStoreProvider.Embedded;

    /// <summary>Embedded: a SQLite connection string (<c>Data Source=data/audit.db</c>); EventStoreDb: <c>esdb://…</c>.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "EventStore:ConnectionString is required.")]
    public string ConnectionString { get; set; } = "Data Source=data/audit.db";

    /// <summary>
    /// Embedded: whether a file that does not exist (or is empty) becomes a new, empty store. Unset: yes in Development
    /// (the zero-set-up start), no elsewhere, so a mistyped path stops start-up instead of serving an empty ledger.
    /// </summary>
    public bool? CreateIfMissing { get; set; }

    /// <summary>
    /// Embedded: serve the file read-only on purpose (reads work; corrections, approvals and exports answer 503; every page
    /// says so). Otherwise start-up proves the file can be written and stops when it cannot.
    /// </summary>
    public bool ReadOnly { get; set; }

    /// <summary>Whether a missing store may be created in <paramref name="environment"/>.</summary>
    public bool CreatesMissingStore(IHostEnvironment environment) => CreateIfMissing ?? environment.IsDevelopment();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Provider))
            yield return new ValidationResult($"EventStore:Provider must be Embedded or EventStoreDb.", [nameof(Provider)]);

        if (Provider == EventStoreProvider.Embedded && !string.IsNullOrWhiteSpace(ConnectionString)
            && !ConnectionString.Contains("Data Source", StringComparison.OrdinalIgnoreCase)
            && !ConnectionString.Contains("DataSource", StringComparison.OrdinalIgnoreCase)
            && !ConnectionString.Contains("Filename", StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult(
                $"EventStore:ConnectionString must be a SQLite connection string such as 'Data Source=data/audit.db' when EventStore:Provider is Embedded; got '{ConnectionString}'.",
                [nameof(ConnectionString)]);
        }

        if (Provider == EventStoreProvider.EventStoreDb && ReadOnly)
        {
            yield return new ValidationResult(
                "EventStore:ReadOnly applies to the embedded store only; to keep a dashboard from writing to EventStoreDB, give it a user without write access.",
                [nameof(ReadOnly)]);
        }

        if (Provider == EventStoreProvider.EventStoreDb && !ConnectionString.StartsWith("esdb", StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult(
                $"EventStore:ConnectionString must be an esdb://host:port connection string when EventStore:Provider is EventStoreDb; got '{ConnectionString}'.",
                [nameof(ConnectionString)]);
        }
    }
}
