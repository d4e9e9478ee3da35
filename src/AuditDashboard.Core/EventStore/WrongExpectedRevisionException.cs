namespace AuditDashboard.Core.EventStore;

/// <summary>The stream was not in the state the writer expected; nothing was written.</summary>
public sealed class WrongExpectedRevisionException : Exception
{
    public WrongExpectedRevisionException(string streamId, ExpectedRevision expected, long? actualRevision)
        : base($"Append to '{streamId}' expected revision {expected} but the stream is at {(actualRevision is { } a ? a.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no-stream")}.")
    {
        StreamId = streamId;
        Expected = expected;
        ActualRevision = actualRevision;
    }

    public string StreamId { get; }

    public ExpectedRevision Expected { get; }

    /// <summary>The stream's last revision when the append was refused; null when the stream does not exist.</summary>
    public long? ActualRevision { get; }
}
