"""Differential tests: whole projects loaded by envlint and by Docker Compose v2.40.3.

Each case is a small project.  ``docker compose config --format json`` (the real binary, see
``compose_oracle``) gives every active service's environment and the "variable is not set"
warnings; envlint's ``load_workspace`` must give the same environments (``null`` = absent) and the
same set of warned variables.  Where Compose refuses the project, envlint must have recorded the
reason (a Problem or a failing ``${X:?}`` reference).

Known version differences (research §0) are ``xfail(strict=True)``: v2.40.3 embeds compose-go
v2.9.1, with eager nested defaults and an error for an included service redefined by the including
file; envlint models the current Compose (lazy defaults, the including file merged on top).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from envlint.compose import load_workspace
from envlint.config import Settings
from envlint.model import ComposeProject, ProblemKind, Workspace
from oracle.compose_oracle import PROJECT_NAME, OracleResult, run_config

pytestmark = pytest.mark.oracle


@dataclass(frozen=True)
class Case:
    files: Mapping[str, str]
    compose_files: tuple[str, ...] = ()  # -f list ( () : discovery in the project dir )
    env_files: tuple[str, ...] = ()  # --env-file list
    fails: bool = False  # Compose refuses the project
    marks: tuple[pytest.MarkDecorator, ...] = field(default=())


def _text(files: Mapping[str, str]) -> dict[str, str]:
    return {k: textwrap.dedent(v).lstrip("\n") for k, v in files.items()}


CASES: dict[str, Case] = {
    "env_file-precedence-65": Case(
        {
            "compose.yaml": """
                services:
                  s:
                    image: x
                    env_file: [a.env, b.env]
                    environment: [OVR=from_environment, PASS, PASS_UNRES]
            """,
            ".env": "PASS=dot\n",
            "a.env": "OVR=a\nPASS=a\nPASS_UNRES=a\nAB=a\n",
            "b.env": "AB=b\n",
        }
    ),
    "env_file-lookup-66": Case(
        {
            "compose.yaml": """
                services:
                  s:
                    image: x
                    env_file: e.env
                    environment: {SVC: svc, SHADOW: svc}
            """,
            ".env": "DOT=dot\n",
            "e.env": (
                "SHADOW=file\nI_SHADOW=${SHADOW}\nI_SVC=${SVC}\nI_DOT=${DOT}\n"
                "I_EARLIER=${EARLIER}\nEARLIER=late\nI_NAME=${COMPOSE_PROJECT_NAME}\n"
            ),
        }
    ),
    "interpolation-project-env-only-28": Case(
        {
            "compose.yaml": """
                services:
                  s:
                    image: x
                    env_file: e.env
                    environment: {Y: "1", Z: "${X}-${Y}"}
            """,
            "e.env": "X=1\n",
        }
    ),
    "environment-forms-29-32": Case(
        {
            "compose.yaml": """
                x-meta:
                  v: ${XMETA}
                services:
                  s:
                    image: x
                    environment:
                      INT: 1
                      FLOAT: 1.50
                      BIG: 1e6
                      BOOL: true
                      HEX: 0x1F
                      OCT: 0o17
                      YESV: yes
                      EMPTY: ""
                      NULLISH:
                      DOT:
                  t:
                    image: x
                    environment: [A=1, B, A=2, B=set, "EMPTY=", "EQ=a=b", "${K}=v", DOT]
            """,
            ".env": "DOT=dot\nK=KK\n",
        }
    ),
    "dotenv-chain-and-operators": Case(
        {
            "compose.yaml": """
                services:
                  s:
                    image: x
                    environment:
                      A: ${A}
                      B: ${B}
                      D: ${UNSET:-def}
                      E: ${EMPTY-hard}
                      F: ${EMPTY:+alt}
                      G: ${A:+alt}
                      H: $$A and $$$A
                      I: "${UNSET2:-${A}}"
                      J: '${U3:-{"json":1}}'
            """,
            ".env": "A=one\nB=${A}-two\nEMPTY=\nC='${A}'\n",
        }
    ),
    "compose-file-variable-39": Case(
        {
            "compose.yaml": "services: {s: {image: default}}\n",
            "a.yaml": "services: {s: {image: a, environment: {A: a}}}\n",
            "b.yaml": "services: {s: {environment: {B: b}}}\n",
            ".env": "COMPOSE_PATH_SEPARATOR=;\nCOMPOSE_FILE=a.yaml;b.yaml\n",
        }
    ),
    "profiles-40-78": Case(
        {
            "compose.yaml": """
                services:
                  always:
                    image: x
                  dbg:
                    image: x
                    profiles: [debug]
                    env_file: missing.env
                    environment: ["X=${UNSET_IN_PROFILE}"]
                  on:
                    image: x
                    profiles: [x]
                    env_file: on.env
            """,
            ".env": "COMPOSE_PROFILES= x , y\n",
            "on.env": "ON=${MISSING_IN_ON}\n",
        }
    ),
    "env_file-forms-67-69": Case(
        {
            "compose.yaml": """
                services:
                  s:
                    image: x
                    env_file:
                      - path: missing.env
                        required: false
                      - ${ENVF:-default}.env
                      - path: raw.env
                        format: raw
            """,
            ".env": "ENVF=prod\nBARE=b\n",
            "prod.env": "P=1\n",
            "raw.env": 'Q="quoted"  \nD=$HOME ${X}\nC=a # x\n  LEAD=1\nBARE\n',
        }
    ),
    "override-file-default-stack": Case(
        {
            "compose.yaml": "services: {s: {image: x, environment: {A: base, B: base}}}\n",
            "compose.override.yaml": "services: {s: {environment: {B: over, C: ~}}}\n",
        }
    ),
    "multiple-files-70-72": Case(
        {
            "compose.yaml": """
                services:
                  s:
                    image: x
                    environment: {A: base, B: base, C: base, FOO: foo}
                    env_file: base.env
                  r:
                    image: x
                    environment: {A: a, B: b}
                    env_file: [base.env]
            """,
            "sub/override.yaml": """
                services:
                  s:
                    environment:
                      B: over
                      C:
                      D: new
                      FOO: !reset null
                    env_file: ./x.env
                  r:
                    environment: !override {B: only}
                    env_file: !reset []
            """,
            "base.env": "E=base\nF=base\n",
            "x.env": "F=over\n",
            "sub/x.env": "F=wrong\n",
        },
        compose_files=("compose.yaml", "sub/override.yaml"),
    ),
    "env-file-flag-36": Case(
        {
            "compose.yaml": """
                services:
                  s:
                    image: x
                    environment: {A: "${A}", B: "${B}", C: "${C}"}
            """,
            ".env": "C=dot\n",
            "one.env": "A=one\nB=one\n",
            "two.env": "B=two\n",
        },
        env_files=("one.env", "two.env"),
    ),
    "include-env-74": Case(
        {
            "compose.yaml": """
                include: [sub/compose.yaml]
                services:
                  p:
                    image: x
                    environment: [SUBVAR, "M=${SUBVAR}"]
            """,
            ".env": "PARENT=parent\n",
            "sub/compose.yaml": """
                services:
                  k:
                    image: x
                    env_file: k.env
                    environment: [SUBVAR, "I=${SUBVAR}", "P=${PARENT}"]
            """,
            "sub/.env": "SUBVAR=x\nPARENT=sub\n",
            "sub/k.env": "K=1\n",
        }
    ),
    "include-env_file-map-null-75": Case(
        {
            "compose.yaml": """
                include:
                  - path: other/compose.yaml
                    env_file: ./custom.env
            """,
            "custom.env": "OVAR=custom\nMAPNULL=custom\nLISTNULL=custom\n",
            "other/compose.yaml": """
                services:
                  o:
                    image: x
                    environment:
                      O: ${OVAR}
                      MAPNULL:
                  l:
                    image: x
                    environment: [LISTNULL]
            """,
        }
    ),
    "extends-76": Case(
        {
            "compose.yaml": """
                services:
                  base:
                    image: x
                    environment: {A: base, B: base}
                  mid:
                    extends: base
                    environment: {B: mid}
                  s:
                    extends: {file: common/common.yaml, service: common}
                    environment: {OWN: own}
                  chain:
                    extends: mid
                    environment: [C=chain]
            """,
            "common/common.yaml": """
                services:
                  common:
                    image: x
                    env_file: ./c.env
                    environment: {X: "${XV:-xdef}"}
            """,
            "common/c.env": "CE=common\n",
            "c.env": "CE=wrong\n",
        }
    ),
    "anchors-multidoc-bare-keys": Case(
        {
            "compose.yaml": """
                x-common: &common
                  image: x
                  environment: &env
                    SHARED: ${SHARED_V}
                services:
                  a:
                    <<: *common
                    env_file: bare.env
                    environment:
                      <<: *env
                      FROM_SVC: svc
                ---
                services:
                  b:
                    image: x
                    environment: {SECOND: doc}
                  a:
                    environment: {FROM_SVC: second}
            """,
            ".env": "SHARED_V=shared\nFROM_DOT=dot\n",
            "bare.env": "FROM_DOT\nFROM_SVC\nNOWHERE\nexport EXP=1\n",
        }
    ),
    "extends-env_file-concat": Case(
        {
            "compose.yaml": """
                services:
                  base:
                    image: x
                    env_file: [one.env, two.env]
                  s:
                    extends: base
                    env_file: [three.env, one.env]
                    environment: [FROM_THREE]
            """,
            "one.env": "A=one\nB=one\n",
            "two.env": "B=two\nC=two\n",
            "three.env": "C=three\nA=three\nFROM_THREE=three\n",
        }
    ),
    "missing-env_file-67": Case(
        {"compose.yaml": "services: {s: {image: x, env_file: missing.env}}\n"}, fails=True
    ),
    "required-variable-9": Case(
        {"compose.yaml": 'services: {s: {image: x, environment: {V: "${U:?need it}"}}}\n'},
        fails=True,
    ),
    "invalid-template-20": Case(
        {"compose.yaml": 'services: {s: {image: x, environment: {V: "${1X}"}}}\n'}, fails=True
    ),
    "trailing-space-key-30": Case(
        {"compose.yaml": 'services: {s: {image: x, environment: ["A =1"]}}\n'}, fails=True
    ),
    "lazy-default-14": Case(
        {
            "compose.yaml": 'services: {s: {image: x, environment: {V: "${FOO:-${U2}}"}}}\n',
            ".env": "FOO=first\n",
        },
        marks=(
            pytest.mark.xfail(
                strict=True,
                reason="v2.40.3 (compose-go v2.9.1) interpolates unused defaults eagerly and "
                "warns about U2; envlint models lazy nesting (compose-go >= v2.10.1)",
            ),
        ),
    ),
    "lazy-required-15": Case(
        {
            "compose.yaml": 'services: {s: {image: x, environment: {V: "${FOO-${U:?boom}}"}}}\n',
            ".env": "FOO=first\n",
        },
        fails=True,  # what v2.40.3 does; current Compose gives V=first
        marks=(
            pytest.mark.xfail(
                strict=True,
                reason="v2.40.3 evaluates the unused `${U:?boom}` eagerly and fails; envlint "
                "models lazy nesting (compose-go >= v2.10.1), where the project loads",
            ),
        ),
    ),
    "lazy-alternate-16": Case(
        {"compose.yaml": 'services: {s: {image: x, environment: {V: "${A:+${A},}B"}}}\n'},
        marks=(
            pytest.mark.xfail(
                strict=True,
                reason="v2.40.3 warns about A inside the unused alternate; lazy nesting does not",
            ),
        ),
    ),
    "include-redefined-service": Case(
        {
            "compose.yaml": """
                include: [sub/compose.yaml]
                services:
                  k:
                    environment: {OVER: parent}
            """,
            "sub/compose.yaml": "services: {k: {image: x, environment: {SUB: sub}}}\n",
        },
        marks=(
            pytest.mark.xfail(
                strict=True,
                reason="v2.40.3 rejects a service redefined over an included one ('conflicts "
                "with imported resource'); compose-go >= v2.10.0 merges the including file on top",
            ),
        ),
    ),
    "build-args-79": Case(
        {
            "compose.yaml": """
                services:
                  s:
                    build:
                      context: .
                      args: [FROMDOT, MISSINGARG, EXPLICIT=1]
                    environment: [FROMDOT]
            """,
            "Dockerfile": "FROM scratch\n",
            ".env": "FROMDOT=d\n",
        }
    ),
    "secret-environment-80": Case(
        {  # `config` passes with TOKEN_VAR unset (only `up` fails): nothing fatal at load
            "compose.yaml": """
                services:
                  s:
                    image: x
                    secrets: [tok]
                secrets:
                  tok:
                    environment: TOKEN_VAR
            """,
        }
    ),
    "map-key-not-interpolated-25": Case(
        {
            "compose.yaml": """
                services:
                  s:
                    image: x
                    environment: {"${K}": v}
            """,
            ".env": "K=KK\n",
        }
    ),
    "list-name-interpolated-26": Case(
        {
            "compose.yaml": """
                services:
                  s:
                    image: x
                    environment: ["${K}=v"]
            """,
            ".env": "K=KK\n",
        }
    ),
}


def _envlint(tmp_path: Path, case: Case) -> Workspace:
    root = tmp_path / PROJECT_NAME  # the directory name gives the project name `-p` sets
    for rel, content in _text(case.files).items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    stacks = (case.compose_files,) if case.compose_files else ()
    return load_workspace(root, Settings(compose_files=stacks, env_files=case.env_files))


def _oracle(case: Case) -> OracleResult:
    args: list[str] = []
    for path in case.compose_files:
        args += ["-f", path]
    for path in case.env_files:
        args += ["--env-file", path]
    return run_config(_text(case.files), args=tuple(args))


def _main(ws: Workspace) -> ComposeProject:
    """The project Compose loads from the project directory (included dirs are projects too)."""
    (project,) = [p for p in ws.projects if p.directory == "." and not p.layer]
    return project


def _warned(project: ComposeProject) -> set[str]:
    refs = [*project.refs]
    for env_file in project.all_env_files():
        refs.extend(env_file.refs)
    return {r.name for r in refs if r.operator == "" and not r.is_set and not r.blocked}


def _fatal(ws: Workspace) -> bool:
    fatal_kinds = {
        ProblemKind.PARSE_ERROR,
        ProblemKind.MISSING_ENV_FILE,
        ProblemKind.INVALID_ENV_FILE,
        ProblemKind.INVALID_INTERPOLATION,
    }
    if any(p.kind in fatal_kinds for p in ws.problems):
        return True
    return any(
        r.operator in (":?", "?") and (not r.is_set or (r.operator == ":?" and r.is_empty))
        for r in _main(ws).refs
    )


@pytest.mark.parametrize("name", [pytest.param(n, marks=c.marks, id=n) for n, c in CASES.items()])
def test_project_matches_compose(name: str, tmp_path: Path, compose_binary: Path) -> None:
    case = CASES[name]
    oracle = _oracle(case)
    ws = _envlint(tmp_path, case)
    if case.fails:
        assert oracle.returncode != 0, "Compose accepted a project the case says it refuses"
        assert _fatal(ws), oracle.error
        return
    assert oracle.returncode == 0, oracle.error
    assert not _fatal(ws), ws.problems
    project = _main(ws)
    active = {s.name: s for s in project.services if s.active}
    assert set(active) == set(oracle.services)
    for svc_name, svc in active.items():
        got = {k: v.value for k, v in svc.environment.items()}
        assert got == oracle.environment(svc_name), svc_name
    assert _warned(project) == set(oracle.warned)


def test_os_environment_is_a_deliberate_difference(tmp_path: Path, compose_binary: Path) -> None:
    """Vectors 33-35: Compose lets the invoking shell win over `.env`.  envlint checks what the
    repository provides, so it ignores the OS environment by design (README: "How it reads a
    project"); this pins the difference instead of hiding it."""
    files = {
        "compose.yaml": "services:\n  s:\n    image: x\n    environment: [V, W]\n",
        ".env": "V=dot\nW=dot\n",
    }
    oracle = run_config(files, env={"V": "shell"})
    assert oracle.returncode == 0, oracle.error
    assert oracle.environment("s") == {"V": "shell", "W": "dot"}
    root = tmp_path / "p"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    ws = load_workspace(root, Settings(cache=False))
    service = _main(ws).service("s")
    assert service is not None
    assert {k: v.value for k, v in service.environment.items()} == {"V": "dot", "W": "dot"}


def test_build_arg_passthroughs_match_compose(tmp_path: Path, compose_binary: Path) -> None:
    """Vector 79 and its map form: a pass-through build arg is filled from the project
    environment, and one the environment lacks is left out (not passed empty); ENV103 reports
    exactly the ones Compose leaves out."""
    files = {
        "compose.yaml": textwrap.dedent(
            """
            services:
              s:
                build: {context: ., args: [FROMDOT, MISSINGARG, EXPLICIT=1]}
              t:
                build:
                  context: .
                  args: {FROMDOT: null, MISSINGMAP: null, EMPTY: ""}
            """
        ).lstrip("\n"),
        "Dockerfile": "FROM scratch\n",
        ".env": "FROMDOT=d\n",
    }
    oracle = run_config(files)
    assert oracle.returncode == 0, oracle.error
    root = tmp_path / PROJECT_NAME
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    project = _main(load_workspace(root, Settings(cache=False)))
    for name in ("s", "t"):
        build = oracle.services[name]["build"]
        assert isinstance(build, dict)
        kept = set(build.get("args") or {})
        service = project.service(name)
        assert service is not None
        passed = {a.name for a in service.build_args}
        assert passed & kept == {a.name for a in service.build_args if a.resolved}
        assert passed - kept == {a.name for a in service.build_args if not a.resolved}
    assert {a.name for s in project.services for a in s.build_args if not a.resolved} == {
        "MISSINGARG",
        "MISSINGMAP",
    }


def test_bare_dotenv_key_comes_from_the_invoking_environment(
    tmp_path: Path, compose_binary: Path
) -> None:
    """A bare `KEY` line in `.env` (vector 15 with a newline): Compose looks KEY up in the
    environment it runs in, and leaves it out when that lacks it (a plain `${KEY}` warns and is
    blank, a pass-through is absent).  envlint does not read that environment, so it records
    the line as inherited (ENV101 reports it as info) instead of calling KEY undefined."""
    files = {
        "compose.yaml": "services:\n  s:\n    image: x\n    environment: [BARE, 'R=${BARE}']\n",
        ".env": "BARE\n",
    }
    without = run_config(files)
    assert without.returncode == 0, without.error
    assert without.environment("s") == {"R": ""}
    assert without.warned == ("BARE",)
    with_shell = run_config(files, env={"BARE": "from-shell"})
    assert with_shell.environment("s") == {"BARE": "from-shell", "R": "from-shell"}
    root = tmp_path / PROJECT_NAME
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    project = _main(load_workspace(root, Settings(cache=False)))
    (dotenv,) = project.env_files
    assert [(k.key, k.location.line) for k in dotenv.inherited] == [("BARE", 1)]
    assert "BARE" not in project.environment
