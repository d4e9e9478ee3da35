using System.Diagnostics;
using AuditDashboard.Adapters.Export.Pdf;
using AuditDashboard.Adapters.Signing;
using AuditDashboard.Core.Export;
using AuditDashboard.Core.Signing;
using AuditDashboard.Seeding;

namespace AuditDashboard.Hosting;

/// <summary>
/// Command-line tools sharing the app's configuration: <c>seed</c> writes volume data, <c>hash-password</c> makes a
/// password hash for <c>Auth:Users</c>, <c>verify-export</c> checks an export offline, <c>probe</c> is a health check.
/// </summary>
internal static class Commands
{
    private const string Usage = """
        Usage:
          AuditDashboard [--urls URL] [--Section:Key=value …]
              Runs the dashboard (any argument that starts with '-' or '/', or holds '=', is a setting).
          AuditDashboard seed --accounts N --events-per-account M [--accounts N2 --events-per-account M2 …] [--seed S]
              Writes N accounts of M events each (M >= 1), and N2 of M2 each, and so on, into the configured store,
              spread over the last two years in the order they happened across accounts, many per transaction. Outside
              Development it creates a store that does not exist yet only with --EventStore:CreateIfMissing=true.
          AuditDashboard hash-password
              Reads a password from standard input and prints its hash for Auth:Users:<name>:PasswordHash.
          AuditDashboard verify-export FILE [--key PUBLIC.pem | --jwks KEYS.json]
              Checks a CSV, NDJSON or PDF timeline export offline: its hash chain, row numbers and end row, then its
              signature against the given public key or key set (GET /api/exports/keys?download=true; retired keys
              verify what they signed), and says who exported it, when, and with which key. Exits 0 when it is intact
              and signed by a given key; 1 naming the first row that does not match, or when the signature fails, is
              missing or was made by a key not given; 3 when it is intact but no key was given (authenticity not
              checked); 2 when the file or the key cannot be read. An export with inclusion proofs also has every proof
              checked against its event row and the seal's root, and the seal's signature against the given keys.
          AuditDashboard probe [URL]
              Exits 0 when URL (default http://127.0.0.1:8080/health/ready) answers 200 within 5 s, else 1:
              a container health check that needs no curl.
        """ + "\n" + Integrity.VerifyLedgerCommand.Usage + "\n" + RebuildReadModelsCommand.Usage;

    private static readonly string[] Names = ["seed", "hash-password", "verify-export", "verify-ledger", "probe", "rebuild-read-models"];

    /// <summary>
    /// True when the arguments name a command rather than settings for the dashboard: a known command, help, or any first
    /// argument that cannot be a setting (a mistyped command must not start the dashboard).
    /// </summary>
    public static bool IsCommand(string[] args) => args is ["--help"] or ["-h"] || (args is [var first, ..] && !IsSetting(first));

    // The forms the command-line configuration accepts: --key value, --key=value, -k, /key value, key=value.
    private static bool IsSetting(string argument) =>
        argument.StartsWith('-') || argument.StartsWith('/') || argument.Contains('=', StringComparison.Ordinal);

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return args[0] switch
            {
                "seed" => await SeedAsync(args[1..]),
                "hash-password" => HashPassword(),
                "probe" => await ProbeAsync(args[1..]),
                "verify-export" => VerifyExport(args[1..]),
                "verify-ledger" => await Integrity.VerifyLedgerCommand.RunAsync(args[1..]),
                "rebuild-read-models" => await RebuildReadModelsCommand.RunAsync(args[1..]),
                "--help" or "-h" => PrintUsage(0),
                var unknown => UnknownCommand(unknown),
            };
        }
        catch (Exception ex) when (StartupGuard.Explain(ex) is { } message)
        {
            return StartupGuard.Fail(null, message);
        }
        catch (CommandLineException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return PrintUsage(2);
        }
        catch (WrongExpectedRevisionException ex)
        {
            Console.Error.WriteLine("Another writer created the same accounts meanwhile; nothing after that was written: " + ex.Message);
            return 1;
        }
    }

    private static async Task<int> ProbeAsync(string[] args)
    {
        if (args.Length > 1 || args is [var given] && !Uri.TryCreate(given, UriKind.Absolute, out _))
            throw new CommandLineException("probe takes one absolute URL, e.g. http://127.0.0.1:8080/health/ready.");
        var url = new Uri(args is [var u] ? u : "http://127.0.0.1:8080/health/ready");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(url);
            Console.WriteLine($"{url} answered {(int)response.StatusCode}.");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            Console.Error.WriteLine($"{url} did not answer: {ex.Message}");
            return 1;
        }
    }

    private static int VerifyExport(string[] args)
    {
        var (path, keyPath, keySetPath) = VerifyExportArguments(args);
        IReadOnlyList<PublicSigningKey> keys;
        try
        {
            keys = keyPath is not null ? [SigningKeyFiles.ReadPublic(keyPath)]
                : keySetPath is not null ? ReadKeySet(keySetPath)
                : [];
        }
        catch (Exception ex) when (ex is SigningKeyException or InvalidDataException)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }

        VerificationResult result;
        string? attachment = null;
        try
        {
            using var file = File.OpenRead(path);
            if (IsPdf(file))
            {
                // A PDF carries its rows as an attached NDJSON file: that file is what is checked.
                var rows = PdfExportAttachment.Read(file);
                attachment = rows.Name;
                result = ExportVerifier.Verify(new MemoryStream(rows.Bytes, writable: false));
            }
            else
            {
                result = ExportVerifier.Verify(file);
            }
        }
        catch (InvalidDataException ex)
        {
            Console.Error.WriteLine($"{path}: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Console.Error.WriteLine($"Cannot read '{path}': {ex.Message}");
            return 2;
        }

        if (!result.IsValid)
        {
            Console.Error.WriteLine($"{path}: {(attachment is null ? "" : $"the rows attached to this PDF ('{attachment}'): ")}{result.Message}");
            return 1;
        }

        var authenticity = ExportAuthenticity.Check(result, keys);
        var pdfNote = attachment is null ? null : $"  Checked the rows this PDF carries as its attached file '{attachment}'; its pages are a rendering of those rows and are not compared with them.";
        var proofs = result.DescribeProofs();
        if (authenticity.Status is AuthenticityStatus.Authentic or AuthenticityStatus.NotChecked)
        {
            Console.WriteLine($"{path}: {result.Message}");
            if (pdfNote is not null)
                Console.WriteLine(pdfNote);
            Console.WriteLine("  " + result.DescribeExport());
            if (proofs is not null)
                Console.WriteLine("  " + proofs);
            if (authenticity.IsAuthentic)
            {
                Console.WriteLine("  " + authenticity.Message);
                if (result.ProofSeal is not { } seal)
                    return 0;

                // The proofs lead to the seal's root; only the seal's own signature makes that root the ledger's.
                if (!seal.IsSignedBy(keys))
                {
                    var known = keys.Any(k => k.KeyId == seal.KeyId) ? "does not hold under" : "names a key that is not among the given keys,";
                    Console.Error.WriteLine($"{path}: NOT AUTHENTIC: row 1, ledger seal {seal.Number}: its signature {known} key {seal.KeyId}: the proofs lead to a root the dashboard did not sign.");
                    return 1;
                }

                Console.WriteLine($"  Ledger seal {seal.Number} is signed by the dashboard's key {seal.KeyId}.");
                return 0;
            }

            Console.Error.WriteLine($"{path}: {authenticity.Message}{(result.ProofSeal is null ? "" : " Nor was the ledger seal's signature checked.")}");
            return 3;
        }

        Console.Error.WriteLine($"{path}: {authenticity.Message}");
        Console.WriteLine($"  The hash chain is intact ({result.Count:N0} events, final digest {result.Digest}), but anyone who edits a file can recompute a chain.");
        if (pdfNote is not null)
            Console.WriteLine(pdfNote);
        Console.WriteLine("  What the file claims: " + result.DescribeExport());
        return 1;
    }

    private static (string Path, string? Key, string? KeySet) VerifyExportArguments(string[] args)
    {
        string? path = null, key = null, keySet = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--key" or "--jwks" when i + 1 >= args.Length:
                    throw new CommandLineException($"{args[i]} needs a file.");
                case "--key":
                    key = args[++i];
                    break;
                case "--jwks":
                    keySet = args[++i];
                    break;
                case var option when option.StartsWith("--", StringComparison.Ordinal):
                    throw new CommandLineException($"verify-export does not know the option '{option}'.");
                default:
                    if (path is not null)
                        throw new CommandLineException("verify-export takes one file.");
                    path = args[i];
                    break;
            }
        }

        if (path is null)
            throw new CommandLineException("verify-export takes one file: the CSV, NDJSON or PDF export to check.");
        if (key is not null && keySet is not null)
            throw new CommandLineException("verify-export takes --key or --jwks, not both.");
        return (path, key, keySet);
    }

    /// <exception cref="InvalidDataException">The key set cannot be read, is not a JWKS, or holds no P-256 key.</exception>
    private static List<PublicSigningKey> ReadKeySet(string path)
    {
        try
        {
            var keys = JsonWebKeySet.Read(File.ReadAllText(path));
            return keys.Count > 0 ? [.. keys] : throw new InvalidDataException($"The key set '{path}' holds no P-256 signing key.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException or FormatException)
        {
            throw new InvalidDataException($"The key set '{path}' cannot be read: {ex.Message}", ex);
        }
    }

    private static bool IsPdf(FileStream file)
    {
        Span<byte> start = stackalloc byte[5];
        var read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        file.Position = 0;
        return read == start.Length && start.SequenceEqual("%PDF-"u8);
    }

    private static int UnknownCommand(string name)
    {
        Console.Error.WriteLine($"Unknown command '{name}'. The commands are: {string.Join(", ", Names)}; without one the dashboard starts.");
        return PrintUsage(2);
    }

    private static int PrintUsage(int exitCode)
    {
        (exitCode == 0 ? Console.Out : Console.Error).WriteLine(Usage);
        return exitCode;
    }

    private static async Task<int> SeedAsync(string[] args)
    {
        int? accounts = null, eventsPerAccount = null, seed = null;
        var groups = new List<AccountGroup>();
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--accounts":
                    accounts = ReadNumber(args, ref i, 1, 1_000_000);
                    break;
                case "--events-per-account":
                    eventsPerAccount = ReadNumber(args, ref i, 1, 10_000_000);
                    break;
                case "--seed":
                    seed = ReadNumber(args, ref i, 0, int.MaxValue);
                    break;
                default:
                    rest.Add(args[i]);
                    break;
            }

            if (accounts is { } n && eventsPerAccount is { } m)
            {
                groups.Add(new AccountGroup(n, m));
                (accounts, eventsPerAccount) = (null, null);
            }
        }

        if (groups.Count == 0 || accounts is not null || eventsPerAccount is not null)
        {
            Console.Error.WriteLine("seed needs --accounts N and --events-per-account M, each a whole number of at least 1 (a pair for each group of accounts).");
            return PrintUsage(2);
        }

        if (groups.Sum(g => (long)g.Accounts) > 1_000_000)
        {
            Console.Error.WriteLine("seed writes at most 1,000,000 accounts in one run.");
            return PrintUsage(2);
        }

        // The same configuration the dashboard reads (appsettings, environment, command line), so both use one store.
        var builder = WebApplication.CreateBuilder(rest.ToArray());
        builder.AddRootDevelopmentSettings();
        builder.Services.AddOptions<EventStoreOptions>().BindConfiguration(EventStoreOptions.Section).ValidateDataAnnotations();
        await using var provider = builder.Services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<EventStoreOptions>>().Value;

        var clock = new SimulatedClock(DateTimeOffset.UtcNow);
        // Creates a store that does not exist only where the dashboard would (Development, or EventStore:CreateIfMissing=true).
        var store = EventStoreFactory.Create(options, builder.Environment, clock);
        return await LedgerCommand.RunAsync(store, "Seeding cancelled; every batch written before stays written, whole.", async cancellationToken =>
        {
            await store.InitializeAsync(cancellationToken);
            var total = groups.Sum(g => (long)g.Accounts * g.EventsPerAccount);
            var accountCount = groups.Sum(g => g.Accounts);
            Console.WriteLine($"Seeding {string.Join(" + ", groups.Select(g => $"{g.Accounts:N0} accounts × {g.EventsPerAccount:N0} events"))} = {total:N0} events into the {options.Provider} store…");
            var stopwatch = Stopwatch.StartNew();
            var progress = new ConsoleProgress(total, stopwatch);
            var written = await DemoSeeder.SeedVolumeAsync(store, clock, groups, seed ?? Environment.TickCount, progress, cancellationToken);
            ConsoleProgress.Finish();
            var seconds = stopwatch.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {written:N0} events for {accountCount:N0} account{(accountCount == 1 ? "" : "s")} in {seconds:F2} s ({written / Math.Max(seconds, 0.001):N0} events/s)."));
            return 0;
        });
    }

    private static int ReadNumber(string[] args, ref int i, int min, int max)
    {
        var name = args[i];
        if (i + 1 >= args.Length || !int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            throw new CommandLineException($"{name} needs a whole number from {min} to {max}.");
        i++;
        return value;
    }

    private static int HashPassword()
    {
        var password = Console.IsInputRedirected ? Console.In.ReadLine() : ReadHidden();
        if (string.IsNullOrEmpty(password))
        {
            Console.Error.WriteLine("No password given on standard input.");
            return 2;
        }

        Console.WriteLine(LocalUserDirectory.HashPassword(password));
        return 0;
    }

    private static string ReadHidden()
    {
        Console.Error.Write("Password: ");
        var chars = new List<char>();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace && chars.Count > 0)
                chars.RemoveAt(chars.Count - 1);
            else if (!char.IsControl(key.KeyChar))
                chars.Add(key.KeyChar);
        }

        Console.Error.WriteLine();
        return new string([.. chars]);
    }

    /// <summary>Prints progress at most a few times a second: a live line on a terminal, plain lines in a log.</summary>
    private sealed class ConsoleProgress(long total, Stopwatch stopwatch) : IProgress<long>
    {
        private TimeSpan _lastPrinted = TimeSpan.FromDays(-1);

        public void Report(long value)
        {
            var now = stopwatch.Elapsed;
            if (value < total && now - _lastPrinted < TimeSpan.FromMilliseconds(Console.IsOutputRedirected ? 1000 : 200))
                return;
            _lastPrinted = now;
            var rate = value / Math.Max(now.TotalSeconds, 0.001);
            var line = string.Create(CultureInfo.InvariantCulture, $"  {value:N0} / {total:N0} events ({100.0 * value / total:F0}%) · {rate:N0} events/s");
            if (Console.IsOutputRedirected)
                Console.WriteLine(line);
            else
                Console.Write("\r" + line.PadRight(70));
        }

        public static void Finish()
        {
            if (!Console.IsOutputRedirected)
                Console.WriteLine();
        }
    }
}
