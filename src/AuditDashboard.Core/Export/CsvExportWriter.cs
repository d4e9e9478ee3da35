using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace AuditDashboard.Export;

/// <summary>
/// RFC 4180 CSV in UTF-8 (with a byte-order mark, so spreadsheets read it as UTF-8): a header line of the column names,
/// then one record per row, every cell quoted, CRLF line ends, formula-like cells neutralised (<see cref="CsvCells"/>).
/// </summary>
public sealed class CsvExportWriter : ExportWriter
{
    internal static readonly CsvConfiguration Configuration = new(CultureInfo.InvariantCulture)
    {
        NewLine = "\r\n",
        ShouldQuote = _ => true,
        InjectionOptions = InjectionOptions.None,
    };

    private readonly StreamWriter _text;
    private readonly CsvWriter _csv;
    private bool _headerWritten;

    public CsvExportWriter(Stream output)
    {
        _text = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 64 * 1024, leaveOpen: true);
        _csv = new CsvWriter(_text, Configuration, leaveOpen: true);
    }

    public override async ValueTask WriteRowAsync(ExportRow row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (!_headerWritten)
        {
            foreach (var name in ExportColumns.All)
                _csv.WriteField(name);
            await _csv.NextRecordAsync();
            _headerWritten = true;
        }

        foreach (var field in row.Fields)
            _csv.WriteField(CsvCells.Neutralise(field));
        _csv.WriteField(row.Hash);
        await _csv.NextRecordAsync();
    }

    public override async ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        await _csv.FlushAsync();
        await _text.FlushAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        await _csv.DisposeAsync();
        await _text.DisposeAsync();
        await base.DisposeAsync();
    }
}
