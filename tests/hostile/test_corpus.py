"""Hostile input, end to end through the CLI: never exit 2, never a traceback, a finding at the
file and line at fault, the healthy neighbour project still checked, bounded time and memory.

Inputs are generated here (large ones would not belong in the repository).
"""

from __future__ import annotations

import os
import pathlib
from pathlib import Path

import pytest

from tests.conftest import write_tree
from tests.hostile._harness import healthy_root, run_check

HOSTILE = "hostile/compose.yaml"


def billion_laughs(levels: int = 9) -> bytes:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


def alias_fan_out(width: int = 30) -> bytes:
    """Four levels of ``width`` aliases: 300 bytes that expand to width**4 nodes."""
    rows = ["services:", "  x:", "    image: nginx", "    labels:"]
    rows.append("      a: &a [" + ",".join(['"${LOL}"'] * width) + "]")
    for name, prev in (("b", "a"), ("c", "b")):
        rows.append(f"      {name}: &{name} [" + ",".join([f"*{prev}"] * width) + "]")
    rows.append("      d: [" + ",".join(["*c"] * width) + "]")
    return ("\n".join(rows) + "\n").encode()


# (compose.yaml bytes, line of the finding, a fragment of its message)
MALFORMED_YAML = {
    "unclosed-flow": (b"services:\n  a:\n    environment: {A: [1, 2\n", 3, "expected"),
    "bad-indent": (b"services:\n  a:\n    image: x\n   environment:\n      A: 1\n", 4, "expected"),
    "tab-indent": (b"services:\n\ta:\n\t\timage: x\n", 2, "tabs are not allowed"),
    "unclosed-quote": (b'services:\n  a:\n    image: "abc\n', 3, "quoted scalar"),
    "unknown-alias": (b"services:\n  a: *nope\n", 2, "unknown anchor"),
    "value-after-value": (b"services:\n  a:\n    image: x: y\n", 3, "not allowed here"),
    "stray-bracket": (b"services:\n  a:\n    image: x\n]\n", 4, "expected"),
    "bad-directive": (b"%YAML 9.9\n---\nservices: {}\n", 1, "version"),
    "bad-escape": (b'services:\n  a:\n    image: "\\q"\n', 3, "escape"),
    # ruamel reports the flow node at the end of the stream, one line below the `[`
    "broken-second-document": (b"services:\n  a:\n    image: x\n---\nservices: [\n", 6, ""),
    "top-level-list": (b"- a\n- b\n", 1, "must be a mapping"),
    "top-level-scalar": (b"just a string\n", 1, "must be a mapping"),
    "empty": (b"", 1, "empty compose file"),
    "only-comments": (b"# nothing here\n", 1, "empty compose file"),
    "null-document": (b"null\n", 1, "empty compose file"),
    "duplicate-key": (b"services:\n  a:\n    image: x\n    image: y\n", 4, 'key "image" already'),
    "duplicate-service": (b"services:\n  a:\n    image: x\n  a:\n    image: y\n", 4, "already"),
    "nul-byte": (b"services:\n  a:\n    image: x\x00\n", 3, "NUL"),
    "binary": (bytes(range(256)) * 64, 1, "NUL"),
    "latin-1": ("services:\n  a:\n    image: caf\xe9\n".encode("latin-1"), 3, "UTF-8"),
    "billion-laughs": (billion_laughs(), 6, "more than"),
    "alias-fan-out": (alias_fan_out(), 8, "more than"),
    "deep-flow-nesting": (b"services:\n  a:\n    image: " + b"[" * 10_000, 3, "deeper"),
    "deep-flow-mapping": (b"x-deep: " + b"{a: " * 5_000 + b"1" + b"}" * 5_000, 1, "deeper"),
    "deep-block-nesting": (b"".join(b"  " * i + b"k%d:\n" % i for i in range(3000)), 201, "deeper"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED_YAML))
def test_malformed_compose_file(tmp_path: Path, case: str) -> None:
    data, line, fragment = MALFORMED_YAML[case]
    root = healthy_root(tmp_path)
    write_tree(root, {HOSTILE: data})
    out = run_check(root)
    hits = [f for f in out.at(HOSTILE) if f["code"] == "ENV901"]
    assert [(f["line"], f["severity"]) for f in hits] == [(line, "error")], out.findings
    assert fragment in hits[0]["message"]


def test_bom_and_crlf_keep_lines_and_values(tmp_path: Path) -> None:
    root = healthy_root(tmp_path)
    write_tree(
        root,
        {
            HOSTILE: b"\xef\xbb\xbfservices:\r\n  app:\r\n    image: nginx\r\n    environment:\r\n"
            b"      A: ${FROM_ENV}\r\n      B: ${MISSING_CRLF}\r\n",
            "hostile/.env": b"\xef\xbb\xbfFROM_ENV=1\r\n",
        },
    )
    out = run_check(root)
    assert out.triples("ENV101") >= {("ENV101", HOSTILE, 6)}
    assert ("ENV101", HOSTILE, 5) not in out.triples()  # the BOM/CRLF .env defines FROM_ENV
    assert not [f for f in out.findings if f["code"] == "ENV901"]


@pytest.mark.parametrize("name", ["nul", "binary", "latin-1"])
@pytest.mark.parametrize("where", [".env", "app.env", ".env.example"])
def test_unreadable_env_file_is_a_finding_and_compose_still_checked(
    tmp_path: Path, name: str, where: str
) -> None:
    data, line = {
        "nul": (b"A=1\nB=\x00\x01\n", 2),
        "binary": (bytes(range(256)) * 16, 1),
        "latin-1": ("A=1\nB=caf\xe9\n".encode("latin-1"), 2),
    }[name]
    root = healthy_root(tmp_path)
    write_tree(
        root,
        {
            HOSTILE: "services:\n  app:\n    image: nginx\n    env_file: [app.env]\n"
            "    environment:\n      X: ${STILL_CHECKED}\n",
            "hostile/app.env": "Y=1\n",
            f"hostile/{where}": data,
        },
    )
    out = run_check(root)
    assert ("ENV901", f"hostile/{where}", line) in out.triples()
    assert ("ENV101", HOSTILE, 6) in out.triples()  # the rest of this project too


def test_env_file_expansion_bomb(tmp_path: Path) -> None:
    """Nine lines, each ten copies of the one before: 10**10 characters if expanded."""
    lines = ["L0=" + "x" * 100] + [f"L{i}=" + f"${{L{i - 1}}}" * 10 for i in range(1, 9)]
    root = healthy_root(tmp_path)
    write_tree(
        root,
        {
            HOSTILE: "services:\n  app:\n    image: nginx\n    environment:\n      A: ${L8}\n",
            "hostile/.env": "\n".join(lines) + "\n",
        },
    )
    out = run_check(root)
    hits = [f for f in out.at("hostile/.env") if f["code"] == "ENV105"]
    assert [f["line"] for f in hits] == [7] and "expansion bomb" in hits[0]["message"]


def test_compose_value_expansion_bomb(tmp_path: Path) -> None:
    root = healthy_root(tmp_path)
    write_tree(
        root,
        {
            HOSTILE: "services:\n  app:\n    image: nginx\n    environment:\n      A: "
            + "${BIG}" * 20_000
            + "\n",
            "hostile/.env": "BIG=" + "y" * 1_000_000 + "\n",
        },
    )
    out = run_check(root, measure_memory=False)  # RSS: test_resources
    assert [f["line"] for f in out.at(HOSTILE) if f["code"] == "ENV901"] == [5]


def test_dockerfile_expansion_bomb(tmp_path: Path) -> None:
    lines = ["FROM alpine", "ENV D0=" + "z" * 100]
    lines += [f"ENV D{i}=" + f"${{D{i - 1}}}" * 10 for i in range(1, 9)]
    root = healthy_root(tmp_path)
    write_tree(
        root,
        {HOSTILE: "services:\n  app:\n    build: .\n", "hostile/Dockerfile": "\n".join(lines)},
    )
    out = run_check(root)
    assert [f["line"] for f in out.at("hostile/Dockerfile") if f["code"] == "ENV901"] == [8]


GO_APP = {
    HOSTILE: "services:\n  app:\n    build: ./src/app\n    environment:\n      - A=1\n",
    "hostile/src/app/Dockerfile": "FROM golang\n",
    "hostile/src/app/main.go": 'package main\n\nimport "os"\n\nfunc main() {\n'
    '\tif os.Getenv("SVC_VAR") == "" {\n\t\tpanic("SVC_VAR")\n\t}\n}\n',
}
GO_READ = ("ENV201", "hostile/src/app/main.go", 6)


def test_50mb_source_file_is_skipped_with_a_note(tmp_path: Path) -> None:
    root = healthy_root(tmp_path)
    write_tree(root, GO_APP)
    line = b'var _ = os.Getenv("X")\n'
    with (root / "hostile/src/app/huge.go").open("wb") as handle:
        handle.write(b"package main\n" + line * (50 * 1024 * 1024 // len(line)))
    out = run_check(root)
    assert ("ENV901", "hostile/src/app/huge.go", 1) in out.triples()
    assert GO_READ in out.triples()


def test_1mb_single_lines(tmp_path: Path) -> None:
    root = healthy_root(tmp_path)
    write_tree(root, GO_APP)
    write_tree(
        root,
        {
            HOSTILE: "services:\n  app:\n    build: ./src/app\n    environment:\n      BIG: "
            + "z" * 1_000_000
            + "${BIGREF}\n",
            "hostile/.env": "LONG=" + "x" * 1_000_000 + "\n",
            "hostile/src/app/long.py": f'import os\nx = "{"y" * 1_000_000}" + os.environ["P"]\n',
        },
    )
    out = run_check(root, measure_memory=False)  # RSS: test_resources
    assert {("ENV101", HOSTILE, 5), ("ENV201", "hostile/src/app/long.py", 2), GO_READ} <= (
        out.triples()
    )


def test_1mb_flow_sequence_on_one_line_is_bounded(tmp_path: Path) -> None:
    root = healthy_root(tmp_path)
    labels = ", ".join(f"l{i}" for i in range(150_000))
    write_tree(root, {HOSTILE: f"services:\n  app:\n    image: nginx\n    labels: [{labels}]\n"})
    out = run_check(root, measure_memory=False)
    assert [f["line"] for f in out.at(HOSTILE) if f["code"] == "ENV901"] == [4]


def test_thousands_of_services(tmp_path: Path) -> None:
    services = "".join(
        f"  s{i}:\n    image: nginx\n    environment:\n      V{i}: ${{V{i}}}\n"
        f"      SHARED: ${{SHARED:-x}}\n"
        for i in range(5_000)
    )
    root = healthy_root(tmp_path)
    write_tree(root, {HOSTILE: "services:\n" + services})
    out = run_check(root, measure_memory=False)
    # at most 1000 findings per file, then a note with the count (issue #18 item 7)
    assert len(out.triples("ENV101")) == 1_000 + 1
    assert ("ENV101", HOSTILE, 5 * 999 + 5) in out.triples()
    notes = [f for f in out.at(HOSTILE) if f["code"] == "ENV901"]
    assert [n["message"] for n in notes] == [
        "4000 more findings in this file not shown (at most 1000 per file)"
    ]


def test_symlink_loops_are_notes(tmp_path: Path) -> None:
    root = healthy_root(tmp_path)
    write_tree(root, GO_APP)
    hostile = root / "hostile"
    os.symlink("loop_b", hostile / "loop_a")
    os.symlink("loop_a", hostile / "loop_b")
    os.symlink(".", hostile / "src/app/self")
    os.symlink("..", hostile / "src/app/up")
    os.symlink("loop_a", hostile / ".env")
    out = run_check(root)
    notes = {f["path"] for f in out.findings if "loop" in f["message"]}
    assert notes == {"hostile/loop_a", "hostile/loop_b", "hostile/.env"}
    assert GO_READ in out.triples()
    assert sum(1 for f in out.findings if f["code"] == "ENV201") == 1  # `self` not walked


def test_symlinks_leaving_the_root_are_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    write_tree(
        outside,
        {
            "leak.env": "LEAKED_KEY=OUTSIDE-SECRET-TTT\n",
            "leak.go": 'package main\nimport "os"\nfunc init() { _ = os.Getenv("OUTSIDE_READ") }\n',
            "compose.yaml": "services:\n  outside:\n    image: x\n",
        },
    )
    root = healthy_root(tmp_path / "root")
    write_tree(root, GO_APP)
    hostile = root / "hostile"
    os.symlink(outside / "leak.env", hostile / ".env")
    os.symlink(outside / "leak.go", hostile / "src/app/leak.go")
    os.symlink(outside, hostile / "src/app/outdir")
    os.symlink(outside / "compose.yaml", hostile / "compose.override.yaml")
    out = run_check(root)
    notes = {f["path"] for f in out.findings if "outside the checked root" in f["message"]}
    assert notes == {"hostile/.env", "hostile/src/app/leak.go", "hostile/compose.override.yaml"}
    assert "LEAKED_KEY" not in out.output and "OUTSIDE" not in out.output
    assert GO_READ in out.triples()


OUTSIDE_REFS = {
    "env_file-parent": (
        "services:\n  app:\n    image: x\n    env_file: ../../outside/secret.env\n",
        ("ENV901", 4, "outside the checked root"),
    ),
    "env_file-absolute": (
        "services:\n  app:\n    image: x\n    env_file: {outside}/secret.env\n",
        ("ENV901", 4, "outside the checked root"),
    ),
    "env_file-url": (
        "services:\n  app:\n    image: x\n    env_file: https://example.com/x.env\n",
        # Compose reads it as a local path, which does not exist; named as written
        ("ENV104", 4, "env file https://example.com/x.env of service 'app' not found"),
    ),
    "include-parent": (
        "include:\n  - ../../outside/compose.yaml\nservices:\n  app:\n    image: x\n",
        ("ENV901", 2, "outside the checked root"),
    ),
    "include-absolute": (
        "include:\n  - {outside}/compose.yaml\nservices:\n  app:\n    image: x\n",
        ("ENV901", 2, "outside the checked root"),
    ),
    "include-https": (
        "include:\n  - https://example.com/compose.yaml\nservices:\n  app:\n    image: x\n",
        ("ENV901", 2, "remote include is not followed"),
    ),
    "include-git": (
        "include:\n  - git@github.com:org/repo.git\nservices:\n  app:\n    image: x\n",
        ("ENV901", 2, "remote include is not followed"),
    ),
    "extends-parent": (
        "services:\n  app:\n    extends:\n      file: ../../outside/compose.yaml\n"
        "      service: base\n",
        ("ENV901", 4, "outside the checked root or remote"),
    ),
    "extends-url": (
        "services:\n  app:\n    extends:\n      file: https://example.com/compose.yaml\n"
        "      service: base\n",
        ("ENV901", 4, "outside the checked root or remote"),
    ),
}


@pytest.mark.parametrize("case", sorted(OUTSIDE_REFS))
def test_references_outside_the_root_or_remote(tmp_path: Path, case: str) -> None:
    compose, (code, line, fragment) = OUTSIDE_REFS[case]
    outside = write_tree(
        tmp_path / "outside",
        {
            "secret.env": "LEAKED_KEY=OUTSIDE-SECRET-QQQ\n",
            "compose.yaml": "services:\n  base:\n    image: x\n    environment:\n"
            "      LEAKED_KEY: OUTSIDE-SECRET-RRR\n",
        },
    )
    root = healthy_root(tmp_path / "a" / "root")
    (root.parent / "outside").symlink_to(outside)  # ../../outside from hostile/
    write_tree(root, {HOSTILE: compose.replace("{outside}", str(outside))})
    out = run_check(root)
    hits = [f for f in out.at(HOSTILE) if f["code"] == code and fragment in f["message"]]
    assert [f["line"] for f in hits] == [line], out.findings
    assert "OUTSIDE-SECRET" not in out.output and "LEAKED_KEY" not in out.output


CYCLES = {
    "include-cycle": (
        {
            HOSTILE: "include:\n  - a.yaml\nservices:\n  app:\n    image: x\n",
            "hostile/a.yaml": "include:\n  - b.yaml\nservices:\n  a:\n    image: x\n",
            "hostile/b.yaml": "include:\n  - a.yaml\nservices:\n  b:\n    image: x\n",
        },
        ("hostile/b.yaml", 2),
    ),
    "include-self": (
        {HOSTILE: "include:\n  - compose.yaml\nservices:\n  app:\n    image: x\n"},
        (HOSTILE, 2),
    ),
    "extends-self": (
        {HOSTILE: "services:\n  app:\n    image: x\n    extends: app\n"},
        (HOSTILE, 4),
    ),
    "extends-cycle": (
        {HOSTILE: "services:\n  a:\n    extends: b\n  b:\n    extends: c\n  c:\n    extends: a\n"},
        (HOSTILE, 3),
    ),
    "extends-file-cycle": (
        {
            HOSTILE: "services:\n  a:\n    extends:\n      file: other.yaml\n      service: b\n",
            "hostile/other.yaml": "services:\n  b:\n    extends:\n      file: compose.yaml\n"
            "      service: a\n",
        },
        (HOSTILE, 4),
    ),
}


@pytest.mark.parametrize("case", sorted(CYCLES))
def test_circular_include_and_extends(tmp_path: Path, case: str) -> None:
    files, (path, line) = CYCLES[case]
    root = healthy_root(tmp_path)
    write_tree(root, files)
    out = run_check(root)
    cyclic = [f for f in out.at(path) if "circular" in f["message"] or "cycle" in f["message"]]
    hits = [f for f in cyclic if f["code"] == "ENV901"]
    assert [f["line"] for f in hits] == [line], out.findings


@pytest.mark.parametrize("name", [".env", "Dockerfile", ".env.example", ".gitignore"])
def test_fifo_is_never_opened(tmp_path: Path, name: str) -> None:
    root = healthy_root(tmp_path)
    write_tree(root, {HOSTILE: "services:\n  app:\n    build: .\n"})
    os.mkfifo(root / "hostile" / name)  # opening it for reading would block forever
    run_check(root)


def _deny(monkeypatch: pytest.MonkeyPatch, denied: set[Path]) -> None:
    """Make ``denied`` files and directories unreadable for this process, as chmod 000 would
    for a normal user (tests run as root, where chmod does not block reads)."""
    import builtins

    real_open, real_scandir, real_builtin_open = pathlib.Path.open, os.scandir, builtins.open
    real_os_open = os.open

    def guarded_builtin_open(file: object, *args: object, **kwargs: object) -> object:
        if isinstance(file, str | Path) and Path(os.path.abspath(file)) in denied:
            raise PermissionError(13, "Permission denied", str(file))
        return real_builtin_open(file, *args, **kwargs)  # type: ignore[call-overload]

    def guarded_open(self: Path, *args: object, **kwargs: object) -> object:
        if Path(os.path.abspath(self)) in denied:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    def guarded_scandir(path: object = ".") -> object:
        if Path(os.path.abspath(str(path))) in denied:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    def guarded_os_open(file: object, *args: object, **kwargs: object) -> int:
        if isinstance(file, str | Path) and Path(os.path.abspath(file)) in denied:
            raise PermissionError(13, "Permission denied", str(file))
        return real_os_open(file, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", guarded_os_open)
    monkeypatch.setattr(pathlib.Path, "open", guarded_open)
    monkeypatch.setattr(os, "scandir", guarded_scandir)
    monkeypatch.setattr(builtins, "open", guarded_builtin_open)


def test_unreadable_files_and_directories(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = healthy_root(tmp_path)
    write_tree(root, GO_APP)
    write_tree(
        root,
        {
            "hostile/.env": "A=1\n",
            "hostile/src/app/secret.go": 'package main\nimport "os"\nvar _ = os.Getenv("Q")\n',
            "hostile/locked/compose.yaml": "services:\n  x:\n    image: y\n",
        },
    )
    denied = {
        (root / "hostile/.env").resolve(),
        (root / "hostile/src/app/secret.go").resolve(),
        (root / "hostile/locked").resolve(),
    }
    for path in denied:
        path.chmod(0)
    try:
        if os.access(root / "hostile/.env", os.R_OK):  # root: chmod does not block; simulate
            _deny(monkeypatch, denied)
        out = run_check(root)
    finally:
        for path in denied:
            path.chmod(0o755)
    by_path = {f["path"]: f["message"] for f in out.findings if f["code"] == "ENV901"}
    assert "cannot read" in by_path["hostile/.env"]
    assert "not readable" in by_path["hostile/src/app/secret.go"]
    assert "cannot read directory" in by_path["hostile/locked"]
    assert GO_READ in out.triples()
