"""envlint reads: it never writes into the checked tree, opens no network connection and runs
no program; a remote ``include:`` is a note, not a download."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from envlint.cli import cli
from tests.conftest import write_tree

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "incident"
REMOTE = """\
include:
  - https://example.com/compose.yaml
  - git@github.com:org/stack.git
  - oci://registry.example.com/stack:1
services:
  web:
    image: nginx
    env_file: [web.env]
    environment:
      PORT: ${PORT}
"""


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ENVLINT_CACHE_DIR", str(tmp_path / "user-cache"))  # outside the tree
    root = tmp_path / "tree"
    shutil.copytree(EXAMPLE, root)
    write_tree(
        root,
        {
            ".env": "CHECKOUT_PORT=8080\nKAFKA_ADDR=kafka:9092\n",
            ".gitignore": "ignored/\n",
            "remote/compose.yaml": REMOTE,
            "remote/web.env": "A=1\n",
            "src/py/app.py": "import os\nPORT = int(os.environ['PORT'])\n",
        },
    )
    (root / "link.env").symlink_to(".env")
    (root / "src/py/app.py").chmod(0o640)
    return root


def snapshot(root: Path) -> dict[str, tuple[Any, ...]]:
    """Every entry below ``root``: type, mode, mtime (ns), size, content hash or link target."""
    out: dict[str, tuple[Any, ...]] = {}
    for directory, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(directory) / name
            info = path.lstat()
            rel = str(path.relative_to(root))
            if path.is_symlink():
                out[rel] = ("link", os.readlink(path), info.st_mtime_ns)
            elif path.is_dir():
                out[rel] = ("dir", info.st_mode, info.st_mtime_ns)
            else:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                out[rel] = ("file", info.st_mode, info.st_mtime_ns, info.st_size, digest)
    info = root.lstat()
    out["."] = ("dir", info.st_mode, info.st_mtime_ns)
    return out


COMMANDS = [
    ["check", "{root}", "--format", "json"],
    ["check", "{root}", "--format", "sarif", "--statistics"],
    ["check", "{root}", "--format", "text", "--no-cache"],
    ["check", "{root}", "--format", "github", "--jobs", "2"],
    ["check", "{root}/remote", "--format", "junit"],
    ["trace", "KAFKA_ADDR", "{root}"],
    ["trace", "PORT", "{root}", "--format", "json"],
]


def test_check_and_trace_leave_the_tree_untouched(tree: Path) -> None:
    before = snapshot(tree)
    for command in COMMANDS:
        args = [a.replace("{root}", str(tree)) for a in command]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code in (0, 1), result.output
    assert snapshot(tree) == before


def test_a_real_process_writes_no_bytecode_or_cache_into_the_tree(tree: Path) -> None:
    before = snapshot(tree)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for args in (["check", "."], ["trace", "PORT", "."]):
        done = subprocess.run(
            [sys.executable, "-m", "envlint", *args],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode in (0, 1), done.stderr
    assert snapshot(tree) == before


class Forbidden(AssertionError):
    pass


def _forbid(*_args: object, **_kwargs: object) -> Any:
    raise Forbidden("envlint must not do this")


def _guard_network(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoSocket(socket.socket):
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise Forbidden("socket opened")

    monkeypatch.setattr(socket, "socket", NoSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "socketpair"):
        monkeypatch.setattr(socket, name, _forbid)
    monkeypatch.setattr(socket.socket, "connect", _forbid)


def _guard_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(subprocess, "Popen", _forbid)
    for name in ("run", "call", "check_call", "check_output", "getoutput"):
        monkeypatch.setattr(subprocess, name, _forbid)
    names = [n for n in dir(os) if n.startswith(("exec", "spawn", "posix_spawn"))]
    for name in [*names, "system", "popen", "fork", "forkpty"]:
        if hasattr(os, name):
            monkeypatch.setattr(os, name, _forbid)


@pytest.mark.parametrize("guard", [_guard_network, _guard_processes])
def test_no_network_and_no_programs(
    tree: Path, monkeypatch: pytest.MonkeyPatch, guard: Any
) -> None:
    guard(monkeypatch)
    for command in COMMANDS:
        args = [a.replace("{root}", str(tree)) for a in command]
        result = CliRunner().invoke(cli, args)
        assert not isinstance(result.exception, Forbidden), result.exception
        assert result.exit_code in (0, 1), result.output


def test_the_guards_would_catch_a_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    _guard_network(monkeypatch)
    _guard_processes(monkeypatch)
    with pytest.raises(Forbidden):
        socket.create_connection(("example.com", 443))
    with pytest.raises(Forbidden):
        subprocess.run(["true"], check=False)


def test_remote_includes_are_notes_not_fetched(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _guard_network(monkeypatch)
    result = CliRunner().invoke(cli, ["check", str(tree / "remote"), "--format", "json"])
    import json

    findings = json.loads(result.stdout)["findings"]
    notes = [
        (f["line"], f["severity"])
        for f in findings
        if f["code"] == "ENV901" and "remote include is not followed" in f["message"]
    ]
    assert notes == [(2, "info"), (3, "info"), (4, "info")]
    assert ("ENV101", 10) in {(f["code"], f["line"]) for f in findings}  # the rest is checked
