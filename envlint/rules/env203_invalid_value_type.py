"""ENV203 invalid-value-type: the service provides X (a known literal value), the code parses X
as int/float/bool/duration, and the value does not parse by the language's own rules.

Validators follow the parsers: Go ``strconv.Atoi``/``ParseInt`` (base prefixes accepted, as with
base 0), ``ParseFloat``, ``ParseBool`` (``1 t T TRUE true True 0 f F FALSE false False``),
``time.ParseDuration`` (a unit is required except for ``0``); C# ``int.Parse`` (sign, digits,
surrounding white space; 64-bit range as ``long.Parse``), ``double.Parse`` (invariant culture),
``bool.Parse`` (``true``/``false`` in any case), ``TimeSpan.Parse`` (``d``, ``[d.]hh:mm[:ss[.f]]``);
Python ``int()``/``float()``; Java/Kotlin ``Integer.parseInt``.  Other languages: not checked.
Empty values are ENV204's.  The message names the type, never the value.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from envlint.findings import Related, Severity, Violation
from envlint.rules._base import Context, Rule
from envlint.rules._documented import is_placeholder

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator


_INT64 = 2**63
_GO_INT = re.compile(r"[+-]?(\d+|0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]+)")
_GO_FLOAT = re.compile(r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|inf|infinity|nan)", re.I)
_GO_DURATION = re.compile(r"[+-]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+")
_GO_BOOL = frozenset(
    {"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false", "False"}
)
_CS_INT = re.compile(r"\s*[+-]?\d+\s*")
_CS_FLOAT = re.compile(
    r"\s*[+-]?((\d{1,3}(,\d{3})+|\d+)(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*|\s*[+-]?(infinity|nan)\s*",
    re.I,
)
_CS_TIMESPAN = re.compile(r"\s*-?(?:(\d+)|(?:(\d+)\.)?(\d+):(\d+)(?::(\d+)(?:\.(\d{1,7}))?)?)\s*")
_PY_INT = re.compile(r"\s*[+-]?\d+(_\d+)*\s*")
_JAVA_INT = re.compile(r"[+-]?\d+")
_DIGITS = re.compile(r"\s*[+-]?\d+\s*")


def _int64(v: str) -> bool:
    """Whether decimal integer text fits 64 bits (never int() on a 5,000-digit value)."""
    digits = v.strip().lstrip("+-").lstrip("0")
    return len(digits) <= 19 and abs(int(v)) < _INT64


def _go_int(v: str) -> bool:
    if not _GO_INT.fullmatch(v):
        return False
    body = v.lstrip("+-")
    base = 0 if body[:2].lower() in ("0x", "0b", "0o") else 10
    if len(body.replace("_", "").lstrip("0xXbBoO")) > 64:
        return False  # beyond 64 bits in any base
    try:
        return abs(int(body.replace("_", ""), base)) < _INT64
    except ValueError:  # "0_7" style octal or a stray underscore
        return False


def _go_float(v: str) -> bool:
    if not _GO_FLOAT.fullmatch(v):
        return False
    number = float(v)
    return not math.isinf(number) or "inf" in v.lower()


def _cs_timespan(v: str) -> bool:
    match = _CS_TIMESPAN.fullmatch(v)
    if match is None:
        return False
    _, _, hours, minutes, seconds, _ = match.groups()
    if hours is None:
        return True
    return int(hours) < 24 and int(minutes) < 60 and (seconds is None or int(seconds) < 60)


def _py_float(v: str) -> bool:
    try:
        float(v)
    except ValueError:
        return False
    return True


_VALIDATORS: dict[tuple[str, str], Callable[[str], bool]] = {
    ("go", "int"): _go_int,
    ("go", "float"): _go_float,
    ("go", "bool"): lambda v: v in _GO_BOOL,
    ("go", "duration"): lambda v: v in ("0", "+0", "-0") or bool(_GO_DURATION.fullmatch(v)),
    ("csharp", "int"): lambda v: bool(_CS_INT.fullmatch(v)) and _int64(v),
    ("csharp", "float"): lambda v: bool(_CS_FLOAT.fullmatch(v)),
    ("csharp", "bool"): lambda v: v.strip(" \t\r\n\0").casefold() in ("true", "false"),
    ("csharp", "duration"): _cs_timespan,
    # int() refuses more digits than sys.get_int_max_str_digits() (4300 by default)
    ("python", "int"): lambda v: bool(_PY_INT.fullmatch(v)) and len(v.strip()) <= 4300,
    ("python", "float"): _py_float,
    ("java", "int"): lambda v: bool(_JAVA_INT.fullmatch(v)) and _int64(v),
    ("kotlin", "int"): lambda v: bool(_JAVA_INT.fullmatch(v)) and _int64(v),
}
_TYPE_WORDS = {
    "int": "an integer",
    "float": "a number",
    "bool": "a boolean",
    "duration": "a duration",
}


def valid(language: str, expected_type: str, value: str) -> bool | None:
    """Whether ``value`` parses as the type by the language's rules; None if not checked."""
    validator = _VALIDATORS.get((language, expected_type))
    return None if validator is None else validator(value)


def check(ctx: Context) -> Iterator[Violation]:
    for project, service in ctx.ws.services():
        if not service.active:
            continue
        for read in ctx.sources.of(project, service):
            if read.expected_type not in _TYPE_WORDS or read.is_pattern:
                continue
            value = service.provides(read.name, read.lookup)
            if value is None or value.unresolved or value.value == "":
                continue
            if value.example and is_placeholder(value.value):
                continue  # an example file's "changeme" documents the key, not a value
            if valid(read.language, read.expected_type, value.value) is not False:
                continue
            parser = f" ({read.via}())" if read.via else ""
            what = f"not {_TYPE_WORDS[read.expected_type]}"
            if read.expected_type == "int" and _DIGITS.fullmatch(value.value):
                what = "an integer out of the range the code's parser accepts"
            related: tuple[Related, ...] = ()
            if value.origin is not None:
                related = (Related(value.origin, f"{value.name} is set here"),)
            yield Violation(
                location=read.location,
                message=(
                    f"{project.describe(service)} gets a value for {value.name} "
                    f"({value.source.value}) that is {what}, "
                    f"but the code at {read.location.path}:{read.location.line} parses it as "
                    f"{read.expected_type}{parser}"
                ),
                service=service.name,
                variable=read.name,
                related=related,
                stacks=(project.stack,),
            )


RULE = Rule(
    code="ENV203",
    name="invalid-value-type",
    severity=Severity.ERROR,
    summary="Code parses a variable as int/float/bool/duration and the provided value cannot parse",
    check=check,
    needs=frozenset({"sources"}),
)
