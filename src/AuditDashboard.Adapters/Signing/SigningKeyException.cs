namespace AuditDashboard.Adapters.Signing;

/// <summary>The signing keys cannot be loaded; the message names the file and the reason, for one line at start-up.</summary>
public sealed class SigningKeyException : Exception
{
    public SigningKeyException()
    {
    }

    public SigningKeyException(string message)
        : base(message)
    {
    }

    public SigningKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
