"""Work envlint must not do (issue #13), counted rather than timed: which analyses run for the
selected rules, and how parsed trees hand out their text."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from envlint.config import Settings
from envlint.engine import lint
from envlint.filepass import parse as parsing
from envlint.sources import index
from tests.conftest import write_tree

GO_SERVICE = """
    package main

    import (
        "os"

        "github.com/IBM/sarama"
    )

    type checkout struct{ producer sarama.SyncProducer }

    func (c *checkout) placeOrder(id string) error {
        emptyCart(id)
        _, _, err := c.producer.SendMessage(&sarama.ProducerMessage{Topic: "orders"})
        return err
    }

    func emptyCart(id string) {}

    func main() {
        addr := os.Getenv("KAFKA_ADDR")
        if addr == "" {
            panic("KAFKA_ADDR")
        }
        p, _ := sarama.NewSyncProducer([]string{addr}, sarama.NewConfig())
        c := &checkout{producer: p}
        _ = c.placeOrder("1")
    }
"""


def _project(root: Path) -> Path:
    write_tree(
        root,
        {
            "compose.yaml": """
                services:
                  checkout:
                    build: ./src/checkout
                    environment:
                      - KAFKA_ADDR
                  kafka:
                    image: apache/kafka:3.7.0
                    environment:
                      KAFKA_LOG_RETENTION_HOURS: "1"
            """,
            "src/checkout/Dockerfile": "FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\n"
            'ENTRYPOINT ["/app"]\n',
            "src/checkout/main.go": GO_SERVICE,
        },
    )
    return root


class _Counting:
    """Counts the source pass's parses and each extractor's and adapter's calls."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: Counter[str] = Counter()
        real_parse = parsing.parse

        def parse(language: str, source: bytes) -> Any:
            self.calls["parse"] += 1
            return real_parse(language, source)

        monkeypatch.setattr(parsing, "parse", parse)
        from envlint.kafka import clients
        from envlint.ordering import extract

        monkeypatch.setattr(clients, "EXTRACTOR", self._wrap(clients.EXTRACTOR))
        real_extractor = extract.extractor  # the ordering extractor is made per run's settings

        def extractor(settings: Any = None) -> Any:
            return self._wrap(real_extractor(settings))

        monkeypatch.setattr(extract, "extractor", extractor)
        real_load = index.load_adapter

        def load_adapter(language: str) -> Any:
            adapter = real_load(language)
            if adapter is None:
                return None
            return _AdapterSpy(adapter, self.calls)

        monkeypatch.setattr(index, "load_adapter", load_adapter)

    def _wrap(self, extractor: Any) -> Any:
        real: Callable[..., Any] = extractor.extract

        def extract(*args: Any) -> Any:
            self.calls[extractor.name] += 1
            return real(*args)

        return replace(extractor, extract=extract)


class _AdapterSpy:
    def __init__(self, adapter: Any, calls: Counter[str]) -> None:
        self._adapter, self._calls = adapter, calls

    def scan(self, *args: Any) -> Any:
        self._calls["env-reads"] += 1
        return self._adapter.scan(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._adapter, name)


def _work(root: Path, monkeypatch: pytest.MonkeyPatch, **settings: Any) -> Counter[str]:
    with monkeypatch.context() as patch:
        counting = _Counting(patch)
        lint([root], Settings(cache=False, jobs=1, **settings))
        return counting.calls


def test_analyses_run_only_for_the_selected_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _project(tmp_path)
    everything = _work(root, monkeypatch)
    # the fixture exercises every per-file analysis, so the zero counts below mean something;
    # its service lacks KAFKA_ADDR, which main() panics without: whether that read runs at
    # start-up takes a second parse of that program's one file (its function facts)
    assert everything["parse"] == 2
    assert everything["env-reads"] == everything["ordering"] == everything["kafka-clients"] == 1

    env201 = _work(root, monkeypatch, select=("ENV201",))
    assert env201["parse"] == 2 and env201["env-reads"] == 1 and env201["kafka-clients"] == 1
    assert env201["ordering"] == 0
    env202 = _work(root, monkeypatch, select=("ENV202",))  # needs no start-up map
    assert env202["parse"] == 1

    compose = (root / "compose.yaml").read_text(encoding="utf-8")
    (root / "compose.yaml").write_text(
        compose.replace("- KAFKA_ADDR", "- KAFKA_ADDR=kafka:9092", 1),
        encoding="utf-8",
    )
    provided = _work(root, monkeypatch, select=("ENV201",))
    assert provided["parse"] == 1  # no read the service may fail on: nothing parsed twice

    no_ordering = _work(root, monkeypatch, ignore=("ENV4",))
    assert no_ordering["ordering"] == 0 and no_ordering["env-reads"] == 1

    ordering_only = _work(root, monkeypatch, select=("ENV401",))
    assert ordering_only["ordering"] == 1
    assert ordering_only["env-reads"] == 0 and ordering_only["kafka-clients"] == 0

    compose_only = _work(root, monkeypatch, select=("ENV1", "ENV301"), ignore=("ENV107",
                                                                              "ENV109"))
    assert compose_only["parse"] == 0  # no rule needs code facts: no file is even parsed


class _CallbackSpy:
    """A parser whose read callbacks count their calls."""

    def __init__(self, parser: Any) -> None:
        self.parser, self.reads = parser, 0

    def parse(self, source: Any, *args: Any, **kwargs: Any) -> Any:
        if callable(source):
            real = source

            def read(offset: int, point: object) -> bytes:
                self.reads += 1
                data: bytes = real(offset, point)
                return data

            source = read
        return self.parser.parse(source, *args, **kwargs)

    def reset(self) -> None:
        self.parser.reset()


def test_parsed_trees_hand_out_text_without_the_read_callback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tree_sitter import Query, QueryCursor

    from envlint.filepass.languages import load_language, parser_for

    spy = _CallbackSpy(parser_for("go"))
    monkeypatch.setattr(parsing, "parser_for", lambda _language: spy)
    source = GO_SERVICE.encode() * 40  # ~28 KB: many read chunks
    root = parsing.parse("go", source)
    assert root is not None and spy.reads > 0  # parsed through the callback (the time budget)
    after_parse = spy.reads
    nodes, todo = 0, [root]
    while todo:
        node = todo.pop()
        assert node.text == source[node.start_byte : node.end_byte]
        nodes += 1
        todo.extend(node.children)
    language = load_language("go")
    assert language is not None
    query = Query(language, '((call_expression function: (_) @f) (#eq? @f "os.Getenv"))')
    assert len(QueryCursor(query).captures(root).get("f", [])) == 40
    assert nodes > 1000 and spy.reads == after_parse  # no text went through the callback


def test_a_tree_with_errors_keeps_its_text_and_the_time_budget_still_applies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = b"package main\n\nfunc main() {\n\tx := os.Getenv(\"A\"\n}\n"
    root = parsing.parse("go", source)
    assert root is not None and root.has_error
    assert root.text == source
    monkeypatch.setattr(parsing, "PARSE_BUDGET_S", 0.0)
    with pytest.raises(parsing.ParseTimeout):
        parsing.parse("go", GO_SERVICE.encode() * 40)
