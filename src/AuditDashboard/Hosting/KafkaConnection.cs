using AuditDashboard.Adapters.Kafka;

namespace AuditDashboard.Hosting;

/// <summary>
/// Where the mirror's Kafka is: the configured brokers, or (with <c>Kafka:BootstrapServers</c> empty) a test cluster
/// started in this process for as long as the application runs. Binds the <c>Kafka</c> section to the adapter's settings.
/// </summary>
internal sealed class KafkaConnection : IDisposable
{
    private readonly KafkaTestCluster? _testCluster;

    public KafkaConnection(IOptions<KafkaOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var kafka = options.Value;
        if (kafka.UsesTestCluster)
        {
            _testCluster = new KafkaTestCluster();
            BootstrapServers = _testCluster.BootstrapServers;
        }
        else
        {
            BootstrapServers = kafka.BootstrapServers!;
        }

        Settings = new MirrorSettings(BootstrapServers, kafka.Topic, kafka.Producer) { Partitions = kafka.Partitions };
    }

    public string BootstrapServers { get; }

    /// <summary>True when the mirror writes to the in-process test cluster: in memory, lost when the application stops.</summary>
    public bool IsTestCluster => _testCluster is not null;

    public MirrorSettings Settings { get; }

    public void Dispose() => _testCluster?.Dispose();
}
