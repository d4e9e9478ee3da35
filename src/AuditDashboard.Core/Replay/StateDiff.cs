namespace AuditDashboard.Core.Replay;

/// <summary>What changed in an account between two states, field by field.</summary>
public static class StateDiff
{
    public static IReadOnlyList<FieldChange> Between(AccountState before, AccountState after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var changes = new List<FieldChange>();
        Add(changes, "Status", Status(before.Status), Status(after.Status));
        Add(changes, "Owner", before.Owner ?? "—", after.Owner ?? "—");
        Add(changes, "Currency", before.Currency ?? "—", after.Currency ?? "—");
        Add(changes, "Balance", Currencies.Format(before.Balance, before.Currency ?? after.Currency), Currencies.Format(after.Balance, after.Currency ?? before.Currency));

        return changes;
    }

    public static string Status(AccountStatus status) => status == AccountStatus.NotOpened ? "Not opened" : status.ToString();

    private static void Add(List<FieldChange> changes, string field, string before, string after)
    {
        if (!string.Equals(before, after, StringComparison.Ordinal))
            changes.Add(new FieldChange(field, before, after));
    }
}
