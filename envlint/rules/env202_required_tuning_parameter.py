"""ENV202 required-tuning-parameter: a tuning value (timeout, interval, size, count, retries...,
parsed as a number or duration) crashes when missing instead of falling back to a default.

Fires on the code, whatever compose provides today: the fix is a default in code.  Not where
every service that runs the read gets a value from its image's Dockerfile ``ENV`` (the image
carries the default wherever it runs) or loads an env file at start that defines it, nor for a
read no service is known to run when an image of the repository's services sets the variable.
A read is a tuning parameter when the code parses it as int/float/duration, or when its name has
a tuning word as one of its ``_``-separated parts (``_TUNING_WORDS``), or ends in a unit
(``_MS``...; ``_UNIT_ENDINGS`` only there: ``MS_TEAMS_WEBHOOK``'s is Microsoft), unless its
last part names a secret, an identifier or an address (``_IDENTITY_WORDS``: ``BATCH_JOB_KEY``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from envlint.findings import Related, Severity, Violation
from envlint.rules._base import Context, Rule

if TYPE_CHECKING:
    from collections.abc import Iterator

    from envlint.servicecode.model import AppEnv
    from envlint.sources.model import EnvRead

_TUNING_WORDS = frozenset(
    {
        "TIMEOUT", "INTERVAL", "SIZE", "COUNT", "RETRIES", "RETRY", "ATTEMPTS", "DELAY",
        "BACKOFF", "LIMIT", "MAX", "MIN", "BATCH", "BUFFER", "CONCURRENCY", "WORKERS",
        "THREADS", "POOL", "TTL", "PERIOD", "LINGER", "DURATION", "DEADLINE", "CAPACITY",
        "SECONDS", "SECS", "MINUTES", "HOURS", "BYTES",
    }
)  # fmt: skip
# Units whose letters are also common abbreviations (`MS_TEAMS_WEBHOOK` is Microsoft's, `SEC_`
# security, `KB_` a knowledge base): a unit only as the name's last part (`POLL_MS`)
_UNIT_ENDINGS = frozenset({"MS", "SEC", "KB", "MB"})
# The last part of a name that says the value is a secret, an identifier or an address, whatever
# tuning word comes before it (`BATCH_JOB_KEY`, `POOL_ID`, `MAX_API_URL`): no sensible default
_IDENTITY_WORDS = frozenset(
    {
        "KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIALS", "ID", "URL", "URI", "DSN",
        "HOST", "HOSTNAME", "ADDR", "ADDRESS", "ENDPOINT", "NAME", "USER", "USERNAME", "PATH",
        "FILE", "DIR", "ARN", "CERT", "WEBHOOK", "HOOK",
    }
)  # fmt: skip
_NUMERIC = frozenset({"int", "float", "duration"})


def is_tuning(read: EnvRead) -> bool:
    if read.expected_type in _NUMERIC:
        return True
    parts = read.name.upper().replace("__", "_").replace(":", "_").split("_")
    if parts[-1] in _IDENTITY_WORDS:
        return False
    return parts[-1] in _UNIT_ENDINGS or any(part in _TUNING_WORDS for part in parts)


def check(ctx: Context) -> Iterator[Violation]:
    owners: dict[tuple[str, int, int, str], str] = {}
    # per read, what the env file each owning service's app loads at start says of it
    loaded: dict[tuple[str, int, int, str], list[AppEnv | None]] = {}
    # per read, whether each owning service's image gives the variable a value (Dockerfile ENV)
    imaged: dict[tuple[str, int, int, str], list[bool]] = {}
    # what the images of the repository's services set: for a read no service is known to run
    image_set = {
        name
        for _, service in ctx.ws.services()
        for name, value in service.image_env.items()
        if not value.unresolved and value.value != ""
    }
    for project, service in ctx.ws.services():
        app = ctx.sources.app_env_of(project, service)
        for read in ctx.sources.of(project, service):
            key = (read.location.path, read.location.line, read.location.column, read.name)
            owners.setdefault(key, service.name)
            loaded.setdefault(key, []).append(app)
            image = service.image_env.get(read.name) if read.lookup == "env" else None
            given = image is not None and not image.unresolved and image.value != ""
            imaged.setdefault(key, []).append(given)
    for read in ctx.sources.reads:
        if read.tool_only:
            continue  # no service runs it (an EF Core design-time factory)
        if read.missing != "crash" or read.is_pattern or read.default is not None:
            continue
        if not is_tuning(read):
            continue
        key = (read.location.path, read.location.line, read.location.column, read.name)
        if read.main_only and key not in owners:
            continue  # `if __name__ == "__main__":` of a file no service runs as __main__
        kind = {"int": "a number", "float": "a number", "duration": "a duration"}.get(
            read.expected_type, "a tuning value"
        )
        via = f" (through {read.via}())" if read.via else ""
        related: tuple[Related, ...] = ()
        if read.crash_location is not None and read.crash_location.line != read.location.line:
            related = (Related(read.crash_location, "fails here when the variable is missing"),)
        apps = loaded.get(key, [])
        verdicts = [
            app.covers(read.name) if app is not None and read.lookup == "env" else "no"
            for app in apps
        ]
        if verdicts and all(v == "yes" for v in verdicts):
            continue  # every service running it loads an env file that defines it
        if imaged.get(key) and all(imaged[key]):
            continue  # every service running it has a default from its image's ENV
        if key not in owners and read.lookup == "env" and read.name in image_set:
            continue  # no service known to run it, and an image of the repository sets it
        softened = next(
            (app for app, v in zip(apps, verdicts, strict=True) if app and v != "no"), None
        )
        unless = f", {softened.unless}" if softened is not None else ""
        yield Violation(
            location=read.location,
            message=(
                f"{read.name} is {kind} the code requires{via}: when it is missing the service "
                f"crashes instead of using a sensible default; give it a default in code{unless}"
            ),
            severity=Severity.INFO if softened is not None else None,
            service=owners.get(key),
            variable=read.name,
            related=related,
        )


RULE = Rule(
    code="ENV202",
    name="required-tuning-parameter",
    severity=Severity.WARNING,
    summary="A tuning value (timeout, interval, size, retries...) crashes when missing instead of "
    "using a default",
    check=check,
    needs=frozenset({"sources"}),
)
