using System.Runtime.CompilerServices;
using AuditDashboard.Core.Integrity;
using AuditDashboard.Core.Replay;

namespace AuditDashboard.Core.Export;

/// <summary>An event of the account with the account's state after it, in the export's view.</summary>
public sealed record ExportEntry(TimelineEntry Entry, AccountState StateAfter);

/// <summary>What an export wrote: the number of event rows, the final digest (the end row's hash) and its signature, when signed.</summary>
public sealed record ExportSummary(long Count, string Digest, ExportSignature? Signature = null)
{
    /// <summary>The seal the export's inclusion proofs are against, or null for an export without proofs.</summary>
    public LedgerSeal? ProofSeal { get; init; }

    /// <summary>Events proven against <see cref="ProofSeal"/>.</summary>
    public long Proven { get; init; }

    /// <summary>Events appended after <see cref="ProofSeal"/>: named in the file as not sealed yet.</summary>
    public long NotSealed { get; init; }
}

/// <summary>
/// Turns an account's entries into an export's rows: row 0 the header, one row per event in the range, then the end row,
/// each hashed onto the chain, and hands them to a writer as they are made. Memory does not grow with the history.
/// <c>beforeEnd</c> runs once the digest is known and before the end row is written: a file whose export could not be put
/// on the record lacks its end row, so it never verifies. With signing keys, the digest is signed as soon as it is known (so the
/// record carries the signature too) and a signature row follows the end row. With <see cref="ExportProofs"/>, row 1 is the
/// ledger seal and each event row is followed by its proof row, all on the chain (so under the signature) before the end row.
/// A search export (<see cref="ExportHeader.Search"/>) is written the same way from its matches (<see cref="SearchExport"/>).
/// </summary>
public static class TimelineExport
{
    public static Task<ExportSummary> WriteAsync(
        ExportHeader header,
        IAsyncEnumerable<ExportEntry> entries,
        ExportWriter writer,
        IProgress<long>? progress = null,
        Func<ExportSummary, CancellationToken, Task>? beforeEnd = null,
        CancellationToken cancellationToken = default) =>
        WriteAsync(header, entries, writer, signingKeys: null, progress, beforeEnd, cancellationToken);

    /// <summary>Writes the export, signed with <paramref name="signingKeys"/>' current key unless it is null.</summary>
    public static Task<ExportSummary> WriteAsync(
        ExportHeader header,
        IAsyncEnumerable<ExportEntry> entries,
        ExportWriter writer,
        ISigningKeys? signingKeys,
        IProgress<long>? progress = null,
        Func<ExportSummary, CancellationToken, Task>? beforeEnd = null,
        CancellationToken cancellationToken = default) =>
        WriteAsync(header, entries, writer, signingKeys, proofs: null, progress, beforeEnd, cancellationToken);

    /// <summary>
    /// Writes the export, signed with <paramref name="signingKeys"/>' current key unless it is null, carrying inclusion proofs of
    /// its events against <paramref name="proofs"/>' seal unless it is null (then <paramref name="header"/> must say so).
    /// </summary>
    public static async Task<ExportSummary> WriteAsync(
        ExportHeader header,
        IAsyncEnumerable<ExportEntry> entries,
        ExportWriter writer,
        ISigningKeys? signingKeys,
        ExportProofs? proofs,
        IProgress<long>? progress = null,
        Func<ExportSummary, CancellationToken, Task>? beforeEnd = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(writer);
        if (header.WithProofs != proofs is not null)
            throw new ArgumentException("The header says whether the export carries proofs; give proofs exactly when it does.", nameof(proofs));

        var chain = new ExportChain();
        var fields = new string[ExportColumns.Fields.Count];
        var first = Hash(chain, Special(0, ExportRowKinds.Export, header.ToJson()));
        await writer.WriteRowAsync(first, cancellationToken);

        // Without proofs every row number is the count of events so far; with them the seal and proof rows come in between.
        long row = 0;
        if (proofs is not null)
            await writer.WriteRowAsync(Hash(chain, Special(++row, ExportRowKinds.Seal, proofs.SealJson())), cancellationToken);

        long count = 0, seen = 0;
        AccountState? last = null;
        await foreach (var (entry, state) in entries.WithCancellation(cancellationToken))
        {
            progress?.Report(++seen);
            if (!header.Range.Contains(entry, header.View))
                continue;

            count++;
            last = header.Search is null ? state : null;
            Fill(fields, ++row, entry, state, header);
            await writer.WriteRowAsync(Hash(chain, fields), cancellationToken);
            if (proofs is not null)
                await writer.WriteRowAsync(Hash(chain, ProofRow(++row, entry.Record, proofs)), cancellationToken);
        }

        var end = Hash(chain, Special(++row, ExportRowKinds.End, EndJson(count, last)));
        var signature = signingKeys is null ? null : ExportSignature.Sign(signingKeys, first.Hash, end.Hash);
        var summary = new ExportSummary(count, end.Hash, signature)
        {
            ProofSeal = proofs?.Seal,
            Proven = proofs?.Proven ?? 0,
            NotSealed = proofs?.Unsealed ?? 0,
        };
        if (beforeEnd is not null)
            await beforeEnd(summary, cancellationToken);
        await writer.WriteRowAsync(end, cancellationToken);
        if (signature is not null)
            await writer.WriteRowAsync(Hash(chain, Special(++row, ExportRowKinds.Signature, signature.ToJson())), cancellationToken);
        await writer.CompleteAsync(cancellationToken);
        return summary;
    }

    /// <summary>
    /// The account's events read from the store up to <paramref name="lastRevision"/>, folded as they stream by: the
    /// recorded view of an export without holding the history in memory.
    /// </summary>
    public static async IAsyncEnumerable<ExportEntry> EntriesOf(
        IEventStore store, string accountId, long lastRevision, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var state = AccountState.Initial(accountId);
        await foreach (var record in store.ReadStreamAsync(AccountIds.StreamOf(accountId), Direction.Forwards, StreamRevision.Start, lastRevision + 1, cancellationToken))
        {
            var entry = TimelineEntry.Next(state, record);
            state = entry.StateAfter;
            yield return new ExportEntry(entry, state);
        }
    }

    /// <summary>The entries of a replay in its view's order, each with the state after it in that view.</summary>
    public static async IAsyncEnumerable<ExportEntry> EntriesOf(IReplaySource replay, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(replay);
        for (var i = 0; i < replay.Count; i++)
        {
            var point = await replay.AtAsync(i, cancellationToken);
            yield return new ExportEntry(point.Entry!, point.State);
            if (i % 4096 == 4095)
                await Task.Yield();
        }
    }

    private static ExportRow Hash(ExportChain chain, string[] fields)
    {
        var copy = (string[])fields.Clone();
        return new ExportRow(copy, chain.Add(copy));
    }

    private static string[] Special(long row, string kind, string data)
    {
        var fields = new string[ExportColumns.Fields.Count];
        Array.Fill(fields, "");
        fields[0] = ExportText.Number(row);
        fields[1] = kind;
        fields[ExportColumns.Data] = data;
        return fields;
    }

    /// <summary>A proof row: it names its event by position, revision and id (so a reader of a CSV sees which), and holds the proof in <c>data</c>.</summary>
    private static string[] ProofRow(long row, RecordedEvent record, ExportProofs proofs)
    {
        var fields = Special(row, ExportRowKinds.Proof, proofs.ProofJson(record));
        fields[2] = ExportText.Number(record.Position);
        fields[3] = ExportText.Number(record.Revision);
        fields[7] = record.EventId.ToString("D");
        return fields;
    }

    private static void Fill(string[] fields, long row, TimelineEntry entry, AccountState state, ExportHeader header)
    {
        var record = entry.Record;
        var metadata = entry.Metadata;
        fields[0] = ExportText.Number(row);
        fields[1] = ExportRowKinds.Event;
        fields[2] = ExportText.Number(record.Position);
        fields[3] = ExportText.Number(record.Revision);
        fields[4] = ExportText.Time(entry.Recorded);
        fields[5] = ExportText.Time(entry.EffectiveAt);
        fields[6] = record.EventType;
        fields[7] = record.EventId.ToString("D");
        fields[8] = metadata?.Actor ?? "";
        fields[9] = metadata?.Reason ?? "";
        fields[10] = metadata?.CorrelationId ?? "";
        fields[11] = metadata?.CausationId ?? "";
        fields[12] = metadata?.ApprovedBy ?? "";
        fields[13] = ExportText.Number(entry.Amount);
        fields[14] = entry.Currency ?? "";
        fields[15] = header.Search is null ? ExportText.Number(state.Balance) : "";
        fields[16] = entry.Warning == EntryWarning.None ? "" : entry.Warning.ToString();
        fields[17] = entry.Problem ?? "";
        fields[ExportColumns.Data] = header.Search is null ? ExportText.Payload(record.Data) : SearchExport.Data(state.AccountId, record);
    }

    private static string EndJson(long count, AccountState? last)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("count", count);
            if (last is not null)
            {
                json.WriteNumber("lastRevision", last.Revision ?? -1);
                json.WriteString("balance", ExportText.Number(last.Balance));
                json.WriteString("currency", last.Currency);
                json.WriteString("status", last.Status.ToString());
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
