"""README's rule table is generated from the registry; this test keeps it current.

Regenerate with ``python tests/test_readme.py --write``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from envlint.rules import RULES

README = Path(__file__).resolve().parent.parent / "README.md"
START, END = "<!-- rules:start -->", "<!-- rules:end -->"


def rule_table() -> str:
    lines = ["| code | name | default | fires when |", "|---|---|---|---|"]
    for rule in RULES:
        link = f"[{rule.code}](rules/{rule.page})"
        lines.append(f"| {link} | `{rule.name}` | {rule.severity.value} | {rule.summary} |")
    return "\n".join(lines)


def _block(text: str) -> str:
    match = re.search(re.escape(START) + r"\n(.*?)" + re.escape(END), text, re.DOTALL)
    assert match, "README lacks the generated rule table markers"
    return match.group(1).strip("\n")


def test_readme_rule_table_is_current() -> None:
    assert _block(README.read_text(encoding="utf-8")) == rule_table()


def test_readme_has_exactly_the_two_setup_commands() -> None:
    text = README.read_text(encoding="utf-8")
    assert "pip install -e . && envlint check examples/incident" in text
    assert "pip install -e '.[test]' && pytest" in text


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    text = README.read_text(encoding="utf-8")
    new = re.sub(
        re.escape(START) + r"\n.*?" + re.escape(END),
        lambda _: f"{START}\n{rule_table()}\n{END}",
        text,
        flags=re.DOTALL,
    )
    README.write_text(new, encoding="utf-8")
