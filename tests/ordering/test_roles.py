"""The JS/TS and Python walker on role queries (envlint.ordering.roles)."""

from __future__ import annotations

from collections.abc import Callable

from envlint.config import Settings
from envlint.ordering import OrderingIndex
from envlint.ordering.extract import parse_facts
from envlint.ordering.model import FunctionFacts

Functions = Callable[[str, str], dict[str, FunctionFacts]]


def _uses(fn: FunctionFacts, name: str) -> list[tuple[str, str, str]]:
    return [(e.error_use, e.via, e.delivery) for e in fn.events if e.name == name]


TS = """import { Kafka, Producer } from "kafkajs";

export class Orders {
  constructor(private readonly producer: Producer) {}

  async run(ids: string[]) {
    await this.producer.send({ topic: "a", messages: [] });
    this.producer.send({ topic: "b", messages: [] });
    const pending = this.producer.send({ topic: "c", messages: [] });
    await pending;
    const lost = this.producer.send({ topic: "d", messages: [] });
    await Promise.all([this.producer.send({ topic: "e", messages: [] })]);
    this.producer.send({ topic: "f", messages: [] }).then(ok, (e) => console.warn(e));
    this.producer.send({ topic: "g", messages: [] }).catch((e) => { throw e; });
    for (const id of ids) {
      try {
        await this.producer.send({ topic: id, messages: [] });
      } catch (e) {}
    }
    return this.producer.send({ topic: "h", messages: [] });
  }
}
"""


def test_typescript_promises(functions: Functions) -> None:
    fn = functions("src/orders.ts", TS)["run"]
    assert [u for u, _, _ in _uses(fn, "send")] == [
        "returned",  # awaited
        "dropped",  # floating
        "returned",  # stored, awaited later
        "unused",  # stored, never awaited
        "returned",  # awaited through Promise.all
        "logged",  # .then(ok, fail) whose fail only logs
        "dropped",  # .catch rethrows, and the chain itself floats
        "dropped",  # an empty catch in a loop
        "returned",  # returned
    ]
    assert fn.owner == "Orders" and fn.package == "src/orders.ts" and fn.returns_error
    sends = [e for e in fn.events if e.name == "send"]
    assert all(e.receiver_type == "kafka:kafkajs" for e in sends)
    assert [f.kind for f in sends[7].scope] == ["loop", "try"]
    assert sends[7].branch is not None and sends[7].branch.line == 18


def test_javascript_helpers_resolve_within_the_file() -> None:
    source = b"""const { Kafka } = require("kafkajs");
const producer = new Kafka({}).producer();
async function publish(v) { await producer.send({ topic: "t", messages: [v] }); }
async function handler(req) {
  await store.deleteOrder(req.id);
  await publish(req.id);
}
function fireAndForget(v) { publish(v); }
"""
    index = OrderingIndex.from_settings(parse_facts("src/h.js", source), Settings())
    handler = next(f for f in index.functions if f.name == "handler")
    site = index.site(handler, handler.events[1], "publish")
    assert site is not None and [h.function.name for h in site.hops] == ["publish"]
    fire = next(f for f in index.functions if f.name == "fireAndForget")
    assert fire.events[0].error_use == "dropped"  # an async helper's promise floats


def test_no_kafka_import_no_publish() -> None:
    source = b"export async function f(producer) { producer.send({}); }\n"
    index = OrderingIndex.from_settings(parse_facts("src/m.ts", source), Settings())
    (fn,) = index.functions
    assert not index.is_publish(fn, fn.events[0])


def test_anonymous_callbacks_are_named_where_they_sit(functions: Functions) -> None:
    fns = functions(
        "src/app.js",
        """import { Kafka } from "kafkajs";
app.post("/x", async (req, res) => { await producer.send({}); });
const handler = async () => {};
export const routes = { create: async () => {} };
""",
    )
    assert sorted(fns) == ["app.post callback", "create", "handler"]


PY = """import logging
from confluent_kafka import Producer
from kafka import KafkaProducer

log = logging.getLogger(__name__)


def report(err, msg):
    if err:
        log.error("lost %s", err)


def strict(err, msg):
    if err is not None:
        raise RuntimeError(err)


def counts(err, msg):
    if err is None:
        return
    FAILED.inc()


class Pub:
    def __init__(self):
        self.producer = Producer({})
        self.legacy = KafkaProducer()

    def go(self, v):
        self.producer.produce("t", v, callback=report)
        self.producer.produce("t", v, on_delivery=strict)
        self.producer.produce("t", v, callback=counts)
        self.producer.produce("t", v)
        try:
            self.producer.produce("t", v, callback=report)
        except BufferError:
            pass
        future = self.legacy.send("t", v)
        future.add_errback(lambda exc: log.warning("lost"))
        kept = self.legacy.send("t", v)
        kept.get(timeout=5)
        self.helper(v)

    def helper(self, v):
        self.legacy.send("t", v)
"""


def test_python_delivery_callbacks(functions: Functions) -> None:
    fns = functions("app/pub.py", PY)
    go = fns["go"]
    assert _uses(go, "produce") == [
        ("returned", "callback", "logged"),  # the callback only logs
        ("returned", "callback", "handled"),  # raises from poll()/flush(): not judged
        ("returned", "callback", "handled"),  # counts the failure
        ("returned", "", "none"),  # no callback here (a producer-wide one may exist)
        ("dropped", "callback", "logged"),  # BufferError swallowed, and the callback logs
    ]
    assert _uses(go, "send") == [
        ("callback", "future", "dropped"),  # the errback never looks at the exception
        ("returned", "", "none"),  # get()
    ]
    assert go.owner == "Pub"
    index = OrderingIndex.from_settings(parse_facts("app/pub.py", PY.encode()), Settings())
    fn = next(f for f in index.functions if f.name == "go")
    helper_call = next(e for e in fn.events if e.name == "helper")
    assert index.helpers(fn, helper_call)[0].name == "helper"


def test_python_frames_and_exits(functions: Functions) -> None:
    fn = functions(
        "app/w.py",
        """from confluent_kafka import Producer
def work(p: Producer, items):
    for item in items:
        if item:
            p.produce("a", item)
        elif item is None:
            raise ValueError("x")
        else:
            p.flush()
    sys.exit(1)
""",
    )["work"]
    produce = next(e for e in fn.events if e.name == "produce")
    assert [(f.kind, f.arm) for f in produce.scope] == [("loop", 0), ("if", 0)]
    assert produce.receiver_type == "kafka:confluent_kafka"  # p: Producer
    flush = next(e for e in fn.events if e.name == "flush")
    assert [(f.kind, f.arm) for f in flush.scope] == [("loop", 0), ("if", 2)]
    exits = [e for e in fn.events if e.kind == "exit"]
    assert [e.location.line for e in exits] == [7, 10] and all(e.fails for e in exits)


def test_a_stored_future_handed_on_gets_no_verdict(functions: Functions) -> None:
    """karapace's produce_messages: each send's coroutine goes into wait_for and a list that is
    gathered later; who waits for it is not known from the assignment, so it is not "unused"."""
    fn = functions(
        "app/rest.py",
        """import asyncio
from aiokafka import AIOKafkaProducer


class Rest:
    async def produce(self, producer: AIOKafkaProducer, records):
        futures = []
        for key, value in records:
            coroutine = producer.send("t", key=key, value=value)
            futures.append(asyncio.wait_for(fut=coroutine, timeout=5))
        lost = producer.send("t", value=b"x")
        self.pending = producer.send("t", value=b"y")
        return await asyncio.gather(*futures, return_exceptions=True)
""",
    )["produce"]
    assert [u for u, _, _ in _uses(fn, "send")] == ["none", "unused", "none"]
    ts = functions(
        "src/batch.ts",
        """import { Producer } from "kafkajs";
export async function flush(producer: Producer, topics: string[]) {
  const sent = [];
  for (const topic of topics) {
    const p = producer.send({ topic, messages: [] });
    sent.push(p);
  }
  await Promise.all(sent);
}
""",
    )["flush"]
    assert [u for u, _, _ in _uses(ts, "send")] == ["none"]
