from __future__ import annotations

from envlint.config import Settings
from envlint.model import Location
from envlint.ordering import OrderingIndex, precedes
from envlint.ordering.extract import parse_facts
from envlint.ordering.model import Frame, FunctionFacts, OrderEvent


def _index(files: dict[str, str], settings: Settings | None = None) -> OrderingIndex:
    facts: list[object] = []
    for path, source in files.items():
        facts.extend(parse_facts(path, source.encode()))
    return OrderingIndex.from_settings(facts, settings or Settings())


def _fn(index: OrderingIndex, name: str) -> FunctionFacts:
    return next(f for f in index.functions if f.name == name)


def _event(index: OrderEvent | int, kind: str = "call", *scope: Frame) -> OrderEvent:
    assert isinstance(index, int)
    return OrderEvent(index, kind, Location("a.go", index + 1), scope)  # type: ignore[arg-type]


def test_precedes_respects_exclusive_arms_and_exits() -> None:
    then, other = Frame("if", 10, 0), Frame("if", 10, 1)
    d, p = _event(0, "call", then), _event(1, "call", other)
    assert not precedes(d, p, (d, p))
    d, p = _event(0, "call", then), _event(2, "call")
    exit_in_arm = _event(1, "exit", then)
    assert not precedes(d, p, (d, exit_in_arm, p))
    exit_elsewhere = _event(1, "exit", other)
    assert precedes(d, p, (d, exit_elsewhere, p))
    loop = Frame("loop", 5)
    d, p = _event(0, "call", loop), _event(1, "call", loop, Frame("select", 7, 2))
    assert precedes(d, p, (d, p))
    assert not precedes(p, d, (d, p))


SHOP = {
    "svc/types.go": """package svc

type shop struct {
	producer sarama.SyncProducer
	mailer   Mailer
}
""",
    "svc/flow.go": """package svc

func (s *shop) One() { s.two() }
func (s *shop) two() { s.three() }
func (s *shop) three() { s.four() }
func (s *shop) four() { s.producer.SendMessage(m) }
func (s *shop) Loop() { s.loop() }
func (s *shop) loop() { s.Loop() }
func (s *shop) Mail() { s.mailer.SendMessage(m) }
func other() { x.two() }
""",
}


def test_helpers_resolve_across_files_depth_limited_and_cycle_safe() -> None:
    index = _index(SHOP)
    three = _fn(index, "three")
    site = index.site(three, three.events[0], "publish")
    assert site is not None and [h.function.name for h in site.hops] == ["four"]
    assert site.api.name == "SendMessage"
    one = _fn(index, "One")
    deep = index.site(one, one.events[0], "publish")
    assert deep is not None and [h.function.name for h in deep.hops] == ["two", "three", "four"]
    loop = _fn(index, "Loop")
    assert index.site(loop, loop.events[0], "publish") is None
    foreign = _fn(index, "other")
    assert index.helpers(foreign, foreign.events[0]) == []  # x is not the receiver


def test_depth_limit_stops_at_three_helpers() -> None:
    files = dict(SHOP)
    files["svc/deeper.go"] = "package svc\n\nfunc (s *shop) Zero() { s.One() }\n"
    index = _index(files)
    zero = _fn(index, "Zero")
    assert index.site(zero, zero.events[0], "publish") is None


def test_receiver_types_keep_unrelated_send_out() -> None:
    index = _index(SHOP)
    mail = _fn(index, "Mail")
    assert not index.is_publish(mail, mail.events[0])  # Mailer.SendMessage is not Kafka
    four = _fn(index, "four")
    assert index.is_publish(four, four.events[0])


def test_user_patterns() -> None:
    settings = Settings(destructive=(r"(?i)^purgeEverything$",), publish=(r"bus\.Emit",))
    index = _index(
        {
            "svc/a.go": (
                "package svc\n\nfunc H() {\n\tpurgeEverything()\n\tbus.Emit(e)\n\tEmptyCart()\n}\n"
            )
        },
        settings,
    )
    fn = _fn(index, "H")
    purge, emit, empty = fn.events
    assert index.is_destructive(purge) and not index.is_destructive(empty)
    assert index.is_publish(fn, emit)
