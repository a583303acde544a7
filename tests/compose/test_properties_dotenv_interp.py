"""Properties of the dotenv parser and the interpolation engine (hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from envlint.compose.dotenv import mapping_of, parse_dotenv, parse_raw_env_file
from envlint.compose.interpolation import interpolate

# Characters that drive the grammars, mixed with arbitrary text.
SYNTAX = "${}:-+?=#'\"\\ \t\r\n_aAzZ09.[]xſ"
tricky_text = st.text(alphabet=st.sampled_from(SYNTAX), max_size=60) | st.text(max_size=60)
names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True)
environments = st.dictionaries(names, st.text(max_size=8), max_size=5)


@settings(max_examples=400)
@given(tricky_text, environments, st.sampled_from(["lazy", "eager"]))
def test_interpolate_never_raises_and_refs_point_at_dollars(
    template: str, env: dict[str, str], nesting: str
) -> None:
    result = interpolate(template, env.get, nesting=nesting)  # type: ignore[arg-type]
    for ref in result.refs:
        assert template[ref.start] == "$"
        assert ref.start < ref.end <= len(template)
        assert ref.is_set == (ref.name in env)
    if result.error is not None:
        assert template[result.error.offset] == "$"
        for value in env.values():
            if len(value) > 3 and value not in template:
                assert value not in result.error.message


@given(st.text(max_size=80), environments)
def test_doubled_dollars_round_trip(text: str, env: dict[str, str]) -> None:
    result = interpolate(text.replace("$", "$$"), env.get)
    assert result == type(result)(text, (), None)


@given(st.text(max_size=80).filter(lambda t: "$" not in t), environments)
def test_text_without_dollar_is_unchanged(text: str, env: dict[str, str]) -> None:
    result = interpolate(text, env.get)
    assert (result.value, result.refs, result.error) == (text, (), None)


literal = st.text(max_size=6).map(lambda t: t.replace("$", "$$"))


@given(
    st.lists(st.tuples(literal, names, st.text(max_size=8), st.booleans()), max_size=6),
    literal,
)
def test_set_variables_resolve_in_plain_references(
    parts: list[tuple[str, str, str, bool]], tail: str
) -> None:
    env: dict[str, str] = {}
    template, expected = "", ""
    for text, name, value, braced in parts:
        env.setdefault(name, value)
        template += text + (f"${{{name}}}" if braced else f"${name}") + "."
        expected += text.replace("$$", "$") + env[name] + "."
    template += tail
    expected += tail.replace("$$", "$")
    result = interpolate(template, env.get)
    assert result.error is None
    assert result.value == expected
    assert [r.name for r in result.refs] == [name for _, name, _, _ in parts]
    assert all(r.is_set for r in result.refs)


@settings(max_examples=400)
@given(tricky_text, environments)
def test_parsers_never_raise_and_locations_are_in_the_file(text: str, env: dict[str, str]) -> None:
    lines = text.count("\n") + 1
    results = (parse_dotenv(text, "p.env", env.get), parse_raw_env_file(text, "p.env", env.get))
    for result in results:
        assert len(result.problems) <= 1
        for entry in result.entries:
            for loc in (entry.key_location, entry.value_location):
                assert 1 <= loc.line <= (loc.end_line or loc.line) <= lines
        for ref in result.refs:
            assert ref.context == "env_file"
            assert 1 <= ref.location.line <= lines


key_names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-]{0,8}", fullmatch=True)


def double_quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'


def single_quoted(value: str) -> str:
    return "'" + value.replace("'", "\\'") + "'"


@given(
    st.lists(
        st.tuples(key_names, st.text(max_size=12), st.sampled_from(["dq", "sq", "plain"])),
        max_size=8,
    )
)
def test_written_values_read_back(items: list[tuple[str, str, str]]) -> None:
    lines, expected = [], {}
    for key, value, style in items:
        if style == "sq" and (value.endswith("\\") or "\\'" in value):
            # a backslash before the closing quote, or before a quote this writer escapes with
            # one, is no round trip in single quotes: such values are written double-quoted
            style = "dq"
        if style == "plain":
            value = "".join(c for c in value if c.isalnum() or c in "_-./,")
            rendered = value
        elif style == "sq":
            rendered = single_quoted(value)
        else:
            rendered = double_quoted(value)
        lines.append(f"{key}={rendered}")
        expected[key] = value
    no_env: dict[str, str] = {}
    result = parse_dotenv("\n".join(lines) + "\n", "w.env", no_env.get)
    assert result.problems == ()
    assert mapping_of(result) == expected
    assert result.refs == ()
