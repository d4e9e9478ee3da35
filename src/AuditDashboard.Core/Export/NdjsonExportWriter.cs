using System.Buffers;
using System.Text.Encodings.Web;

namespace AuditDashboard.Core.Export;

/// <summary>
/// NDJSON: one JSON object a line (LF), keys in column order. <c>row</c>, <c>global_position</c> and
/// <c>stream_revision</c> are numbers, an empty field is null, everything else a string (amounts too, so no precision is
/// lost; <c>data</c> holds the event's JSON as text, exactly as stored).
/// </summary>
public sealed class NdjsonExportWriter : ExportWriter
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };
    private static readonly byte[] NewLine = [(byte)'\n'];

    private const int FlushAt = 64 * 1024;

    private readonly Stream _output;
    private readonly ArrayBufferWriter<byte> _buffer = new(FlushAt * 2);
    private readonly Utf8JsonWriter _json;

    public NdjsonExportWriter(Stream output)
    {
        _output = output;
        _json = new Utf8JsonWriter(_buffer, Options);
    }

    public override async ValueTask WriteRowAsync(ExportRow row, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(row);
        _json.Reset();
        _json.WriteStartObject();
        for (var i = 0; i < row.Fields.Count; i++)
        {
            var name = ExportColumns.Fields[i];
            var value = row.Fields[i];
            if (value.Length == 0)
                _json.WriteNull(name);
            else if (ExportColumns.IsWholeNumber(i))
                _json.WriteNumber(name, long.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
            else
                _json.WriteString(name, value);
        }

        _json.WriteString(ExportColumns.Hash, row.Hash);
        _json.WriteEndObject();
        _json.Flush();
        _buffer.Write(NewLine);
        if (_buffer.WrittenCount >= FlushAt)
            await DrainAsync(cancellationToken);
    }

    public override async ValueTask CompleteAsync(CancellationToken cancellationToken = default)
    {
        await DrainAsync(cancellationToken);
        await _output.FlushAsync(cancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync();
        await base.DisposeAsync();
    }

    private async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        await _output.WriteAsync(_buffer.WrittenMemory, cancellationToken);
        _buffer.ResetWrittenCount();
    }
}
