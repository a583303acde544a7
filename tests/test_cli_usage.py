"""Options that used to be accepted silently are usage errors (exit 2), with a "did you mean"
where a rule code or name is close."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from envlint.cli import cli, main
from tests.conftest import write_tree

COMPOSE = {"compose.yaml": 'services:\n  a:\n    image: "x:${T}"\n'}


@pytest.fixture
def proj(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = write_tree(tmp_path / "p", COMPOSE)
    monkeypatch.chdir(root)
    return root


def _check(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", *args])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--severity", "ENV999=error"], "unknown rule 'ENV999' (did you mean ENV90"),
        (["--severity", "ENV1O1=error"], "did you mean ENV101?"),
        (["--severity", "undefined-variabel=info"], "did you mean undefined-variable?"),
        (["--severity", "nothing-like-it=info"], "see `envlint rules`"),
        (["--severity", "ENV1=error"], "unknown rule 'ENV1'"),  # prefixes select, not override
        (["--retention-factor", "-1"], "-1 is not a positive number"),
        (["--retention-factor", "0"], "0 is not a positive number"),
        (["--retention-factor", "nan"], "nan is not a positive number"),
        (["--retention-factor", "inf"], "inf is not a positive number"),
        (["--max-consumer-downtime", "0"], "--max-consumer-downtime 0: must be positive"),
        (["--max-consumer-downtime", "0h"], "must be positive"),
        (
            ["--format", "json", "-o", "a.json", "-o", "b.json"],
            "-o b.json: --format json already writes to a.json",
        ),
        (["--format=sarif", "-oa.sarif", "--output=b.sarif"], "did you mean --format FMT -o"),
        (["-o", "a.txt", "-o", "b.txt"], "--format text already writes to a.txt"),
    ],
)
def test_usage_errors(proj: Path, args: list[str], said: str) -> None:
    code, out = _check(*args)
    assert code == 2, out
    assert said in out
    assert not list(proj.glob("*.json")) and not list(proj.glob("*.sarif"))


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--severity", "ENV101=error", "--fail-on", "error"], 1),
        (["--severity", "env101=error", "--fail-on", "error"], 1),  # any case
        (["--severity", "undefined-variable=error", "--fail-on", "error"], 1),  # by name
        (["--severity", "ENV101=info"], 0),
        (["--retention-factor", "0.5", "--max-consumer-downtime", "90m"], 1),
        (["-o", "r.json", "--format", "json"], 1),  # one -o before its one --format
        (["--format", "json", "-o", "r.json", "--format", "sarif", "-o", "r.sarif"], 1),
    ],
)
def test_valid_spellings_still_work(proj: Path, args: list[str], code: int) -> None:
    assert _check(*args)[0] == code


def test_one_output_before_the_format_gets_that_format(proj: Path) -> None:
    assert _check("-o", "r.json", "--format", "json")[0] == 1
    assert json.loads((proj / "r.json").read_text())["findings"][0]["code"] == "ENV101"


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        (
            "pyproject.toml",
            '[tool.envlint.severity]\nENV999 = "error"\n',
            "[tool.envlint.severity]",
        ),
        ("envlint.toml", '[severity]\nENV1O2 = "info"\n', "did you mean ENV102?"),
        ("envlint.toml", '[severity]\nundefined-varible = "info"\n', "did you mean undefined-var"),
        ("envlint.toml", "retention-factor = -1\n", "retention-factor must be a positive number"),
        ("envlint.toml", "retention-factor = nan\n", "retention-factor must be a positive number"),
        ("envlint.toml", 'max-consumer-downtime = "0s"\n', "must be positive"),
    ],
)
def test_config_usage_errors(proj: Path, name: str, text: str, said: str) -> None:
    (proj / name).write_text(text, encoding="utf-8")
    code, out = _check("--format", "concise")
    assert code == 2 and said in out, out
    assert name in out


def test_config_severity_by_name_and_code_applies(proj: Path) -> None:
    (proj / "envlint.toml").write_text(
        '[severity]\nundefined-variable = "error"\n', encoding="utf-8"
    )
    code, out = _check("--format", "concise", "--fail-on", "error")
    assert code == 1 and ": error ENV101 " in out
    (proj / "envlint.toml").write_text('[severity]\nenv101 = "info"\n', encoding="utf-8")
    code, out = _check("--format", "concise")
    assert code == 0 and ": info ENV101 " in out


def test_console_script_exits_2_on_a_second_output(proj: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", "--format", "json", "-o", "a.json", "-o", "b.json"])
    assert exc.value.code == 2
    assert not (proj / "a.json").exists() and not (proj / "b.json").exists()
