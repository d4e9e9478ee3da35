namespace AuditDashboard.Core.ReadModels;

/// <summary>
/// An account search: <paramref name="Search"/> (null or blank: every account), accounts after the id
/// <paramref name="After"/> (keyset paging: pass the last id of the previous page), then <paramref name="Skip"/> more
/// (offset paging, kept for old clients), at most <paramref name="Take"/>.
/// </summary>
public sealed record AccountQuery(string? Search, string? After = null, int Skip = 0, int Take = 50)
{
    /// <summary>Below this length a term cannot use the trigram index, so it matches id prefixes only.</summary>
    public const int MinSubstringLength = 3;

    /// <summary>A search term counts its matches up to this many; counting every match of a broad term costs too much.</summary>
    public const int CountLimit = 1_000;

    /// <summary>The trimmed term, or null when there is none.</summary>
    public string? Term => string.IsNullOrWhiteSpace(Search) ? null : Search.Trim();
}
