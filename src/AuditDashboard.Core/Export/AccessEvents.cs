namespace AuditDashboard.Core.Export;

/// <summary>The account-access events of the access log, beside the exports and sign-ins in the same stream and with the same codec.</summary>
public static class AccessEvents
{
    /// <summary>The event type: a stable wire name, whatever the record is called.</summary>
    public const string Type = "AccountDataAccessed";

    /// <summary><paramref name="access"/> as an event under <paramref name="eventId"/>.</summary>
    public static EventData Event(Guid eventId, AccessRecorded access)
    {
        ArgumentNullException.ThrowIfNull(access);
        var metadata = new EventMetadata(access.Who, Describe(access), eventId.ToString("D"), null, "audit-dashboard");
        return new EventData(
            eventId,
            Type,
            JsonSerializer.SerializeToUtf8Bytes(access, AccountEventCodec.JsonOptions),
            JsonSerializer.SerializeToUtf8Bytes(metadata, AccountEventCodec.JsonOptions));
    }

    /// <summary>The record of <paramref name="record"/> when it is an account-access event that parses; otherwise null.</summary>
    public static AccessRecorded? Decode(RecordedEvent record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.EventType != Type)
            return null;
        try
        {
            return JsonSerializer.Deserialize<AccessRecorded>(record.Data.Span, AccountEventCodec.JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>One line for people: what was looked at, how often.</summary>
    public static string Describe(AccessRecorded access)
    {
        ArgumentNullException.ThrowIfNull(access);
        var what = access.Action switch
        {
            AccessAction.AccountViewed => $"Viewed account {access.AccountId}",
            AccessAction.AccountRead => $"Read account {access.AccountId} over the API",
            _ => $"Searched events ({access.Filters})",
        };
        var times = access.Count == 1 ? "once" : $"{access.Count} times";
        return access.Outcome == AccessOutcome.Allowed ? $"{what}, {times}" : $"{what}, {times}: {access.Outcome}";
    }
}
