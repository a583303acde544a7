"""C# and Java walker: failures are exceptions.

A call's failure escapes the method (``returned``) unless the call does not block: a C# method
named ``...Async`` or Confluent's ``Produce`` that is not awaited, or Java ``send`` whose Future is
never ``get()``/``join()``-ed.  A ``try`` whose catch clauses do not all throw again turns the
escaping failures of its body into ``logged`` ones.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING

from envlint.ordering._walk import Compactor, Draft, last_identifier, location, text
from envlint.ordering.model import ErrorUse, Frame, FunctionFacts, OrderingFact, TypeBinding

if TYPE_CHECKING:
    from tree_sitter import Node

__all__ = ["extract_jvm"]

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
)
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
)
_SWITCHES = frozenset({"switch_statement", "switch_expression"})
_TRIES = frozenset({"try_statement", "try_with_resources_statement"})
_DECLS = frozenset(
    {"field_declaration", "local_declaration_statement", "local_variable_declaration"}
)


def extract_jvm(
    language: str, root: Node, path: str, sink: Compactor | None = None
) -> tuple[OrderingFact, ...]:
    """Facts of one C# / Java file (every event, unless ``sink`` compacts them)."""
    grammar = _CSHARP if language == "csharp" else _JAVA
    sink = sink or Compactor(language, path, compact=False)
    out: list[OrderingFact] = []
    _scan(grammar, language, root, path, posixpath.dirname(path) or ".", "", out, sink)
    return tuple(out)


def _scan(
    grammar: _Grammar,
    language: str,
    node: Node,
    path: str,
    package: str,
    owner: str,
    out: list[OrderingFact],
    sink: Compactor,
) -> str:
    """Walk declarations; returns the namespace a file-scoped declaration sets."""
    for child in node.named_children:
        if child.type in grammar.namespaces:
            name = child.child_by_field_name("name") or (
                child.named_children[0] if child.named_children else None
            )
            body = child.child_by_field_name("body")
            if body is None:  # file-scoped namespace / Java package: applies to the rest
                package = text(name)
            else:
                _scan(grammar, language, body, path, text(name), owner, out, sink)
        elif child.type in grammar.classes:
            cls = text(child.child_by_field_name("name"))
            fields: dict[str, str] = {}
            for part in child.named_children:  # C# primary constructor parameters
                if part.type == "parameter_list":
                    fields.update(_params(grammar, part))
            body = child.child_by_field_name("body")
            members = body.named_children if body is not None else []
            for member in members:
                if member.type in _DECLS:
                    fields.update(_declared(member))
                elif member.type == "property_declaration":
                    fields[text(member.child_by_field_name("name"))] = text(
                        member.child_by_field_name("type")
                    )
            out.extend(TypeBinding(language, package, cls, n, t) for n, t in fields.items())
            for member in members:
                if member.type in grammar.methods and sink.walk_bodies:
                    walker = _Method(grammar, language, member, path, package, cls, fields, sink)
                    facts = walker.facts()
                    if facts is not None:
                        out.append(facts)
            if body is not None:
                _scan(grammar, language, body, path, package, cls, out, sink)
        elif child.type in ("declaration_list", "program", "compilation_unit"):
            _scan(grammar, language, child, path, package, owner, out, sink)
    return package


def _params(grammar: _Grammar, node: Node) -> dict[str, str]:
    return {
        text(p.child_by_field_name("name")): text(p.child_by_field_name("type"))
        for p in node.named_children
        if p.type in grammar.params
    }


def _declared(node: Node) -> dict[str, str]:
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
        sink: Compactor,
    ) -> None:
        self.g, self.language, self.node, self.path = grammar, language, node, path
        self.sink = sink
        self.package, self.owner, self.fields = package, owner, fields
        self.drafts: list[Draft] = []
        self.pending: dict[str, int] = {}  # variable holding an un-awaited Task / Future
        params = node.child_by_field_name("parameters")
        self.locals = _params(grammar, params) if params is not None else {}

    def facts(self) -> FunctionFacts | None:
        name = self.node.child_by_field_name("name")
        body = self.node.child_by_field_name("body")
        if name is None or body is None:
            return None
        self.walk(body, ())
        for index in self.pending.values():
            self.drafts[index].error_use = "unused"
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
            events=self.sink.freeze(self.drafts),
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
            for child in node.named_children:
                self.walk(child, (*scope, Frame("closure", node.start_byte)))
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
        catches_fail: list[bool] = []
        body_end = body_start
        for child in node.named_children:
            if child.type == "catch_clause":
                start = len(self.drafts)
                frame = Frame("catch", node.start_byte, len(catches_fail) + 1)
                self.walk(child, (*scope, frame))
                catches_fail.append(any(d.kind == "exit" and d.fails for d in self.drafts[start:]))
            elif child.type == "finally_clause":
                self.walk(child, (*scope, Frame("finally", node.start_byte)))
            else:
                self.walk(child, (*scope, Frame("try", node.start_byte)))
                body_end = len(self.drafts)
        if not catches_fail:
            return
        use: ErrorUse = "checked" if all(catches_fail) else "logged"
        for draft in self.drafts[body_start:body_end]:
            inner = draft.scope[len(scope) + 1 :]
            if draft.error_use in ("returned", "checked") and all(
                f.kind != "closure" for f in inner
            ):
                draft.error_use = use

    def assignment(self, node: Node, scope: Scope) -> None:
        if node.type != "assignment_expression":
            self.locals.update(_declared(node))
        for child in node.named_children:
            for target, value in self.targets(child):
                index = self.walk(value, scope)
                if index is None:
                    continue
                draft = self.drafts[index]
                if target == "_":
                    draft.error_use = "discarded"
                elif draft.error_use == "unused":
                    self.pending[target] = index
            if node.type == "assignment_expression":
                break

    def targets(self, node: Node) -> list[tuple[str, Node]]:
        """(variable, value) pairs under a declaration or the assignment itself."""
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
        if node.type == "identifier" and text(node) in self.pending:
            self.drafts[self.pending.pop(text(node))].error_use = "returned"
        for child in node.named_children:
            self.resolve_pending(child)

    def call(self, node: Node, scope: Scope) -> int:
        name_node, receiver_node = self.parts(node)
        if receiver_node is not None:
            self.walk(receiver_node, scope)
        arguments = node.child_by_field_name("arguments")
        args = arguments.named_children if arguments is not None else []
        for arg in args:
            self.walk(arg, scope)
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
        draft.error_use = self.error_use(node, name, args)
        if name in self.g.blocking_tails and receiver_node is not None:
            self.resolve_pending(receiver_node)
        index = len(self.drafts)
        self.drafts.append(draft)
        if (receiver, name) in (("Environment", "Exit"), ("System", "exit")):
            self.emit_exit(node, scope, fails=not any(f.kind == "closure" for f in scope))
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

    def error_use(self, node: Node, name: str, args: list[Node]) -> ErrorUse:
        if not self.g.non_blocking(name):
            return "returned"
        if self.blocked(node):
            return "returned"
        has_callback = any(
            (a.named_children[0] if a.type == "argument" and a.named_children else a).type
            in self.g.closures
            for a in args
        )
        if has_callback or (name == "Produce" and len(args) >= 3):
            return "callback"
        return "unused"  # settled by the statement around it

    def blocked(self, node: Node) -> bool:
        """Awaited, or followed by ``.get()`` / ``.Result`` / ``.GetAwaiter().GetResult()``."""
        current = node
        while (parent := current.parent) is not None:
            if parent.type == "await_expression":
                return True
            if parent.type in ("member_access_expression", self.g.call):
                tail = text(parent.child_by_field_name("name"))
                if tail in self.g.blocking_tails - {"ConfigureAwait", "GetAwaiter"}:
                    return True
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
