namespace AuditDashboard.Core.Tests.Corrections;

public sealed class ApprovalCheckTests
{
    private static readonly ApprovalThresholds Thresholds = new(
        new Dictionary<string, decimal> { ["EUR"] = 10_000m }, otherwise: null, acrossAccounts: new Dictionary<string, decimal> { ["EUR"] = 25_000m });

    [Theory]
    [InlineData(10_000, 0, 0, ApprovalLimit.None)]
    [InlineData(-10_000.01, 0, 0, ApprovalLimit.OneCorrection)]
    [InlineData(5_000, 5_000, 5_000, ApprovalLimit.None)]
    [InlineData(-5_000.01, 5_000, 5_000, ApprovalLimit.Account)]
    [InlineData(5_000, 0, 20_000, ApprovalLimit.None)]
    [InlineData(5_000.01, 0, 20_000, ApprovalLimit.AcrossAccounts)]
    public void CheckApproval_AddsTheUsersEarlierCorrections_OnTheAccountAndAcrossAccounts(double amount, double onAccount, double across, ApprovalLimit expected)
    {
        var check = CorrectionRules.CheckApproval((decimal)amount, "EUR", new EarlierCorrections((decimal)onAccount, (decimal)across), Thresholds);

        Assert.Equal(expected, check.Limit);
        Assert.Equal(expected != ApprovalLimit.None, check.Explanation is not null);
    }

    [Fact]
    public void AcrossAccounts_DefaultsToFiveTimesTheThreshold_AndACurrencyWithoutThresholdNeverNeedsApproval()
    {
        var thresholds = new ApprovalThresholds(new Dictionary<string, decimal> { ["EUR"] = 10_000m }, otherwise: null);

        var usd = CorrectionRules.CheckApproval(1_000_000m, "USD", new EarlierCorrections(1_000_000m, 1_000_000m), thresholds);

        Assert.Equal(50_000m, thresholds.AcrossAccountsFor("EUR"));
        Assert.Null(thresholds.AcrossAccountsFor("USD"));
        Assert.Equal(ApprovalLimit.None, usd.Limit);
        Assert.Equal(TimeSpan.FromHours(24), thresholds.Window);
    }
}
