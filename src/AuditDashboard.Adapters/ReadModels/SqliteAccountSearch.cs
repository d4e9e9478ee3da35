using AuditDashboard.Core.Accounts;
using AuditDashboard.Core.ReadModels;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.ReadModels;

/// <summary>
/// Account search on the read-model file: through the FTS5 trigram index (ids and owners by substring, ignoring case) when
/// few accounts match; when many do, ids through their trigram lists in id order (<see cref="GramWalk"/>) and owners by
/// walking the accounts in id order; a range on the id index for terms too short for trigrams; pages cut by key.
/// </summary>
internal static class SqliteAccountSearch
{
    /// <summary>Up to this many matches a page is read through the trigram index; above, by walking the ids in order.</summary>
    private const int FewMatches = AccountQuery.CountLimit;

    /// <summary>
    /// A page of the accounts <paramref name="query"/> asks for. While a first build writes the rows alone (their text
    /// indexes are made once it has caught up: <paramref name="textIndexed"/> false), a term is looked for in the rows.
    /// </summary>
    public static AccountPage Search(SqliteConnection connection, AccountQuery query, bool textIndexed)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Skip);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Take);
        var term = query.Term;
        if (term is null)
        {
            // Rows are only ever added or replaced, and a clear empties the table (rowids start again at 1): the largest
            // rowid is the number of accounts, read from the end of the index instead of counting every row.
            return new AccountPage(Page(connection, "1", query, []), (int)SqliteAccountRows.Scalar(connection, "SELECT coalesce(max(id), 0) FROM accounts"));
        }

        if (term.Length >= AccountQuery.MinSubstringLength)
            return textIndexed ? SearchText(connection, term, query) : SearchRows(connection, term, query);
        return AccountIds.IsValid(term) ? SearchIdPrefix(connection, term, query) : new AccountPage([], 0);
    }

    /// <summary>
    /// Ids and owners containing <paramref name="term"/>. The trigram index says how many match (up to the count limit).
    /// Few: the page is read through the index. Many: reading every match to sort them would take long. Numbered ids
    /// cluster (ACC-195… all lie in one stretch, far into the ids), so the ids' page is read from one of the term's
    /// trigram lists in id order. Owners: when few hold the term (asked of the owners' own index), their page is read
    /// through it; when many do, names are spread over the ids, so walking the accounts in id order finds their page
    /// after a short stretch. The two are merged.
    /// </summary>
    private static AccountPage SearchText(SqliteConnection connection, string term, AccountQuery query)
    {
        var phrase = new SqliteParameter("$phrase", SqliteAccountRows.Phrase(term));
        var matches = SqliteAccountRows.Scalar(connection, string.Create(CultureInfo.InvariantCulture,
            $"SELECT count(*) FROM (SELECT 1 FROM accounts_text WHERE accounts_text MATCH $phrase LIMIT {AccountQuery.CountLimit + 1})"), [phrase]);
        var items = matches <= FewMatches
            ? Page(connection, "id IN (SELECT rowid FROM accounts_text WHERE accounts_text MATCH $phrase)", query, [SqliteAccountRows.Clone(phrase)])
            : ManyPage(connection, term, phrase, query);
        return Counted(items, matches);
    }

    /// <summary>
    /// Ids and owners containing <paramref name="term"/>, read from the rows in id order: every row is read to count the
    /// matches (a few milliseconds for 100,000 accounts), and letters other than ASCII ones match in their own case only.
    /// Only while a first build has not made the text indexes yet.
    /// </summary>
    private static AccountPage SearchRows(SqliteConnection connection, string term, AccountQuery query)
    {
        var like = new SqliteParameter("$like", "%" + EscapeLike(term) + "%");
        const string contains = @"(account_id LIKE $like ESCAPE '\' OR owner LIKE $like ESCAPE '\')";
        var matches = SqliteAccountRows.Scalar(connection, string.Create(CultureInfo.InvariantCulture,
            $"SELECT count(*) FROM (SELECT 1 FROM accounts WHERE {contains} LIMIT {AccountQuery.CountLimit + 1})"), [like]);
        return Counted(Page(connection, contains, query, [SqliteAccountRows.Clone(like)]), matches);
    }

    private static AccountPage Counted(List<AccountState> items, long matches) => matches > AccountQuery.CountLimit
        ? new AccountPage(items, AccountQuery.CountLimit, TotalIsLowerBound: true)
        : new AccountPage(items, (int)matches);

    private static List<AccountState> ManyPage(SqliteConnection connection, string term, SqliteParameter phrase, AccountQuery query)
    {
        var reach = (long)query.Skip + query.Take;
        var wide = query with { Skip = 0, Take = (int)Math.Min(reach, int.MaxValue) };
        var ids = GramWalk.Ids(connection, term, query.After ?? "", reach);
        var fewOwners = SqliteAccountRows.Scalar(connection, string.Create(CultureInfo.InvariantCulture,
            $"SELECT count(*) FROM (SELECT 1 FROM owners_text WHERE owners_text MATCH $phrase LIMIT {FewMatches + 1})"), [SqliteAccountRows.Clone(phrase)]) <= FewMatches;
        List<AccountState> byOwner;
        if (fewOwners)
        {
            byOwner = Page(connection, "id IN (SELECT rowid FROM owners_text WHERE owners_text MATCH $phrase)", wide, [SqliteAccountRows.Clone(phrase)]);
        }
        else
        {
            // Many owners: a full page of ids bounds the walk, since an owner match can only join it at or before its last id.
            var parameters = new List<SqliteParameter> { new("$like", "%" + EscapeLike(term) + "%") };
            var filter = @"owner LIKE $like ESCAPE '\'";
            if (ids.Count == reach && ids.Count > 0)
            {
                filter += " AND account_id <= $bound";
                parameters.Add(new SqliteParameter("$bound", ids[^1]));
            }

            byOwner = Page(connection, filter, wide, parameters);
        }

        return [.. Rows(connection, ids).Concat(byOwner).DistinctBy(a => a.AccountId).OrderBy(a => a.AccountId, StringComparer.Ordinal).Skip(query.Skip).Take(query.Take)];
    }

    private static List<AccountState> Rows(SqliteConnection connection, List<string> ids)
    {
        var rows = new List<AccountState>(ids.Count);
        foreach (var id in ids)
        {
            if (SqliteAccountRows.Find(connection, id) is { } row)
                rows.Add(row);
        }

        return rows;
    }

    /// <summary>
    /// Ids starting with a term too short for trigrams: one range of the id index per way of writing its letters in
    /// either case, each read in order only as far as the page needs, then merged.
    /// </summary>
    private static AccountPage SearchIdPrefix(SqliteConnection connection, string term, AccountQuery query)
    {
        var prefixes = CaseVariants(term).ToList();
        var parameters = new List<SqliteParameter>();
        var pages = new List<string>();
        var counts = new List<string>();
        for (var i = 0; i < prefixes.Count; i++)
        {
            parameters.Add(new SqliteParameter($"$lo{i}", prefixes[i]));
            parameters.Add(new SqliteParameter($"$hi{i}", prefixes[i][..^1] + (char)(prefixes[i][^1] + 1)));
            var range = $"account_id >= $lo{i} AND account_id < $hi{i}";
            pages.Add($"SELECT * FROM (SELECT {SqliteAccountRows.Columns} FROM accounts WHERE {range} AND account_id > $after ORDER BY account_id LIMIT $reach)");
            counts.Add(string.Create(CultureInfo.InvariantCulture, $"(SELECT count(*) FROM (SELECT 1 FROM accounts WHERE {range} LIMIT {AccountQuery.CountLimit + 1}))"));
        }

        var matches = SqliteAccountRows.Scalar(connection, "SELECT " + string.Join(" + ", counts), parameters.Select(SqliteAccountRows.Clone));
        using var command = connection.CreateCommand();
        command.CommandText = string.Join(" UNION ALL ", pages) + " ORDER BY account_id LIMIT $take OFFSET $skip";
        command.Parameters.AddRange(parameters);
        AddPaging(command, query);
        command.Parameters.AddWithValue("$reach", (long)query.Take + query.Skip);
        return Counted(SqliteAccountRows.ReadAll(command, query.Take), matches);
    }

    private static List<AccountState> Page(SqliteConnection connection, string filter, AccountQuery query, IEnumerable<SqliteParameter> parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {SqliteAccountRows.Columns} FROM accounts
            WHERE {filter} AND account_id > $after
            ORDER BY account_id LIMIT $take OFFSET $skip
            """;
        command.Parameters.AddRange(parameters);
        AddPaging(command, query);
        return SqliteAccountRows.ReadAll(command, query.Take);
    }

    private static void AddPaging(SqliteCommand command, AccountQuery query)
    {
        command.Parameters.AddWithValue("$after", query.After ?? "");
        command.Parameters.AddWithValue("$take", query.Take);
        command.Parameters.AddWithValue("$skip", query.Skip);
    }

    internal static string EscapeLike(string term) =>
        term.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal);

    private static IEnumerable<string> CaseVariants(string term)
    {
        IEnumerable<string> variants = [""];
        foreach (var c in term)
        {
            var forms = char.IsAsciiLetter(c) ? new[] { char.ToUpperInvariant(c), char.ToLowerInvariant(c) } : [c];
            variants = variants.SelectMany(v => forms.Select(f => v + f)).ToList();
        }

        return variants.Distinct(StringComparer.Ordinal);
    }
}
