using AuditDashboard.Core.Replay;
using AuditDashboard.Core.Search;

namespace AuditDashboard.Core.Export;

/// <summary>
/// What an export is: written as row 0, so the chain covers who exported which account, range and view, and when; or,
/// for the export of a search across accounts (<see cref="Search"/>), which filters it was.
/// </summary>
public sealed record ExportHeader(
    Guid ExportId,
    string AccountId,
    ReplayView View,
    ExportRange Range,
    ExportFormat Format,
    string ExportedBy,
    DateTimeOffset ExportedAt)
{
    /// <summary>The version of the export's layout and canonical form.</summary>
    public const string Schema = "audit-export/1";

    /// <summary>The version of a search export's layout: the same rows and chain, row 0 naming the filters instead of an account.</summary>
    public const string SearchSchema = "audit-search-export/1";

    /// <summary>The member of row 0's JSON that says the export carries inclusion proofs.</summary>
    public const string ProofsMember = "proofs";

    /// <summary>
    /// Whether the export carries inclusion proofs of its events against a ledger seal (a seal row, and a proof row after each
    /// event row). Written into row 0 only when set, so an export without them reads as it always did.
    /// </summary>
    public bool WithProofs { get; init; }

    /// <summary>
    /// The search whose matches the export holds, or null for an account's timeline (then <see cref="AccountId"/> names it).
    /// In a search export each event row's <c>data</c> is <c>{"account": …, "data": …}</c>: the account and the event's
    /// own data, and <c>balance_after</c> is empty (the balance is an account's, and the rows span accounts).
    /// </summary>
    public EventQuery? Search { get; init; }

    /// <summary>A search export of the matches of <paramref name="search"/>, newest or oldest first as it asks.</summary>
    public static ExportHeader ForSearch(Guid exportId, EventQuery search, ExportFormat format, string exportedBy, DateTimeOffset exportedAt) =>
        new(exportId, "", ReplayView.Recorded, ExportRange.All, format, exportedBy, exportedAt) { Search = search };

    public string ViewName => View == ReplayView.Corrected ? "corrected" : "recorded";

    /// <summary>What the export holds, in words: the account, or the search's filters.</summary>
    public string Subject => Search is { } search ? "events matching " + EventSearchParameters.Describe(search) : AccountId;

    /// <summary>A file name such as <c>ACC-100004_recorded_20261127T201240Z.csv</c>.</summary>
    public string FileName => Search is null
        ? $"{AccountId}_{ViewName}_{ExportedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.{Format.Extension()}"
        : $"search_{ExportedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.{Format.Extension()}";

    /// <summary>The header as the JSON text of row 0's <c>data</c>.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (Search is { } search)
            {
                json.WriteString("schema", SearchSchema);
                json.WriteString("exportId", ExportId);
                json.WriteString("search", EventSearchParameters.Describe(search));
                json.WriteStartObject("filters");
                foreach (var filter in EventSearchParameters.Format(search with { OldestFirst = false }).GroupBy(p => p.Key, p => p.Value))
                {
                    json.WriteStartArray(filter.Key);
                    foreach (var value in filter)
                        json.WriteStringValue(value);
                    json.WriteEndArray();
                }

                json.WriteEndObject();
                json.WriteString("order", search.OldestFirst ? "asc" : "desc");
            }
            else
            {
                json.WriteString("schema", Schema);
                json.WriteString("exportId", ExportId);
                json.WriteString("account", AccountId);
                json.WriteString("view", ViewName);
                WriteTime(json, "from", Range.From);
                WriteTime(json, "to", Range.To);
            }

            json.WriteString("format", Format.Extension());
            json.WriteString("exportedBy", ExportedBy);
            json.WriteString("exportedAt", ExportText.Time(ExportedAt));
            if (WithProofs)
                json.WriteBoolean(ProofsMember, true);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } time)
            json.WriteString(name, ExportText.Time(time));
        else
            json.WriteNull(name);
    }
}
