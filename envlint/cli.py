"""Command line: ``envlint check | rules | explain | trace`` (SPEC §1).

Exit status: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 usage or config
error, or envlint itself failed.  ``--version`` answers without importing click or rich.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from envlint import __version__
from envlint.config import (
    ConfigError,
    Settings,
    confine_paths,
    external_names,
    find_config,
    load_settings,
    parse_duration,
    split_codes,
)
from envlint.reporters import FORMATS

__all__ = ["main"]

FORMAT_NAMES = tuple(FORMATS)
_FORMAT_OPTIONS = ("--format", "--output-format")


COLOR_CHOICES = ("auto", "always", "never")


def _color_args(args: list[str]) -> list[str]:
    """``--color`` alone means ``--color=always`` and ``--no-color`` means ``--color=never``;
    ``--color WHEN`` takes the next word only when it is one of auto/always/never (so
    ``--color PATH`` still checks PATH)."""
    out: list[str] = []
    for i, arg in enumerate(args):
        if arg == "--":
            return out + args[i:]
        if arg == "--no-color":
            out.append("--color=never")
        elif arg == "--color" and (i + 1 >= len(args) or args[i + 1] not in COLOR_CHOICES):
            out.append("--color=always")
        else:
            out.append(arg)
    return out


class _CheckCommand(click.Command):
    """Remembers the order of ``--format`` and ``-o`` so each ``-o`` pairs with the format
    before it (``--format sarif -o a.sarif --format text``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        args = _color_args(args)
        pairs: list[list[str | None]] = []
        pending_output: str | None = None
        it = iter(range(len(args)))
        for i in it:
            arg = args[i]
            if arg == "--":
                break
            name, eq, inline = arg.partition("=")
            if name in _FORMAT_OPTIONS:
                value = inline if eq else (args[i + 1] if i + 1 < len(args) else "")
                pairs.append([value, pending_output])
                pending_output = None
            elif name in ("-o", "--output") or (arg.startswith("-o") and len(arg) > 2):
                if name in ("-o", "--output"):
                    value = inline if eq else (args[i + 1] if i + 1 < len(args) else "")
                else:
                    value = arg[2:]
                if pairs and pairs[-1][1] is None:
                    pairs[-1][1] = value
                elif pending_output is None and not pairs:
                    pending_output = value  # `-o FILE --format FMT`: the one format pairs up
                else:
                    taken = pairs[-1] if pairs else [None, pending_output]
                    fmt = taken[0] or "text"
                    raise click.UsageError(
                        f"-o {value}: --format {fmt} already writes to {taken[1]}; each -o "
                        f"belongs to the --format before it (did you mean "
                        f"--format FMT -o {value}?)",
                        ctx,
                    )
        if pending_output is not None:
            pairs.append([None, pending_output])
        ctx.meta["envlint.outputs"] = [(f, o) for f, o in pairs]
        return super().parse_args(ctx, args)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="envlint")
def cli() -> None:
    """envlint: what Compose, your env files and your services' code really agree on."""


def _severity_overrides(values: Sequence[str]) -> dict[str, Any]:
    from envlint.findings import Severity

    out: dict[str, Severity] = {}
    for value in values:
        code, sep, level = value.partition("=")
        if not sep:
            raise ConfigError(f"--severity expects CODE=LEVEL, got {value!r}")
        try:
            severity = Severity.parse(level)
        except ValueError as exc:
            raise ConfigError(f"--severity {value}: {exc}") from None
        out[_rule_code(code, f"--severity {value}")] = severity
    return out


def _rule_code(key: str, where: str) -> str:
    """The code of the rule ``key`` names (its code or its name, any case); a usage error that
    suggests the closest code or name otherwise."""
    from envlint.rules import RULES

    wanted = key.strip()
    for rule in RULES:
        if wanted.upper() == rule.code or wanted.lower() == rule.name:
            return rule.code
    close = _closest(wanted.upper(), [r.code for r in RULES]) or _closest(
        wanted.lower(), [r.name for r in RULES]
    )
    hint = f"did you mean {close}?" if close else "see `envlint rules`"
    raise ConfigError(f"{where}: unknown rule {wanted!r} ({hint})")


def _closest(word: str, options: Sequence[str]) -> str | None:
    """The option most like ``word`` (difflib's ratio >= 0.6); a tie goes to the longer common
    prefix, then to more characters in the same places (``ENV999`` -> ``ENV90x``, not
    ``ENV109``; ``ENV1O1`` -> ``ENV101``, not ``ENV112``)."""
    import difflib

    scored = [
        (difflib.SequenceMatcher(None, word, option).ratio(), option) for option in options
    ]
    good = [(ratio, option) for ratio, option in scored if ratio >= 0.6]
    if not good:
        return None

    def prefix(option: str) -> int:
        return next(
            (i for i, (a, b) in enumerate(zip(word, option, strict=False)) if a != b),
            min(len(word), len(option)),
        )

    def same_places(option: str) -> int:
        return sum(a == b for a, b in zip(word, option, strict=False))

    return max(good, key=lambda item: (item[0], prefix(item[1]), same_places(item[1])))[1]


def _positive_factor(ctx: click.Context, param: click.Parameter, value: float | None) -> Any:
    import math

    if value is not None and not (math.isfinite(value) and value > 0):
        raise click.BadParameter(f"{value:g} is not a positive number (e.g. 2)", ctx, param)
    return value


def _settings(
    paths: Sequence[Path], config: Path | None, isolated: bool, **cli: Any
) -> Settings:
    from dataclasses import replace
    from types import MappingProxyType

    found: Path | None = None
    if isolated:
        base = Settings()
    else:
        start = paths[0] if paths else Path()
        found = config if config is not None else find_config(start.resolve())
        if config is not None and not config.is_file():
            raise ConfigError(f"config file not found: {config}")
        base = load_settings(found)
    if base.severity:  # [severity] keys in the config file, checked against the registry
        table = "tool.envlint.severity" if found and found.name == "pyproject.toml" else "severity"
        base = replace(
            base,
            severity=MappingProxyType(
                {_rule_code(k, f"{found}: [{table}] {k}"): v for k, v in base.severity.items()}
            ),
        )
    if cli.get("severity"):
        merged = dict(base.severity)
        merged.update(cli["severity"])
        cli["severity"] = MappingProxyType(merged)
    return base.with_cli(**cli)


@cli.command(cls=_CheckCommand)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-f", "--compose-file", "compose_files", multiple=True,
              type=click.Path(path_type=Path),
              help="A compose file of one stack, in order (like docker compose -f).")
@click.option("--env-file", "env_files", multiple=True, type=click.Path(path_type=Path),
              help="Like docker compose --env-file. Repeatable.")
@click.option("--k8s", "k8s", multiple=True, metavar="PATH|-",
              help="Kubernetes manifests (a file, a directory or a kustomization); - reads "
              "them from standard input (helm template ... | envlint check --k8s -). Repeatable.")
@click.option("--profile", "profiles", multiple=True, metavar="NAME",
              help="Enable a Compose profile, like docker compose --profile. Repeatable.")
@click.option("--select", "select", multiple=True, help="Codes, prefixes (ENV2) or names; ALL.")
@click.option("--extend-select", "extend_select", multiple=True, help="Add to the selection.")
@click.option("--ignore", "ignore", multiple=True, help="Codes, prefixes or names to skip.")
@click.option("--external", "external", multiple=True, metavar="NAME[,NAME]",
              help="Variables provided at deploy time (names or globs such as DB_*): "
              "ENV101/102/103/109/201/204 stay quiet for them. Repeatable; adds to the "
              "config's external list.")
@click.option("--severity", "severity", multiple=True, metavar="CODE=LEVEL",
              help="Override a rule's severity: error, warning, info. Repeatable.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info", "never"]),
              help="Exit 1 when a finding is at or above this level (default: warning).")
@click.option("--format", "--output-format", "formats", multiple=True,
              type=click.Choice(FORMAT_NAMES),
              help="Output format; repeatable, each -o pairs with the --format before it.")
@click.option("-o", "--output", "outputs", multiple=True, type=click.Path(path_type=Path),
              help="Write the report to FILE instead of stdout.")
@click.option("--max-consumer-downtime", metavar="DUR", help="e.g. 12h, 90m, 2d (default 12h).")
@click.option("--retention-factor", type=float, callback=_positive_factor,
              help="Retention must be this × downtime (2).")
@click.option("--baseline", type=click.Path(path_type=Path), help="Hide findings recorded in FILE.")
@click.option("--write-baseline", type=click.Path(path_type=Path),
              help="Record the current findings in FILE and exit 0.")
@click.option("--config", type=click.Path(path_type=Path), help="Explicit config file.")
@click.option("--isolated", is_flag=True, help="Ignore config files.")
@click.option("--disable-suppressions", is_flag=True, help="Ignore inline envlint: comments.")
@click.option("--no-cache", is_flag=True, help="Do not read or write the analysis cache.")
@click.option("--jobs", type=click.IntRange(min=0), help="Parallel workers (0: CPU count).")
@click.option("-q", "--quiet", is_flag=True, help="Findings only: no summary line, no hints.")
@click.option("--statistics", is_flag=True, help="Counts per rule.")
@click.option("--color", type=click.Choice(COLOR_CHOICES), metavar="[auto|always|never]",
              help="Colour the text format. auto (default): on a terminal, off with NO_COLOR, "
              "on with FORCE_COLOR. --color alone: always; --no-color: never.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.option("--fix", "fix", is_flag=True,
              help="Apply the safe fixes (as envlint fix), then report what remains.")
@click.option("--diff", "diff", is_flag=True,
              help="Print the fixes as a unified diff (values masked) and write nothing; exit 1 "
              "when there is something to fix.")
@click.pass_context
def check(ctx: click.Context, /, paths: tuple[Path, ...], **opts: Any) -> None:
    """Check PATH (default: the current directory)."""
    try:
        settings = _settings(
            paths,
            opts["config"],
            opts["isolated"],
            select=split_codes(opts["select"]) or None,
            extend_select=split_codes(opts["extend_select"]) or None,
            ignore=split_codes(opts["ignore"]) or None,
            external_cli=external_names(split_codes(opts["external"]), "--external") or None,
            severity=_severity_overrides(opts["severity"]) or None,
            fail_on=opts["fail_on"],
            # -f / --env-file name files relative to the current directory, like docker compose
            compose_files=(tuple(_absolute(p) for p in opts["compose_files"]),)
            if opts["compose_files"]
            else None,
            env_files=tuple(_absolute(p) for p in opts["env_files"]) or None,
            profiles=tuple(p.strip() for p in opts["profiles"] if p.strip()) or None,
            max_consumer_downtime=_duration(opts["max_consumer_downtime"]),
            retention_factor=opts["retention_factor"],
            baseline=str(opts["baseline"]) if opts["baseline"] else None,
            write_baseline=str(opts["write_baseline"]) if opts["write_baseline"] else None,
            disable_suppressions=True if opts["disable_suppressions"] else None,
            cache=False if opts["no_cache"] else None,
            jobs=opts["jobs"],
            k8s_cli=tuple(p if p == "-" else _absolute(Path(p)) for p in opts["k8s"]) or None,
        )
        if "-" in settings.k8s_cli:
            settings = settings.with_cli(k8s_stdin=_read_stdin(settings.max_file_bytes))
        from envlint.engine import lint

        if settings.write_baseline:
            # Record everything the run would show, ignoring any existing baseline.
            settings = settings.with_cli(baseline="")
        with _progress(enabled=not opts["quiet"]):
            if opts["diff"]:
                _diff(ctx, list(paths), settings)
            run = _fix if opts["fix"] else lint
            report = run(list(paths), settings)
    except (ConfigError, OutputError) as exc:
        _error(ctx, exc)
    for notice in report.notices:  # "nothing was checked" is never hidden, not even by -q
        click.echo(f"envlint: {notice}", err=True)
    try:
        if settings.write_baseline:
            from envlint import baseline

            count = baseline.write(report.findings, Path(settings.write_baseline))
            click.echo(f"envlint: wrote {count} findings to {settings.write_baseline}", err=True)
            ctx.exit(0)
        # every format shows paths relative to the current directory (SARIF: to %SRCROOT%)
        _emit(ctx, report.relative_to(Path.cwd()), opts, settings)
    except (ConfigError, OutputError) as exc:  # a report that cannot be written: never exit 1
        _error(ctx, exc)
    if opts["debug"]:
        for text in report.internal_errors:
            click.echo(text, err=True)
    if report.internal_errors:
        ctx.exit(2)
    ctx.exit(1 if report.failed(settings.fail_on) else 0)


def _fix(paths: list[Path], settings: Settings) -> Any:
    """``--fix``: apply the fixes; the report is what remains (summary.fixed set)."""
    from envlint.fix import run_fix

    try:
        return run_fix(paths, settings, write=True).report
    except OSError as exc:
        raise OutputError(f"cannot write a fixed file: {exc.strerror or exc}") from None


def _diff(ctx: click.Context, paths: list[Path], settings: Settings) -> None:
    """``--diff``: the fixes as a unified diff, values masked; nothing is written."""
    from envlint.fix import masked_diff, run_fix

    outcome = run_fix(paths, settings, write=False)
    _stdout("".join(masked_diff(change) for change in outcome.changes))
    files = len(outcome.changes)
    click.echo(
        f"envlint: would fix {outcome.fixed} finding{'' if outcome.fixed == 1 else 's'} "
        f"in {files} file{'' if files == 1 else 's'}",
        err=True,
    )
    ctx.exit(1 if outcome.changes else 0)


@cli.command(
    "fix",
    context_settings={
        "ignore_unknown_options": True,
        "allow_extra_args": True,
        "help_option_names": [],
    },
)
@click.pass_context
def fix_command(ctx: click.Context) -> None:
    """Apply the safe fixes to PATH (default: the current directory), then report what
    remains: add missing keys to .env.example (and to a committed .env, with the library's
    documented default), drop a shadowed duplicate key, escape $VAR for the container's shell,
    sync the example's keys from .env (keys only).  --diff prints them and writes nothing.
    Takes every option of `envlint check` (it is `envlint check --fix`)."""
    args = list(ctx.args)
    if "-h" in args or "--help" in args:
        click.echo(f"Usage: envlint fix [OPTIONS] [PATHS]...\n\n  {fix_command.__doc__}\n")
        click.echo(check.get_help(check.make_context("check", [], resilient_parsing=True)))
        ctx.exit(0)
    sub = check.make_context("fix", ["--fix", *args], parent=ctx)
    with sub:
        check.invoke(sub)


@contextlib.contextmanager
def _progress(*, enabled: bool) -> Iterator[None]:
    """A spinner on stderr, only on a TTY and only once a run has taken more than a second."""
    plain = os.environ.get("NO_COLOR") == "force-plain"
    if not enabled or sys.stderr is None or not sys.stderr.isatty() or plain:
        yield
        return
    import threading

    from rich.console import Console

    done = threading.Event()

    def spin() -> None:
        if done.wait(1.0):
            return
        with Console(stderr=True).status("envlint: checking…"):
            done.wait()

    thread = threading.Thread(target=spin, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def _read_stdin(limit: int) -> bytes:
    """``--k8s -``: standard input, at most ``limit`` + 1 bytes (more is ENV901, as for a
    file)."""
    import sys

    data: bytes = sys.stdin.buffer.read(limit + 1)
    return data


def _absolute(path: Path) -> str:
    return str(path if path.is_absolute() else Path.cwd() / path)


def _duration(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        seconds = parse_duration(value)
    except ValueError as exc:
        raise ConfigError(f"--max-consumer-downtime: {exc}") from None
    if seconds <= 0:
        raise ConfigError(f"--max-consumer-downtime {value}: must be positive (e.g. 12h)")
    return seconds


def _emit(ctx: click.Context, report: Any, opts: dict[str, Any], settings: Settings) -> None:
    from envlint.reporters import RenderOptions, get_renderer

    given: list[tuple[str | None, str | None]] = ctx.meta.get("envlint.outputs", [])
    pairs = [(fmt or "text", out) for fmt, out in given] or [("text", None)]
    for fmt, out in pairs:
        to_tty = out is None and sys.stdout is not None and sys.stdout.isatty()
        color = out is None and fmt == "text" and _use_color(opts["color"], to_tty)
        options = RenderOptions(
            color=color,
            hyperlinks=color and to_tty,
            width=_width() if to_tty else 0,  # piped: one line per message, for grep
            statistics=opts["statistics"],
            quiet=opts["quiet"],
        )
        text = get_renderer(fmt)(report, options)
        if out is None:
            _stdout(text, color)
        else:
            _write_report(Path(out), text)
        if fmt == "github":
            _github_summary(report)


class OutputError(Exception):
    """A report, baseline or summary that cannot be written: exit status 2."""


def _error(ctx: click.Context, exc: Exception) -> None:
    """``envlint: error: ...`` on one line (text from config files escaped), then exit 2."""
    from envlint.escape import terminal

    click.echo(f"envlint: error: {terminal(str(exc))}", err=True)
    ctx.exit(2)


def _stdout(text: str, color: bool = False) -> None:
    if sys.stdout is None:  # started with stdout closed (`envlint check >&-`)
        raise OutputError("cannot write the report: standard output is closed")
    try:
        click.echo(text, nl=False, color=color or None)  # click strips ANSI unless told
        sys.stdout.flush()
    except BrokenPipeError:
        raise  # `envlint check | head`: quiet, see main()
    except (OSError, ValueError) as exc:  # /dev/full, a closed file object
        _silence_stdout()
        reason = getattr(exc, "strerror", None) or str(exc)
        raise OutputError(f"cannot write the report to standard output: {reason}") from None


def _silence_stdout() -> None:
    """Point file descriptor 1 at /dev/null, so the interpreter's flush at exit stays quiet."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _write_report(path: Path, text: str) -> None:
    """Write an ``-o`` file atomically: a failed write leaves no truncated report behind."""
    from envlint._atomic import write_text_atomic

    try:
        write_text_atomic(path, text)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def _use_color(choice: str | None, to_tty: bool) -> bool:
    """``--color always|never`` wins; then ``NO_COLOR`` (no-color.org), then ``FORCE_COLOR``
    (force-color.org; each counts when set and not empty); then a terminal that is not dumb."""
    if choice in ("always", "never"):
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return to_tty and os.environ.get("TERM") != "dumb"


def _width() -> int:
    import shutil

    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 160))


def _github_summary(report: Any) -> None:
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    from envlint.reporters import github

    try:
        with Path(target).open("a", encoding="utf-8") as handle:
            handle.write(github.summary_markdown(report))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(f"cannot append the job summary to {target}: {reason}") from None


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rules_command(fmt: str) -> None:
    """List every rule: code, name, default severity, summary."""
    from envlint.rules import RULES

    if fmt == "json":
        import json

        click.echo(json.dumps([
            {"code": r.code, "name": r.name, "severity": r.severity.value, "summary": r.summary}
            for r in RULES
        ], indent=2))
        return
    width = max((len(r.name) for r in RULES), default=10)
    for rule in RULES:
        click.echo(f"{rule.code}  {rule.name:<{width}}  {rule.severity.value:<7}  {rule.summary}")


@cli.command()
@click.argument("rule")
@click.pass_context
def explain(ctx: click.Context, rule: str) -> None:
    """Show the page of RULE (a code such as ENV201, or a name): rendered and paged on a
    terminal, plain Markdown when piped."""
    from envlint._ruledocs import for_reader, read_page
    from envlint.rules import RULES

    try:
        code = _rule_code(rule, "explain")
    except ConfigError as exc:
        _error(ctx, exc)
    match = next(r for r in RULES if r.code == code)
    page = read_page(match.code)
    if page is None:
        click.echo(f"{match.code} {match.name} ({match.severity.value}): {match.summary}")
        return
    body = for_reader(page)
    if sys.stdout is not None and sys.stdout.isatty():
        color = _use_color(None, True)
        click.echo_via_pager(_rendered_markdown(body, color), color=color)
    else:
        click.echo(body, nl=False)


def _rendered_markdown(body: str, color: bool) -> str:
    import io

    from rich.console import Console
    from rich.markdown import Markdown

    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=min(_width(), 100),
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        emoji=False,
    )
    # ANSI code colours (no background block); links as "text (url)": pagers show OSC 8 raw
    console.print(Markdown(body, code_theme="ansi_dark", hyperlinks=False))
    return buffer.getvalue()


@cli.command()
@click.argument("variable")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.option("--config", type=click.Path(path_type=Path), help="Explicit config file.")
@click.option("--isolated", is_flag=True, help="Ignore config files.")
@click.option("--external", "external", multiple=True, metavar="NAME[,NAME]",
              help="Variables provided at deploy time (as for check).")
@click.pass_context
def trace(
    ctx: click.Context,
    variable: str,
    path: Path | None,
    fmt: str,
    config: Path | None,
    isolated: bool,
    external: tuple[str, ...],
) -> None:
    """Follow VARIABLE end to end: where it is defined, which services get it in which stack,
    which code is each service's (the entrypoint that decided it), where code reads it and what
    happens when it is missing.  Values are never shown."""
    from envlint.compose import load_workspace
    from envlint.engine import resolve_root, service_code
    from envlint.facts import SourceFacts
    from envlint.k8s import load_kubernetes
    from envlint.pipeline import build_facts
    from envlint.servicecode.image_env import with_built_image_env
    from envlint.servicecode.provenance import ImageBuilds
    from envlint.trace import render_trace, trace_variable

    paths = [path] if path else [Path()]
    try:
        settings = _settings(
            paths,
            config,
            isolated,
            external_cli=external_names(split_codes(external), "--external") or None,
        )
        root, explicit = resolve_root(paths)
        confine_paths(settings, root)
    except ConfigError as exc:
        _error(ctx, exc)
    compose = load_workspace(root, settings, explicit)
    builds = ImageBuilds(compose)
    workspace = load_kubernetes(with_built_image_env(compose, builds), settings, builds)
    facts, failures = build_facts(workspace, settings, {"sources"}, builds)
    for failure in failures:  # a bug in envlint: say so, and show what is still known
        click.echo(
            f"envlint: error: building {failure.stage} facts failed ({failure.error}); "
            "reads in code are not shown",
            err=True,
        )
    result = trace_variable(
        workspace,
        facts.sources or SourceFacts(),
        variable,
        _external_of(settings, root, variable),
        service_code(workspace, facts),
    )
    try:
        _stdout(render_trace(result, fmt))
    except OutputError as exc:
        _error(ctx, exc)
    if failures:
        ctx.exit(2)


@cli.command("diff")
@click.argument("a", type=click.Path(path_type=Path))
@click.argument("b", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@click.pass_context
def diff_command(ctx: click.Context, a: Path, b: Path, fmt: str) -> None:
    """Compare two env files, or two stacks' resolved environments per service (directories or
    compose files), or a stack and Kubernetes manifests (or two manifest sets) per deployment of
    the same code, by key.  Values are never shown.  Exit 0: the same keys; 1: they differ."""
    from envlint.envdiff import DiffError, diff_paths, render_diff

    try:
        result = diff_paths(a, b)
    except DiffError as exc:
        _error(ctx, exc)
    try:
        _stdout(render_diff(result, fmt))
    except OutputError as exc:
        _error(ctx, exc)
    ctx.exit(0 if result.same else 1)


def _external_of(settings: Settings, root: Path, variable: str) -> str | None:
    """Where ``variable`` is declared external, for ``trace``: ``envlint.toml (DB_*)``."""
    found = settings.external_declared(variable)
    if found is None:
        return None
    pattern, where = found
    if where != "--external":
        where = os.path.relpath(Path(where).resolve(), root).replace(os.sep, "/")
    return f"{where} ({pattern})" if pattern != variable else where


def _on_sigterm() -> None:
    """SIGTERM raises :class:`~envlint.parallel.Terminated` (unwinding ends the worker pool),
    instead of killing this process and leaving its workers behind."""
    import signal
    import threading

    from envlint.parallel import Terminated

    if threading.current_thread() is not threading.main_thread():
        return  # signal handlers belong to the main thread (an embedding program's choice)

    def terminated(signum: int, frame: object) -> None:
        raise Terminated

    signal.signal(signal.SIGTERM, terminated)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the CLI; exit 130 on Ctrl-C with one line, 2 on usage errors."""
    from envlint.parallel import Terminated

    args = list(sys.argv[1:] if argv is None else argv)
    _on_sigterm()
    try:
        # Not cli.main(): on Ctrl-C it echoes an empty line to stderr before raising Abort.
        with cli.make_context("envlint", args) as ctx:
            code = cli.invoke(ctx)
    except Terminated:  # `timeout`, a cancelled CI job: worker processes are ended on the way
        sys.stderr.write("envlint: terminated\n")
        raise SystemExit(143) from None
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except BrokenPipeError:  # `envlint rules | head -1`: quiet, as click.main is
        # Python flushes stdout again at exit; point it at devnull (Python's docs, signal).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise SystemExit(1) from None
    except (click.exceptions.Abort, KeyboardInterrupt):
        sys.stderr.write("envlint: interrupted\n")
        raise SystemExit(130) from None
    except click.ClickException as exc:
        exc.show()
        raise SystemExit(2 if exc.exit_code == 1 else exc.exit_code) from None
    raise SystemExit(code if isinstance(code, int) else 0)
