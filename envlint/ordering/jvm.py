"""C# and Java walker: failures are exceptions.

A call's failure escapes the method (``returned``) unless the call does not block: a C# method
named ``...Async`` or Confluent's ``Produce`` that is not awaited, or Java ``send`` whose Future is
never ``get()``/``join()``-ed.  A ``try`` whose catch clauses do not all throw again turns the
escaping failures of its body into ``logged`` ones (catches that only log), ``dropped`` (empty
catches) or ``handled`` (catches that do more).  A Java ``send`` handed a delivery callback
(``send(record, callback)``, ``send(...).whenComplete(...)``, ``addCallback``) is judged by what
that callback does with the exception: its failure branch swallows the failure only when it does
nothing but log, count a metric, or keep the failure in a variable the method created and never
reads again; anything that may tell someone (a future, a collection or status outside the
callback, a signal nobody else gives, a call with the exception) records it.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from envlint.ordering._walk import (
    Draft,
    Text,
    descendants,
    freeze_all,
    is_log_call,
    last_identifier,
    location,
)
from envlint.ordering.model import ErrorUse, Frame, FunctionFacts, OrderingFact, TypeBinding

if TYPE_CHECKING:
    from tree_sitter import Node

    from envlint.model import Location

__all__ = ["extract_jvm", "functions"]

Scope = tuple[Frame, ...]


@dataclass(frozen=True)
class _Grammar:
    call: str
    namespaces: frozenset[str]
    classes: frozenset[str]
    methods: frozenset[str]
    closures: frozenset[str]
    loops: frozenset[str]
    switch_arms: frozenset[str]
    params: frozenset[str]
    blocking_tails: frozenset[str]  # `.get()` / `.Wait()` / `.Result` make a call block
    # calls on a Task / Future that neither wait nor let go of it: what they return carries the
    # failure on, so it is settled as the call itself is (`t.ConfigureAwait(false)`,
    # `send(...).toCompletableFuture()`: awaited, returned, handed on, stored or dropped)
    pass_through: frozenset[str]

    def non_blocking(self, name: str) -> bool:
        if self.call == "invocation_expression":
            return name.endswith("Async") or name == "Produce"
        return name in ("send", "sendDefault", "sendAsync")


_CSHARP = _Grammar(
    call="invocation_expression",
    namespaces=frozenset({"namespace_declaration", "file_scoped_namespace_declaration"}),
    classes=frozenset({"class_declaration", "record_declaration", "struct_declaration"}),
    methods=frozenset({"method_declaration", "constructor_declaration"}),
    closures=frozenset(
        {"lambda_expression", "anonymous_method_expression", "local_function_statement"}
    ),
    loops=frozenset({"for_statement", "foreach_statement", "while_statement", "do_statement"}),
    switch_arms=frozenset({"switch_section", "switch_expression_arm"}),
    params=frozenset({"parameter"}),
    blocking_tails=frozenset({"Wait", "Result", "GetResult", "GetAwaiter", "ConfigureAwait"}),
    pass_through=frozenset({"ConfigureAwait", "GetAwaiter"}),
)
# CompletableFuture / CompletionStage conversions and stages that complete exceptionally when
# the send fails (Spring's ListenableFuture.completable() too)
_FUTURE_STAGES = frozenset(
    {"toCompletableFuture", "completable", "minimalCompletionStage", "copy", "orTimeout",
     "thenApply", "thenApplyAsync", "thenAccept", "thenAcceptAsync", "thenCompose",
     "thenComposeAsync", "thenRun", "thenRunAsync", "thenCombine", "thenCombineAsync"}
)  # fmt: skip
_JAVA = _Grammar(
    call="method_invocation",
    namespaces=frozenset({"package_declaration"}),
    classes=frozenset({"class_declaration", "record_declaration", "enum_declaration"}),
    methods=frozenset({"method_declaration", "constructor_declaration"}),
    closures=frozenset({"lambda_expression", "class_body", "method_reference"}),
    loops=frozenset({"for_statement", "enhanced_for_statement", "while_statement", "do_statement"}),
    switch_arms=frozenset({"switch_block_statement_group", "switch_rule"}),
    params=frozenset({"formal_parameter"}),
    blocking_tails=frozenset({"get", "join"}),
    pass_through=_FUTURE_STAGES,
)
_SWITCHES = frozenset({"switch_statement", "switch_expression"})
_CONTAINERS = frozenset({"declaration_list", "program", "compilation_unit", "class_body"})
# Future callbacks (Spring ListenableFuture / CompletableFuture) and the parameter holding the
# exception: whenComplete((result, ex) -> ...), exceptionally(ex -> ...), addCallback(ok, fail)
_FUTURE_CALLBACKS = {
    "whenComplete": 1,
    "whenCompleteAsync": 1,
    "handle": 1,
    "handleAsync": 1,
    "exceptionally": 0,
    "addCallback": 0,
}
# Callback interface methods and the parameter holding the exception
_CALLBACK_METHODS = {"onCompletion": 1, "onFailure": 0, "accept": 1, "apply": 1}
_TRIES = frozenset({"try_statement", "try_with_resources_statement"})
_DECLS = frozenset(
    {"field_declaration", "local_declaration_statement", "local_variable_declaration"}
)
def _dotted(name: str, receiver: str) -> str:
    """``receiver.name`` as a log-call test reads it (``name`` alone without a receiver)."""
    return f"{receiver}.{name}" if receiver else name


_QUIET = frozenset(
    {"comment", "line_comment", "block_comment", "empty_statement", "break_statement",
     "continue_statement"}
)  # fmt: skip
# A metric counted in a failure branch (Micrometer, Prometheus, Dropwizard): on a receiver
# declared as a meter, or named like one when its type is not known here
_METRIC_CALLS = frozenset({"increment", "inc", "mark", "record", "observe"})
_METRIC_TYPE = re.compile(
    r"(?:^|\.)(Counter|Meter|Histogram|Timer|DistributionSummary|Summary|MeterRegistry"
    r"|MetricRegistry|PrometheusMeterRegistry)(<.*>)?$"
)
_METRIC_NAME = re.compile(r"(?i)(metric|meter|counter|registry)s?$")
# calls that only read (building a log line or a value): s.getMessage(), String.format(...)
_READS = re.compile(
    r"^((get|is|has|to)([A-Z_].*)?|format|formatted|valueOf|name|key|value|topic|partition"
    r"|offset|length|size|ordinal|join|of)$"
)
_FRESH = frozenset({"object_creation_expression", "array_creation_expression", "array_initializer"})


@dataclass(frozen=True, slots=True)
class _Delivery:
    """How a delivery callback treats a failure (see ``OrderEvent.delivery``)."""

    use: ErrorUse
    handler: Location | None = None
    kept: str = ""
    counted: bool = False


@dataclass(frozen=True, slots=True)
class _Branch:
    """What a failure branch does: the verdict, the variable that keeps the failure (``unused``)
    and whether it counts a metric."""

    use: ErrorUse
    kept: str = ""
    counted: bool = False


def functions(language: str, root: Node, text: Text) -> Iterator[tuple[Node, str]]:
    """Every method and constructor of the file's classes (nested ones too), with its name."""
    grammar = _CSHARP if language == "csharp" else _JAVA
    containers = grammar.namespaces | grammar.classes | _CONTAINERS
    stack = [root]
    while stack:
        node = stack.pop()
        for child in reversed(node.named_children):
            if child.type in grammar.methods:
                name = child.child_by_field_name("name")
                if name is not None:
                    yield child, text(name)
            elif child.type in containers:
                stack.append(child)


def extract_jvm(
    language: str,
    root: Node,
    path: str,
    text: Text,
    walk: Callable[[Node], bool] | None = None,
) -> tuple[OrderingFact, ...]:
    """Facts of one C# / Java file: type bindings, and the methods ``walk`` accepts (all
    without it)."""
    grammar = _CSHARP if language == "csharp" else _JAVA
    out: list[OrderingFact] = []
    scan = _Scan(grammar, language, path, text, walk or (lambda _node: True), out)
    scan.run(root, posixpath.dirname(path) or ".", "")
    return tuple(out)


@dataclass(frozen=True)
class _Scan:
    grammar: _Grammar
    language: str
    path: str
    text: Text
    walk: Callable[[Node], bool]
    out: list[OrderingFact]

    def run(self, node: Node, package: str, owner: str) -> str:
        """Walk declarations; returns the namespace a file-scoped declaration sets."""
        grammar, text = self.grammar, self.text
        for child in node.named_children:
            if child.type in grammar.namespaces:
                name = child.child_by_field_name("name") or (
                    child.named_children[0] if child.named_children else None
                )
                body = child.child_by_field_name("body")
                if body is None:  # file-scoped namespace / Java package: applies to the rest
                    package = text(name)
                else:
                    self.run(body, text(name), owner)
            elif child.type in grammar.classes:
                self.cls(child, package)
            elif child.type in ("declaration_list", "program", "compilation_unit"):
                self.run(child, package, owner)
        return package

    def cls(self, node: Node, package: str) -> None:
        grammar, text = self.grammar, self.text
        cls = text(node.child_by_field_name("name"))
        fields: dict[str, str] = {}
        for part in node.named_children:  # C# primary constructor parameters
            if part.type == "parameter_list":
                fields.update(_params(grammar, part, text))
        body = node.child_by_field_name("body")
        members = body.named_children if body is not None else []
        for member in members:
            if member.type in _DECLS:
                fields.update(_declared(member, text))
            elif member.type == "property_declaration":
                fields[text(member.child_by_field_name("name"))] = text(
                    member.child_by_field_name("type")
                )
        self.out.extend(TypeBinding(self.language, package, cls, n, t) for n, t in fields.items())
        for member in members:
            if member.type in grammar.methods and self.walk(member):
                walker = _Method(
                    grammar, self.language, member, self.path, package, cls, fields, self.text
                )
                facts = walker.facts()
                if facts is not None:
                    self.out.append(facts)
        if body is not None:
            self.run(body, package, cls)


def _params(grammar: _Grammar, node: Node, text: Text) -> dict[str, str]:
    return {
        text(p.child_by_field_name("name")): text(p.child_by_field_name("type"))
        for p in node.named_children
        if p.type in grammar.params
    }


def _declared(node: Node, text: Text) -> dict[str, str]:
    """Names and declared types of a field / local declaration (``var`` is no evidence)."""
    decl = node.child_by_field_name("declarator") and node
    if decl is None:
        decl = next((c for c in node.named_children if c.type == "variable_declaration"), node)
    type_text = text(decl.child_by_field_name("type"))
    if type_text in ("var", ""):
        return {}
    return {
        text(d.child_by_field_name("name")): type_text
        for d in decl.named_children
        if d.type == "variable_declarator"
    }


class _Method:
    def __init__(
        self,
        grammar: _Grammar,
        language: str,
        node: Node,
        path: str,
        package: str,
        owner: str,
        fields: dict[str, str],
        text: Text,
    ) -> None:
        self.g, self.language, self.node, self.path = grammar, language, node, path
        self.text = text
        self.package, self.owner, self.fields = package, owner, fields
        self.drafts: list[Draft] = []
        self.pending: dict[str, int] = {}  # variable holding an un-awaited Task / Future
        self.stored_at: dict[str, int] = {}  # where that variable was assigned (end byte)
        self.declared: set[str] = set()  # local variables declared in the body
        params = node.child_by_field_name("parameters")
        self.locals = _params(grammar, params, text) if params is not None else {}

    def facts(self) -> FunctionFacts | None:
        text = self.text
        name = self.node.child_by_field_name("name")
        body = self.node.child_by_field_name("body")
        if name is None or body is None:
            return None
        self.walk(body, ())
        later = _identifier_positions(body, text)
        for target, index in self.pending.items():  # a future with a callback: judged by it
            draft = self.drafts[index]
            if draft.via:
                draft.error_use = "callback"
            elif (target in self.locals or target in self.declared) and not any(
                start > self.stored_at.get(target, 0) for start in later.get(target, ())
            ):
                draft.error_use = "unused"
            else:  # handed on later (a list, WhenAll) or kept in a field: not known here
                draft.error_use = "none"
        self.implicit_guards()
        return FunctionFacts(
            language=self.language,
            path=self.path,
            package=self.package,
            owner=self.owner,
            name=text(name),
            location=location(self.path, name),
            receiver_var="this",
            returns_error=True,
            events=freeze_all(self.drafts),
        )

    def implicit_guards(self) -> None:
        """A later event runs only if an earlier, escaping call did not throw."""
        for i, draft in enumerate(self.drafts):
            if draft.kind != "call" or draft.error_use not in ("returned", "checked"):
                continue
            scope = draft.scope
            while draft.error_use == "checked" and scope and scope[-1].kind == "try":
                scope = scope[:-1]
            tries = {f.node for f in draft.scope if f.kind == "try"}
            for later in self.drafts[i + 1 :]:
                handler = any(f.node in tries and f.kind != "try" for f in later.scope)
                if later.scope[: len(scope)] == scope and not handler:
                    later.extra_guards.append(i)

    # -- walking ----------------------------------------------------------------------------

    def walk(self, node: Node, scope: Scope) -> int | None:
        kind = node.type
        if kind in self.g.closures:
            body = node.child_by_field_name("body") if kind == "lambda_expression" else None
            for child in node.named_children:
                index = self.walk(child, (*scope, Frame("closure", node.start_byte)))
                handed = body is not None and child.id == body.id and index is not None
                if handed and index is not None and self.drafts[index].error_use == "unused":
                    # `e -> template.send(...)`: the lambda returns the Future to whoever calls
                    # it (a map(...) collected into a list): not known here
                    self.drafts[index].error_use = "none"
            return None
        if kind == "if_statement":
            self.if_statement(node, scope)
        elif kind in _SWITCHES:
            self.switch(node, scope)
        elif kind in self.g.loops:
            for child in node.named_children:
                self.walk(child, (*scope, Frame("loop", node.start_byte)))
        elif kind in _TRIES:
            self.try_statement(node, scope)
        elif kind in ("return_statement", "throw_statement", "throw_expression"):
            for child in node.named_children:
                index = self.walk(child, scope)
                if index is not None and kind == "return_statement":
                    self.drafts[index].error_use = "returned"
                self.resolve_pending(child)
            closure = any(f.kind == "closure" for f in scope)
            self.emit_exit(node, scope, fails=kind != "return_statement" and not closure)
        elif kind == "expression_statement":
            for child in node.named_children:
                index = self.walk(child, scope)
                if index is not None and self.drafts[index].error_use == "unused":
                    self.drafts[index].error_use = "dropped"
        elif kind in _DECLS or kind == "assignment_expression":
            self.assignment(node, scope)
        elif kind == "await_expression":
            for child in node.named_children:
                self.walk(child, scope)
                self.resolve_pending(child)
        elif kind == self.g.call:
            return self.call(node, scope)
        elif kind not in ("class_declaration", "local_function_statement"):
            for child in node.named_children:
                self.walk(child, scope)
        return None

    def if_statement(self, node: Node, scope: Scope) -> None:
        cond = node.child_by_field_name("condition")
        if cond is not None:
            self.walk(cond, scope)
        for arm, field in enumerate(("consequence", "alternative")):
            branch = node.child_by_field_name(field)
            if branch is not None:
                self.walk(branch, (*scope, Frame("if", node.start_byte, arm)))

    def switch(self, node: Node, scope: Scope) -> None:
        arms: list[Node] = []
        for child in node.named_children:
            if child.type in self.g.switch_arms:
                arms.append(child)
            elif child.type in ("switch_body", "switch_block"):
                arms.extend(c for c in child.named_children if c.type in self.g.switch_arms)
            else:
                self.walk(child, scope)
        for arm, child in enumerate(arms):
            self.walk(child, (*scope, Frame("switch", node.start_byte, arm)))

    def try_statement(self, node: Node, scope: Scope) -> None:
        body_start = len(self.drafts)
        verdicts: list[ErrorUse] = []
        catches: list[Node] = []
        body_end = body_start
        for child in node.named_children:
            if child.type == "catch_clause":
                start = len(self.drafts)
                frame = Frame("catch", node.start_byte, len(verdicts) + 1)
                self.walk(child, (*scope, frame))
                if any(d.kind == "exit" and d.fails for d in self.drafts[start:]):
                    verdicts.append("checked")
                else:
                    block = child.child_by_field_name("body") or child.named_children[-1]
                    verdicts.append(self.only_logs(block))
                    catches.append(child)
            elif child.type == "finally_clause":
                self.walk(child, (*scope, Frame("finally", node.start_byte)))
            else:
                self.walk(child, (*scope, Frame("try", node.start_byte)))
                body_end = len(self.drafts)
        if not verdicts:
            return
        use: ErrorUse = "checked"
        worsts: tuple[ErrorUse, ...] = ("handled", "logged", "dropped")
        for worst in worsts:  # what some catch does that does not throw
            if worst in verdicts:
                use = worst
                break
        where = location(self.path, catches[0]) if catches else None
        for draft in self.drafts[body_start:body_end]:
            inner = draft.scope[len(scope) + 1 :]
            if draft.error_use in ("returned", "checked") and all(
                f.kind != "closure" for f in inner
            ):
                draft.error_use = use
                draft.branch = None if use == "checked" else where

    def only_logs(self, block: Node | None) -> ErrorUse:
        """What a catch block or a callback's failure branch does when it does not throw:
        ``logged`` (only log calls, ``return``/``return null``/``break``/``continue``), ``dropped``
        (nothing), ``handled`` (anything else: returns a value, stores, retries, signals)."""
        if block is None:
            return "dropped"
        stmts = [block] if block.type not in ("block", "statement_block") else block.named_children
        logs = False
        for stmt in stmts:
            quiet, call = self.statement(stmt)
            if quiet:
                continue
            if call is not None and is_log_call(_dotted(*call), call[0]):
                logs = True
                continue
            return "handled"
        return "logged" if logs else "dropped"

    def statement(self, stmt: Node) -> tuple[bool, tuple[str, str] | None]:
        """Whether ``stmt`` does nothing a failure path needs (a comment, ``break``/``continue``,
        ``return;`` / ``return null;`` — exceptionally's replacement value), and the (name,
        receiver) of the call it is, if it is one."""
        if stmt.type in _QUIET:
            return True, None
        if stmt.type == "return_statement" and all(
            c.type == "null_literal" for c in stmt.named_children
        ):
            return True, None
        call = stmt.named_children[0] if stmt.type == "expression_statement" else stmt
        if call is None or call.type != self.g.call:
            return False, None
        name_node, receiver_node = self.parts(call)
        return False, (self.text(name_node), self.text(receiver_node))

    def assignment(self, node: Node, scope: Scope) -> None:
        if node.type != "assignment_expression":
            self.locals.update(_declared(node, self.text))
        for child in node.named_children:
            for target, value in self.targets(child):
                if node.type != "assignment_expression":
                    self.declared.add(target)
                index = self.walk(value, scope)
                if index is None:
                    continue
                draft = self.drafts[index]
                if target == "_":
                    draft.error_use = "discarded"
                elif draft.error_use == "unused":
                    self.pending[target] = index
                    self.stored_at[target] = node.end_byte
            if node.type == "assignment_expression":
                break

    def targets(self, node: Node) -> list[tuple[str, Node]]:
        """(variable, value) pairs under a declaration or the assignment itself."""
        text = self.text
        if node.parent is not None and node.parent.type == "assignment_expression":
            left = node.parent.child_by_field_name("left")
            right = node.parent.child_by_field_name("right")
            return [(text(left), right)] if right is not None else []
        pairs: list[tuple[str, Node]] = []
        declarators = [node] if node.type == "variable_declarator" else node.named_children
        for decl in declarators:
            if decl.type != "variable_declarator":
                if decl.type not in ("identifier", "predefined_type", "implicit_type"):
                    self.walk(decl, ())
                continue
            name = decl.child_by_field_name("name")
            value = decl.child_by_field_name("value") or (
                decl.named_children[-1] if len(decl.named_children) > 1 else None
            )
            if value is not None:
                pairs.append((text(name), value))
        return pairs

    def resolve_pending(self, node: Node) -> None:
        """An awaited / returned / get()-ed variable: its Task or Future is observed."""
        if node.type == "identifier" and self.text(node) in self.pending:
            self.drafts[self.pending.pop(self.text(node))].error_use = "returned"
        for child in node.named_children:
            self.resolve_pending(child)

    def call(self, node: Node, scope: Scope) -> int:
        text = self.text
        name_node, receiver_node = self.parts(node)
        inner = self.walk(receiver_node, scope) if receiver_node is not None else None
        arguments = node.child_by_field_name("arguments")
        args = arguments.named_children if arguments is not None else []
        for arg in args:
            value = _argument_value(arg, self.g.call)
            handed = self.walk(value, scope)
            if handed is not None and self.drafts[handed].error_use == "unused":
                self.drafts[handed].error_use = "none"  # handed to another call: not known here
        name = text(name_node)
        if name_node is not None and name_node.type == "generic_name":
            name = text(name_node.named_children[0]) if name_node.named_children else name
        receiver = text(receiver_node)
        draft = Draft("call", location(self.path, node), scope, ())
        draft.callee = f"{receiver}.{name}" if receiver else name
        draft.name, draft.receiver = name, receiver
        draft.receiver_field = last_identifier(receiver)
        draft.receiver_type = self.type_of(receiver)
        draft.self_call = receiver in ("", "this", "base")
        draft.arg_count = len(args)
        draft.error_use = self.error_use(node, draft, args)
        if name in self.g.blocking_tails and receiver_node is not None:
            self.resolve_pending(receiver_node)
        if receiver in self.pending and name in _FUTURE_CALLBACKS and args:
            future = self.drafts[self.pending[receiver]]  # f.whenComplete(cb) on a held future
            future.via = "future"
            _deliver(future, self.judge_future(name, args))
        index = len(self.drafts)
        self.drafts.append(draft)
        if (receiver, name) in (("Environment", "Exit"), ("System", "exit")):
            self.emit_exit(node, scope, fails=not any(f.kind == "closure" for f in scope))
        if (
            name in self.g.pass_through
            and inner is not None
            and self.drafts[inner].error_use == "unused"
        ):
            return inner  # t.ConfigureAwait(false), f.toCompletableFuture(): settled as t, f are
        return index

    def parts(self, node: Node) -> tuple[Node | None, Node | None]:
        """(name, receiver) of a call."""
        if self.g.call == "method_invocation":
            return node.child_by_field_name("name"), node.child_by_field_name("object")
        function = node.child_by_field_name("function")
        if function is not None and function.type == "member_access_expression":
            return function.child_by_field_name("name"), function.child_by_field_name("expression")
        if function is not None and function.type == "conditional_access_expression":
            binding = next(
                (c for c in function.named_children if c.type == "member_binding_expression"),
                None,
            )
            name = binding.child_by_field_name("name") if binding is not None else None
            return name, function.child_by_field_name("condition")
        return function, None

    def error_use(self, node: Node, draft: Draft, args: list[Node]) -> ErrorUse:
        name = draft.name
        if not self.g.non_blocking(name):
            return "returned"
        if self.blocked(node):
            return "returned"
        if self.g.call == "method_invocation":
            chained = self.future_chain(node, draft)
            if chained is not None:
                return chained
            if len(args) == 2 and self.is_callback(_unwrapped(args[1]), draft):
                draft.via = "callback"  # KafkaProducer.send(record, callback)
                _deliver(draft, self.judge_callback(args[1], 1))
                return "callback"
        has_callback = any(
            _unwrapped(a.named_children[0] if a.type == "argument" and a.named_children else a).type
            in self.g.closures
            for a in args
        )
        if has_callback or (name == "Produce" and len(args) >= 3):
            return "callback"
        return "unused"  # settled by the statement around it

    def is_callback(self, arg: Node, draft: Draft) -> bool:
        """The second argument of a Java ``send``: a ``Callback`` (KafkaProducer) rather than
        the value of ``KafkaTemplate.send(topic, data)``."""
        if arg.type in ("lambda_expression", "method_reference"):
            return True
        if arg.type == "object_creation_expression":
            return any(c.type == "class_body" for c in arg.named_children)
        type_text = draft.receiver_type
        return arg.type == "identifier" and "Producer" in type_text and "Template" not in type_text

    def future_chain(self, node: Node, draft: Draft) -> ErrorUse | None:
        """``send(...).whenComplete(cb)`` (and ``addCallback``, ``exceptionally``...): the
        failure goes to ``cb``, unless the chain is waited on or handed to the caller."""
        current, found = node, None
        while (parent := current.parent) is not None and parent.type == self.g.call:
            if parent.child_by_field_name("object") != current:
                break
            tail = self.text(parent.child_by_field_name("name"))
            arguments = parent.child_by_field_name("arguments")
            args = arguments.named_children if arguments is not None else []
            if tail in _FUTURE_CALLBACKS and args and found is None:
                found = (tail, args)
            current = parent
        if found is None:
            return None
        holder = current.parent
        if holder is not None and holder.type in ("return_statement", "lambda_expression"):
            return "returned"  # the future goes to the caller
        if holder is None or holder.type != "expression_statement":
            return "none"  # stored or passed on: not judged
        draft.via = "future"
        _deliver(draft, self.judge_future(*found))
        return "callback"

    def judge_future(self, tail: str, args: list[Node]) -> _Delivery:
        if tail == "addCallback" and len(args) >= 2:
            return self.judge_callback(args[1], 0)  # addCallback(onSuccess, onFailure)
        return self.judge_callback(args[0], _FUTURE_CALLBACKS[tail])

    def judge_callback(self, callback: Node, param: int) -> _Delivery:
        """What ``callback`` does with the exception it receives (parameter ``param``)."""
        callback = _unwrapped(callback)  # send(record, ((md, ex) -> {...}))
        body: Node | None = None
        params: list[Node] = []
        if callback.type == "lambda_expression":
            body = callback.child_by_field_name("body")
            formal = callback.child_by_field_name("parameters") or callback.named_children[0]
            params = [formal] if formal.type == "identifier" else list(formal.named_children)
        elif callback.type == "object_creation_expression":
            cls = next((c for c in callback.named_children if c.type == "class_body"), None)
            for member in cls.named_children if cls is not None else []:
                name = self.text(member.child_by_field_name("name"))
                if member.type == "method_declaration" and name in _CALLBACK_METHODS:
                    body = member.child_by_field_name("body") or body
                    declared = member.child_by_field_name("parameters")
                    params = list(declared.named_children) if declared is not None else []
                    param = _CALLBACK_METHODS[name]
                    break
        if body is None or len(params) <= param:
            return _Delivery("none")  # a callback object or method reference: not judged
        exc = params[param]
        err = self.text(exc.child_by_field_name("name") or exc)
        verdict = self.judge_error(body, err)
        return _Delivery(verdict.use, location(self.path, callback), verdict.kept, verdict.counted)

    def judge_error(self, body: Node, err: str) -> _Branch:
        """The failure branch of ``if (err != null)`` in ``body``, when ``err`` is used nowhere
        else; an expression body that only logs logs; ``err`` never used: dropped."""
        text = self.text
        uses = [n for n in descendants(body) if n.type == "identifier" and text(n) == err]
        if body.type != "block":
            return self.failure_branch(body, body) if uses else _Branch("dropped")
        for stmt in descendants(body):
            if stmt.type != "if_statement":
                continue
            cond = stmt.child_by_field_name("condition")
            op = _null_op(cond, err, text) if cond is not None else ""
            if not op or cond is None:
                continue
            failing = stmt.child_by_field_name("consequence" if op == "!=" else "alternative")
            if failing is not None and any(
                n.type == "throw_statement" for n in [failing, *descendants(failing)]
            ):
                return _Branch("handled")  # thrown on the client's thread: not judged
            if failing is not None and any(
                n.type == self.g.call and text(n).startswith("System.exit")
                for n in descendants(failing)
            ):
                return _Branch("checked")
            verdict = self.failure_branch(failing, body)
            inside = {n.id for n in descendants(cond)}
            if failing is not None:
                inside |= {n.id for n in descendants(failing)}
            return verdict if all(n.id in inside for n in uses) else _Branch("handled")
        if not uses:  # never looks at the exception
            quiet = self.failure_branch(body, body).use in ("logged", "dropped", "unused")
            return _Branch("dropped" if quiet else "handled")
        return self.failure_branch(body, body)  # no test of it: the whole body handles it

    def failure_branch(self, branch: Node | None, body: Node) -> _Branch:
        """What a callback's failure branch ``branch`` (inside the callback ``body``) does when it
        does not throw: ``logged`` when it only logs or counts a metric (also ``return``/``return
        null``/``break``/``continue``, a local only logged, a latch counted down on every path),
        ``dropped`` when it does nothing, ``unused`` when it also keeps the failure in a variable
        the method created and never reads again, ``handled`` when it does anything else: hands
        the exception or a status to something that outlives the callback (a future, a collection
        or object from outside it, a signal only this branch gives, a call with the exception)."""
        if branch is None:
            return _Branch("dropped")
        stmts = list(branch.named_children) if branch.type == "block" else [branch]
        logs = counted = False
        kept = ""
        for stmt in stmts:
            quiet, call = self.statement(stmt)
            if quiet:
                continue
            if call is not None:
                name, receiver = call
                if is_log_call(_dotted(name, receiver), name):
                    logs = True
                    continue
                if self.is_metric(name, receiver):
                    counted = True
                    continue
                if name == "countDown" and self.signalled_anyway(receiver, branch, body):
                    continue  # the latch says "done", not "failed"
            if self.only_for_logging(stmt, branch, body):
                continue
            target = self.unread_local(stmt, body)
            if not target:
                return _Branch("handled")
            kept = kept or target
        if kept:
            return _Branch("unused", kept, counted)
        return _Branch("logged" if logs or counted else "dropped", "", counted)

    def is_metric(self, name: str, receiver: str) -> bool:
        """``failedSends.increment()``, ``registry.counter("x").increment()``,
        ``FAILURES.labels(t).inc()``: a meter declared as one, or named like one."""
        if name not in _METRIC_CALLS or not receiver:
            return False
        chained = "(" in receiver
        parts = [p for p in receiver.split("(", 1)[0].split(".") if p and p != "this"]
        if not parts:
            return False
        head = parts[0] if chained else parts[-1]
        declared = self.type_of(head)
        if declared:
            return bool(_METRIC_TYPE.search(declared))
        return bool(_METRIC_NAME.search(head))

    def signalled_anyway(self, receiver: str, branch: Node, body: Node) -> bool:
        """``receiver.countDown()`` also runs outside the failure branch (a ``finally``, the
        success branch): the latch tells the waiter the callback ran, not that it failed."""
        inside = {n.id for n in [branch, *descendants(branch)]}
        return any(
            n.type == self.g.call
            and n.id not in inside
            and self.text(n.child_by_field_name("name")) == "countDown"
            and self.text(n.child_by_field_name("object")) == receiver
            for n in descendants(body)
        )

    def only_for_logging(self, stmt: Node, branch: Node, body: Node) -> bool:
        """A local of the callback set in the failure branch (``String msg = ...;``) from values
        that are only read, and used nowhere but in log calls."""
        text = self.text
        if stmt.type == "local_variable_declaration":
            declarators = [d for d in stmt.named_children if d.type == "variable_declarator"]
            names = {text(d.child_by_field_name("name")) for d in declarators}
            values = [v for d in declarators if (v := d.child_by_field_name("value")) is not None]
            scope = branch  # declared in the branch: visible only there
        else:
            assign = stmt.named_children[0] if stmt.type == "expression_statement" else stmt
            left = assign.child_by_field_name("left") if assign is not None else None
            right = assign.child_by_field_name("right") if assign is not None else None
            if assign is None or assign.type != "assignment_expression" or left is None:
                return False
            if left.type != "identifier" or right is None or not self.callback_local(
                text(left), body
            ):
                return False
            names, values, scope = {text(left)}, [right], body
        if not names or not all(self.only_reads(v) for v in values):
            return False
        own = {n.id for n in [stmt, *descendants(stmt)]}
        return all(
            self.in_log_call(node, scope)
            for node in descendants(scope)
            if node.type == "identifier" and text(node) in names and node.id not in own
        )

    def callback_local(self, name: str, body: Node) -> bool:
        return any(
            d.type == "variable_declarator" and self.text(d.child_by_field_name("name")) == name
            for d in descendants(body)
        )

    def in_log_call(self, node: Node, scope: Node) -> bool:
        current = node.parent
        while current is not None and current.id != scope.id:
            if current.type == self.g.call:
                name_node, receiver_node = self.parts(current)
                name, receiver = self.text(name_node), self.text(receiver_node)
                if is_log_call(_dotted(name, receiver), name):
                    return True
            current = current.parent
        return False

    def only_reads(self, value: Node) -> bool:
        """No call in ``value`` but ones named like reads (getters, ``String.format``), no
        lambda or anonymous class."""
        for node in [value, *descendants(value)]:
            if node.type in self.g.closures:
                return False
            if node.type == self.g.call and not _READS.match(
                self.text(node.child_by_field_name("name"))
            ):
                return False
        return True

    def unread_local(self, stmt: Node, body: Node) -> str:
        """The variable a failure-branch statement keeps the failure in, when that is a fresh
        object the method created (``new CompletableFuture<>()``, ``new boolean[1]``) that is
        written only inside the callback and read nowhere in the method; else ""."""
        text = self.text
        node = stmt.named_children[0] if stmt.type == "expression_statement" else stmt
        target = _written(node, self.g.call) if node is not None else None
        if target is None or node is None or not self.payload_reads(node):
            return ""
        method = self.node.child_by_field_name("body")
        if method is None:
            return ""
        name = text(target)
        inside = {n.id for n in descendants(body)}
        declared: list[Node] = []
        for n in descendants(method):
            if n.type == "variable_declarator" and text(n.child_by_field_name("name")) == name:
                declared.append(n)
            elif n.type in self.g.params and text(n.child_by_field_name("name")) == name:
                return ""  # a parameter of the method or of a lambda: not the method's own
        if len(declared) != 1 or declared[0].id in inside:
            return ""
        value = declared[0].child_by_field_name("value")
        if value is None or value.type not in _FRESH or any(
            c.type == "class_body" for c in value.named_children
        ):
            return ""
        own = declared[0].child_by_field_name("name")
        for n in descendants(method):
            if n.type != "identifier" or text(n) != name or own is None or n.id == own.id:
                continue
            if n.id not in inside or not self.is_write(n):
                return ""  # read (or handed on) somewhere
        return name

    def is_write(self, ident: Node) -> bool:
        """``ident`` is written by a statement of its own: ``ident.complete(e);`` (also a lambda's
        expression body) or ``ident[0] = e;``, from values that are only read."""
        parent = ident.parent
        if parent is None:
            return False
        statement = parent.parent if parent.type == self.g.call else None
        if parent.type == "array_access" and parent.parent is not None:
            statement = parent.parent.parent
            parent = parent.parent
        written = _written(parent, self.g.call)
        return (
            written is not None
            and written.id == ident.id
            and statement is not None
            and statement.type in ("expression_statement", "lambda_expression")
            and self.payload_reads(parent)
        )

    def payload_reads(self, write: Node) -> bool:
        """The values a write (see :func:`_written`) stores are only read."""
        if write.type == self.g.call:
            arguments = write.child_by_field_name("arguments")
            return arguments is None or self.only_reads(arguments)
        return all(self.only_reads(c) for c in write.named_children if c.type != "identifier")

    def blocked(self, node: Node) -> bool:
        """Awaited, or followed by ``.get()`` / ``.Result`` / ``.GetAwaiter().GetResult()``
        (also after a future callback: ``send(...).whenComplete(cb).get()``)."""
        current = node
        while (parent := current.parent) is not None:
            if parent.type == "await_expression":
                return True
            if parent.type == "member_access_expression" or parent.type == "method_invocation":
                tail = self.text(parent.child_by_field_name("name"))
                if tail in self.g.blocking_tails - self.g.pass_through:
                    return True
                # ``await t.ConfigureAwait(false)``, ``t.GetAwaiter().GetResult()``,
                # ``f.toCompletableFuture().get()``: look on
                if tail not in self.g.pass_through and (
                    tail not in _FUTURE_CALLBACKS or self.g.call != "method_invocation"
                ):
                    return False
            elif parent.type == "invocation_expression":
                if parent.child_by_field_name("function") != current:
                    return False  # an argument of another call
            elif parent.type != "parenthesized_expression":
                return False
            current = parent
        return False

    def emit_exit(self, node: Node, scope: Scope, *, fails: bool) -> None:
        draft = Draft("exit", location(self.path, node), scope, ())
        draft.fails = fails
        self.drafts.append(draft)

    def type_of(self, receiver: str) -> str:
        if receiver in self.locals:
            return self.locals[receiver]
        bare = receiver.removeprefix("this.")
        return self.fields.get(bare, "") if bare.replace("_", "a").isalnum() else ""


def _deliver(draft: Draft, verdict: _Delivery) -> None:
    draft.delivery, draft.handler = verdict.use, verdict.handler
    draft.kept, draft.counted = verdict.kept, verdict.counted


def _unwrapped(node: Node) -> Node:
    """``((md, ex) -> {...})`` -> the lambda."""
    while node.type == "parenthesized_expression" and len(node.named_children) == 1:
        node = node.named_children[0]
    return node


def _written(node: Node, call: str) -> Node | None:
    """The variable a statement writes into: ``x.complete(e)`` / ``x.add(e)`` (a call on a
    plain variable) or ``x[0] = e``; None for anything else."""
    if node.type == call:
        target = node.child_by_field_name("object")
        return target if target is not None and target.type == "identifier" else None
    if node.type == "array_access":
        parent = node.parent
        left = parent.child_by_field_name("left") if parent is not None else None
        array = node.child_by_field_name("array")
        if left is not None and left.id == node.id and array is not None:
            return array if array.type == "identifier" else None
        return None
    if node.type == "assignment_expression":
        left = node.child_by_field_name("left")
        return _written(left, call) if left is not None and left.type == "array_access" else None
    return None


def _argument_value(arg: Node, call: str) -> Node:
    """The expression an argument passes: C#'s ``argument`` (``fut: t``) and parentheses
    unwrapped when they hold a call; else the argument itself."""
    value = arg
    while value.type in ("argument", "parenthesized_expression") and value.named_children:
        value = value.named_children[-1]
    return value if value.type == call else arg


def _identifier_positions(body: Node, text: Text) -> dict[str, list[int]]:
    """Start bytes of every identifier in ``body``, by name."""
    out: dict[str, list[int]] = {}
    for node in descendants(body):
        if node.type == "identifier":
            out.setdefault(text(node), []).append(node.start_byte)
    return out


def _null_op(cond: Node, name: str, text: Text) -> str:
    """The operator of ``name != null`` / ``name == null`` inside ``cond``, or ""."""
    for node in [cond, *descendants(cond)]:
        if node.type != "binary_expression":
            continue
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            continue
        sides = {text(left), text(right)}
        if sides == {name, "null"}:
            return text(node.child_by_field_name("operator"))
    return ""
