"""ENV401 edge cases beyond the page: end to end over fixtures, and the pure judge on facts."""

from __future__ import annotations

from pathlib import Path

from envlint.config import Settings
from envlint.engine import lint
from envlint.ordering import OrderingIndex
from envlint.ordering.extract import parse_facts
from envlint.rules.env401_destructive_before_publish import RULE, judge

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _lint(name: str) -> set[tuple[str, str, int]]:
    report = lint([FIXTURES / name], Settings(select=(RULE.code,), cache=False))
    return {(f.code, f.location.path, f.location.line) for f in report.findings}


def test_checkout_shape_fires_at_the_helper_call() -> None:
    report = lint([FIXTURES / "ordering_checkout_go"], Settings(select=("ENV401",), cache=False))
    (finding,) = report.findings
    assert (finding.location.path, finding.location.line) == ("src/checkout/order.go", 18)
    assert "PlaceOrder" in finding.message and "publishOrder" in finding.message
    assert finding.service == "checkout"
    related = {(r.location.path, r.location.line) for r in finding.related}
    assert related == {("src/checkout/order.go", 21), ("src/checkout/order.go", 37)}


def test_outbox_order_is_quiet() -> None:
    assert _lint("ordering_outbox_go") == set()


def _judge(source: str, path: str = "svc/h.go") -> list[tuple[str, int]]:
    index = OrderingIndex.from_settings(parse_facts(path, source.encode()), Settings())
    return [(fn.name, v.location.line) for fn in index.functions for v in judge(index, fn)]


GO_TYPES = """package svc

type h struct {
	producer sarama.SyncProducer
	carts    CartClient
}
"""


def test_destroy_in_loop_before_publish_fires_once_per_call() -> None:
    source = (
        GO_TYPES
        + """
func (s *h) Batch(ids []string) {
	for _, id := range ids {
		s.carts.EmptyCart(id)
	}
	s.carts.DeleteOrder(ids[0])
	s.producer.SendMessages(msgs)
}
"""
    )
    assert _judge(source) == [("Batch", 10), ("Batch", 12)]


def test_destroy_after_publish_or_in_its_failure_branch_is_quiet() -> None:
    source = (
        GO_TYPES
        + """
func (s *h) Place(id string) error {
	if _, _, err := s.producer.SendMessage(m); err != nil {
		s.carts.ClearCart(id)
		return err
	}
	return s.carts.EmptyCart(id)
}
"""
    )
    assert _judge(source) == []


def test_helper_that_destroys_then_publishes_fires_inside_not_at_callers() -> None:
    source = (
        GO_TYPES
        + """
func (s *h) finish(id string) {
	s.carts.EmptyCart(id)
	s.producer.SendMessage(m)
}

func (s *h) Handle(id string) {
	s.finish(id)
}
"""
    )
    assert _judge(source) == [("finish", 9)]


def test_publish_in_a_goroutine_after_destroy_fires() -> None:
    source = (
        GO_TYPES
        + """
func (s *h) Handle(id string) {
	s.carts.EmptyCart(id)
	go func() { s.producer.SendMessage(m) }()
}
"""
    )
    assert _judge(source) == [("Handle", 9)]


def test_csharp_exclusive_branches_are_quiet() -> None:
    source = """namespace Shop;
public class H
{
    private readonly IProducer<string, string> _producer;
    public async Task Run(bool cancel)
    {
        if (cancel) { await _repo.DeleteOrderAsync(id); }
        else { await _producer.ProduceAsync("t", m); }
    }
}
"""
    assert _judge(source, "src/H.cs") == []


def test_helper_in_another_file_of_the_package_is_followed() -> None:
    """handler.go holds no client call: its package's publish in events.go makes it count
    (issue #13: the selection spans the package)."""
    assert _lint("ordering_package_go") == {("ENV401", "svc/orders/handler.go", 7)}
