from __future__ import annotations

from collections.abc import Callable

from envlint.ordering.extract import parse_facts
from envlint.ordering.model import ChannelReader, FunctionFacts, TypeBinding

Functions = Callable[[str, str], dict[str, FunctionFacts]]

HEADER = """package shop

type svc struct {
	producer sarama.SyncProducer
	async    sarama.AsyncProducer
	carts    CartClient
}
"""


def _calls(fn: FunctionFacts) -> dict[str, str]:
    return {e.name: e.error_use for e in fn.events if e.kind in ("call", "send")}


def test_error_use_of_go_calls(functions: Functions) -> None:
    fns = functions(
        "svc/a.go",
        HEADER
        + """
func (s *svc) Run(ctx context.Context) (string, error) {
	_, _, errA := s.producer.SendMessage(a)
	if errA != nil {
		return "", errA
	}
	_, _, errB := s.producer.SendMessage(b)
	if errB != nil {
		log.Printf("x %v", errB)
	}
	_ = s.carts.EmptyCart(ctx)
	s.carts.ClearCart(ctx)
	_, _, unused := s.producer.SendMessages(c)
	if err := s.carts.DeleteOrder(ctx); err != nil {
		panic(err)
	}
	return "", s.carts.RemoveOrder(ctx)
}
""",
    )
    run = fns["Run"]
    uses = [(e.name, e.error_use) for e in run.events if e.kind == "call" and e.name != "Printf"]
    assert uses == [
        ("SendMessage", "checked"),
        ("SendMessage", "logged"),
        ("EmptyCart", "discarded"),
        ("ClearCart", "dropped"),
        ("SendMessages", "unused"),
        ("DeleteOrder", "checked"),
        ("panic", "dropped"),
        ("RemoveOrder", "returned"),
    ]
    assert run.returns_error and run.owner == "svc" and run.receiver_var == "s"
    assert run.package == "svc"


def test_guards_follow_error_checks(functions: Functions) -> None:
    fns = functions(
        "svc/a.go",
        HEADER
        + """
func (s *svc) Run() error {
	_, _, err := s.producer.SendMessage(a)
	if err != nil {
		return err
	}
	s.carts.EmptyCart()
	res, err2 := s.producer.SendMessage(b)
	if err2 == nil {
		s.carts.DeleteOrder()
	} else {
		s.carts.ClearCart()
	}
	return nil
}
""",
    )
    events = {e.name: e for e in fns["Run"].events if e.kind == "call"}
    send = [e.index for e in fns["Run"].events if e.name == "SendMessage"]
    assert events["EmptyCart"].guards == (send[0],)
    assert events["DeleteOrder"].guards == (send[0], send[1])
    assert events["ClearCart"].guards == (send[0],)  # the failure arm is not guarded by it
    assert events["EmptyCart"].receiver_type == "CartClient"
    assert events["SendMessage"].receiver_type == "sarama.SyncProducer"


def test_async_producer_errors_channel(functions: Functions) -> None:
    source = (
        HEADER
        + """
func (s *svc) Logged(ctx context.Context) {
	select {
	case s.async.Input() <- msg:
		select {
		case e := <-s.async.Errors():
			log.Print(e)
		case <-s.async.Successes():
		}
	case <-ctx.Done():
	}
}

func (s *svc) Checked() error {
	s.async.Input() <- msg
	for e := range s.async.Errors() {
		return e.Err
	}
	return nil
}

func (s *svc) Unread() {
	s.async.Input() <- msg
}
"""
    )
    fns = functions("svc/a.go", source)
    assert _calls(fns["Logged"])["Input"] == "logged"
    assert _calls(fns["Checked"])["Input"] == "checked"
    assert _calls(fns["Unread"])["Input"] == "dropped"
    send = next(e for e in fns["Logged"].events if e.kind == "send")
    assert send.receiver == "s.async" and send.receiver_type == "sarama.AsyncProducer"
    assert [f.kind for f in send.scope] == ["select"]


def test_scopes_and_exits(functions: Functions) -> None:
    fns = functions(
        "main.go",
        """package main

func handler(ok bool) {
	if ok {
		a()
	} else if other {
		b()
	}
	switch {
	case ok:
		c()
	default:
		d()
	}
	for i := 0; i < 3; i++ {
		e()
	}
	go func() { f() }()
	defer g()
	log.Fatalf("stop")
}
""",
    )
    fn = fns["handler"]
    scopes = {e.name: [(f.kind, f.arm) for f in e.scope] for e in fn.events if e.kind == "call"}
    assert scopes["a"] == [("if", 0)]
    assert scopes["b"] == [("if", 1), ("if", 0)]
    assert scopes["c"] == [("switch", 0)]
    assert scopes["d"] == [("switch", 1)]
    assert scopes["e"] == [("loop", 0)]
    assert ("closure", 0) in scopes["f"]
    assert scopes["g"] == [("closure", 0)]
    exits = [e for e in fn.events if e.kind == "exit"]
    assert len(exits) == 1 and exits[0].fails and exits[0].location.line == 20
    assert fn.package == "." and not fn.returns_error and fn.owner == ""


def test_bindings_and_constructed_types() -> None:
    facts = parse_facts(
        "svc/w.go",
        b"""package svc

var writer = &kafka.Writer{Topic: "orders"}

type pub struct {
	cl *kgo.Client
}

func (p *pub) Go() {
	prod, err := sarama.NewSyncProducer(addrs, cfg)
	prod.SendMessage(m)
	writer.WriteMessages(ctx, m)
	p.cl.ProduceSync(ctx, r)
}
""",
    )
    bindings = {(b.owner, b.name): b.type for b in facts if isinstance(b, TypeBinding)}
    assert bindings == {("", "writer"): "kafka.Writer", ("pub", "cl"): "kgo.Client"}
    fn = next(f for f in facts if isinstance(f, FunctionFacts))
    types = {e.name: e.receiver_type for e in fn.events if e.kind == "call"}
    assert types["SendMessage"] == "sarama.SyncProducer"
    assert types["ProduceSync"] == "kgo.Client"
    assert types["WriteMessages"] == ""  # a package variable: resolved from bindings by the rules


def test_broken_source_never_raises() -> None:
    facts = parse_facts("svc/x.go", b"package x\nfunc (s *svc Broken( {\n\tif err := ; {\n")
    assert all(isinstance(f, (FunctionFacts, TypeBinding)) for f in facts)
    assert parse_facts("svc/readme.txt", b"func main() {}") == ()


def test_failure_branches_that_answer_are_not_logged(functions: Functions) -> None:
    fns = functions(
        "svc/h.go",
        HEADER
        + """
func (s *svc) HTTP(w http.ResponseWriter, r *http.Request) {
	if _, _, err := s.producer.SendMessage(m); err != nil {
		log.Printf("publish: %v", err)
		http.Error(w, "order not recorded", http.StatusServiceUnavailable)
		return
	}
	if _, _, err := s.producer.SendMessage(m); err != nil {
		s.logger.ErrorContext(r.Context(), "publish", "err", err)
		return
	}
	if _, _, err := s.producer.SendMessage(m); err != nil {
		return
	}
	if _, _, err := s.producer.SendMessage(m); err != nil {
		log.Print(err)
		w.WriteHeader(500)
	}
}
""",
    )
    uses = [e.error_use for e in fns["HTTP"].events if e.name == "SendMessage"]
    assert uses == ["handled", "logged", "dropped", "handled"]
    branches = [e.branch for e in fns["HTTP"].events if e.name == "SendMessage"]
    assert [b.line if b is not None else None for b in branches] == [10, 15, 19, 22]


def test_franz_go_promises(functions: Functions) -> None:
    fns = functions(
        "svc/f.go",
        """package svc

func (p *pub) All(ctx context.Context, r *kgo.Record) {
	p.cl.Produce(ctx, r, func(_ *kgo.Record, err error) {
		if err != nil {
			log.Printf("lost: %v", err)
		}
	})
	p.cl.Produce(ctx, r, func(_ *kgo.Record, err error) {
		if err == nil {
			return
		}
		errs <- err
	})
	p.cl.Produce(ctx, r, func(_ *kgo.Record, err error) {
		if err != nil {
			panic(err)
		}
	})
	p.cl.Produce(ctx, r, func(rec *kgo.Record, _ error) { log.Print(rec) })
	p.cl.Produce(ctx, r, nil)
	p.cl.Produce(ctx, r, p.onDone)
}
""",
    )
    produce = [(e.error_use, e.via, e.delivery) for e in fns["All"].events if e.name == "Produce"]
    assert produce == [
        ("callback", "promise", "logged"),
        ("callback", "promise", "handled"),
        ("callback", "promise", "checked"),
        ("callback", "promise", "dropped"),
        ("callback", "nil promise", "dropped"),
        ("callback", "promise", "none"),  # a method value: not judged
    ]


def test_confluent_delivery_reports(functions: Functions) -> None:
    facts = parse_facts(
        "svc/c.go",
        b"""package svc

func (c *col) Async(m *kafka.Message) error {
	return c.producer.Produce(m, nil)
}

func (c *col) Own(m *kafka.Message) error {
	done := make(chan kafka.Event)
	if err := c.producer.Produce(m, done); err != nil {
		return err
	}
	e := <-done
	if e.(*kafka.Message).TopicPartition.Error != nil {
		log.Print("failed")
	}
	return nil
}

func (c *col) Elsewhere(m *kafka.Message, ch chan kafka.Event) error {
	return c.producer.Produce(m, ch)
}

func drain(producer *kafka.Producer) {
	for ev := range producer.Events() {
		if m, ok := ev.(*kafka.Message); ok && m.TopicPartition.Error != nil {
			log.Printf("delivery failed: %v", m.TopicPartition.Error)
		}
	}
}
""",
    )
    fns = {f.name: f for f in facts if isinstance(f, FunctionFacts)}
    events = {
        name: next((e.error_use, e.via, e.delivery) for e in fn.events if e.name == "Produce")
        for name, fn in fns.items()
        if name != "drain"
    }
    assert events == {
        "Async": ("returned", "Events()", "dropped"),  # read elsewhere: the index looks
        "Own": ("checked", "channel", "logged"),
        "Elsewhere": ("returned", "channel", "handled"),  # the channel is handed on
    }
    (reader,) = [f for f in facts if isinstance(f, ChannelReader)]
    assert (reader.channel, reader.receiver_field, reader.use, reader.function) == (
        "Events",
        "producer",
        "logged",
        "drain",
    )
