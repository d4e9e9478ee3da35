using System.Collections.Frozen;

namespace AuditDashboard.Core.Accounts;

/// <summary>
/// The wire names of account events. They are part of the stored data: a name never changes when a class is
/// renamed, and a removed class keeps its name reserved.
/// </summary>
public static class AccountEventTypes
{
    public const string AccountOpened = "AccountOpened";
    public const string FundsDeposited = "FundsDeposited";
    public const string FundsWithdrawn = "FundsWithdrawn";
    public const string AccountFrozen = "AccountFrozen";
    public const string AccountUnfrozen = "AccountUnfrozen";
    public const string AccountClosed = "AccountClosed";
    public const string TransactionReversed = "TransactionReversed";
    public const string BalanceCorrected = "BalanceCorrected";
    public const string CorrectionProposed = "CorrectionProposed";
    public const string CorrectionApproved = "CorrectionApproved";
    public const string CorrectionRejected = "CorrectionRejected";

    private static readonly FrozenDictionary<string, Type> ByName = new Dictionary<string, Type>(StringComparer.Ordinal)
    {
        [AccountOpened] = typeof(AccountOpened),
        [FundsDeposited] = typeof(FundsDeposited),
        [FundsWithdrawn] = typeof(FundsWithdrawn),
        [AccountFrozen] = typeof(AccountFrozen),
        [AccountUnfrozen] = typeof(AccountUnfrozen),
        [AccountClosed] = typeof(AccountClosed),
        [TransactionReversed] = typeof(TransactionReversed),
        [BalanceCorrected] = typeof(BalanceCorrected),
        [CorrectionProposed] = typeof(CorrectionProposed),
        [CorrectionApproved] = typeof(CorrectionApproved),
        [CorrectionRejected] = typeof(CorrectionRejected),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<Type, string> ByType = ByName.ToFrozenDictionary(p => p.Value, p => p.Key);

    /// <summary>Every wire name the dashboard understands, in a stable order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [AccountOpened, FundsDeposited, FundsWithdrawn, AccountFrozen, AccountUnfrozen, AccountClosed, TransactionReversed, BalanceCorrected,
        CorrectionProposed, CorrectionApproved, CorrectionRejected];

    /// <summary>The correcting events: they fix a mistake without editing history.</summary>
    public static IReadOnlyList<string> Corrections { get; } = [TransactionReversed, BalanceCorrected];

    /// <summary>The four-eyes events: a proposal and its decision. They record who asked and who agreed; they move no money.</summary>
    public static IReadOnlyList<string> FourEyes { get; } = [CorrectionProposed, CorrectionApproved, CorrectionRejected];

    /// <summary>
    /// The events a user's command writes (corrections, proposals, decisions), each under its command's id: few in a
    /// ledger, and kept whole by the read models.
    /// </summary>
    public static IReadOnlyList<string> Commands { get; } = [.. Corrections, .. FourEyes];

    private static readonly FrozenSet<string> CommandSet = Commands.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="eventType"/> is one of the <see cref="Commands"/> (asked for every event a projection applies).</summary>
    public static bool IsCommand(string eventType) => CommandSet.Contains(eventType);

    public static bool TryGetType(string wireName, out Type type) => ByName.TryGetValue(wireName, out type!);

    public static string NameOf(AccountEvent accountEvent)
    {
        ArgumentNullException.ThrowIfNull(accountEvent);
        return ByType.TryGetValue(accountEvent.GetType(), out var name)
            ? name
            : throw new ArgumentException($"{accountEvent.GetType().Name} has no wire name.", nameof(accountEvent));
    }
}
