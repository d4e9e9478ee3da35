namespace AuditDashboard.Endpoints;

/// <summary>
/// An account as it was at one position of a replay: the state after the event at <see cref="Revision"/>, or the state
/// before the account existed, with the event that produced it.
/// </summary>
/// <param name="At">The moment asked for, read as UTC; null when the position was asked by revision or as the latest.</param>
internal sealed record AccountStateDto(
    string AccountId,
    string View,
    DateTimeOffset? At,
    bool BeforeAccountExisted,
    long? Revision,
    DateTimeOffset? RecordedAt,
    ReplayStateDto State,
    EventDto? Event)
{
    public static AccountStateDto From(string accountId, string view, DateTimeOffset? at, ReplayPoint point) => new(
        accountId,
        view,
        at,
        point.BeforeAccountExisted,
        point.Entry?.Revision,
        point.Entry?.Recorded,
        ReplayStateDto.From(point.State),
        point.Entry is { } entry ? EventDto.From(entry) : null);
}

/// <summary>The fields of an account at a replay position; the account id and revision are carried by the position.</summary>
internal sealed record ReplayStateDto(
    string? Owner,
    string? Currency,
    decimal Balance,
    string Status,
    int EventCount,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? LastChangedAt)
{
    public static ReplayStateDto From(AccountState s) =>
        new(s.Owner, s.Currency, s.Balance, s.Status.ToString(), s.EventCount, s.OpenedAt, s.LastChangedAt);
}
