"""Env files (as a service ``env_file:`` and as ``.env``) against Docker Compose v2.40.3."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from envlint.compose.dotenv import (
    DotenvResult,
    decode_env_file,
    mapping_of,
    parse_dotenv,
    parse_raw_env_file,
)
from envlint.compose.interpolation import Nesting
from envlint.model import ProblemKind
from oracle.compose_oracle import base_env, run_config

pytestmark = pytest.mark.oracle

OS_ENV = {"FOO": "shell", "X": "x"}

# How each fatal error is worded by Compose (`failed to read <file>: …`) and by envlint.
ERROR_PHRASES = {
    "key cannot contain a space": "key cannot contain a space",
    "unexpected character": "unexpected character",
    "unterminated quoted value": "unterminated quoted value",
    "required variable": "required variable",
    "invalid interpolation format": "Invalid template",
    "zero length string": "zero length string",
    "no variable name": "no variable name",
    "contains whitespaces": "contains whitespaces",
}


@dataclass(frozen=True)
class Outcome:
    environment: dict[str, str] | None  # None when loading fails
    warned: frozenset[str]
    error: str | None  # the ERROR_PHRASES key


def service_file(env_file: str, environment: dict[str, str] | None = None) -> str:
    lines = ["services:", "  s:", "    image: x", f"    env_file: [{env_file}]"]
    if environment:
        lines.append("    environment:")
        lines += [f"      {k}: {json.dumps(v)}" for k, v in environment.items()]
    return "\n".join(lines) + "\n"


def oracle_env_file(
    content: str,
    *,
    raw: bool = False,
    os_env: dict[str, str] | None = None,
    dotenv: str | None = None,
    environment: dict[str, str] | None = None,
) -> Outcome:
    ref = "{path: e.env, format: raw}" if raw else "e.env"
    files: dict[str, str | bytes] = {
        "compose.yaml": service_file(ref, environment),
        "e.env": content.encode("utf-8"),
    }
    if dotenv is not None:
        files[".env"] = dotenv
    result = run_config(files, OS_ENV if os_env is None else os_env)
    if result.returncode != 0:
        for phrase, compose_phrase in ERROR_PHRASES.items():
            if compose_phrase in result.error:
                return Outcome(None, frozenset(result.warned), phrase)
        raise AssertionError(f"unexpected compose error: {result.error}")
    env = result.environment()
    for key in environment or {}:
        env.pop(key, None)
    return Outcome(env, frozenset(result.warned), None)


def envlint_outcome(result: DotenvResult) -> Outcome:
    warned = frozenset(
        r.name for r in result.refs if r.operator == "" and not r.is_set and not r.blocked
    )
    # A failing `${X:?}` stops the file as in Compose, but is a ref (ENV102), not a problem.
    if any(
        (r.operator == ":?" and (not r.is_set or r.is_empty))
        or (r.operator == "?" and not r.is_set)
        for r in result.refs
    ):
        return Outcome(None, warned, "required variable")
    # ENV112's literal-brace finding is a judgement on a value Compose accepts, not an error
    errors = [p for p in result.problems if p.kind is not ProblemKind.LITERAL_BRACE]
    if errors:
        message = errors[0].message
        for phrase in ERROR_PHRASES:
            if phrase in message:
                return Outcome(None, warned, phrase)
        raise AssertionError(message)
    return Outcome(mapping_of(result), warned, None)


def envlint_env_file(
    content: str,
    *,
    raw: bool = False,
    project: dict[str, str] | None = None,
    environment: dict[str, str] | None = None,
    nesting: Nesting = "lazy",
) -> Outcome:
    outside = base_env(OS_ENV if project is None else project)
    # types/project.go: project env first, then the service's environment values; the
    # accumulated map starts with the service environment too.
    lookup = {**(environment or {}), **outside}
    text, problem = decode_env_file(content.encode("utf-8"), "e.env")
    assert text is not None, problem
    if raw:
        result = parse_raw_env_file(text, "e.env", lookup.get)
    else:
        result = parse_dotenv(text, "e.env", lookup.get, earlier=environment, nesting=nesting)
    outcome = envlint_outcome(result)
    if outcome.environment is not None:
        for key in environment or {}:
            outcome.environment.pop(key, None)
    return outcome


VECTORS = [
    "A = b  ",  # 47
    "A=b # c\nB=b#c\nC=b\t# c\nD= #c\n",  # 48
    "A=\"b c\" # x\nB='bar#baz' # comment\n",  # 49
    "A='${X}'\n",  # 50
    'A="a\\nb\\tc\\\\d"\nB=a\\nb\n',  # 51
    'A="c\\$5"\nB=$$B\n',  # 52
    'A="\\x41"\nB="\\0101"\nC="it\\\'s"\nD=\'Let\\\'s go!\'\nE="\\0377\\01\\c"\n',  # 53
    "B=1\nA=$B-x\n",  # 54
    "A=${B}\nB=1\n",
    "FOO\nU\n",  # 56
    "FOO",  # 57
    "export A=1\nexport\tB=1\nexportC=1\nexport\n",  # 58
    "A: b\nB:C=1\n",  # 59
    'A="x" B=2\nC="x"y\n',  # 61
    "A=1\r\nB=2\r\n",  # 62
    "A=1\rB=2",
    "\ufeffA=1\n",
    "A=\"l1\nl2\"\nB='l1\nl2'\n",  # 63
    "1A=x\nA-B.C=x\na[1]=c\nárvíztűrő-X=y\n",  # 64
    "=x\n",
    "A=${U:-d} ${FOO:+alt} ${X-y} ${COMPOSE_PROJECT_NAME}\n",
    "FOO=file\nB=${FOO}\n",  # the project environment beats the file's own value
    "A=${FOO:-${U2}}\n",  # 14 in an env file: lazy does not warn; v2.40.3 warns (sets compared)
]


@pytest.mark.parametrize("content", VECTORS)
def test_env_file_vectors(compose_binary: Path, content: str) -> None:
    expected = oracle_env_file(content)
    if content == "A=${FOO:-${U2}}\n":
        # Known version difference (research §0): only the warning set differs.
        assert envlint_env_file(content, nesting="eager") == expected
        lazy = envlint_env_file(content)
        assert lazy.environment == expected.environment
        assert lazy.warned == expected.warned - {"U2"}
        return
    assert envlint_env_file(content) == expected


ERROR_VECTORS = [
    "A B=1\n",  # 60
    "OK=1\nA$B=1\n",
    "'A'=1\n",
    'A="abc\n',
    "A=${U:?need}\n",  # 55
    "A=${\n",
    "FOO #c",
    "export   ",
]


@pytest.mark.parametrize("content", ERROR_VECTORS)
def test_env_file_fatal_errors(compose_binary: Path, content: str) -> None:
    assert envlint_env_file(content) == oracle_env_file(content)


def test_service_environment_feeds_env_file_interpolation(compose_binary: Path) -> None:  # 66
    content = (
        "SHADOW=file\nI_SHADOW=${SHADOW}\nI_SVC=${SVC}\nI_DOT=${DOT}\n"
        "I_EARLIER=${EARLIER}\nEARLIER=late\n"
    )
    environment = {"SVC": "svc", "SHADOW": "svc"}
    expected = oracle_env_file(content, dotenv="DOT=dot\n", environment=environment)
    got = envlint_env_file(content, project={**OS_ENV, "DOT": "dot"}, environment=environment)
    assert got == expected
    assert got.environment is not None
    assert got.environment["I_SHADOW"] == "svc"


def test_raw_format_vector_68(compose_binary: Path) -> None:
    content = 'Q="quoted"  \nD=$HOME ${X}\nC=a # x\n  LEAD=1\nBARE\nMISSING\n'
    os_env = {**OS_ENV, "BARE": "b"}
    expected = oracle_env_file(content, raw=True, os_env=os_env)
    assert envlint_env_file(content, raw=True, project=os_env) == expected


@pytest.mark.parametrize("content", ["=x\n", "A B=1\n", "A\tB\n", "A=1\r\nB='q'\r\n"])
def test_raw_format_edge_cases(compose_binary: Path, content: str) -> None:
    assert envlint_env_file(content, raw=True) == oracle_env_file(content, raw=True)


@pytest.mark.parametrize(
    ("dotenv", "expected"),
    [
        ("FOO=file\nV=${FOO}\n", {"FOO": "shell", "V": "shell"}),  # 34, 35: shell first
        ("W=dot\nV=$W-x\n", {"W": "dot", "V": "dot-x"}),
        ("V=${COMPOSE_PROJECT_NAME}\n", {"V": ""}),  # not yet known while .env is read
    ],
)
def test_project_dotenv(compose_binary: Path, dotenv: str, expected: dict[str, str]) -> None:
    # The project .env is observed through interpolation of `environment:` values.
    compose = ["services:", "  s:", "    image: x", "    environment:"]
    compose += [f"      {k}: ${{{k}}}" for k in expected]
    result = run_config({"compose.yaml": "\n".join(compose) + "\n", ".env": dotenv}, OS_ENV)
    assert result.returncode == 0, result.error
    parsed = parse_dotenv(dotenv, ".env", OS_ENV.get)
    project = {**mapping_of(parsed), **OS_ENV}
    assert {k: project.get(k, "") for k in expected} == result.environment() == expected


# --- generated env files -----------------------------------------------------------------------

KEYS = ["A", "B", "FOO", "U", "X", "a.b", "k-1"]
value_chars = st.text(alphabet="ab $#{}:-?+\\'\"\t", max_size=8)
reference = st.sampled_from(["$A", "${B}", "${FOO:-d}", "${U-${X}}", "$$", "${U:+z}", "${"])


def lines() -> st.SearchStrategy[str]:
    value = st.lists(st.one_of(value_chars, reference), max_size=3).map("".join)
    assignment = st.tuples(
        st.sampled_from(["", "export ", "  "]),
        st.sampled_from(KEYS),
        st.sampled_from(["=", " = ", ": ", "="]),
        st.one_of(
            value,
            value.map(lambda v: '"' + v.replace('"', '\\"') + '"'),
            value.map(lambda v: "'" + v.replace("'", "") + "'"),
        ),
        st.sampled_from(["", " # note", "\t# tab", "\r"]),
    ).map("".join)
    return st.one_of(
        assignment,
        st.sampled_from(KEYS),  # bare key
        st.sampled_from(["", "# comment", "   "]),
        st.text(alphabet="AB=$'\"# \\\n{}:.\t\v\x85\xa0\u2000ſé1", max_size=10),
    )


env_files = st.tuples(
    st.lists(lines(), max_size=6).map("\n".join), st.sampled_from(["", "\n", "\r\n"])
).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=env_files)
def test_generated_env_files_agree_with_v2_40_3(compose_binary: Path, content: str) -> None:
    expected = oracle_env_file(content)
    assert envlint_env_file(content, nesting="eager") == expected
    lazy = envlint_env_file(content)
    assert lazy.warned <= expected.warned
    if expected.error is None:
        assert lazy.environment == expected.environment


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=env_files)
def test_generated_raw_env_files_agree_with_v2_40_3(compose_binary: Path, content: str) -> None:
    assert envlint_env_file(content, raw=True) == oracle_env_file(content, raw=True)
