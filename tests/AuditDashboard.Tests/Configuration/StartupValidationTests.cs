namespace AuditDashboard.Tests.Configuration;

/// <summary>
/// A bad setting stops the app at start-up with a message naming the setting. The app's start-up guard reports such a
/// failure (a critical log entry and standard error, exit code 1) instead of letting the exception escape, so an
/// in-process host sees only that the start failed; the test reads the message where an operator would: in the log.
/// </summary>
public sealed class StartupValidationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public static TheoryData<string, string, string> BadSettings { get; } = new()
    {
        { "EventStore:Provider", "Nope", "Failed to convert configuration value 'Nope' at 'EventStore:Provider'" },
        { "EventStore:ConnectionString", "", "EventStore:ConnectionString is required." },
        { "RequestLimits:CommandBodyBytes", "10", "RequestLimits:CommandBodyBytes must be between 1024 and 10485760." },
        { "Integrity:Seal:Sinks:Webhook:Url", "ftp://archive.example/seals", "Integrity:Seal:Sinks:Webhook:Url must be an absolute http or https address." },
        { "Integrity:Seal:Sinks:Webhook:TimeoutSeconds", "0", "Integrity:Seal:Sinks:Webhook:TimeoutSeconds must be between 0.1 and 300." },
        { "ForwardedHeaders:KnownProxies", "10.0.0.5, proxy.internal", "ForwardedHeaders:KnownProxies holds 'proxy.internal', which is not an IP address." },
        { "AccessLog:BatchWindow", "00:00:00", "AccessLog:BatchWindow must be between 00:00:01 and 1.00:00:00 (one day), e.g. 00:05:00." },
        { "Timelines:DuplicateWindow", "00:00:00", "Timelines:DuplicateWindow must be between 00:00:01 and 7.00:00:00 (7 days)." },
        { "ForwardedHeaders:KnownNetworks", "10.0.0.0/33", "ForwardedHeaders:KnownNetworks holds '10.0.0.0/33', which is not a network in CIDR notation" },
    };

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(BadSettings))]
    public Task ABadSetting_StopsStartUp_WithAReportNamingTheSetting(string key, string value, string expectedReport) =>
        StartupChecks.AssertStartUpStopsAsync(_folder, key, value, expectedReport, TestContext.Current.CancellationToken);

    public void Dispose() => _folder.Dispose();
}
