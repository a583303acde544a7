"""The incident example shows every link of the incident's chain, and the post-mortem's fixes
make each link disappear."""

from __future__ import annotations

import shutil
from pathlib import Path

from envlint.config import Settings
from envlint.engine import lint

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "incident"
CONSUMER_VARS = {
    "KAFKA_SESSION_TIMEOUT_MS",
    "KAFKA_HEARTBEAT_INTERVAL_MS",
    "KAFKA_MAX_POLL_INTERVAL_MS",
}


def test_incident_example_shows_the_whole_chain() -> None:
    report = lint([EXAMPLE], Settings(cache=False))
    by_code: dict[str, list[str]] = {}
    for finding in report.findings:
        by_code.setdefault(finding.code, []).append(finding.variable or "")
    assert set(by_code["ENV201"]) == CONSUMER_VARS
    assert set(by_code["ENV202"]) == CONSUMER_VARS
    assert set(by_code["ENV103"]) == CONSUMER_VARS
    env201 = [f for f in report.findings if f.code == "ENV201"]
    assert all("crash loop" in f.message and "rebalance storm" in f.message for f in env201)
    assert all(f.service == "accounting" for f in env201)
    assert all(f.related and f.related[0].location.path == "docker-compose.yml" for f in env201)
    retention = [f for f in report.findings if f.code == "ENV301"]
    assert len(retention) == 1 and retention[0].severity.value == "error"
    assert "4h" in retention[0].message and "12h" in retention[0].message
    assert {"ENV304", "ENV401", "ENV402"} <= set(by_code)
    assert not {"ENV101", "ENV102", "ENV901", "ENV903"} & set(by_code)


def test_the_post_mortem_fixes_clear_the_findings(tmp_path: Path) -> None:
    root = tmp_path / "incident"
    shutil.copytree(EXAMPLE, root)
    with (root / ".env").open("a", encoding="utf-8") as env:
        env.write(
            "KAFKA_SESSION_TIMEOUT_MS=45000\nKAFKA_HEARTBEAT_INTERVAL_MS=3000\n"
            "KAFKA_MAX_POLL_INTERVAL_MS=300000\n"
        )
    compose = root / "docker-compose.yml"
    compose.write_text(
        compose.read_text().replace("KAFKA_LOG_RETENTION_HOURS: 4", "KAFKA_LOG_RETENTION_HOURS: 24")
    )
    report = lint([root], Settings(cache=False))
    codes = {f.code for f in report.findings}
    assert not {"ENV103", "ENV201", "ENV301"} & codes
    # the code still crashes when they go missing again: the tuning-value rule stays
    assert {f.variable for f in report.findings if f.code == "ENV202"} == CONSUMER_VARS
