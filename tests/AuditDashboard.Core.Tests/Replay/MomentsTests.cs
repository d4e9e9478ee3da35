namespace AuditDashboard.Core.Tests.Replay;

public sealed class MomentsTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Theory]
    [InlineData("2026-11-24T15:00Z", "2026-11-24T15:00:00+00:00")]
    [InlineData("2026-11-24T15:00:30Z", "2026-11-24T15:00:30+00:00")]
    [InlineData("2026-11-24T15:00:30.1234567Z", "2026-11-24T15:00:30.1234567+00:00")]
    [InlineData("2026-11-24T15:00+01:00", "2026-11-24T14:00:00+00:00")]
    [InlineData("2026-11-24T10:00:00-05:00", "2026-11-24T15:00:00+00:00")]
    [InlineData("  2026-11-24T15:00:00+05:30  ", "2026-11-24T09:30:00+00:00")]
    public void TryParse_WithAnOffset_IsExactWhateverTheZone(string text, string utc)
    {
        var expected = DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture);

        Assert.True(Moments.TryParse(text, Paris, out var inParis, out var error), error);
        Assert.True(Moments.TryParse(text, zone: null, out var withoutZone, out _));

        Assert.Equal(expected, inParis);
        Assert.Equal(TimeSpan.Zero, inParis.Offset);
        Assert.Equal(expected, withoutZone);
    }

    [Theory]
    [InlineData("today 9:30", "2026-11-24T08:30:00Z")] // it is 2026-11-24 00:30 in Paris, 23:30 UTC the day before
    [InlineData("Today 15:00", "2026-11-24T14:00:00Z")]
    [InlineData("yesterday 15:00", "2026-11-23T14:00:00Z")]
    [InlineData("yesterday 23:59:59", "2026-11-23T22:59:59Z")]
    [InlineData("2026-11-24 9:30", "2026-11-24T08:30:00Z")]
    [InlineData("2026-11-24 15:00", "2026-11-24T14:00:00Z")]
    public void TryParse_ADayInWords_OrAnHourOfOneDigit_IsThatWallClockTimeInTheZone(string text, string utc)
    {
        var now = new DateTimeOffset(2026, 11, 23, 23, 30, 0, TimeSpan.Zero);

        Assert.True(Moments.TryParse(text, Paris, now, out var moment, out var error), error);

        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), moment);
    }

    [Fact]
    public void TryParse_ADayInWords_WithoutAClock_IsNotADate_AndTheMessageShowsBothForms()
    {
        Assert.False(Moments.TryParse("today 9:30", Paris, out _, out var error));
        Assert.Contains("2026-11-24 15:00 or 2026-11-24T15:00", error, StringComparison.Ordinal);
        Assert.False(Moments.TryParse("someday 9:30", Paris, DateTimeOffset.UnixEpoch, out _, out error));
        Assert.Contains("or today 9:30", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-11-24T15:00", "Europe/Paris", "2026-11-24T14:00:00Z")]
    [InlineData("2026-07-14T15:00", "Europe/Paris", "2026-07-14T13:00:00Z")]
    [InlineData("2026-11-24 15:00:30", "Europe/Paris", "2026-11-24T14:00:30Z")]
    [InlineData("2026-11-24", "Europe/Paris", "2026-11-23T23:00:00Z")]
    [InlineData("2026-11-24T15:00", "America/New_York", "2026-11-24T20:00:00Z")]
    [InlineData("2026-07-04T15:00", "America/New_York", "2026-07-04T19:00:00Z")]
    public void TryParse_WithoutAnOffset_IsTheWallClockTimeInTheZone(string text, string zoneId, string utc)
    {
        var zone = zoneId == NewYork.Id ? NewYork : Paris;

        Assert.True(Moments.TryParse(text, zone, out var moment, out var error), error);

        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), moment);
        Assert.Equal(string.Empty, error);
    }

    [Fact]
    public void TryParse_InTheHourSkippedWhenTheClocksJumpForward_IsRefusedWithAMessage()
    {
        var ok = Moments.TryParse("2026-03-29T02:30", Paris, out var moment, out var error);

        Assert.False(ok);
        Assert.Equal(default, moment);
        Assert.Contains("2026-03-29T02:30", error, StringComparison.Ordinal);
        Assert.Contains("does not exist in Europe/Paris", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_InTheSkippedHourInNewYork_IsRefused()
    {
        Assert.False(Moments.TryParse("2026-03-08T02:30", NewYork, out _, out var error));

        Assert.Contains("America/New_York", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_InTheHourRepeatedWhenTheClocksGoBack_IsRefused_ListingBothOffsets()
    {
        var ok = Moments.TryParse("2026-10-25T02:30", Paris, out _, out var error);

        Assert.False(ok);
        Assert.Contains("happened twice in Europe/Paris", error, StringComparison.Ordinal);
        Assert.Contains("2026-10-25T02:30+01:00", error, StringComparison.Ordinal);
        Assert.Contains("2026-10-25T02:30+02:00", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-10-25T02:30+02:00", "2026-10-25T00:30:00Z")]
    [InlineData("2026-10-25T02:30+01:00", "2026-10-25T01:30:00Z")]
    public void TryParse_InTheRepeatedHourWithAnOffset_IsThatOneOfTheTwo(string text, string utc)
    {
        Assert.True(Moments.TryParse(text, Paris, out var moment, out var error), error);

        Assert.Equal(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), moment);
    }

    [Fact]
    public void TryParse_JustAroundTheChanges_IsAccepted()
    {
        Assert.True(Moments.TryParse("2026-03-29T01:59:59", Paris, out var beforeJump, out _));
        Assert.True(Moments.TryParse("2026-03-29T03:00", Paris, out var afterJump, out _));
        Assert.True(Moments.TryParse("2026-10-25T03:00", Paris, out var afterRepeat, out _));

        Assert.Equal(new DateTimeOffset(2026, 3, 29, 0, 59, 59, TimeSpan.Zero), beforeJump);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), afterJump);
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 2, 0, 0, TimeSpan.Zero), afterRepeat);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("2026-13-01T10:00")]
    [InlineData("2026-02-30T10:00Z")]
    [InlineData("24/11/2026 15:00")]
    [InlineData("2026-11-24T25:00")]
    [InlineData("1732460400")]
    public void TryParse_Unparsable_IsRefusedShowingTheExpectedForm(string text)
    {
        var ok = Moments.TryParse(text, Paris, out _, out var error);

        Assert.False(ok);
        Assert.Contains("is not a date and time", error, StringComparison.Ordinal);
        Assert.Contains("2026-11-24T15:00", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_AVeryLongText_IsShortenedInTheMessage()
    {
        Assert.False(Moments.TryParse(new string('x', 5_000), Paris, out _, out var error));

        Assert.True(error.Length < 300, error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void TryParse_Nothing_AsksForADateAndTime(string? text)
    {
        Assert.False(Moments.TryParse(text, Paris, out _, out var error));

        Assert.StartsWith("Enter a date and time", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WithoutAnOffsetAndWithoutAZone_IsRefused_AskingForAnOffset()
    {
        var ok = Moments.TryParse("2026-11-24T15:00", zone: null, out _, out var error);

        Assert.False(ok);
        Assert.Contains("has no UTC offset", error, StringComparison.Ordinal);
        Assert.Contains("2026-11-24T15:00Z", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0001-01-01", "Europe/Paris")]
    [InlineData("0001-01-01T00:00", "Europe/Paris")]
    [InlineData("9999-12-31T23:59", "America/New_York")]
    public void AMomentAtTheEdgeOfTheCalendar_IsRefusedWithAMessage_NotAnException(string text, string zone)
    {
        var parsed = Moments.TryParse(text, TimeZoneInfo.FindSystemTimeZoneById(zone), out _, out var error);

        Assert.False(parsed);
        Assert.Contains("outside the range", error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOffsetWhosePlusWasDecodedToASpace_IsExplained()
    {
        var parsed = Moments.TryParse("2026-11-24T15:00 01:00", zone: null, out _, out var error);

        Assert.False(parsed);
        Assert.Contains("%2B", error, StringComparison.Ordinal);
    }
}
