from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from envlint import __version__
from envlint.cli import cli
from envlint.rules import RULES


def test_version_fast_path_does_not_import_click() -> None:
    code = (
        "import sys; sys.argv=['envlint','--version'];"
        "from envlint._entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'click' not in sys.modules and 'rich' not in sys.modules, sorted(sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"envlint, version {__version__}"


def test_rules_lists_every_rule() -> None:
    result = CliRunner().invoke(cli, ["rules"])
    assert result.exit_code == 0
    for rule in RULES:
        assert rule.code in result.output and rule.name in result.output


def test_explain_by_code_and_name_prints_the_page() -> None:
    by_code = CliRunner().invoke(cli, ["explain", "ENV101"])
    by_name = CliRunner().invoke(cli, ["explain", "undefined-variable"])
    assert by_code.exit_code == 0 and by_name.exit_code == 0
    assert "## What it does" in by_code.output
    assert by_code.output == by_name.output


def test_explain_unknown_rule_is_usage_error() -> None:
    result = CliRunner().invoke(cli, ["explain", "ENV999"])
    assert result.exit_code == 2


def test_unknown_option_is_usage_error() -> None:
    from envlint.cli import main

    try:
        main(["check", "--no-such-flag"])
    except SystemExit as exc:
        assert exc.code == 2
    else:  # pragma: no cover
        raise AssertionError("expected SystemExit")


def _invoke(*args: str) -> tuple[int, str]:
    """The CLI run from inside the checked directory (paths print relative to the cwd)."""
    root = next((a for a in args[1:] if not a.startswith("-") and os.path.isdir(a)), None)
    here = os.getcwd()
    try:
        if root is not None:
            os.chdir(root)
        result = CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(here)
    return result.exit_code, result.output


def test_baseline_end_to_end_survives_line_moves_and_new_findings_fail(tmp_path: Path) -> None:
    from tests.conftest import write_tree

    root = write_tree(
        tmp_path / "p",
        {
            "compose.yaml": """
            services:
              api:
                image: "api:${TAG}"
            """,
        },
    )
    baseline = tmp_path / "baseline.json"
    code, _ = _invoke("check", str(root), "--write-baseline", str(baseline))
    assert code == 0 and baseline.is_file()
    assert _invoke("check", str(root))[0] == 1  # without the baseline it fails
    # unrelated lines inserted above the finding: the baseline still hides it
    (root / "compose.yaml").write_text(
        "# a comment\nx-meta: {owner: team}\nservices:\n  api:\n    image: \"api:${TAG}\"\n"
    )
    code, out = _invoke("check", str(root), "--baseline", str(baseline), "--format", "json")
    assert code == 0, out
    assert '"baselined": 1' in out
    # a new finding still fails the run
    (root / "compose.yaml").write_text(
        "services:\n  api:\n    image: \"api:${TAG}\"\n    environment:\n      URL: ${API_URL}\n"
    )
    code, out = _invoke("check", str(root), "--baseline", str(baseline), "--format", "concise")
    assert code == 1 and "API_URL" in out and "TAG" not in out.split("Found")[0]


def test_several_formats_at_once(tmp_path: Path) -> None:
    import json

    from tests.conftest import write_tree

    root = write_tree(tmp_path / "p", {"compose.yaml": "services:\n  a:\n    image: \"x:${T}\"\n"})
    out_json = tmp_path / "r.json"
    code, out = _invoke(
        "check", str(root), "--format", "json", "-o", str(out_json), "--format", "concise"
    )
    assert code == 1
    assert json.loads(out_json.read_text())["findings"][0]["code"] == "ENV101"
    assert out.startswith("compose.yaml:3:")


def test_fail_on_and_severity_override(tmp_path: Path) -> None:
    from tests.conftest import write_tree

    root = write_tree(tmp_path / "p", {"compose.yaml": "services:\n  a:\n    image: \"x:${T}\"\n"})
    assert _invoke("check", str(root), "--fail-on", "error")[0] == 0
    assert _invoke("check", str(root), "--fail-on", "error", "--severity", "ENV101=error")[0] == 1
    assert _invoke("check", str(root), "--fail-on", "never", "--severity", "ENV101=error")[0] == 0
    assert _invoke("check", str(root), "--severity", "ENV101=fatal")[0] == 2
    assert _invoke("check", str(root / "missing"))[0] == 2


def test_trace_command_text_and_json(tmp_path: Path) -> None:
    import json

    from tests.conftest import write_tree

    root = write_tree(
        tmp_path / "p",
        {
            "compose.yaml": "services:\n  a:\n    image: x\n    environment: [DB_URL]\n",
            ".env": "DB_URL=postgres://user:pw@db/app\n",
        },
    )
    code, out = _invoke("trace", "DB_URL", str(root))
    assert code == 0 and ".env:1" in out and "a: provided" in out
    assert "postgres" not in out
    code, out = _invoke("trace", "DB_URL", str(root), "--format", "json")
    assert json.loads(out)["variable"] == "DB_URL"
