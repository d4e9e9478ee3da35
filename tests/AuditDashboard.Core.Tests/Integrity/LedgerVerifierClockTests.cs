using AuditDashboard.Core.Integrity;


namespace AuditDashboard.Core.Tests.Integrity;

public sealed class LedgerVerifierClockTests
{
    [Fact]
    public async Task CheckAsync_MeasuresTheTimeItTookOnItsClock()
    {
        var verifier = new LedgerVerifier(new StoreThatFailsOnce(), new SteppingClock(TimeSpan.FromSeconds(3)));

        var result = await verifier.CheckAsync(new LedgerCheckRequest([], []), null, TestContext.Current.CancellationToken);

        Assert.Null(result.Violation);
        Assert.Equal(TimeSpan.FromSeconds(3), result.Elapsed);
    }

    /// <summary>A clock whose timestamp moves on by <paramref name="step"/> each time it is read.</summary>
    private sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, step.Ticks);
    }
}
