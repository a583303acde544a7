"""ENV106 duplicate-key: a key defined twice in one env file; the later definition wins."""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Related, Severity, Violation
from envlint.model import EnvEntry
from envlint.rules._base import Context, Rule
from envlint.rules._common import env_files


def check(ctx: Context) -> Iterator[Violation]:
    for env_file in env_files(ctx.ws):
        first: dict[str, EnvEntry] = {}
        for entry in env_file.entries:
            earlier = first.get(entry.key)
            if earlier is None:
                first[entry.key] = entry
                continue
            yield Violation(
                location=entry.key_location,
                message=(
                    f"{entry.key} is defined again in {env_file.path} (first on line "
                    f"{earlier.key_location.line}); this later definition wins"
                ),
                variable=entry.key,
                related=(Related(earlier.key_location, "first definition"),),
                key=f"{entry.key}@{entry.key_location.line - earlier.key_location.line}",
            )


RULE = Rule(
    code="ENV106",
    name="duplicate-key",
    severity=Severity.WARNING,
    summary="A key is defined twice in one env file (the later wins)",
    check=check,
)
