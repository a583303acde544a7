"""compose-go template semantics (research/compose-semantics.md §1, vectors 1-24)."""

from __future__ import annotations

import pytest

from envlint.compose.interpolation import (
    Interpolated,
    Reference,
    interpolate,
    may_interpolate,
)

# The §7 default lookup: FOO="first", BAR="" ; U, U2, X unset.
ENV = {"FOO": "first", "BAR": ""}


def run(template: str, env: dict[str, str] | None = None, **kw: object) -> Interpolated:
    return interpolate(template, (ENV if env is None else env).get, **kw)  # type: ignore[arg-type]


def warned(result: Interpolated) -> list[str]:
    """Variables Compose warns about: plain references that are unset (and evaluated)."""
    return [r.name for r in result.refs if r.operator == "" and not r.is_set and not r.blocked]


@pytest.mark.parametrize(
    ("template", "expected", "warnings"),
    [
        ("$FOO", "first", []),  # 1
        ("$FOO-bar", "first-bar", []),  # 2
        ("${U}", "", ["U"]),  # 3
        ("$U", "", ["U"]),
        ("${BAR}", "", []),  # 4
        ("${U:-def}", "def", []),  # 5
        ("${BAR:-def}", "def", []),
        ("${BAR-def}", "", []),  # 6
        ("${U-def}", "def", []),
        ("${FOO:+alt}", "alt", []),  # 7
        ("${BAR:+alt}", "", []),
        ("${BAR+alt}", "alt", []),  # 8
        ("${U+alt}", "", []),
        ("${BAR?need it}", "", []),  # 10
        ("${FOO:?need it}", "first", []),
        ("${U:-${FOO}}", "first", []),  # 12
        ("${U:-${BAR:-deep}}", "deep", []),  # 13
        ("${A:-${B:-${C:-deep}}}", "deep", []),
        ("${FOO:-${U2}}", "first", []),  # 14 (lazy)
        ("${FOO-${U:?boom}}", "first", []),  # 15 (lazy)
        ("${A:+${A},}B", "B", []),  # 16 (lazy)
        ("${U:-${U2}}", "", ["U2"]),  # a used default warns normally
        ('${U:-{"json":1}}', '{"json":1}', []),  # 17
        ("$${FOO}", "${FOO}", []),  # 18
        ("$$FOO", "$FOO", []),
        ("a $ b", "a $ b", []),  # 19
        ("$1", "$1", []),
        ("$}", "$}", []),
        ("$", "$", []),
        ("$-", "$-", []),
        ("${U-myerror?msg}", "myerror?msg", []),  # 21
        ("${BAR:-/non:-alphanumeric}", "/non:-alphanumeric", []),  # 22
        ("${FOO}}", "first}", []),  # 23
        ("${U:-{}}}", "{}}", []),  # brace counting skips the char after `{`
        ("${U:-x}y}", "xy}", []),  # greedy match cut at the balanced brace, rest kept
        ("pre ${FOO} mid $FOO post", "pre first mid first post", []),
        ("${FOO:-a}${U:-b}", "firstb", []),
        ("$ſ", "", ["ſ"]),  # Go's (?i)[a-z] also matches U+017F and U+212A
        ("${K}", "", ["K"]),
    ],
)
def test_vectors(template: str, expected: str, warnings: list[str]) -> None:
    result = run(template)
    assert result.error is None
    assert result.value == expected
    assert warned(result) == warnings


@pytest.mark.parametrize(
    ("template", "name", "message"),
    [
        ("${U:?need it}", "U", "required variable U is missing a value: need it"),  # 9
        ("${BAR:?need it}", "BAR", "required variable BAR is missing a value: need it"),  # 10
        ("${U?}", "U", "required variable U is missing a value"),  # 11
        ("${U?bar-baz}", "U", "required variable U is missing a value: bar-baz"),  # 21
        ("x ${U:-${U2:?inner}}", "U2", "required variable U2 is missing a value: inner"),
    ],
)
def test_required_errors(template: str, name: str, message: str) -> None:
    result = run(template)
    assert result.error is not None
    assert (result.error.kind, result.error.name, result.error.message) == (
        "required",
        name,
        message,
    )
    assert template[result.error.offset] == "$"


def test_required_message_never_holds_a_resolved_value() -> None:
    result = run("${U:?${FOO}}")
    assert result.error is not None
    assert "first" not in result.error.message
    assert result.error.message == "required variable U is missing a value: ${FOO}"


@pytest.mark.parametrize(
    "template",
    [
        "${1X}",  # 20
        "${",
        "${}",
        "${ FOO}",
        "${FOO }",
        "${FOO!}",
        "${FOO:x}",
        "${FOO/a/b}",
        "${FOO:-x",
        "${FOO:}",
        "${A:-x\ny}",  # 24: `.` does not match a newline
        "ok ${",
    ],
)
def test_invalid_templates(template: str) -> None:
    result = run(template)
    assert result.error is not None
    assert result.error.kind == "invalid"
    assert result.error.message == "invalid interpolation format"
    assert template[result.error.offset : result.error.offset + 2] == "${"


def test_invalid_inside_used_default_is_reported_at_its_offset() -> None:
    result = run("${U:-${}}")
    assert result.error is not None
    assert (result.error.kind, result.error.offset) == ("invalid", 5)


def test_invalid_inside_unused_default_is_not_evaluated() -> None:
    assert run("${FOO:-${}}").error is None
    assert run("${FOO:-${}}", nesting="eager").error is not None


def test_scanning_goes_on_after_an_error_and_keeps_the_first() -> None:
    result = run("${U:?first} $U2 ${")
    assert result.error is not None
    assert (result.error.kind, result.error.name) == ("required", "U")
    assert warned(result) == ["U2"]


def test_the_rest_of_a_greedy_match_is_skipped_when_the_operator_fails() -> None:
    # The regex match of `${U:?x}` runs to the last `}` of the line, so `${U2}` belongs to it
    # and is not evaluated when the requirement fails.
    assert warned(run("${U:?x} ${U2}")) == []
    assert warned(run("${U:?x} $U2")) == ["U2"]


def test_references_report_offsets_operator_and_state() -> None:
    template = "a ${U:-${FOO}} $BAR ${X?m}"
    result = run(template)
    assert result.refs == (
        Reference("U", ":-", 2, 14, False, False, ""),
        Reference("FOO", "", 7, 13, True, False, ""),
        Reference("BAR", "", 15, 19, True, True, ""),
        Reference("X", "?", 20, 26, False, False, "m"),
    )
    assert [template[r.start : r.end] for r in result.refs] == [
        "${U:-${FOO}}",
        "${FOO}",
        "$BAR",
        "${X?m}",
    ]


def test_rest_after_balanced_brace_refs_are_offset_in_the_template() -> None:
    template = "${FOO:-a}-${BAR}}"
    result = run(template)
    assert result.value == "first-}"
    assert [(r.name, template[r.start : r.end]) for r in result.refs] == [
        ("FOO", "${FOO:-a}"),
        ("BAR", "${BAR}"),
    ]


def test_references_past_a_failed_requirement_are_blocked() -> None:
    """compose-go drops the rest of a match whose ``:?`` failed (blind set 13c): each
    reference there is kept as blocked, one per variable the template has not named yet."""
    template = "${U:?err}/app:${X:?err}-${U:?again}-${FOO}"
    result = run(template)
    assert result.value == ""
    assert result.error is not None and result.error.name == "U"
    assert [(r.name, template[r.start : r.end], r.blocked) for r in result.refs] == [
        ("U", "${U:?err}", False),
        ("X", "${X:?err}", True),
        ("FOO", "${FOO}", True),
    ]
    # with U set, Compose reaches X and stops there: X is evaluated, FOO blocked
    later = run(template, {"U": "u", "FOO": "f"})
    assert later.error is not None and later.error.name == "X"
    assert [(r.name, r.blocked) for r in later.refs] == [
        ("U", False),
        ("X", False),
        ("FOO", True),
    ]
    # no failure: nothing is blocked
    assert not any(r.blocked for r in run(template, {"U": "u", "X": "x"}).refs)
    # a required reference past the stop is kept though the value read the variable before
    again = "${FOO} ${U:?err}/${FOO:?err}"
    assert [(r.name, r.operator, r.blocked) for r in run(again).refs] == [
        ("FOO", "", False),
        ("U", ":?", False),
        ("FOO", ":?", True),
    ]


def test_lazy_nesting_only_reports_evaluated_refs() -> None:
    assert [r.name for r in run("${FOO:-${U2}}").refs] == ["FOO"]
    assert [r.name for r in run("${U:-${U2}}").refs] == ["U", "U2"]


@pytest.mark.parametrize(
    ("template", "warnings", "error"),
    [
        ("${FOO:-${U2}}", ["U2"], None),  # 14 in v2.40.3
        ("${FOO-${U:?boom}}", [], "required"),  # 15 in v2.40.3
        ("${A:+${A},}B", ["A"], None),  # 16 in v2.40.3
    ],
)
def test_eager_nesting_reproduces_older_compose(
    template: str, warnings: list[str], error: str | None
) -> None:
    result = run(template, nesting="eager")
    assert warned(result) == warnings
    assert (result.error.kind if result.error else None) == error


def test_names_are_case_sensitive_and_end_at_non_name_chars() -> None:
    result = run("$foo.$FOO_1:${Foo}", {"FOO": "x", "foo": "y", "FOO_1": "z"})
    assert result.value == "y.z:"
    assert warned(result) == ["Foo"]


def test_no_dollar_is_returned_unchanged_without_lookups() -> None:
    def lookup(name: str) -> str | None:
        raise AssertionError(name)

    assert interpolate("plain {text}", lookup) == Interpolated("plain {text}", (), None)
    assert not may_interpolate("plain {text}")
    assert may_interpolate("a$")


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    depth = 400
    template = "${U:-" * depth + "x" + "}" * depth
    result = run(template)
    assert result.error is not None
    assert result.error.kind == "invalid"


def test_long_lines_of_references_do_not_recurse() -> None:
    template = "${U-x}" * 5000 + "}"
    result = run(template)
    assert result.error is None
    assert result.value == "x" * 5000 + "}"
    assert len(result.refs) == 5000
