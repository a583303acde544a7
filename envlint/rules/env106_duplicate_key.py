"""ENV106 duplicate-key: a key defined twice in one env file; the later definition wins."""

from __future__ import annotations

from collections.abc import Iterator

from envlint.findings import Edit, Fix, Related, Severity, Violation
from envlint.model import EnvEntry
from envlint.rules._base import Context, Rule
from envlint.rules._common import env_files
from envlint.rules._fixes import committed


def _drop(path: str, entry: EnvEntry) -> Fix:
    """Delete the whole lines of ``entry`` (a statement alone on its lines, checked when the
    fix is applied): the shadowed definition, so what Compose reads does not change."""
    last = entry.value_location.end_line or entry.value_location.line
    start, end = (entry.key_location.line, 1), (max(last, entry.key_location.line) + 1, 1)
    return Fix(
        f"drop the shadowed {entry.key} on line {entry.key_location.line} of {path}",
        (Edit(path, "", start, end, old=None, statement=entry.key),),
    )


def check(ctx: Context) -> Iterator[Violation]:
    for env_file in env_files(ctx.ws):
        fixable = committed(ctx.ws, env_file.path)
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
                fix=_drop(env_file.path, earlier) if fixable else None,
            )


RULE = Rule(
    code="ENV106",
    name="duplicate-key",
    severity=Severity.WARNING,
    summary="A key is defined twice in one env file (the later wins)",
    check=check,
)
