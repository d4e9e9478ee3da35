namespace AuditDashboard.Core.Mirror;

/// <summary>The broker the mirror writes to cannot be read; the message is the broker client's reason.</summary>
public sealed class MirrorUnavailableException : Exception
{
    public MirrorUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
