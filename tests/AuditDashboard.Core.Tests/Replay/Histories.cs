using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace AuditDashboard.Core.Tests.Replay;

/// <summary>
/// Random account histories for FsCheck: mostly an opening and money moving, with corrections taking effect earlier or
/// later than recorded, freezes, closes, a second opening,
/// deposits in the wrong currency, events of a type the dashboard does not know, data that does not parse and
/// metadata that does not parse, recorded at increasing or equal times.
/// </summary>
public static class Histories
{
    private const string Readable = """{"actor":"teller:ana","reason":"Test","correlationId":"corr-1","source":"tests"}""";

    private static readonly Gen<decimal> Amount = Gen.Choose(1, 500_000).Select(cents => cents / 100m);

    private static readonly Gen<string> Currency = Gen.Frequency((9, Gen.Constant("EUR")), (1, Gen.Constant("CHF")));

    private static readonly Gen<int> Gap = Gen.Frequency((3, Gen.Constant(0)), (7, Gen.Choose(1, 90)));

    private static readonly Gen<(string Type, string Data, string Metadata)> Opened =
        from owner in Gen.Elements("Ana Lima", "Bruno Keller", "Chloé Dubois")
        from currency in Currency
        select Known(new AccountOpened(History.Account, owner, currency));

    // A correction takes effect at a whole minute from a little before the history to well after its usual end, so it
    // moves back or forward, or stays (its time equal to when it was recorded), and may tie with other events' times.
    private static readonly Gen<(string Type, string Data, string Metadata)> Correction =
        from amount in Amount
        from sign in Gen.Elements(1m, -1m)
        from currency in Currency
        from minutes in Gen.Choose(-30, 2_500)
        from reversal in Gen.Elements(true, false)
        let effective = History.Start.AddMinutes(minutes)
        select Known(reversal
            ? new TransactionReversed(Guid.NewGuid(), 0, sign * amount, currency, effective)
            : new BalanceCorrected(sign * amount, currency, null, effective));

    private static readonly Gen<(string Type, string Data, string Metadata)> Event = Gen.Frequency(
        (2, Opened),
        (3, Correction),
        (10, from amount in Amount from currency in Currency select Known(new FundsDeposited(amount, currency, "TRX"))),
        (8, from amount in Amount from currency in Currency select Known(new FundsWithdrawn(amount, currency, null))),
        (1, Gen.Constant(Known(new AccountFrozen()))),
        (1, Gen.Constant(Known(new AccountUnfrozen()))),
        (1, Gen.Constant(Known(new AccountClosed()))),
        (1, Gen.Constant(("LoyaltyPointsGranted", """{"points":40}""", Readable))),
        (1, Gen.Elements(
            (AccountEventTypes.FundsDeposited, """{"amount":"12.5","currency":"EUR"}""", Readable),
            (AccountEventTypes.FundsDeposited, """{"amount":-5,"currency":"EUR"}""", Readable),
            (AccountEventTypes.FundsWithdrawn, """{"amount":5,"currency":"euro"}""", Readable),
            (AccountEventTypes.FundsWithdrawn, """{"amount":7,"currency":"EUR" """, Readable),
            (AccountEventTypes.AccountOpened, """{"accountId":"ACC-1","owner":" ","currency":"EUR"}""", Readable),
            (AccountEventTypes.AccountFrozen, "null", Readable))),
        (1, from amount in Amount select (AccountEventTypes.FundsDeposited, $$"""{"amount":{{amount.ToString(CultureInfo.InvariantCulture)}},"currency":"EUR"}""", "{oops")));

    private static readonly Gen<HistoryStep> Step =
        from e in Event
        from gap in Gap
        select new HistoryStep(e.Type, e.Data, e.Metadata, gap);

    /// <summary>Most histories start with an opening; the rest show what happens to events before one.</summary>
    private static readonly Gen<History> AnyHistory =
        from first in Gen.Frequency((9, Opened.Select(o => new HistoryStep(o.Type, o.Data, o.Metadata, 0))), (1, Step))
        from rest in Gen.ListOf(Step)
        select new History([first, .. rest]);

    public static Arbitrary<History> Any() => Arb.From(AnyHistory, Shrink);

    /// <summary>Shrinks by leaving one step out: a counter-example ends as short as it can be.</summary>
    private static IEnumerable<History> Shrink(History history)
    {
        for (var i = history.Steps.Count - 1; i >= 0; i--)
            yield return new History([.. history.Steps.Take(i), .. history.Steps.Skip(i + 1)]);
    }

    private static (string Type, string Data, string Metadata) Known(AccountEvent e)
    {
        var data = AccountEventCodec.Encode(Guid.Empty, e, new EventMetadata("teller:ana", "Test", "corr-1", null, "tests"));
        return (data.EventType, Encoding.UTF8.GetString(data.Data.Span), Encoding.UTF8.GetString(data.Metadata.Span));
    }
}
