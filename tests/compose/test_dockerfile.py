"""Dockerfile stages, ARG and ENV as BuildKit reads them."""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envlint.compose.dockerfile import Dockerfile, parse_dockerfile
from envlint.model import ProblemKind


def parse(text: str, **kwargs: object) -> Dockerfile:
    return parse_dockerfile(textwrap.dedent(text).lstrip("\n"), "svc/Dockerfile", **kwargs)  # type: ignore[arg-type]


def env(text: str, target: str | None = None, **kwargs: object) -> dict[str, str]:
    return {e.name: e.value for e in parse(text, **kwargs).effective_env(target)}


def unresolved(text: str) -> set[str]:
    return {e.name for e in parse(text).effective_env() if e.unresolved}


# -- ENV forms and BuildKit's quoting ------------------------------------------------------


def test_env_key_value_forms_and_quotes() -> None:
    got = env(
        r"""
        FROM alpine
        ENV A=1 B="two words" C='single $A' D=a\ b E="x\"y" F='a\b' G=
        ENV LEGACY hello   "world"  x
        """
    )
    assert got == {
        "A": "1",
        "B": "two words",
        "C": "single $A",
        "D": "a b",
        "E": 'x"y',
        "F": "a\\b",
        "G": "",
        "LEGACY": "hello   world  x",
    }


def test_env_substitution_from_args_and_env() -> None:
    got = env(
        """
        ARG GLOBAL=g
        FROM alpine
        ARG VERSION=1.2
        ARG GLOBAL
        ENV A=x
        ENV V=$VERSION W=${VERSION}-$A G=$GLOBAL D=${NOPE:-dflt} P=${A:+set} Q=${A-unset}
        ENV L=$ S=a$-b ESC=\\$A
        """
    )
    assert got["V"] == "1.2"
    assert got["W"] == "1.2-x"
    assert got["G"] == "g"
    assert got["D"] == "dflt"
    assert got["P"] == "set"
    assert got["Q"] == "x"
    assert got["L"] == "$" and got["S"] == "a$-b" and got["ESC"] == "$A"


def test_env_wins_over_arg_of_the_same_name() -> None:
    assert env("FROM a\nARG X=arg\nENV X=env\nENV Y=$X\n")["Y"] == "env"


def test_global_arg_is_not_visible_in_a_stage_without_redeclaring() -> None:
    df = "ARG G=g\nFROM scratch\nENV A=$G\n"
    assert env(df)["A"] == ""  # scratch: nothing unknown, G is not in scope
    assert unresolved(df) == set()
    assert unresolved("ARG G=g\nFROM alpine\nENV A=$G\n") == {"A"}  # alpine could set G


def test_unresolved_values() -> None:
    assert unresolved(
        """
        FROM python:3.12
        ARG NODEFAULT
        ARG WITHDEFAULT=1
        ENV PATH=/app/bin:$PATH K=$NODEFAULT OK=$WITHDEFAULT PAT=${WITHDEFAULT#x} Q=${NODEFAULT:?}
        ENV LIT=plain
        """
    ) == {"PATH", "K", "PAT", "Q"}


def test_build_args_override_defaults_and_make_missing_known() -> None:
    text = "FROM alpine\nARG A=default\nARG B\nENV X=$A Y=$B\n"
    parsed = parse(text, build_args={"A": "given"})
    values = {e.name: (e.value, e.unresolved) for e in parsed.effective_env()}
    assert values == {"X": ("given", False), "Y": ("", False)}


def test_env_locations_point_at_keys_across_continuations() -> None:
    parsed = parse(
        """
        FROM alpine
        ENV A=1 \\
            # a comment inside the continuation

            B="two words"
        """
    )
    locations = {e.name: e.location for e in parsed.effective_env()}
    assert (locations["A"].line, locations["A"].column) == (2, 5)
    assert (locations["B"].line, locations["B"].column) == (5, 5)
    assert locations["B"].end_column == 18
    assert locations["B"].path == "svc/Dockerfile"


def test_escape_directive_backtick() -> None:
    got = env(
        """
        # escape=`
        FROM mcr.microsoft.com/windows
        ENV DIR=C:\\app `
            X=a`"b
        """
    )
    assert got == {"DIR": "C:\\app", "X": 'a"b'}


def test_directive_after_a_comment_is_just_a_comment() -> None:
    got = env("# hello\n# escape=`\nFROM a\nENV A=1 \\\n    B=2\n")
    assert got == {"A": "1", "B": "2"}


def test_invalid_escape_directive_is_a_problem() -> None:
    parsed = parse("# escape=x\nFROM a\n")
    assert [(p.kind, p.location.line) for p in parsed.problems] == [(ProblemKind.PARSE_ERROR, 1)]


# -- heredocs, JSON forms, other instructions ----------------------------------------------


def test_heredoc_bodies_are_skipped() -> None:
    got = env(
        """
        FROM alpine
        RUN <<EOF
        ENV NOT_ME=1
        EOF
        COPY <<-"CONF" <<OTHER /etc/
        \tENV NOR_ME=1
        \tCONF
        ENV STILL_NOT=1
        OTHER
        RUN ["sh", "-c", "echo <<EOF"]
        ENV REAL=1
        """
    )
    assert got == {"REAL": "1"}


def test_unterminated_heredoc_is_a_problem() -> None:
    parsed = parse("FROM a\nRUN <<EOF\nENV X=1\n")
    assert parsed.effective_env() == ()
    assert [p.location.line for p in parsed.problems] == [2]


def test_lowercase_instructions_and_onbuild() -> None:
    assert env("from alpine\nenv A=1\nONBUILD ENV B=2\n") == {"A": "1"}


# -- stages ---------------------------------------------------------------------------------


MULTI = """
ARG KAFKA=7.5.0
FROM --platform=$BUILDPLATFORM confluentinc/cp-kafka:${KAFKA} AS Base
ENV A=base B=base
FROM golang:1.22 AS builder
ENV GOFLAGS=-mod=vendor
FROM base AS app
ENV B=app C=$A
FROM base
ENV D=final
"""


def test_final_and_target_stage() -> None:
    parsed = parse(MULTI)
    assert [s.name for s in parsed.stages] == ["base", "builder", "app", None]
    final = parsed.final()
    assert final is not None and final.name is None and final.location.line == 8
    app = parsed.final("APP")
    assert app is not None and app.name == "app"
    assert parsed.final("missing") is None


def test_effective_env_inherits_through_the_chain() -> None:
    assert env(MULTI) == {"A": "base", "B": "base", "D": "final"}
    assert env(MULTI, "app") == {"A": "base", "B": "app", "C": "base"}
    assert env(MULTI, "builder") == {"GOFLAGS": "-mod=vendor"}
    assert env(MULTI, "missing") == {}


def test_base_image_is_the_root_of_the_chain() -> None:
    parsed = parse(MULTI)
    assert parsed.base_image() == "confluentinc/cp-kafka:7.5.0"
    assert parsed.base_image("app") == "confluentinc/cp-kafka:7.5.0"
    assert parsed.base_image("builder") == "golang:1.22"
    assert parsed.final() is not None and parsed.stages[0].base == "confluentinc/cp-kafka:7.5.0"


def test_from_with_unknown_global_arg_and_scratch() -> None:
    parsed = parse("ARG REG\nFROM ${REG}/app:1\nFROM scratch AS s\nENV X=$UNSET\n")
    assert parsed.stages[0].base == "/app:1"
    assert parsed.base_image() == "scratch"
    assert {e.name: e.unresolved for e in parsed.effective_env()} == {"X": False}


def test_a_stage_can_only_build_on_an_earlier_stage() -> None:
    parsed = parse("FROM later AS first\nENV A=1\nFROM alpine AS later\nENV B=2\n")
    assert parsed.base_image("first") == "later"
    assert env("FROM later AS first\nENV A=1\nFROM alpine AS later\n", "first") == {"A": "1"}


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("ENV A=1\nFROM a\n", 1),
        ("FROM\n", 1),
        ("FROM a b c d\n", 1),
        ("FROM a\nENV\n", 2),
        ("FROM a\nENV ONLYKEY\n", 2),
        ("FROM a\nENV A=1 B\n", 2),
        ("FROM a\nARG\n", 2),
    ],
)
def test_syntax_errors_are_problems(text: str, line: int) -> None:
    parsed = parse(text)
    assert [(p.kind, p.location.line) for p in parsed.problems] == [(ProblemKind.PARSE_ERROR, line)]


def test_problem_messages_do_not_quote_values() -> None:
    parsed = parse("FROM a\nENV A=1 hunter2secret\n")
    assert parsed.problems and all("hunter2" not in p.message for p in parsed.problems)


def test_empty_and_comment_only() -> None:
    assert parse("").stages == ()
    assert parse("# just a comment\n\n").final() is None
    assert parse("").effective_env() == () and parse("").base_image() is None


def test_crlf_and_bom() -> None:
    parsed = parse_dockerfile("\ufeffFROM a\r\nENV A=1 \\\r\n  B=2\r\n", "Dockerfile")
    assert {e.name: e.value for e in parsed.effective_env()} == {"A": "1", "B": "2"}


def test_deeply_nested_defaults_do_not_recurse() -> None:
    value = "${A:-" * 5000 + "x" + "}" * 5000
    parsed = parse_dockerfile(f"FROM a\nENV V={value}\n", "Dockerfile")
    (item,) = parsed.effective_env()
    assert item.unresolved


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="FROMENVARGas =$-:+?{}'\"\\`#<\n\t", max_size=120))
def test_never_raises(text: str) -> None:
    parsed = parse_dockerfile(text, "Dockerfile")
    parsed.effective_env()
    parsed.base_image("as")
