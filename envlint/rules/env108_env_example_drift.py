"""ENV108 env-example-drift: ``.env.example`` / ``.env.sample`` / ``.env.template`` and the env
file beside it disagree on keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePosixPath

from envlint.findings import Related, Severity, Violation
from envlint.model import EnvFile, Location
from envlint.rules._base import Context, Rule
from envlint.rules._common import env_files
from envlint.rules._fixes import add_key, committed


def _partner(example: EnvFile, by_path: dict[str, EnvFile]) -> EnvFile | None:
    parent = PurePosixPath(example.path).parent
    candidate = str(parent / ".env") if str(parent) != "." else ".env"
    return by_path.get(candidate)


def check(ctx: Context) -> Iterator[Violation]:
    ws = ctx.ws
    actual = {f.path: f for f in env_files(ws, "project") if f.exists}
    for example in ws.example_env_files:
        env = _partner(example, actual)
        if env is None or not example.exists:
            continue  # .env not committed (the usual case): nothing to compare
        env_keys, example_keys = env.keys(), example.keys()
        seen: set[str] = set()
        for entry in example.entries:
            if entry.key not in env_keys and entry.key not in seen:
                seen.add(entry.key)
                yield Violation(
                    location=entry.key_location,
                    message=f"{entry.key} is documented in {example.path} but missing from "
                    f"{env.path}",
                    variable=entry.key,
                    key=f"missing-from:{env.path}",
                )
        for entry in env.entries:
            if entry.key not in example_keys and entry.key not in seen:
                seen.add(entry.key)
                yield Violation(
                    location=entry.key_location,
                    message=f"{entry.key} is set in {env.path} but not documented in "
                    f"{example.path}",
                    variable=entry.key,
                    related=(Related(Location(example.path), "the example file"),),
                    key=f"undocumented-in:{example.path}",
                    fix=add_key(
                        example.path,
                        entry.key,
                        "",
                        f"{entry.key}: set in {env.path} (its value is not copied here)",
                    )
                    if committed(ws, example.path)
                    else None,
                )


RULE = Rule(
    code="ENV108",
    name="env-example-drift",
    severity=Severity.WARNING,
    summary="An .env.example and the env file beside it disagree on keys",
    check=check,
)
