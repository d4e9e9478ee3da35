using System.Runtime.CompilerServices;
using AuditDashboard.Core.ReadModels;
using AuditDashboard.Core.Search;

namespace AuditDashboard.Core.Export;

/// <summary>
/// The export of a search across accounts: its matches, found in the event index a page at a time, each read back from
/// the ledger (so the rows hold the stored events themselves: their data, metadata and flags), written by
/// <see cref="TimelineExport"/> under a header naming the filters. Memory does not grow with the number of matches.
/// </summary>
public static class SearchExport
{
    /// <summary>Matches read from the index at a time.</summary>
    public const int PageSize = 1_000;

    /// <summary>
    /// The matches of <paramref name="query"/>, in its order, as export entries: each event as stored in the ledger, flagged
    /// as the index found it. Events the ledger no longer yields (a deleted stream) are left out.
    /// </summary>
    public static async IAsyncEnumerable<ExportEntry> EntriesOf(
        IReadModelStore index, IEventStore ledger, EventQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(query);
        // The next page is found and read from the ledger while this one is written: reading and writing each have a core.
        var page = query with { After = null, Limit = PageSize, CountTotal = false };
        var fetching = FetchAsync(index, ledger, page, cancellationToken);
        while (true)
        {
            var (entries, next) = await fetching;
            if (next is { } after)
                fetching = FetchAsync(index, ledger, page with { After = after }, cancellationToken);
            foreach (var entry in entries)
                yield return entry;
            if (next is null)
                yield break;
        }
    }

    private static Task<(List<ExportEntry> Entries, EventKey? Next)> FetchAsync(
        IReadModelStore index, IEventStore ledger, EventQuery page, CancellationToken cancellationToken) => Task.Run(async () =>
    {
        var found = await index.SearchEventsAsync(page, cancellationToken);
        var matches = found.Items.ToDictionary(m => m.Position);
        var entries = new List<ExportEntry>(found.Items.Count);
        await foreach (var record in ledger.ReadPositionsAsync([.. matches.Keys], cancellationToken))
        {
            var match = matches[record.Position];
            entries.Add(new ExportEntry(EntryOf(match, record), AccountState.Initial(match.AccountId)));
        }

        return (entries, found.Continuation);
    }, cancellationToken);

    /// <summary>
    /// A search export row's <c>data</c>: <c>{"account": …, "data": …}</c>, the event's own data as JSON when it parses,
    /// else as text.
    /// </summary>
    public static string Data(string accountId, RecordedEvent record)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("account", accountId);
            json.WritePropertyName("data");
            try
            {
                using var data = JsonDocument.Parse(record.Data);
                data.WriteTo(json);
            }
            catch (JsonException)
            {
                json.WriteStringValue(ExportText.Payload(record.Data));
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    // The stored event as read alone: what a fold found wrong with it is known from the index's flag, not refolded here.
    private static TimelineEntry EntryOf(IndexedEvent match, RecordedEvent record)
    {
        var decoded = AccountEventCodec.Decode(record);
        var (warning, problem) = decoded.Warning == EntryWarning.None && match.Flagged
            ? (EntryWarning.Inconsistent, "It did not apply to the account's state when it was recorded; the account's own export says why.")
            : (decoded.Warning, decoded.Problem);
        return new TimelineEntry(record, decoded.Event, decoded.Metadata, warning, problem, AccountState.Initial(match.AccountId));
    }
}
