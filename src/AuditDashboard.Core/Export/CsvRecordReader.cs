namespace AuditDashboard.Core.Export;

/// <summary>
/// Reads RFC 4180 records as exports write them: fields separated by commas, records by CRLF; a field in double quotes may
/// hold commas, line breaks and doubled quotes, and a CR or LF alone is text like any other. Blank lines are skipped (but
/// counted). A quote inside a field that does not start with one, text after a closing quote, or a quoted field left open at
/// the end is not CSV: <see cref="CsvFormatException"/>.
/// </summary>
public sealed class CsvRecordReader(TextReader reader)
{
    private const int Nothing = -2;

    private readonly StringBuilder _field = new();
    private readonly List<string> _fields = [];
    private int _ahead = Nothing;
    private long _line = 1;

    /// <summary>
    /// The number of the record last read, counting from 1, blank lines included: as a spreadsheet numbers its rows, so a
    /// field holding line breaks does not move it.
    /// </summary>
    public long Record { get; private set; }

    /// <summary>The next record's fields, or null at the end of the text.</summary>
    public string[]? Read()
    {
        while (Peek() >= 0)
        {
            Record++;
            _fields.Clear();
            _field.Clear();
            if (Peek() == '\r')
            {
                Next();
                if (Peek() == '\n')
                {
                    Next();
                    continue;
                }

                // A CR alone starts the first field's text.
                _field.Append('\r');
            }

            while (ReadField())
                _field.Clear();
            return [.. _fields];
        }

        return null;
    }

    /// <summary>Reads one field and what ends it; true when a comma ended it, so another field follows on the record.</summary>
    private bool ReadField()
    {
        if (_field.Length == 0 && Peek() == '"')
        {
            Next();
            ReadQuoted();
            _fields.Add(_field.ToString());
            return Peek() switch
            {
                ',' => Next() >= 0,
                < 0 => false,
                '\r' when Next() >= 0 && Peek() == '\n' => Next() < 0,
                _ => throw Bad("text after the closing quote of a field"),
            };
        }

        while (true)
        {
            var c = Next();
            switch (c)
            {
                case < 0:
                    _fields.Add(_field.ToString());
                    return false;
                case ',':
                    _fields.Add(_field.ToString());
                    return true;
                case '\r' when Peek() == '\n':
                    Next();
                    _fields.Add(_field.ToString());
                    return false;
                case '"':
                    throw Bad("a quote inside a field that does not start with one");
                default:
                    _field.Append((char)c);
                    break;
            }
        }
    }

    private void ReadQuoted()
    {
        while (true)
        {
            var c = Next();
            switch (c)
            {
                case < 0:
                    throw Bad("a quoted field that is never closed");
                case '"' when Peek() == '"':
                    Next();
                    _field.Append('"');
                    break;
                case '"':
                    return;
                default:
                    _field.Append((char)c);
                    break;
            }
        }
    }

    private int Peek() => _ahead != Nothing ? _ahead : _ahead = reader.Read();

    private int Next()
    {
        var c = Peek();
        _ahead = Nothing;
        if (c == '\n')
            _line++;
        return c;
    }

    private CsvFormatException Bad(string what) => new($"Line {_line} is not valid CSV: it holds {what}.", _line);
}
