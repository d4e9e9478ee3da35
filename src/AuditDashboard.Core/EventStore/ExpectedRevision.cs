namespace AuditDashboard.Core.EventStore;

/// <summary>What the writer believes about a stream when it appends: the optimistic concurrency check.</summary>
public readonly record struct ExpectedRevision
{
    private const long AnyValue = -2;
    private const long NoStreamValue = -1;
    private const long StreamExistsValue = -4;

    private ExpectedRevision(long value) => Value = value;

    /// <summary>Raw value: an exact revision (0 or more) or one of the negative markers.</summary>
    public long Value { get; }

    /// <summary>Append whatever the stream holds.</summary>
    public static ExpectedRevision Any { get; } = new(AnyValue);

    /// <summary>Append only if the stream has no events yet.</summary>
    public static ExpectedRevision NoStream { get; } = new(NoStreamValue);

    /// <summary>Append only if the stream has at least one event.</summary>
    public static ExpectedRevision StreamExists { get; } = new(StreamExistsValue);

    public bool IsAny => Value == AnyValue;
    public bool IsNoStream => Value == NoStreamValue;
    public bool IsStreamExists => Value == StreamExistsValue;
    public bool IsExact => Value >= 0;

    /// <summary>Append only if the stream's last event is at exactly this revision.</summary>
    public static ExpectedRevision Exact(long revision)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(revision);
        return new ExpectedRevision(revision);
    }

    /// <summary>The expectation that holds for a stream whose last revision is <paramref name="lastRevision"/> (null: no stream).</summary>
    public static ExpectedRevision Of(long? lastRevision) => lastRevision is { } r ? Exact(r) : NoStream;

    /// <summary>True when a stream whose last revision is <paramref name="actual"/> (null: no stream) meets this expectation.</summary>
    public bool IsMetBy(long? actual) => Value switch
    {
        AnyValue => true,
        NoStreamValue => actual is null,
        StreamExistsValue => actual is not null,
        _ => actual == Value,
    };

    public override string ToString() => Value switch
    {
        AnyValue => "any",
        NoStreamValue => "no-stream",
        StreamExistsValue => "stream-exists",
        _ => Value.ToString(CultureInfo.InvariantCulture),
    };
}
