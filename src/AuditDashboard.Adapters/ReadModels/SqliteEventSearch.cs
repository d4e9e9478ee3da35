using AuditDashboard.Core.Search;
using Microsoft.Data.Sqlite;

namespace AuditDashboard.Adapters.ReadModels;

/// <summary>
/// Searches the event index. An id that ties events together (a correlation or causation id, a reference) is looked up
/// in its B-tree and words of reasons in the index of words: the few events holding them are read and sorted. Otherwise
/// one filter drives the walk, the most selective one that has an index (an account, an actor, the event types, the flag): each of
/// its values is walked through that index in the order of recorded times, within the query's time range, as far as
/// the page needs (several values, e.g. two types, are walked side by side and merged); without one, the index of
/// recorded times is walked. Every other filter is checked on the rows met. Pages are cut by key (recorded time,
/// position), never by an offset.
/// </summary>
internal static class SqliteEventSearch
{
    // An owner held by more accounts than this is filtered on the rows met rather than walked account by account.
    private const int OwnerAccountsWalked = 50;

    public static EventSearchResult Search(SqliteConnection connection, EventQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new List<SqliteParameter>();
        var where = new List<string>();
        var walks = Filter(connection, query, where, parameters);
        if (walks.Count == 0)
            return new EventSearchResult([], query.CountTotal ? 0 : null, false, null);
        var filter = where.Count == 0 ? "" : " AND " + string.Join(" AND ", where);

        long? total = null;
        var capped = false;
        if (query.CountTotal)
        {
            var counts = walks.Select(w => string.Create(CultureInfo.InvariantCulture,
                $"(SELECT count(*) FROM (SELECT 1 FROM events {w.IndexedBy} WHERE {w.Condition}{filter} LIMIT {EventQuery.CountCap + 1}))"));
            var count = SqliteAccountRows.Scalar(connection, "SELECT " + string.Join(" + ", counts), parameters.Select(SqliteAccountRows.Clone));
            capped = count > EventQuery.CountCap;
            total = Math.Min(count, EventQuery.CountCap);
        }

        var items = new List<IndexedEvent>(query.Limit + 1);
        ReadPage(connection, query, walks, filter, parameters, SqliteEventRows.Columns, query.Limit + 1, reader => items.Add(SqliteEventRows.Read(reader)));

        EventKey? next = null;
        if (items.Count > query.Limit)
        {
            items.RemoveAt(query.Limit);
            next = EventKey.Of(items[^1]);
        }

        return new EventSearchResult(items, total, capped, next);
    }

    /// <summary>
    /// The recorded time, type and actor of the newest <paramref name="take"/> matches of <paramref name="query"/> (its
    /// page aside): what a chart of the matches counts, without reading the rest of each row.
    /// </summary>
    public static List<(DateTimeOffset Recorded, string EventType, string? Actor)> Newest(SqliteConnection connection, EventQuery query, int take)
    {
        ArgumentNullException.ThrowIfNull(query);
        query = query with { After = null, OldestFirst = false };
        var parameters = new List<SqliteParameter>();
        var where = new List<string>();
        var walks = Filter(connection, query, where, parameters);
        if (walks.Count == 0)
            return [];
        var filter = where.Count == 0 ? "" : " AND " + string.Join(" AND ", where);
        var newest = new List<(DateTimeOffset, string, string?)>(Math.Min(take, 10_000));
        ReadPage(connection, query, walks, filter, parameters, "recorded, event_type, actor, position", take, reader =>
            newest.Add((new DateTimeOffset(reader.GetInt64(0), TimeSpan.Zero), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2))));
        return newest;
    }

    /// <summary>
    /// Reads <paramref name="columns"/> (<c>recorded</c> and <c>position</c> among them) of up to <paramref name="reach"/>
    /// matches in the query's order after its key, each walk read as far as that, then merged; hands each row to <paramref name="row"/>.
    /// </summary>
    private static void ReadPage(
        SqliteConnection connection, EventQuery query, List<Walk> walks, string filter, List<SqliteParameter> parameters, string columns, int reach,
        Action<SqliteDataReader> row)
    {
        var direction = query.OldestFirst ? "ASC" : "DESC";
        var after = query.After is null ? "" : query.OldestFirst ? " AND (recorded, position) > ($after_recorded, $after_position)" : " AND (recorded, position) < ($after_recorded, $after_position)";
        var order = $"ORDER BY recorded {direction}, position {direction}";
        var pages = walks.Select(w =>
            $"SELECT * FROM (SELECT {columns} FROM events {w.IndexedBy} WHERE {w.Condition}{filter}{after} {order} LIMIT $reach)");
        using var command = connection.CreateCommand();
        command.CommandText = string.Join(" UNION ALL ", pages) + $" {order} LIMIT $reach";
        command.Parameters.AddRange(parameters);
        command.Parameters.AddWithValue("$reach", reach);
        if (query.After is { } key)
        {
            command.Parameters.AddWithValue("$after_recorded", key.Recorded.UtcTicks);
            command.Parameters.AddWithValue("$after_position", key.Position);
        }

        using var reader = command.ExecuteReader();
        while (reader.Read())
            row(reader);
    }

    /// <summary>
    /// Adds every filter to <paramref name="where"/> but the one that drives the walk, and returns that one's walks: one
    /// for each of its values, each through its index (or one walk over the rows when no indexed filter is set); none
    /// when nothing can match.
    /// </summary>
    private static List<Walk> Filter(SqliteConnection connection, EventQuery query, List<string> where, List<SqliteParameter> parameters)
    {
        List<Walk>? walks = null;

        // Equal to one value: the first such filter drives (in the order of how few rows each value usually holds).
        void Equal(string column, string index, string parameter, object? value)
        {
            if (value is null)
                return;
            parameters.Add(new SqliteParameter(parameter, value));
            if (walks is null)
                walks = [new Walk($"INDEXED BY {index}", $"{column} = {parameter}")];
            else
                where.Add($"{column} = {parameter}");
        }

        // Equal to one of several values: each walked apart when this filter drives.
        void OneOf(string column, string index, string prefix, IReadOnlyList<string> values)
        {
            var names = values.Select((v, i) => new SqliteParameter($"{prefix}{i}", v)).ToList();
            parameters.AddRange(names);
            if (walks is null)
                walks = names.Select(n => new Walk($"INDEXED BY {index}", $"{column} = {n.ParameterName}")).ToList();
            else
                where.Add($"{column} IN ({string.Join(", ", names.Select(n => n.ParameterName))})");
        }

        // Ids: few events hold one, so they drive, through their own B-trees.
        Equal("correlation_id", "events_by_correlation", "$correlation", query.CorrelationId);
        Equal("causation_id", "events_by_causation", "$causation", query.CausationId);
        Equal("reference", "events_by_reference", "$reference", query.Reference);
        Equal("account_id", "events_by_account", "$account", query.AccountId);
        if (query.Owner is { } owner)
        {
            // No account: nothing matches, and no statement is run (SQLite finds no plan for a walk of the flagged rows'
            // own index under a condition that is always false).
            var accounts = AccountsOwnedBy(connection, owner, OwnerAccountsWalked + 1);
            if (accounts.Count == 0)
                return [];
            if (accounts.Count <= OwnerAccountsWalked)
                OneOf("account_id", "events_by_account", "$owned", accounts);
            else
            {
                parameters.Add(OwnerParameter(owner));
                where.Add($"account_id IN ({OwnedAccounts(owner)})");
            }
        }

        Equal("actor", "events_by_actor", "$actor", query.Actor);
        if (query.Types.Count > 0)
            OneOf("event_type", "events_by_type", "$type", query.Types);
        if (query.FlaggedOnly)
        {
            // A literal: only then does SQLite know the flagged rows' own index answers it.
            if (walks is null)
                walks = [new Walk("INDEXED BY events_flagged", "flagged = 1")];
            else
                where.Add("flagged = 1");
        }

        // Words of reasons, each as the start of a word: they drive only when nothing else does (a common word is in
        // many reasons, whose rows would all be read to be sorted), else they are checked on the rows met.
        if (EventQuery.Words(query.Text) is { Count: > 0 } words)
        {
            parameters.Add(new SqliteParameter("$words", string.Join(" AND ", words.Select(w => $"\"{w}\"*"))));
            const string inReasons = "position IN (SELECT rowid FROM events_words WHERE events_words MATCH $words)";
            if (walks is null)
                walks = [new Walk("NOT INDEXED", inReasons)];
            else
                where.Add(inReasons);
        }

        Add("source = $source", "$source", query.Source);
        Add("currency = $currency", "$currency", query.Currency);
        Add("effective >= $effective_from", "$effective_from", query.EffectiveFrom?.UtcTicks);
        Add("effective <= $effective_to", "$effective_to", query.EffectiveTo?.UtcTicks);
        Add("recorded >= $recorded_from", "$recorded_from", query.RecordedFrom?.UtcTicks);
        Add("recorded <= $recorded_to", "$recorded_to", query.RecordedTo?.UtcTicks);
        Add("size >= $min_amount", "$min_amount", query.MinAmount is { } min ? (double)min : null);
        Add("size <= $max_amount", "$max_amount", query.MaxAmount is { } max ? (double)max : null);
        return walks ?? [new Walk("INDEXED BY events_by_recorded", "1")];

        void Add(string condition, string parameter, object? value)
        {
            if (value is null)
                return;
            parameters.Add(new SqliteParameter(parameter, value));
            where.Add(condition);
        }
    }

    /// <summary>The ids of up to <paramref name="take"/> accounts whose owner contains <paramref name="owner"/>, ignoring case.</summary>
    private static List<string> AccountsOwnedBy(SqliteConnection connection, string owner, int take)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT account_id FROM accounts WHERE account_id IN ({OwnedAccounts(owner)}) LIMIT $take";
        command.Parameters.Add(OwnerParameter(owner));
        command.Parameters.AddWithValue("$take", take);
        var ids = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
            ids.Add(reader.GetString(0));
        return ids;
    }

    // Owners containing $owner: through the owners' trigram index for three characters or more, else by LIKE.
    private static string OwnedAccounts(string owner) => owner.Length >= 3
        ? "SELECT account_id FROM accounts WHERE id IN (SELECT rowid FROM owners_text WHERE owners_text MATCH $owner_phrase)"
        : @"SELECT account_id FROM accounts WHERE owner LIKE '%' || $owner_like || '%' ESCAPE '\'";

    // A quoted FTS5 string is matched as a phrase: with the trigram tokenizer, as a substring, ignoring case.
    private static SqliteParameter OwnerParameter(string owner) => owner.Length >= 3
        ? new SqliteParameter("$owner_phrase", SqliteAccountRows.Phrase(owner))
        : new SqliteParameter("$owner_like", SqliteAccountSearch.EscapeLike(owner));

    /// <summary>One walk of the search: the index it goes through (or none) and the value it holds to.</summary>
    private sealed record Walk(string IndexedBy, string Condition);
}
