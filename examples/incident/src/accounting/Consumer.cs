using System;
using Confluent.Kafka;

namespace Accounting;

internal class Consumer : IDisposable
{
    private const string TopicName = "orders";
    private readonly IConsumer<string, byte[]> _consumer;

    public Consumer()
    {
        var servers = Environment.GetEnvironmentVariable("KAFKA_ADDR")
            ?? throw new ArgumentNullException("KAFKA_ADDR");
        _consumer = BuildConsumer(servers);
        _consumer.Subscribe(TopicName);
    }

    private static IConsumer<string, byte[]> BuildConsumer(string servers)
    {
        var conf = new ConsumerConfig
        {
            GroupId = "accounting",
            BootstrapServers = servers,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = true,
            SessionTimeoutMs = int.Parse(
                Environment.GetEnvironmentVariable("KAFKA_SESSION_TIMEOUT_MS")
                ?? throw new InvalidOperationException("KAFKA_SESSION_TIMEOUT_MS not configured")),
            HeartbeatIntervalMs = int.Parse(
                Environment.GetEnvironmentVariable("KAFKA_HEARTBEAT_INTERVAL_MS")
                ?? throw new InvalidOperationException("KAFKA_HEARTBEAT_INTERVAL_MS not configured")),
            MaxPollIntervalMs = int.Parse(
                Environment.GetEnvironmentVariable("KAFKA_MAX_POLL_INTERVAL_MS")
                ?? throw new InvalidOperationException("KAFKA_MAX_POLL_INTERVAL_MS not configured")),
        };
        return new ConsumerBuilder<string, byte[]>(conf).Build();
    }

    public void StartListening()
    {
        while (true)
        {
            var result = _consumer.Consume();
            Console.WriteLine($"order {result.Message.Key} received");
        }
    }

    public void Dispose() => _consumer.Close();
}
