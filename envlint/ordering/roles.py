"""JS/TS and Python walker, on role queries (``queries/ordering-<language>.scm``).

The query names what matters as roles (vocabulary in :mod:`envlint.sources.classify`):
``@function``, ``@class``, ``@call``, ``@await``, ``@return``, ``@exit``, ``@try``, ``@if``,
``@loop``, ``@switch``, ``@assign``, ``@test``/``@not``, ``@log``, ``@import`` and ``@callback``;
this module orders the calls and exits of a function, gives each the frames it sits in, and
decides how a call's failure is handled there:

* an exception escapes (``returned``) unless an enclosing ``try`` catches it: a handler that
  rethrows or exits is ``checked``, one that only logs ``logged``, an empty one ``dropped``,
  anything else ``handled``;
* a promise (a kafkajs ``send``, a call of an ``async`` function of the file) must be awaited or
  returned: else ``dropped`` (``unused`` when stored and never awaited); a ``.catch(cb)`` on it
  is judged like a handler;
* a future (kafka-python / aiokafka ``send``) must be ``get()``-ed or awaited; ``add_errback``
  hands it to a callback;
* confluent_kafka's ``produce(..., callback=cb)`` delivers asynchronously to ``cb``, judged by
  what it does when its error argument is set.

A publish API counts only in a file that imports the Kafka client (``kafkajs``,
``@confluentinc/kafka-javascript``, ``node-rdkafka``; ``confluent_kafka``, ``kafka``,
``aiokafka``): the receiver then carries the ``kafka:<module>`` type.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from envlint.filepass.roles import Match, Roles
from envlint.ordering._walk import Draft, Text, freeze_all, last_identifier, location
from envlint.ordering.model import ErrorUse, Frame, FunctionFacts, OrderingFact

if TYPE_CHECKING:
    from tree_sitter import Node, Query

    from envlint.model import Location

__all__ = ["RoleFile", "extract_roles", "functions"]

_QUERIES = {
    "python": "ordering-python",
    "javascript": "ordering-javascript",
    "typescript": "ordering-javascript",
    "tsx": "ordering-javascript",
}
_KAFKA_MODULES = {
    "python": re.compile(r"^(confluent_kafka|kafka|aiokafka)(\.|$)"),
    "javascript": re.compile(r"^(kafkajs|@confluentinc/kafka-javascript|node-rdkafka)(/|$)"),
}
_PRODUCER_NAME = re.compile(r"(?i)produc|kafka")
_PROMISE_API = frozenset({"send", "sendBatch"})  # JS: kafkajs returns a promise
_OWN = frozenset({"this", "self", "cls"})
_CHAIN = frozenset({"then", "catch", "finally"})
_ALL = frozenset({"all", "race", "any"})
_BLOCKS = frozenset({"block", "statement_block"})
_QUIET = frozenset(
    {"pass_statement", "continue_statement", "break_statement", "empty_statement", "comment",
     "none", "null", "undefined", "true", "false", "ellipsis"}
)  # fmt: skip


def _family(language: str) -> str:
    return "python" if language == "python" else "javascript"


@cache
def _query(language: str, kind: str) -> Query:
    """The ordering role query of ``language``: ``file`` (functions, classes, imports,
    producers; TypeScript adds producers declared by type) or ``body`` (what happens inside a
    function), compiled once per process."""
    from tree_sitter import Query

    from envlint.filepass.languages import load_language

    grammar = load_language(language)
    if grammar is None:
        raise LookupError(f"no grammar for {language}")
    name = _QUERIES[language]
    files = [f"{name}-file"] if kind == "file" else [name]
    if kind == "file" and language in ("typescript", "tsx"):
        files.append("ordering-typescript-file")
    folder = resources.files("envlint.sources").joinpath("queries")
    return Query(grammar, "\n".join(folder.joinpath(f"{f}.scm").read_text() for f in files))


def functions(language: str, root: Node, text: Text) -> Iterator[tuple[Node, str]]:
    """The file's functions that are not nested in another function, with their names
    (anonymous ones are named after where they sit: ``app.post callback``)."""
    if language not in _QUERIES:
        return iter(())
    return iter(RoleFile(language, root, text).functions)


def extract_roles(
    language: str,
    root: Node,
    path: str,
    text: Text,
    walk: Callable[[Node], bool] | None = None,
) -> tuple[OrderingFact, ...]:
    """Facts of one JS/TS or Python file: the top-level functions ``walk`` accepts."""
    if language not in _QUERIES:
        return ()
    return RoleFile(language, root, text).extract(path, walk)


def _top_functions(roles: Roles) -> list[Match]:
    matches = roles.all("function")
    ids = {m.node.id for m in matches}
    out = []
    for match in matches:
        parent = match.node.parent
        while parent is not None and parent.id not in ids:
            parent = parent.parent
        if parent is None:
            out.append(match)
    return out


def _name(match: Match, text: Text) -> str:
    name = match.part("name")
    if name is not None:
        return text(name)
    parent = match.node.parent
    if parent is None:
        return "(anonymous)"
    for field_name in ("name", "key", "left", "property"):
        named = parent.child_by_field_name(field_name)
        if named is not None and named.id != match.node.id:
            return last_identifier(text(named)) or text(named)
    if parent.type in ("arguments", "argument_list") and parent.parent is not None:
        callee = parent.parent.child_by_field_name("function")
        if callee is not None:
            return f"{text(callee)} callback"
    return "(anonymous)"


class RoleFile:
    """One file's file-level roles: its top-level functions, the Kafka client it imports,
    producer variables, ``async`` functions and functions by name (for callbacks).  The roles
    inside a function are matched within that function only (:meth:`body`)."""

    def __init__(self, language: str, root: Node, text: Text) -> None:
        self.language, self.root, self.text = language, root, text
        self.roles = Roles(_query(language, "file"), root, text.source)
        self.kafka = ""
        self.producers: set[str] = set()
        self.async_names: set[str] = set()
        self.by_name: dict[str, Match] = {}
        self._bodies: dict[int, Roles] = {}
        modules = _KAFKA_MODULES[_family(language)]
        for match in self.roles.all("import"):
            source = text(match.part("module"))
            if modules.match(source):
                self.kafka = source
                break
        for match in self.roles.all("producer"):
            self.producers.add(last_identifier(text(match.part("name"))))
        for match in self.roles.all("function"):
            name = _name(match, text)
            if name.endswith((")", " callback")):
                continue  # anonymous
            self.by_name.setdefault(name, match)
            if text(match.node).lstrip().startswith("async"):
                self.async_names.add(name)
        self.tops = _top_functions(self.roles)
        self.functions = [(m.node, _name(m, text)) for m in self.tops]

    def body(self, node: Node) -> Roles:
        """The roles inside the function ``node``."""
        roles = self._bodies.get(node.id)
        if roles is None:
            roles = Roles(_query(self.language, "body"), node, self.text.source)
            self._bodies[node.id] = roles
        return roles

    def extract(self, path: str, walk: Callable[[Node], bool] | None) -> tuple[OrderingFact, ...]:
        out: list[OrderingFact] = []
        for match in self.tops:
            if walk is None or walk(match.node):
                out.append(_Function(self, match, path).facts())
        return tuple(out)


class _Function:
    def __init__(self, file: RoleFile, match: Match, path: str) -> None:
        self.file, self.match, self.path = file, match, path
        self.roles, self.text = file.body(match.node), file.text
        self.node = match.node
        self.drafts: list[Draft] = []
        self.pending: dict[str, int] = {}  # variable holding an un-awaited promise / future
        self.caught_at: Node | None = None  # the handler that decided the latest caught()
        self.owner = ""
        parent = self.node.parent
        while parent is not None:
            cls = self.file.roles.at(parent, "class")
            if cls is not None:
                self.owner = self.text(cls.part("name"))
                break
            parent = parent.parent

    def facts(self) -> FunctionFacts:
        name = self.match.part("name")
        where = name if name is not None else self.node
        items: list[tuple[int, int, Node, str]] = []
        for role, order in (("call", 0), ("exit", 1), ("return", 1)):
            for m in self.roles.within(self.node, role):
                if m.node.id != self.node.id:
                    items.append((m.node.end_byte, order, m.node, role))
        for _end, _order, node, role in sorted(items, key=lambda i: i[:2]):
            if role == "call":
                self.call(self.roles.at(node, "call"), node)
            else:
                self.exit(node, role)
        for index in self.pending.values():
            if self.drafts[index].error_use == "none":
                self.drafts[index].error_use = "unused"
        return FunctionFacts(
            language=self.file.language,
            path=self.path,
            package=self.path,
            owner=self.owner,
            name=_name(self.match, self.text),
            location=location(self.path, where),
            receiver_var="self" if self.file.language == "python" else "this",
            returns_error=True,
            events=freeze_all(self.drafts),
        )

    # -- frames -------------------------------------------------------------------------------

    def scope(self, node: Node) -> tuple[Frame, ...]:
        """The frames around ``node`` inside this function, outermost first."""
        frames: list[Frame] = []
        path_ids = {node.id}
        current = node.parent
        roles = self.roles
        while current is not None and current.id != self.node.id:
            if roles.at(current, "function") is not None:
                frames.append(Frame("closure", current.start_byte))
            elif (m := roles.at(current, "if")) is not None:
                arms = [m.part("then"), *m.parts.get("else", ())]
                for arm, part in enumerate(arms):
                    if part is not None and part.id in path_ids:
                        frames.append(Frame("if", current.start_byte, arm))
            elif (m := roles.at(current, "loop")) is not None:
                body = m.part("body")
                if body is not None and body.id in path_ids:
                    frames.append(Frame("loop", current.start_byte))
            elif (m := roles.at(current, "try")) is not None:
                for arm, p in enumerate(m.parts.get("handler", ())):
                    if p.id in path_ids:
                        frames.append(Frame("catch", current.start_byte, arm + 1))
                for p in m.parts.get("body", ()):
                    if p.id in path_ids:
                        frames.append(Frame("try", current.start_byte))
                for p in m.parts.get("finally", ()):
                    if p.id in path_ids:
                        frames.append(Frame("finally", current.start_byte))
            elif (m := roles.at(current, "switch")) is not None:
                for arm, p in enumerate(m.parts.get("arm", ())):
                    if p.id in path_ids:
                        frames.append(Frame("switch", current.start_byte, arm))
            path_ids.add(current.id)
            current = current.parent
        return tuple(reversed(frames))

    def in_closure(self, node: Node) -> bool:
        return any(f.kind == "closure" for f in self.scope(node))

    # -- events -------------------------------------------------------------------------------

    def exit(self, node: Node, role: str) -> None:
        draft = Draft("exit", location(self.path, node), self.scope(node), ())
        draft.fails = role == "exit" and not self.in_closure(node)
        self.drafts.append(draft)

    def call(self, match: Match | None, node: Node) -> None:
        if match is None:
            return
        text = self.text
        receiver = text(match.part("receiver"))
        name = text(match.part("name"))
        args = match.part("args")
        draft = Draft("call", location(self.path, node), self.scope(node), ())
        draft.callee = f"{receiver}.{name}" if receiver else name
        draft.name, draft.receiver = name, receiver
        draft.receiver_field = last_identifier(receiver)
        draft.self_call = receiver in ("", *_OWN)
        draft.arg_count = len(args.named_children) if args is not None else 0
        producer = draft.receiver_field in self.file.producers
        if self.file.kafka and receiver and (producer or _PRODUCER_NAME.search(receiver)):
            draft.receiver_type = f"kafka:{self.file.kafka}"
        index = len(self.drafts)
        self.drafts.append(draft)
        self.caught_at = None
        draft.error_use = self.error_use(node, draft, index)
        if draft.error_use in ("logged", "dropped", "handled") and self.caught_at is not None:
            draft.branch = location(self.path, self.caught_at)

    def is_promise(self, draft: Draft) -> bool:
        if self.file.language == "python":
            return False
        if draft.receiver_type and draft.name in _PROMISE_API:
            return True
        return draft.self_call and draft.name in self.file.async_names

    def error_use(self, node: Node, draft: Draft, index: int) -> ErrorUse:
        python = self.file.language == "python"
        if python and draft.receiver_type and draft.name == "produce":
            value = next(
                (m.part("value") for m in self.roles.within(node, "callback")
                 if m.node.parent is not None and m.node.parent.parent is not None
                 and m.node.parent.parent.id == node.id),
                None,
            )  # fmt: skip
            if value is not None:
                draft.via = "callback"
                draft.delivery, draft.handler = self.judge_callback(value, 0)
            return self.caught(node)
        if python and draft.receiver_type and draft.name == "send":
            return self.future(node, draft, index)
        if python and draft.name == "send_and_wait" and draft.receiver_type:
            top = self.up(node)
            return self.caught(top) if _is_await(top.parent) else "dropped"
        if not self.is_promise(draft):
            return self.caught(node)
        return self.promise(node, draft, index)

    # -- promises (JS) --------------------------------------------------------------------------

    def promise(self, node: Node, draft: Draft, index: int) -> ErrorUse:
        """Follow a promise through ``.then/.catch/.finally`` and ``Promise.all`` to where it is
        awaited, returned, stored or dropped."""
        current = self.up(node)
        while True:
            parent = current.parent
            if parent is not None and parent.type == "member_expression":
                call = parent.parent
                method = self.text(parent.child_by_field_name("property"))
                if call is None or call.type != "call_expression" or method not in _CHAIN:
                    return "none"
                args = call.child_by_field_name("arguments")
                handlers = args.named_children if args is not None else []
                handler = handlers[0] if method == "catch" and handlers else (
                    handlers[1] if method == "then" and len(handlers) > 1 else None
                )  # fmt: skip
                if handler is not None and not self.rethrows(handler):
                    use, _where = self.judge_callback(handler, 0)
                    self.caught_at = handler
                    return use
                current = self.up(call)
                continue
            if parent is not None and parent.type == "array":
                outer = parent.parent.parent if parent.parent is not None else None
                if outer is not None and outer.type == "call_expression":
                    callee = self.text(outer.child_by_field_name("function"))
                    if callee.startswith("Promise.") and callee.split(".", 1)[1] in _ALL:
                        current = self.up(outer)
                        continue
                return "none"
            break
        parent = current.parent
        if parent is None:
            return "none"
        if _is_await(parent):
            return self.caught(parent)
        if parent.type == "return_statement" or self.roles.at(parent, "function") is not None:
            return "returned"
        if parent.type == "expression_statement":
            return "dropped"
        assign = self.assigned(current)
        return self.watch(assign, index, node) if assign else "none"

    def rethrows(self, handler: Node) -> bool:
        """A ``.catch(e => { ...; throw e })`` passes the rejection on."""
        fn = self.roles.at(handler, "function")
        body = fn.part("body") if fn is not None else None
        if body is None:
            return False
        return any(not self.nested(m.node, body) for m in self.roles.within(body, "exit"))

    # -- futures (Python) -------------------------------------------------------------------------

    def future(self, node: Node, draft: Draft, index: int) -> ErrorUse:
        """kafka-python ``send()`` (aiokafka: ``await send()``) gives a future of the delivery."""
        current = self.up(node)
        if _is_await(current.parent) and current.parent is not None:
            current = self.up(current.parent)
        parent = current.parent
        if parent is not None and parent.type == "attribute":
            call = parent.parent
            method = self.text(parent.child_by_field_name("attribute"))
            if call is not None and call.type == "call":
                if method == "get":
                    return self.caught(call)
                if method == "add_errback":
                    args = call.child_by_field_name("arguments")
                    first = args.named_children[0] if args and args.named_children else None
                    if first is not None:
                        draft.via = "future"
                        draft.delivery, draft.handler = self.judge_callback(first, 0)
                        return "callback"
            return "none"
        if parent is None:
            return "none"
        if _is_await(parent):
            return self.caught(parent)
        if parent.type == "return_statement":
            return "returned"
        if parent.type == "expression_statement":
            return "dropped"
        assign = self.assigned(current)
        return self.watch(assign, index, node) if assign else "none"

    def watch(self, holder: str, index: int, node: Node) -> ErrorUse:
        """A stored promise / future: awaited, returned, ``get()``-ed, or handed to
        ``add_errback`` / ``.catch`` later in the function; ``unused`` (settled at the end while
        it stays pending) only when the variable is never mentioned again; any other later
        mention (a list, ``wait_for``, ``gather``) or a holder that is not a plain variable gives
        no verdict."""
        after = node.end_byte
        uses: list[tuple[int, Node, str]] = []
        for role in ("await", "return"):
            for m in self.roles.within(self.node, role):
                value = m.part("value")
                later = m.node.start_byte >= after and value is not None
                if later and value is not None and _mentions(self.text, value, holder):
                    uses.append((m.node.start_byte, m.node, role))
        for m in self.roles.within(self.node, "call"):
            if m.node.start_byte >= after and self.text(m.part("receiver")) == holder:
                uses.append((m.node.start_byte, m.node, "call"))
        for _start, use, role in sorted(uses, key=lambda u: u[0]):
            if role == "await":
                return self.caught(use)
            if role == "return":
                return "returned"
            call = self.roles.at(use, "call")
            method = self.text(call.part("name")) if call is not None else ""
            if method in ("get", "result", "join"):
                return self.caught(use)
            args = call.part("args") if call is not None else None
            handlers = args.named_children if args is not None else []
            handler = None
            if method in ("add_errback", "catch") and handlers:
                handler = handlers[0]
            elif method == "then" and len(handlers) > 1:
                handler = handlers[1]
            if handler is not None:
                draft = self.drafts[index]
                draft.via = "future"
                draft.delivery, draft.handler = self.judge_callback(handler, 0)
                return "callback"
        if not holder.isidentifier() or any(
            n.start_byte >= after and self.text(n) == holder for n in _identifiers(self.node)
        ):
            # handed on (appended to a list, wrapped in wait_for / gather, kept in a field):
            # who waits for it is not known here
            return "none"
        self.pending[holder] = index
        return "none"

    # -- exceptions ---------------------------------------------------------------------------

    def caught(self, node: Node) -> ErrorUse:
        """An exception raised at ``node``: ``returned`` unless an enclosing ``try`` of this
        function (not across a nested function) handles it."""
        current = node
        while current.parent is not None and current.id != self.node.id:
            parent = current.parent
            if self.roles.at(parent, "function") is not None and parent.id != self.node.id:
                return "returned"  # escapes the closure it is in
            match = self.roles.at(parent, "try")
            body = match.part("body") if match is not None else None
            if match is not None and body is not None and body.id == current.id:
                handlers = match.parts.get("handler", ())
                if handlers:
                    verdicts = [self.block_verdict(h) for h in handlers]
                    if all(v == "checked" for v in verdicts):
                        return "checked"
                    self.caught_at = handlers[0]
                    worsts: tuple[ErrorUse, ...] = ("handled", "logged", "dropped")
                    for worst in worsts:
                        if worst in verdicts:
                            return worst
            current = parent
        return "returned"

    def block_verdict(self, block: Node) -> ErrorUse:
        """What a handler block does: rethrows or exits (``checked``), only logs (``logged``),
        nothing (``dropped``), anything else (``handled``)."""
        if any(not self.nested(m.node, block) for m in self.roles.within(block, "exit")):
            return "checked"
        return self.only_logs(block)

    def only_logs(self, block: Node, roles: Roles | None = None) -> ErrorUse:
        roles = roles or self.roles
        stmts = list(block.named_children) if block.type in _BLOCKS else [block]
        logs = False
        for stmt in stmts:
            if stmt.type in _QUIET:
                continue
            if stmt.type == "return_statement" and not stmt.named_children:
                continue
            inner = stmt.named_children[0] if stmt.type == "expression_statement" else stmt
            if inner is not None and _is_await(inner) and inner.named_children:
                inner = inner.named_children[-1]
            if inner is not None and roles.at(inner, "log") is not None:
                logs = True
                continue
            return "handled"
        return "logged" if logs else "dropped"

    def nested(self, node: Node, within: Node, roles: Roles | None = None) -> bool:
        """Whether ``node`` sits in a function nested inside ``within``."""
        roles = roles or self.roles
        current = node.parent
        while current is not None and current.id != within.id:
            if roles.at(current, "function") is not None:
                return True
            current = current.parent
        return False

    # -- callbacks ----------------------------------------------------------------------------

    def judge_callback(self, node: Node, param: int) -> tuple[ErrorUse, Location | None]:
        """What a callback does with the error it receives as parameter ``param``: the branch
        of its test of that error (or its whole body) only logs, does nothing, or more."""
        roles = self.roles
        fn = roles.at(node, "function")
        if fn is None and node.type in ("identifier", "attribute", "member_expression"):
            fn = self.file.by_name.get(last_identifier(self.text(node)))
            roles = self.file.body(fn.node) if fn is not None else roles
        if fn is None:
            return "none", None  # a callback object: not judged
        where = location(self.path, fn.node)
        params = fn.part("params")
        nodes: list[Node] = []
        if params is not None:
            nodes = [params] if params.type == "identifier" else list(params.named_children)
        names = [self.text(p).split(":", 1)[0].split("=", 1)[0].strip() for p in nodes]
        names = [n for n in names if n not in _OWN]
        body = fn.part("body")
        if body is None:
            return "none", where
        if len(names) <= param:
            return self.only_logs(body, roles), where
        err = names[param]
        uses = [n for n in _identifiers(body) if self.text(n) == err]
        if not uses:  # never looks at the error (whatever else it does)
            verdict = self.only_logs(body, roles)
            return ("dropped" if verdict in ("logged", "dropped") else verdict), where
        for m in roles.within(body, "if"):
            test = m.part("test")
            failing = self.failing_branch(m, err, roles) if test is not None else None
            if failing is None or test is None:
                continue
            if any(not self.nested(e.node, failing, roles) for e in roles.within(failing, "exit")):
                return "handled", where  # raised in the client's callback: not judged
            verdict = self.only_logs(failing, roles)
            inside = {n.id for n in _identifiers(test)} | {n.id for n in _identifiers(failing)}
            return (verdict if all(u.id in inside for u in uses) else "handled"), where
        return self.only_logs(body, roles), where

    def failing_branch(self, match: Match, err: str, roles: Roles) -> Node | None:
        """The branch of an ``if`` that runs when ``err`` is set (None: not a test of it)."""
        test = match.part("test")
        if test is None:
            return None
        negated = False
        while (n := roles.at(test, "not")) is not None:
            operand = n.part("operand")
            if operand is None:
                return None
            test, negated = operand, not negated
        while test.type == "parenthesized_expression" and test.named_children:
            test = test.named_children[0]
        t = roles.at(test, "test")
        if t is not None and self.text(t.part("subject")) == err:
            negated ^= t.prop("negated") != "true"  # `err is None`: true when there is none
        elif self.text(test) != err:
            return None
        elses = match.parts.get("else", ())
        return (elses[0] if elses else None) if negated else match.part("then")

    # -- small helpers ------------------------------------------------------------------------

    def up(self, node: Node) -> Node:
        while node.parent is not None and node.parent.type == "parenthesized_expression":
            node = node.parent
        return node

    def assigned(self, node: Node) -> str:
        parent = node.parent
        if parent is None:
            return ""
        match = self.roles.at(parent, "assign")
        if match is not None and match.part("value") is not None:
            value = match.part("value")
            if value is not None and value.id == node.id:
                return self.text(match.part("target"))
        return ""


def _is_await(node: Node | None) -> bool:
    return node is not None and node.type in ("await", "await_expression")


def _identifiers(node: Node) -> Iterator[Node]:
    if node.type == "identifier":
        yield node
    for child in node.named_children:
        yield from _identifiers(child)


def _mentions(text: Text, node: Node, name: str) -> bool:
    return any(text(n) == name for n in _identifiers(node))
