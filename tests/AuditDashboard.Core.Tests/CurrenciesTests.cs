namespace AuditDashboard.Core.Tests;

public sealed class CurrenciesTests
{
    [Theory]
    [InlineData(1234.5, "EUR", "1,234.50 EUR")]
    [InlineData(1234, "JPY", "1,234 JPY")]
    [InlineData(-0.125, "KWD", "-0.125 KWD")]
    public void Format_UsesTheCurrencysMinorUnits(decimal amount, string currency, string expected)
    {
        Assert.Equal(expected, Currencies.Format(amount, currency));
    }

    [Theory]
    [InlineData("EUR", true)]
    [InlineData("eur", false)]
    [InlineData("EURO", false)]
    [InlineData(null, false)]
    public void IsWellFormed_WantsThreeUppercaseLetters(string? code, bool expected)
    {
        Assert.Equal(expected, Currencies.IsWellFormed(code));
    }
}
