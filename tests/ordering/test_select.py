"""Only what can fire (issue #13 item 1): publish needles per language and from the user's
``publish`` patterns, the functions that reach a publish, and the package-wide completion."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from envlint.config import Settings
from envlint.filepass.parse import parse_file
from envlint.findings import Violation
from envlint.ordering import OrderingIndex
from envlint.ordering.extract import extractor, parse_facts
from envlint.ordering.model import FileFunctions, FunctionFacts, OrderingFact, TypeBinding
from envlint.ordering.scope import complete
from envlint.ordering.select import Needles, pattern_literals
from envlint.rules import env401_destructive_before_publish as env401
from envlint.rules import env402_publish_failure_swallowed as env402

# -- needles ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"bus\.Emit", [("Emit", False)]),
        (r"(?i)eventBus\.Publish", [("eventbus", True)]),
        (r"outbox\.add", [("outbox", False)]),
        (r"(?i)(emit|publish)Event", [("event", True)]),  # the longest required literal
        (r"(?i)(emit|publish)Ev", [("emit", True), ("publish", True)]),  # one of the branches
        (r"[Pp]ublish", [("ublish", False)]),
        (r"^Notify(Order)+$", [("Notify", False)]),
        (r"(?i:Send)Async", [("Async", False)]),
    ],
)
def test_pattern_literals_every_match_holds(pattern: str, expected: list[tuple[str, bool]]) -> None:
    assert pattern_literals(pattern) == expected


@pytest.mark.parametrize("pattern", [r".*", r"\w+\.\w+", r"(a|.)b", r"[Ee]\.", "x"])
def test_patterns_without_a_literal_mean_every_file(pattern: str) -> None:
    assert pattern_literals(pattern) is None
    assert Needles.of([pattern]).everything


def test_needles_per_language() -> None:
    needles = Needles()
    assert needles.in_file("go", b"p.producer.SendMessage(m)")
    assert not needles.in_file("go", b"func send() {}")  # Java's needle is not Go's
    assert needles.in_file("java", b"template.send(t, v)")
    assert not needles.in_file("javascript", b"mailer.send(x)")  # no Kafka client imported
    assert needles.in_file("typescript", b'import { Kafka } from "kafkajs"')
    assert needles.in_file("python", b"from confluent_kafka import Producer")
    user = Needles.of([r"(?i)eventBus\.Publish"])
    assert user.in_file("go", b"h.EVENTBUS.publish(e)") and not user.in_file("go", b"bus()")
    assert user.in_body("go", b"return h.eventBus.Publish(ctx, e)")


# -- the selection within a file ----------------------------------------------------------------

HANDLER = """package shop

import "strings"

type svc struct {
	producer sarama.SyncProducer
	carts    CartClient
}

func (s *svc) Place(id string) error {
	s.carts.EmptyCart(id)
	return s.notify(id)
}

func (s *svc) notify(id string) error {
	_, _, err := s.producer.SendMessage(&sarama.ProducerMessage{Topic: id})
	return err
}

func (s *svc) Checkout(id string) error {
	s.wipe(id)
	return s.Place(id)
}

func (s *svc) wipe(id string) { s.carts.ClearCart(strings.ToLower(id)) }

func (s *svc) Unrelated(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, strings.TrimSpace(id))
	}
	s.carts.DeleteOrder("x")
	return out
}
"""


def _walked(facts: tuple[OrderingFact, ...]) -> list[str]:
    return [f.name for f in facts if isinstance(f, FunctionFacts)]


def test_only_functions_that_reach_a_publish_and_their_helpers_are_walked() -> None:
    facts = parse_facts("shop/handler.go", HANDLER.encode(), select=True)
    assert _walked(facts) == ["Place", "notify", "Checkout", "wipe"]
    (summary,) = [f for f in facts if isinstance(f, FileFunctions)]
    assert {f.name: (f.publishes, f.walked) for f in summary.functions} == {
        "Place": (False, True),
        "notify": (True, True),
        "Checkout": (False, True),
        "wipe": (False, True),
        "Unrelated": (False, False),
    }
    assert [b.name for b in facts if isinstance(b, TypeBinding)] == ["producer", "carts"]


def test_a_file_without_a_publish_needle_is_not_extracted() -> None:
    source = b"package shop\n\nfunc F() { EmptyCart() }\n"
    assert parse_facts("shop/x.go", source, select=True) == ()


FILES = {
    "checkout/handler.go": HANDLER,
    "checkout/Checkout.cs": """using Confluent.Kafka;
namespace Shop;
public sealed class Checkout
{
    private readonly IProducer<string, string> _producer;
    public async Task Place(string id)
    {
        _repo.Archive(id);
        await Notify(id);
    }
    private async Task Notify(string id)
    {
        try { await _producer.ProduceAsync("orders", new Message<string, string> { Value = id }); }
        catch (Exception e) { _log.LogError(e, "lost"); }
    }
    public void Unrelated() { _repo.DeleteOrder("x"); }
}
""",
    "checkout/src/orders.ts": """import { Kafka } from "kafkajs";
const producer = new Kafka({ brokers: [] }).producer();
export async function place(id: string) {
  await carts.deleteCart(id);
  await notify(id);
}
async function notify(id: string) {
  try { await producer.send({ topic: "orders", messages: [] }); } catch (e) { console.error(e); }
}
export function unrelated() { carts.removeOrder("x"); }
""",
}


def _judged(index: OrderingIndex) -> list[tuple[str, Violation]]:
    out = []
    for fn in index.functions:
        for rule in (env401, env402):
            out += [(fn.name, v) for v in rule.judge(index, fn)]
    return sorted(out, key=lambda item: (item[1].location, item[1].message))


@pytest.mark.parametrize(
    "settings",
    [
        Settings(),
        Settings(destructive=(r"(?i)archive|trimspace",)),
        Settings(publish=(r"carts\.DeleteOrder", r"(?i)REPO\.deleteorder")),
        Settings(destructive=(r"^ToLower$",), publish=(r"strings\.ToLower",)),
    ],
)
def test_selected_facts_judge_like_full_facts(settings: Settings) -> None:
    full: list[OrderingFact] = []
    selected: list[OrderingFact] = []
    for path, source in FILES.items():
        full += parse_facts(path, source.encode())
        selected += parse_facts(path, source.encode(), select=True, publish=settings.publish)
    expected = _judged(OrderingIndex.from_settings(full, settings))
    assert expected  # every case fires something
    assert _judged(OrderingIndex.from_settings(selected, settings)) == expected


def test_a_user_publish_pattern_selects_what_it_matches() -> None:
    plain = parse_facts("shop/handler.go", HANDLER.encode(), select=True)
    assert "Unrelated" not in _walked(plain)
    with_pattern = parse_facts(
        "shop/handler.go", HANDLER.encode(), select=True, publish=[r"carts\.DeleteOrder"]
    )
    assert "Unrelated" in _walked(with_pattern)


# -- the package-wide completion ------------------------------------------------------------------

PACKAGE = {
    "svc/types.go": "package svc\n\ntype s struct {\n\tw *kafka.Writer\n\trepo Repo\n}\n",
    "svc/handler.go": """package svc

func (x *s) Cancel(id string) error {
	x.repo.DeleteOrder(id)
	return x.relay(id)
}

func (x *s) relay(id string) error { return x.emit(id) }

func (x *s) Other() { x.repo.RemoveOrder("y") }
""",
    "svc/events.go": "package svc\n\nfunc (x *s) emit(id string) error {\n"
    "\treturn x.w.WriteMessages(ctx, kafka.Message{Key: []byte(id)})\n}\n",
    "other/idle.go": "package other\n\nfunc Idle() { DeleteOrder() }\n",
}


def test_the_package_of_a_publish_is_completed_across_its_files(tmp_path: Path) -> None:
    for path, source in PACKAGE.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(source)
    extract = extractor()
    first: list[OrderingFact] = []
    for path, source in PACKAGE.items():
        if extract.matches("go", source.encode(), "main.go"):
            first += parse_facts(path, source.encode(), select=True)
    assert _walked(tuple(first)) == ["emit"]  # only events.go holds a needle
    parsed: list[str] = []

    def parse(path: str, language: str) -> tuple[bytes, object] | None:
        parsed.append(path)
        return parse_file(str(tmp_path), path, language, 1 << 20)

    candidates = sorted((p, "go") for p in PACKAGE)
    facts = complete(first, candidates, Needles(), parse)  # type: ignore[arg-type]
    assert sorted(parsed) == ["svc/handler.go", "svc/types.go"]  # not other/, not events.go
    assert sorted(_walked(facts)) == ["Cancel", "emit", "relay"]
    index = OrderingIndex.from_settings(facts, Settings())
    keys = [v.key for _, v in _judged(index)]
    assert keys == ["s.Cancel:repo.DeleteOrder"]


ACROSS = {
    "bus/bus.go": """package bus

type Bus struct{ w *kafka.Writer }

func (b *Bus) Emit(ctx context.Context, v []byte) error {
	return b.w.WriteMessages(ctx, kafka.Message{Value: v})
}

func (b *Bus) emit(ctx context.Context, v []byte) error {
	return b.w.WriteMessages(ctx, kafka.Message{Value: v})
}
""",
    "ports/ports.go": (
        "package ports\n\ntype Events interface {\n\tEmit(ctx context.Context, v []byte) error\n}\n"
    ),
    "api/api.go": """package api

type API struct{ events ports.Events }

func (a *API) Create(ctx context.Context) error {
	_ = a.events.Emit(ctx, nil)
	return nil
}

func (a *API) Show() string { return "x" }
""",
    "other/idle.go": "package other\n\nfunc Idle() { Remove() }\n",
}


def test_callers_of_an_exported_publishing_method_are_found_in_other_packages(
    tmp_path: Path,
) -> None:
    from envlint.filepass.parse import parse_source, read_source
    from envlint.ordering.model import MethodDecl
    from envlint.ordering.scope import across

    for path, source in ACROSS.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(source)
    first = parse_facts("bus/bus.go", ACROSS["bus/bus.go"].encode(), select=True)
    parsed: list[str] = []

    def parse(path: str, data: bytes) -> tuple[bytes, object] | None:
        parsed.append(path)
        return parse_source("go", data)

    def read(path: str) -> bytes | None:
        return read_source(str(tmp_path), path, "go", 1 << 20)

    found = across(first, sorted(ACROSS), read, parse)  # type: ignore[arg-type]
    # the files that name Emit before "(" (not other/); an unexported emit is not looked for
    assert sorted(parsed) == ["api/api.go", "bus/bus.go", "ports/ports.go"]
    assert sorted(_walked(found)) == ["Create"]
    # every declaration of Emit, and (one package further out) of Create, which calls it
    assert sorted(
        (d.path, d.owner, d.name, d.interface) for d in found if isinstance(d, MethodDecl)
    ) == [
        ("api/api.go", "API", "Create", False),
        ("bus/bus.go", "Bus", "Emit", False),
        ("ports/ports.go", "Events", "Emit", True),
    ]


def test_walk_needed_walks_what_the_scope_needs_and_is_not_walked_yet(tmp_path: Path) -> None:
    from envlint.ordering._walk import Text
    from envlint.ordering.extract import Parsed
    from envlint.ordering.scope import _summaries, _walk_needed

    (tmp_path / "handler.go").write_text(HANDLER)
    found = parse_file(str(tmp_path), "handler.go", "go", 1 << 20)
    assert found is not None
    file = Parsed("go", found[1], "handler.go", Text(found[0]))
    summaries = {"handler.go": _summaries(file, Needles())}
    walked = {("handler.go", "wipe")}  # walked before: not again
    facts = tuple(_walk_needed(summaries, {"handler.go": file}.get, walked))
    assert _walked(facts) == ["Place", "notify", "Checkout"]  # not Unrelated: no publish
    assert walked == {("handler.go", n) for n in ("Place", "notify", "Checkout", "wipe")}
    assert _walk_needed(summaries, {"handler.go": file}.get, walked) == []
    # a summary that says it is walked is not walked again; a file that cannot be parsed
    done = {"handler.go": [replace(f, walked=f.name == "notify") for f in summaries["handler.go"]]}
    assert _walked(tuple(_walk_needed(done, {"handler.go": file}.get, set()))) == [
        "Place",
        "Checkout",
        "wipe",
    ]
    assert _walk_needed(summaries, {}.get, set()) == []
