"""Every rule has a page, every page a rule; front matter equals the Python metadata; the runnable
cases on each page (fenced blocks with ``file=``) produce exactly the annotated findings."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from envlint._ruledocs import split_front_matter
from envlint.config import Settings, load_settings
from envlint.engine import lint
from envlint.rules import RULES

PAGES = Path(__file__).resolve().parent.parent / "rules"
SECTIONS = ["What it does", "Why it matters", "Example", "How to fix", "Options", "References"]
_FENCE = re.compile(r"^```(\w*)\s+file=(\S+)\s*$")
_ANNOTATION = re.compile(r"^\s*(?:#|//)\s*(expect|ok):\s*([A-Z0-9, ]+?)\s*$")


@dataclass(frozen=True)
class Case:
    page: str
    code: str
    title: str
    files: dict[str, str]
    # a ```console block of the case: the command shown and the output lines shown for it
    console: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.code}:{self.title}"


def _pages() -> list[Path]:
    return sorted(p for p in PAGES.glob("ENV*.md"))


def _cases(page: Path) -> list[Case]:
    meta, body = split_front_matter(page.read_text(encoding="utf-8"))
    cases: list[Case] = []
    title = "(top)"
    files: dict[str, str] = {}
    fence_file: str | None = None
    fence_lines: list[str] = []
    in_other_fence = False
    console: list[str] = []
    in_console = False

    def flush() -> None:
        if files:
            cases.append(Case(page.name, meta.get("code", "?"), title, dict(files), tuple(console)))
            files.clear()
        console.clear()

    for line in body.splitlines():
        if fence_file is not None:
            if line.startswith("```"):
                files[fence_file] = "\n".join(fence_lines) + "\n"
                fence_file, fence_lines = None, []
            else:
                fence_lines.append(line)
            continue
        if in_other_fence:
            in_other_fence = not line.startswith("```")
            if in_console and in_other_fence:
                console.append(line)
            in_console = in_console and in_other_fence
            continue
        match = _FENCE.match(line)
        if match:
            fence_file = match.group(2)
            continue
        if line.startswith("```"):
            in_other_fence = True
            in_console = line.strip() == "```console"
            continue
        if line.startswith(("## ", "### ")):
            flush()
            title = line.lstrip("#").strip()
    flush()
    return cases


def _all_cases() -> list[Case]:
    return [case for page in _pages() for case in _cases(page)]


def _expected(case: Case) -> tuple[set[tuple[str, str, int]], set[tuple[str, str, int]]]:
    expect: set[tuple[str, str, int]] = set()
    ok: set[tuple[str, str, int]] = set()
    for path, text in case.files.items():
        for number, line in enumerate(text.splitlines(), start=1):
            match = _ANNOTATION.match(line)
            if not match:
                continue
            for code in (c.strip() for c in match.group(2).split(",") if c.strip()):
                (expect if match.group(1) == "expect" else ok).add((code, path, number + 1))
    return expect, ok


def test_every_rule_has_a_page_and_every_page_a_rule() -> None:
    page_names = {p.name for p in _pages()}
    rule_pages = {r.page for r in RULES}
    assert rule_pages - page_names == set(), "rules without a page"
    assert page_names - rule_pages == set(), "pages without a rule"
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    assert codes == sorted(codes), "RULES is kept sorted by code"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_front_matter_matches_rule(rule: object) -> None:
    from envlint.rules import Rule

    assert isinstance(rule, Rule)
    meta, body = split_front_matter((PAGES / rule.page).read_text(encoding="utf-8"))
    assert meta.get("code") == rule.code
    assert meta.get("name") == rule.name
    assert meta.get("severity") == rule.severity.value
    assert meta.get("summary") == rule.summary
    assert body.lstrip().startswith(f"# {rule.code} {rule.name}")
    headings = [h[3:].strip() for h in body.splitlines() if h.startswith("## ")]
    fixed = [h for h in headings if h in SECTIONS]
    assert fixed == SECTIONS, f"{rule.page}: sections must be {SECTIONS} in this order"


@pytest.mark.parametrize("case", _all_cases(), ids=lambda c: c.id)
def test_page_case(case: Case, tmp_path: Path) -> None:
    root = tmp_path / "case"
    for rel, text in case.files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    expect, ok = _expected(case)
    assert expect or ok, f"{case.id}: a case needs at least one expect/ok annotation"
    codes = {c for c, _, _ in expect | ok}
    config = root / "envlint.toml"
    base = load_settings(config) if config.is_file() else Settings()
    # every rule runs, as by default (so facts such as parsed source exist as a user sees them);
    # only the annotated codes are compared
    settings = base.with_cli(select=("ALL",), cache=False)
    report = lint([root], settings)
    actual = {
        (f.code, f.location.path, f.location.line) for f in report.findings if f.code in codes
    }
    assert actual & ok == set(), f"{case.id}: findings on lines marked ok"
    assert actual == expect, f"{case.id}: findings differ from the annotations"


@pytest.mark.parametrize(
    "case", [c for c in _all_cases() if c.console], ids=lambda c: c.id
)
def test_page_console_is_the_real_output(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A case that shows envlint's output (```console, ``$ envlint check ...``) shows exactly
    what that command prints for the case's files (the summary line aside)."""
    import shlex

    from click.testing import CliRunner

    from envlint.cli import cli

    root = tmp_path / "case"
    for rel, text in case.files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    command, *shown = case.console
    assert command.startswith("$ envlint check"), f"{case.id}: {command}"
    monkeypatch.chdir(root)
    args = [*shlex.split(command[len("$ envlint ") :]), "--isolated", "--no-cache"]
    result = CliRunner().invoke(cli, args)
    printed = [line for line in result.output.splitlines() if not line.startswith("Found ")]
    assert printed == shown


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_options_section_documents_the_rules_options(rule: object) -> None:
    """A rule's options dataclass and its page's Options section name the same config keys."""
    from envlint._ruledocs import section
    from envlint.rules import Rule

    assert isinstance(rule, Rule)
    text = section((PAGES / rule.page).read_text(encoding="utf-8"), "Options")
    documented = set(re.findall(r"`([a-z][a-z-]*)`", text))
    keys = set(rule.options.KEYS.values()) if rule.options is not None else set()
    if rule.options is None:
        assert text.strip().startswith("None"), f"{rule.page}: Options should say None"
    else:
        assert keys <= documented, f"{rule.page}: Options must document {sorted(keys)}"
        fields = {f.name for f in dataclasses.fields(rule.options)}  # type: ignore[arg-type]
        assert fields == set(rule.options.KEYS), "every option field has a config key"
