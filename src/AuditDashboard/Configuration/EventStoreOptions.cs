using System.ComponentModel.DataAnnotations;

namespace AuditDashboard.Configuration;

/// <summary>Which store holds the ledger. Section <c>EventStore</c>.</summary>
public sealed class EventStoreOptions : IValidatableObject
{
    public const string Section = "EventStore";

    public EventStoreProvider Provider { get; set; } = EventStoreProvider.Embedded;

    /// <summary>Embedded: a SQLite connection string (<c>Data Source=data/audit.db</c>); EventStoreDb: <c>esdb://…</c>.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "EventStore:ConnectionString is required.")]
    public string ConnectionString { get; set; } = "Data Source=data/audit.db";

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

        if (Provider == EventStoreProvider.EventStoreDb && !ConnectionString.StartsWith("esdb", StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult(
                $"EventStore:ConnectionString must be an esdb://host:port connection string when EventStore:Provider is EventStoreDb; got '{ConnectionString}'.",
                [nameof(ConnectionString)]);
        }
    }
}
