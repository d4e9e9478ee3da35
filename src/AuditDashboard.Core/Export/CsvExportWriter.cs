using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace AuditDashboard.Export;

/// <summary>
/// RFC 4180 CSV in UTF-8 (with a byte-order mark, so spreadsheets read it as UTF-8): a header line of the column names,
/// then one record per row, every cell quoted, CRLF line ends, formula-like cells neutralised (<see cref="CsvCells"/>).
/// Rows are formatted into a small buffer and written to the output asynchronously in chunks, so the output may be a
/// network stream that allows no synchronous writes.
/// </summary>
public sealed class CsvExportWriter : ExportWriter
{
    internal static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        NewLine = "\r\n",
        ShouldQuote = _ => true,
        InjectionOptions = InjectionOptions.None,
    };

    private const int FlushAt = 32 * 1024;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: true);

    private readonly Stream _output;
    private readonly StringWriter _text = new(CultureInfo.InvariantCulture);
    private readonly CsvWriter _csv;
    private bool _headerWritten;

    public CsvExportWriter(Stream output)
    {
        _output = output;
        _csv = new CsvWriter(_text, Configuration, leaveOpen: true);
    }

    public override async ValueTask WriteRowAsync(ExportRow row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (!_headerWritten)
        {
            await _output.WriteAsync(Utf8.Preamble.ToArray(), cancellationToken);
            foreach (var name in ExportColumns.All)
                _csv.WriteField(name);
            _csv.NextRecord();
            _headerWritten = true;
        }

        foreach (var field in row.Fields)
            _csv.WriteField(CsvCells.Neutralise(field));
        _csv.WriteField(row.Hash);
        _csv.NextRecord();
        _csv.Flush();
        if (_text.GetStringBuilder().Length >= FlushAt)
            await DrainAsync(cancellationToken);
    }

    public override async ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        _csv.Flush();
        await DrainAsync(cancellationToken);
        await _output.FlushAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        await _csv.DisposeAsync();
        await _text.DisposeAsync();
        await base.DisposeAsync();
    }

    private async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        var buffer = _text.GetStringBuilder();
        if (buffer.Length == 0)
            return;
        await _output.WriteAsync(Encoding.UTF8.GetBytes(buffer.ToString()), cancellationToken);
        buffer.Clear();
    }
}
