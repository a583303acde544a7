"""The JSON Schemas envlint ships (``envlint/schemas``): valid schemas, packaged, and true to
what envlint writes and reads — real reports validate, README's examples validate, and the
config schema accepts exactly what the config loader accepts on a set of cases."""

from __future__ import annotations

import json
import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner

from envlint import config
from envlint.cli import cli
from envlint.reporters import RenderOptions
from envlint.reporters.json_format import render
from tests.conftest import write_tree

CHECKOUT = Path(__file__).resolve().parent.parent
README = (CHECKOUT / "README.md").read_text(encoding="utf-8")


def _schema(name: str) -> dict[str, Any]:
    text = resources.files("envlint").joinpath("schemas", name).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def _errors(schema: dict[str, Any], document: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def _readme_block(language: str, marker: str) -> str:
    blocks = re.findall(rf"^```{language}\n(.*?)^```$", README, re.DOTALL | re.MULTILINE)
    (block,) = [b for b in blocks if marker in b]
    return block


# --- the report ----------------------------------------------------------------------------


def _check_json(*args: str) -> tuple[int, Any]:
    result = CliRunner().invoke(cli, ["check", "--format", "json", *args])
    return result.exit_code, json.loads(result.output)


@pytest.mark.parametrize("statistics", [False, True])
def test_incident_report_validates(statistics: bool) -> None:
    code, document = _check_json(
        str(CHECKOUT / "examples" / "incident"), *(["--statistics"] if statistics else [])
    )
    assert code == 1
    assert document["findings"] and ("source_statistics" in document) is statistics
    assert _errors(_schema("report.schema.json"), document) == []


def test_clean_and_suppressed_reports_validate(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "p",
        {
            "compose.yaml": """
            services:
              api:
                image: "api:${TAG}"  # envlint: disable=ENV101 -- set by the release job
                environment: [DB_URL]
            """,
            ".env": "DB_URL=postgres://db/app\n",
        },
    )
    code, document = _check_json(str(root))
    assert code == 0 and document["findings"] == [] and document["summary"]["suppressed"] == 1
    assert _errors(_schema("report.schema.json"), document) == []


def test_every_finding_shape_validates() -> None:
    """The reporter's own sample: a run-level ENV903 at ".", related evidence, odd paths."""
    import hashlib
    from dataclasses import replace

    from tests.reporters.conftest import FINDINGS, sample_report

    real = tuple(  # the sample's fingerprints are labels; envlint writes 16 hex digits
        replace(f, fingerprint=hashlib.sha256(f.fingerprint.encode()).hexdigest()[:16])
        for f in FINDINGS
    )
    document = json.loads(render(sample_report(real), RenderOptions(statistics=True)))
    assert _errors(_schema("report.schema.json"), document) == []


def test_schema_rejects_what_envlint_never_writes() -> None:
    _, document = _check_json(str(CHECKOUT / "examples" / "incident"))
    schema = _schema("report.schema.json")
    broken = json.loads(json.dumps(document))
    broken["findings"][0]["severity"] = "fatal"
    del broken["findings"][1]["fingerprint"]
    broken["findings"][2]["line"] = 0
    broken["extra"] = True
    assert len(_errors(schema, broken)) == 4


def test_readme_json_example_validates() -> None:
    example = json.loads(_readme_block("json", '"findings"'))
    assert _errors(_schema("report.schema.json"), example) == []


# --- the config ----------------------------------------------------------------------------


def test_config_schema_covers_every_config_key() -> None:
    assert set(_schema("config.schema.json")["properties"]) == set(config._KEYS)


def test_readme_config_example_validates_and_loads(tmp_path: Path) -> None:
    text = _readme_block("toml", "[tool.envlint]")
    table = tomllib.loads(text)["tool"]["envlint"]
    assert _errors(_schema("config.schema.json"), table) == []
    (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
    settings = config.load_settings(tmp_path / "pyproject.toml")
    assert settings.fail_on == table["fail-on"]


ACCEPTED: list[dict[str, Any]] = [
    {},
    {"select": "ENV1", "ignore": ["ENV107", "unused-variable"], "extend-select": ["ALL"]},
    {"fail-on": "never", "retention-factor": 1.5, "max-consumer-downtime": "90m"},
    {"max-consumer-downtime": 3600},
    {"severity": {"ENV401": "error", "undefined-variable": "info"}},
    {"compose-files": [["compose.yaml", "compose.prod.yaml"]], "env-files": ".env.ci"},
    {"per-file-ignores": {"deploy/**": ["ENV101"]}, "exclude": ["tests/**"]},
    {"services": {"api": {"source": "src/api"}}, "ordering": {"publish": ["outbox\\.add"]}},
    {"cache": False, "jobs": 2, "max-source-bytes": 1000, "baseline": ".envlint-baseline.json"},
    {"profiles": ["default", "app"]},
    {"profiles": "debug"},
]
REJECTED: list[dict[str, Any]] = [
    {"unknown-key": 1},
    {"fail-on": "sometimes"},
    {"retention-factor": 0},
    {"retention-factor": -1},
    {"retention-factor": True},
    {"max-consumer-downtime": "12 hours"},
    {"max-consumer-downtime": 0},
    {"severity": {"ENV101": "fatal"}},
    {"select": [1]},
    {"compose-files": "compose.yaml"},
    {"services": {"api": {"src": "x"}}},
    {"ordering": {"reorder": []}},
    {"jobs": -1},
    {"cache": "yes"},
    {"profiles": [""]},
    {"profiles": ["  "]},
    {"profiles": [3]},
]


@pytest.mark.parametrize("table", ACCEPTED, ids=lambda t: ",".join(t) or "empty")
def test_config_schema_accepts_what_the_loader_accepts(table: dict[str, Any]) -> None:
    assert _errors(_schema("config.schema.json"), table) == []
    config._from_table(table, "", Path("envlint.toml"))


@pytest.mark.parametrize("table", REJECTED, ids=lambda t: json.dumps(t))
def test_config_schema_rejects_what_the_loader_rejects(table: dict[str, Any]) -> None:
    assert _errors(_schema("config.schema.json"), table) != []
    with pytest.raises(config.ConfigError):
        config._from_table(table, "", Path("envlint.toml"))


def test_license_matches_pyproject() -> None:
    project = tomllib.loads((CHECKOUT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    text = (CHECKOUT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n") and "WITHOUT WARRANTY OF ANY KIND" in text


def test_readme_refers_to_nothing_outside_the_repository() -> None:
    assert "SPEC" not in README and "research/" not in README
