using System.Diagnostics;
using AuditDashboard.Core.Integrity;
using AuditDashboard.Core.Signing;
using AuditDashboard.Hosting;

namespace AuditDashboard.Integrity;

/// <summary>
/// <c>verify-ledger [--from-seal N] [--consistency FROM TO] [--jwks KEYS.json]</c>: checks the configured store against its seals
/// offline, with the app's configuration. Exit codes: 0 intact, 1 a mismatch (named), 2 a usage or read error, 3 nothing to
/// check (no seal yet).
/// </summary>
internal static class VerifyLedgerCommand
{
    public const string Usage = """
          AuditDashboard verify-ledger [--from-seal N] [--consistency FROM TO] [--jwks KEYS.json]
              Recomputes the ledger's Merkle tree from the store and checks it against every signed seal (from seal N on
              with --from-seal). With --consistency, checks that seal TO's tree extends seal FROM's (an RFC 6962
              consistency proof). Keys: the configured signing keys, or a JWKS file. Exits 0 when intact, 1 naming the
              first event that does not match, 3 when there is no seal yet.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        long fromSeal = 0;
        (long From, long To)? consistency = null;
        string? jwks = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--from-seal":
                    fromSeal = Number(args, ref i);
                    break;
                case "--consistency":
                    var from = Number(args, ref i);
                    consistency = (from, Number(args, ref i));
                    break;
                case "--jwks":
                    jwks = i + 1 < args.Length ? args[++i] : throw new CommandLineException("--jwks needs a file.");
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }
        }

        var builder = WebApplication.CreateBuilder(rest.ToArray());
        builder.AddRootDevelopmentSettings();
        builder.Services.AddOptions<EventStoreOptions>().BindConfiguration(EventStoreOptions.Section).ValidateDataAnnotations();
        builder.Services.AddOptions<IntegrityOptions>().BindConfiguration(IntegrityOptions.Section);
        builder.Services.AddOptions<SigningKeyOptions>().BindConfiguration(SigningKeyOptions.Section);
        await using var provider = builder.Services.BuildServiceProvider();

        IReadOnlyList<PublicSigningKey> keys;
        try
        {
            keys = jwks is not null
                ? JsonWebKeySet.Read(await File.ReadAllTextAsync(jwks))
                : SigningKeySetup.Load(provider.GetRequiredService<IOptions<SigningKeyOptions>>().Value, builder.Environment).Published;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
        {
            Console.Error.WriteLine($"Cannot read the keys: {ex.Message}");
            return 2;
        }

        var store = EventStoreFactory.Create(provider.GetRequiredService<IOptions<EventStoreOptions>>().Value, builder.Environment.ContentRootPath);
        try
        {
            await store.InitializeAsync();
            var (seals, _) = await LedgerSeals.ReadAsync(store, default);
            if (seals.Count == 0)
            {
                Console.WriteLine("The ledger has no seal yet: nothing to check. The dashboard seals it when it runs.");
                return 3;
            }

            var path = IntegrityFiles.LeafFilePath(provider.GetRequiredService<IOptions<IntegrityOptions>>().Value, store, builder.Environment);
            using var leaves = IntegrityFiles.OpenLeavesForReading(path);
            return consistency is { } c
                ? await CheckConsistencyAsync(store, seals, keys, leaves, c.From, c.To)
                : await CheckAsync(store, seals, keys, leaves, fromSeal);
        }
        finally
        {
            if (store is IAsyncDisposable disposable)
                await disposable.DisposeAsync();
        }
    }

    private static async Task<int> CheckAsync(IEventStore store, IReadOnlyList<LedgerSeal> seals, IReadOnlyList<PublicSigningKey> keys, ILeafFile? leaves, long fromSeal)
    {
        var last = seals[^1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Checking {last.TreeSize:N0} sealed events against {seals.Count:N0} seals (last: seal {last.Number}, {LedgerSeal.SealedAtText(last.SealedAt)}){(fromSeal > 0 ? $" from seal {fromSeal}" : "")}…"));
        if (leaves is null)
            Console.WriteLine("No leaf file: a mismatch can be placed between two seals only.");
        var stopwatch = Stopwatch.StartNew();
        var result = await new LedgerVerifier(store, TimeProvider.System).CheckAsync(new LedgerCheckRequest(seals, keys, leaves, null, fromSeal), new ConsoleProgress(stopwatch), default);
        var seconds = Math.Max(stopwatch.Elapsed.TotalSeconds, 0.001);
        if (result.Violation is { } violation)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"NOT INTACT — first event that does not match: position {violation.Position?.ToString(CultureInfo.InvariantCulture) ?? "?"}, stream {violation.StreamId ?? "?"}, revision {violation.Revision?.ToString(CultureInfo.InvariantCulture) ?? "?"} ({violation.Kind}). {violation.Description}"));
            return 1;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Intact: {result.LeavesChecked:N0} events match {result.SealsChecked:N0} seals; root {last.RootHash} at tree size {last.TreeSize:N0}. {seconds:F2} s, {result.LeavesChecked / seconds:N0} events/s."));
        return 0;
    }

    private static async Task<int> CheckConsistencyAsync(IEventStore store, IReadOnlyList<LedgerSeal> seals, IReadOnlyList<PublicSigningKey> keys, ILeafFile? leaves, long from, long to)
    {
        var older = seals.FirstOrDefault(s => s.Number == from);
        var newer = seals.FirstOrDefault(s => s.Number == to);
        if (older is null || newer is null || from > to)
            throw new CommandLineException($"--consistency takes two seal numbers FROM ≤ TO between 1 and {seals[^1].Number}.");
        foreach (var seal in new[] { older, newer })
        {
            if (!seal.IsSignedBy(keys))
            {
                Console.Error.WriteLine($"Seal {seal.Number} is not signed by any of the keys.");
                return 1;
            }
        }

        ILeafHashes source;
        var temporary = (string?)null;
        if (leaves is not null && leaves.Count >= newer.TreeSize)
        {
            source = leaves;
        }
        else
        {
            // No leaf file that reaches the newer seal: read the leaves from the store into a file of our own.
            temporary = Path.Combine(Path.GetTempPath(), $"audit-leaves-{Guid.NewGuid():N}.leaves");
            var built = IntegrityFiles.OpenLeavesForWriting(temporary);
            await new LedgerVerifier(store, TimeProvider.System).CheckAsync(new LedgerCheckRequest([.. seals.TakeWhile(s => s.Number <= to)], keys, built, built), null, default);
            built.Flush();
            source = built;
        }

        try
        {
            var proof = MerkleProofs.Consistency(older.TreeSize, newer.TreeSize, new MerkleSubtrees(source));
            var holds = MerkleProofs.VerifyConsistency(older.TreeSize, newer.TreeSize, older.Root(), newer.Root(), proof);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Seal {older.Number}: tree size {older.TreeSize:N0}, root {older.RootHash}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Seal {newer.Number}: tree size {newer.TreeSize:N0}, root {newer.RootHash}"));
            Console.WriteLine("Consistency proof (RFC 6962):");
            foreach (var node in proof)
                Console.WriteLine("  " + Convert.ToHexStringLower(node));
            (holds ? Console.Out : Console.Error).WriteLine(holds
                ? $"Consistent: seal {newer.Number}'s ledger extends seal {older.Number}'s."
                : $"NOT CONSISTENT: seal {newer.Number}'s tree does not extend seal {older.Number}'s.");
            return holds ? 0 : 1;
        }
        finally
        {
            if (temporary is not null)
            {
                (source as IDisposable)?.Dispose();
                File.Delete(temporary);
            }
        }
    }

    private static long Number(string[] args, ref int i)
    {
        var name = args[i];
        if (i + 1 >= args.Length || !long.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            throw new CommandLineException($"{name} needs a seal number (1 or more).");
        i++;
        return value;
    }

    /// <summary>A progress line at most once a second.</summary>
    private sealed class ConsoleProgress(Stopwatch stopwatch) : IProgress<LedgerCheckProgress>
    {
        private TimeSpan _last;

        public void Report(LedgerCheckProgress value)
        {
            if (stopwatch.Elapsed - _last < TimeSpan.FromSeconds(1) || value.LeavesSealed == 0)
                return;
            _last = stopwatch.Elapsed;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {value.LeavesChecked:N0} / {value.LeavesSealed:N0} events ({100.0 * value.LeavesChecked / value.LeavesSealed:F0}%) · {value.LeavesChecked / stopwatch.Elapsed.TotalSeconds:N0} events/s"));
        }
    }
}
