"""Compact ordering facts (what the source pass stores) judge exactly like full facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from envlint.config import Settings
from envlint.findings import Violation
from envlint.ordering import OrderingIndex
from envlint.ordering.extract import parse_facts
from envlint.ordering.model import FunctionFacts, OmittedCalls, TypeBinding
from envlint.rules import env401_destructive_before_publish as env401
from envlint.rules import env402_publish_failure_swallowed as env402

HANDLER_GO = """package checkout

import (
	"fmt"
	"strings"

	"github.com/IBM/sarama"
)

type svc struct {
	producer sarama.SyncProducer
	store    Store
}

func (s *svc) PlaceOrder(id string) error {
	key := strings.ToLower(id)
	if len(key) == 0 {
		return fmt.Errorf("empty id")
	}
	s.store.WipeAll(key)
	s.store.EmptyCart(key)
	s.notify(key)
	return nil
}

func (s *svc) notify(key string) {
	_, _, err := s.producer.SendMessage(&sarama.ProducerMessage{Topic: key})
	if err != nil {
		fmt.Println("publish failed", err)
	}
}

func (s *svc) Plain(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, strings.TrimSpace(id))
	}
	return out
}
"""

HELPERS_GO = """package checkout

func clear(m map[string]int) { sink.ClearOrder(m) }

func (s *svc) wipeOut(id string) { s.store.ClearOrder(id) }
"""

# No destructive stem in a call or a declared name ("empty" only in a string), no publish API:
# its bodies are not walked, yet the helpers it calls make it count.
FLOW_GO = """package checkout

import "log"

type flow struct {
	w *kafka.Writer
}

func (s *svc) Finish(id string) {
	s.wipeOut(id)
	s.notify(id)
	log.Print("empty basket")
}

func (f *flow) Idle() { log.Print("empty") }
"""

BUILTIN_GO = """package checkout

func (s *svc) Reset(m map[string]int) error {
	clear(m)
	_, _, err := s.producer.SendMessage(nil)
	return err
}
"""

HANDLER_CS = """using System;
using Confluent.Kafka;

namespace Shop;

public sealed class Checkout
{
    private readonly IProducer<string, string> _producer;

    public async Task Place(string id)
    {
        if (string.IsNullOrWhiteSpace(id)) throw new ArgumentException(nameof(id));
        _repo.Archive(id);
        await _producer.ProduceAsync("orders", new Message<string, string> { Value = id });
    }
}
"""

FILES = {
    "checkout/handler.go": HANDLER_GO,
    "checkout/helpers.go": HELPERS_GO,
    "checkout/reset.go": BUILTIN_GO,
    "checkout/flow.go": FLOW_GO,
    "shop/Checkout.cs": HANDLER_CS,
}


def _judged(index: OrderingIndex) -> list[tuple[str, Violation]]:
    out = []
    for fn in index.functions:
        for rule in (env401, env402):
            out += [(fn.name, v) for v in rule.judge(index, fn)]
    return out


def _write(root: Path) -> None:
    for path, source in FILES.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(source)


@pytest.mark.parametrize(
    "settings",
    [
        Settings(),
        Settings(destructive=(r"(?i)wipe",)),  # matches an omitted call (s.store.WipeAll)
        Settings(destructive=(r"^Archive$",)),  # C#: _repo.Archive
        Settings(destructive=(r"^TrimSpace$",), publish=(r"fmt\.Println",)),
        Settings(destructive=(r"^len$",)),  # an omitted builtin call
    ],
)
def test_compact_facts_judge_like_full_facts(tmp_path: Path, settings: Settings) -> None:
    _write(tmp_path)
    full: list[object] = []
    compact: list[object] = []
    for path, source in FILES.items():
        full += parse_facts(path, source.encode())
        compact += parse_facts(path, source.encode(), compact=True)
    expected = _judged(OrderingIndex.from_settings(full, settings))
    assert _judged(OrderingIndex.from_settings(compact, settings, tmp_path)) == expected
    assert expected  # every case fires something (ENV402 in notify at least)


def test_user_patterns_reach_omitted_calls(tmp_path: Path) -> None:
    _write(tmp_path)
    compact = [f for p, s in FILES.items() for f in parse_facts(p, s.encode(), compact=True)]
    keys = {v.key for _, v in _judged(OrderingIndex.from_settings(compact, Settings(), tmp_path))}
    wipe = Settings(destructive=(r"(?i)wipe|^Archive$",))
    wiped = {v.key for _, v in _judged(OrderingIndex.from_settings(compact, wipe, tmp_path))}
    assert "svc.PlaceOrder:WipeAll" not in keys
    assert {"svc.PlaceOrder:store.WipeAll", "Checkout.Place:_repo.Archive"} <= wiped


def test_builtin_named_helper_is_seen_through(tmp_path: Path) -> None:
    """``clear(m)`` is omitted as a builtin, but the package declares ``clear``: it destroys."""
    _write(tmp_path)
    compact = [f for p, s in FILES.items() for f in parse_facts(p, s.encode(), compact=True)]
    keys = {v.key for _, v in _judged(OrderingIndex.from_settings(compact, Settings(), tmp_path))}
    assert "svc.Reset:clear -> sink.ClearOrder" in keys


def test_compact_facts_are_small() -> None:
    compact = parse_facts("checkout/handler.go", HANDLER_GO.encode(), compact=True)
    functions = {f.name: f for f in compact if isinstance(f, FunctionFacts)}
    assert "Plain" not in functions  # nothing that could matter: dropped
    assert [e.name for e in functions["PlaceOrder"].events if e.kind == "call"] == [
        "EmptyCart",
        "notify",
    ]
    assert [e.index for e in functions["PlaceOrder"].events] == list(
        range(len(functions["PlaceOrder"].events))
    )
    omitted = next(f for f in compact if isinstance(f, OmittedCalls))
    assert {"WipeAll", "ToLower", "Errorf", "len"} <= set(omitted.names)
    assert "len" in omitted.plain
    assert "s.store.WipeAll" in omitted.callees


def test_file_without_destructive_calls_is_not_walked(tmp_path: Path) -> None:
    compact = parse_facts("checkout/flow.go", FLOW_GO.encode(), compact=True)
    assert not [f for f in compact if isinstance(f, FunctionFacts)]
    assert [(b.name, b.type) for b in compact if isinstance(b, TypeBinding)] == [
        ("w", "kafka.Writer")
    ]
    (omitted,) = [f for f in compact if isinstance(f, OmittedCalls)]
    assert omitted.unwalked
    assert {"wipeOut", "notify", "Print", "Finish"} <= set(omitted.plain)
    _write(tmp_path)
    facts = [f for p, s in FILES.items() for f in parse_facts(p, s.encode(), compact=True)]
    keys = {v.key for _, v in _judged(OrderingIndex.from_settings(facts, Settings(), tmp_path))}
    assert "svc.Finish:wipeOut -> store.ClearOrder" in keys  # re-extracted through its helpers
