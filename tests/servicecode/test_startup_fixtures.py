"""Every crashing env read of each fixture project classifies and names its function as the
``when:`` annotation above it says (see ``_harness``): a read at start-up (main, init, top level,
a DI constructor...) and reads in handlers, lazily built clients and CLI subcommands."""

from __future__ import annotations

import pytest

from envlint.servicecode.startup import StartupMap
from tests.servicecode._harness import FIXTURES, env_reads, expectations, function_facts

# fixture -> (the program's files, None: all; the program's main files, None: all)
PROGRAMS: dict[str, tuple[list[str] | None, list[str] | None]] = {
    "servicecode_go": (
        [
            "cmd/api/main.go",
            "internal/config/config.go",
            "internal/github/client.go",
            "internal/server/server.go",
            "internal/worker/worker.go",
        ],
        None,
    ),
    "servicecode_csharp": (
        [
            "src/Orders.Api/Program.cs",
            "src/Orders.Api/Controllers/OrdersController.cs",
            "src/Orders.Api/Messaging/KafkaConsumer.cs",
            "src/Orders.Api/Messaging/OutboxWorker.cs",
        ],
        None,
    ),
    "servicecode_java": (None, None),
    "servicecode_js": (None, None),
    "servicecode_kotlin": (None, None),
    "servicecode_python": (None, ["app/main.py"]),
    "servicecode_rust": (None, None),
    "servicecode_ts": (
        ["src/index.ts", "src/config.ts", "src/github.ts", "src/routes/orders.ts"],
        None,
    ),
}


@pytest.mark.parametrize("fixture", sorted(PROGRAMS))
def test_every_crashing_read_is_classified_as_annotated(fixture: str) -> None:
    root = FIXTURES / fixture
    files, mains = PROGRAMS[fixture]
    startup = StartupMap.build(function_facts(root), files, main_files=mains)
    expected = expectations(root)
    assert expected, "the fixture carries annotations"
    actual = {
        (r.location.path, r.location.line): (
            startup.classify(r.location),
            startup.function_at(r.location),
        )
        for r in env_reads(root)
        if r.missing == "crash"
    }
    assert actual == expected
