using AuditDashboard.Core.Integrity;

namespace AuditDashboard.Core.Export;

/// <summary>The outcome of checking an export: valid with its count and digest, or the first row (and line) that does not match.</summary>
public sealed record VerificationResult(bool IsValid, string Message, long? Count = null, string? Digest = null, long? FailedRow = null, long? Line = null)
{
    public static VerificationResult Valid(long count, string digest) =>
        new(true, $"Valid: {count:N0} event{(count == 1 ? "" : "s")}, final digest {digest}.", count, digest);

    public static VerificationResult Invalid(string message, long? row = null, long? line = null) => new(false, message, FailedRow: row, Line: line);

    /// <summary>Row 0's hash, of a valid file: with the digest, what a signature covers.</summary>
    public string? HeaderHash { get; init; }

    /// <summary>Row 0's <c>data</c>, of a valid file: the JSON header naming the export, the account, who exported it and when.</summary>
    public string? Header { get; init; }

    /// <summary>
    /// The signature a valid file carries after its end row, or null when it carries none. Well formed, but not yet checked
    /// against any key: see <see cref="ExportAuthenticity"/>.
    /// </summary>
    public ExportSignature? Signature { get; init; }

    /// <summary>
    /// The ledger seal a valid file's inclusion proofs are against (its row 1), or null for a file without proofs. Its Merkle
    /// proofs were checked against its root; its signature is checked with the keys: <see cref="LedgerSeal.IsSignedBy"/>.
    /// </summary>
    public LedgerSeal? ProofSeal { get; init; }

    /// <summary>Event rows of a valid file whose proof leads to <see cref="ProofSeal"/>'s root.</summary>
    public long Proven { get; init; }

    /// <summary>Event rows of a valid file that the file names as appended after <see cref="ProofSeal"/>.</summary>
    public long NotSealed { get; init; }

    /// <summary>The first of those rows' numbers (at most <see cref="ExportProofCheck.NamedUnsealedRows"/>).</summary>
    public IReadOnlyList<long> NotSealedRows { get; init; } = [];

    /// <summary>
    /// What a valid file's proofs showed, e.g. <c>Inclusion proofs: 6 events proven against ledger seal 7 (…); 1 event appended
    /// after it is not sealed yet: row 14.</c>; null for a file without proofs.
    /// </summary>
    public string? DescribeProofs()
    {
        if (ProofSeal is not { } seal)
            return null;
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
            $"Inclusion proofs: {Proven:N0} event{(Proven == 1 ? "" : "s")} proven against ledger seal {seal.Number} ({seal.TreeSize:N0} events up to position {seal.LastPosition}, root {seal.RootHash}, sealed at {LedgerSeal.SealedAtText(seal.SealedAt)} with key {seal.KeyId})"));
        if (NotSealed == 0)
            return text.Append('.').ToString();
        var rows = string.Join(", ", NotSealedRows);
        var more = NotSealed > NotSealedRows.Count ? ", …" : "";
        return text.Append(CultureInfo.InvariantCulture,
            $"; {NotSealed:N0} event{(NotSealed == 1 ? " was" : "s were")} appended after that seal and {(NotSealed == 1 ? "is" : "are")} not sealed yet: row{(NotSealed == 1 ? "" : "s")} {rows}{more}.").ToString();
    }

    /// <summary>
    /// What row 0 says of the export, e.g. <c>Export 6f1d… of ACC-1 (recorded, all time, csv) by carla at 2026-11-27T20:12:40.0000000Z.</c>;
    /// null for an invalid file. Only as trustworthy as the file: authentic once its signature is.
    /// </summary>
    public string? DescribeExport()
    {
        if (Header is null)
            return null;
        try
        {
            using var document = JsonDocument.Parse(Header);
            var root = document.RootElement;
            string Text(string name) =>
                root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "?";
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("search", out _))
                return $"Export {Text("exportId")} of the events matching {Text("search")} ({Text("order") switch { "asc" => "oldest first", _ => "newest first" }}, {Text("format")}) by {Text("exportedBy")} at {Text("exportedAt")}.";
            var from = Text("from");
            var to = Text("to");
            var range = (from, to) switch
            {
                ("?", "?") => "all time",
                (_, "?") => $"from {from}",
                ("?", _) => $"up to {to}",
                _ => $"{from} to {to}",
            };
            return $"Export {Text("exportId")} of {Text("account")} ({Text("view")}, {range}, {Text("format")}) by {Text("exportedBy")} at {Text("exportedAt")}.";
        }
        catch (JsonException)
        {
            return "Its header row's data is not JSON.";
        }
    }
}

/// <summary>
/// Checks a CSV or NDJSON export offline: the column header, row numbers 0..n+1 in order, every row's hash against the
/// chain recomputed from the row before, the end row's count, and nothing after it but the signature row of a signed export
/// (hashed onto the chain like the others). Reports the first row that does not match. Never throws on bad content. Whether
/// the signature is the dashboard's is a second question, for <see cref="ExportAuthenticity"/>: anyone can recompute a chain.
/// An export whose header says it carries inclusion proofs must have the seal row as row 1 and a proof row after every event
/// row, each checked by <see cref="ExportProofCheck"/>; in any other export those kinds are unknown, as they always were.
/// </summary>
public static class ExportVerifier
{
    public static VerificationResult Verify(Stream input)
    {
        ArgumentNullException.ThrowIfNull(input);

        // UTF-8 with its byte-order mark skipped when present. Bytes that are not UTF-8 read as U+FFFD, so the row that holds
        // them fails its hash and is named; the fallback remembers them, so the file is never valid (U+FFFD may be genuine).
        var invalidBytes = new InvalidBytesFallback();
        var utf8 = (Encoding)new UTF8Encoding(encoderShouldEmitUTF8Identifier: true).Clone();
        utf8.DecoderFallback = invalidBytes;
        using var reader = new StreamReader(input, utf8, detectEncodingFromByteOrderMarks: false);
        VerificationResult result;
        try
        {
            var first = reader.Peek();
            if (first < 0)
                return VerificationResult.Invalid("The file is empty: it is not an export.");
            if (first == '%')
                return VerificationResult.Invalid("This is a PDF: its rows are the NDJSON file attached to it (PdfExportAttachment reads it out); this check reads CSV or NDJSON only.");
            result = first == '{' ? Check(NdjsonRows(reader)) : Check(CsvRows(reader));
        }
        catch (NotAnExportException ex)
        {
            result = VerificationResult.Invalid(ex.Message, ex.Row, ex.Line);
        }
        catch (CsvFormatException ex)
        {
            result = VerificationResult.Invalid($"The file is not valid CSV near line {ex.Line}: it is not an export, or it was cut or altered.", line: ex.Line);
        }

        if (!invalidBytes.Seen)
            return result;
        return result.FailedRow is null
            ? VerificationResult.Invalid("The file is not UTF-8 text: it is not an export, or bytes of it were altered.")
            : result with { Message = result.Message + " The file also holds bytes that are not UTF-8." };
    }

    private static VerificationResult Check(IEnumerable<(long Line, string[] Cells)> rows)
    {
        var previous = ExportChain.Genesis;
        long expected = 0, events = 0;
        string? endCount = null, headerHash = null, header = null, digest = null;
        ExportSignature? signature = null;
        var ended = false;
        var withProofs = false;
        var streamId = "";
        ExportProofCheck? proofs = null;
        string[]? unproven = null;
        long unprovenRow = 0, unprovenLine = 0;
        foreach (var (line, cells) in rows)
        {
            if (signature is not null)
                return VerificationResult.Invalid($"Line {line} follows the signature row: something was added after the export ended.", expected, line);
            if (ended && cells[1] != ExportRowKinds.Signature)
                return VerificationResult.Invalid($"Line {line} follows the end row: something was added after the export ended.", expected, line);

            var fields = cells[..^1];
            var hash = cells[^1];
            var where = $"row {expected} (line {line})";
            if (!long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                return VerificationResult.Invalid($"Line {line}: '{Shorten(fields[0])}' is not a row number; expected row {expected}.", expected, line);
            if (number != expected)
            {
                var what = number > expected ? $"row {expected} is missing (found row {number})" : $"row {number} is out of order (expected row {expected})";
                return VerificationResult.Invalid($"Line {line}: {what}.", expected, line);
            }

            var kind = fields[1];
            var expectedKind = expected == 0 ? ExportRowKinds.Export : null;
            if (expectedKind is not null && kind != expectedKind)
                throw new NotAnExportException("The first row is not an export header: the file is not an export.", 0, line);
            if (expected > 0 && !ended && kind == ExportRowKinds.Signature)
                return VerificationResult.Invalid($"Line {line}: {where} is a signature row before the end row.", expected, line);
            var known = kind is ExportRowKinds.Event or ExportRowKinds.End or ExportRowKinds.Signature
                || (withProofs && kind is ExportRowKinds.Seal or ExportRowKinds.Proof);
            if (expected > 0 && !known)
                return VerificationResult.Invalid($"Line {line}: {where} has an unknown kind '{Shorten(kind)}'.", expected, line);
            if (withProofs && (expected == 1) != (kind == ExportRowKinds.Seal))
                return VerificationResult.Invalid($"Line {line}: {where} is {(expected == 1 ? "not the seal row, which row 1 of an export with proofs is" : "a second seal row")}.", expected, line);
            if (unproven is not null && kind != ExportRowKinds.Proof)
                return VerificationResult.Invalid($"Line {unprovenLine}: row {unprovenRow}, an event row, has no proof row after it, which every event row of an export with proofs has.", unprovenRow, unprovenLine);
            if (kind == ExportRowKinds.Proof && unproven is null)
                return VerificationResult.Invalid($"Line {line}: {where} is a proof row that does not follow an event row.", expected, line);

            var computed = ExportChain.Compute(previous, fields);
            if (!string.Equals(computed, hash, StringComparison.Ordinal))
                return VerificationResult.Invalid($"Line {line}: {where} does not match its hash: the row, or one before it, was altered.", expected, line);

            previous = hash;
            expected++;
            if (kind == ExportRowKinds.Export)
            {
                (headerHash, header) = (hash, fields[ExportColumns.Data]);
                (withProofs, streamId) = ProofsOf(header);
            }

            if (kind == ExportRowKinds.Event)
            {
                events++;
                if (withProofs)
                    (unproven, unprovenRow, unprovenLine) = (fields, number, line);
            }

            if (kind == ExportRowKinds.Seal)
            {
                var (seal, problem) = ExportProofCheck.ReadSeal(fields);
                if (seal is null)
                    return VerificationResult.Invalid($"Line {line}: {where}, the seal row, {problem}.", number, line);
                proofs = new ExportProofCheck(seal, streamId);
            }

            if (kind == ExportRowKinds.Proof)
            {
                if (proofs!.Check(unproven!, fields) is { } problem)
                    return VerificationResult.Invalid($"Line {line}: {where}, the proof of row {unprovenRow}, {problem}.", number, line);
                unproven = null;
            }

            if (kind == ExportRowKinds.Signature)
            {
                signature = SignatureOf(fields);
                if (signature is null)
                    return VerificationResult.Invalid($"Line {line}: {where}, the signature row, is not as the export writes it (only row, kind and data set; data {{\"alg\":\"ES256\",\"kid\":…,\"signature\":…}}).", number, line);
            }

            if (kind == ExportRowKinds.End)
            {
                ended = true;
                digest = hash;
                endCount = CountOf(fields[ExportColumns.Data]);
                if (endCount != events.ToString(CultureInfo.InvariantCulture))
                    return VerificationResult.Invalid($"Line {line}: the end row counts {endCount ?? "no"} events, but the file holds {events}.", number, line);
            }
        }

        if (expected == 0)
            return VerificationResult.Invalid("The file holds no rows: it is not an export.");
        if (!ended)
            return VerificationResult.Invalid($"The file is truncated: it ends after row {expected - 1} without the end row.", expected);
        return VerificationResult.Valid(events, digest!) with
        {
            HeaderHash = headerHash,
            Header = header,
            Signature = signature,
            ProofSeal = proofs?.Seal,
            Proven = proofs?.Proven ?? 0,
            NotSealed = proofs?.Unsealed ?? 0,
            NotSealedRows = proofs?.UnsealedRows ?? [],
        };
    }

    /// <summary>Whether row 0 says the export carries proofs (<c>"proofs":true</c>), and the stream of its account.</summary>
    private static (bool WithProofs, string StreamId) ProofsOf(string header)
    {
        try
        {
            using var document = JsonDocument.Parse(header);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty(ExportHeader.ProofsMember, out var proofs) || proofs.ValueKind != JsonValueKind.True)
                return (false, "");
            var account = root.TryGetProperty("account", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : "";
            return (true, AccountIds.StreamOf(account));
        }
        catch (JsonException)
        {
            return (false, "");
        }
    }

    private static ExportSignature? SignatureOf(string[] fields)
    {
        for (var i = 2; i < fields.Length; i++)
        {
            if (i != ExportColumns.Data && fields[i].Length > 0)
                return null;
        }

        return ExportSignature.Parse(fields[ExportColumns.Data]);
    }

    private static string? CountOf(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("count", out var count) && count.ValueKind == JsonValueKind.Number ? count.GetRawText() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IEnumerable<(long Line, string[] Cells)> CsvRows(TextReader reader)
    {
        var parser = new CsvRecordReader(reader);
        if (parser.Read() is not { } columns || !columns.SequenceEqual(ExportColumns.All))
            throw new NotAnExportException("The first line is not the export's column header: the file is not a CSV export.", null, 1);

        // Rows before this one passed, so the n-th record is where row n should be: a malformed record names that row.
        for (long row = 0; NextRecord(parser, row) is { } record; row++)
        {
            var line = parser.Record;
            if (record.Length != ExportColumns.All.Count)
                throw new NotAnExportException($"Line {line} has {record.Length} cells, not {ExportColumns.All.Count}: the file was cut or altered.", row, line);

            var cells = new string[record.Length];
            for (var i = 0; i < record.Length; i++)
            {
                // Only the writer's form reads back: a formula-like cell must carry its ', and no other cell may have one (a
                // plain number neither), or an edit could re-arm a formula (drop the ') without changing the text the chain covers.
                cells[i] = CsvCells.Restore(record[i]);
                if (!string.Equals(CsvCells.Neutralise(cells[i]), record[i], StringComparison.Ordinal))
                {
                    throw new NotAnExportException(
                        $"Line {line}: row {row}'s '{ExportColumns.All[i]}' cell is not as the export writes it (a ' goes before a cell starting with = + - @ ', a tab, CR or NUL, unless it is a plain number such as -245.27, and before no other): the file was altered.",
                        row,
                        line);
                }
            }

            yield return (line, cells);
        }
    }

    private static string[]? NextRecord(CsvRecordReader parser, long row)
    {
        try
        {
            return parser.Read();
        }
        catch (CsvFormatException)
        {
            // Lines of a CSV count records, as a spreadsheet numbers its rows: line 1 holds the column names.
            var line = row + 2;
            throw new NotAnExportException($"Line {line}: row {row} is not valid CSV: the file was cut or altered.", row, line);
        }
    }

    private static IEnumerable<(long Line, string[] Cells)> NdjsonRows(TextReader reader)
    {
        long line = 0, row = 0;
        for (var text = reader.ReadLine(); text is not null; text = reader.ReadLine())
        {
            line++;
            if (text.Length == 0)
                continue;
            yield return (line, ParseLine(text, row++, line));
        }
    }

    private static string[] ParseLine(string text, long row, long line)
    {
        try
        {
            // A key given twice would show one value to the verifier and maybe the other to another reader.
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowDuplicateProperties = false });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new NotAnExportException($"Line {line} is not a JSON object: the file is not an NDJSON export.", row, line);
            var cells = new string[ExportColumns.All.Count];
            for (var i = 0; i < cells.Length; i++)
            {
                var name = ExportColumns.All[i];
                if (!document.RootElement.TryGetProperty(name, out var value))
                    throw new NotAnExportException($"Line {line} has no '{name}': the file is not an export, or it was altered.", row, line);
                cells[i] = value.ValueKind switch
                {
                    JsonValueKind.Null => "",
                    JsonValueKind.String => value.GetString()!,
                    JsonValueKind.Number => value.GetRawText(),
                    _ => throw new NotAnExportException($"Line {line}: '{name}' is neither text, a number nor null.", row, line),
                };
            }

            // Every key is a column, each once: nothing rides along outside the chain.
            if (document.RootElement.GetPropertyCount() != cells.Length)
                throw new NotAnExportException($"Line {line} has keys that are not export columns: the file was altered.", row, line);

            return cells;
        }
        catch (JsonException)
        {
            throw new NotAnExportException($"Line {line} is not valid JSON (or repeats a key): the file is not an NDJSON export, or it was cut or altered.", row, line);
        }
        catch (InvalidOperationException)
        {
            // GetString on an escaped surrogate that has no partner, e.g. "\udf89": valid JSON, but not text.
            throw new NotAnExportException($"Line {line} holds an escaped character that is not valid Unicode: the file was altered.", row, line);
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    /// <summary>Reads a byte that is not UTF-8 as U+FFFD, as the default does, and remembers that there was one.</summary>
    private sealed class InvalidBytesFallback : DecoderFallback
    {
        private readonly DecoderFallback _replacement = DecoderFallback.ReplacementFallback;

        public bool Seen { get; private set; }

        public override int MaxCharCount => _replacement.MaxCharCount;

        public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(this, _replacement.CreateFallbackBuffer());

        private sealed class Buffer(InvalidBytesFallback owner, DecoderFallbackBuffer inner) : DecoderFallbackBuffer
        {
            public override int Remaining => inner.Remaining;

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                owner.Seen = true;
                return inner.Fallback(bytesUnknown, index);
            }

            public override char GetNextChar() => inner.GetNextChar();

            public override bool MovePrevious() => inner.MovePrevious();

            public override void Reset() => inner.Reset();
        }
    }

    private sealed class NotAnExportException(string message, long? row, long? line) : Exception(message)
    {
        public long? Row { get; } = row;

        public long? Line { get; } = line;
    }
}
