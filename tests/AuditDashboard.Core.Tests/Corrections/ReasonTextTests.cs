namespace AuditDashboard.Core.Tests.Corrections;

public sealed class ReasonTextTests
{
    private const string Missing = "Give the reason.";

    [Theory]
    [InlineData("Duplicate deposit", 16)]
    [InlineData("\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B\u200B", 0)]
    [InlineData("e\u0301te\u0301", 3)]
    [InlineData("👩‍💻 ok", 3)]
    [InlineData("a\u200Db\u2060c\u200Ed", 4)]
    [InlineData("tab\tand\nline", 10)]
    public void VisibleLength_CountsGraphemeClusters_ButNotWhitespaceOrFormatCharacters(string text, int expected)
    {
        var visible = ReasonText.VisibleLength(text);

        Assert.Equal(expected, visible);
    }

    [Theory]
    [InlineData("Fee charged twice by the gateway")]
    [InlineData("Fee charged twice:\n\t- TRX-1\r\n\t- TRX-2")]
    [InlineData("عكس الإيداع المكرر من البوابة")]
    [InlineData("Doppelt gebucht \u200E(LRM)")]
    public void Problem_OfAPlainOrMultiLineReason_IsNone(string reason)
    {
        var problem = ReasonText.Problem(reason, required: true, Missing);

        Assert.Null(problem);
    }

    [Theory]
    [InlineData("\u202A", "a left-to-right embedding (U+202A)")]
    [InlineData("\u202B", "a right-to-left embedding (U+202B)")]
    [InlineData("\u202C", "a pop directional formatting (U+202C)")]
    [InlineData("\u202D", "a left-to-right override (U+202D)")]
    [InlineData("\u202E", "a right-to-left override (U+202E)")]
    [InlineData("\u2066", "a left-to-right isolate (U+2066)")]
    [InlineData("\u2067", "a right-to-left isolate (U+2067)")]
    [InlineData("\u2068", "a first strong isolate (U+2068)")]
    [InlineData("\u2069", "a pop directional isolate (U+2069)")]
    [InlineData("\0", "a null character (U+0000)")]
    [InlineData("\u0007", "a control character (U+0007)")]
    [InlineData("\u0085", "a control character (U+0085)")]
    [InlineData("\r", "a carriage return without a line feed (U+000D)")]
    public void Problem_OfAReasonThatHidesOrReordersText_NamesTheCharacterAndItsPosition(string character, string named)
    {
        var problem = ReasonText.Problem("Fee é" + character + " charged twice", required: false, Missing);

        Assert.Equal($"The reason contains {named} at position 6; remove it.", problem);
    }

    [Fact]
    public void Problem_OfAReasonWithAnUnpairedSurrogate_NamesIt()
    {
        // Built at run time: attribute data cannot carry a lone surrogate.
        var reason = "Fee é" + (char)0xD800 + " charged twice";

        var problem = ReasonText.Problem(reason, required: false, Missing);

        Assert.Equal("The reason contains an unpaired surrogate (not a character) (U+D800) at position 6; remove it.", problem);
    }

    [Theory]
    [InlineData(null, true, Missing)]
    [InlineData("  \t ", true, Missing)]
    [InlineData(null, false, null)]
    [InlineData("ok", false, null)]
    [InlineData("ok", true, "The reason must be at least 10 characters; it has 2.")]
    [InlineData("a b c d e f g h i", true, "The reason must be at least 10 characters; it has 9 (spaces and invisible characters such as zero-width spaces do not count).")]
    public void Problem_RequiresTenVisibleCharacters_OnlyWhenTheReasonIsRequired(string? reason, bool required, string? expected)
    {
        var problem = ReasonText.Problem(reason, required, Missing);

        Assert.Equal(expected, problem);
    }
}
