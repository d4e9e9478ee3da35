using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.ReadModels;

/// <summary>
/// The ids containing a term, in id order, when many do: every such id is in the list of each of the term's trigrams
/// (<c>account_grams</c>, in id order), so one list is read in order from the page's key and each id in it tested for the
/// whole term, until the page is full. It reads only the ids holding that trigram, however far into the ids the matches
/// start, where walking the accounts themselves would read every one before them.
/// </summary>
internal static class GramWalk
{
    /// <summary>Up to <paramref name="count"/> ids after <paramref name="after"/> containing <paramref name="term"/> (ignoring ASCII case), in order.</summary>
    public static List<string> Ids(SqliteConnection connection, string term, string after, long count)
    {
        var ids = new List<string>((int)Math.Min(count, 1_000));
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT account_id FROM account_grams WHERE gram = $gram AND account_id > $after ORDER BY account_id";
        command.Parameters.AddWithValue("$gram", RarestGram(term));
        command.Parameters.AddWithValue("$after", after);
        using var reader = command.ExecuteReader();
        while (ids.Count < count && reader.Read())
        {
            var id = reader.GetString(0);
            if (id.Contains(term, StringComparison.OrdinalIgnoreCase))
                ids.Add(id);
        }

        return ids;
    }

    /// <summary>
    /// The trigram whose list is likely the shortest, as the table writes it (ASCII letters in lower case, as SQLite's
    /// <c>lower</c>): ids share their letters and separators far more than their digits, so the one with most digits.
    /// </summary>
    internal static string RarestGram(string term)
    {
        var lower = string.Create(term.Length, term, (span, t) =>
        {
            for (var i = 0; i < t.Length; i++)
                span[i] = char.IsAsciiLetterUpper(t[i]) ? char.ToLowerInvariant(t[i]) : t[i];
        });
        return Enumerable.Range(0, lower.Length - 2)
            .Select(i => lower.Substring(i, 3))
            .MaxBy(g => g.Count(char.IsAsciiDigit))!;
    }
}
