"""A pull request is hostile input (issue #18): names, output paths, signals, through the CLI.

Each test builds the hostile tree in ``tmp_path`` and runs the real ``envlint`` process (or the
click command in process where a monkeypatch is needed), then checks what a CI log or terminal
would receive.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from envlint.cli import cli
from tests.conftest import write_tree
from tests.hostile._harness import HEALTHY, PLANTED

POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file names, FIFOs and signals")
FORMATS = ("text", "concise", "json", "sarif", "github", "junit")


def envlint(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None, shell: str = ""
) -> subprocess.CompletedProcess[bytes]:
    """The CLI in process (click's runner: UTF-8 strict streams), or with ``shell`` (a
    redirection such as ``>&-``) as a real process through ``sh``; stdout/stderr as bytes."""
    if cwd is None and len(args) > 1 and args[0] == "check" and Path(args[1]).is_dir():
        cwd = Path(args[1])  # printed paths are relative to the current directory
    if not shell:
        return _in_process([str(a) for a in args], cwd, env)
    import shlex

    environment = {**os.environ, "PYTHONIOENCODING": "utf-8:strict", "NO_COLOR": "1", **(env or {})}
    argv = [sys.executable, "-m", "envlint", *map(str, args)]
    command = " ".join(map(shlex.quote, argv)) + " " + shell
    return subprocess.run(
        ["sh", "-c", command], capture_output=True, cwd=cwd, env=environment, timeout=120,
        check=False,
    )  # fmt: skip


def _in_process(
    args: list[str], cwd: Path | None, env: dict[str, str] | None
) -> subprocess.CompletedProcess[bytes]:
    previous = Path.cwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = CliRunner().invoke(cli, args, env={"NO_COLOR": "1", **(env or {})})
    finally:
        os.chdir(previous)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        raise AssertionError("".join(traceback.format_exception(result.exception)))
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout_bytes,
                                       result.stderr_bytes)  # fmt: skip


def no_traceback(done: subprocess.CompletedProcess[bytes]) -> str:
    text = (done.stdout + done.stderr).decode("utf-8")  # strict: the output is valid UTF-8
    assert "Traceback" not in text, text[-3000:]
    return text


def healthy(root: Path) -> Path:
    return write_tree(root, HEALTHY)


# --- 1. a non-UTF-8 file name -------------------------------------------------------------------


@POSIX
@pytest.mark.parametrize("fmt", FORMATS)
def test_non_utf8_file_name_in_every_format(tmp_path: Path, fmt: str) -> None:
    root = healthy(tmp_path / "root")
    os.symlink(b"nowhere", os.fsencode(root / "healthy") + b"/x\xff")  # a broken link
    out = tmp_path / f"report.{fmt}"
    done = envlint("check", root, "--isolated", "--format", fmt, "-o", out)
    assert done.returncode == 1, no_traceback(done)  # ENV101 is a warning: exit 1, not a crash
    no_traceback(done)
    report = out.read_bytes().decode("utf-8")  # strict
    assert "\udcff" not in report
    if fmt == "sarif":
        uris = [
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(report)["runs"][0]["results"]
        ]
        assert "healthy/x%FF" in uris  # the file's bytes, percent-encoded
    elif fmt == "json":
        paths = {f["path"]: f for f in json.loads(report)["findings"]}
        assert paths["healthy/x\\xff"]["code"] == "ENV901"
        assert (PLANTED[0], PLANTED[1]) in {(f["code"], f["path"]) for f in paths.values()}
    else:
        assert "healthy/x\\xff" in report


@POSIX
def test_non_utf8_file_name_with_write_baseline_and_baseline(tmp_path: Path) -> None:
    root = healthy(tmp_path / "root")
    os.symlink(b"nowhere", os.fsencode(root / "healthy") + b"/x\xff")
    baseline = tmp_path / "baseline.json"
    done = envlint("check", root, "--isolated", "--write-baseline", baseline)
    assert done.returncode == 0, no_traceback(done)
    entries = json.loads(baseline.read_bytes().decode("utf-8"))["entries"]
    assert "healthy/x\\xff" in {e["path"] for e in entries}
    again = envlint("check", root, "--isolated", "--baseline", baseline, "--format", "json")
    assert again.returncode == 0, no_traceback(again)
    assert json.loads(again.stdout)["findings"] == []  # same fingerprints on the second run


# --- 2. workflow commands forged by a file name ---------------------------------------------------

_V2 = re.compile(r"^::([^ :]+)(?: ([^:]*))?::(.*)$")


def runner_commands(log: str) -> list[tuple[str, dict[str, str], str]]:
    """What the GitHub runner would execute: ``::cmd props::data`` at a line's start, the legacy
    ``##[cmd props]data`` anywhere in it, and nothing between ``::stop-commands::T`` and
    ``::T::`` (ActionCommand.TryParseV2 / TryParse and ActionCommandManager)."""

    def unescape(text: str, prop: bool) -> str:
        pairs = [("%0D", "\r"), ("%0A", "\n")] + ([("%3A", ":"), ("%2C", ",")] if prop else [])
        for token, char in [*pairs, ("%25", "%")]:
            text = text.replace(token, char)
        return text

    commands: list[tuple[str, dict[str, str], str]] = []
    stop_token: str | None = None
    for line in log.split("\n"):  # the runner reads lines; \r stays in the line
        match = _V2.match(line.lstrip())
        legacy = re.search(r"##\[([^\] ]+)[^\]]*\](.*)", line)
        name = match.group(1) if match else legacy.group(1) if legacy else None
        if name is None:
            continue
        if stop_token is not None:
            if name == stop_token:
                stop_token = None
            continue
        if match is None:
            commands.append((name, {}, ""))
            continue
        props = {}
        for pair in (match.group(2) or "").split(","):
            key, _, value = pair.partition("=")
            if key:
                props[key] = unescape(value, prop=True)
        data = unescape(match.group(3), prop=False)
        if name == "stop-commands":
            stop_token = data
        commands.append((name, props, data))
    return commands


@POSIX
def test_newline_in_a_file_name_cannot_forge_a_workflow_command(tmp_path: Path) -> None:
    root = healthy(tmp_path / "root")
    # 12 warnings in the hostile file: some are annotated, some past the 10-annotation limit
    body = "".join(f"      V{i}: ${{HOSTILE_{i}}}\n" for i in range(12))
    compose = f"services:\n  web:\n    image: nginx\n    environment:\n{body}"
    names = [
        "z/compose.x\n::error file=README.md,line=1::INJECTED\n.yaml",
        "y/compose.x\r\n::warning title=INJECTED::x\n.yaml",
        "w/compose.##[error]INJECTED.yaml",
        "v/compose.%0A::error::INJECTED.yaml",
    ]
    for name in names:
        write_tree(root, {name: compose})
    done = envlint("check", root, "--isolated", "--format", "github")
    assert done.returncode == 1
    log = no_traceback(done)
    commands = runner_commands(done.stdout.decode())
    assert {name for name, _, _ in commands} <= {"warning", "notice", "stop-commands"}
    assert all("INJECTED" not in data and "README.md" not in props.get("file", "")
               for _, props, data in commands)  # fmt: skip
    annotated = [p["file"] for name, p, _ in commands if name == "warning" and "file" in p]
    assert len(annotated) == 10
    assert all("\n" not in f and "\r" not in f for f in annotated)
    assert "INJECTED" in log  # the names are still shown, as text
    # every finding of the hostile files is in the log, annotated or not
    for name in names:
        assert log.count(name.split("/")[0] + "/compose.") >= 12


def test_workflow_command_escaping_rules() -> None:
    from envlint.escape import workflow_data, workflow_property

    assert workflow_data("100%\r\n: a,b") == "100%25%0D%0A: a,b"
    assert workflow_property("a:b,c%\r\n") == "a%3Ab%2Cc%25%0D%0A"


# --- 3. control sequences in names ------------------------------------------------------------

ANSI_DIR = "x\x1b]0;PWNED\x07\x1b[2J"


@POSIX
@pytest.mark.parametrize("fmt", ["text", "concise", "github"])
def test_escape_sequences_in_names_never_reach_the_terminal(tmp_path: Path, fmt: str) -> None:
    root = healthy(tmp_path / "root")
    write_tree(
        root,
        {
            f"{ANSI_DIR}/compose.yaml": "services:\n  web\x1b[31m:\n    image: nginx\n"
            "    environment:\n      A: ${UNSET_\u202eX}\n",
            f"{ANSI_DIR}/.env": "OTHER=1\n",
        },
    )
    done = envlint("check", root, "--isolated", "--format", fmt)
    text = no_traceback(done)
    assert done.returncode == 1
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "x\\x1b]0;PWNED\\x07\\x1b[2J" in text


@POSIX
def test_escape_sequences_in_trace_output(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path / "root",
        {
            f"{ANSI_DIR}/compose.yaml": "services:\n  web:\n    image: nginx\n"
            "    environment:\n      TRACED: ${TRACED}\n",
            f"{ANSI_DIR}/.env": "TRACED=1\n",
        },
    )
    done = envlint("trace", "TRACED", root, "--isolated")
    text = no_traceback(done)
    assert done.returncode == 0 and "\x1b" not in text and "\x07" not in text
    assert f"{ANSI_DIR!r}"[1:-1] + "/.env:1" in text


def test_escape_sequences_in_a_config_error(tmp_path: Path) -> None:
    root = healthy(tmp_path / "root")
    (root / "envlint.toml").write_text('"\\u001b]0;PWNED\\u0007" = 1\n', encoding="utf-8")
    done = envlint("check", root)
    text = no_traceback(done)
    assert done.returncode == 2 and "\x1b" not in text and "\\x1b]0;PWNED\\x07" in text


# --- 11. output errors ----------------------------------------------------------------------------


def _one_error_line(done: subprocess.CompletedProcess[bytes], fragment: str) -> None:
    no_traceback(done)
    lines = done.stderr.decode().splitlines()
    assert done.returncode == 2, lines
    assert len(lines) == 1 and lines[0].startswith("envlint: error: ") and fragment in lines[0]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--format", "json", "-o", "missing/x.json", "--fail-on", "never"], "missing/x.json"),
        (["-o", "adir"], "Is a directory"),
        (["--write-baseline", "missing/b.json"], "cannot write baseline missing/b.json"),
    ],
)
def test_output_file_errors_are_exit_2_with_one_line(
    tmp_path: Path, args: list[str], fragment: str
) -> None:
    root = healthy(tmp_path / "root")
    (tmp_path / "adir").mkdir()
    done = envlint("check", root, "--isolated", *args, cwd=tmp_path)
    _one_error_line(done, fragment)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["adir", "root"]  # no temp file left
    assert list((tmp_path / "adir").iterdir()) == []


def test_unwritable_step_summary(tmp_path: Path) -> None:
    root = healthy(tmp_path / "root")
    env = {"GITHUB_STEP_SUMMARY": str(tmp_path / "no" / "such" / "summary.md")}
    done = envlint("check", root, "--isolated", "--format", "github", env=env)
    _one_error_line(done, "cannot append the job summary")


@POSIX
@pytest.mark.parametrize(("redirect", "fragment"), [(">&-", "closed"), ("> /dev/full", "space")])
def test_closed_or_full_stdout(tmp_path: Path, redirect: str, fragment: str) -> None:
    if redirect.endswith("full") and not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    root = healthy(tmp_path / "root")
    done = envlint("check", root, "--isolated", "--format", "concise", shell=redirect)
    _one_error_line(done, fragment)


def test_output_file_is_replaced_atomically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write that fails at the last step leaves the previous report whole, and no temp file."""
    import envlint._atomic

    root = healthy(tmp_path / "root")
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    report.write_text('{"previous": "complete report"}\n', encoding="utf-8")

    def failing_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(envlint._atomic.os, "replace", failing_replace)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(
        cli, ["check", str(root), "--isolated", "--format", "json", "-o", str(report)]
    )
    assert result.exit_code == 2, result.output
    assert "No space left on device" in result.stderr
    assert report.read_text(encoding="utf-8") == '{"previous": "complete report"}\n'
    assert [p.name for p in report.parent.iterdir()] == ["report.json"]
    monkeypatch.undo()
    monkeypatch.chdir(root)
    result = CliRunner().invoke(
        cli, ["check", str(root), "--isolated", "--format", "json", "-o", str(report)]
    )
    assert result.exit_code == 1
    assert PLANTED[1] in {f["path"] for f in json.loads(report.read_text())["findings"]}


# --- 5. paths in the repository's config ----------------------------------------------------------

SECRET = "https://bot:TOKEN-QQQ@github.com\n"


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ('env-files = ["{outside}/.git-credentials"]', "env-files"),
        ('env-files = ["~/.git-credentials"]', "env-files"),
        ('env-files = ["../outside/.git-credentials"]', "env-files"),
        (
            'compose-files = [["healthy/docker-compose.yml", "{outside}/compose.yaml"]]',
            "compose-files",
        ),
        ('baseline = "{outside}/baseline.json"', "baseline"),
        ('[services.web]\nsource = "../outside"', "services"),
        ('[tool.envlint]\nenv-files = ["{outside}/.git-credentials"]', "env-files"),
    ],
)
def test_config_paths_are_confined_to_the_root(tmp_path: Path, config: str, key: str) -> None:
    outside = write_tree(
        tmp_path / "outside",
        {
            ".git-credentials": SECRET,
            "compose.yaml": "services:\n  web:\n    environment:\n      K: TOKEN-RRR\n",
            "baseline.json": '{"version": 1, "entries": []}\n',
        },
    )
    root = healthy(tmp_path / "root")
    name = "pyproject.toml" if config.startswith("[tool.") else "envlint.toml"
    (root / name).write_text(config.replace("{outside}", str(outside)) + "\n", encoding="utf-8")
    done = envlint("check", root, "--format", "json", env={"HOME": str(outside)})
    _one_error_line(done, f"{key} names")
    assert "outside the checked root" in done.stderr.decode()
    assert "TOKEN" not in (done.stdout + done.stderr).decode()


def test_the_command_line_may_name_outside_files(tmp_path: Path) -> None:
    outside = write_tree(tmp_path / "outside", {"ci.env": "PLANTED_UNDEFINED=1\n"})
    root = healthy(tmp_path / "root")
    (root / "envlint.toml").write_text('env-files = ["healthy/.env"]\n', encoding="utf-8")
    inside = envlint("check", root, "--format", "json")
    assert inside.returncode == 1, no_traceback(inside)  # a config path inside: fine
    done = envlint("check", root, "--format", "json", "--env-file", outside / "ci.env")
    no_traceback(done)
    found = {(f["code"], f["path"], f["line"]) for f in json.loads(done.stdout)["findings"]}
    assert PLANTED not in found  # the outside file was read: it defines the variable


@pytest.mark.parametrize("written", ["~nosuchuser/x.env", "~/secret.env", '"~"'])
def test_tilde_env_file_is_outside_and_never_depends_on_home(tmp_path: Path, written: str) -> None:
    root = healthy(tmp_path / "root")
    write_tree(
        root,
        {
            "hostile/compose.yaml": "services:\n  app:\n    image: x\n"
            f"    env_file: {written}\n    environment:\n      A: ${{PLANTED_UNDEFINED}}\n",
            "hostile/secret.env": "LEAKED=TOKEN-TTT\n",
        },
    )
    for home in (root / "hostile", None):  # $HOME pointing into the tree, and no $HOME at all
        env = {k: v for k, v in os.environ.items() if k != "HOME"}
        if home is not None:
            env["HOME"] = str(home)
        done = subprocess.run(
            [sys.executable, "-m", "envlint", "check", str(root), "--isolated", "--format", "json"],
            capture_output=True, env={**env, "PYTHONIOENCODING": "utf-8:strict"}, timeout=60,
            check=False, cwd=root,
        )  # fmt: skip
        assert done.returncode == 1, no_traceback(done)
        findings = json.loads(done.stdout)["findings"]
        notes = [f for f in findings if f["path"] == "hostile/compose.yaml" and f["line"] == 4]
        assert [f["code"] for f in notes] == ["ENV901"], findings
        assert "outside the checked root" in notes[0]["message"]
        assert notes[0]["message"].startswith("env file ~")
        assert "TOKEN" not in done.stdout.decode() and "LEAKED" not in done.stdout.decode()


# --- 4. secret values: masked by what they are, not by the file's name ---------------------------

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "incident"
PEM = (
    "TLS_KEY=-----BEGIN PRIVATE KEY-----\n"
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCPEMONEx\n"
    "PEMTWOxyzPEMTWOxyzPEMTWO==\n"
    "-----END PRIVATE KEY-----\n"
)


def _secrets_project(root: Path) -> Path:
    import shutil

    shutil.copytree(EXAMPLE, root)
    compose = (root / "docker-compose.yml").read_text(encoding="utf-8")
    compose = compose.replace(
        "      - OTEL_SERVICE_NAME=accounting\n",
        "      - OTEL_SERVICE_NAME=accounting\n"
        "      - DB_URL=${DB_URL:-postgres://u:DEFAULTSECRET@db}${MISSING_HOST}\n",
    )
    compose = compose.replace(
        "    restart: unless-stopped\n    ports:",
        "    restart: unless-stopped\n    env_file:\n      - app.env.prod\n      - secrets.txt\n"
        "      - .npmrc\n      - missing.env\n    ports:",
    )
    compose = compose.replace(
        "    image: ", "    image: quay.io/debezium/kafka:${DEBEZIUM_VERSION}\n    x-was: ", 1
    )
    (root / "docker-compose.yml").write_text(compose, encoding="utf-8")
    write_tree(
        root,
        {
            # a duplicate key puts a finding on the value's line in each oddly named env file
            "app.env.prod": "TOKEN=PRODSECRET-1\nTOKEN=PRODSECRET-1\n",
            "secrets.txt": "PASS=TXTSECRET-2\nPASS=TXTSECRET-2\n",
            ".npmrc": "NPM_TOKEN=NPMSECRET-3\nNPM_TOKEN=NPMSECRET-3\n",
            ".env": PEM,
            "anchor/compose.yaml": "services:\n  db:\n    image: postgres\n    environment:\n"
            "      DB_PASSWORD: *ANCHORSECRET-4\n",
        },
    )
    return root


LEAKS = ("PRODSECRET", "TXTSECRET", "NPMSECRET", "DEFAULTSECRET", "ANCHORSECRET", "PEMONE",
         "PEMTWO", "MIIEvQIBADAN")  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
def test_secret_values_are_masked_in_every_format(tmp_path: Path, fmt: str) -> None:
    root = _secrets_project(tmp_path / "shop")
    summary = tmp_path / "summary.md"
    done = envlint("check", root, "--isolated", "--format", fmt, "--statistics",
                   env={"GITHUB_STEP_SUMMARY": str(summary)})  # fmt: skip
    text = no_traceback(done) + (summary.read_text() if summary.exists() else "")
    assert done.returncode == 1
    for leak in LEAKS:
        assert leak not in text, f"{leak} leaked in {fmt}"
    trace = envlint("trace", "TLS_KEY", root, "--isolated")
    assert not any(leak in no_traceback(trace) for leak in LEAKS)


def test_masked_lines_are_the_real_lines_with_only_values_masked(tmp_path: Path) -> None:
    root = _secrets_project(tmp_path / "shop")
    done = envlint("check", root, "--isolated", "--format", "text")
    text = no_traceback(done)
    snippets = [line.split("│ ", 1)[1] for line in text.splitlines() if "│ " in line]
    for masked in (
        "TOKEN=…",  # app.env.prod: an env file whatever its name
        "PASS=…",  # secrets.txt
        "NPM_TOKEN=…",  # .npmrc
        "      - DB_URL=${DB_URL:-…}${MISSING_HOST}",  # the default is a value too
        "      DB_PASSWORD: …",  # the unquoted `*ANCHORSECRET` the YAML parser refused
        "…",  # the PEM line Compose would read as a variable
    ):
        assert masked in snippets, (masked, snippets)
    for readable in (
        "    image: quay.io/debezium/kafka:${DEBEZIUM_VERSION}",  # an image, as written
        "      KAFKA_LOG_RETENTION_HOURS: 4",  # a number a finding is about
        "      - missing.env",  # an env-file path
    ):
        assert readable in snippets, (readable, snippets)
    findings = envlint("check", root, "--isolated", "--format", "json")
    by_place = {(f["path"], f["line"]): f for f in json.loads(findings.stdout)["findings"]}
    pem = by_place[(".env", 2)]
    assert pem["code"] == "ENV105" and "quote the whole value" in pem["message"]
    anchor = by_place[("anchor/compose.yaml", 5)]
    assert anchor["code"] == "ENV901" and "unknown anchor referenced" in anchor["message"]


# --- 6. gitignore patterns in linear time ---------------------------------------------------------

REDOS = "*a*a*a*a*a*a*a*a*a*a*a*a*b"


@pytest.mark.parametrize("where", [".gitignore", "nested/.gitignore", "exclude"])
def test_gitignore_pattern_cannot_hang_the_walk(tmp_path: Path, where: str) -> None:
    import time

    root = healthy(tmp_path / "root")
    names = ["a" * 40, "a" * 39 + "b", "x" * 20 + "a" * 30]
    write_tree(root, {f"nested/{name}": "" for name in names})
    write_tree(root, {f"nested/deeper/{'a' * 60}/{'a' * 60}": ""})
    if where == "exclude":
        (root / "envlint.toml").write_text(f'exclude = ["{REDOS}"]\n', encoding="utf-8")
    else:
        write_tree(root, {where: REDOS + "\n"})
    start = time.perf_counter()
    done = envlint("check", root, "--format", "json", *(["--isolated"] if where != "exclude"
                                                         else []))  # fmt: skip
    assert time.perf_counter() - start < 5, "the walk took seconds"  # minutes before
    assert done.returncode == 1, no_traceback(done)

    from envlint.config import Settings, load_settings
    from envlint.discovery import discover

    settings = load_settings(root / "envlint.toml") if where == "exclude" else Settings()
    start = time.perf_counter()
    found = discover(root, settings)
    assert time.perf_counter() - start < 1.0
    # the pattern still means what git means: `…b` names are ignored, the others are not
    assert "nested/" + "a" * 39 + "b" not in found.files
    assert "nested/" + "a" * 40 in found.files


def test_without_re2_a_pattern_that_may_backtrack_is_dropped_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import envlint.discovery
    from envlint.config import Settings

    monkeypatch.setattr(envlint.discovery, "_backend", lambda: "simple")
    root = write_tree(tmp_path, {".gitignore": f"*.log\n{REDOS}\n", "a" * 40: "", "x.log": ""})
    found = envlint.discovery.discover(root, Settings())
    assert "a" * 40 in found.files and "x.log" not in found.files
    assert [p.message for p in found.problems] == ["pattern too complex to match safely: ignored"]


# --- 8. huge integers are findings on the value, never a failed rule ---------------------------


@pytest.mark.parametrize("digits", [25, 400, 5000])
def test_huge_integers_are_findings_on_the_value(tmp_path: Path, digits: int) -> None:
    big = "9" * digits
    root = healthy(tmp_path / "root")
    write_tree(
        root,
        {
            "hostile/compose.yaml": "services:\n  kafka:\n    image: confluentinc/cp-kafka:7.6.0\n"
            f"    environment:\n      KAFKA_LOG_RETENTION_HOURS: {big}\n"
            f'      KAFKA_LOG_RETENTION_MS: "{big}"\n'
            "  app:\n    build: ./app\n    environment:\n      - TIMEOUT_MS\n      - RETRIES\n",
            "hostile/.env": f"TIMEOUT_MS={big}\nRETRIES=-{big}\n",
            "hostile/app/Dockerfile": "FROM python:3.12\n",
            "hostile/app/Program.cs": "using System;\nclass P { static void Main() {\n"
            '  var t = int.Parse(Environment.GetEnvironmentVariable("TIMEOUT_MS"));\n}}\n',
            "hostile/app/main.py": 'import os\nRETRIES = int(os.environ["RETRIES"])\n',
        },
    )
    done = envlint("check", root, "--isolated", "--format", "json")
    assert done.returncode == 1, no_traceback(done)
    findings = json.loads(done.stdout)["findings"]
    assert not [f for f in findings if f["code"] in ("ENV901", "ENV903")], findings
    at = {(f["code"], f["path"], f["line"]): f["message"] for f in findings}
    unquoted = at[("ENV305", "hostile/compose.yaml", 5)]
    if digits == 25:  # YAML reads 25 digits as the float 1e+25: Compose passes "1e+25"
        assert "is not an integer" in unquoted
    else:  # beyond a float too: the digits are passed as written
        assert "32-bit integer" in unquoted
    assert "64-bit integer" in at[("ENV305", "hostile/compose.yaml", 6)]
    assert "out of the range" in at[("ENV203", "hostile/app/Program.cs", 3)]
    if digits > 4300:  # Python's int() refuses more digits than that
        assert ("ENV203", "hostile/app/main.py", 2) in at
    else:
        assert ("ENV203", "hostile/app/main.py", 2) not in at
    assert big[:20] not in done.stdout.decode()  # the value itself is never quoted


# --- 7. ${VAR} handling in linear time, findings capped per file ---------------------------------


def test_a_value_with_20000_references_is_linear(tmp_path: Path) -> None:
    import time

    root = healthy(tmp_path / "root")
    write_tree(
        root,
        {
            "hostile/compose.yaml": "services:\n  app:\n    image: x\n    environment:\n"
            "      A: " + "${UNSET_REF}" * 20_000 + "\n      B: '" + "${Q}" * 5_000 + "'\n",
        },
    )
    start = time.perf_counter()
    done = envlint("check", root, "--isolated", "--format", "json")
    seconds = time.perf_counter() - start
    assert done.returncode == 1, no_traceback(done)
    assert seconds < 20, f"{seconds:.1f} s"  # 168 s for 20k references before
    everything = json.loads(done.stdout)["findings"]
    by_variable = {f["variable"]: f for f in everything if f["path"] == "hostile/compose.yaml"}
    unset, quoted = by_variable["UNSET_REF"], by_variable["Q"]
    # the columns are exact (one column map per value, not a search per reference)
    assert (unset["line"], unset["column"]) == (5, 10)
    assert [(r["line"], r["column"]) for r in unset["related"][:2]] == [(5, 22), (5, 34)]
    assert (quoted["line"], quoted["column"]) == (6, 11)
    assert PLANTED in {(f["code"], f["path"], f["line"]) for f in everything}


def test_an_env_file_of_100000_identical_lines_is_capped(tmp_path: Path) -> None:
    root = healthy(tmp_path / "root")
    write_tree(
        root,
        {
            "hostile/compose.yaml": "services:\n  app:\n    image: x\n    env_file: [big.env]\n",
            "hostile/big.env": "K=${U}\n" * 100_000,
        },
    )
    done = envlint("check", root, "--isolated", "--format", "json")
    assert done.returncode == 1, no_traceback(done)
    assert len(done.stdout) < 2_000_000  # was hundreds of megabytes for a million lines
    everything = json.loads(done.stdout)["findings"]
    assert max(len(f["related"]) for f in everything) <= 101  # at most 100, then "and N more"
    findings = [f for f in everything if f["path"] == "hostile/big.env"]
    assert len(findings) == 1001 and findings[-1]["code"] == "ENV901"
    assert "more findings in this file not shown" in findings[-1]["message"]


# --- 9. only regular files, with a size cap; jobs capped at the CPU count ----------------------


def fresh(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """A real process with a time-out: a FIFO opened for reading would block it forever."""
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8:strict", "NO_COLOR": "1"}
    argv = [sys.executable, "-m", "envlint", *map(str, args)]
    return subprocess.run(argv, capture_output=True, cwd=cwd, env=environment, timeout=60,
                          check=False)  # fmt: skip


@POSIX
@pytest.mark.parametrize(
    ("config", "args", "fragment"),
    [
        ('baseline = "fifo"', (), "cannot read baseline fifo: not a regular file"),
        ("", ("--baseline", "fifo"), "cannot read baseline fifo: not a regular file"),
        ("", ("--baseline", "/dev/zero"), "cannot read baseline /dev/zero: not a regular file"),
        ('baseline = "/dev/zero"', (), "outside the checked root"),
    ],
)
def test_a_fifo_or_device_as_baseline_is_a_usage_error(
    tmp_path: Path, config: str, args: tuple[str, ...], fragment: str
) -> None:
    root = healthy(tmp_path)
    os.mkfifo(root / "fifo")
    (root / "envlint.toml").write_text(config + "\n", encoding="utf-8")
    done = fresh("check", ".", *args, cwd=root)
    _one_error_line(done, fragment)


@POSIX
@pytest.mark.parametrize(
    "how", ["-f", "compose-files", "env_file", "--env-file", "include", "dockerfile"]
)
def test_a_fifo_named_by_the_repository_is_never_opened(tmp_path: Path, how: str) -> None:
    root = healthy(tmp_path)
    hostile = root / "hostile"
    hostile.mkdir()
    os.mkfifo(hostile / "fifo.yaml")
    compose = "services:\n  app:\n    image: x\n"
    args: list[str] = ["--format", "json"]
    if how == "env_file":
        compose += "    env_file: [fifo.yaml]\n"
    elif how == "include":
        compose = "include:\n  - fifo.yaml\n" + compose
    elif how == "dockerfile":
        compose = "services:\n  app:\n    build:\n      context: .\n      dockerfile: fifo.yaml\n"
    (hostile / "compose.yaml").write_text(compose, encoding="utf-8")
    if how == "-f":
        args += ["-f", "hostile/compose.yaml", "-f", "hostile/fifo.yaml"]
    elif how == "compose-files":
        (root / "envlint.toml").write_text(
            'compose-files = [["hostile/compose.yaml", "hostile/fifo.yaml"]]\n', encoding="utf-8"
        )
    elif how == "--env-file":
        args += ["--env-file", "hostile/fifo.yaml"]
    done = fresh("check", ".", *args, cwd=root)  # used to block on the FIFO
    assert done.returncode in (0, 1), no_traceback(done)
    findings = json.loads(done.stdout)["findings"]
    if how in ("-f", "compose-files"):
        notes = [f for f in findings if f["path"] == "hostile/fifo.yaml"]
        assert [f["message"] for f in notes] == ["not a regular file: not read"], findings
    elif how in ("env_file", "--env-file", "include"):  # a missing env file or include
        assert [f for f in findings if f["path"].startswith("hostile/")], findings


def test_a_huge_config_file_is_not_read(tmp_path: Path) -> None:
    root = healthy(tmp_path)
    with (root / "envlint.toml").open("w", encoding="utf-8") as handle:
        handle.write("# padding\n" * 200_000)  # 2 MB
    done = envlint("check", root)
    _one_error_line(done, "larger than 1048576 bytes")


def test_jobs_from_a_config_file_never_exceed_the_cpu_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from envlint import parallel

    root = healthy(tmp_path)
    files = {f"hostile/src/f{i}.go": f'package main\nimport "os"\nvar V{i} = os.Getenv("X{i}")\n'
             for i in range(12)}  # fmt: skip
    files["hostile/compose.yaml"] = "services:\n  app:\n    build: ./src\n"
    files["hostile/src/Dockerfile"] = "FROM golang\n"
    write_tree(root, files)
    (root / "envlint.toml").write_text("jobs = 48\n", encoding="utf-8")
    workers: list[int] = []
    monkeypatch.setattr(parallel, "cpu_count", lambda: 2)

    def pooled(func: Any, ctx: Any, items: Any, n: int) -> list[Any]:
        workers.append(n)
        return [func(ctx, item) for item in items]

    monkeypatch.setattr(parallel, "_pooled", pooled)
    monkeypatch.setenv("ENVLINT_PARALLEL_THRESHOLD", "1")
    done = envlint("check", root, "--format", "json", "--no-cache")
    assert done.returncode == 1, no_traceback(done)
    assert workers == [2]  # 48 asked, 2 CPUs


# --- 12. SIGTERM/SIGINT end the worker pool ------------------------------------------------------

# Imported by every interpreter of the test (the CLI and its spawned workers): each source file's
# analysis sleeps, so the workers are busy when the signal comes.
SLOW_WORKERS = """
import time
import envlint.filepass.run as file_pass

def _slow(job, item):
    time.sleep(60)
    return None, b""

file_pass._analyse_pickled = _slow
"""


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text()
        found.update(int(p) for p in text.split())
    return found


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize(("signal_name", "code"), [("SIGTERM", 143), ("SIGINT", 130)])
def test_a_signal_ends_the_worker_pool(tmp_path: Path, signal_name: str, code: int) -> None:
    import signal
    import time

    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SLOW_WORKERS, encoding="utf-8")
    root = healthy(tmp_path / "root")
    files = {f"hostile/src/f{i}.go": f'package main\nimport "os"\nvar V{i} = os.Getenv("X{i}")\n'
             for i in range(8)}  # fmt: skip
    files["hostile/compose.yaml"] = "services:\n  app:\n    build: ./src\n"
    files["hostile/src/Dockerfile"] = "FROM golang\n"
    write_tree(root, files)
    repo = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "PYTHONPATH": f"{hooks}{os.pathsep}{repo}",
        "ENVLINT_PARALLEL_THRESHOLD": "1",
        "ENVLINT_CACHE_DIR": str(tmp_path / "cache"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "envlint", "check", str(root), "--isolated", "--jobs", "2"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        workers: set[int] = set()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(workers) < 2:
            workers = {
                pid for pid in _children(process.pid)
                if b"resource_tracker" not in Path(f"/proc/{pid}/cmdline").read_bytes()
            }  # fmt: skip
            time.sleep(0.2)
        assert len(workers) == 2, "the pool did not start"
        time.sleep(3)  # let them pick up their (sleeping) chunks
        process.send_signal(getattr(signal, signal_name))
        _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == code, stderr.decode()
    last = stderr.decode().strip().splitlines()[-1]
    assert last in ("envlint: terminated", "envlint: interrupted")
    assert "Traceback" not in stderr.decode()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not [pid for pid in workers if _alive(pid)], "worker processes outlived envlint"


# --- 10. the analysis cache trusts nothing it did not write itself ------------------------------


def _cache_project(root: Path) -> Path:
    write_tree(
        root,
        {
            "hostile/compose.yaml": "services:\n  app:\n    build: ./src\n    environment:\n"
            "      DB_PASSWORD: COMPOSE-SECRET-ZZZ\n",
            "hostile/src/Dockerfile": "FROM golang\n",
            "hostile/src/main.go": 'package main\nimport "os"\nfunc main() {\n'
            '\tif os.Getenv("MUST") == "" {\n\t\tpanic("MUST")\n\t}\n}\n',
        },
    )
    return healthy(root)


@pytest.mark.parametrize("damage", ["five-bytes", "flip", "foreign-key", "pickle"])
def test_a_damaged_or_planted_cache_pack_is_ignored(
    tmp_path: Path, damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pickle
    import random

    home = tmp_path / "cache"
    monkeypatch.setenv("ENVLINT_CACHE_DIR", str(home))
    root = _cache_project(tmp_path / "root")
    args = ("check", root, "--isolated", "--format", "json")
    cold = json.loads(envlint(*args, "--no-cache").stdout)["findings"]
    assert ("ENV201", "hostile/src/main.go", 4) in {
        (f["code"], f["path"], f["line"]) for f in cold
    }
    envlint(*args)  # writes the packs (the source pass's and the start-up pass's)
    rng = random.Random(7)
    for pack in sorted(home.rglob("*.pack")):
        data = pack.read_bytes()
        if damage == "five-bytes":
            pack.write_bytes(data[:5])
        elif damage == "flip":
            flipped = bytearray(data)
            for _ in range(3):
                flipped[rng.randrange(len(flipped))] ^= 0xFF
            pack.write_bytes(bytes(flipped))
        elif damage == "foreign-key":  # planted by one who can write the file, not read the key
            pack.write_bytes(b"\x01" * 32 + data[32:])
        else:
            pack.write_bytes(pickle.dumps(os.system))
    done = envlint(*args)
    assert done.returncode == 1, no_traceback(done)
    assert json.loads(done.stdout)["findings"] == cold  # as if there were no cache
    assert "ignored" in done.stderr.decode()
    packs = b"".join(p.read_bytes() for p in home.rglob("*.pack"))
    assert b"COMPOSE-SECRET-ZZZ" not in packs  # compose values are never cached


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="chown needs root")
def test_a_shared_cache_dir_of_another_user_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "shared"
    home.mkdir(mode=0o777)
    os.chown(home, 4242, 4242)
    monkeypatch.setenv("ENVLINT_CACHE_DIR", str(home))
    root = _cache_project(tmp_path / "root")
    done = envlint("check", root, "--isolated", "--format", "json")
    assert done.returncode == 1, no_traceback(done)
    errors = done.stderr.decode().splitlines()
    assert errors == [f"envlint: note: the cache directory {home} belongs to another user: "
                      "cache not used"]  # fmt: skip
    assert list(home.iterdir()) == []


# --- [ordering] patterns from the repository's config -----------------------------------------

_LONG = "a" * 96 + "X"  # (a+)+$ on it: 2**96 steps for a backtracking engine
ORDERING_GO = f"package main\n\nfunc {_LONG}() {{}}\n\nfunc main() {{\n\t{_LONG}()\n}}\n"


@pytest.mark.skipif(
    __import__("importlib").util.find_spec("re2") is None, reason="google-re2 not installed"
)
def test_a_backtracking_ordering_pattern_in_the_repository_config_cannot_stall_the_run(
    tmp_path: Path,
) -> None:
    import time

    root = write_tree(
        tmp_path,
        {
            "envlint.toml": '[ordering]\npublish = ["(a+)+$"]\ndestructive = ["(a|aa)+$"]\n',
            "compose.yaml": "services:\n  app:\n    build: ./src\n",
            "src/Dockerfile": "FROM golang\n",
            "src/main.go": ORDERING_GO,
        },
    )
    start = time.process_time()
    done = envlint("check", root, "--select", "ENV401,ENV402", "--no-cache", "--format", "json")
    no_traceback(done)
    assert done.returncode in (0, 1)
    assert time.process_time() - start < 20  # Python's engine: 2**100 steps on that name
    (root / "envlint.toml").write_text('[ordering]\npublish = ["(?=send)send"]\n')
    refused = envlint("check", root, "--no-cache")
    assert refused.returncode == 2
    assert b"look-around or back-reference" in refused.stderr + refused.stdout
