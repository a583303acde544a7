"""Compose's variable interpolation, ported from compose-go ``template/template.go``.

compose-go finds references with one regex and a replacement callback; this module reproduces
that regex with a small scanner (no backtracking is needed: every alternative is decided by the
character after ``$``), then applies compose-go's replacement logic step by step:

* ``$$`` is a literal ``$``; ``$NAME`` ends at the first non-name character; a ``$`` that starts
  nothing (``$1``, ``$}``, a trailing ``$``) stays literal.
* ``${`` must start a valid braced form, otherwise the whole template is invalid (a hard error).
* With an operator, the regex's greedy ``.*`` runs to the *last* ``}`` of the line; compose-go then
  cuts the match back at the first brace-balanced ``}`` (its own counting, quirks included) and
  interpolates the remainder as a separate string.
* The operator is the one whose first occurrence is earliest; the argument (default, alternate
  value or error text) is interpolated only when it is used (lazy nesting, compose-go >= v2.10.1,
  docker compose >= v5.0.2).  ``nesting="eager"`` reproduces the older behaviour.

Only references that are really evaluated are reported, with offsets into the top-level string,
and those that a required variable's error keeps Compose from evaluating (``blocked``): in
``${A:?err}/app:${B:?err}`` the greedy match holds both, and compose-go drops the rest of a match
whose operator failed, so B is evaluated only once A is set; a linter reports both.
Error messages never contain resolved values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

__all__ = [
    "DEFAULT_BUDGET",
    "Budget",
    "Interpolated",
    "InterpolationError",
    "Lookup",
    "Nesting",
    "Operator",
    "Reference",
    "interpolate",
    "is_name_char",
    "is_name_start",
    "literal_braces",
    "may_interpolate",
]

Lookup = Callable[[str], str | None]
Operator = Literal["", ":-", "-", ":?", "?", ":+", "+"]
Nesting = Literal["lazy", "eager"]

# Go's `(?i:[_a-z])` also matches the two non-ASCII characters whose case folding reaches a-z:
# U+017F LATIN SMALL LETTER LONG S (folds to "s") and U+212A KELVIN SIGN (folds to "k").
_FOLDED_NAME_CHARS = frozenset("\u017f\u212a")
_OPERATOR_CHARS = "-+?"
# compose-go's table order; the operator whose first occurrence is earliest wins.
_OPERATORS: tuple[Operator, ...] = (":?", "?", ":-", "-", ":+", "+")
# Nesting deeper than this is reported as an error instead of exhausting Python's stack.
_MAX_DEPTH = 100

_INVALID_MESSAGE = "invalid interpolation format"
_TOO_DEEP = "interpolation nested too deeply to evaluate"
# Characters that substituted values may add, per budget (one file or one workspace load).
DEFAULT_BUDGET = 16 * 1024 * 1024


class Budget:
    """How many characters substituted values may still add, shared by every interpolation of
    one env file, Dockerfile or workspace load.  Chains such as ``B=${A}${A}…``,
    ``C=${B}${B}…`` grow exponentially (a "billion laughs" of env files); a budget bounds the
    memory they can take.  Create one per load; never share it between runs."""

    __slots__ = ("left", "limit")

    def __init__(self, limit: int = DEFAULT_BUDGET) -> None:
        self.limit = limit
        self.left = limit

    def spend(self, chars: int) -> bool:
        """Take ``chars`` from the budget; False once it is exhausted."""
        self.left -= chars
        return self.left >= 0

    def message(self) -> str:
        return f"substituted values exceed {self.limit} characters (an expansion bomb?)"


class _Exhausted(Exception):  # internal control flow, never escapes this module
    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


def is_name_start(ch: str) -> bool:
    """Whether ``ch`` may start a variable name in Compose's template syntax."""
    return ch == "_" or ("a" <= ch <= "z") or ("A" <= ch <= "Z") or ch in _FOLDED_NAME_CHARS


def is_name_char(ch: str) -> bool:
    """Whether ``ch`` may continue a variable name in Compose's template syntax."""
    return is_name_start(ch) or ("0" <= ch <= "9")


@dataclass(frozen=True, slots=True)
class Reference:
    """One evaluated reference (``$NAME`` or ``${NAME…}``)."""

    name: str
    operator: Operator
    start: int  # offset of the `$` in the template string
    end: int  # offset just past the reference
    is_set: bool
    is_empty: bool
    message: str  # the `:?`/`?` text as written, else ""
    # Compose does not evaluate it: an earlier required variable of the same match fails
    # first; it would once that one is set
    blocked: bool = False


@dataclass(frozen=True, slots=True)
class InterpolationError:
    """The first error Compose would report for a template."""

    kind: Literal["invalid", "required", "limit"]  # limit: the Budget ran out
    name: str | None  # the variable, for "required"
    offset: int  # offset of the `$` that failed
    message: str  # Compose's wording, never a resolved value


@dataclass(frozen=True, slots=True)
class Interpolated:
    """The result of interpolating one template."""

    value: str  # what Compose substitutes (partial and meaningless when ``error`` is set)
    refs: tuple[Reference, ...]
    error: InterpolationError | None


def may_interpolate(text: str) -> bool:
    """Cheap pre-filter: a string without ``$`` is returned unchanged by :func:`interpolate`."""
    return "$" in text


def interpolate(
    template: str,
    lookup: Lookup,
    *,
    nesting: Nesting = "lazy",
    budget: Budget | None = None,
) -> Interpolated:
    """Interpolate ``template`` as compose-go's ``template.Substitute`` does.

    ``lookup`` returns a variable's value or ``None`` when it is unset.  ``nesting="eager"``
    reproduces compose-go <= v2.10.0 (docker compose <= v5.0.1, including v2.40.3), where an
    operator's argument is interpolated even when it is not used.  ``budget`` bounds the
    characters substituted values add (a fresh :data:`DEFAULT_BUDGET` when not given); when it
    runs out the result has an error of kind ``"limit"``.
    """
    if "$" not in template:
        return Interpolated(template, (), None)
    budget = Budget() if budget is None else budget
    state = _State(template, lookup, nesting == "eager", budget)
    try:
        value, error = state.substitute(0, len(template), 0)
    except RecursionError:  # only when called with little stack left; never raise on input
        value, error = "", InterpolationError("invalid", None, 0, _TOO_DEEP)
    except _Exhausted as exc:
        value, error = "", InterpolationError("limit", None, exc.offset, budget.message())
    return Interpolated(value, tuple(state.refs), error)


def literal_braces(template: str, refs: tuple[Reference, ...]) -> tuple[Reference, ...]:
    """The unbraced references (``$NAME``) directly followed by a ``}`` that closes no ``{``
    before it: ``$BAR}`` — Compose substitutes ``$BAR`` and keeps the ``}`` as a literal
    character (a ``{`` that the author forgot).  ``{"port": $PORT}`` (JSON) is not one."""
    out = []
    for ref in refs:
        if template.startswith("${", ref.start) or template[ref.end : ref.end + 1] != "}":
            continue
        before = template[: ref.end]
        if before.count("{") - before.count("}") <= 0:
            out.append(ref)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class _Match:
    """One match of compose-go's pattern within a bounded segment."""

    kind: Literal["escaped", "named", "braced", "invalid"]
    start: int
    end: int
    name_end: int = 0  # end of the name (named and braced)
    has_operator: bool = False  # braced with `:?[-+?]` after the name


def _match(s: str, i: int, hi: int) -> _Match | None:
    """Match compose-go's ``DefaultPattern`` at ``s[i] == "$"``, treating ``hi`` as the end."""
    j = i + 1
    if j >= hi:
        return None
    ch = s[j]
    if ch == "$":
        return _Match("escaped", i, j + 1)
    if is_name_start(ch):
        k = j + 1
        while k < hi and is_name_char(s[k]):
            k += 1
        return _Match("named", i, k, name_end=k)
    if ch != "{":
        return None
    k = j + 1
    if k >= hi or not is_name_start(s[k]):
        return _Match("invalid", i, j + 1)
    k += 1
    while k < hi and is_name_char(s[k]):
        k += 1
    if k < hi and s[k] == "}":
        return _Match("braced", i, k + 1, name_end=k)
    text_start = -1
    if k + 1 < hi and s[k] == ":" and s[k + 1] in _OPERATOR_CHARS:
        text_start = k + 2
    elif k < hi and s[k] in _OPERATOR_CHARS:
        text_start = k + 1
    if text_start >= 0:
        # `(.*)}`: `.` does not match a newline, and `.*` is greedy (last `}` of the line).
        line_end = s.find("\n", text_start, hi)
        close = s.rfind("}", text_start, hi if line_end < 0 else line_end)
        if close >= 0:
            return _Match("braced", i, close + 1, name_end=k, has_operator=True)
    return _Match("invalid", i, j + 1)


def _first_brace_closing_index(s: str, lo: int, hi: int) -> int:
    """compose-go's ``getFirstBraceClosingIndex`` over ``s[lo:hi]`` (absolute index or -1).

    The quirk is kept: the character right after every ``{`` is skipped.
    """
    depth = 0
    i = lo
    while i < hi:
        ch = s[i]
        if ch == "}":
            depth -= 1
            if depth == 0:
                return i
        if ch == "{":
            depth += 1
            i += 1
        i += 1
    return -1


def _choose_operator(s: str, lo: int, hi: int) -> Operator | None:
    """The operator whose first occurrence in ``s[lo:hi]`` is earliest (compose-go's sort)."""
    best: Operator | None = None
    best_index = -1
    for op in _OPERATORS:
        idx = s.find(op, lo, hi)
        if idx >= 0 and (best is None or idx < best_index):
            best, best_index = op, idx
    return best


def _required_message(name: str, reason: str) -> str:
    if reason:
        return f"required variable {name} is missing a value: {reason}"
    return f"required variable {name} is missing a value"


@dataclass(slots=True)
class _State:
    template: str
    lookup: Lookup
    eager: bool
    budget: Budget
    refs: list[Reference] = field(default_factory=list)
    blocked: bool = False  # scanning what a failed required variable kept Compose from

    def spend(self, value: str | None, start: int) -> str:
        if value and not self.budget.spend(len(value)):
            raise _Exhausted(start)
        return value or ""

    def substitute(self, lo: int, hi: int, depth: int) -> tuple[str, InterpolationError | None]:
        """``SubstituteWithOptions`` over ``template[lo:hi]``: replace every match in order."""
        if depth > _MAX_DEPTH:
            return "", InterpolationError("invalid", None, lo, _TOO_DEEP)
        s = self.template
        out: list[str] = []
        first_error: InterpolationError | None = None
        i = lo
        while True:
            dollar = s.find("$", i, hi)
            if dollar < 0:
                out.append(s[i:hi])
                break
            out.append(s[i:dollar])
            m = _match(s, dollar, hi)
            if m is None:
                out.append("$")
                i = dollar + 1
                continue
            value, error, i = self.replace(m, depth)
            if error is not None and first_error is None:
                first_error = error
            out.append(value)
        return "".join(out), first_error

    def replace(self, m: _Match, depth: int) -> tuple[str, InterpolationError | None, int]:
        """``DefaultReplacementAppliedFunc`` for one match; also where scanning resumes.

        compose-go interpolates the text between the balanced ``}`` and the end of the greedy
        match as a separate string, unless the operator failed.  That text ends with the last
        ``}`` of the line, so no match inside it can reach beyond it: scanning it as a
        continuation gives the same references and first error, without recursion.
        """
        s = self.template
        if m.kind == "escaped":
            return "$", None, m.end
        if m.kind == "invalid":
            return "", InterpolationError("invalid", None, m.start, _INVALID_MESSAGE), m.end
        if m.kind == "named":
            return self.plain(s[m.start + 1 : m.end], m.start, m.end), None, m.end
        if not m.has_operator:
            return self.plain(s[m.start + 2 : m.name_end], m.start, m.end), None, m.end
        operator = _choose_operator(s, m.start, m.end)
        end = m.end
        closing = _first_brace_closing_index(s, m.start, m.end)
        if closing >= 0:
            end = closing + 1
        # The trimmed match is again a braced form with the same name and operator (the
        # operator follows the name and the balanced `}` cannot come before it).
        sub_lo, sub_hi = m.start + 2, end - 1
        sep = -1 if operator is None else s.find(operator, sub_lo, sub_hi)
        if operator is None or sep < 0:  # pragma: no cover - the operator follows the name
            return self.plain(s[sub_lo:sub_hi], m.start, end), None, m.end
        value, error = self.apply(
            operator, s[sub_lo:sep], sep + len(operator), sub_hi, m.start, end, depth
        )
        if error is not None:
            if error.kind == "required" and end < m.end:
                self.past_stop(end, m.end, depth)
            return "", error, m.end
        return value, None, end

    def past_stop(self, lo: int, hi: int, depth: int) -> None:
        """The rest of a match whose required variable failed: compose-go drops it, and
        evaluates it once that variable is set.  Its references are kept as ``blocked``; its
        value and errors are not Compose's."""
        outer = self.blocked
        self.blocked = True
        try:
            self.substitute(lo, hi, depth + 1)
        except _Exhausted:
            pass  # the budget is for what Compose substitutes: stop here, keep Compose's error
        finally:
            self.blocked = outer

    def record(self, ref: Reference) -> None:
        """Keep an evaluated reference; a blocked one only when the template has not written
        it yet, name and operator (``${A:?}-${A:?}`` stops at A once, however often written)."""
        if not self.blocked:
            self.refs.append(ref)
        elif all((r.name, r.operator) != (ref.name, ref.operator) for r in self.refs):
            self.refs.append(replace(ref, blocked=True))

    def plain(self, name: str, start: int, end: int) -> str:
        """A plain ``$NAME`` / ``${NAME}``: unset gives "" (and Compose's warning)."""
        value = self.lookup(name)
        self.record(Reference(name, "", start, end, value is not None, value == "", ""))
        return self.spend(value, start)

    def apply(
        self,
        operator: Operator,
        name: str,
        arg_lo: int,
        arg_hi: int,
        start: int,
        end: int,
        depth: int,
    ) -> tuple[str, InterpolationError | None]:
        """The operator's substitute function; the argument is evaluated only when used."""
        arg_text = self.template[arg_lo:arg_hi]
        arg_value = ""
        if self.eager:
            arg_value, error = self.substitute(arg_lo, arg_hi, depth + 1)
            if error is not None:
                return "", error
        value = self.lookup(name)
        is_set, is_empty = value is not None, value == ""
        message = arg_text if operator in (":?", "?") else ""
        self.record(Reference(name, operator, start, end, is_set, is_empty, message))
        if operator in (":-", "-"):
            use_arg = not is_set or (operator == ":-" and is_empty)
        elif operator in (":+", "+"):
            use_arg = is_set and (operator == "+" or not is_empty)
        else:
            use_arg = not is_set or (operator == ":?" and is_empty)
        if not use_arg:
            return self.spend(value, start), None
        if not self.eager:
            arg_value, error = self.substitute(arg_lo, arg_hi, depth + 1)
            if error is not None:
                return "", error
        if operator in (":?", "?"):
            reason = arg_text if arg_value else ""
            return "", InterpolationError("required", name, start, _required_message(name, reason))
        return arg_value, None
