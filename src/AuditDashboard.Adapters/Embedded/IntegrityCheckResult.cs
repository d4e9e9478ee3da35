namespace AuditDashboard.Adapters.Embedded;

/// <summary>What <c>PRAGMA quick_check</c> said about a store file: intact, or the problems it listed (at most ten).</summary>
public sealed record IntegrityCheckResult(string FilePath, bool IsIntact, IReadOnlyList<string> Problems, TimeSpan Elapsed)
{
    /// <summary>One line naming the file and what the check found.</summary>
    public string Describe() => IsIntact
        ? $"The event store file '{FilePath}' passed PRAGMA quick_check."
        : $"The event store file '{FilePath}' is damaged: PRAGMA quick_check reports {string.Join("; ", Problems)}. "
          + "Restore it from a backup; until then nothing is read from or written to it.";
}
