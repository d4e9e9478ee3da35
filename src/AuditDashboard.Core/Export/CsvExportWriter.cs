namespace AuditDashboard.Core.Export;

/// <summary>
/// RFC 4180 CSV in UTF-8 (with a byte-order mark, so spreadsheets read it as UTF-8): a header line of the column names,
/// then one record per row, every cell quoted (a quote inside doubled), CRLF line ends, formula-like cells neutralised
/// (<see cref="CsvCells"/>). Rows are formatted into a small buffer and written to the output asynchronously in chunks, so
/// the output may be a network stream that allows no synchronous writes. <see cref="CsvRecordReader"/> reads it back.
/// </summary>
public sealed class CsvExportWriter : ExportWriter
{
    private const int FlushAt = 32 * 1024;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: true);

    private readonly Stream _output;
    private readonly StringBuilder _text = new();
    private bool _headerWritten;
    private bool _recordStarted;

    public CsvExportWriter(Stream output)
    {
        _output = output;
    }

    public override async ValueTask WriteRowAsync(ExportRow row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (!_headerWritten)
        {
            await _output.WriteAsync(Utf8.Preamble.ToArray(), cancellationToken);
            foreach (var name in ExportColumns.All)
                AppendCell(name);
            EndRecord();
            _headerWritten = true;
        }

        foreach (var field in row.Fields)
            AppendCell(CsvCells.Neutralise(field));
        AppendCell(row.Hash);
        EndRecord();
        if (_text.Length >= FlushAt)
            await DrainAsync(cancellationToken);
    }

    public override async ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        await DrainAsync(cancellationToken);
        await _output.FlushAsync(cancellationToken);
    }

    private void AppendCell(string cell)
    {
        if (_recordStarted)
            _text.Append(',');
        _recordStarted = true;
        _text.Append('"').Append(cell.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }

    private void EndRecord()
    {
        _text.Append("\r\n");
        _recordStarted = false;
    }

    private async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        if (_text.Length == 0)
            return;
        await _output.WriteAsync(Encoding.UTF8.GetBytes(_text.ToString()), cancellationToken);
        _text.Clear();
    }
}
