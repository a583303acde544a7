"""Synthetic monorepos for the benchmark: N services, compose stacks with layers, env files, and
service code in Go / C# / Python / JavaScript where most files read no environment at all.

Layout of one tree (``services`` = N, grouped ``STACK_SIZE`` to a compose project)::

    stacks/stack-000/compose.yaml            10 services + a Kafka broker, build contexts below
    stacks/stack-000/compose.override.yaml   ports / extra environment (default override)
    stacks/stack-000/compose.prod.yaml       a layer (checked over the default file)
    stacks/stack-000/.env                    the project environment (interpolation)
    stacks/stack-000/env/<svc>.env           each service's env_file
    services/<svc>/Dockerfile
    services/<svc>/...                       M source files (one config file with env reads,
                                             one Kafka client, the rest plain code)
    examples/                                a copy of the repository's own examples/

Everything is derived from ``random.Random(seed)``: the same parameters give the same bytes.
:func:`ensure_tree` builds a tree once under a temp directory (outside the repository), keyed by a
hash of the parameters, this file and the examples, and reuses it on later runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["Params", "TreeInfo", "ensure_tree", "generate"]

STACK_SIZE = 10
LANGS = ("go", "csharp", "python", "javascript")
REPO = Path(__file__).resolve().parents[2]

WORDS = (
    "order", "cart", "user", "price", "item", "invoice", "payment", "shipment", "account",
    "session", "token", "report", "quote", "stock", "catalog", "review", "coupon", "address",
    "ledger", "receipt", "refund", "basket", "profile", "metric", "audit", "batch", "slot",
)  # fmt: skip


@dataclass(frozen=True)
class Params:
    services: int
    files_per_service: int = 48
    seed: int = 20240611

    def key(self) -> str:
        digest = hashlib.blake2b(digest_size=10)
        digest.update(json.dumps(asdict(self), sort_keys=True).encode())
        digest.update(Path(__file__).read_bytes())
        for path in sorted((REPO / "examples").rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes())
        return digest.hexdigest()


@dataclass(frozen=True)
class TreeInfo:
    root: Path
    files: int
    bytes: int
    source_files: int
    services: int


# ----------------------------------------------------------------------------------------------
# code bodies


def _ident(rng: random.Random, *parts: str) -> str:
    return "".join(p[:1].upper() + p[1:] for p in parts) + str(rng.randrange(100))


def _go_func(rng: random.Random, receiver: str) -> str:
    a, b = rng.sample(WORDS, 2)
    name = _ident(rng, a, b)
    verb = rng.choice(("Load", "Save", "Find", "Apply", "Build", "Check", "Merge", "Update"))
    lines = [
        f"// {verb}{name} {verb.lower()}s the {a} {b} records of one request.",
        f"func (s *{receiver}) {verb}{name}(ctx context.Context, ids []string) "
        "([]string, error) {",
        "\tout := make([]string, 0, len(ids))",
        "\tfor i, id := range ids {",
        "\t\tif id == \"\" {",
        f'\t\t\treturn nil, fmt.Errorf("{a} %d: empty id", i)',
        "\t\t}",
        f"\t\tkey := strings.ToLower(id) + \"-{b}\"",
        "\t\tif _, ok := s.seen[key]; ok {",
        "\t\t\tcontinue",
        "\t\t}",
        "\t\ts.seen[key] = time.Now()",
        "\t\tout = append(out, key)",
        "\t}",
    ]
    if rng.random() < 0.3:
        lines += [
            "\tselect {",
            "\tcase <-ctx.Done():",
            "\t\treturn nil, ctx.Err()",
            "\tdefault:",
            "\t}",
        ]
    lines += ["\tsort.Strings(out)", "\treturn out, nil", "}", ""]
    return "\n".join(lines)


def _go_plain(rng: random.Random, package: str) -> str:
    receiver = _ident(rng, rng.choice(WORDS), "store")
    funcs = "\n".join(_go_func(rng, receiver) for _ in range(rng.randint(3, 9)))
    return (
        f"package {package}\n\nimport (\n\t\"context\"\n\t\"fmt\"\n\t\"sort\"\n\t\"strings\"\n"
        f"\t\"time\"\n)\n\n// {receiver} keeps what was seen, by key.\n"
        f"type {receiver} struct {{\n\tseen map[string]time.Time\n}}\n\n"
        f"func New{receiver}() *{receiver} {{\n"
        f"\treturn &{receiver}{{seen: map[string]time.Time{{}}}}\n}}\n\n"
        + funcs
    )


def _go_config(svc: str, keys: list[str]) -> str:
    must = "\n".join(f'\tmustMapEnv(&c.{_field(k)}, "{k}")' for k in keys[:3])
    direct = "\n".join(f'\tc.{_field(k)} = os.Getenv("{k}")' for k in keys[3:5])
    look = "\n".join(
        f'\tif v, ok := os.LookupEnv("{k}"); ok {{\n\t\tc.{_field(k)} = v\n\t}}' for k in keys[5:]
    )
    fields = "\n".join(f"\t{_field(k)} string" for k in keys)
    return f"""package main

import (
\t"fmt"
\t"os"
)

// config of {svc}, read once at start-up.
type config struct {{
{fields}
}}

func mustMapEnv(target *string, envKey string) {{
\tv := os.Getenv(envKey)
\tif v == "" {{
\t\tpanic(fmt.Sprintf("environment variable %q not set", envKey))
\t}}
\t*target = v
}}

func loadConfig() *config {{
\tc := &config{{}}
{must}
{direct}
{look}
\treturn c
}}
"""


def _go_kafka(svc: str) -> str:
    return f"""package main

import (
\t"log"

\t"github.com/IBM/sarama"
)

func newProducer(brokers []string) sarama.AsyncProducer {{
\tcfg := sarama.NewConfig()
\tcfg.ClientID = "{svc}"
\tcfg.Producer.Return.Successes = true
\tcfg.Producer.RequiredAcks = sarama.WaitForAll
\tproducer, err := sarama.NewAsyncProducer(brokers, cfg)
\tif err != nil {{
\t\tlog.Fatal(err)
\t}}
\treturn producer
}}

func publish(p sarama.AsyncProducer, topic string, body []byte) {{
\tp.Input() <- &sarama.ProducerMessage{{Topic: topic, Value: sarama.ByteEncoder(body)}}
}}
"""


def _field(key: str) -> str:
    return "".join(p.capitalize() for p in key.lower().split("_"))


def _cs_method(rng: random.Random) -> str:
    a, b = rng.sample(WORDS, 2)
    name = _ident(rng, a, b)
    verb = rng.choice(("Load", "Save", "Find", "Apply", "Build", "Check", "Merge", "Remove"))
    return f"""
    /// <summary>{verb}s {a} {b} entries.</summary>
    public async Task<IReadOnlyList<string>> {verb}{name}Async(
        IEnumerable<string> ids, CancellationToken ct)
    {{
        var result = new List<string>();
        foreach (var id in ids)
        {{
            ct.ThrowIfCancellationRequested();
            if (string.IsNullOrWhiteSpace(id))
            {{
                throw new ArgumentException("{a}: empty id", nameof(ids));
            }}
            var key = $"{{id.ToLowerInvariant()}}-{b}";
            if (_seen.TryAdd(key, DateTime.UtcNow))
            {{
                result.Add(key);
            }}
        }}
        await Task.Yield();
        return result.OrderBy(x => x, StringComparer.Ordinal).ToList();
    }}
"""


def _cs_plain(rng: random.Random, ns: str) -> str:
    cls = _ident(rng, rng.choice(WORDS), "Service")
    methods = "".join(_cs_method(rng) for _ in range(rng.randint(3, 8)))
    return f"""using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace {ns};

public sealed class {cls}
{{
    private readonly ConcurrentDictionary<string, DateTime> _seen = new();
{methods}}}
"""


def _cs_config(ns: str, keys: list[str]) -> str:
    throws = "\n".join(
        f'        {_field(keys[i])} = Environment.GetEnvironmentVariable("{k}")\n'
        f'            ?? throw new InvalidOperationException("{k} not configured");'
        for i, k in enumerate(keys[:4])
    )
    optional = "\n".join(
        f'        {_field(k)} = Environment.GetEnvironmentVariable("{k}") ?? "default";'
        for k in keys[4:]
    )
    props = "\n".join(f"    public string {_field(k)} {{ get; }}" for k in keys)
    return f"""using System;

namespace {ns};

public sealed class Settings
{{
{props}

    public Settings()
    {{
{throws}
{optional}
    }}
}}
"""


def _cs_kafka(ns: str, svc: str) -> str:
    return f"""using System;
using Confluent.Kafka;

namespace {ns};

internal sealed class OrderConsumer : IDisposable
{{
    private readonly IConsumer<string, byte[]> _consumer;

    public OrderConsumer(string servers)
    {{
        var conf = new ConsumerConfig
        {{
            GroupId = "{svc}",
            BootstrapServers = servers,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = true,
            SessionTimeoutMs = 45000,
        }};
        _consumer = new ConsumerBuilder<string, byte[]>(conf).Build();
        _consumer.Subscribe("orders");
    }}

    public void Dispose() => _consumer.Close();
}}
"""


def _py_func(rng: random.Random) -> str:
    a, b = rng.sample(WORDS, 2)
    verb = rng.choice(("load", "save", "find", "apply", "build", "check", "merge", "update"))
    return f'''

def {verb}_{a}_{b}{rng.randrange(100)}(ids: list[str], seen: dict[str, float]) -> list[str]:
    """{verb.capitalize()} the {a} {b} records of one request."""
    out: list[str] = []
    for index, item in enumerate(ids):
        if not item:
            raise ValueError(f"{a} {{index}}: empty id")
        key = f"{{item.lower()}}-{b}"
        if key in seen:
            continue
        seen[key] = time.monotonic()
        out.append(key)
    return sorted(out)
'''


def _py_plain(rng: random.Random) -> str:
    body = "".join(_py_func(rng) for _ in range(rng.randint(3, 9)))
    head = f'"""{rng.choice(WORDS)} helpers."""\n\nfrom __future__ import annotations\n\n'
    return f"{head}import time\n{body}"


def _py_config(keys: list[str]) -> str:
    required = "\n".join(f'{k} = os.environ["{k}"]' for k in keys[:3])
    optional = "\n".join(f'{k} = os.getenv("{k}", "default")' for k in keys[3:5])
    ints = "\n".join(f'{k} = int(os.environ.get("{k}", "30"))' for k in keys[5:6])
    ints += "".join(f'\n{k} = os.environ.get("{k}")' for k in keys[6:])
    return f'"""Settings read at import time."""\n\nimport os\n\n{required}\n{optional}\n{ints}\n'


def _py_kafka(svc: str) -> str:
    return f'''"""Kafka producer of {svc}."""

from confluent_kafka import Producer


def make_producer(servers: str) -> Producer:
    return Producer({{"bootstrap.servers": servers, "client.id": "{svc}", "acks": "all"}})


def publish(producer: Producer, topic: str, body: bytes) -> None:
    producer.produce(topic, body)
    producer.flush()
'''


def _js_func(rng: random.Random) -> str:
    a, b = rng.sample(WORDS, 2)
    verb = rng.choice(("load", "save", "find", "apply", "build", "check", "merge", "update"))
    return f"""
/** {verb}s the {a} {b} records of one request. */
export async function {verb}{_ident(rng, a, b)}(ids, seen) {{
  const out = [];
  for (const [index, id] of ids.entries()) {{
    if (!id) {{
      throw new Error(`{a} ${{index}}: empty id`);
    }}
    const key = `${{id.toLowerCase()}}-{b}`;
    if (seen.has(key)) {{
      continue;
    }}
    seen.set(key, Date.now());
    out.push(key);
  }}
  return out.sort();
}}
"""


def _js_plain(rng: random.Random) -> str:
    return "'use strict';\n" + "".join(_js_func(rng) for _ in range(rng.randint(3, 9)))


def _js_config(keys: list[str]) -> str:
    required = "\n".join(
        f"  {_field(k)}: required(process.env.{k}, '{k}')," for k in keys[:3]
    )
    optional = "\n".join(f"  {_field(k)}: process.env.{k} || 'default'," for k in keys[3:])
    return f"""'use strict';

function required(value, name) {{
  if (!value) {{
    throw new Error(`${{name}} is not set`);
  }}
  return value;
}}

export const config = {{
{required}
{optional}
}};
"""


def _js_kafka(svc: str) -> str:
    return f"""import {{ Kafka }} from 'kafkajs';

const kafka = new Kafka({{ clientId: '{svc}', brokers: [process.env.KAFKA_ADDR] }});
export const producer = kafka.producer();

export async function publish(topic, body) {{
  await producer.connect();
  await producer.send({{ topic, messages: [{{ value: body }}] }});
}}
"""


# ----------------------------------------------------------------------------------------------
# one service


def _service_files(rng: random.Random, svc: str, lang: str, keys: list[str], count: int
                   ) -> Iterator[tuple[str, str]]:  # fmt: skip
    base = f"services/{svc}"
    dirs = ("handlers", "store", "model", "util", "api")
    if lang == "go":
        yield f"{base}/Dockerfile", (
            "FROM golang:1.22 AS builder\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\n\n"
            "FROM gcr.io/distroless/static\nCOPY --from=builder /app /app\nENTRYPOINT [\"/app\"]\n"
        )
        yield f"{base}/config.go", _go_config(svc, keys)
        yield f"{base}/kafka.go", _go_kafka(svc)
        yield f"{base}/go.mod", f"module example.com/{svc}\n\ngo 1.22\n"
        for i in range(count - 3):
            d = dirs[i % len(dirs)]
            yield f"{base}/internal/{d}/{d}_{i}.go", _go_plain(rng, d)
    elif lang == "csharp":
        ns = _field(svc.replace("-", "_"))
        yield f"{base}/Dockerfile", (
            "FROM mcr.microsoft.com/dotnet/aspnet:8.0\nWORKDIR /app\nCOPY . .\n"
            f'ENV ASPNETCORE_URLS=http://+:8080\nENTRYPOINT ["dotnet", "{ns}.dll"]\n'
        )
        yield f"{base}/Settings.cs", _cs_config(ns, keys)
        yield f"{base}/OrderConsumer.cs", _cs_kafka(ns, svc)
        yield f"{base}/{ns}.csproj", '<Project Sdk="Microsoft.NET.Sdk.Web" />\n'
        for i in range(count - 3):
            d = dirs[i % len(dirs)].capitalize()
            yield f"{base}/{d}/{d}{i}.cs", _cs_plain(rng, f"{ns}.{d}")
    elif lang == "python":
        yield f"{base}/Dockerfile", (
            "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\nENV PYTHONUNBUFFERED=1\n"
            'CMD ["python", "-m", "app"]\n'
        )
        yield f"{base}/app/settings.py", _py_config(keys)
        yield f"{base}/app/events.py", _py_kafka(svc)
        yield f"{base}/app/__init__.py", ""
        for i in range(count - 3):
            d = dirs[i % len(dirs)]
            yield f"{base}/app/{d}/{d}_{i}.py", _py_plain(rng)
    else:
        yield f"{base}/Dockerfile", (
            "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nENV NODE_ENV=production\n"
            'CMD ["node", "src/index.js"]\n'
        )
        yield f"{base}/src/config.js", _js_config(keys)
        yield f"{base}/src/kafka.js", _js_kafka(svc)
        yield f"{base}/package.json", json.dumps({"name": svc, "type": "module"}) + "\n"
        for i in range(count - 3):
            d = dirs[i % len(dirs)]
            yield f"{base}/src/{d}/{d}{i}.js", _js_plain(rng)


# ----------------------------------------------------------------------------------------------
# one stack


def _stack_files(rng: random.Random, index: int, services: list[tuple[str, str, list[str]]]
                 ) -> Iterator[tuple[str, str]]:  # fmt: skip
    base = f"stacks/stack-{index:03d}"
    compose = [f"name: stack-{index:03d}", "", "services:"]
    override = ["services:"]
    prod = ["services:"]
    project_env = ["# project environment", "KAFKA_ADDR=kafka:9092"]
    for svc, _lang, keys in services:
        compose += [
            f"  {svc}:",
            "    build:",
            f"      context: ../../services/{svc}",
            "    restart: unless-stopped",
            "    env_file:",
            f"      - env/{svc}.env",
            "    environment:",
            "      - KAFKA_ADDR",
            f"      - OTEL_SERVICE_NAME={svc}",
            f"      - {keys[0]}=${{{keys[0]}:-{svc}.local}}",
            "    depends_on:",
            "      - kafka",
            "",
        ]
        port = 8000 + rng.randrange(1000)
        override += [
            f"  {svc}:",
            "    ports:",
            f'      - "{port}:{port}"',
            "    environment:",
            "      LOG_LEVEL: ${LOG_LEVEL:-info}",
        ]
        prod += [f"  {svc}:", "    deploy:", "      replicas: 2"]
        # the service's env file provides most keys; one in ten leaves one out (drift)
        provided = keys[1:] if rng.random() > 0.1 else keys[2:]
        env = [f"# {svc}"] + [
            f"{k}={rng.randrange(1, 100) if k == keys[5] else rng.choice(WORDS)}" for k in provided
        ]
        yield f"{base}/env/{svc}.env", "\n".join(env) + "\n"
    compose += [
        "  kafka:",
        "    image: apache/kafka:3.9.0",
        "    restart: unless-stopped",
        "    environment:",
        "      KAFKA_NODE_ID: 1",
        "      KAFKA_PROCESS_ROLES: broker,controller",
        "      KAFKA_LISTENERS: PLAINTEXT://:9092,CONTROLLER://:9093",
        "      KAFKA_CONTROLLER_QUORUM_VOTERS: 1@kafka:9093",
        "      KAFKA_CONTROLLER_LISTENER_NAMES: CONTROLLER",
        f"      KAFKA_LOG_RETENTION_HOURS: {rng.choice((4, 24, 168))}",
    ]
    project_env += ["LOG_LEVEL=info"]
    yield f"{base}/compose.yaml", "\n".join(compose) + "\n"
    yield f"{base}/compose.override.yaml", "\n".join(override) + "\n"
    yield f"{base}/compose.prod.yaml", "\n".join(prod) + "\n"
    yield f"{base}/.env", "\n".join(project_env) + "\n"


def _files(params: Params) -> Iterator[tuple[str, str]]:
    rng = random.Random(params.seed)
    names = [f"svc-{i:04d}" for i in range(params.services)]
    for start in range(0, len(names), STACK_SIZE):
        group = []
        for svc in names[start : start + STACK_SIZE]:
            lang = LANGS[int(svc[4:]) % len(LANGS)]
            stem = svc.replace("-", "_").upper()
            keys = [f"{stem}_{w.upper()}" for w in rng.sample(WORDS, 6)]
            keys.append("KAFKA_ADDR")
            group.append((svc, lang, keys))
            yield from _service_files(rng, svc, lang, keys, params.files_per_service)
        yield from _stack_files(rng, start // STACK_SIZE, group)
    yield ".gitignore", "*.log\n/tmp/\n"


def generate(params: Params, root: Path) -> TreeInfo:
    """Write the tree for ``params`` below ``root`` (which must not exist yet)."""
    count = size = sources = 0
    for rel, text in _files(params):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode()
        path.write_bytes(data)
        count += 1
        size += len(data)
        sources += rel.endswith((".go", ".cs", ".py", ".js"))
    examples = REPO / "examples"
    if examples.is_dir():
        shutil.copytree(examples, root / "examples")
        for path in (root / "examples").rglob("*"):
            if path.is_file():
                count += 1
                size += path.stat().st_size
    info = TreeInfo(root, count, size, sources, params.services)
    (root / ".bench.json").write_text(
        json.dumps({"files": count, "bytes": size, "source_files": sources}) + "\n"
    )
    return info


def bench_home() -> Path:
    default = Path(tempfile.gettempdir()) / "envlint-bench"
    return Path(os.environ.get("ENVLINT_BENCH_DIR") or default)


def ensure_tree(params: Params) -> TreeInfo:
    """The tree for ``params``, generated on first use and reused while nothing changed."""
    home = bench_home()
    root = home / f"mono-{params.services}-{params.key()}"
    marker = root / ".bench.json"
    if not marker.is_file():
        home.mkdir(parents=True, exist_ok=True)
        partial = Path(tempfile.mkdtemp(prefix="partial-", dir=home))
        tree = partial / "tree"
        generate(params, tree)
        if root.exists():
            shutil.rmtree(root)
        tree.rename(root)
        shutil.rmtree(partial, ignore_errors=True)
    meta = json.loads(marker.read_text())
    return TreeInfo(root, meta["files"], meta["bytes"], meta["source_files"], params.services)
