using System.Text.Json.Serialization;

namespace AuditDashboard.Core.Accounts;

/// <summary>Turns account events into store events and back, with System.Text.Json (camelCase, strict numbers).</summary>
public static class AccountEventCodec
{
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        // Amounts written as strings by another writer are a defect worth flagging, not guessing at.
        NumberHandling = JsonNumberHandling.Strict,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static EventData Encode(Guid eventId, AccountEvent accountEvent, EventMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(accountEvent);
        var data = JsonSerializer.SerializeToUtf8Bytes(accountEvent, accountEvent.GetType(), JsonOptions);
        var meta = JsonSerializer.SerializeToUtf8Bytes(metadata, JsonOptions);
        return new EventData(eventId, AccountEventTypes.NameOf(accountEvent), data, meta);
    }

    /// <summary>Decodes a stored event; never throws on bad content, it reports it instead.</summary>
    public static DecodedEvent Decode(RecordedEvent record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var metadata = DecodeMetadata(record.Metadata);

        if (!AccountEventTypes.TryGetType(record.EventType, out var type))
            return new DecodedEvent(null, metadata, EntryWarning.UnknownType, $"Unknown event type '{record.EventType}'.");

        AccountEvent? accountEvent;
        try
        {
            accountEvent = (AccountEvent?)JsonSerializer.Deserialize(record.Data.Span, type, JsonOptions);
        }
        catch (JsonException ex)
        {
            return new DecodedEvent(null, metadata, EntryWarning.Unreadable, $"The event's data does not parse: {ex.Message}");
        }

        if (accountEvent is null)
            return new DecodedEvent(null, metadata, EntryWarning.Unreadable, "The event's data is null.");

        if (Validate(accountEvent) is { } problem)
            return new DecodedEvent(null, metadata, EntryWarning.Unreadable, problem);

        return metadata is null
            ? new DecodedEvent(accountEvent, null, EntryWarning.MetadataUnreadable, "The event's metadata does not parse.")
            : new DecodedEvent(accountEvent, metadata, EntryWarning.None, null);
    }

    private static EventMetadata? DecodeMetadata(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var metadata = JsonSerializer.Deserialize<EventMetadata>(bytes.Span, JsonOptions);
            return metadata is { Actor: not null, Reason: not null } ? metadata : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Validate(AccountEvent accountEvent) => accountEvent switch
    {
        AccountOpened o when string.IsNullOrWhiteSpace(o.Owner) => "AccountOpened has no owner.",
        AccountOpened o when !Currencies.IsWellFormed(o.Currency) => $"AccountOpened has an invalid currency '{o.Currency}'.",
        FundsDeposited d => ValidateMoney(d.Amount, d.Currency),
        FundsWithdrawn w => ValidateMoney(w.Amount, w.Currency),
        TransactionReversed r when r.Amount == 0 => "A reversal that changes nothing is not a reversal.",
        TransactionReversed r => ValidateMoney(Math.Abs(r.Amount), r.Currency),
        BalanceCorrected c when c.Amount == 0 => "A correction of zero changes nothing.",
        BalanceCorrected c => ValidateMoney(Math.Abs(c.Amount), c.Currency),
        CorrectionProposed p when p.Correction is not (AccountEventTypes.TransactionReversed or AccountEventTypes.BalanceCorrected) =>
            $"A proposal must be for a {AccountEventTypes.TransactionReversed} or a {AccountEventTypes.BalanceCorrected}, not '{p.Correction}'.",
        CorrectionProposed p when p.Correction == AccountEventTypes.TransactionReversed && p.EventId is null => "A proposed reversal names no event.",
        CorrectionProposed p when p.Amount == 0 => "A proposal of zero changes nothing.",
        CorrectionProposed p => ValidateMoney(Math.Abs(p.Amount), p.Currency),
        CorrectionApproved a when a.ProposalId == Guid.Empty => "The approval names no proposal.",
        CorrectionRejected r when r.ProposalId == Guid.Empty => "The rejection names no proposal.",
        _ => null,
    };

    private static string? ValidateMoney(decimal amount, string? currency) =>
        amount <= 0 ? $"The amount {amount} is not positive."
        : !Currencies.IsWellFormed(currency) ? $"The currency '{currency}' is not an ISO 4217 code."
        : null;
}
