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
    assert "tests its error and ignores it" in message


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
    assert "nothing in its package reads the producer's Errors()" in message


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


# -- delivery callbacks, report channels, loops, JS/TS and Python (issue #12 items 4, 6, 8, 11)

ORDERING = ("ENV401", "ENV402")


def _findings(name: str) -> dict[tuple[str, str, int], str]:
    report = lint([FIXTURES / name], Settings(select=ORDERING, cache=False))
    return {(f.code, f.location.path, f.location.line): f.message for f in report.findings}


def test_franz_go_promise_is_judged_instead_of_the_produce_call() -> None:
    found = _findings("ordering_franz_go")
    path = "svc/events/publisher.go"
    assert set(found) == {("ENV402", path, line) for line in (19, 53, 58, 68)}
    assert "its promise only logs a failed delivery" in found[("ENV402", path, 19)]
    assert "passes a nil promise" in found[("ENV402", path, 53)]
    assert "its promise never looks at the error" in found[("ENV402", path, 58)]
    assert "never looks at its result" not in " ".join(found.values())
    # Captured (the promise stores the error and the caller returns it), Fatal (log.Fatalf)
    # and Sync (ProduceSync(...).FirstErr() returned) are quiet.


def test_confluent_go_delivery_reports_on_events_are_followed_across_functions() -> None:
    found = _findings("ordering_confluent_go")
    collector = "svc/ingest/collector.go"
    assert set(found) == {("ENV402", collector, 17), ("ENV402", collector, 42)}
    assert "the producer's Events() are only logged" in found[("ENV402", collector, 17)]
    assert "the delivery report it waits for only logs" in found[("ENV402", collector, 42)]
    # billing hands a failed delivery to a retry queue; IngestAndWait returns the report's error


def test_events_reader_location_is_related() -> None:
    report = lint([FIXTURES / "ordering_confluent_go"], Settings(select=ORDERING, cache=False))
    ingest = next(f for f in report.findings if f.location.line == 17)
    assert [(r.location.path, r.location.line) for r in ingest.related] == [
        ("svc/ingest/events.go", 11)
    ]


def test_dead_letter_publish_in_a_consumer_loop_says_what_happens() -> None:
    found = _findings("ordering_consumer_loop_go")
    assert list(found) == [("ENV402", "svc/worker/consumer.go", 25)]
    message = found[("ENV402", "svc/worker/consumer.go", 25)]
    assert "in a loop but only logs its failure and the loop moves on to its next iteration" in (
        message
    )
    assert "reports success" not in message and "reported as success" not in message
    # RunStrict returns the dead-letter failure; RunRetrying backs off and retries: quiet


def test_java_callbacks_and_spring_futures() -> None:
    found = _findings("ordering_spring_java")
    path = "svc/orders/src/main/java/shop/OrderEvents.java"
    assert set(found) == {("ENV402", path, 48), ("ENV402", path, 60)}
    assert "its delivery callback only logs a failed delivery" in found[("ENV402", path, 48)]
    assert "the callback on its future only logs" in found[("ENV402", path, 60)]
    # placed (latch + recorded failure + throw), the callback object, whenComplete(...).get()
    # and a catch that returns false are quiet


def test_kafkajs_promises_and_handlers() -> None:
    found = _findings("ordering_kafkajs_ts")
    src = "svc/api/src"
    assert set(found) == {
        ("ENV401", f"{src}/orders.ts", 11),
        ("ENV402", f"{src}/orders.ts", 18),
        ("ENV402", f"{src}/orders.ts", 27),
        ("ENV402", f"{src}/server.ts", 21),
        ("ENV402", f"{src}/consumer.ts", 13),
    }
    assert "never waits for its promise" in found[("ENV402", f"{src}/orders.ts", 27)]
    assert "in a callback but only logs its failure and the callback returns normally" in (
        found[("ENV402", f"{src}/consumer.ts", 13)]
    )
    # the /orders route answers 500 in its catch; mailer.ts imports no Kafka client


def test_python_delivery_callbacks_and_futures() -> None:
    found = _findings("ordering_confluent_py")
    app = "svc/orders/app"
    assert set(found) == {
        ("ENV402", f"{app}/events.py", 22),
        ("ENV402", f"{app}/events.py", 33),
        ("ENV401", f"{app}/events.py", 37),
        ("ENV402", f"{app}/events.py", 38),
        ("ENV402", f"{app}/legacy.py", 8),
    }
    assert "its delivery callback only logs a failed delivery" in (
        found[("ENV402", f"{app}/events.py", 22)]
    )
    assert "never looks at the error" in found[("ENV402", f"{app}/events.py", 33)]
    # _track keeps the failed message; publish_sync calls get(); mail.py imports no client


def test_no_message_claims_what_the_caller_does() -> None:
    """Issue #12 item 17: what ENV402 says is what the code does, never "reports success"."""
    for name in (
        "ordering_franz_go",
        "ordering_confluent_go",
        "ordering_consumer_loop_go",
        "ordering_kafkajs_ts",
        "ordering_confluent_py",
        "ordering_spring_java",
        "ordering_checkout_go",
    ):
        for message in _findings(name).values():
            assert "reports success" not in message, message
            assert "reported as success" not in message, message
            assert "silently" not in message, message


TRACED = (
    GO
    + """
func (s *p) Post(ctx context.Context, msg *sarama.ProducerMessage) {
	span := tracer.Start(ctx)
	defer span.End()
	select {
	case s.async.Input() <- msg:
		select {
		case <-s.async.Successes():
			span.SetAttributes(attribute.Bool("producer.success", true))
		case errMsg := <-s.async.Errors():
			span.SetAttributes(attribute.Bool("producer.success", false))
			span.SetStatus(codes.Error, errMsg.Err.Error())
			logger.Error(fmt.Sprint("failed to write message: ", errMsg.Err))HANDOFF
		}
	case <-ctx.Done():
		logger.Warn("cancelled")
	}
}
"""
)


def test_errors_recorded_only_on_the_trace_span_are_only_logged() -> None:
    """The opentelemetry-demo checkout shape: span attributes and status are a trace record,
    not a way for the failure to reach anyone who could act on it."""
    ((name, line, message),) = _judge(TRACED.replace("HANDOFF", ""))
    assert (name, line) == ("Post", 13)
    assert "the producer's Errors() are only logged" in message


def test_errors_handed_on_besides_the_trace_span_are_quiet() -> None:
    assert _judge(TRACED.replace("HANDOFF", "\n\t\t\ts.retries <- msg")) == []


def test_java_callbacks_that_record_the_failure_are_quiet() -> None:
    # issue #12 item 8 (seen on zalando/nakadi): a parenthesised callback lambda was not seen as
    # a callback ("never waits for its Future"), and a status setter read as a span's SetStatus
    found = _findings("ordering_java_callbacks")
    path = "svc/ingest/src/main/java/ingest/EventWriter.java"
    assert set(found) == {("ENV402", path, line) for line in (104, 116, 133)}
    assert "its delivery callback only logs a failed delivery" in found[("ENV402", path, 104)]
    assert "only logs or counts a failed delivery" in found[("ENV402", path, 116)]
    assert (
        "keeps a failed delivery only in outcome, which writeIntoTheVoid never reads"
        in found[("ENV402", path, 133)]
    )
    assert "never waits for its Future" not in " ".join(found.values())
    # write (completes the future it returns), writeAll (map + latch, returned), writeOne
    # (completeExceptionally), writeTracked (status on the caller's object) and writeOrTimeOut
    # (a latch only the failure counts down) are quiet


def test_java_futures_handed_to_a_reactive_chain_are_quiet() -> None:
    # seen on a Spring WebFlux service: `Mono.fromFuture(template.send(...).toCompletableFuture())`
    # and two sends kept in locals joined by `CompletableFuture.allOf(a, b)` inside the returned
    # Mono read as "stores its Future and never waits for it"; the conversion is followed to
    # where its result goes (handed on, returned, get()-ed, stored or dropped)
    found = _findings("ordering_reactive_java")
    path = "svc/payments/src/main/java/pay/PaymentHandler.java"
    assert set(found) == {("ENV402", path, line) for line in (69, 77, 84)}
    chargeback = "chargeback publishes with payments.send in a callback but never waits"
    assert chargeback in found[("ENV402", path, 69)]
    adjust = "adjust publishes with payments.send but stores its Future and never waits for it"
    assert adjust in found[("ENV402", path, 77)]
    forget = "forget publishes with payments.send but never waits for its Future"
    assert forget in found[("ENV402", path, 84)]
    # pay (Mono.fromFuture), open (both locals: allOf + join), refund (fromCompletionStage) and
    # settle (toCompletableFuture().get()) are quiet


def test_java_future_stages_settle_as_the_send() -> None:
    body = """package shop;

public class Sender {
    private final KafkaTemplate<String, String> template;

    public CompletableFuture<Void> %s(String key) {
        %s
    }
}
"""

    def run(name: str, code: str) -> list[tuple[str, int, str]]:
        return _judge(body % (name, code), "svc/src/main/java/shop/Sender.java")

    handed = 'return CompletableFuture.allOf(template.send("t", key).thenApply(r -> r));'
    assert run("handed", handed) == []
    joined = 'template.send("t", key).completable().thenAccept(r -> log(r)).join();\nreturn null;'
    assert run("joined", joined) == []
    assert run("kept", 'var f = template.send("t", key).thenRun(() -> {});\nreturn f;') == []
    lost = 'template.send("t", key).thenAccept(r -> log(r));\nreturn null;'
    ((name, _line, message),) = run("lost", lost)
    assert name == "lost"
    assert "lost publishes with template.send but never waits for its Future" in message


JAVA_CALLBACKS = """package shop;

public class Sender {
    private final KafkaProducer<String, String> producer;
    private final MeterRegistry registry;
    private final LongAdder failures;
    private boolean broken;

    public void %s(String key) {
        final boolean[] failed = new boolean[1];
        producer.send(new ProducerRecord<>("t", key), (md, ex) -> {
            if (ex != null) {
                %s
            }
        });
        %s
    }
}
"""


def _java(branch: str, after: str = "", name: str = "send") -> list[tuple[str, int, str]]:
    source = JAVA_CALLBACKS % (name, branch, after)
    return _judge(source, "svc/src/main/java/shop/Sender.java")


def test_java_failure_branches_that_swallow() -> None:
    assert "only logs a failed delivery" in _java('log.error("lost", ex);')[0][2]
    metric = 'log.warn("lost"); registry.counter("kafka.lost").increment();'
    assert "only logs or counts a failed delivery" in _java(metric)[0][2]
    local = 'String why = ex.getMessage(); log.error("lost: {}", why);'
    assert "only logs a failed delivery" in _java(local)[0][2]
    assert "keeps a failed delivery only in failed" in _java("failed[0] = true;")[0][2]


def test_java_failure_branches_that_record_are_quiet() -> None:
    assert _java("failed[0] = true;", "if (failed[0]) throw new IllegalStateException();") == []
    assert _java("broken = true;") == []  # a field: outlives the callback
    assert _java("failures.increment();") == []  # a LongAdder someone reads, not a meter
    assert _java("retry(key, ex);") == []  # handed on
    assert _java("String why = describe(ex); log.error(why);") == []  # describe may do more
    assert _java('item.setStatus(FAILED, "rejected");') == []  # not a span's status


def test_go_promises_that_record_the_failure_are_quiet() -> None:
    source = """package events

type Publisher struct {
	cl *kgo.Client
}

func (p *Publisher) Channel(ctx context.Context, r *kgo.Record) error {
	errs := make(chan error, 1)
	p.cl.Produce(ctx, r, func(_ *kgo.Record, err error) {
		if err != nil {
			log.Printf("produce: %v", err)
			errs <- err
			return
		}
		errs <- nil
	})
	return <-errs
}

func (p *Publisher) Status(ctx context.Context, r *kgo.Record, item *Item) {
	p.cl.Produce(ctx, r, func(_ *kgo.Record, err error) {
		if err != nil {
			log.Printf("produce: %v", err)
			item.SetStatus(Failed)
		}
	})
}

func (p *Publisher) Traced(ctx context.Context, r *kgo.Record, span trace.Span) {
	p.cl.Produce(ctx, r, func(_ *kgo.Record, err error) {
		if err != nil {
			span.SetStatus(codes.Error, err.Error())
		}
	})
}
"""
    assert [(n, line) for n, line, _ in _judge(source)] == [("Traced", 30)]


def test_a_future_a_lambda_returns_is_not_judged_in_the_lambda() -> None:
    # seen on metao1/microservice-online-book-store: `map(e -> template.send(...))` was reported
    # as "stores its Future and never waits for it ... never leaves the callback"; the lambda
    # returns the Future to whoever calls it, which is not known there
    source = """package shop;

public class Loader {
    private final KafkaTemplate<String, String> kafkaTemplate;

    public List<CompletableFuture<SendResult<String, String>>> load(List<String> ids) {
        return ids.stream().map(id -> kafkaTemplate.send("products", id)).toList();
    }

    public void loadBlind(List<String> ids) {
        ids.forEach(id -> { kafkaTemplate.send("products", id); });
    }
}
"""
    found = _judge(source, "svc/src/main/java/shop/Loader.java")
    assert [(n, line) for n, line, _ in found] == [("loadBlind", 11)]


# -- a stored error handed to a call (blind evaluation 3, repro 3) -----------------------------

GO_T = """package svc

type p struct {
	producer sarama.SyncProducer
	w        *kafka.Writer
}
"""


def _go_body(params: str, body: str) -> list[tuple[str, int, str]]:
    return _judge(GO_T + f"\nfunc (s *p) Emit({params}) {{\n{body}\n}}\n")


def test_stored_error_given_to_a_check_that_ends_the_test_is_tested() -> None:
    for check in (
        "require.NoError(t, err)",
        "require.Nil(t, err)",
        "require.NoErrorf(t, err, \"publish %s\", topic)",
        "s.Require().NoError(err)",
        "t.Fatal(err)",
        "t.Fatalf(\"publish: %v\", err.Error())",
        "panic(err)",
    ):
        body = f"\terr = s.w.WriteMessages(ctx, m)\n\t{check}"
        assert _go_body("t *testing.T, ctx context.Context", body) == [], check


def test_stored_error_handed_to_any_other_call_is_not_judged() -> None:
    for use in (
        "assert.NoError(t, err)",
        "errs = append(errs, err)",
        "s.report(err)",
        "wrapped := fmt.Errorf(\"publish: %w\", err)\n\tsave(wrapped)",
        "failures <- err",
        "Expect(err).NotTo(HaveOccurred())",
    ):
        body = f"\t_, _, err := s.producer.SendMessage(m)\n\t{use}"
        assert _go_body("t *testing.T", body) == [], use


def test_stored_error_that_is_only_logged_or_never_used_still_fires() -> None:
    logged = _go_body("", "\t_, _, err := s.producer.SendMessage(m)\n\tlog.Printf(\"x: %v\", err)")
    assert [(n, line) for n, line, _ in logged] == [("Emit", 9)]
    assert "only logs its failure" in logged[0][2]
    fields = _go_body(
        "", "\t_, _, err := s.producer.SendMessage(m)\n\ts.logger.Error(\"x\", zap.Error(err))"
    )
    assert "only logs its failure" in fields[0][2]
    # a check of another variable does not test this one
    other = _go_body(
        "t *testing.T", "\t_, _, err := s.producer.SendMessage(m)\n\trequire.NoError(t, errB)"
    )
    assert "stores its error and never tests it" in other[0][2]
    # the check tests the marshal error; the publish error after it is never tested
    order = _go_body(
        "t *testing.T",
        "\tbody, err := json.Marshal(v)\n\trequire.NoError(t, err)\n"
        "\terr = s.w.WriteMessages(ctx, body)",
    )
    assert [(n, line) for n, line, _ in order] == [("Emit", 11)]


def test_a_failed_require_guards_what_follows() -> None:
    """ENV401: a destructive step after ``require.NoError(t, err)`` runs only on success."""
    from envlint.rules.env401_destructive_before_publish import judge as judge_401

    source = GO_T + (
        "\nfunc (s *p) Emit(t *testing.T) {\n"
        "\t_, _, err := s.producer.SendMessage(m)\n\trequire.NoError(t, err)\n"
        "\ts.db.Delete(id)\n}\n"
    )
    index = OrderingIndex.from_settings(parse_facts("svc/p.go", source.encode()), Settings())
    events = next(fn for fn in index.functions if fn.name == "Emit").events
    delete = next(e for e in events if e.name == "Delete")
    send = next(e for e in events if e.name == "SendMessage")
    assert send.error_use == "checked" and send.index in delete.guards
    assert [v for fn in index.functions for v in judge_401(index, fn)] == []


def test_a_function_no_service_runs_is_not_judged() -> None:
    """An e2e test helper beside the service's package: the service is traced to ``cmd``, the
    helper that logs the failure lies in ``e2e/``, which no service runs (also when a service
    falls back to every file of the repository)."""
    findings = _findings("ordering_e2e_helper_go")
    assert list(findings) == [("ENV402", "cmd/relay/publish.go", 14)]


def test_a_file_no_service_is_known_to_run_outside_such_folders_is_judged(
    tmp_path: Path,
) -> None:
    """Only the relay service, traced to ``cmd/relay``: a package of the build context that
    nothing is known to import may still be code a service runs (envlint's trace can miss a
    program), so it is judged; the ``e2e/`` helper is not."""
    import shutil

    shutil.copytree(FIXTURES / "ordering_e2e_helper_go", tmp_path, dirs_exist_ok=True)
    compose = tmp_path / "docker-compose.yml"
    compose.write_text("services:\n  relay:\n    build: .\n")
    queue = tmp_path / "queue" / "publish.go"
    queue.parent.mkdir()
    source = (tmp_path / "e2e" / "publish.go").read_text().replace("package e2e", "package queue")
    queue.write_text(source)
    report = lint([tmp_path], Settings(select=ORDERING, cache=False))
    found = sorted((f.location.path, f.location.line, f.service) for f in report.findings)
    assert found == [("cmd/relay/publish.go", 14, "relay"), ("queue/publish.go", 14, None)]


def test_csharp_catch_that_writes_to_the_console_only_logs() -> None:
    # A Kafka wrapper whose catch writes the failure to the console is reported in its own body
    # (its callers cannot see the failure); an inline catch that only writes to the console
    # fires; one that rethrows or answers 500 is quiet, and so is the wrapper's caller.
    found = _findings("ordering_console_csharp")
    assert set(found) == {
        ("ENV402", "src/Payments/Messaging/EventProducer.cs", 25),
        ("ENV402", "src/Payments/Controllers/PaymentsController.cs", 41),
    }
    assert all("only logs its failure" in message for message in found.values())


def test_a_method_of_another_package_with_one_body_is_followed() -> None:
    # fires: an interface of another package with one implementation (Create), a concrete type
    # of another package (Rename), a wrapper that passes the failure on with %w (Archive); the
    # wrapper that only logs is reported in its own body (PublishQuietly).  Quiet: the caller
    # checks the error (Restore), two implementations of Notify (Delete), a wrapper that logs
    # and returns nil (Touch), the only Replay in a _test.go file (Reprocess).
    assert _lint("ordering_across_go") == [
        ("ENV402", "svc/catalog/service/service.go", 20),
        ("ENV402", "svc/catalog/service/service.go", 26),
        ("ENV402", "svc/catalog/service/service.go", 32),
        ("ENV402", "svc/catalog/shared/producer.go", 26),
    ]


def test_the_message_names_the_body_and_its_file() -> None:
    report = lint([FIXTURES / "ordering_across_go"], Settings(select=(RULE.code,), cache=False))
    create = next(f for f in report.findings if f.location.line == 20)
    assert (
        "(KafkaEvents.Created in svc/catalog/adapters/events.go, the only Created in the "
        "non-test code; Producer.PublishMessage in svc/catalog/shared/producer.go, the only "
        "PublishMessage in the non-test code)"
    ) in create.message
    assert [(r.location.path, r.location.line) for r in create.related] == [
        ("svc/catalog/shared/producer.go", 14),
        ("svc/catalog/adapters/events.go", 12),
        ("svc/catalog/shared/producer.go", 13),
    ]


def test_a_method_elsewhere_needs_one_body_and_a_known_receiver_type(tmp_path: Path) -> None:
    (tmp_path / "docker-compose.yml").write_text("services:\n  app:\n    build: ./app\n")
    (tmp_path / "app" / "bus").mkdir(parents=True)
    (tmp_path / "app" / "api").mkdir()
    (tmp_path / "app" / "bus" / "bus.go").write_text(
        """package bus

type Bus struct{ writer *kafka.Writer }

func (b *Bus) Emit(ctx context.Context, v []byte) error {
	return b.writer.WriteMessages(ctx, kafka.Message{Value: v})
}

func (b *Bus) Signal(ctx context.Context, v []byte) error {
	return b.writer.WriteMessages(ctx, kafka.Message{Value: v})
}
"""
    )
    (tmp_path / "app" / "api" / "api.go").write_text(
        """package api

type Redis struct{}

// A second Signal: a name collision, whatever the receiver's type.
func (r *Redis) Signal(ctx context.Context, v []byte) error { return nil }

type API struct{ bus *bus.Bus }

func (a *API) Known(ctx context.Context) error {
	_ = a.bus.Emit(ctx, nil)
	return nil
}

func (a *API) Unknown(ctx context.Context) error {
	b := bus.Lookup()
	_ = b.Emit(ctx, nil)
	return nil
}

func (a *API) OtherType(ctx context.Context, nc *nats.Conn) error {
	_ = nc.Emit(ctx, nil)
	return nil
}

func (a *API) Collision(ctx context.Context) error {
	_ = a.bus.Signal(ctx, nil)
	return nil
}
"""
    )
    report = lint([tmp_path], Settings(select=(RULE.code,), cache=False))
    assert [(f.location.path, f.location.line) for f in report.findings] == [("app/api/api.go", 11)]
