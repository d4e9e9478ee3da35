using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace AuditDashboard.Adapters.Kafka;

/// <summary>
/// An in-process Kafka test cluster: librdkafka's mock cluster, which speaks the real Kafka protocol on 127.0.0.1 ports
/// that any client can use as <c>bootstrap.servers</c>. It keeps messages in memory only (and only about 5 MB a
/// partition): it is for development and tests, never for data that must last. Brokers can be taken down and brought
/// back up to test how clients cope.
/// </summary>
public sealed class KafkaTestCluster : IDisposable
{
    private readonly Native _native;
    private readonly IntPtr _client;
    private readonly IntPtr _cluster;
    private int _disposed;

    public KafkaTestCluster(int brokers = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        _native = Native.Instance;
        BrokerCount = brokers;

        // The mock cluster lives inside a librdkafka handle of its own, used for nothing else.
        var conf = _native.ConfNew();
        var error = new byte[512];

        // Only errors: the handle hosts the cluster and never connects, so its warning about having no brokers is noise.
        _native.ConfSet(conf, "log_level", "3", error, (nuint)error.Length);
        _client = _native.New(0, conf, error, (nuint)error.Length);
        if (_client == IntPtr.Zero)
            throw new KafkaException(new Error(ErrorCode.Local_Fail, "The Kafka test cluster could not start: " + Encoding.UTF8.GetString(error).TrimEnd('\0')));

        _cluster = _native.MockClusterNew(_client, brokers);
        if (_cluster == IntPtr.Zero)
        {
            _native.Destroy(_client);
            throw new KafkaException(new Error(ErrorCode.Local_Fail, "The Kafka test cluster could not start."));
        }

        BootstrapServers = Marshal.PtrToStringUTF8(_native.MockClusterBootstraps(_cluster)) ?? throw new KafkaException(new Error(ErrorCode.Local_Fail, "The Kafka test cluster has no address."));

        // Consumers join at once instead of after the default three-second rebalance delay.
        _native.MockGroupInitialRebalanceDelayMs(_cluster, 0);
    }

    /// <summary>The cluster's brokers, as <c>bootstrap.servers</c> (e.g. <c>127.0.0.1:40315</c>).</summary>
    public string BootstrapServers { get; }

    public int BrokerCount { get; }

    /// <summary>Creates <paramref name="topic"/> with <paramref name="partitions"/> partitions (topics are otherwise created on first use).</summary>
    public void CreateTopic(string topic, int partitions, int replicationFactor = 1)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        Check(_native.MockTopicCreate(_cluster, topic, partitions, replicationFactor), $"create topic '{topic}'");
    }

    /// <summary>Takes broker <paramref name="brokerId"/> (1-based) down: clients cannot reach it until <see cref="SetBrokerUp"/>.</summary>
    public void SetBrokerDown(int brokerId)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        Check(_native.MockBrokerSetDown(_cluster, brokerId), $"take broker {brokerId} down");
    }

    public void SetBrokerUp(int brokerId)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        Check(_native.MockBrokerSetUp(_cluster, brokerId), $"bring broker {brokerId} up");
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _native.MockClusterDestroy(_cluster);
        _native.Destroy(_client);
    }

    private static void Check(int error, string what)
    {
        if (error != 0)
            throw new KafkaException(new Error((ErrorCode)error, $"The Kafka test cluster could not {what}."));
    }

    /// <summary>The mock cluster's entry points in the librdkafka that Confluent.Kafka loaded.</summary>
    private sealed class Native
    {
        private static readonly Lazy<Native> Loaded = new(() => new Native());

        private Native()
        {
            Library.Load();
            var handle = NativeLibrary.Load(LoadedPath());
            ConfNew = Bind<ConfNewFn>(handle, "rd_kafka_conf_new");
            New = Bind<NewFn>(handle, "rd_kafka_new");
            ConfSet = Bind<ConfSetFn>(handle, "rd_kafka_conf_set");
            Destroy = Bind<DestroyFn>(handle, "rd_kafka_destroy");
            MockClusterNew = Bind<MockClusterNewFn>(handle, "rd_kafka_mock_cluster_new");
            MockClusterDestroy = Bind<DestroyFn>(handle, "rd_kafka_mock_cluster_destroy");
            MockClusterBootstraps = Bind<BootstrapsFn>(handle, "rd_kafka_mock_cluster_bootstraps");
            MockBrokerSetDown = Bind<BrokerFn>(handle, "rd_kafka_mock_broker_set_down");
            MockBrokerSetUp = Bind<BrokerFn>(handle, "rd_kafka_mock_broker_set_up");
            MockTopicCreate = Bind<TopicCreateFn>(handle, "rd_kafka_mock_topic_create");
            MockGroupInitialRebalanceDelayMs = Bind<SetDelayFn>(handle, "rd_kafka_mock_group_initial_rebalance_delay_ms");
        }

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate IntPtr ConfNewFn();

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate int ConfSetFn(IntPtr conf, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, byte[] errstr, nuint errstrSize);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate IntPtr NewFn(int type, IntPtr conf, byte[] errstr, nuint errstrSize);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate void DestroyFn(IntPtr handle);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate IntPtr MockClusterNewFn(IntPtr client, int brokers);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate IntPtr BootstrapsFn(IntPtr cluster);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate int BrokerFn(IntPtr cluster, int id);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate void SetDelayFn(IntPtr cluster, int milliseconds);

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        public delegate int TopicCreateFn(IntPtr cluster, [MarshalAs(UnmanagedType.LPUTF8Str)] string topic, int partitions, int replicationFactor);

        public static Native Instance => Loaded.Value;

        public ConfNewFn ConfNew { get; }

        public NewFn New { get; }

        public ConfSetFn ConfSet { get; }

        public DestroyFn Destroy { get; }

        public MockClusterNewFn MockClusterNew { get; }

        public DestroyFn MockClusterDestroy { get; }

        public BootstrapsFn MockClusterBootstraps { get; }

        public BrokerFn MockBrokerSetDown { get; }

        public BrokerFn MockBrokerSetUp { get; }

        public TopicCreateFn MockTopicCreate { get; }

        public SetDelayFn MockGroupInitialRebalanceDelayMs { get; }

        private static T Bind<T>(IntPtr library, string name)
            where T : Delegate => Marshal.GetDelegateForFunctionPointer<T>(NativeLibrary.GetExport(library, name));

        /// <summary>The file Confluent.Kafka loaded librdkafka from (it picks one of several builds for the platform).</summary>
        private static string LoadedPath()
        {
            if (OperatingSystem.IsLinux())
            {
                foreach (var line in File.ReadLines("/proc/self/maps"))
                {
                    var at = line.IndexOf('/', StringComparison.Ordinal);
                    if (at >= 0 && line.Contains("librdkafka", StringComparison.Ordinal))
                        return line[at..];
                }
            }

            return "librdkafka";
        }
    }
}
