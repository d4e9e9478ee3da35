using AuditDashboard.Core.Export;

namespace AuditDashboard.Core.Search;

/// <summary>
/// An event search as query parameters, the same for the API, the Search page's address and exports: read with every
/// bad value named (nothing is searched then), written back for a link, and described in words for the access log and
/// an export's header.
/// </summary>
public static class EventSearchParameters
{
    /// <summary>The longest text a filter takes.</summary>
    public const int MaxTextLength = 200;

    /// <summary>The most words a free-text search takes.</summary>
    public const int MaxWords = 16;

    /// <summary>The largest amount a range takes.</summary>
    public const decimal MaxAmount = 1_000_000_000_000_000m;

    /// <summary>
    /// The query the parameters describe (<paramref name="values"/> gives each name's values, none when absent), or null
    /// with every bad one in <paramref name="errors"/>, keyed by its name.
    /// </summary>
    public static EventQuery? Parse(Func<string, IReadOnlyList<string>> values, IDictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(errors);
        string? One(string name)
        {
            var given = values(name);
            if (given.Count > 1)
                errors[name] = [$"Give {name} once."];
            return given.Count == 0 || string.IsNullOrWhiteSpace(given[0]) ? null : given[0].Trim();
        }

        string? Text(string name)
        {
            var text = One(name);
            if (text is null)
                return null;
            if (text.Length > MaxTextLength)
                errors[name] = [$"{name} is longer than {MaxTextLength} characters."];
            else if (text.Any(char.IsControl))
                errors[name] = [$"{name} holds a control character."];
            return text;
        }

        var types = new List<string>();
        foreach (var given in values("type").SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var known = AccountEventTypes.All.FirstOrDefault(t => t.Equals(given, StringComparison.OrdinalIgnoreCase));
            if (known is null)
                errors["type"] = [$"'{Shown(given)}' is not an event type: use {string.Join(", ", AccountEventTypes.All)}."];
            else if (!types.Contains(known))
                types.Add(known);
        }

        var account = Text("account");
        if (account is not null && !AccountIds.IsValid(account))
            errors["account"] = [$"account must be an account id: 1–{AccountIds.MaxLength} letters, digits, '-' or '_'."];

        var recordedFrom = ExportRange.ParseEnd(One("recordedFrom"), "recordedFrom", endOfDay: false, errors);
        var recordedTo = ExportRange.ParseEnd(One("recordedTo"), "recordedTo", endOfDay: true, errors);
        if (recordedFrom > recordedTo)
            errors["recordedTo"] = ["recordedTo is before recordedFrom: the range is empty."];
        var effectiveFrom = ExportRange.ParseEnd(One("effectiveFrom"), "effectiveFrom", endOfDay: false, errors);
        var effectiveTo = ExportRange.ParseEnd(One("effectiveTo"), "effectiveTo", endOfDay: true, errors);
        if (effectiveFrom > effectiveTo)
            errors["effectiveTo"] = ["effectiveTo is before effectiveFrom: the range is empty."];

        var minAmount = Amount(One("minAmount"), "minAmount", errors);
        var maxAmount = Amount(One("maxAmount"), "maxAmount", errors);
        if (minAmount > maxAmount)
            errors["maxAmount"] = ["maxAmount is below minAmount: the range is empty."];

        var currency = One("currency")?.ToUpperInvariant();
        if (currency is not null && !Currencies.IsWellFormed(currency))
            errors["currency"] = ["currency must be a three-letter ISO 4217 code, e.g. EUR."];

        var flagged = One("flagged")?.ToUpperInvariant() switch
        {
            null or "FALSE" or "0" => false,
            "TRUE" or "1" => true,
            _ => Error(errors, "flagged", "flagged must be true or false."),
        };

        var text = Text("text");
        if (text is not null && EventQuery.Words(text) is var words)
        {
            if (words.Count == 0)
                errors["text"] = ["text holds no word: search the reasons for letters or digits."];
            else if (words.Count > MaxWords)
                errors["text"] = [$"text holds more than {MaxWords} words."];
        }

        var oldestFirst = One("order")?.ToUpperInvariant() switch
        {
            null or "DESC" => false,
            "ASC" => true,
            _ => Error(errors, "order", "order must be 'asc' (oldest first) or 'desc' (newest first)."),
        };

        var limit = 50;
        if (One("limit") is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > EventQuery.MaxLimit))
            errors["limit"] = [$"limit must be a whole number from 1 to {EventQuery.MaxLimit}."];

        EventKey? after = null;
        if (One("continuation") is { } continuation)
        {
            if (EventKey.TryParse(continuation, out var key))
                after = key;
            else
                errors["continuation"] = ["continuation is not one this search gave: pass the continuation of the previous page as it came."];
        }

        var query = new EventQuery
        {
            Actor = Text("actor"),
            Types = types,
            AccountId = account,
            Owner = Text("owner"),
            RecordedFrom = recordedFrom,
            RecordedTo = recordedTo,
            EffectiveFrom = effectiveFrom,
            EffectiveTo = effectiveTo,
            MinAmount = minAmount,
            MaxAmount = maxAmount,
            Currency = currency,
            Reference = Text("reference"),
            CorrelationId = Text("correlationId"),
            CausationId = Text("causationId"),
            Source = Text("source"),
            FlaggedOnly = flagged,
            Text = text,
            OldestFirst = oldestFirst,
            Limit = limit,
            After = after,
        };
        return errors.Count > 0 ? null : query;
    }

    /// <summary>The filters and order of <paramref name="query"/> as parameters (not its page: limit and continuation).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Format(EventQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var pairs = new List<KeyValuePair<string, string>>();
        void Add(string name, string? value)
        {
            if (value is not null)
                pairs.Add(new(name, value));
        }

        Add("actor", query.Actor);
        foreach (var type in query.Types)
            Add("type", type);
        Add("account", query.AccountId);
        Add("owner", query.Owner);
        Add("recordedFrom", Moment(query.RecordedFrom));
        Add("recordedTo", Moment(query.RecordedTo));
        Add("effectiveFrom", Moment(query.EffectiveFrom));
        Add("effectiveTo", Moment(query.EffectiveTo));
        Add("minAmount", query.MinAmount?.ToString(CultureInfo.InvariantCulture));
        Add("maxAmount", query.MaxAmount?.ToString(CultureInfo.InvariantCulture));
        Add("currency", query.Currency);
        Add("reference", query.Reference);
        Add("correlationId", query.CorrelationId);
        Add("causationId", query.CausationId);
        Add("source", query.Source);
        Add("flagged", query.FlaggedOnly ? "true" : null);
        Add("text", query.Text);
        Add("order", query.OldestFirst ? "asc" : null);
        return pairs;
    }

    /// <summary>The filters in words, one "name value" each (for the access log and an export's header); "every event" without one.</summary>
    public static string Describe(EventQuery query)
    {
        var filters = Format(query with { OldestFirst = false })
            .GroupBy(p => p.Key, p => p.Value)
            .Select(g => $"{g.Key}={string.Join(",", g)}")
            .ToList();
        return filters.Count == 0 ? "every event" : string.Join("; ", filters);
    }

    private static string? Moment(DateTimeOffset? moment) => moment is { } m ? ExportText.Time(m) : null;

    private static decimal? Amount(string? text, string name, IDictionary<string, string[]> errors)
    {
        if (text is null)
            return null;
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount) && amount <= MaxAmount)
            return amount;
        errors[name] = [$"{name} must be an amount of zero or more with '.' as the decimal point, e.g. 5000 or 12.50 (the size of a movement either way)."];
        return null;
    }

    private static bool Error(IDictionary<string, string[]> errors, string name, string message)
    {
        errors[name] = [message];
        return false;
    }

    private static string Shown(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
