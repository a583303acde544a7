"""``--format concise``: one line per finding, summary, statistics, quiet."""

from __future__ import annotations

from collections.abc import Callable

from envlint.engine import Report
from envlint.reporters import RenderOptions, get_renderer
from envlint.reporters.concise import render


def test_concise_snapshot(report: Report, snapshot: Callable[[str, str], None]) -> None:
    text = render(report, RenderOptions())
    snapshot("concise.txt", text)
    assert text == render(report, RenderOptions())
    assert get_renderer("concise") is render


def test_concise_statistics_and_quiet(report: Report, snapshot: Callable[[str, str], None]) -> None:
    snapshot(
        "concise-statistics-quiet.txt", render(report, RenderOptions(statistics=True, quiet=True))
    )


def test_concise_summary_counts_suppressed_baselined_and_stale(
    build_report: Callable[..., Report],
) -> None:
    clean = build_report((), suppressed=2, baselined=1, stale_baseline=("a", "b"))
    assert render(clean, RenderOptions()) == (
        "All checks passed (2 suppressed, 1 baselined, 2 stale baseline entries).\n"
    )
    assert render(build_report(()), RenderOptions()) == "All checks passed.\n"
    assert render(build_report(()), RenderOptions(quiet=True)) == ""
