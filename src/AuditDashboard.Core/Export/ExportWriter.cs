namespace AuditDashboard.Core.Export;

/// <summary>Writes an export's rows, in order, to one format. Rows arrive one at a time; a writer holds no more than it must.</summary>
public abstract class ExportWriter : IAsyncDisposable
{
    public abstract ValueTask WriteRowAsync(ExportRow row, CancellationToken cancellationToken = default);

    /// <summary>Called once after the last row (the end row): flush what is buffered.</summary>
    public abstract ValueTask CompleteAsync(CancellationToken cancellationToken = default);

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
