"""The directory-model look-ups stay linear in the number of services (no pairwise scans)."""

from __future__ import annotations

import pytest

from envlint.servicecode.assemble import _shared_directories
from envlint.servicecode.model import CodeMap, ServiceProgram


def _program(service: str, directory: str | None, known: bool = False) -> ServiceProgram:
    return ServiceProgram("p", service, None, frozenset() if known else None, directory)


FILES = tuple(
    sorted(
        [
            "api/main.go",
            "api/internal/db.go",
            "api/examples/demo.go",  # a folder builds never ship
            "api-gateway/main.go",  # shares the name's first characters, not the directory
            "api2/x.py",
            "apib.go",
            "web/index.js",
        ]
    )
)


@pytest.mark.parametrize(
    ("directory", "expected"),
    [
        ("api", ["api/internal/db.go", "api/main.go"]),
        ("/api/", ["api/internal/db.go", "api/main.go"]),
        ("web", ["web/index.js"]),
        ("nowhere", []),
        (".", [f for f in FILES if "/examples/" not in f]),
    ],
)
def test_files_below_a_directory(directory: str, expected: list[str]) -> None:
    code = CodeMap((_program("a", directory),))
    assert code.files_below(directory, FILES) == expected


@pytest.mark.parametrize(
    ("programs", "shared"),
    [
        # each its own directory: nothing shared
        ([("a", "svc/a"), ("b", "svc/b"), ("c", "svc/ab")], set()),
        # the same directory, an ancestor and a descendant of another service's
        ([("a", "svc/a"), ("b", "svc/a")], {"svc/a"}),
        ([("a", "svc"), ("b", "svc/b/deep")], {"svc", "svc/b/deep"}),
        # the root holds everything
        ([("a", "."), ("b", "svc/b")], {".", "svc/b"}),
        # one service twice (two stacks' worth of the same key) is not another service
        ([("a", "svc/a"), ("a", "svc/a/x")], set()),
        # a service whose program is known has no fallback directory to share
        ([("a", "svc"), ("b", "svc/b", True)], set()),
    ],
)
def test_shared_fallback_directories(
    programs: list[tuple[str, ...]], shared: set[str]
) -> None:
    code = CodeMap(tuple(_program(p[0], p[1], len(p) > 2) for p in programs))
    assert _shared_directories(code) == shared
