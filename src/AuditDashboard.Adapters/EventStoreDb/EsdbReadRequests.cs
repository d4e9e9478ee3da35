using AuditDashboard.Adapters.EventStoreDb.Protocol;


namespace AuditDashboard.Adapters.EventStoreDb;

/// <summary>The Read requests of the streams service: reads, catch-up subscriptions, their positions and filters.</summary>
internal static class EsdbReadRequests
{
    /// <summary>How many records the server may scan per answer of a filtered $all read or subscription.</summary>
    public const uint FilterWindow = 32;

    /// <summary>The protocol's "none of these options" marker.</summary>
    public static readonly Empty Nothing = new();

    public static ReadReq Request(Direction direction, ulong count) => new()
    {
        Options = new ReadReq.Types.Options
        {
            ReadDirection = direction == Direction.Forwards ? ReadReq.Types.Options.Types.ReadDirection.Forwards : ReadReq.Types.Options.Types.ReadDirection.Backwards,
            ResolveLinks = false,
            Count = count,
            NoFilter = Nothing,
            UuidOption = new ReadReq.Types.Options.Types.UUIDOption { Structured = Nothing },
        },
    };

    public static ReadReq SubscriptionRequest()
    {
        var request = Request(Direction.Forwards, 0);
        request.Options.Subscription = new ReadReq.Types.Options.Types.SubscriptionOptions();
        return request;
    }

    public static ReadReq.Types.Options.Types.Position Position(long position) =>
        // The port keeps only the commit position; EventStoreDB's positions are (commit, prepare) pairs, and the
        // first event of a commit has both equal.
        new() { CommitPosition = (ulong)position, PreparePosition = (ulong)position };

    /// <summary>A server-side filter on the stream id prefix; none for a null or empty prefix.</summary>
    public static void Filter(ReadReq.Types.Options options, string? streamPrefix)
    {
        if (string.IsNullOrEmpty(streamPrefix))
            return;

        options.Filter = new ReadReq.Types.Options.Types.FilterOptions
        {
            StreamIdentifier = new ReadReq.Types.Options.Types.FilterOptions.Types.Expression { Prefix = { streamPrefix } },
            Max = FilterWindow,
            // Subscriptions get a checkpoint after every window scanned; this adapter ignores checkpoints.
            CheckpointIntervalMultiplier = 1,
        };
    }
}
