"""Go walker (tree-sitter-go 0.25: blocks hold a ``statement_list``).

Errors are values: a call's error is followed through ``err :=`` / ``if err := ...; err != nil``
to the ``if`` that tests it or the ``return`` that passes it on.  A sarama ``Input() <- msg``
send is judged by how the function reads the producer's ``Errors()`` channel.
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

from envlint.ordering._walk import (
    Compactor,
    Draft,
    last_identifier,
    location,
    strip_pointer,
    text,
)
from envlint.ordering.model import Frame, FrameKind, FunctionFacts, OrderingFact, TypeBinding
from envlint.sources.golang import block_statements

Scope = tuple[Frame, ...]
Guards = tuple[int, ...]

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = ["extract_go"]

_FATAL = frozenset({"Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln"})
_ASSIGN = frozenset({"assignment_statement", "short_var_declaration"})
_CASES = frozenset({"expression_case", "default_case", "type_case", "communication_case"})


def extract_go(root: Node, path: str, sink: Compactor | None = None) -> tuple[OrderingFact, ...]:
    """Facts of one Go file (every event, unless ``sink`` compacts them)."""
    sink = sink or Compactor("go", path, compact=False)
    package = posixpath.dirname(path) or "."
    fields: dict[str, str] = {}
    out: list[OrderingFact] = []
    for node in root.named_children:
        if node.type == "type_declaration":
            for spec in node.named_children:
                out.extend(_struct_fields(spec, package, fields))
        elif node.type == "var_declaration":
            for spec in node.named_children:
                for name, type_text in _var_types(spec):
                    fields.setdefault(name, type_text)
                    out.append(TypeBinding("go", package, "", name, type_text))
    for node in root.named_children:
        if node.type in ("function_declaration", "method_declaration") and sink.walk_bodies:
            facts = _Function(node, path, package, fields, sink).facts()
            if facts is not None:
                out.append(facts)
    return tuple(out)


def _struct_fields(spec: Node, package: str, fields: dict[str, str]) -> list[TypeBinding]:
    struct = spec.child_by_field_name("type")
    if spec.type != "type_spec" or struct is None or struct.type != "struct_type":
        return []
    owner = text(spec.child_by_field_name("name"))
    found: list[TypeBinding] = []
    for decl_list in struct.named_children:
        for decl in decl_list.named_children:
            type_text = strip_pointer(text(decl.child_by_field_name("type")))
            for name in decl.children_by_field_name("name"):
                fields.setdefault(text(name), type_text)
                found.append(TypeBinding("go", package, owner, text(name), type_text))
    return found


def _var_types(spec: Node) -> list[tuple[str, str]]:
    """``var w *kafka.Writer`` / ``var p = sarama.NewSyncProducer(...)`` -> [(name, type)]."""
    if spec.type != "var_spec":
        return []
    names = [text(n) for n in spec.children_by_field_name("name")]
    declared = spec.child_by_field_name("type")
    if declared is not None:
        return [(n, strip_pointer(text(declared))) for n in names]
    value = spec.child_by_field_name("value")
    values = value.named_children if value is not None else []
    return [(n, t) for n, v in zip(names, values, strict=False) if (t := _constructed_type(v))]


def _constructed_type(node: Node) -> str:
    """``sarama.NewSyncProducer(..)`` -> ``sarama.SyncProducer``; ``&kafka.Writer{}`` likewise."""
    if node.type == "unary_expression":
        operand = node.child_by_field_name("operand")
        return _constructed_type(operand) if operand is not None else ""
    if node.type == "composite_literal":
        return strip_pointer(text(node.child_by_field_name("type")))
    if node.type == "call_expression":
        function = node.child_by_field_name("function")
        if function is not None and function.type == "selector_expression":
            name = text(function.child_by_field_name("field"))
            if name.startswith("New") and len(name) > 3:
                pkg = text(function.child_by_field_name("operand"))
                return f"{pkg}.{name[3:].removesuffix('FromClient')}"
    return ""


def _identifiers(node: Node) -> set[str]:
    found = {text(node)} if node.type == "identifier" else set()
    for child in node.named_children:
        if child.type != "func_literal":
            found |= _identifiers(child)
    return found


def _nil_op(cond: Node, names: set[str], calls: set[int]) -> str:
    """The operator of a ``x != nil`` / ``x == nil`` comparison on one of ``names`` in ``cond``."""
    if cond.type == "binary_expression":
        left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
        op = text(cond.child_by_field_name("operator"))
        if left is not None and right is not None and "nil" in (left.type, right.type):
            other = right if left.type == "nil" else left
            if text(other) in names or other.start_byte in calls:
                return op
    for child in cond.named_children:
        op = _nil_op(child, names, calls)
        if op:
            return op
    return ""


class _Function:
    def __init__(
        self, node: Node, path: str, package: str, fields: dict[str, str], sink: Compactor
    ) -> None:
        self.node, self.path, self.package, self.fields = node, path, package, fields
        self.sink = sink
        self.drafts: list[Draft] = []
        self.locals: dict[str, str] = {}
        self.pending: dict[str, int] = {}  # error variable -> the call that set it
        self.call_at: dict[int, int] = {}  # call start byte -> event index
        self.error_handlers: list[tuple[str, bool]] = []  # (Errors() receiver, handler fails)
        self.receiver_var = ""
        self.owner = ""
        receiver = node.child_by_field_name("receiver")
        if receiver is not None:
            for param in receiver.named_children:
                self.receiver_var = text(param.child_by_field_name("name"))
                self.owner = strip_pointer(text(param.child_by_field_name("type")))
                self.owner = self.owner.split("[", 1)[0]
        result = node.child_by_field_name("result")
        last = result.named_children[-1] if result is not None and result.named_children else None
        if result is not None and result.type != "parameter_list":
            last = result
        elif last is not None:
            last = last.child_by_field_name("type")
        self.returns_error = last is not None and text(last) == "error"
        params = node.child_by_field_name("parameters")
        for param in params.named_children if params is not None else []:
            type_text = strip_pointer(text(param.child_by_field_name("type")))
            for name in param.children_by_field_name("name"):
                self.locals[text(name)] = type_text

    def facts(self) -> FunctionFacts | None:
        name = self.node.child_by_field_name("name")
        body = self.node.child_by_field_name("body")
        if name is None or body is None:
            return None
        self.statements(block_statements(body), (), ())
        for index in self.pending.values():
            self.drafts[index].error_use = "unused"
        for draft in self.drafts:
            if draft.kind == "send":
                handlers = [f for r, f in self.error_handlers if r == draft.receiver]
                handlers = handlers or [f for _, f in self.error_handlers]
                draft.error_use = (
                    "checked" if any(handlers) else "logged" if handlers else "dropped"
                )
        return FunctionFacts(
            language="go",
            path=self.path,
            package=self.package,
            owner=self.owner,
            name=text(name),
            location=location(self.path, name),
            receiver_var=self.receiver_var,
            returns_error=self.returns_error,
            events=self.sink.freeze(self.drafts),
        )

    # -- statements -------------------------------------------------------------------------

    def statements(self, stmts: list[Node], scope: Scope, guards: Guards) -> None:
        extra: tuple[int, ...] = ()
        for stmt in stmts:
            extra += self.statement(stmt, scope, guards + extra)

    def statement(self, node: Node, scope: Scope, guards: Guards) -> Guards:
        """Walk one statement; returns the calls whose success guards the following siblings."""
        kind = node.type
        if kind == "if_statement":
            return self.if_statement(node, scope, guards)
        if kind in _ASSIGN or kind == "var_declaration":
            self.assignment(node, scope, guards)
        elif kind == "expression_statement":
            inner = node.named_children[0] if node.named_children else None
            if inner is not None:
                index = self.expr(inner, scope, guards)
                if index is not None and self.drafts[index].error_use == "none":
                    self.drafts[index].error_use = "dropped"
        elif kind == "return_statement":
            self.return_statement(node, scope, guards)
        elif kind in ("go_statement", "defer_statement"):
            frame = Frame("closure", node.start_byte)
            for child in node.named_children:
                index = self.expr(child, (*scope, frame), guards)
                if index is not None:
                    self.drafts[index].error_use = "dropped"
        elif kind == "for_statement":
            self.for_statement(node, scope, guards)
        elif kind in ("expression_switch_statement", "type_switch_statement", "select_statement"):
            self.switch(node, scope, guards)
        elif kind == "send_statement":
            self.send(node, scope, guards)
        elif kind == "receive_statement":
            self.receive(node, scope, guards, fails=False)
        elif kind == "block":
            self.statements(block_statements(node), scope, guards)
        elif kind == "labeled_statement":
            for child in node.named_children:
                self.statement(child, scope, guards)
        else:
            for child in node.named_children:
                self.expr(child, scope, guards)
        return ()

    def assignment(self, node: Node, scope: Scope, guards: Guards) -> None:
        if node.type == "var_declaration":
            for spec in node.named_children:
                for name, type_text in _var_types(spec):
                    self.locals[name] = type_text
                value = spec.child_by_field_name("value")
                if value is not None:
                    names = [text(n) for n in spec.children_by_field_name("name")]
                    self.bind(names, value, scope, guards)
            return
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return
        for child in left.named_children:
            self.expr(child, scope, guards)
        names = [text(n) for n in left.named_children]
        for name, value in zip(names, right.named_children, strict=False):
            if type_text := _constructed_type(value):
                self.locals[name] = type_text
        self.bind(names, right, scope, guards)

    def bind(self, names: list[str], right: Node, scope: Scope, guards: Guards) -> None:
        values = right.named_children if right.type == "expression_list" else [right]
        indices = [self.expr(v, scope, guards) for v in values]
        if len(values) != 1 or indices[0] is None or not names:
            return
        index, target = indices[0], names[-1]
        if target == "_":
            self.drafts[index].error_use = "discarded"
        elif target.isidentifier():
            self.pending[target] = index

    def if_statement(self, node: Node, scope: Scope, guards: Guards) -> tuple[int, ...]:
        init = node.child_by_field_name("initializer")
        if init is not None:
            self.statement(init, scope, guards)
        cond = node.child_by_field_name("condition")
        first_cond_event = len(self.drafts)
        if cond is not None:
            self.expr(cond, scope, guards)
        checked: list[int] = []
        op = ""
        if cond is not None:
            names = _identifiers(cond) & set(self.pending)
            cond_calls = {s for s, i in self.call_at.items() if i >= first_cond_event}
            op = _nil_op(cond, names, cond_calls)
            checked = [self.pending.pop(n) for n in sorted(names)]
            if op:
                checked += [self.call_at[s] for s in cond_calls if s in self.call_at]
            elif not names:
                checked = []
        fail_arm = 1 if op == "==" else 0
        success = tuple(checked)
        frame_id = node.start_byte
        consequence = node.child_by_field_name("consequence")
        alternative = node.child_by_field_name("alternative")
        arms: list[tuple[int, int]] = []  # (first event, end event) per arm
        for arm, branch in enumerate((consequence, alternative)):
            start = len(self.drafts)
            arm_guards = guards + (success if arm != fail_arm else ())
            frame = Frame("if", frame_id, arm)
            if branch is not None and branch.type == "if_statement":
                self.statement(branch, (*scope, frame), arm_guards)
            elif branch is not None:
                self.statements(block_statements(branch), (*scope, frame), arm_guards)
            arms.append((start, len(self.drafts)))
        start, end = arms[fail_arm]
        fails = self.any_failing_exit(start, end, len(scope) + 1)
        for index in checked:
            self.drafts[index].error_use = "checked" if fails else "logged"
        failing = consequence if fail_arm == 0 else alternative
        if checked and failing is not None and self.terminates(failing):
            return success
        return ()

    def any_failing_exit(self, start: int, end: int, depth: int) -> bool:
        return any(
            d.kind == "exit" and d.fails and all(f.kind != "closure" for f in d.scope[depth:])
            for d in self.drafts[start:end]
        )

    def terminates(self, block: Node) -> bool:
        stmts = block_statements(block)
        if not stmts:
            return False
        last = stmts[-1]
        if last.type == "return_statement":
            return True
        inner = last.named_children[0] if last.named_children else None
        is_call = inner is not None and self.is_exit_call(inner)
        return last.type == "expression_statement" and is_call

    def return_statement(self, node: Node, scope: Scope, guards: Guards) -> None:
        values = node.named_children[0].named_children if node.named_children else []
        if node.named_children and node.named_children[0].type != "expression_list":
            values = node.named_children
        for value in values:
            index = self.expr(value, scope, guards)
            if index is not None and value.type == "call_expression":
                self.drafts[index].error_use = "returned"
            for name in _identifiers(value) & set(self.pending):
                self.drafts[self.pending.pop(name)].error_use = "returned"
        closure = any(f.kind == "closure" for f in scope)
        fails = self.returns_error and (not values or values[-1].type != "nil")
        self.emit_exit(node, scope, guards, fails=fails and not closure)

    def for_statement(self, node: Node, scope: Scope, guards: Guards) -> None:
        frame = Frame("loop", node.start_byte)
        reader = ""
        for child in node.named_children:
            if child.type == "block":
                continue
            if child.type == "range_clause":
                right = child.child_by_field_name("right")
                reader = self.errors_receiver(right) if right is not None else ""
            for part in child.named_children:
                self.statement(part, (*scope, frame), guards)
        start = len(self.drafts)
        self.statements(block_statements(node.child_by_field_name("body")), (*scope, frame), guards)
        if reader:
            self.error_handlers.append((reader, self.any_failing_exit(start, len(self.drafts), 0)))

    def switch(self, node: Node, scope: Scope, guards: Guards) -> None:
        kind: FrameKind = "select" if node.type == "select_statement" else "switch"
        arm = 0
        for child in node.named_children:
            if child.type not in _CASES:
                if child.type != "comment":
                    self.statement(child, scope, guards)
                continue
            frame = Frame(kind, node.start_byte, arm)
            arm += 1
            inner = (*scope, frame)
            start = len(self.drafts)
            reader = ""
            body: list[Node] = []
            communication = child.child_by_field_name("communication")
            for part in child.named_children:
                if part.type == "statement_list":
                    body.extend(part.named_children)
                elif communication is not None and part.start_byte == communication.start_byte:
                    if part.type == "receive_statement":
                        right = part.child_by_field_name("right")
                        reader = self.errors_receiver(right) if right is not None else ""
                    self.statement(part, inner, guards)
                elif part.type != "comment":
                    self.expr(part, inner, guards)
            self.statements(body, inner, guards)
            if reader:
                fails = self.any_failing_exit(start, len(self.drafts), 0)
                self.error_handlers.append((reader, fails))

    def send(self, node: Node, scope: Scope, guards: Guards) -> None:
        channel, value = node.child_by_field_name("channel"), node.child_by_field_name("value")
        if value is not None:
            self.expr(value, scope, guards)
        function = channel.child_by_field_name("function") if channel is not None else None
        if (
            channel is None
            or channel.type != "call_expression"
            or function is None
            or function.type != "selector_expression"
            or text(function.child_by_field_name("field")) != "Input"
        ):
            if channel is not None:
                self.expr(channel, scope, guards)
            return
        receiver = text(function.child_by_field_name("operand"))
        draft = Draft("send", location(self.path, node), scope, guards)
        draft.callee, draft.name, draft.receiver = text(function), "Input", receiver
        draft.receiver_field = last_identifier(receiver)
        draft.receiver_type = self.type_of(receiver)
        self.drafts.append(draft)

    def receive(self, node: Node, scope: Scope, guards: Guards, fails: bool) -> None:
        for child in node.named_children:
            self.expr(child, scope, guards)
        right = node.child_by_field_name("right")
        reader = self.errors_receiver(right) if right is not None else ""
        if reader and not any(f.kind == "select" for f in scope[-1:]):
            self.error_handlers.append((reader, fails))

    def errors_receiver(self, node: Node) -> str:
        """``<-p.Errors()`` / ``p.Errors()`` -> ``p``."""
        if node.type == "unary_expression":
            operand = node.child_by_field_name("operand")
            return self.errors_receiver(operand) if operand is not None else ""
        function = node.child_by_field_name("function") if node.type == "call_expression" else None
        if (
            function is not None
            and function.type == "selector_expression"
            and text(function.child_by_field_name("field")) == "Errors"
        ):
            return text(function.child_by_field_name("operand"))
        return ""

    # -- expressions ------------------------------------------------------------------------

    def expr(self, node: Node, scope: Scope, guards: Guards) -> int | None:
        """Walk an expression, emitting calls after their arguments; the index of ``node``'s own
        call event, if ``node`` is a call."""
        if node.type == "func_literal":
            frame = Frame("closure", node.start_byte)
            self.statements(
                block_statements(node.child_by_field_name("body")), (*scope, frame), guards
            )
            return None
        if node.type != "call_expression":
            for child in node.named_children:
                self.expr(child, scope, guards)
            return None
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        name, receiver = text(function), ""
        if function is not None and function.type == "selector_expression":
            operand = function.child_by_field_name("operand")
            if operand is not None:
                self.expr(operand, scope, guards)
            name = text(function.child_by_field_name("field"))
            receiver = text(operand)
        elif function is not None:
            self.expr(function, scope, guards)
        if arguments is not None:
            for arg in arguments.named_children:
                self.expr(arg, scope, guards)
        draft = Draft("call", location(self.path, node), scope, guards)
        draft.callee, draft.name, draft.receiver = text(function), name, receiver
        draft.receiver_field = last_identifier(receiver)
        draft.receiver_type = self.type_of(receiver)
        draft.self_call = not receiver or receiver == self.receiver_var
        draft.arg_count = len(arguments.named_children) if arguments is not None else 0
        index = len(self.drafts)
        self.drafts.append(draft)
        self.call_at[node.start_byte] = index
        if self.is_exit_call(node):
            closure = any(f.kind == "closure" for f in scope)
            self.emit_exit(node, scope, guards, fails=not closure)
        return index

    def is_exit_call(self, node: Node) -> bool:
        if node.type != "call_expression":
            return False
        function = node.child_by_field_name("function")
        if function is None:
            return False
        if function.type == "identifier":
            return text(function) == "panic"
        if function.type == "selector_expression":
            name = text(function.child_by_field_name("field"))
            operand = text(function.child_by_field_name("operand"))
            return name in _FATAL or (operand == "os" and name == "Exit")
        return False

    def emit_exit(self, node: Node, scope: Scope, guards: Guards, *, fails: bool) -> None:
        draft = Draft("exit", location(self.path, node), scope, guards)
        draft.fails = fails
        self.drafts.append(draft)

    def type_of(self, receiver: str) -> str:
        if not receiver:
            return ""
        if receiver in self.locals:
            return self.locals[receiver]
        if "." in receiver and receiver.split(".", 1)[0] in (self.receiver_var, *self.locals):
            return self.fields.get(last_identifier(receiver), "")
        return ""
