namespace AuditDashboard.Core.Tests.Export;

public sealed class CsvRecordReaderTests
{
    [Theory]
    [InlineData("a,b\r\nc\r\n", "[1] a|b / [2] c")]
    [InlineData("a,b\r\nc", "[1] a|b / [2] c")]
    [InlineData("\"a,b\",\"say \"\"hi\"\"\",\"\"\r\n", "[1] a,b|say \"hi\"|")]
    [InlineData("\"line\r\nbreak\",x\r\ny\r\n", "[1] line\r\nbreak|x / [2] y")]
    [InlineData("a\nb,c\rd\r\n", "[1] a\nb|c\rd")]
    [InlineData("a\r\n\r\n\r\nb\r\n", "[1] a / [4] b")]
    [InlineData(",\r\n", "[1] |")]
    [InlineData("", "")]
    public void Read_GivesEachRecordsFields_NumberedAsASpreadsheetNumbersRows(string text, string expected)
    {
        var reader = new CsvRecordReader(new StringReader(text));

        var records = new List<string>();
        while (reader.Read() is { } fields)
            records.Add($"[{reader.Record}] " + string.Join('|', fields));

        Assert.Equal(expected, string.Join(" / ", records));
    }

    [Theory]
    [InlineData("a\"b\r\n", 1)]
    [InlineData("ok\r\n\"a\" ,b\r\n", 2)]
    [InlineData("ok\r\n\"a\"\nb\r\n", 2)]
    [InlineData("ok\r\n\"multi\nline\r\nfield\",x\"\r\n", 4)]
    [InlineData("\"never closed", 1)]
    public void Read_OfTextThatIsNotCsv_ThrowsNamingTheLine(string text, long line)
    {
        var reader = new CsvRecordReader(new StringReader(text));

        var refused = Assert.Throws<CsvFormatException>(() =>
        {
            while (reader.Read() is not null)
            {
            }
        });

        Assert.Equal(line, refused.Line);
    }
}
