using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using AuditDashboard.Kafka;
using Confluent.Kafka;

namespace AuditDashboard.Configuration;

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

    /// <summary>librdkafka checks every property when a client is built (it does not connect yet): an unknown one is named.</summary>
    private string? CheckProducer()
    {
        var config = new ProducerConfig(Producer.ToDictionary(p => p.Key, p => p.Value)) { BootstrapServers = "127.0.0.1:9" };
        try
        {
            using var producer = new ProducerBuilder<Null, Null>(config).Build();
            return null;
        }
        catch (Exception ex) when (ex is KafkaException or ArgumentException or InvalidOperationException)
        {
            var key = Producer.Keys.FirstOrDefault(k => ex.Message.Contains(k, StringComparison.Ordinal));
            return key is null
                ? $"Kafka:Producer is not a valid librdkafka configuration: {ex.Message}"
                : $"Kafka:Producer:{key} is not a valid librdkafka setting: {ex.Message}";
        }
    }

    [GeneratedRegex("^[a-zA-Z0-9._-]{1,249}$")]
    private static partial Regex TopicName();
}
