"""ENV402 edge cases beyond the page: end to end over fixtures, and the pure judge on facts."""

from __future__ import annotations

from pathlib import Path

from envlint.config import Settings
from envlint.engine import lint
from envlint.ordering import OrderingIndex
from envlint.ordering.extract import parse_facts
from envlint.rules.env402_publish_failure_swallowed import RULE, judge

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _lint(name: str) -> list[tuple[str, str, int]]:
    report = lint([FIXTURES / name], Settings(select=(RULE.code,), cache=False))
    return sorted((f.code, f.location.path, f.location.line) for f in report.findings)


def test_async_producer_helper_returning_nothing_fires_in_the_helper() -> None:
    assert _lint("ordering_checkout_go") == [("ENV402", "src/checkout/order.go", 37)]


def test_returned_errors_are_quiet() -> None:
    assert _lint("ordering_outbox_go") == []


def _judge(source: str, path: str = "svc/p.go") -> list[tuple[str, int, str]]:
    index = OrderingIndex.from_settings(parse_facts(path, source.encode()), Settings())
    return [
        (fn.name, v.location.line, v.message) for fn in index.functions for v in judge(index, fn)
    ]


GO = """package svc

type p struct {
	producer sarama.SyncProducer
	async    sarama.AsyncProducer
	mailer   Mailer
}
"""


def test_one_finding_per_function_with_the_others_related() -> None:
    source = (
        GO
        + """
func (s *p) Twice() {
	s.producer.SendMessage(a)
	_, _, _ = s.producer.SendMessage(b)
}
"""
    )
    index = OrderingIndex.from_settings(parse_facts("svc/p.go", source.encode()), Settings())
    (violation,) = [v for fn in index.functions for v in judge(index, fn)]
    assert violation.location.line == 10
    assert [r.location.line for r in violation.related] == [11]


def test_failure_branch_returning_success_still_swallows() -> None:
    source = (
        GO
        + """
func (s *p) Quiet() error {
	if _, _, err := s.producer.SendMessage(a); err != nil {
		return nil
	}
	return nil
}
"""
    )
    ((name, line, message),) = _judge(source)
    assert (name, line) == ("Quiet", 10)
    assert "only logs" in message


def test_unrelated_send_and_unread_errors() -> None:
    source = (
        GO
        + """
func (s *p) Mail() {
	s.mailer.SendMessage(a)
}

func (s *p) Fire() {
	s.async.Input() <- msg
}
"""
    )
    ((name, line, message),) = _judge(source)
    assert (name, line) == ("Fire", 14)
    assert "never reads the producer's Errors()" in message


def test_helper_that_swallows_is_not_reported_again_at_callers() -> None:
    source = (
        GO
        + """
func (s *p) send() {
	if _, _, err := s.producer.SendMessage(a); err != nil {
		log.Print(err)
	}
}

func (s *p) Handle() error {
	s.send()
	return nil
}
"""
    )
    assert [(n, line) for n, line, _ in _judge(source)] == [("send", 10)]


def test_dropped_helper_error_fires_at_the_call() -> None:
    source = (
        GO
        + """
func (s *p) send() error {
	_, _, err := s.producer.SendMessage(a)
	return err
}

func (s *p) Handle() {
	s.send()
}
"""
    )
    assert [(n, line) for n, line, _ in _judge(source)] == [("Handle", 15)]
