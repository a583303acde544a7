"""Inline suppressions: comment discovery per file type, directive parsing, apply() and ENV902."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from envlint import suppressions
from envlint.config import Settings
from envlint.engine import make_finding
from envlint.findings import Finding, Severity
from envlint.model import Location
from envlint.rules import RULES, Rule
from envlint.suppressions import Kind, SuppressionResult, comments, directives

ALL = tuple(RULES)


def apply(
    findings: list[Finding], root: Path, settings: Settings, rules: tuple[Rule, ...], **kw: object
) -> SuppressionResult:
    """``suppressions.apply`` as the engine calls it (every known rule, its finding maker)."""
    return suppressions.apply(
        findings,
        root,
        settings,
        rules,
        catalog=RULES,
        make_finding=lambda rule, violation: make_finding(rule, violation, settings),
        **kw,  # type: ignore[arg-type]
    )

WITHOUT_902 = tuple(r for r in RULES if r.code != "ENV902")


def finding(code: str, path: str, line: int, column: int = 1) -> Finding:
    rule = next(r for r in RULES if r.code == code)
    return Finding(
        code=code,
        name=rule.name,
        severity=rule.severity,
        message=f"{code} here",
        location=Location(path, line, column),
        service=None,
        variable=None,
        related=(),
        url="",
        fingerprint=f"{code}-{path}-{line}",
    )


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def comment_lines(text: str, kind: Kind) -> list[tuple[int, int, str]]:
    return comments(textwrap.dedent(text).lstrip("\n"), kind)


# --- comment discovery ---------------------------------------------------------------------


def test_yaml_comments_skip_quoted_block_and_plain_scalars() -> None:
    found = comment_lines(
        """
        # top
        a: "x # not"
        b: 'it''s # not'
        c: plain#not
        d: |
          echo # not
        e: 1 # yes
        f: [x, # flow
          y]
        g: "multi
          line # not"
        """,
        "yaml",
    )
    assert found == [(1, 2, " top"), (7, 7, " yes"), (8, 9, " flow")]


def test_yaml_comments_after_a_scanner_error_fall_back_to_a_quote_aware_line_scan() -> None:
    found = comment_lines(
        """
        a: 1 # before
        b: [unclosed
        c: "x # not" # after
        """,
        "yaml",
    )
    assert (1, 7, " before") in found
    assert (3, 15, " after") in found
    assert all(" not" not in body for _, _, body in found)


def test_env_comments_follow_compose_dotenv_rules() -> None:
    found = comment_lines(
        """
        # whole line
          # indented
        A=1 # trailing
        B=a#b
        C="x # not" # after quote
        D='y # not'
        E="first
        second # not
        third" # end
        F=#value
        """,
        "env",
    )
    assert found == [
        (1, 2, " whole line"),
        (2, 4, " indented"),
        (3, 6, " trailing"),
        (5, 14, " after quote"),
        (9, 9, " end"),
    ]


def test_python_comments_come_from_the_tokenizer() -> None:
    found = comment_lines(
        '''
        x = "a # not"  # yes
        y = """
        # not either
        """
        ''',
        "python",
    )
    assert found == [(1, 17, " yes")]


def test_python_comments_survive_a_tokenize_error() -> None:
    found = comment_lines("x = 1  # ok\ny = (\n", "python")
    assert found == [(1, 9, " ok")]


def test_clike_comments_skip_every_string_form() -> None:
    text = "\n".join(
        [
            's := "a // not" // yes',
            "c := '\"' // char",
            "t := `raw // not",
            "still raw` /* block",
            "two */",
            'v = @"verbatim "" // not" // cs',
            'r = """raw // not""" // raw',
            'e = "esc \\" // not" // esc',
        ]
    )
    found = comments(text, "clike")
    bodies = [body.strip() for _, _, body in found]
    assert bodies == ["yes", "char", "block", "two", "cs", "raw", "esc"]
    assert found[0] == (1, 19, " yes")
    assert found[3] == (5, 1, "two ")


def test_go_raw_strings_have_no_escapes_but_js_templates_do() -> None:
    go = comments("a := `x\\` // yes\n", "go")
    js = comments("a = `x\\` // not`\n// yes\n", "clike")
    assert [b for _, _, b in go] == [" yes"]
    assert [b for _, _, b in js] == [" yes"]


def test_shell_comments_start_words_outside_quotes() -> None:
    found = comment_lines(
        """
        echo "a # not" # yes
        echo a#b
        echo 'x
        # not' ; # end
        """,
        "shell",
    )
    assert found == [(1, 17, " yes"), (4, 11, " end")]


def test_dockerfile_and_properties_have_whole_line_comments_only() -> None:
    found = comment_lines(
        """
        # syntax
        RUN echo hi # not a Dockerfile comment
          ! props
        """,
        "linehash",
    )
    assert found == [(1, 2, " syntax"), (3, 4, " props")]


# --- directives ----------------------------------------------------------------------------


def test_directive_codes_names_reason_and_columns() -> None:
    text = "A=1 # envlint: disable=ENV106, unused-variable -- legacy script\n"
    (d,) = directives(".env", text, "env")
    assert d.codes == ("ENV106", "unused-variable")
    assert d.reason == "legacy script"
    assert (d.line, d.column, d.end_column) == (1, 7, 64)
    assert not d.file_wide


def test_directive_forms() -> None:
    text = (
        "// envlint: disable-file=ENV103\n"
        "/* envlint: disable=ENV202 */ x()\n"
        "// envlint: disable\n"
        "// envlint: disabled=ENV1\n"
        "// envlint: disable=ENV203 trailing words\n"
    )
    found = directives("main.go", text, "go")
    assert [(d.line, d.file_wide, d.codes, d.reason) for d in found] == [
        (1, True, ("ENV103",), ""),
        (2, False, ("ENV202",), ""),
        (3, False, (), ""),
        (5, False, ("ENV203",), ""),
    ]


# --- apply ---------------------------------------------------------------------------------


def test_comment_on_the_line_or_the_line_above_suppresses(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            ".env": """
            # envlint: disable=ENV106 -- reviewed
            A=1
            B=2 # envlint: disable=ENV107
            C=3
            D=4
            """
        },
    )
    hits = [
        finding("ENV106", ".env", 2),  # line below the comment: suppressed
        finding("ENV107", ".env", 3),  # same line: suppressed
        finding("ENV107", ".env", 4),  # line below a trailing comment: suppressed too
        finding("ENV107", ".env", 5),  # two lines below: kept
        finding("ENV101", ".env", 2),  # other code: kept
    ]
    result = apply(hits, root, Settings(), WITHOUT_902)
    assert [(f.code, f.location.line) for f in result.kept] == [("ENV107", 5), ("ENV101", 2)]
    assert result.suppressed == 3


def test_disable_file_and_names(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {"compose.yaml": "# envlint: disable-file=undefined-variable\nservices: {}\n"},
    )
    hits = [finding("ENV101", "compose.yaml", 2), finding("ENV102", "compose.yaml", 2)]
    result = apply(hits, root, Settings(), WITHOUT_902)
    assert [f.code for f in result.kept] == ["ENV102"]
    assert result.suppressed == 1


def test_disable_suppressions_keeps_everything(tmp_path: Path) -> None:
    root = write(tmp_path, {".env": "A=1 # envlint: disable=ENV107 and=junk\n"})
    hits = [finding("ENV107", ".env", 1)]
    result = apply(hits, root, Settings(disable_suppressions=True), ALL)
    assert result.kept == tuple(hits)
    assert result.suppressed == 0


def test_quoted_directive_does_not_suppress(tmp_path: Path) -> None:
    root = write(tmp_path, {".env": 'A="x # envlint: disable=ENV107"\n'})
    hits = [finding("ENV107", ".env", 1)]
    assert apply(hits, root, Settings(), ALL).kept == tuple(hits)


def test_unknown_file_types_with_findings_are_read_as_env_files(tmp_path: Path) -> None:
    root = write(tmp_path, {"config/app.conf": "A=1 # envlint: disable=ENV107\n"})
    hits = [finding("ENV107", "config/app.conf", 1)]
    assert apply(hits, root, Settings(), ALL).kept == ()


def unused(result_kept: tuple[Finding, ...]) -> list[tuple[str, int, str]]:
    return [
        (f.location.path, f.location.line, f.message) for f in result_kept if f.code == "ENV902"
    ]


def test_env902_reports_each_unused_code(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            ".env": """
            A=1 # envlint: disable=ENV106,ENV107,ENV999
            # envlint: disable
            B=2
            """
        },
    )
    result = apply([finding("ENV106", ".env", 1)], root, Settings(), ALL)
    assert result.suppressed == 1
    assert unused(result.kept) == [
        (".env", 1, "suppression of ENV107 (unused-variable) matched no finding on this line "
         "or the next"),
        (".env", 1, "suppression names unknown rule 'ENV999'"),
        (".env", 2, "suppression names no rule (write `envlint: disable=CODE -- reason`)"),
    ]  # fmt: skip
    env902 = next(f for f in result.kept if f.code == "ENV902")
    assert env902.severity is Severity.INFO
    assert env902.url.endswith("rules/ENV902-unused-suppression.md")
    assert (env902.location.column, env902.location.end_column) == (7, 44)  # end is exclusive


def test_env902_only_when_selected_and_rule_not_selected_message(tmp_path: Path) -> None:
    root = write(tmp_path, {".env": "A=1 # envlint: disable=ENV107\n"})
    hits = [finding("ENV106", ".env", 1)]
    assert unused(apply(hits, root, Settings(), WITHOUT_902).kept) == []
    only = tuple(r for r in RULES if r.code in ("ENV106", "ENV902"))
    assert unused(apply(hits, root, Settings(), only).kept) == [
        (".env", 1, "suppression of ENV107 (unused-variable) has no effect: rule not selected")
    ]


def test_env902_sees_files_without_findings_only_with_the_file_list(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "src/main.go": 'package main // envlint: disable-file=ENV103\nvar s = "envlint:"\n',
            "src/data.bin": "// envlint: disable=ENV103\n",  # not a file type with comments
        },
    )
    assert apply([], root, Settings(), ALL).kept == ()
    files = ["src/data.bin", "src/main.go"]
    result = apply([], root, Settings(), ALL, files=files)
    assert unused(result.kept) == [
        (
            "src/main.go",
            1,
            "suppression of ENV103 (undefined-passthrough) matched no finding in this file",
        )
    ]


def test_env902_can_itself_be_suppressed_and_follows_severity_overrides(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            ".env": "A=1 # envlint: disable=ENV107,ENV902\nB=2 # envlint: disable=ENV107\n",
        },
    )
    settings = Settings(severity={"ENV902": Severity.WARNING})
    result = apply([], root, settings, ALL, files=[".env"])
    assert [(f.code, f.location.line, f.severity) for f in result.kept] == []
    assert result.suppressed == 2  # line 1's own ENV902 and line 2's (covered as "next line")


def test_env902_fingerprint_is_stable_across_line_moves(tmp_path: Path) -> None:
    first = write(tmp_path / "a", {".env": "A=1 # envlint: disable=ENV107\n"})
    second = tmp_path / "b"
    second.mkdir()
    (second / ".env").write_text("B=0\n\nA=1 # envlint: disable=ENV107\n", encoding="utf-8")
    one = apply([], first, Settings(), ALL, files=[".env"]).kept
    two = apply([], second, Settings(), ALL, files=[".env"]).kept
    assert [f.fingerprint for f in one] == [f.fingerprint for f in two]
    assert [f.location.line for f in two] == [3]


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("Dockerfile", "# envlint: disable=ENV103\nENV A=1\n"),
        ("app/settings.py", "# envlint: disable=ENV103\nA = 1\n"),
        ("run.sh", "# envlint: disable=ENV103\nexport A=1\n"),
        ("kafka/server.properties", "# envlint: disable=ENV103\nlog.retention.hours=1\n"),
        ("src/App.cs", "/* envlint: disable=ENV103 */\nvar a = 1;\n"),
        ("web/index.ts", "// envlint: disable=ENV103\nconst a = 1;\n"),
        ("deploy/prod.env", "# envlint: disable=ENV103\nA=1\n"),
    ],
)
def test_every_commented_file_type_suppresses(tmp_path: Path, path: str, text: str) -> None:
    root = write(tmp_path, {path: text})
    result = apply([finding("ENV103", path, 2)], root, Settings(), ALL, files=[path])
    assert result.kept == ()
    assert result.suppressed == 1


def test_unreadable_or_huge_files_are_skipped(tmp_path: Path) -> None:
    root = write(tmp_path, {".env": "A=1 # envlint: disable=ENV107\n"})
    hits = [finding("ENV107", ".env", 1), finding("ENV107", "missing.env", 1)]
    result = apply(hits, root, Settings(max_file_bytes=5), ALL)
    assert [f.location.path for f in result.kept] == [".env", "missing.env"]


def test_source_files_read_by_the_source_pass_are_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The source pass records which files mention `envlint:`; the suppression scan reads only
    those (and files with findings), and still reports an unused directive in one of them."""
    from envlint import suppressions as module
    from envlint.config import Settings
    from envlint.engine import lint

    root = tmp_path / "p"
    for rel, text in {
        "compose.yaml": "services:\n  api:\n    build: ./api\n",
        "api/Dockerfile": "FROM golang\n",
        "api/main.go": (
            'package main\n\nimport "os"\n\nfunc main() {\n'
            '\t// envlint: disable=ENV201 -- nothing here to suppress\n'
            '\t_ = os.Getenv("OPTIONAL")\n}\n'
        ),
        "api/clean.go": 'package main\n\nimport "os"\n\nvar x = os.Getenv("ALSO_OPTIONAL")\n',
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    read: list[str] = []
    original = module._read

    def spy(base: Path, path: str, limit: int) -> str | None:
        read.append(path)
        return original(base, path, limit)

    monkeypatch.setattr(module, "_read", spy)
    report = lint([root], Settings(select=("ENV201", "ENV902"), cache=False))
    assert [(f.code, f.location.path, f.location.line) for f in report.findings] == [
        ("ENV902", "api/main.go", 6)
    ]
    assert "api/clean.go" not in read
    assert "api/main.go" in read
