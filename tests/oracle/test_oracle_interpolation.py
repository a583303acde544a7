"""Interpolation templates, as ``environment:`` values, against Docker Compose v2.40.3."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from envlint.compose.interpolation import Interpolated, Nesting, interpolate
from oracle.compose_oracle import OracleResult, base_env, run_config

pytestmark = pytest.mark.oracle

# research §7 defaults: FOO="first", BAR="" ; U, U2, X unset.
DOTENV = {"FOO": "first", "BAR": ""}


@dataclass(frozen=True)
class Outcome:
    """What both sides are compared on."""

    value: str | None  # None when loading fails
    warned: frozenset[str]
    error: str | None  # "required:<name>" or "invalid"


def compose_file(templates: list[str]) -> str:
    # JSON strings are valid YAML double-quoted scalars.
    lines = ["services:", "  s:", "    image: x", "    environment:"]
    lines += [f"      V{i}: {json.dumps(t)}" for i, t in enumerate(templates)]
    return "\n".join(lines) + "\n"


def dotenv_file(values: dict[str, str]) -> str:
    return "".join(f"{k}='{v}'\n" for k, v in values.items())


def oracle_outcome(template: str, dotenv: dict[str, str]) -> Outcome:
    result: OracleResult = run_config(
        {"compose.yaml": compose_file([template]), ".env": dotenv_file(dotenv)}
    )
    if result.returncode != 0:
        text = result.error
        marker = "required variable "
        if marker in text:
            name = text.split(marker, 1)[1].split(" ", 1)[0]
            return Outcome(None, frozenset(result.warned), f"required:{name}")
        assert "invalid interpolation format" in text, text
        return Outcome(None, frozenset(result.warned), "invalid")
    return Outcome(result.environment()["V0"], frozenset(result.warned), None)


def envlint_outcome(template: str, dotenv: dict[str, str], nesting: Nesting) -> Outcome:
    result: Interpolated = interpolate(template, base_env(dotenv).get, nesting=nesting)
    warned = frozenset(
        r.name for r in result.refs if r.operator == "" and not r.is_set and not r.blocked
    )
    if result.error is None:
        return Outcome(result.value, warned, None)
    if result.error.kind == "required":
        return Outcome(None, warned, f"required:{result.error.name}")
    return Outcome(None, warned, "invalid")


SAME_IN_BOTH_VERSIONS = [
    "$FOO",  # 1
    "$FOO-bar",  # 2
    "${U}",  # 3
    "${BAR}",  # 4
    "${U:-def}",  # 5
    "${BAR:-def}",
    "${BAR-def}",  # 6
    "${U-def}",
    "${FOO:+alt}",  # 7
    "${BAR:+alt}",
    "${BAR+alt}",  # 8
    "${U+alt}",
    "${U:?need it}",  # 9
    "${BAR:?need it}",  # 10
    "${BAR?need it}",
    "${U?}",  # 11
    "${U:-${FOO}}",  # 12
    "${U:-${BAR:-deep}}",  # 13
    '${U:-{"json":1}}',  # 17
    "$${FOO}",  # 18
    "$$FOO",
    "a $ b",  # 19
    "$1",
    "$}",
    "${1X}",  # 20
    "${",
    "${}",
    "${ FOO}",
    "${FOO }",
    "${FOO:x}",
    "${FOO/a/b}",
    "${U-myerror?msg}",  # 21
    "${U?bar-baz}",
    "${BAR:-/non:-alphanumeric}",  # 22
    "${FOO}}",  # 23
    "${A:-x\ny}",  # 24
    "${U:-{}}}",
    "${U:-x}y}",
    "${U:?x} ${U2}",
    "${U:?x} $U2",
    "$ſ ${K}",
    "${U:-${U2}}",
]


@pytest.mark.parametrize("template", SAME_IN_BOTH_VERSIONS)
def test_vectors_agree(compose_binary: Path, template: str) -> None:
    assert envlint_outcome(template, DOTENV, "lazy") == oracle_outcome(template, DOTENV)


# Vectors 14-16: compose-go <= v2.10.0 (in v2.40.3) interpolates unused branches eagerly; envlint
# follows the current lazy behaviour (docker compose >= v5.0.2).
VERSION_DEPENDENT = ["${FOO:-${U2}}", "${FOO-${U:?boom}}", "${A:+${A},}B"]


@pytest.mark.parametrize("template", VERSION_DEPENDENT)
@pytest.mark.xfail(
    strict=True, reason="v2.40.3 nests eagerly (research §0); envlint models lazy >= v5.0.2"
)
def test_version_dependent_vectors_differ_from_v2_40_3(compose_binary: Path, template: str) -> None:
    assert envlint_outcome(template, DOTENV, "lazy") == oracle_outcome(template, DOTENV)


@pytest.mark.parametrize("template", VERSION_DEPENDENT)
def test_version_dependent_vectors_match_eager_mode(compose_binary: Path, template: str) -> None:
    assert envlint_outcome(template, DOTENV, "eager") == oracle_outcome(template, DOTENV)


# --- generated templates -----------------------------------------------------------------------

NAMES = ["A", "B", "U", "FOO", "BAR"]
OPERATORS = [":-", "-", ":?", "?", ":+", "+"]


def templates() -> st.SearchStrategy[str]:
    literal = st.text(alphabet="ab -:?+{}/,.\"'", max_size=4)
    atoms = st.one_of(
        literal,
        st.just("$$"),
        st.just("$"),
        st.sampled_from(NAMES).map(lambda n: "$" + n),
        st.sampled_from(NAMES).map(lambda n: "${" + n + "}"),
        st.sampled_from(["${", "${}", "${1", "}", "{"]),
    )

    def nest(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        braced = st.tuples(st.sampled_from(NAMES), st.sampled_from(OPERATORS), inner).map(
            lambda t: "${" + t[0] + t[1] + t[2] + "}"
        )
        return st.lists(st.one_of(inner, braced), min_size=1, max_size=3).map("".join)

    return st.recursive(atoms, nest, max_leaves=8)


environments = st.dictionaries(
    st.sampled_from(NAMES), st.text(alphabet="xy$-{} ", max_size=3), max_size=4
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(template=templates(), dotenv=environments)
def test_generated_templates_agree_with_v2_40_3(
    compose_binary: Path, template: str, dotenv: dict[str, str]
) -> None:
    # v2.40.3 is eager: compare the eager mode exactly, then check the lazy mode can only
    # drop warnings/errors that belong to unused branches.
    expected = oracle_outcome(template, dotenv)
    assert envlint_outcome(template, dotenv, "eager") == expected
    lazy = envlint_outcome(template, dotenv, "lazy")
    if expected.error is None:  # lazy evaluates a subset of what eager evaluates
        assert lazy.warned <= expected.warned
        assert (lazy.value, lazy.error) == (expected.value, None)
    # else eager stopped at an error in a branch lazy skips (`${A:+${A:?x}}${A:-$A}`), and lazy
    # goes on to evaluate (and warn about) what comes after it
