"""compose-go's dotenv parser and the raw env_file format (research §3, §4.4, vectors 47-68)."""

from __future__ import annotations

import pytest

from envlint.compose.dotenv import (
    DotenvResult,
    decode_env_file,
    mapping_of,
    parse_dotenv,
    parse_raw_env_file,
)
from envlint.model import InheritedKey, Location, ProblemKind

SHELL = {"FOO": "shell", "X": "x"}
INVALID = "line 1: invalid interpolation format (a literal $ must be written $$)"


def parse(text: str, env: dict[str, str] | None = None) -> DotenvResult:
    return parse_dotenv(text, "app/.env", (SHELL if env is None else env).get)


def values(text: str, env: dict[str, str] | None = None) -> dict[str, str]:
    result = parse(text, env)
    assert result.problems == ()
    return mapping_of(result)


def warned(result: DotenvResult) -> list[str]:
    return [r.name for r in result.refs if r.operator == "" and not r.is_set and not r.blocked]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A = b  ", {"A": "b"}),  # 47
        ("A=b # c", {"A": "b"}),  # 48
        ("A=b#c", {"A": "b#c"}),
        ("A=b\t# c", {"A": "b\t# c"}),
        ("A= #c", {"A": "#c"}),
        ("A=#c", {"A": "#c"}),
        ('A="b c" # x', {"A": "b c"}),  # 49
        ("A='bar#baz' # comment", {"A": "bar#baz"}),
        ("A='${X}'", {"A": "${X}"}),  # 50
        ("A='$X'", {"A": "$X"}),
        ('A="a\\nb\\tc\\\\d"', {"A": "a\nb\tc\\d"}),  # 51
        ("A=a\\nb", {"A": "a\\nb"}),
        ("A='a\\nb'", {"A": "a\\nb"}),
        ('A="c\\$5"', {"A": "c$5"}),  # 52
        ("A=$$B", {"A": "$B"}),
        ('A="\\x41"', {"A": "\\x41"}),  # 53
        ('A="\\0101"', {"A": "A"}),
        ('A="\\0377"', {"A": "\xff"}),
        ('A="\\01"', {"A": "\\1"}),  # not an octal escape: Go keeps it minus the `0`
        ('A="\\0999"', {"A": "\\999"}),
        ('A="\\0"', {"A": "\\"}),
        ('A="\\c"', {"A": "\\c"}),
        ('A="it\\\'s"', {"A": "it\\'s"}),
        ("A='Let\\'s go!'", {"A": "Let's go!"}),
        ('A="say \\"hi\\""', {"A": 'say "hi"'}),
        ("B=1\nA=$B-x", {"B": "1", "A": "1-x"}),  # 54
        ("FOO=file\nB=${FOO}", {"FOO": "file", "B": "shell"}),  # 35: the shell wins
        ("FOO\n", {"FOO": "shell"}),  # 56
        ("U\n", {}),
        ("export FOO\n", {"FOO": "shell"}),
        ("FOO", {"": "FOO"}),  # 57: bare key at EOF without newline
        ("export A=1", {"A": "1"}),  # 58
        ("export\tA=1", {"A": "1"}),
        ("exportA=1", {"exportA": "1"}),
        ("export\n", {}),
        ("A: b", {"A": "b"}),  # 59
        ("A:B=1", {"A": "B=1"}),
        ('A="x" B=2', {"A": "x", "B": "2"}),  # 61
        ('A="x"y\n', {"A": "x"}),
        ('A="x"FOO\n', {"A": "x", "FOO": "shell"}),
        ("A=1\r\nB=2\r\n", {"A": "1", "B": "2"}),  # 62
        ("A=1\rB=2", {"A": "1\rB=2"}),
        ('A="l1\nl2"', {"A": "l1\nl2"}),  # 63
        ("A='l1\nl2'", {"A": "l1\nl2"}),
        ('A="l1\r\nl2"', {"A": "l1\r\nl2"}),
        (  # 64
            "1A=x\nA-B.C=x\na[1]=c\nárvíztűrő-X=y",
            {"1A": "x", "A-B.C": "x", "a[1]": "c", "árvíztűrő-X": "y"},
        ),
        ("=x", {"": "x"}),
        ("A\tB=1", {"A\tB": "1"}),  # only a literal space is rejected inside a key
        ("# c\n\n  # d\nA=1 # e\n#", {"A": "1"}),
        ("A=1\nA=2", {"A": "2"}),
        ("A=", {"A": ""}),
        ("A=''", {"A": ""}),
        ("A=${U:-d} ${FOO:+alt} ${X-y}", {"A": "d alt x"}),
    ],
)
def test_vectors(text: str, expected: dict[str, str]) -> None:
    assert values(text) == expected


def test_duplicates_are_kept_in_order() -> None:
    result = parse("A=1\nB=2\nA=3\n")
    assert [(e.key, e.value) for e in result.entries] == [("A", "1"), ("B", "2"), ("A", "3")]
    assert mapping_of(result) == {"A": "3", "B": "2"}


def test_reference_to_a_later_key_is_unset_and_warns() -> None:  # 54
    result = parse("A=${B}\nB=1")
    assert mapping_of(result) == {"A": "", "B": "1"}
    assert warned(result) == ["B"]


def test_lookup_comes_before_values_of_this_file_and_earlier_files() -> None:
    # types/project.go: project env, then service environment (both in `lookup`), then the
    # accumulated map (earlier env_files, overridden by earlier lines of this file).
    result = parse_dotenv(
        "SHADOW=file\nI_SHADOW=${SHADOW}\nI_SVC=${SVC}\nI_EARLIER=${EARLIER}\nI_PREV=${PREV}\n"
        "PREV=mine\nI_PREV2=${PREV}\nEARLIER=late\n",
        "svc.env",
        {"SVC": "svc", "SHADOW": "svc"}.get,
        earlier={"PREV": "previous-file"},
    )
    got = mapping_of(result)
    assert got["I_SHADOW"] == "svc"  # 66
    assert got["I_SVC"] == "svc"
    assert got["I_EARLIER"] == ""
    assert got["I_PREV"] == "previous-file"
    assert got["I_PREV2"] == "mine"
    assert warned(result) == ["EARLIER"]
    assert "PREV" not in [e.key for e in result.entries[:4]]


def test_bare_key_consults_lookup_only() -> None:
    result = parse_dotenv("A=1\nA\nB\n", ".env", {"B": "b"}.get, earlier={"C": "c"})
    assert [(e.key, e.value, e.bare) for e in result.entries] == [
        ("A", "1", False),
        ("B", "b", True),
    ]
    # the lookup lacked A: Compose takes it from the environment it runs in, or leaves it out
    assert result.inherited == (InheritedKey("A", Location(".env", 2, 1, 2, 2)),)


def test_bare_keys_left_to_the_invoking_environment_are_recorded() -> None:
    result = parse_dotenv("export  TOKEN\nFOO\nLAST", ".env", SHELL.get)
    assert result.inherited == (InheritedKey("TOKEN", Location(".env", 1, 9, 1, 14)),)
    # FOO came from the lookup (an entry); `LAST` at EOF with no newline is the empty key
    assert mapping_of(result) == {"FOO": "shell", "": "LAST"}


def test_required_variable_stops_the_file_as_a_ref_not_a_problem() -> None:
    # Compose stops reading at the failing `:?`; ENV102 reports it from the ref, so there is
    # no ENV105 problem for the same line.
    result = parse("A=${X:?need}\nB=${U:?need}\nC=after")
    assert result.problems == ()
    assert [e.key for e in result.entries] == ["A"]
    failing = [r for r in result.refs if r.name == "U"]
    assert failing and failing[0].operator == ":?" and not failing[0].is_set
    assert failing[0].location.line == 2


@pytest.mark.parametrize(
    ("text", "line", "column", "message"),
    [
        ("A B=1", 1, 1, "line 1: key cannot contain a space"),  # 60
        ("OK=1\nA$B=1", 2, 2, 'line 2: unexpected character "$" in variable name'),
        ("'A'=1", 1, 1, 'line 1: unexpected character "\'" in variable name'),
        ('A="abc', 1, 3, "line 1: unterminated quoted value"),
        ("A=1\nB='x\ny", 2, 3, "line 2: unterminated quoted value"),
        ("A=${", 1, 3, INVALID),
        ('A="\\t${"', 1, 6, INVALID),
        ("FOO #c", 1, 5, 'line 1: unexpected character "#" in variable name'),
        ("export   ", 1, 10, "line 1: zero length string"),
    ],
)
def test_fatal_errors_stop_the_file(text: str, line: int, column: int, message: str) -> None:
    result = parse(text)
    assert [(p.kind, p.location, p.message) for p in result.problems] == [
        (ProblemKind.INVALID_ENV_FILE, Location("app/.env", line, column), message)
    ]


def test_entries_before_a_fatal_error_are_kept() -> None:
    result = parse("A=1\nB=2\nC D=3\nE=4\n")
    assert mapping_of(result) == {"A": "1", "B": "2"}
    assert len(result.problems) == 1


def test_messages_never_contain_values() -> None:
    secret = "s3cr3tvalue"
    for text in (
        f'A="{secret}',
        f"A={secret}${{",
        f"A$={secret}",
    ):
        result = parse(text)
        assert result.problems
        assert all(secret not in p.message for p in result.problems)


def test_key_and_value_locations() -> None:
    text = '# c\n  export KEY = value # tail\nQ="a\nb"\nBARE\nE=\n'
    result = parse_dotenv(text, "x.env", {"BARE": "b"}.get)
    key, quoted, bare, empty = result.entries
    assert key.key_location == Location("x.env", 2, 10, 2, 13)
    assert key.value_location == Location("x.env", 2, 16, 2, 21)
    assert quoted.value == "a\nb"
    assert quoted.value_location == Location("x.env", 3, 3, 4, 3)
    assert bare.key_location == Location("x.env", 5, 1, 5, 5)
    assert bare.bare
    assert empty.value_location == Location("x.env", 6, 3, 6, 3)


def test_reference_locations_map_through_escapes() -> None:
    text = 'A="\\t${FOO}\\n$X"\nB=pre ${U:-d}'
    result = parse_dotenv(text, "x.env", SHELL.get)
    assert [(r.name, r.operator, r.location, r.context) for r in result.refs] == [
        ("FOO", "", Location("x.env", 1, 6, 1, 12), "env_file"),
        ("X", "", Location("x.env", 1, 14, 1, 16), "env_file"),
        ("U", ":-", Location("x.env", 2, 7, 2, 14), "env_file"),
    ]
    assert mapping_of(result) == {"A": "\tshell\nx", "B": "pre d"}


def test_escaped_dollar_in_double_quotes_is_not_a_reference() -> None:
    result = parse('A="\\${FOO}"')
    assert mapping_of(result) == {"A": "${FOO}"}
    assert result.refs == ()


def test_lazy_and_eager_nesting() -> None:
    assert warned(parse("A=${FOO:-${U2}}")) == []
    eager = parse_dotenv("A=${FOO:-${U2}}", ".env", SHELL.get, nesting="eager")
    assert warned(eager) == ["U2"]


# --- format: raw (docker/cli kvfile) ---------------------------------------------------------


def raw(text: str, env: dict[str, str] | None = None) -> DotenvResult:
    return parse_raw_env_file(text, "raw.env", (SHELL if env is None else env).get)


def test_raw_vector_68() -> None:
    text = 'Q="quoted"  \nD=$HOME ${X}\nC=a # x\n  LEAD=1\nBARE\nMISSING\n# comment\n\n'
    result = raw(text, {"BARE": "b"})
    assert result.problems == ()
    assert mapping_of(result) == {
        "Q": '"quoted"  ',
        "D": "$HOME ${X}",
        "C": "a # x",
        "LEAD": "1",
        "BARE": "b",
    }
    assert all(e.raw for e in result.entries)
    assert result.refs == ()
    assert result.entries[3].key_location == Location("raw.env", 4, 3, 4, 7)
    assert result.inherited == (InheritedKey("MISSING", Location("raw.env", 6, 1, 6, 8)),)


def test_raw_crlf_and_values_with_equals() -> None:
    assert mapping_of(raw("A=1\r\nB=x=y\r\nC='q'\n")) == {"A": "1", "B": "x=y", "C": "'q'"}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("A=1\n=x", 2, "line 2: no variable name"),
        # the name is not repeated: text before `=` may be a pasted secret
        ("A B=1", 1, "line 1: variable name contains whitespaces"),
        ("A\tB", 1, "line 1: variable name contains whitespaces"),
    ],
)
def test_raw_errors(text: str, line: int, message: str) -> None:
    result = raw(text)
    assert [(p.kind, p.location.line, p.message) for p in result.problems] == [
        (ProblemKind.INVALID_ENV_FILE, line, message)
    ]


def test_raw_line_too_long() -> None:
    result = raw("A=1\nB=" + "x" * 70000 + "\n")
    assert mapping_of(result) == {"A": "1"}
    assert result.problems[0].location.line == 2


# --- decoding ---------------------------------------------------------------------------------


def test_decode_strips_one_bom_and_keeps_line_endings() -> None:
    assert decode_env_file(b"\xef\xbb\xbfA=1\r\nB=2", ".env") == ("A=1\r\nB=2", None)
    text, problem = decode_env_file("\ufeff\ufeffA=1".encode(), ".env")
    assert problem is None
    assert text == "\ufeffA=1"


@pytest.mark.parametrize(
    ("data", "line"),
    [(b"A=1\nB=\xff\xfe\n", 2), (b"A=1\n\nC=\x00\n", 3)],
)
def test_decode_rejects_binary_and_bad_utf8(data: bytes, line: int) -> None:
    text, problem = decode_env_file(data, "bin.env")
    assert text is None
    assert problem is not None
    assert problem.kind is ProblemKind.PARSE_ERROR
    assert problem.location == Location("bin.env", line, 1)
