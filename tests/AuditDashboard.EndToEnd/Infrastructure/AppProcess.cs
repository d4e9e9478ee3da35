using System.Diagnostics;
using System.Net;

namespace AuditDashboard.EndToEnd.Infrastructure;

/// <summary>
/// The dashboard running as a child process on a fresh temporary data folder, ready (GET /health/ready answers 200)
/// once <see cref="InitializeAsync"/> returns. Disposing kills it and deletes the folder.
/// By default it seeds the demo accounts ACC-100001…ACC-100050 on its first start.
/// </summary>
public sealed class AppProcess : IAsyncLifetime
{
    /// <summary>Cold start with demo seeding takes a few seconds; a minute means something is wrong.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private const int StartAttempts = 3;

    private readonly TempFolder _folder = new();
    private ChildProcess? _process;

    /// <summary>Whether the app writes the demo accounts into its empty store on start (DemoData:SeedOnFirstStart).</summary>
    public bool SeedDemoData { get; init; } = true;

    /// <summary>e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The SQLite file the app uses; another store may open it to append while the app runs.</summary>
    public string DatabasePath => _folder.DatabasePath;

    /// <summary>From starting the process to the first 200 of /health/ready.</summary>
    public TimeSpan TimeToReady { get; private set; }

    public ChildProcess Process => _process ?? throw new InvalidOperationException("The app has not been started.");

    /// <summary>More settings for the app, as environment variables (e.g. <c>Kafka__BootstrapServers</c>).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public ValueTask InitializeAsync() => new(StartAsync());

    /// <summary>Kills the app at once (SIGKILL: no shutdown code runs), keeping its data folder.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
            await _process.DisposeAsync();
        _process = null;
    }

    /// <summary>Starts the app again on the same data folder (after <see cref="KillAsync"/>).</summary>
    public async Task StartAsync()
    {
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var port = FreePort.Next();
                BaseAddress = new Uri($"http://127.0.0.1:{port}/");
                var stopwatch = Stopwatch.StartNew();
                _process = AppCommand.StartServer(DatabasePath, SeedDemoData, port, Settings);
                var ready = await WaitUntilReadyAsync(_process);
                TimeToReady = stopwatch.Elapsed;
                if (ready)
                    return;

                // The free port was taken by someone else between our look and the app's bind: try another one.
                if (attempt < StartAttempts && _process.StandardError.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    await _process.DisposeAsync();
                    continue;
                }

                throw new InvalidOperationException($"The app exited before it was ready.\n{_process.Describe()}");
            }
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>An HTTP client for the app's JSON endpoints, authenticated with a development API key (the Operator's unless given).</summary>
    public HttpClient CreateApiClient(string apiKey = AppCommand.OperatorApiKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(15) };
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    /// <summary>What the app printed since <paramref name="mark"/> (a former <see cref="ChildProcess.LineCount"/>).</summary>
    public string OutputSince(int mark) => _process?.OutputSince(mark) ?? "";

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
            await _process.DisposeAsync();
        _process = null;
        _folder.Dispose();
    }

    /// <summary>True once /health/ready answers 200; false when the process exits first; throws after <see cref="ReadyTimeout"/>.</summary>
    private async Task<bool> WaitUntilReadyAsync(ChildProcess process)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        string? lastAnswer = null;
        while (deadline.Elapsed < ReadyTimeout)
        {
            if (process.HasExited)
                return false;
            try
            {
                using var response = await http.GetAsync(new Uri("health/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                    return true;
                lastAnswer = $"{(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (HttpRequestException ex)
            {
                lastAnswer = ex.Message;
            }
            catch (TaskCanceledException)
            {
                lastAnswer = "no answer within 5 s";
            }

            await Task.Delay(100);
        }

        throw new TimeoutException(
            $"GET {BaseAddress}health/ready did not answer 200 within {ReadyTimeout.TotalSeconds:0} s (last: {lastAnswer}).\n{process.Describe()}");
    }
}
