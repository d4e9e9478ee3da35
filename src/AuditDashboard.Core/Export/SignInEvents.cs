namespace AuditDashboard.Core.Export;

/// <summary>The sign-in events of the access log, beside the exports in the same stream and with the same codec.</summary>
public static class SignInEvents
{
    public const string SignedIn = "SignedIn";
    public const string SignInFailed = "SignInFailed";
    public const string SignInLockedOut = "SignInLockedOut";
    public const string SignedOut = "SignedOut";

    public static IReadOnlyList<string> Types { get; } = [SignedIn, SignInFailed, SignInLockedOut, SignedOut];

    public static async Task AppendAsync(IEventStore store, string eventType, SignInRecorded signIn, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(signIn);
        if (!Types.Contains(eventType))
            throw new ArgumentException($"'{eventType}' is not a sign-in event type.", nameof(eventType));

        var id = Guid.NewGuid();
        var metadata = new EventMetadata(signIn.UserName ?? "anonymous", Describe(eventType, signIn), id.ToString("D"), null, "audit-dashboard");
        var data = new EventData(
            id,
            eventType,
            JsonSerializer.SerializeToUtf8Bytes(signIn, AccountEventCodec.JsonOptions),
            JsonSerializer.SerializeToUtf8Bytes(metadata, AccountEventCodec.JsonOptions));
        await store.AppendAsync(AccessLog.StreamId, ExpectedRevision.Any, [data], cancellationToken);
    }

    /// <summary>The record of <paramref name="record"/> when it is a sign-in event that parses; otherwise null.</summary>
    public static SignInRecorded? Decode(RecordedEvent record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!Types.Contains(record.EventType))
            return null;
        try
        {
            return JsonSerializer.Deserialize<SignInRecorded>(record.Data.Span, AccountEventCodec.JsonOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>One line for people: what happened, to whom, from where.</summary>
    public static string Describe(string eventType, SignInRecorded signIn)
    {
        ArgumentNullException.ThrowIfNull(signIn);
        var how = signIn.Method switch
        {
            "api-key" => "with an API key",
            "single-sign-on" => "with single sign-on",
            _ => "with a password",
        };
        var from = string.IsNullOrEmpty(signIn.ClientAddress) ? "" : $" from {signIn.ClientAddress}";
        return eventType switch
        {
            SignedIn => $"Signed in {how}{from}",
            SignedOut => $"Signed out{from}",
            SignInLockedOut => $"User name locked out until {signIn.LockedUntil:u} after repeated failed sign-ins{from}",
            _ => $"Sign-in {how} refused{from}: {signIn.Problem ?? "not valid"}",
        };
    }
}
