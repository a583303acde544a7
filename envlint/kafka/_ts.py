"""Tree-sitter helpers shared by the Kafka client extractors: node text, locations, and a small
evaluator for configuration values (literals, constants, local variables, and the env reads the
source adapters found in the same file)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from envlint.filepass.parse import span
from envlint.model import Location

if TYPE_CHECKING:
    from tree_sitter import Node

    from envlint.sources.model import EnvRead

__all__ = ["EnvReads", "Eval", "Evaluator", "location", "string_content", "text", "walk"]

INT_TYPES = frozenset(  # number_literal: Kotlin (also `1L`, `0x10`)
    {"int_literal", "integer_literal", "integer", "number", "decimal_integer_literal",
     "number_literal"}
)  # fmt: skip
STRING_TYPES = frozenset(
    {"interpreted_string_literal", "raw_string_literal", "string_literal", "string",
     "verbatim_string_literal", "template_string"}
)  # fmt: skip
_WRAPPERS = frozenset(
    {"parenthesized_expression", "argument", "literal_element", "expression_list",
     "await_expression", "cast_expression", "as_expression", "non_null_expression",
     "postfix_unary_expression", "type_assertion", "satisfies_expression"}
)  # fmt: skip
_GO_DURATIONS = {
    "Nanosecond": 1, "Microsecond": 1_000, "Millisecond": 1_000_000, "Second": 1_000_000_000,
    "Minute": 60_000_000_000, "Hour": 3_600_000_000_000,
}  # fmt: skip


def text(node: Node, src: bytes) -> str:
    return src[node.start_byte : node.end_byte].decode("utf-8", "replace")


def walk(node: Node) -> Iterator[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))


def location(node: Node, path: str) -> Location:
    (row, col), (erow, ecol) = node.start_point, node.end_point
    return Location(path, row + 1, col + 1, erow + 1, ecol + 1)


def string_content(node: Node, src: bytes) -> str | None:
    """The value of a plain string literal (no interpolation), else ``None``."""
    if node.type not in STRING_TYPES:
        return None
    if any(c.type in ("interpolation", "template_substitution") for c in node.children):
        return None
    raw = text(node, src)
    body = raw.lstrip("@$bBrRuUfF")
    for quote in ('"""', "'''", '"', "'", "`"):
        if body.startswith(quote) and body.endswith(quote) and len(body) >= 2 * len(quote):
            return body[len(quote) : -len(quote)]
    return None


def parse_int_text(raw: str) -> int | None:
    """An integer literal of code, or None (not one, or beyond 64 bits: the compiler or
    runtime rejects it, and it is no number to compute with)."""
    body = raw.strip().replace("_", "").rstrip("lLuU")
    if len(body) > 80:  # more than any 64-bit literal (int() also has a digit limit)
        return None
    try:
        number = int(body, 0) if body[:2].lower() in ("0x", "0b", "0o") else int(body)
    except ValueError:
        try:
            value = float(body)
        except ValueError:
            return None
        if not value.is_integer():  # also inf and nan
            return None
        number = int(value)
    return number if -(2**63) <= number < 2**64 else None


@dataclass(frozen=True, slots=True)
class Eval:
    """What a configuration expression evaluates to (native units of its field)."""

    value: int | None = None
    env_var: str | None = None
    env_scale: int = 1  # native units per number read from the variable
    env_duration: bool = False  # the variable holds a Go duration string ("45s")
    fallback: int | None = None  # the code's own value when the variable is missing
    text: str | None = None  # a string literal's content
    symbol: str | None = None  # the last name of an identifier or member access


class EnvReads:
    """The env reads the language's adapter found in one file, by the node they were found at
    (the one recognizer of env reads: nothing here knows an env API)."""

    def __init__(self, src: bytes, reads: Iterable[EnvRead]) -> None:
        self._src = src
        self._by_span: dict[tuple[int, int, int | None, int | None], EnvRead] = {}
        for read in reads:
            if not read.is_pattern and read.lookup == "env":
                at = read.location
                self._by_span.setdefault((at.line, at.column, at.end_line, at.end_column), read)
        self._rows = {line for line, _, _, _ in self._by_span}

    def at(self, node: Node) -> EnvRead | None:
        if node.start_point.row + 1 not in self._rows:
            return None
        at = span("", self._src, node)
        return self._by_span.get((at.line, at.column, at.end_line, at.end_column))


class Evaluator:
    """Evaluates value expressions of one file.  ``defs`` maps local names to their values."""

    def __init__(
        self, language: str, src: bytes, defs: Mapping[str, Node], reads: EnvReads
    ) -> None:
        self.language = language
        self.src = src
        self.defs = defs
        self.reads = reads

    def env_read(self, node: Node, depth: int) -> Eval | None:
        """The env read at ``node`` (one the file's adapter found) with its numeric default."""
        read = self.reads.at(node)
        if read is None:
            return None
        fallback = None
        if read.missing == "default" and read.default is not None:
            text = read.default.strip()
            target = self.defs.get(text)
            if target is not None:  # a local name, as evaluate() follows one
                fallback = self.evaluate(target, depth + 2).value if depth + 1 < 4 else None
            else:
                quoted = len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'`"
                fallback = parse_int_text(text[1:-1] if quoted else text)
        return Eval(env_var=read.name, fallback=fallback)

    def unwrap(self, node: Node) -> Node:
        while node.type in _WRAPPERS and node.named_children:
            inner = [c for c in node.named_children if c.type not in ("type_identifier",)]
            if not inner:
                break
            node = inner[-1] if node.type == "cast_expression" else inner[0]
        return node

    def evaluate(self, node: Node, depth: int = 0) -> Eval:
        node = self.unwrap(node)
        t, src = node.type, self.src
        if t in INT_TYPES:
            return Eval(value=parse_int_text(text(node, src)))
        if t in ("unary_expression", "unary_operator", "prefix_unary_expression"):
            inner = self.evaluate(node.named_children[-1], depth) if node.named_children else Eval()
            if text(node, src).lstrip().startswith("-") and inner.value is not None:
                return replace(inner, value=-inner.value)
            return inner
        if t in STRING_TYPES:
            content = string_content(node, src)
            number = parse_int_text(content) if content else None
            return Eval(value=number, text=content)
        env = self.env_read(node, depth)
        if env is not None:
            return env
        if t == "binary_expression":
            return self._binary(node, depth)
        if t in ("selector_expression", "member_access_expression", "attribute", "field_access",
                 "member_expression", "scoped_identifier", "qualified_name"):  # fmt: skip
            last = node.named_children[-1] if node.named_children else node
            name = text(last, src)
            if (
                self.language == "go"
                and text(node, src).startswith("time.")
                and (name in _GO_DURATIONS)
            ):
                return Eval(value=_GO_DURATIONS[name])
            return Eval(symbol=name)
        if t == "identifier":
            name = text(node, src)
            target = self.defs.get(name)
            if target is not None and depth < 4:
                found = self.evaluate(target, depth + 1)
                return found if found.value is not None or found.env_var else Eval(symbol=name)
            return Eval(symbol=name)
        if t in ("call_expression", "invocation_expression", "call", "method_invocation"):
            return self._call(node, depth)
        return self._scan(node, depth)

    def _binary(self, node: Node, depth: int) -> Eval:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        op = node.child_by_field_name("operator")
        if left is None or right is None:
            return Eval()
        a, b = self.evaluate(left, depth), self.evaluate(right, depth)
        operator = text(op, self.src) if op is not None else ""
        if operator == "*":
            if a.value is not None and b.value is not None:
                return Eval(value=a.value * b.value)
            env, other = (a, b) if a.env_var else (b, a)
            if env.env_var and other.value is not None:
                fallback = env.fallback * other.value if env.fallback is not None else None
                return replace(env, env_scale=env.env_scale * other.value, fallback=fallback)
        if operator in ("??", "||", "or") and a.env_var and a.fallback is None:
            return replace(a, fallback=b.value)
        return self._scan(node, depth)

    def _call(self, node: Node, depth: int) -> Eval:
        fn = node.child_by_field_name("function") or node.child_by_field_name("name")
        name = text(fn, self.src) if fn is not None else ""
        args = node.child_by_field_name("arguments")
        named = list(args.named_children) if args is not None else []
        if self.language == "go" and name == "time.ParseDuration" and named:
            inner = self.evaluate(named[0], depth)
            return replace(inner, env_duration=True) if inner.env_var else inner
        for arg in named:
            found = self.evaluate(arg, depth)
            if found.value is not None or found.env_var:
                return found
        scanned = self._scan(node, depth)
        return scanned if scanned.env_var else Eval(symbol=name.rsplit(".", 1)[-1])

    def _scan(self, node: Node, depth: int) -> Eval:
        """Last resort for conditionals and helpers: an env read inside, plus a literal
        fallback beside it (``TryParse(env, out v) ? v : 45000``)."""
        env: Eval | None = None
        fallback: int | None = None
        skip: list[tuple[int, int]] = []
        for child in walk(node):
            if any(child.start_byte >= s and child.end_byte <= e for s, e in skip):
                continue
            read = self.env_read(child, depth + 1) if env is None else None
            if read is not None:
                env = read
                skip.append((child.start_byte, child.end_byte))
                continue
            if child.type in INT_TYPES and fallback is None:
                fallback = parse_int_text(text(child, self.src))
        if env is None:
            return Eval()
        return env if env.fallback is not None else replace(env, fallback=fallback)
