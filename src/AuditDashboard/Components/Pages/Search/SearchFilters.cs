using AuditDashboard.Core.Export;
using AuditDashboard.Core.Search;

namespace AuditDashboard.Components.Pages.Search;

/// <summary>
/// The Search page's filter form as typed: text as given, times in the viewer's zone. It becomes the page's query
/// parameters (the API's, times in UTC), which <see cref="EventSearchParameters.Parse"/> then checks, so a search from the
/// form, a bookmark and the API are read by the same rules.
/// </summary>
public sealed class SearchFilters
{
    /// <summary>How far back a search opened without parameters looks.</summary>
    public const int DefaultDays = 7;

    private static readonly string[] LocalFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm"];

    public string? Actor { get; set; }

    public IReadOnlyCollection<string> Types { get; set; } = [];

    /// <summary>True when <see cref="AccountOrOwner"/> is an owner's name (a part of it), false for an account id.</summary>
    public bool ByOwner { get; set; }

    public string? AccountOrOwner { get; set; }

    public string? RecordedFrom { get; set; }

    public string? RecordedTo { get; set; }

    public string? EffectiveFrom { get; set; }

    public string? EffectiveTo { get; set; }

    public string? MinAmount { get; set; }

    public string? MaxAmount { get; set; }

    public string? Currency { get; set; }

    public string? Reference { get; set; }

    public string? CorrelationId { get; set; }

    public string? CausationId { get; set; }

    public string? Source { get; set; }

    public bool FlaggedOnly { get; set; }

    public string? Text { get; set; }

    public bool OldestFirst { get; set; }

    /// <summary>Whether a filter beyond the first row (actor, types, account or owner, text, recorded range) is set.</summary>
    public bool HasMoreFilters =>
        new[] { EffectiveFrom, EffectiveTo, MinAmount, MaxAmount, Currency, Reference, CorrelationId, CausationId, Source }.Any(v => !string.IsNullOrWhiteSpace(v))
        || FlaggedOnly;

    /// <summary>What a search opened without parameters shows: events recorded since the start of the viewer's day <see cref="DefaultDays"/> days ago.</summary>
    public static SearchFilters Default(ViewerClock clock, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var from = clock.ToLocal(now).Date.AddDays(-(DefaultDays - 1));
        return new SearchFilters { RecordedFrom = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
    }

    /// <summary>The form showing <paramref name="values"/> (the page's parameters, valid or not), times in the viewer's zone.</summary>
    public static SearchFilters From(Func<string, IReadOnlyList<string>> values, ViewerClock clock)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(clock);
        string? One(string name) => values(name) is [var first, ..] ? first : null;
        var owner = One("owner");
        return new SearchFilters
        {
            Actor = One("actor"),
            Types = values("type").SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
            ByOwner = owner is not null && One("account") is null,
            AccountOrOwner = owner is not null && One("account") is null ? owner : One("account"),
            RecordedFrom = Local(One("recordedFrom"), clock, endOfDay: false),
            RecordedTo = Local(One("recordedTo"), clock, endOfDay: true),
            EffectiveFrom = Local(One("effectiveFrom"), clock, endOfDay: false),
            EffectiveTo = Local(One("effectiveTo"), clock, endOfDay: true),
            MinAmount = One("minAmount"),
            MaxAmount = One("maxAmount"),
            Currency = One("currency"),
            Reference = One("reference"),
            CorrelationId = One("correlationId"),
            CausationId = One("causationId"),
            Source = One("source"),
            FlaggedOnly = string.Equals(One("flagged"), "true", StringComparison.OrdinalIgnoreCase) || One("flagged") == "1",
            Text = One("text"),
            OldestFirst = string.Equals(One("order"), "asc", StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <summary>
    /// The form as the page's query parameters (null values are left out), times converted from the viewer's zone to
    /// UTC; the order is always given, so that a search of every event is told apart from a page opened bare. A time
    /// that is no moment in the viewer's zone goes into <paramref name="errors"/> under its parameter's name.
    /// </summary>
    public Dictionary<string, object?> ToParameters(ViewerClock clock, IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(errors);
        var account = string.IsNullOrWhiteSpace(AccountOrOwner) ? null : AccountOrOwner.Trim();
        return new Dictionary<string, object?>
        {
            ["actor"] = Given(Actor),
            ["type"] = Types.Count == 0 ? null : Types.ToArray(),
            ["account"] = ByOwner ? null : account,
            ["owner"] = ByOwner ? account : null,
            ["recordedFrom"] = Utc(RecordedFrom, "recordedFrom", clock, endOfDay: false, errors),
            ["recordedTo"] = Utc(RecordedTo, "recordedTo", clock, endOfDay: true, errors),
            ["effectiveFrom"] = Utc(EffectiveFrom, "effectiveFrom", clock, endOfDay: false, errors),
            ["effectiveTo"] = Utc(EffectiveTo, "effectiveTo", clock, endOfDay: true, errors),
            ["minAmount"] = Given(MinAmount),
            ["maxAmount"] = Given(MaxAmount),
            ["currency"] = Given(Currency),
            ["reference"] = Given(Reference),
            ["correlationId"] = Given(CorrelationId),
            ["causationId"] = Given(CausationId),
            ["source"] = Given(Source),
            ["flagged"] = FlaggedOnly ? "true" : null,
            ["text"] = Given(Text),
            ["order"] = OldestFirst ? "asc" : "desc",
        };
    }

    private static string? Given(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>
    /// A time typed in the viewer's zone (a date, or a date and a time) as an ISO-8601 UTC parameter; a date is its
    /// first moment, or with <paramref name="endOfDay"/> its last. Text that is no such time goes as typed, for the
    /// parameters' own check to name; a time the zone skips (a clock change) is named here.
    /// </summary>
    private static string? Utc(string? text, string name, ViewerClock clock, bool endOfDay, IDictionary<string, string[]> errors)
    {
        if (Given(text) is not { } typed)
            return null;
        DateTime local;
        if (DateTime.TryParseExact(typed, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            local = endOfDay ? day.AddDays(1).AddTicks(-1) : day;
        else if (!DateTime.TryParseExact(typed, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out local))
            return typed;

        if (clock.Zone.IsInvalidTime(local))
        {
            errors[name] = [$"{typed} does not exist in {clock.ZoneName}: the clocks skip it."];
            return typed;
        }

        return ExportText.Time(new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, clock.Zone), TimeSpan.Zero));
    }

    /// <summary>
    /// A parameter's time in the viewer's zone, as the form shows it: a date alone when it is the first moment of a day
    /// (or, with <paramref name="endOfDay"/>, the last); text that is no time as given.
    /// </summary>
    private static string? Local(string? parameter, ViewerClock clock, bool endOfDay)
    {
        if (parameter is null)
            return null;
        var errors = new Dictionary<string, string[]>();
        if (ExportRange.ParseEnd(parameter, "time", endOfDay, errors) is not { } moment)
            return parameter;
        var local = clock.ToLocal(moment);
        var dayEdge = endOfDay ? local.TimeOfDay == TimeSpan.FromDays(1) - TimeSpan.FromTicks(1) : local.TimeOfDay == TimeSpan.Zero;
        if (dayEdge)
            return local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return local.ToString(local.Second == 0 && local.Millisecond == 0 ? "yyyy-MM-dd HH:mm" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
    }
}
