namespace AuditDashboard.Core.ReadModels;

/// <summary>The read-model store cannot be used (its file cannot be created or written); the message names it.</summary>
public sealed class ReadModelStoreUnavailableException : Exception
{
    public ReadModelStoreUnavailableException()
    {
    }

    public ReadModelStoreUnavailableException(string message)
        : base(message)
    {
    }

    public ReadModelStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
