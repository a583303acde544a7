from __future__ import annotations

from pathlib import Path

import pytest
from tree_sitter import Language, Parser

from envlint.compose import load_workspace
from envlint.config import Settings
from envlint.kafka.clients import EXTRACTOR, extract_clients, parse_go_duration
from envlint.kafka.model import KafkaClient
from envlint.pipeline import build_facts
from envlint.sources.index import load_adapter
from tests.conftest import write_tree


def _language(name: str) -> Language:
    if name == "go":
        import tree_sitter_go as mod
    elif name == "csharp":
        import tree_sitter_c_sharp as mod
    elif name == "python":
        import tree_sitter_python as mod
    elif name == "java":
        import tree_sitter_java as mod
    elif name == "kotlin":
        import tree_sitter_kotlin as mod
    else:
        import tree_sitter_javascript as mod
    return Language(mod.language())


def clients(language: str, code: str) -> list[KafkaClient]:
    """The clients of one file, given the env reads its language's adapter finds there (as
    the source pass does)."""
    src = code.encode()
    root = Parser(_language(language)).parse(src).root_node
    adapter = load_adapter(language)
    assert adapter is not None
    reads = adapter.scan("f", language, src, root, None).reads
    found = extract_clients(language, root, src, "f", reads)
    assert all(isinstance(c, KafkaClient) for c in found)
    return [c for c in found if isinstance(c, KafkaClient)]


def summary(c: KafkaClient) -> tuple[object, ...]:
    def v(x: object) -> object:
        return None if x is None else (getattr(x, "value", None), getattr(x, "env_var", None))

    return (c.kind, c.library, c.group_id, v(c.session_timeout), v(c.heartbeat), v(c.max_poll),
            v(c.acks))  # fmt: skip


def test_extractor_contract() -> None:
    assert EXTRACTOR.name == "kafka-clients"
    assert {"go", "csharp", "python", "java", "javascript", "kotlin"} <= EXTRACTOR.languages


def test_dotnet_incident_consumer() -> None:
    code = """
    var conf = new ConsumerConfig {
        GroupId = "accounting",
        SessionTimeoutMs = int.Parse(Environment.GetEnvironmentVariable("KAFKA_SESSION_TIMEOUT_MS")
            ?? throw new InvalidOperationException("missing")),
        HeartbeatIntervalMs = int.TryParse(Environment.GetEnvironmentVariable("HB"), out var h)
            ? h : 3000,
    };
    conf.MaxPollIntervalMs = 300000;
    var p = new ProducerConfig { Acks = Acks.None };
    """
    found = clients("csharp", code)
    assert [summary(c) for c in found] == [
        ("consumer", "confluent-dotnet", True, (None, "KAFKA_SESSION_TIMEOUT_MS"), (None, "HB"),
         (300000, None), None),
        ("producer", "confluent-dotnet", False, None, None, None, (0, None)),
    ]  # fmt: skip
    assert found[0].heartbeat is not None and found[0].heartbeat.fallback == 3000
    assert found[0].session_timeout is not None and found[0].session_timeout.fallback is None


GO = """
package main

import (
	"os"
	"strconv"
	"time"

	"github.com/IBM/sarama"
	ck "github.com/confluentinc/confluent-kafka-go/v2/kafka"
	kafka "github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kgo"
)

const hb = 4 * time.Second

func producer(brokers []string) {
	cfg := sarama.NewConfig()
	cfg.Producer.RequiredAcks = sarama.NoResponse
	sarama.NewAsyncProducer(brokers, cfg)
}

func consumer(brokers []string) {
	cfg := sarama.NewConfig()
	n, _ := strconv.Atoi(os.Getenv("SESSION_MS"))
	cfg.Consumer.Group.Session.Timeout = time.Duration(n) * time.Millisecond
	cfg.Consumer.Group.Heartbeat.Interval = hb
	sarama.NewConsumerGroup(brokers, "g", cfg)
}

func others() {
	_ = &kafka.Writer{Addr: kafka.TCP("k"), Topic: "orders"}
	_ = kafka.NewWriter(kafka.WriterConfig{Brokers: []string{"k"}})
	_ = kafka.NewReader(kafka.ReaderConfig{GroupID: "g", SessionTimeout: 20 * time.Second})
	_, _ = ck.NewConsumer(&ck.ConfigMap{"group.id": "g", "max.poll.interval.ms": 1000})
	_, _ = kgo.NewClient(kgo.ConsumerGroup("g"), kgo.SessionTimeout(time.Minute),
		kgo.RequiredAcks(kgo.LeaderAck()))
}
"""


def test_go_libraries() -> None:
    assert [summary(c) for c in clients("go", GO)] == [
        ("producer", "sarama", False, None, None, None, (0, None)),
        ("consumer", "sarama", True, (None, "SESSION_MS"), (4000, None), None, None),
        ("producer", "kafka-go", False, None, None, None, (0, None)),
        ("producer", "kafka-go", False, None, None, None, (-1, None)),
        ("consumer", "kafka-go", True, (20000, None), (3000, None), None, None),
        ("consumer", "librdkafka-go", True, (45000, None), (3000, None), (1000, None), None),
        ("consumer", "franz-go", True, (60000, None), (3000, None), None, None),
        ("producer", "franz-go", False, None, None, None, (1, None)),
    ]  # fmt: skip


def test_python_java_js() -> None:
    py = """
from confluent_kafka import Consumer
import os
conf = {"group.id": "g", "session.timeout.ms": int(os.getenv("S", "45000"))}
c = Consumer(conf)
from kafka import KafkaProducer
p = KafkaProducer(acks=0)
"""
    assert [summary(c) for c in clients("python", py)] == [
        ("consumer", "confluent-python", True, (None, "S"), (3000, None), (300000, None), None),
        ("producer", "kafka-python", False, None, None, None, (0, None)),
    ]  # fmt: skip
    java = """
class A { void f() {
  Properties props = new Properties();
  props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "50000");
  props.put(ConsumerConfig.GROUP_ID_CONFIG, "g");
  new KafkaConsumer<String, String>(props);
  Properties pp = new Properties();
  pp.setProperty("acks", "all");
  new KafkaProducer<>(pp);
} }
"""
    assert [summary(c) for c in clients("java", java)] == [
        ("consumer", "java", True, (45000, None), (50000, None), (300000, None), None),
        ("producer", "java", False, None, None, None, (-1, None)),
    ]  # fmt: skip
    js = """
const { Kafka } = require('kafkajs')
const consumer = kafka.consumer({ groupId: 'g', heartbeatInterval: parseInt(process.env.HB) })
await producer.send({ topic: 'orders', acks: 0, messages })
await producer.send({ topic: 'orders', messages })
"""
    assert [summary(c) for c in clients("javascript", js)] == [
        ("consumer", "kafkajs", True, (30000, None), (None, "HB"), None, None),
        ("producer", "kafkajs", False, None, None, None, (0, None)),
    ]  # fmt: skip


def test_kotlin_maps() -> None:
    """Kotlin configuration maps on the Java client's keys and defaults; a map is named within
    the function that declares it, so two functions' ``props`` stay two clients."""
    kotlin = """
package shop
const val NONE = "0"
class Kafka(private val settings: Settings) {
    fun consumer() {
        val props = HashMap<String, Any>()
        props[ConsumerConfig.GROUP_ID_CONFIG] = "g"
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 4_000L)
        DefaultKafkaConsumerFactory<String, String>(props)
    }
    fun producer() {
        val props = Properties()
        props["acks"] = NONE
        props[ProducerConfig.ACKS_CONFIG] = -1
        KafkaProducer(props)
    }
    fun other() = KafkaProducer(mapOf("acks" to settings.acks, "retries" to 0))
    fun named(): Any {
        val conf = mutableMapOf<String, Any>(ProducerConfig.ACKS_CONFIG to NONE)
        return DefaultKafkaProducerFactory(conf)
    }
    fun notKafka(cache: MutableMap<String, Int>) { cache["size"] = 0 }
}
"""
    assert [summary(c) for c in clients("kotlin", kotlin)] == [
        ("consumer", "java", True, (45000, None), (4000, None), (300000, None), None),
        ("producer", "java", False, None, None, None, (-1, None)),  # the last write wins
        ("producer", "java", False, None, None, None, (None, None)),  # settings.acks: unknown
        ("producer", "java", False, None, None, None, (0, None)),
    ]  # fmt: skip
    java = """
class A {
  void audit() {
    Properties props = new Properties();
    props.put(ProducerConfig.ACKS_CONFIG, "0");
    new KafkaProducer<String, String>(props);
  }
  void orders() {
    Properties props = new Properties();
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    new KafkaProducer<String, String>(props);
  }
}
"""
    assert [summary(c)[-1] for c in clients("java", java)] == [(0, None), (-1, None)]


def test_kotlin_apply_blocks() -> None:
    """``Properties().apply { put(K, v) }`` / ``this[K] = v``: each block is its own map (the
    consumer's settings of one are never read as another's)."""
    kotlin = """
class K {
    fun producer() = KafkaProducer<String, String>(Properties().apply {
        put(ProducerConfig.ACKS_CONFIG, "0")
    })
    fun other() = KafkaProducer<String, String>(Properties().apply {
        this[ProducerConfig.ACKS_CONFIG] = "all"
    })
    fun consumer(): Properties = Properties().apply {
        put(ConsumerConfig.GROUP_ID_CONFIG, "g")
        put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 20000)
    }
    fun replay(): Properties = Properties().apply {
        this[ConsumerConfig.GROUP_ID_CONFIG] = "r"
        this[ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG] = 30000
    }
}
"""
    assert [summary(c) for c in clients("kotlin", kotlin)] == [
        ("producer", "java", False, None, None, None, (0, None)),
        ("producer", "java", False, None, None, None, (-1, None)),
        ("consumer", "java", True, (20000, None), (3000, None), (300000, None), None),
        ("consumer", "java", True, (45000, None), (30000, None), (300000, None), None),
    ]  # fmt: skip


def test_no_kafka_no_clients() -> None:
    assert clients("go", "package main\nfunc main() { x := struct{}{}; _ = x }\n") == []
    assert clients("python", "Consumer({'group.id': 'g'})\n") == []  # not confluent_kafka


@pytest.mark.parametrize(
    ("text", "ms"),
    [("45s", 45000), ("1m30s", 90000), ("300ms", 300), ("1h", 3_600_000), ("0", 0),
     ("abc", None), ("10", None), ("", None)],
)  # fmt: skip
def test_go_duration(text: str, ms: int | None) -> None:
    assert parse_go_duration(text) == ms


def test_env_values_resolved_through_service(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "p",
        {
            "compose.yaml": """
                services:
                  accounting:
                    build: ./src/accounting
                    environment:
                      KAFKA_SESSION_TIMEOUT_MS: 30000
                      HB: ${UNDEFINED_HB}
                """,
            "src/accounting/Dockerfile": "FROM mcr.microsoft.com/dotnet/runtime:8.0\n",
            "src/accounting/Consumer.cs": """
                var conf = new ConsumerConfig {
                    GroupId = "accounting",
                    SessionTimeoutMs = int.Parse(
                        Environment.GetEnvironmentVariable("KAFKA_SESSION_TIMEOUT_MS")),
                    HeartbeatIntervalMs = int.Parse(Environment.GetEnvironmentVariable("HB")),
                    MaxPollIntervalMs = int.Parse(
                        Environment.GetEnvironmentVariable("POLL") ?? "1000"),
                };
                """,
        },
    )
    facts, _ = build_facts(load_workspace(root, Settings()), Settings(), {"kafka-clients"})
    (client,) = facts.kafka_clients or ()
    assert (client.service, client.project_dir) == ("accounting", ".")
    assert client.session_timeout is not None and client.session_timeout.value == 30000
    assert client.session_timeout.env_origin is not None
    assert client.session_timeout.env_origin.path == "compose.yaml"
    assert client.heartbeat is not None and client.heartbeat.value is None  # unresolved: unknown
    assert client.max_poll is not None and client.max_poll.value == 1000  # code fallback


def _session(language: str, code: str) -> tuple[object, ...]:
    (client,) = clients(language, code)
    assert client.session_timeout is not None
    return client.session_timeout.env_var, client.session_timeout.fallback


def test_env_values_are_the_reads_the_adapter_found() -> None:
    """One recognizer of env reads: an alias, a constant name or a helper's own ``getenv``
    is what the language's adapter says it is (the Kafka code knows no env API)."""
    aliased = """
from confluent_kafka import Consumer
from os import environ as ENV
Consumer({"group.id": "g", "session.timeout.ms": int(ENV.get("KAFKA_SESSION_MS", "45000"))})
"""
    assert _session("python", aliased) == ("KAFKA_SESSION_MS", 45000)
    constant = """
import os
from confluent_kafka import Consumer
SESSION = "KAFKA_SESSION_MS"
DEFAULT = 30000
Consumer({"group.id": "g", "session.timeout.ms": int(os.environ.get(SESSION, DEFAULT))})
"""
    assert _session("python", constant) == ("KAFKA_SESSION_MS", 30000)
    not_the_environment = """
from confluent_kafka import Consumer
def getenv(key, default):
    return SETTINGS.get(key, default)
Consumer({"group.id": "g", "session.timeout.ms": getenv("KAFKA_SESSION_MS", "45000")})
"""
    assert _session("python", not_the_environment) == (None, None)
    java = """
class A {
  static final String SESSION = "KAFKA_SESSION_MS";
  void f() {
    Properties props = new Properties();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "g");
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, System.getenv(SESSION));
    new KafkaConsumer<String, String>(props);
  }
}
"""
    assert _session("java", java) == ("KAFKA_SESSION_MS", None)
    js = """
const { Kafka } = require("kafkajs");
const consumer = kafka.consumer({
  groupId: "g", sessionTimeout: Number(process.env.KAFKA_SESSION_MS ?? 30000),
});
"""
    assert _session("javascript", js) == ("KAFKA_SESSION_MS", 30000)
