namespace AuditDashboard.Core.Accounts;

/// <summary>One event of an account's timeline, as stored and as understood, with the account's state after it.</summary>
public sealed record TimelineEntry(RecordedEvent Record, AccountEvent? Event, EventMetadata? Metadata, EntryWarning Warning, string? Problem, AccountState StateAfter)
{
    public long Revision => Record.Revision;

    public DateTimeOffset Recorded => Record.Created;

    public string EventType => Record.EventType;

    /// <summary>
    /// When the event takes effect in the "as corrected" view. Equal to <see cref="Recorded"/> for every event that does
    /// not say otherwise; correcting events point it at the time of what they correct.
    /// </summary>
    public DateTimeOffset EffectiveAt => Event switch
    {
        TransactionReversed r => r.EffectiveAt,
        BalanceCorrected c => c.EffectiveAt,
        _ => Recorded,
    };

    /// <summary>True for the events that correct others.</summary>
    public bool IsCorrection => Event is TransactionReversed or BalanceCorrected;

    /// <summary>True for a proposal and for the approval or rejection that decides it.</summary>
    public bool IsFourEyes => Event is CorrectionProposed or CorrectionApproved or CorrectionRejected;

    /// <summary>The money the event moved, signed (withdrawals negative), or null when it moved none.</summary>
    public decimal? Amount => Event switch
    {
        FundsDeposited d => d.Amount,
        FundsWithdrawn w => -w.Amount,
        TransactionReversed r => r.Amount,
        BalanceCorrected c => c.Amount,
        _ => null,
    };

    /// <summary>The payment reference a deposit or withdrawal carries, or null.</summary>
    public string? Reference => Event switch
    {
        FundsDeposited d => d.Reference,
        FundsWithdrawn w => w.Reference,
        _ => null,
    };

    /// <summary>The currency of <see cref="Amount"/>.</summary>
    public string? Currency => Event switch
    {
        FundsDeposited d => d.Currency,
        FundsWithdrawn w => w.Currency,
        TransactionReversed r => r.Currency,
        BalanceCorrected c => c.Currency,
        _ => null,
    };

    /// <summary>Folds <paramref name="record"/> onto <paramref name="before"/>: a flagged event moves the revision but leaves the account unchanged.</summary>
    public static TimelineEntry Next(AccountState before, RecordedEvent record) => Next(before, record, AccountEventCodec.Decode(record));

    /// <summary>
    /// Folds <paramref name="record"/> onto <paramref name="before"/>, given what <see cref="AccountEventCodec.Decode"/>
    /// made of it (decoded ahead, on another thread).
    /// </summary>
    public static TimelineEntry Next(AccountState before, RecordedEvent record, DecodedEvent decoded)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(decoded);
        var warning = decoded.Warning;
        var problem = decoded.Problem;
        var state = before;

        if (decoded.Event is { } accountEvent)
        {
            if (AccountFold.Inconsistency(before, accountEvent) is { } inconsistency)
            {
                warning = EntryWarning.Inconsistent;
                problem = inconsistency;
            }
            else
            {
                state = AccountFold.EvolveAt(before, accountEvent, record.Created);
            }
        }

        state = state with { Revision = record.Revision, LastChangedAt = record.Created, EventCount = before.EventCount + 1 };
        return new TimelineEntry(record, decoded.Event, decoded.Metadata, warning, problem, state);
    }
}
