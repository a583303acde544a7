from __future__ import annotations

from collections.abc import Callable

from envlint.ordering.extract import parse_facts
from envlint.ordering.model import FunctionFacts, TypeBinding

Functions = Callable[[str, str], dict[str, FunctionFacts]]

CSHARP = """
using Confluent.Kafka;

namespace Shop.Orders
{
    public class Publisher(IProducer<string, string> producer)
    {
        private readonly IBasketRepository _baskets;

        public async Task<bool> Handle(Order order)
        {
            await producer.ProduceAsync("orders", m);
            _ = producer.ProduceAsync("orders", m);
            producer.ProduceAsync("orders", m);
            producer.Produce("orders", m, report => Log(report));
            var pending = producer.ProduceAsync("orders", m);
            await pending;
            var lost = producer.ProduceAsync("orders", m);
            producer.ProduceAsync("orders", m).Wait();
            try
            {
                await producer.ProduceAsync("orders", m);
            }
            catch (ProduceException<string, string> e)
            {
                Log(e);
            }
            try
            {
                await producer.ProduceAsync("orders", m);
            }
            catch (Exception)
            {
                throw;
            }
            await this.Cleanup(order);
            return true;
        }

        private Task Cleanup(Order order) => _baskets.DeleteBasketAsync(order.BuyerId);
    }
}
"""


def test_csharp_error_use(functions: Functions) -> None:
    fn = functions("src/Orders/Publisher.cs", CSHARP)["Handle"]
    produce = [(e.name, e.error_use) for e in fn.events if e.name.startswith("Produce")]
    assert produce == [
        ("ProduceAsync", "returned"),
        ("ProduceAsync", "discarded"),
        ("ProduceAsync", "dropped"),
        ("Produce", "callback"),
        ("ProduceAsync", "returned"),  # awaited through the variable
        ("ProduceAsync", "unused"),
        ("ProduceAsync", "returned"),  # .Wait()
        ("ProduceAsync", "logged"),  # catch logs and carries on
        ("ProduceAsync", "checked"),  # catch rethrows
    ]
    assert fn.package == "Shop.Orders" and fn.owner == "Publisher" and fn.returns_error
    cleanup = next(e for e in fn.events if e.name == "Cleanup")
    assert cleanup.self_call and cleanup.error_use == "returned"
    assert next(e for e in fn.events if e.name == "ProduceAsync").receiver_type.startswith(
        "IProducer<"
    )


def test_csharp_bindings_and_expression_bodies() -> None:
    facts = parse_facts("src/Orders/Publisher.cs", CSHARP.encode())
    bindings = {(b.owner, b.name): b.type for b in facts if isinstance(b, TypeBinding)}
    assert bindings[("Publisher", "producer")] == "IProducer<string, string>"
    assert bindings[("Publisher", "_baskets")] == "IBasketRepository"
    names = [f.name for f in facts if isinstance(f, FunctionFacts)]
    assert names == ["Handle", "Cleanup"]


def test_csharp_guards_after_awaited_calls(functions: Functions) -> None:
    fns = functions(
        "src/A.cs",
        """namespace A;
class H {
    async Task Run() {
        await producer.ProduceAsync("t", m);
        if (x) { await repo.DeleteBasketAsync(id); }
        try { await other.ProduceAsync("t", m); } catch (Exception e) { Log(e); }
        await repo.ClearCartAsync(id);
    }
}
""",
    )
    events = {e.name: e for e in fns["Run"].events if e.kind == "call"}
    first = next(e.index for e in fns["Run"].events if e.name == "ProduceAsync")
    assert first in events["DeleteBasketAsync"].guards
    assert first in events["ClearCartAsync"].guards
    logged = [e for e in fns["Run"].events if e.name == "ProduceAsync"][1]
    assert logged.error_use == "logged"
    assert logged.index not in events["ClearCartAsync"].guards


def test_java_error_use(functions: Functions) -> None:
    fns = functions(
        "src/main/java/shop/Events.java",
        """package shop;
public class Events {
    private final KafkaProducer<String, String> producer;
    void run() throws Exception {
        producer.send(record);
        producer.send(record).get();
        producer.send(record, (md, ex) -> {});
        Future<RecordMetadata> f = producer.send(record);
        f.get();
        try { producer.send(record).get(); } catch (Exception e) { log.error("x", e); }
        kafkaTemplate.send("t", v).join();
        System.exit(1);
    }
}
""",
    )
    fn = fns["run"]
    sends = [e.error_use for e in fn.events if e.name == "send"]
    assert sends == ["dropped", "returned", "callback", "returned", "logged", "returned"]
    assert fn.package == "shop" and fn.owner == "Events"
    assert fn.events[-1].kind == "exit" and fn.events[-1].fails
    assert fn.events[0].receiver_type == "KafkaProducer<String, String>"


def test_java_delivery_callbacks(functions: Functions) -> None:
    fn = functions(
        "src/main/java/shop/Cb.java",
        """package shop;
public class Cb {
    private final KafkaProducer<String, String> producer;
    private final KafkaTemplate<String, String> template;
    private final Callback callback;
    void run() throws Exception {
        producer.send(record, (md, ex) -> { if (ex != null) log.error("lost", ex); });
        producer.send(record, (md, ex) -> { if (ex != null) { failures.add(ex); } });
        producer.send(record, (md, ex) -> { if (ex != null) throw new IllegalStateException(ex); });
        producer.send(record, (md, ex) -> latch.countDown());
        producer.send(record, callback);
        producer.send(record, new Callback() {
            public void onCompletion(RecordMetadata md, Exception e) { LOG.warn("x", e); }
        });
        template.send("t", v);
        template.send("t", v).whenComplete((r, ex) -> { if (ex != null) { log.error("x"); } });
        template.send("t", v).exceptionally(ex -> { log.error("x", ex); return null; });
        template.send("t", v).whenComplete((r, ex) -> log.info("sent")).join();
        CompletableFuture<SendResult<String, String>> f = template.send("t", v);
        f.whenComplete((r, ex) -> { if (ex != null) System.err.println(ex); });
        ListenableFuture<SendResult<String, String>> g = template.send("t", v);
        g.addCallback(ok -> {}, ex -> log.error("x", ex));
        g.get();
    }
}
""",
    )["run"]
    sends = [(e.error_use, e.via, e.delivery) for e in fn.events if e.name == "send"]
    assert sends == [
        ("callback", "callback", "logged"),
        ("callback", "callback", "handled"),  # keeps the failure
        ("callback", "callback", "handled"),  # thrown on the producer's thread: not judged
        ("callback", "callback", "dropped"),  # never looks at the exception
        ("callback", "callback", "none"),  # a callback object: not judged
        ("callback", "callback", "logged"),  # anonymous Callback whose onCompletion logs
        ("dropped", "", "none"),  # KafkaTemplate.send(topic, data): no callback
        ("callback", "future", "logged"),
        ("callback", "future", "logged"),  # exceptionally(ex -> log; return null)
        ("returned", "", "none"),  # ...join() waits
        ("callback", "future", "logged"),  # a held future with a callback
        ("returned", "future", "logged"),  # addCallback, then get() waits
    ]


def test_catch_verdicts(functions: Functions) -> None:
    fn = functions(
        "src/main/java/shop/C.java",
        """package shop;
public class C {
    private final KafkaProducer<String, String> producer;
    boolean run() {
        try { producer.send(r).get(); } catch (Exception e) { log.error("x", e); }
        try { producer.send(r).get(); } catch (Exception e) { }
        try { producer.send(r).get(); } catch (Exception e) { log.error("x", e); return false; }
        try { producer.send(r).get(); } catch (Exception e) { outbox.save(r); }
        return true;
    }
}
""",
    )["run"]
    assert [e.error_use for e in fn.events if e.name == "send"] == [
        "logged",
        "dropped",
        "handled",
        "handled",
    ]


def test_csharp_configure_await_and_get_awaiter_wait_for_the_task(functions: Functions) -> None:
    """esnetcore's KafkaProducer: ``await producer.ProduceAsync(...).ConfigureAwait(false)`` waits
    for the Task; ConfigureAwait / GetAwaiter alone do not.  A Task handed to another call or
    kept beyond the method gets no verdict: who waits for it is not known here."""
    fn = functions(
        "src/P.cs",
        """using Confluent.Kafka;
public class P(IProducer<string, string> producer)
{
    public async Task Publish(Message<string, string> m, CancellationToken ct)
    {
        await producer.ProduceAsync("t", m, ct).ConfigureAwait(false);
        producer.ProduceAsync("t", m).GetAwaiter().GetResult();
        producer.ProduceAsync("t", m).ConfigureAwait(false);
        Log(producer.ProduceAsync("t", m).ConfigureAwait(false));
        tasks.Add(producer.ProduceAsync("t", m));
        var lost = producer.ProduceAsync("t", m);
        var kept = producer.ProduceAsync("t", m);
        tasks.Add(kept);
        _pending = producer.ProduceAsync("t", m);
    }
}
""",
    )["Publish"]
    uses = [e.error_use for e in fn.events if e.name == "ProduceAsync"]
    assert uses == [
        "returned",  # awaited through ConfigureAwait
        "returned",  # GetAwaiter().GetResult()
        "dropped",  # ConfigureAwait alone, floating
        "none",  # handed to another call
        "none",  # handed to another call
        "unused",  # stored, never mentioned again
        "none",  # stored, then handed on
        "none",  # kept in a field
    ]
