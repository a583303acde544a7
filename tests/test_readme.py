"""README is true line by line: the rule table is generated from the registry (regenerate with
``python tests/test_readme.py --write``), every ``envlint`` command and option it shows exists
and parses, every install line installs this project, and the CI snippets use real inputs,
hook ids and references."""

from __future__ import annotations

import re
import shlex
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from ruamel.yaml import YAML

from envlint.cli import cli
from envlint.rules import RULES

CHECKOUT = Path(__file__).resolve().parent.parent
README = CHECKOUT / "README.md"
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
    # the two commands a newcomer copies are the only shell blocks that install anything
    setup = [
        line.strip()
        for lang, body in _FENCE.findall(text)
        if lang in ("sh", "bash", "shell")
        for line in body.splitlines()
        if "pip install" in line
    ]
    assert setup == [
        "pip install -e . && envlint check examples/incident",
        "pip install -e '.[test]' && pytest",
    ]


# --- snippets ---------------------------------------------------------------------------------

_FENCE = re.compile(r"^```(\w*)[^\n]*\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
_SPAN = re.compile(r"`([^`\n]+)`")
DISTRIBUTION = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
    "name"
]


def _text() -> str:
    return README.read_text(encoding="utf-8")


def _blocks(*languages: str) -> list[str]:
    return [body for lang, body in _FENCE.findall(_text()) if lang in languages]


def _prose() -> str:
    return _FENCE.sub("", _text())


def _commands(line: str) -> Iterator[list[str]]:
    """The simple commands of a shell line (``a && b | c; d``), comments dropped."""
    lexer = shlex.shlex(line.removeprefix("$ "), posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    lexer.commenters = "#"
    command: list[str] = []
    for token in lexer:
        if token in ("&&", "||", "|", ";", "&"):
            if command:
                yield command
            command = []
        else:
            command.append(token)
    if command:
        yield command


def _yaml_strings(node: Any, key: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _yaml_strings(v, str(k))
    elif isinstance(node, list):
        for item in node:
            yield from _yaml_strings(item, key)
    elif isinstance(node, str):
        yield key, node


def _yaml_blocks() -> list[tuple[str, Any]]:
    return [(body, YAML(typ="safe").load(body)) for body in _blocks("yaml")]


def shell_lines() -> list[str]:
    """Every command line README shows: sh/console blocks, CI ``script:``/``run:`` entries and
    inline code spans that start with ``envlint`` or ``pip``."""
    lines = [line for body in _blocks("sh", "console") for line in body.splitlines()]
    for _, data in _yaml_blocks():
        lines += [v for k, v in _yaml_strings(data) if k in ("script", "run")]
    lines += [span for span in _SPAN.findall(_prose()) if span.startswith(("envlint ", "pip "))]
    return [line.strip() for line in lines if line.strip()]


def envlint_commands() -> list[list[str]]:
    """Every ``envlint ...`` invocation, with the arguments the action and the hook add (their
    commented ``args:`` examples included)."""
    found = [c for line in shell_lines() for c in _commands(line) if c[0] == "envlint"]
    for body, _ in _yaml_blocks():
        for match in re.finditer(r"^\s*#?\s*args:\s*(.+)$", body, re.MULTILINE):
            value = match.group(1).split("  #")[0].strip()
            if value.startswith("["):  # pre-commit: a YAML list
                words = [str(w) for w in YAML(typ="safe").load(value)]
            else:  # the action: a shell-like string
                words = shlex.split(value)
            found.append(["envlint", "check", *words])
    return found


def _parse(args: list[str]) -> None:
    """Parse like the console script, without running anything."""
    name, *rest = args
    with cli.make_context("envlint", [], resilient_parsing=True) as ctx:
        command = cli.get_command(ctx, name)
        assert command is not None, f"no subcommand {name!r}"
        command.make_context(name, rest, parent=ctx).close()


def test_readme_envlint_commands_parse() -> None:
    commands = envlint_commands()
    assert len(commands) >= 10  # the snippets were found at all
    for args in commands:
        if args[1:] == ["--version"]:
            continue
        try:
            _parse(args[1:])
        except click.ClickException as exc:
            pytest.fail(f"README: `{shlex.join(args)}`: {exc.format_message()}")


def test_readme_usage_block_names_real_subcommands() -> None:
    (usage,) = [b for b in _blocks("") if "envlint check [PATH ...]" in b]
    names = {line.split()[1] for line in usage.splitlines() if line.startswith("envlint ")}
    assert names == {"check", "fix", "diff", "rules", "explain", "trace", "--version"}
    assert names - {"--version"} <= set(cli.commands)


def _all_options() -> set[str]:
    options = {"--version", "--help", "--no-color"}
    for command in cli.commands.values():
        for param in command.params:
            options.update(o for o in (*param.opts, *param.secondary_opts) if o.startswith("--"))
    return options


def test_readme_mentions_only_real_options() -> None:
    mentioned = {
        option
        for span in _SPAN.findall(_prose())
        if not span.startswith(("docker ", "pre-commit ", "python ", "pytest"))
        for option in re.findall(r"(?<![\w-])--[a-z][a-z0-9-]*", span)
    }
    assert mentioned, "no options found in README"
    assert mentioned <= _all_options(), sorted(mentioned - _all_options())


def test_readme_install_lines_install_this_project() -> None:
    installs = [
        c for line in shell_lines() for c in _commands(line) if c[:2] in (["pip", "install"],)
    ]
    assert len(installs) >= 4
    assert canonicalize_name(DISTRIBUTION) == "envlint-compose"
    for command in installs:
        targets = [w for w in command[2:] if not w.startswith("-")]
        assert targets, command
        for target in targets:
            if target.startswith("."):  # a checkout: this project, whatever its name
                assert (CHECKOUT / target.split("[")[0]).resolve() == CHECKOUT, target
                continue
            requirement = Requirement(target)
            assert canonicalize_name(requirement.name) == canonicalize_name(DISTRIBUTION), target
            # not on PyPI yet: only a direct reference to the repository installs it
            assert requirement.url and requirement.url.startswith("git+https://"), target
    assert not re.search(r"pip install ['\"]?envlint(?!-compose)", _text())


def _no_invented_ref(ref: str) -> None:
    """A branch this repository has, or a full commit SHA: never a release tag that does not
    exist (there is none yet)."""
    assert ref == "main" or re.fullmatch(r"[0-9a-f]{40}", ref), ref


def test_readme_pre_commit_snippet() -> None:
    hooks = YAML(typ="safe").load((CHECKOUT / ".pre-commit-hooks.yaml").read_text())
    configs = [data for _, data in _yaml_blocks() if isinstance(data, dict) and "repos" in data]
    assert len(configs) == 1
    (repo,) = configs[0]["repos"]
    _no_invented_ref(str(repo["rev"]))
    assert {h["id"] for h in repo["hooks"]} <= {h["id"] for h in hooks}


def test_readme_action_snippet() -> None:
    action = YAML(typ="safe").load((CHECKOUT / "action.yml").read_text(encoding="utf-8"))
    uses = [
        step
        for _, data in _yaml_blocks()
        if isinstance(data, dict)
        for job in data.get("jobs", {}).values()
        for step in job["steps"]
        if str(step.get("uses", "")).startswith("envlint/")
    ]
    assert len(uses) == 1
    name, _, ref = uses[0]["uses"].partition("@")
    assert name == "envlint/envlint"
    _no_invented_ref(ref)
    assert set(uses[0]["with"]) <= set(action["inputs"])
    documented = re.search(r"^Inputs: (.*?)Output", _text(), re.DOTALL | re.MULTILINE)
    assert documented is not None
    named = set(re.findall(r"`([a-z-]+)` \(", documented.group(1)))
    assert named == set(action["inputs"])


def test_readme_formats_are_the_registered_ones() -> None:
    from envlint.reporters import FORMATS

    table = re.search(r"\| format \| for \|\n\|---\|---\|\n(.*?)\n\n", _text(), re.DOTALL)
    assert table is not None
    listed = re.findall(r"^\| `(\w+)` \|", table.group(1), re.MULTILINE)
    assert listed == list(FORMATS)


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    text = README.read_text(encoding="utf-8")
    new = re.sub(
        re.escape(START) + r"\n.*?" + re.escape(END),
        lambda _: f"{START}\n{rule_table()}\n{END}",
        text,
        flags=re.DOTALL,
    )
    README.write_text(new, encoding="utf-8")
