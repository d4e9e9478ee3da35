using System.Text.Json;

namespace AuditDashboard.Endpoints;

/// <summary>An account's state as the JSON endpoints show it.</summary>
internal sealed record AccountDto(
    string AccountId,
    string? Owner,
    string? Currency,
    decimal Balance,
    string Status,
    long? Revision,
    int EventCount,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? LastChangedAt)
{
    public static AccountDto From(AccountState s) =>
        new(s.AccountId, s.Owner, s.Currency, s.Balance, s.Status.ToString(), s.Revision, s.EventCount, s.OpenedAt, s.LastChangedAt);
}

/// <param name="Next">The <c>after</c> of the next page (the last id of this one), or null when this page is the last.</param>
/// <param name="TotalIsLowerBound">True when the search matched more accounts than it counts: <paramref name="Total"/> is then that limit.</param>
internal sealed record AccountListDto(IReadOnlyList<AccountDto> Items, int Total, int Skip, int Take, string? Next, bool TotalIsLowerBound);

/// <summary>One stored event: the data and metadata as JSON when they parse, otherwise as raw text, with any warning.</summary>
internal sealed record EventDto(
    string StreamId,
    long Revision,
    long Position,
    Guid EventId,
    string EventType,
    DateTimeOffset Recorded,
    JsonElement? Data,
    string? RawData,
    JsonElement? Metadata,
    string? RawMetadata,
    string? Warning,
    string? Problem,
    decimal BalanceAfter,
    string StatusAfter)
{
    public static EventDto From(TimelineEntry e)
    {
        var data = StoredJson.TryParse(e.Record.Data);
        var metadata = StoredJson.TryParse(e.Record.Metadata);
        return new EventDto(
            e.Record.StreamId, e.Revision, e.Record.Position, e.Record.EventId, e.EventType, e.Recorded,
            data, data is null ? StoredJson.AsText(e.Record.Data) : null,
            metadata, metadata is null ? StoredJson.AsText(e.Record.Metadata) : null,
            e.Warning == EntryWarning.None ? null : e.Warning.ToString(), e.Problem,
            e.StateAfter.Balance, e.StateAfter.Status.ToString());
    }
}

internal sealed record EventPageDto(string AccountId, IReadOnlyList<EventDto> Events, string Direction, long? LastRevision);

/// <summary>A correction proposal and its decision, as the JSON endpoints show it.</summary>
internal sealed record ProposalDto(
    Guid ProposalId,
    string AccountId,
    long Revision,
    DateTimeOffset ProposedAt,
    string ProposedBy,
    string Reason,
    string Correction,
    Guid? EventId,
    long? EventRevision,
    decimal Amount,
    string Currency,
    DateTimeOffset EffectiveAt,
    string Status,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? DecisionReason,
    long? DecisionRevision)
{
    public static ProposalDto From(ProposalView p) => new(
        p.ProposalId, p.AccountId, p.Revision, p.ProposedAt, p.ProposedBy, p.Reason, p.Proposal.Correction, p.Proposal.EventId, p.Proposal.EventRevision,
        p.Proposal.Amount, p.Proposal.Currency, p.Proposal.EffectiveAt, p.Status.ToString().ToLowerInvariant(), p.DecidedBy, p.DecidedAt, p.DecisionReason, p.DecisionRevision);
}
