using Bogus;

namespace AuditDashboard.Seeding;

/// <summary>
/// Realistic account histories: opening, salaries, card payments, transfers, the odd freeze, closures, and now and
/// then a deposit recorded twice by a retrying gateway — the kind of mistake a correction later fixes.
/// </summary>
internal sealed class HistoryGenerator(int seed)
{
    private static readonly string[] CurrencyPool = ["EUR", "EUR", "EUR", "EUR", "USD", "USD", "GBP", "GBP", "CHF", "JPY"];

    private readonly Faker _faker = new("en") { Random = new Randomizer(seed) };

    /// <summary>
    /// <paramref name="eventCount"/> events of one account (at least one: the opening), spread between
    /// <paramref name="start"/> and <paramref name="end"/> in increasing time.
    /// </summary>
    public IEnumerable<PlannedEvent> Account(string accountId, int eventCount, DateTimeOffset start, DateTimeOffset end, bool recordOneDepositTwice)
    {
        var f = _faker;
        var currency = f.PickRandom(CurrencyPool);
        var scale = currency == "JPY" ? 150m : 1m;
        var owner = f.Random.Bool(0.8f) ? f.Name.FullName() : f.Company.CompanyName();
        var span = (end - start).Ticks;
        var times = new Queue<DateTimeOffset>(Enumerable.Range(0, eventCount)
            .Select(_ => start.AddTicks((long)(f.Random.Double() * span)))
            .Order());
        var at = start;
        var balance = 0m;
        var status = AccountStatus.Open;
        var duplicateDone = !recordOneDepositTwice;
        var closeAtEnd = eventCount >= 8 && f.Random.Bool(0.06f);

        // Times only move forward within an account: revision order and recorded order must agree.
        DateTimeOffset Next()
        {
            if (times.TryDequeue(out var next) && next > at)
                at = next;
            return at;
        }

        Next();
        yield return new PlannedEvent(accountId, new AccountOpened(accountId, owner, currency),
            Meta(f.PickRandom("system:onboarding", "teller:" + Person()), "New customer onboarding", f.PickRandom("onboarding-service", "branch-teller")), at);

        for (var i = 1; i < eventCount; i++)
        {
            var remaining = eventCount - i;
            if (closeAtEnd && remaining <= 2)
            {
                if (remaining == 2 && balance > 0)
                {
                    yield return new PlannedEvent(accountId, new FundsWithdrawn(balance, currency, Reference()),
                        Meta("teller:" + Person(), "Closing balance paid out to the customer", "branch-teller"), Next());
                    balance = 0;
                    continue;
                }

                if (remaining == 1)
                {
                    yield return new PlannedEvent(accountId, new AccountClosed(), Meta("teller:" + Person(), "Closed at the customer's request", "branch-teller"), Next());
                    yield break;
                }
            }

            if (status == AccountStatus.Frozen)
            {
                status = AccountStatus.Open;
                yield return new PlannedEvent(accountId, new AccountUnfrozen(),
                    Meta("analyst:" + Person(), f.PickRandom("Customer identity verified by phone", "Fraud alert cleared: transactions confirmed by the customer"), "fraud-monitor"), Next());
                continue;
            }

            if (f.Random.Bool(0.02f))
            {
                status = AccountStatus.Frozen;
                yield return new PlannedEvent(accountId, new AccountFrozen(),
                    Meta("analyst:" + Person(), f.PickRandom("Unusual card activity abroad", "Suspected account takeover reported by fraud monitoring", "Court order received"), "fraud-monitor"), Next());
                continue;
            }

            var withdraw = balance > 50m * scale && f.Random.Bool(0.55f);
            if (withdraw)
            {
                var amount = Round(Math.Min(balance, f.Random.Decimal(5m, 900m) * scale), currency);
                balance -= amount;
                var (reason, source) = f.Random.Int(0, 3) switch
                {
                    0 => ($"Card payment at {f.Company.CompanyName()}", "card-processor"),
                    1 => ($"ATM withdrawal in {f.Address.City()}", "atm-network"),
                    2 => ("Standing order: rent", "payments-gateway"),
                    _ => ($"Transfer to {f.Name.FullName()}", "mobile-app"),
                };
                yield return new PlannedEvent(accountId, new FundsWithdrawn(amount, currency, Reference()),
                    Meta(source == "mobile-app" ? "customer:" + accountId : "system:" + source, reason, source), Next());
            }
            else
            {
                var salary = f.Random.Bool(0.25f);
                var amount = Round((salary ? f.Random.Decimal(1500m, 6000m) : f.Random.Decimal(10m, 2500m)) * scale, currency);
                balance += amount;
                var (reason, source, actor) = salary
                    ? ($"Salary from {f.Company.CompanyName()}", "payments-gateway", "system:payments-gateway")
                    : f.Random.Int(0, 2) switch
                    {
                        0 => ($"Incoming transfer from {f.Name.FullName()}", "payments-gateway", "system:payments-gateway"),
                        1 => ($"Cash deposit at the {f.Address.City()} branch", "branch-teller", "teller:" + Person()),
                        _ => ($"Refund from {f.Company.CompanyName()}", "card-processor", "system:card-processor"),
                    };
                var deposit = new FundsDeposited(amount, currency, Reference());
                var meta = Meta(actor, reason, source);
                yield return new PlannedEvent(accountId, deposit, meta, Next());

                if (!duplicateDone && source == "payments-gateway" && i < eventCount - 2 && f.Random.Bool(0.5f))
                {
                    // The gateway timed out and retried: same transfer, same correlation, a new event. Nothing flags it.
                    duplicateDone = true;
                    balance += amount;
                    i++;
                    at = at.AddSeconds(f.Random.Int(2, 40));
                    times.TryDequeue(out _);
                    yield return new PlannedEvent(accountId, deposit, meta with { CausationId = meta.CorrelationId }, at);
                }
            }
        }
    }

    private EventMetadata Meta(string actor, string reason, string source) =>
        new(actor, reason, _faker.Random.Guid().ToString("N"), null, source);

    private string Person() => $"{_faker.Name.FirstName()}.{_faker.Name.LastName()}".ToLowerInvariant().Replace(' ', '-').Replace('\'', '-');

    private string Reference() => "TRX-" + _faker.Random.AlphaNumeric(10).ToUpperInvariant();

    private static decimal Round(decimal amount, string currency) =>
        Math.Max(Math.Round(amount, Currencies.MinorUnits(currency), MidpointRounding.ToEven), currency == "JPY" ? 1m : 0.01m);
}
