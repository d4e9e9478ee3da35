namespace AuditDashboard.Configuration;

/// <summary>Where the read models live and how they are built. Section <c>ReadModels</c>.</summary>
public sealed class ReadModelOptions
{
    public const string Section = "ReadModels";

    /// <summary>
    /// A SQLite connection string or path for the read-model file. Unset: <c>readmodels.db</c> beside the embedded ledger,
    /// or <c>data/readmodels.db</c> under the content root when the ledger is on EventStoreDB. A relative path is taken
    /// relative to the content root.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Events applied per transaction while a projection catches up.</summary>
    [Range(1, 100_000, ErrorMessage = "ReadModels:BatchSize must be between 1 and 100000.")]
    public int BatchSize { get; set; } = AccountDirectory.DefaultBatchSize;

    /// <summary>
    /// Every how many events of an account its state is kept, so a replay of any moment reads and folds at most this
    /// many events. Marks already kept at another interval still serve.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "ReadModels:MarkInterval must be between 1 and 1000000.")]
    public int MarkInterval { get; set; } = AccountDirectory.DefaultMarkInterval;
}
