using System.Text.Json;
using static AuditDashboard.Core.Tests.Events;

namespace AuditDashboard.Core.Tests;

public sealed class AccountEventCodecTests
{
    public static TheoryData<AccountEvent, string> EveryEvent => new()
    {
        { new AccountOpened("ACC-1", "Ana Lima", "EUR"), "AccountOpened" },
        { new FundsDeposited(12.34m, "EUR", "TRX-1"), "FundsDeposited" },
        { new FundsWithdrawn(0.01m, "EUR", null), "FundsWithdrawn" },
        { new AccountFrozen(), "AccountFrozen" },
        { new AccountUnfrozen(), "AccountUnfrozen" },
        { new AccountClosed(), "AccountClosed" },
        { new TransactionReversed(Guid.Parse("2b1f9a52-5f43-4c2f-9a57-3f0d5a1c7e11"), 4, -100.25m, "EUR", T0), "TransactionReversed" },
        { new BalanceCorrected(12.5m, "EUR", null, T0.AddHours(1)), "BalanceCorrected" },
    };

    [Theory]
    [MemberData(nameof(EveryEvent))]
    public void Encode_ThenDecode_RoundTripsEveryEventUnderItsStableWireName(AccountEvent accountEvent, string wireName)
    {
        var metadata = new EventMetadata("teller:ana", "Because", "corr", "cause", "tests");

        var data = AccountEventCodec.Encode(Guid.NewGuid(), accountEvent, metadata);
        var decoded = AccountEventCodec.Decode(new RecordedEvent("account-ACC-1", 0, 1, data.EventId, data.EventType, data.Data, data.Metadata, T0));

        Assert.Equal(wireName, data.EventType);
        Assert.Equal(accountEvent, decoded.Event);
        Assert.Equal(metadata, decoded.Metadata);
        Assert.Equal(EntryWarning.None, decoded.Warning);
    }

    [Fact]
    public void Encode_WritesCamelCaseJsonWithExactDecimals()
    {
        var data = AccountEventCodec.Encode(Guid.NewGuid(), new FundsDeposited(1234567.89m, "EUR", "TRX-1"), Meta());

        using var json = JsonDocument.Parse(data.Data);
        Assert.Equal(1234567.89m, json.RootElement.GetProperty("amount").GetDecimal());
        Assert.Equal("EUR", json.RootElement.GetProperty("currency").GetString());
        using var meta = JsonDocument.Parse(data.Metadata);
        Assert.Equal("teller:ana", meta.RootElement.GetProperty("actor").GetString());
        Assert.Equal("corr-1", meta.RootElement.GetProperty("correlationId").GetString());
    }

    [Fact]
    public void Decode_IgnoresFieldsAddedByOtherWriters()
    {
        var decoded = AccountEventCodec.Decode(Raw(1, "FundsDeposited", """{"amount":5,"currency":"EUR","channel":"sepa"}"""));

        Assert.Equal(new FundsDeposited(5m, "EUR", null), decoded.Event);
    }

    [Fact]
    public void Decode_InvalidUtf8_IsReportedNotThrown()
    {
        var bad = new RecordedEvent("account-ACC-1", 0, 1, Guid.NewGuid(), "FundsDeposited", new byte[] { 0xff, 0xfe, 0x7b }, Encoding.UTF8.GetBytes("{}"), T0);

        var decoded = AccountEventCodec.Decode(bad);

        Assert.Equal(EntryWarning.Unreadable, decoded.Warning);
    }

    [Fact]
    public void WireNames_AreTheDocumentedOnes()
    {
        Assert.Equal(
            ["AccountOpened", "FundsDeposited", "FundsWithdrawn", "AccountFrozen", "AccountUnfrozen", "AccountClosed", "TransactionReversed", "BalanceCorrected",
             "CorrectionProposed", "CorrectionApproved", "CorrectionRejected"],
            AccountEventTypes.All);
    }
}
