from __future__ import annotations

import subprocess
import sys

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
