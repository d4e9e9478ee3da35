using System.Runtime.CompilerServices;
using AuditDashboard.Adapters.Embedded;
using Microsoft.AspNetCore.TestHost;

namespace AuditDashboard.Tests.Api;

/// <summary>
/// What the JSON endpoints answer when the store refuses or fails a read: problem details with 503 (the store does not
/// answer), 410 (the stream was deleted for good), never a 500. The app runs over a real SQLite file behind a store
/// that fails the reads of the streams these tests name.
/// </summary>
public sealed class StoreProblemsTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private DashboardFactory? _factory;

    public ValueTask InitializeAsync()
    {
        _factory = new DashboardFactory(new Dictionary<string, string?>
        {
            ["EventStore:ConnectionString"] = _folder.ConnectionString,
            ["DemoData:SeedOnFirstStart"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        return ValueTask.CompletedTask;
    }

    [Theory(Timeout = 60_000)]
    [InlineData("DOWN-1", HttpStatusCode.ServiceUnavailable, "does not answer")]
    [InlineData("GONE-1", HttpStatusCode.Gone, "deleted for good")]
    public async Task AccountRead_TheStoreFails_IsAProblemWithTheRightStatus(string account, HttpStatusCode status, string title)
    {
        var cancellation = TestContext.Current.CancellationToken;
        var app = _factory!.WithWebHostBuilder(builder => builder.UseSetting("Kafka:Enabled", "false").ConfigureTestServices(services =>
            services.AddSingleton<IEventStore>(new FailingReads(new SqliteEventStore(_folder.ConnectionString)))));
        await Task.Run(() => app.Services, cancellation);
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", DashboardFactory.OperatorKey);

        using var response = await client.GetAsync($"/api/accounts/{account}", cancellation);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellation));
        Assert.Contains(title, problem.RootElement.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Contains(account, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
            await _factory.DisposeAsync();
        _folder.Dispose();
    }

    /// <summary>The real store, but reads of <c>account-DOWN-*</c> find it away and of <c>account-GONE-*</c> find the stream tombstoned.</summary>
    private sealed class FailingReads(SqliteEventStore inner) : IEventStore, IAsyncDisposable
    {
        public Task InitializeAsync(CancellationToken cancellationToken = default) => inner.InitializeAsync(cancellationToken);

        public Task<bool> IsReachableAsync(CancellationToken cancellationToken = default) => inner.IsReachableAsync(cancellationToken);

        public Task<AppendResult> AppendAsync(string streamId, ExpectedRevision expected, IReadOnlyList<EventData> events, CancellationToken cancellationToken = default) =>
            inner.AppendAsync(streamId, expected, events, cancellationToken);

        public async IAsyncEnumerable<RecordedEvent> ReadStreamAsync(string streamId, Direction direction, long fromRevision, long maxCount, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Fail(streamId);
            await foreach (var e in inner.ReadStreamAsync(streamId, direction, fromRevision, maxCount, cancellationToken))
                yield return e;
        }

        public Task<long?> GetLastRevisionAsync(string streamId, CancellationToken cancellationToken = default)
        {
            Fail(streamId);
            return inner.GetLastRevisionAsync(streamId, cancellationToken);
        }

        public IAsyncEnumerable<RecordedEvent> ReadAllAsync(Direction direction, long fromPosition, long maxCount, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
            inner.ReadAllAsync(direction, fromPosition, maxCount, streamPrefix, cancellationToken);

        public IAsyncEnumerable<SubscriptionMessage> SubscribeToStreamAsync(string streamId, long? afterRevision, CancellationToken cancellationToken = default) =>
            inner.SubscribeToStreamAsync(streamId, afterRevision, cancellationToken);

        public IAsyncEnumerable<SubscriptionMessage> SubscribeToAllAsync(long? afterPosition, string? streamPrefix = null, CancellationToken cancellationToken = default) =>
            inner.SubscribeToAllAsync(afterPosition, streamPrefix, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();

        private static void Fail(string streamId)
        {
            if (streamId.StartsWith("account-DOWN-", StringComparison.Ordinal))
                throw new EventStoreUnavailableException($"The store at test:1 could not be reached for the read of '{streamId}'.");
            if (streamId.StartsWith("account-GONE-", StringComparison.Ordinal))
                throw new StreamDeletedException(streamId, $"The stream '{streamId}' was deleted for good (tombstoned).");
        }
    }
}
