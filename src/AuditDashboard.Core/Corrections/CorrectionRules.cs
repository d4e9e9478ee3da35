namespace AuditDashboard.Core.Corrections;

/// <summary>
/// Decides whether a correction may be written to an account, and which event it becomes. Pure: the caller passes the
/// account's timeline and the current time.
/// <para>
/// Frozen accounts accept corrections (fixing a mistake is often why an account was frozen). Closed accounts accept
/// none: a closed account's balance is settled, and moving it would leave money in an account nobody can use.
/// </para>
/// </summary>
public static class CorrectionRules
{
    public const int MinReasonLength = 10;
    public const int MaxReasonLength = 1_000;

    /// <summary>No single correction may move more than this (in the account's currency): a typo guard, not a policy.</summary>
    public const decimal MaxAmount = 1_000_000_000m;

    /// <param name="request">The correction as asked for.</param>
    /// <param name="timeline">The account as its author saw it (or, for an approval, as it is now).</param>
    /// <param name="now">The current time: nothing takes effect in the future.</param>
    /// <param name="approving">The proposal being approved, if this is an approval: it does not block itself.</param>
    public static CorrectionDecision Decide(CorrectionRequest request, IReadOnlyList<TimelineEntry> timeline, DateTimeOffset now, Guid? approving = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(timeline);
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Error(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
                errors[field] = list = [];
            list.Add(message);
        }

        if (ReasonText.Problem(request.Reason, required: true, "Give the reason for the correction.") is { } reasonProblem)
            Error("reason", reasonProblem);

        var state = timeline.Count > 0 ? timeline[^1].StateAfter : null;
        if (state is null || state.Status == AccountStatus.NotOpened || state.Currency is null)
        {
            Error("account", "The account has not been opened: there is nothing to correct.");
            return Refused(errors);
        }

        if (state.Status == AccountStatus.Closed)
            Error("account", "The account is closed: a closed account accepts no corrections.");

        var links = CorrectionLinks.Of(timeline);
        var referenced = request.EventId is { } id ? links.Find(id) : null;
        if (request.EventId is { } missing && referenced is null)
            Error("eventId", $"This account has no event {missing}.");

        if (request.EffectiveAt is { } at && at > now)
            Error("effectiveAt", "The effective time cannot be in the future.");
        if (request.EffectiveAt is { } early && state.OpenedAt is { } opened && early < opened)
            Error("effectiveAt", "The effective time cannot be before the account was opened.");

        AccountEvent? correction = null;
        switch (request.Kind)
        {
            case CorrectionKind.Reversal:
                correction = Reversal(request, links, referenced, state.Currency, approving, Error);
                break;
            case CorrectionKind.Adjustment:
                correction = Adjustment(request, referenced, state.Currency, now, Error);
                break;
            default:
                Error("kind", "The kind must be 'reversal' or 'adjustment'.");
                break;
        }

        return errors.Count > 0 ? Refused(errors) : new CorrectionDecision(correction, referenced?.Record.EventId, Frozen(errors));
    }

    /// <summary>
    /// Whether the correction a proposal describes may still be written, as the account is now: the same rules, with the
    /// proposal's own reason, amount and effective time, and the proposal not counted as blocking itself.
    /// </summary>
    public static CorrectionDecision DecideApproval(Guid proposalId, CorrectionProposed proposed, string? reason, IReadOnlyList<TimelineEntry> timeline, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(proposed);
        var kind = proposed.Correction == AccountEventTypes.TransactionReversed ? CorrectionKind.Reversal : CorrectionKind.Adjustment;
        return Decide(new CorrectionRequest(kind, proposed.EventId, proposed.Amount, reason, proposed.EffectiveAt), timeline, now, approving: proposalId);
    }

    /// <summary>
    /// Whether a correction of <paramref name="amount"/> (signed) in <paramref name="currency"/> must be approved by a
    /// second Support user: when it alone is above the threshold; when, with its author's <paramref name="earlier"/>
    /// corrections on the same account within the window, the sum is above the threshold; or when, with their earlier
    /// corrections on all accounts, the sum is above the limit across accounts. Sums exceed a limit as a single amount
    /// does: strictly above it.
    /// </summary>
    public static ApprovalCheck CheckApproval(decimal amount, string currency, EarlierCorrections earlier, ApprovalThresholds thresholds)
    {
        ArgumentNullException.ThrowIfNull(currency);
        ArgumentNullException.ThrowIfNull(earlier);
        ArgumentNullException.ThrowIfNull(thresholds);
        var size = Math.Abs(amount);
        var threshold = thresholds.For(currency);
        var (limit, crossed) =
            threshold is not { } single ? (ApprovalLimit.None, null)
            : size > single ? (ApprovalLimit.OneCorrection, single)
            : earlier.OnAccount + size > single ? (ApprovalLimit.Account, single)
            : thresholds.AcrossAccountsFor(currency) is { } across && earlier.AcrossAccounts + size > across ? (ApprovalLimit.AcrossAccounts, across)
            : (ApprovalLimit.None, (decimal?)single);
        return new ApprovalCheck(limit, size, currency, crossed, earlier, thresholds.Window);
    }

    /// <summary>
    /// How much a stored event counts against its author's limits: a reversal or an adjustment written without approval,
    /// at its absolute amount (a reversal at the amount it reversed). Corrections that went through four eyes were
    /// approved already, and proposals and decisions move nothing: they count 0.
    /// </summary>
    public static decimal CountedAmount(AccountEvent? stored, EventMetadata? metadata) => (stored, metadata) switch
    {
        (TransactionReversed r, { ApprovedBy: null }) => Math.Abs(r.Amount),
        (BalanceCorrected c, { ApprovedBy: null }) => Math.Abs(c.Amount),
        _ => 0m,
    };

    /// <summary>The sum of <paramref name="actor"/>'s corrections on the account of <paramref name="timeline"/> recorded at or after <paramref name="since"/> (see <see cref="CountedAmount"/>).</summary>
    public static decimal EarlierOnAccount(IReadOnlyList<TimelineEntry> timeline, string actor, DateTimeOffset since)
    {
        ArgumentNullException.ThrowIfNull(timeline);
        var sum = 0m;

        // Newest first, stopping at the window's start: recorded times follow the stream's order.
        for (var i = timeline.Count - 1; i >= 0 && timeline[i].Recorded >= since; i--)
        {
            var entry = timeline[i];
            if (entry.Warning == EntryWarning.None && string.Equals(entry.Metadata?.Actor, actor, StringComparison.OrdinalIgnoreCase))
                sum += CountedAmount(entry.Event, entry.Metadata);
        }

        return sum;
    }

    private static TransactionReversed? Reversal(CorrectionRequest request, CorrectionLinks links, TimelineEntry? reversed, string currency, Guid? approving, Action<string, string> error)
    {
        if (request.EventId is null)
        {
            error("eventId", "Choose the event to reverse.");
            return null;
        }

        if (reversed is null)
            return null;

        if (links.ReversalRefusal(reversed, approving) is { } refusal)
        {
            error("eventId", refusal);
            return null;
        }

        var amount = -reversed.Amount!.Value;
        if (request.Amount is { } given && Math.Abs(given) != Math.Abs(amount))
            error("amount", $"A reversal undoes the whole amount, {Currencies.Format(Math.Abs(amount), currency)}; to correct part of it, adjust the balance.");

        return new TransactionReversed(reversed.Record.EventId, reversed.Revision, amount, currency, request.EffectiveAt ?? reversed.Recorded);
    }

    private static BalanceCorrected? Adjustment(CorrectionRequest request, TimelineEntry? referenced, string currency, DateTimeOffset now, Action<string, string> error)
    {
        if (request.Amount is not { } amount)
        {
            error("amount", "Give the amount to add (positive) or take away (negative).");
            return null;
        }

        if (amount == 0)
            error("amount", "The amount cannot be zero.");
        else if (Math.Abs(amount) > MaxAmount)
            error("amount", $"The amount cannot exceed {Currencies.Format(MaxAmount, currency)} either way.");
        else if (decimal.Round(amount, Currencies.MinorUnits(currency)) != amount)
            error("amount", $"{currency} has {Currencies.MinorUnits(currency)} decimal places; {amount} has more.");

        return new BalanceCorrected(amount, currency, referenced?.Record.EventId, request.EffectiveAt ?? referenced?.Recorded ?? now);
    }

    private static CorrectionDecision Refused(Dictionary<string, List<string>> errors) => new(null, null, Frozen(errors));

    private static Dictionary<string, string[]> Frozen(Dictionary<string, List<string>> errors) =>
        errors.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal);
}
