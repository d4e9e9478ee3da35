using System.Text.RegularExpressions;
using AuditDashboard.Adapters.Kafka;
using Confluent.Kafka;

namespace AuditDashboard.Hosting;

/// <summary>
/// The Kafka mirror (section <c>Kafka</c>). With <c>BootstrapServers</c> empty the mirror writes to an in-process test
/// cluster (librdkafka's mock cluster): in memory, not durable, for development.
/// </summary>
public sealed partial class KafkaOptions : IValidatableObject
{
    public const string Section = "Kafka";

    public bool Enabled { get; set; } = true;

    public string? BootstrapServers { get; set; }

    public string Topic { get; set; } = MirrorSettings.DefaultTopic;

    /// <summary>Any librdkafka producer property, e.g. <c>Kafka:Producer:compression.type=zstd</c>.</summary>
    public Dictionary<string, string> Producer { get; } = new(StringComparer.Ordinal);

    [Range(1, 1_000, ErrorMessage = "Kafka:Partitions must be between 1 and 1000.")]
    public int Partitions { get; set; } = 3;

    public bool UsesTestCluster => string.IsNullOrWhiteSpace(BootstrapServers);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TopicName().IsMatch(Topic ?? "") || Topic is "." or "..")
        {
            yield return new ValidationResult(
                $"Kafka:Topic '{Topic}' is not a valid topic name: use 1 to 249 letters, digits, '.', '_' or '-'.");
        }

        if (Producer.Count > 0 && CheckProducer() is { } problem)
            yield return new ValidationResult(problem);
    }

    /// <summary>
    /// librdkafka checks every property when a client is built (with no brokers given it does not connect): a bad one is
    /// named. Properties the mirror depends on cannot be turned off.
    /// </summary>
    private string? CheckProducer()
    {
        foreach (var (key, value) in Producer)
        {
            if (key is "enable.idempotence" && !string.Equals(value, "true", StringComparison.OrdinalIgnoreCase))
                return $"Kafka:Producer:{key} cannot be '{value}': the mirror needs an idempotent producer to write each event once.";
            if (key is "acks" or "request.required.acks" && value is not ("all" or "-1"))
                return $"Kafka:Producer:{key} cannot be '{value}': the mirror acknowledges an event only once every in-sync replica has it (acks=all).";
        }

        if (TryBuild(Producer) is not { } problem)
            return null;

        // Which one: librdkafka's message may name a property by another of its names.
        foreach (var (key, value) in Producer)
        {
            if (TryBuild(new Dictionary<string, string> { [key] = value }) is { } own)
                return $"Kafka:Producer:{key} is not a valid librdkafka setting ('{value}'): {own}";
        }

        return $"Kafka:Producer is not a valid librdkafka configuration: {problem}";
    }

    private static string? TryBuild(IReadOnlyDictionary<string, string> properties)
    {
        try
        {
            using var producer = new ProducerBuilder<Null, Null>(new ProducerConfig(properties.ToDictionary(p => p.Key, p => p.Value)))
                .SetLogHandler(static (_, _) => { })
                .Build();
            return null;
        }
        catch (Exception ex) when (ex is KafkaException or ArgumentException or InvalidOperationException)
        {
            return ex.Message;
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9._-]{1,249}$")]
    private static partial Regex TopicName();
}
