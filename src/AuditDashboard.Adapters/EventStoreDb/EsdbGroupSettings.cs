namespace AuditDashboard.Adapters.EventStoreDb.Protocol.Persistent;

/// <summary>
/// The group settings that the create and the update request both carry. The protocol declares them twice (one message
/// per request, the same fields), so the generated types share them through this interface and one method fills both.
/// </summary>
internal interface IGroupSettings
{
    bool ResolveLinks { get; set; }

    bool ExtraStatistics { get; set; }

    int MaxRetryCount { get; set; }

    int MinCheckpointCount { get; set; }

    int MaxCheckpointCount { get; set; }

    int MaxSubscriberCount { get; set; }

    int LiveBufferSize { get; set; }

    int ReadBatchSize { get; set; }

    int HistoryBufferSize { get; set; }

    int MessageTimeoutMs { get; set; }

    int CheckpointAfterMs { get; set; }

    /// <summary>Deals events to the group's consumers in turn, in every form of the setting the request has.</summary>
    void UseRoundRobin();
}

internal sealed partial class CreateReq
{
    public static partial class Types
    {
        internal sealed partial class Settings : IGroupSettings
        {
            // Older servers read the enum, newer ones the strategy's name.
            public void UseRoundRobin()
            {
                NamedConsumerStrategy = CreateReq.Types.ConsumerStrategy.RoundRobin;
                ConsumerStrategy = "RoundRobin";
            }
        }
    }
}

internal sealed partial class UpdateReq
{
    public static partial class Types
    {
        internal sealed partial class Settings : IGroupSettings
        {
            public void UseRoundRobin() => NamedConsumerStrategy = UpdateReq.Types.ConsumerStrategy.RoundRobin;
        }
    }
}
