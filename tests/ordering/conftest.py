from __future__ import annotations

from collections.abc import Callable

import pytest

from envlint.ordering.extract import parse_facts
from envlint.ordering.model import FunctionFacts


@pytest.fixture
def functions() -> Callable[[str, str], dict[str, FunctionFacts]]:
    """Parse one source text and return its functions by name."""

    def run(path: str, source: str) -> dict[str, FunctionFacts]:
        facts = parse_facts(path, source.encode())
        return {f.name: f for f in facts if isinstance(f, FunctionFacts)}

    return run
