"""Go walker (tree-sitter-go 0.25: blocks hold a ``statement_list``).

Errors are values: a call's error is followed through ``err :=`` / ``if err := ...; err != nil``
to the ``if`` that tests it, the ``return`` that passes it on, or the call it is handed to.  A
call that takes the stored error as an argument handles it: a check that ends the function or
the test on failure (testify ``require.NoError(t, err)`` / ``require.Nil``, ``s.Require()...``,
``t.Fatal(err)``, ``panic(err)``) tests it like ``if err != nil { return err }`` and guards what
follows; any other call that is not a log line (``assert.NoError(t, err)``, ``errs =
append(errs, err)``, ``report(err)``, ``fmt.Errorf("...: %w", err)``), like a channel send
``ch <- err``, hands it on, which envlint does not judge.  A log statement that takes it
(``log.Printf("...: %v", err)``, ``logger.Error("x", zap.Error(err))``) only logs it.  Calls in
an ``if`` condition (``errors.Is(err, ...)``) are part of the test the ``if`` makes.

Asynchronous failures are followed to where the client delivers them: a sarama ``Input() <-
msg`` send to the producer's ``Errors()`` channel, a confluent-kafka-go ``Produce(msg, nil)`` to
its ``Events()`` (or to the delivery channel it is given), a franz-go ``Produce(ctx, rec,
promise)`` to the promise.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Collection, Iterator
from typing import TYPE_CHECKING

from envlint.model import Location
from envlint.ordering._walk import (
    Draft,
    Text,
    descendants,
    freeze_all,
    is_log_call,
    last_identifier,
    location,
    strip_pointer,
)
from envlint.ordering.model import (
    ChannelReader,
    ErrorUse,
    Frame,
    FrameKind,
    FunctionFacts,
    MethodDecl,
    OrderingFact,
    TypeBinding,
)
from envlint.sources.golang import block_statements

Scope = tuple[Frame, ...]
Guards = tuple[int, ...]

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = ["declarations", "extract_go", "functions"]

_FATAL = frozenset({"Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln"})
_ASSIGN = frozenset({"assignment_statement", "short_var_declaration"})
_CASES = frozenset({"expression_case", "default_case", "type_case", "communication_case"})
_FUNCTIONS = frozenset({"function_declaration", "method_declaration"})
_REPORTS = frozenset({"Errors", "Events"})  # sarama / confluent-kafka-go report channels
# testify require checks that end the test (t.FailNow) when the error they are given is set
_FATAL_CHECKS = frozenset({"NoError", "NoErrorf", "Nil", "Nilf"})


def functions(root: Node, text: Text) -> Iterator[tuple[Node, str]]:
    """Every function and method declaration of the file, with its name."""
    for node in root.named_children:
        if node.type in _FUNCTIONS:
            name = node.child_by_field_name("name")
            if name is not None:
                yield node, text(name)


def declarations(root: Node, path: str, text: Text, names: Collection[str]) -> Iterator[MethodDecl]:
    """The functions, methods and interface methods of the file named one of ``names``."""
    for node, name in functions(root, text):
        if name in names:
            yield MethodDecl("go", path, _owner(node, text), name)
    for node in root.named_children:
        if node.type == "type_declaration":
            for spec in node.named_children:
                shape = spec.child_by_field_name("type")
                if spec.type != "type_spec" or shape is None or shape.type != "interface_type":
                    continue
                owner = text(spec.child_by_field_name("name"))
                for elem in shape.named_children:
                    name = text(elem.child_by_field_name("name"))
                    if elem.type == "method_elem" and name in names:
                        yield MethodDecl("go", path, owner, name, interface=True)


def _owner(node: Node, text: Text) -> str:
    """The receiver type of a method, without pointer and type arguments ("" for a function)."""
    receiver = node.child_by_field_name("receiver")
    for param in receiver.named_children if receiver is not None else []:
        return strip_pointer(text(param.child_by_field_name("type"))).split("[", 1)[0]
    return ""


def extract_go(
    root: Node, path: str, text: Text, walk: Callable[[Node], bool] | None = None
) -> tuple[OrderingFact, ...]:
    """Facts of one Go file: type bindings, and the functions ``walk`` accepts (all without it)."""
    package = posixpath.dirname(path) or "."
    fields: dict[str, str] = {}
    out: list[OrderingFact] = []
    for node in root.named_children:
        if node.type == "type_declaration":
            for spec in node.named_children:
                out.extend(_struct_fields(spec, package, fields, text))
        elif node.type == "var_declaration":
            for spec in node.named_children:
                for name, type_text in _var_types(spec, text):
                    fields.setdefault(name, type_text)
                    out.append(TypeBinding("go", package, "", name, type_text))
    for node, _ in functions(root, text):
        if walk is None or walk(node):
            function = _Function(node, path, package, fields, text)
            facts = function.facts()
            if facts is not None:
                out.append(facts)
                out.extend(function.readers)
    return tuple(out)


def _struct_fields(
    spec: Node, package: str, fields: dict[str, str], text: Text
) -> list[TypeBinding]:
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


def _var_types(spec: Node, text: Text) -> list[tuple[str, str]]:
    """``var w *kafka.Writer`` / ``var p = sarama.NewSyncProducer(...)`` -> [(name, type)]."""
    if spec.type != "var_spec":
        return []
    names = [text(n) for n in spec.children_by_field_name("name")]
    declared = spec.child_by_field_name("type")
    if declared is not None:
        return [(n, strip_pointer(text(declared))) for n in names]
    value = spec.child_by_field_name("value")
    values = value.named_children if value is not None else []
    return [
        (n, t) for n, v in zip(names, values, strict=False) if (t := _constructed_type(v, text))
    ]


def _constructed_type(node: Node, text: Text) -> str:
    """``sarama.NewSyncProducer(..)`` -> ``sarama.SyncProducer``; ``&kafka.Writer{}`` likewise."""
    if node.type == "unary_expression":
        operand = node.child_by_field_name("operand")
        return _constructed_type(operand, text) if operand is not None else ""
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


def _identifiers(node: Node, text: Text) -> set[str]:
    found = {text(node)} if node.type == "identifier" else set()
    for child in node.named_children:
        if child.type != "func_literal":
            found |= _identifiers(child, text)
    return found


def _nil_op(cond: Node, names: set[str], calls: set[int], text: Text) -> str:
    """The operator of a ``x != nil`` / ``x == nil`` comparison on one of ``names`` in ``cond``."""
    if cond.type == "binary_expression":
        left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
        op = text(cond.child_by_field_name("operator"))
        if left is not None and right is not None and "nil" in (left.type, right.type):
            other = right if left.type == "nil" else left
            if text(other) in names or other.start_byte in calls:
                return op
    for child in cond.named_children:
        op = _nil_op(child, names, calls, text)
        if op:
            return op
    return ""


def _delivery_error_op(cond: Node, text: Text) -> str:
    """The operator of ``m.TopicPartition.Error != nil`` / ``== nil`` in ``cond`` (a
    confluent-kafka-go delivery report's error), or ""."""
    if cond.type == "binary_expression":
        left, right = cond.child_by_field_name("left"), cond.child_by_field_name("right")
        op = text(cond.child_by_field_name("operator"))
        if left is not None and right is not None and "nil" in (left.type, right.type):
            other = right if left.type == "nil" else left
            if text(other).endswith("TopicPartition.Error"):
                return op
    for child in cond.named_children:
        op = _delivery_error_op(child, text)
        if op:
            return op
    return ""


def _is_exit_call(node: Node, text: Text) -> bool:
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


def _ends_on_failure(node: Node, text: Text) -> bool:
    """``require.NoError(t, err)``, ``s.Require().Nil(err)``, ``t.Fatal(err)``, ``panic(err)``:
    a call that does not return when the error it is given is set."""
    if _is_exit_call(node, text):
        return True
    function = node.child_by_field_name("function")
    if function is None or function.type != "selector_expression":
        return False
    operand = text(function.child_by_field_name("operand"))
    name = text(function.child_by_field_name("field"))
    return name in _FATAL_CHECKS and (operand == "require" or operand.endswith(".Require()"))


def _error_argument(arg: Node, text: Text) -> str:
    """The variable an argument hands on: ``err`` for ``err`` and ``err.Error()``, else ""."""
    if arg.type == "identifier":
        return text(arg)
    function = arg.child_by_field_name("function") if arg.type == "call_expression" else None
    if function is not None and function.type == "selector_expression":
        operand = function.child_by_field_name("operand")
        is_error = text(function.child_by_field_name("field")) == "Error"
        if is_error and operand is not None and operand.type == "identifier":
            return text(operand)
    return ""


def _only_logs(stmts: list[Node], text: Text) -> ErrorUse:
    """What a failure branch does when it neither exits nor returns an error: ``logged`` when
    every statement writes a log line or ends the branch claiming nothing (``return``,
    ``return nil``, ``continue``, a WaitGroup's ``Done()``), ``dropped`` when it does nothing at
    all, ``handled`` when it does anything else (returns a value, answers an HTTP error, stores,
    counts, retries, sends the error on)."""
    logs = False
    for stmt in stmts:
        if stmt.type in ("continue_statement", "break_statement", "empty_statement", "comment"):
            continue
        if stmt.type == "return_statement":
            values = stmt.named_children[0] if stmt.named_children else None
            items = [] if values is None else (
                values.named_children if values.type == "expression_list" else [values]
            )
            if all(v.type == "nil" for v in items):
                continue
            return "handled"
        inner = stmt.named_children[0] if stmt.named_children else None
        call = stmt.type in ("expression_statement", "defer_statement") and inner is not None
        if call and inner is not None and inner.type == "call_expression":
            function = inner.child_by_field_name("function")
            callee = text(function)
            name = callee.rsplit(".", 1)[-1]
            if is_log_call(callee, name):
                logs = True
                continue
            if name == "Done" and function is not None and function.type != "identifier":
                continue
        return "handled"
    return "logged" if logs else "dropped"


class _Function:
    def __init__(
        self, node: Node, path: str, package: str, fields: dict[str, str], text: Text
    ) -> None:
        self.node, self.path, self.package, self.fields = node, path, package, fields
        self.text = text
        self.drafts: list[Draft] = []
        self.locals: dict[str, str] = {}
        self.literals: dict[str, Node] = {}  # local variable -> the func literal it holds
        self.pending: dict[str, int] = {}  # error variable -> the call that set it
        self.call_at: dict[int, int] = {}  # call start byte -> event index
        # report readers in this function: (channel, receiver text, verdict, location)
        self.handlers: list[tuple[str, str, ErrorUse, Node]] = []
        self.received: dict[str, ErrorUse] = {}  # delivery channel -> verdict of its report
        self.reports: list[ErrorUse] = []  # verdicts of TopicPartition.Error tests
        self.readers: list[ChannelReader] = []
        self.delivery_chan: dict[int, str] = {}  # event index -> its delivery channel variable
        self.last_received = ""  # the channel the latest `e := <-ch` read from
        self.receiver_var = ""
        self.owner = ""
        self.condition = 0  # > 0 while walking an ``if`` condition
        self.checked: list[int] = []  # calls whose stored error a check just ended on
        receiver = node.child_by_field_name("receiver")
        if receiver is not None:
            for param in receiver.named_children:
                self.receiver_var = text(param.child_by_field_name("name"))
        self.owner = _owner(node, text)
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
        text = self.text
        name = self.node.child_by_field_name("name")
        body = self.node.child_by_field_name("body")
        if name is None or body is None:
            return None
        self.statements(block_statements(body), (), ())
        for index in self.pending.values():
            self.drafts[index].error_use = "unused"
        for draft in self.drafts:
            if draft.kind == "send":
                draft.error_use, draft.handler = self.handled("Errors", draft.receiver)
            elif draft.via == "Events()":
                draft.delivery, draft.handler = self.handled("Events", draft.receiver)
        for index, chan in self.delivery_chan.items():
            # read here: the test of its report decides (never tested: dropped); not read
            # here: handed on, not judged
            self.drafts[index].delivery = self.received.get(chan, "handled")
        for channel, receiver, use, node in self.handlers:
            self.readers.append(
                ChannelReader(
                    "go",
                    self.package,
                    channel,
                    last_identifier(receiver),
                    use,
                    location(self.path, node),
                    text(name),
                )
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
            events=freeze_all(self.drafts),
        )

    def handled(self, channel: str, receiver: str) -> tuple[ErrorUse, Location | None]:
        """The verdict of this function's readers of ``receiver``'s report ``channel`` (any
        receiver's when none reads this one); ``dropped`` with no handler location when the
        function reads none (the index then looks at the package's other functions)."""
        mine = [(u, n) for c, r, u, n in self.handlers if c == channel and r == receiver]
        mine = mine or [(u, n) for c, _, u, n in self.handlers if c == channel]
        if not mine:
            return "dropped", None
        for wanted in ("checked", "handled", "logged", "dropped"):
            for use, node in mine:
                if use == wanted:
                    return use, location(self.path, node)
        return "handled", None  # pragma: no cover - every verdict is one of the above

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
                self.log_statement(inner)
                self.checked = []
                index = self.expr(inner, scope, guards)
                if index is not None and self.drafts[index].error_use == "none":
                    self.drafts[index].error_use = "dropped"
                # require.NoError(t, err): what follows runs only when the call succeeded
                return tuple(self.checked)
        elif kind == "return_statement":
            self.return_statement(node, scope, guards)
        elif kind in ("go_statement", "defer_statement"):
            frame = Frame("closure", node.start_byte)
            for child in node.named_children:
                index = self.expr(child, (*scope, frame), guards)
                if index is not None and self.drafts[index].error_use != "callback":
                    self.drafts[index].error_use = "dropped"
        elif kind == "for_statement":
            self.for_statement(node, scope, guards)
        elif kind in ("expression_switch_statement", "type_switch_statement", "select_statement"):
            self.switch(node, scope, guards)
        elif kind == "send_statement":
            self.send(node, scope, guards)
        elif kind == "receive_statement":
            self.receive(node, scope, guards)
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
        text = self.text
        if node.type == "var_declaration":
            for spec in node.named_children:
                for name, type_text in _var_types(spec, text):
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
            if type_text := _constructed_type(value, text):
                self.locals[name] = type_text
            if value.type == "func_literal":
                self.literals[name] = value
            self.receive_into(name, value)
        self.bind(names, right, scope, guards)

    def log_statement(self, call: Node) -> None:
        """A log statement that takes stored errors (anywhere in it: ``zap.Error(err)``,
        ``log.Error().Err(err).Msg(...)``) only logs them; an exit call is not one."""
        text = self.text
        if call.type != "call_expression" or _is_exit_call(call, text):
            return
        function = call.child_by_field_name("function")
        callee = text(function)
        if function is None or not is_log_call(callee, callee.rsplit(".", 1)[-1]):
            return
        for name in sorted(_identifiers(call, text) & set(self.pending)):
            self.drafts[self.pending.pop(name)].error_use = "logged"

    def hand_on(self, node: Node, args: list[Node]) -> None:
        """The stored errors the call ``node`` takes as arguments: tested when it ends on
        failure, handed on otherwise (see the module doc)."""
        if self.condition:
            return
        ends = _ends_on_failure(node, self.text)
        for arg in args:
            name = _error_argument(arg, self.text)
            if name in self.pending:
                index = self.pending.pop(name)
                self.drafts[index].error_use = "checked" if ends else "handled"
                if ends:
                    self.checked.append(index)

    def receive_into(self, name: str, value: Node) -> None:
        """``e := <-deliveryChan``: the report variable ``name`` comes from that channel."""
        if value.type == "unary_expression" and self.text(value).startswith("<-"):
            operand = value.child_by_field_name("operand")
            if operand is not None and operand.type == "identifier":
                self.received.setdefault(self.text(operand), "dropped")
                self.last_received = self.text(operand)

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
        text = self.text
        init = node.child_by_field_name("initializer")
        if init is not None:
            self.statement(init, scope, guards)
        cond = node.child_by_field_name("condition")
        first_cond_event = len(self.drafts)
        if cond is not None:
            self.condition += 1
            self.expr(cond, scope, guards)
            self.condition -= 1
        checked: list[int] = []
        op = ""
        if cond is not None:
            names = _identifiers(cond, text) & set(self.pending)
            cond_calls = {s for s, i in self.call_at.items() if i >= first_cond_event}
            op = _nil_op(cond, names, cond_calls, text)
            checked = [self.pending.pop(n) for n in sorted(names)]
            if op:
                checked += [self.call_at[s] for s in cond_calls if s in self.call_at]
            elif not names:
                checked = []
        report_op = _delivery_error_op(cond, text) if cond is not None and not op else ""
        fail_arm = 1 if (op or report_op) == "==" else 0
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
        failing = consequence if fail_arm == 0 else alternative
        if checked:
            use = "checked" if fails else self.verdict(failing, start, end, len(scope) + 1)
            for index in checked:
                self.drafts[index].error_use = use
                if use != "checked" and failing is not None:
                    self.drafts[index].branch = location(self.path, failing)
        if report_op:
            self.reports.append(self.verdict(failing, start, end, len(scope) + 1))
            if self.last_received:
                self.received[self.last_received] = self.reports[-1]
        if checked and failing is not None and self.terminates(failing):
            return success
        return ()

    def verdict(self, branch: Node | None, start: int, end: int, depth: int) -> ErrorUse:
        """What the failure branch ``branch`` (events ``start:end``) does with a failure."""
        if self.any_failing_exit(start, end, depth) or any(
            d.kind == "exit" and d.name == "exit" for d in self.drafts[start:end]
        ):
            return "checked"
        if branch is None:
            return "dropped"
        stmts = block_statements(branch) if branch.type == "block" else [branch]
        return _only_logs(stmts, self.text)

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
        is_call = inner is not None and _is_exit_call(inner, self.text)
        return last.type == "expression_statement" and is_call

    def return_statement(self, node: Node, scope: Scope, guards: Guards) -> None:
        values = node.named_children[0].named_children if node.named_children else []
        if node.named_children and node.named_children[0].type != "expression_list":
            values = node.named_children
        for value in values:
            index = self.expr(value, scope, guards)
            if index is not None and value.type == "call_expression":
                self.drafts[index].error_use = "returned"
            for name in _identifiers(value, self.text) & set(self.pending):
                self.drafts[self.pending.pop(name)].error_use = "returned"
        closure = any(f.kind == "closure" for f in scope)
        fails = self.returns_error and (not values or values[-1].type != "nil")
        self.emit_exit(node, scope, guards, fails=fails and not closure)

    def for_statement(self, node: Node, scope: Scope, guards: Guards) -> None:
        frame = Frame("loop", node.start_byte)
        reader: tuple[str, str] | None = None
        for child in node.named_children:
            if child.type == "block":
                continue
            if child.type == "range_clause":
                right = child.child_by_field_name("right")
                reader = self.report_channel(right) if right is not None else None
            for part in child.named_children:
                self.statement(part, (*scope, frame), guards)
        start = len(self.drafts)
        reports = len(self.reports)
        body = node.child_by_field_name("body")
        self.statements(block_statements(body), (*scope, frame), guards)
        if reader is not None:
            self.read_reports(reader, node, body, start, reports)

    def read_reports(
        self, reader: tuple[str, str], at: Node, body: Node | None, start: int, reports: int
    ) -> None:
        """A loop or select case reading a report channel: how it treats a failure."""
        channel, receiver = reader
        tested = self.reports[reports:]
        if channel == "Events" and tested:  # the TopicPartition.Error test decides
            use: ErrorUse = "checked" if "checked" in tested else tested[0]
        elif self.any_failing_exit(start, len(self.drafts), 0):
            use = "checked"
        elif body is None:
            use = "dropped"
        else:
            stmts = block_statements(body) if body.type == "block" else list(body.named_children)
            use = _only_logs([s for s in stmts if s.type != "comment"], self.text)
        self.handlers.append((channel, receiver, use, at))

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
            reports = len(self.reports)
            reader: tuple[str, str] | None = None
            body: list[Node] = []
            communication = child.child_by_field_name("communication")
            for part in child.named_children:
                if part.type == "statement_list":
                    body.extend(c for c in part.named_children if c.type != "comment")
                elif communication is not None and part.start_byte == communication.start_byte:
                    if part.type == "receive_statement":
                        right = part.child_by_field_name("right")
                        reader = self.report_channel(right) if right is not None else None
                        self.statement(part, inner, guards)
                    else:
                        self.statement(part, inner, guards)
                elif part.type != "comment":
                    self.expr(part, inner, guards)
            self.statements(body, inner, guards)
            if reader is not None:
                self.read_case(reader, child, body, start, reports)

    def read_case(
        self, reader: tuple[str, str], at: Node, body: list[Node], start: int, reports: int
    ) -> None:
        channel, receiver = reader
        tested = self.reports[reports:]
        if channel == "Events" and tested:
            use: ErrorUse = "checked" if "checked" in tested else tested[0]
        elif self.any_failing_exit(start, len(self.drafts), 0):
            use = "checked"
        else:
            use = _only_logs(body, self.text)
        self.handlers.append((channel, receiver, use, at))

    def send(self, node: Node, scope: Scope, guards: Guards) -> None:
        text = self.text
        channel, value = node.child_by_field_name("channel"), node.child_by_field_name("value")
        if value is not None:
            self.expr(value, scope, guards)
            name = _error_argument(value, text)
            if name in self.pending:  # ch <- err: handed on
                self.drafts[self.pending.pop(name)].error_use = "handled"
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
        draft.via = "Errors()"
        self.drafts.append(draft)

    def receive(self, node: Node, scope: Scope, guards: Guards) -> None:
        for child in node.named_children:
            self.expr(child, scope, guards)
        right = node.child_by_field_name("right")
        reader = self.report_channel(right) if right is not None else None
        if reader is not None and not any(f.kind == "select" for f in scope[-1:]):
            self.handlers.append((*reader, "dropped", node))  # `<-p.Errors()`: read, ignored
        if right is not None:
            left = node.child_by_field_name("left")
            names = [self.text(n) for n in left.named_children] if left is not None else []
            for name in names[:1]:
                self.receive_into(name, right)

    def report_channel(self, node: Node) -> tuple[str, str] | None:
        """``<-p.Errors()`` / ``p.Events()`` -> (``Errors``, ``p``)."""
        text = self.text
        if node.type == "unary_expression":
            operand = node.child_by_field_name("operand")
            return self.report_channel(operand) if operand is not None else None
        function = node.child_by_field_name("function") if node.type == "call_expression" else None
        if function is not None and function.type == "selector_expression":
            name = text(function.child_by_field_name("field"))
            if name in _REPORTS:
                return name, text(function.child_by_field_name("operand"))
        return None

    # -- expressions ------------------------------------------------------------------------

    def expr(self, node: Node, scope: Scope, guards: Guards) -> int | None:
        """Walk an expression, emitting calls after their arguments; the index of ``node``'s own
        call event, if ``node`` is a call."""
        text = self.text
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
        args = arguments.named_children if arguments is not None else []
        promise_start = len(self.drafts)
        for arg in args:
            self.expr(arg, scope, guards)
        self.hand_on(node, args)
        draft = Draft("call", location(self.path, node), scope, guards)
        draft.callee, draft.name, draft.receiver = text(function), name, receiver
        draft.receiver_field = last_identifier(receiver)
        draft.receiver_type = self.type_of(receiver)
        draft.self_call = not receiver or receiver == self.receiver_var
        draft.arg_count = len(args)
        if receiver and name in ("Produce", "TryProduce") and len(args) == 3:
            self.promise(draft, args[2], promise_start)  # franz-go: (ctx, record, promise)
        elif receiver and name == "Produce" and len(args) == 2:
            if args[1].type == "nil":  # confluent-kafka-go: reports on p.Events()
                draft.via = "Events()"
            elif args[1].type == "identifier":
                draft.via = "channel"
                self.delivery_chan[len(self.drafts)] = text(args[1])
        index = len(self.drafts)
        self.drafts.append(draft)
        self.call_at[node.start_byte] = index
        if _is_exit_call(node, text):
            closure = any(f.kind == "closure" for f in scope)
            self.emit_exit(node, scope, guards, fails=not closure, process=True)
        return index

    def promise(self, draft: Draft, arg: Node, start: int) -> None:
        """franz-go ``Produce`` returns nothing: its failure goes to the promise, judged here."""
        draft.error_use, draft.via = "callback", "promise"
        literal = arg if arg.type == "func_literal" else None
        if arg.type == "identifier":
            literal = self.literals.get(self.text(arg))
        if arg.type == "nil":
            draft.delivery, draft.via = "dropped", "nil promise"
            return
        if literal is None:
            return  # a named function or method value: not judged
        draft.handler = location(self.path, literal)
        params = literal.child_by_field_name("parameters")
        decls = params.named_children if params is not None else []
        names = decls[-1].children_by_field_name("name") if decls else []
        err = self.text(names[-1]) if names else ""
        body = literal.child_by_field_name("body")
        if not err or err == "_" or body is None:
            draft.delivery = "dropped"
            return
        draft.delivery = self.judge_error(body, err, start)

    def judge_error(self, body: Node, err: str, start: int) -> ErrorUse:
        """What a callback body does with its error parameter ``err``: the failure branch of
        its ``err != nil`` test, when ``err`` is used nowhere else."""
        text = self.text
        uses = 0
        verdict: ErrorUse | None = None
        for node in descendants(body):
            if node.type == "identifier" and text(node) == err:
                uses += 1
            if node.type == "if_statement" and verdict is None:
                cond = node.child_by_field_name("condition")
                op = _nil_op(cond, {err}, set(), text) if cond is not None else ""
                if not op or cond is None:
                    continue
                failing = node.child_by_field_name("consequence" if op == "!=" else "alternative")
                stmts = block_statements(failing) if failing is not None else []
                exits = [
                    s.named_children[0]
                    for s in stmts
                    if s.type == "expression_statement" and s.named_children
                ]
                if any(_is_exit_call(call, text) for call in exits):
                    verdict = "checked"
                else:
                    verdict = _only_logs(stmts, text)
                uses -= sum(
                    1 for n in descendants(cond) if n.type == "identifier" and text(n) == err
                )
                for stmt in stmts:  # the error handed to the log line is not a use
                    uses -= sum(
                        1 for n in descendants(stmt) if n.type == "identifier" and text(n) == err
                    )
        if verdict is None:
            return "dropped" if uses == 0 else "handled"
        return verdict if uses <= 0 or verdict == "checked" else "handled"

    def emit_exit(
        self, node: Node, scope: Scope, guards: Guards, *, fails: bool, process: bool = False
    ) -> None:
        draft = Draft("exit", location(self.path, node), scope, guards)
        draft.fails = fails
        draft.name = "exit" if process else ""
        self.drafts.append(draft)

    def type_of(self, receiver: str) -> str:
        if not receiver:
            return ""
        if receiver in self.locals:
            return self.locals[receiver]
        if "." in receiver and receiver.split(".", 1)[0] in (self.receiver_var, *self.locals):
            return self.fields.get(last_identifier(receiver), "")
        return ""
