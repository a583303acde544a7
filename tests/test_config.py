from __future__ import annotations

from pathlib import Path

import pytest

from envlint.config import ConfigError, Settings, find_config, load_settings, parse_duration
from envlint.engine import select_rules
from envlint.findings import Severity


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("12h", 43200), ("90m", 5400), ("2d", 172800), ("3600", 3600), ("1.5h", 5400), ("500ms", 0.5)],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "h", "12x", "-1h", "twelve hours"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_pyproject_table_is_read(tmp_path: Path) -> None:
    config = write(
        tmp_path / "pyproject.toml",
        """
[tool.envlint]
select = ["ENV1"]
ignore = ["ENV107"]
fail-on = "error"
max-consumer-downtime = "6h"
retention-factor = 3
exclude = ["tests/fixtures/**"]
compose-files = [["compose.yaml", "compose.full.yaml"]]

[tool.envlint.severity]
ENV401 = "error"

[tool.envlint.per-file-ignores]
"deploy/legacy/**" = ["ENV101"]

[tool.envlint.services.accounting]
source = "src/accounting"

[tool.envlint.ordering]
destructive = ["(?i)purge\\\\w*"]
""",
    )
    settings = load_settings(config)
    assert settings.select == ("ENV1",)
    assert settings.ignore == ("ENV107",)
    assert settings.fail_on == "error"
    assert settings.max_consumer_downtime == 6 * 3600
    assert settings.retention_factor == 3.0
    assert settings.compose_files == (("compose.yaml", "compose.full.yaml"),)
    assert settings.severity["ENV401"] is Severity.ERROR
    assert settings.per_file_ignores["deploy/legacy/**"] == ("ENV101",)
    assert settings.service_sources["accounting"] == "src/accounting"
    assert settings.destructive == ("(?i)purge\\w*",)


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ('selct = ["ENV1"]', "selct"),
        ('fail-on = "sometimes"', "fail-on"),
        ('max-consumer-downtime = "soon"', "max-consumer-downtime"),
        ("retention-factor = -1", "retention-factor"),
        ('[severity]\nENV101 = "fatal"', "severity"),
        ('[services.api]\nsrc = "x"', "api.src"),
        ('[ordering]\ndestructive = ["(unclosed"]', "ordering"),
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, body: str, key: str) -> None:
    config = write(tmp_path / "envlint.toml", body + "\n")
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_settings(config)


def test_find_config_walks_up_and_skips_foreign_pyproject(tmp_path: Path) -> None:
    write(tmp_path / ".envlint.toml", 'ignore = ["ENV107"]\n')
    write(tmp_path / "a" / "pyproject.toml", "[tool.black]\nline-length = 1\n")
    (tmp_path / "a" / "b").mkdir(parents=True)
    assert find_config(tmp_path / "a" / "b") == tmp_path / ".envlint.toml"


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    config = write(tmp_path / "envlint.toml", "select = [\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_settings(config)


def test_select_and_ignore_by_prefix_name_and_all() -> None:
    chosen = {r.code for r in select_rules(Settings(select=("ENV1",), ignore=("duplicate-key",)))}
    assert "ENV101" in chosen and "ENV106" not in chosen
    assert all(code.startswith("ENV1") for code in chosen)
    everything = {r.code for r in select_rules(Settings())}
    assert {"ENV101", "ENV901"} <= everything


def test_unknown_selector_is_a_usage_error() -> None:
    with pytest.raises(ConfigError, match="ENV999"):
        select_rules(Settings(select=("ENV999",)))
