"""The Compose loader: service environments as Docker Compose v2 resolves them (research §2-§5)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from envlint.compose import load_workspace
from envlint.config import Settings
from envlint.model import ComposeProject, ProblemKind, Service, ValueSource, Workspace

Make = Callable[[Mapping[str, str | bytes]], Path]


def load(root: Path, **settings: object) -> Workspace:
    return load_workspace(root, Settings(**settings))  # type: ignore[arg-type]


def project_of(ws: Workspace, directory: str = ".", *, layer: bool = False) -> ComposeProject:
    found = [p for p in ws.projects if p.directory == directory and p.layer == layer]
    assert len(found) == 1, [(p.directory, p.files) for p in ws.projects]
    return found[0]


def service_of(ws: Workspace, name: str, directory: str = ".") -> Service:
    svc = project_of(ws, directory).service(name)
    assert svc is not None
    return svc


def env(ws: Workspace, name: str = "s", directory: str = ".") -> dict[str, str]:
    return {k: v.value for k, v in service_of(ws, name, directory).environment.items()}


def problems(ws: Workspace, kind: ProblemKind | None = None) -> set[tuple[str, str, int]]:
    return {
        (p.kind.value, p.location.path, p.location.line)
        for p in ws.problems
        if kind is None or p.kind == kind
    }


def unset_warnings(project: ComposeProject) -> set[str]:
    return {r.name for r in project.refs if r.operator == "" and not r.is_set and not r.blocked}


# -- service environment ---------------------------------------------------------------------


def test_env_file_precedence_and_passthrough(project: Make) -> None:  # vector 65
    root = project(
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
    )
    ws = load(root)
    assert env(ws) == {"OVR": "from_environment", "PASS": "dot", "AB": "b"}
    svc = service_of(ws, "s")
    assert svc.environment["AB"].source is ValueSource.ENV_FILE
    assert svc.environment["AB"].origin is not None
    assert svc.environment["AB"].origin.path == "b.env"
    assert svc.environment["PASS"].source is ValueSource.PASSTHROUGH
    assert svc.environment["OVR"].source is ValueSource.ENVIRONMENT
    assert [(p.name, p.resolved) for p in svc.passthroughs] == [
        ("PASS", True),
        ("PASS_UNRES", False),
    ]
    proj = project_of(ws)
    assert [f.path for f in proj.service_env_files] == ["a.env", "b.env"]
    assert all(f.role == "service" for f in proj.service_env_files)
    assert [f.path for f in proj.env_files] == [".env"]


def test_env_file_lookup_order(project: Make) -> None:  # vector 66
    root = project(
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
    )
    ws = load(root)
    got = env(ws)
    assert got["I_SHADOW"] == "svc"
    assert got["I_SVC"] == "svc"
    assert got["I_DOT"] == "dot"
    assert got["I_EARLIER"] == ""
    assert got["SHADOW"] == "svc"
    assert got["I_NAME"] == "proj"
    refs = project_of(ws).service_env_files[0].refs
    assert {(r.name, r.is_set) for r in refs if r.name == "EARLIER"} == {("EARLIER", False)}
    assert all(r.service == "s" for r in refs)


def test_environment_forms(project: Make) -> None:  # vectors 29-32
    root = project(
        {
            "compose.yaml": """
                services:
                  s:
                    image: x
                    environment:
                      INT: 1
                      FLOAT: 1.50
                      BOOL: true
                      HEX: 0x1F
                      YESV: yes
                      EMPTY: ""
                      NULLISH:
                  t:
                    image: x
                    environment: [A=1, B, A=2, B=set, "EMPTY=", "EQ=a=b", "T =1"]
            """,
        }
    )
    ws = load(root)
    assert env(ws) == {
        "INT": "1",
        "FLOAT": "1.5",
        "BOOL": "true",
        "HEX": "31",
        "YESV": "yes",
        "EMPTY": "",
    }
    assert env(ws, "t") == {"A": "2", "B": "set", "EMPTY": "", "EQ": "a=b"}
    assert problems(ws) == {("parse-error", "compose.yaml", 14)}


def test_unresolved_passthrough_erases_env_file_value(project: Make) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  s:
                    image: x
                    env_file: e.env
                    environment:
                      GONE:
            """,
            "e.env": "GONE=file\nKEPT=file\n",
        }
    )
    ws = load(root)
    assert env(ws) == {"KEPT": "file"}


def test_interpolation_sees_only_project_env(project: Make) -> None:  # vector 28
    root = project(
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
    )
    ws = load(root)
    assert env(ws)["Z"] == "-"
    assert unset_warnings(project_of(ws)) == {"X", "Y"}


def test_env_file_forms_missing_and_raw(project: Make) -> None:  # vectors 67, 68, 69
    root = project(
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
                  t:
                    image: x
                    env_file: gone.env
            """,
            ".env": "ENVF=prod\n",
            "prod.env": "P=1\n",
            "raw.env": 'Q="quoted"  \nD=$HOME ${X}\n',
        }
    )
    ws = load(root)
    assert env(ws) == {"P": "1", "Q": '"quoted"  ', "D": "$HOME ${X}"}
    assert problems(ws) == {("missing-env-file", "compose.yaml", 12)}
    refs = service_of(ws, "s").env_files
    assert [(r.path, r.required, r.format, r.exists) for r in refs] == [
        ("missing.env", False, "", False),
        ("prod.env", True, "", True),
        ("raw.env", True, "raw", True),
    ]
    assert refs[1].location.line == 7


# -- project environment -----------------------------------------------------------------------


def test_project_env_and_pwd(project: Make) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  s:
                    image: x
                    environment: ["W=${WHERE}", "P=${PWD}", "N=${COMPOSE_PROJECT_NAME}"]
            """,
            ".env": "WHERE=dot\nPWD=ignored\n",
        }
    )
    ws = load(root)
    got = env(ws)
    assert got == {"W": "dot", "P": str(root.resolve()), "N": "proj"}
    proj = project_of(ws)
    assert proj.environment["PWD"].source is ValueSource.COMPOSE_DEFAULT
    assert proj.environment["WHERE"].source is ValueSource.PROJECT_ENV_FILE


def test_env_files_setting_replaces_dotenv(project: Make) -> None:  # vector 36
    root = project(
        {
            "compose.yaml": """
                services:
                  s:
                    image: x
                    environment: ["A=${A}", "B=${B}", "C=${C}"]
            """,
            ".env": "C=dot\n",
            "one.env": "A=one\nB=one\n",
            "two.env": "B=two\nR=${A}\n",
        }
    )
    ws = load(root, env_files=("one.env", "two.env", "nope.env"))
    assert env(ws) == {"A": "one", "B": "two", "C": ""}
    proj = project_of(ws)
    assert [(f.path, f.exists) for f in proj.env_files] == [
        ("one.env", True),
        ("two.env", True),
        ("nope.env", False),
    ]
    assert proj.environment["R"].value == "one"
    assert problems(ws) == {("missing-env-file", "nope.env", 1)}


def test_project_name_precedence(project: Make) -> None:  # vectors 41-43
    root = project(
        {
            "a/compose.yaml": """
                name: ${PN}
                services:
                  s:
                    image: x
                    environment: ["N=${COMPOSE_PROJECT_NAME}"]
            """,
            "a/.env": "PN=My_Proj!\n",
            "b/compose.yaml": "name: ignored\nservices: {s: {image: x}}\n",
            "b/.env": "COMPOSE_PROJECT_NAME=fromenv\n",
            "Dir.Name/compose.yaml": "services: {s: {image: x}}\n",
            "bad/compose.yaml": "services: {s: {image: x}}\n",
            "bad/.env": "COMPOSE_PROJECT_NAME=Bad Name\n",
        }
    )
    ws = load(root)
    names = {p.directory: p.name for p in ws.projects}
    assert names == {"a": "my_proj", "b": "fromenv", "Dir.Name": "dirname", "bad": "badname"}
    assert env(ws, directory="a") == {"N": "my_proj"}
    assert problems(ws) == {("note", "bad/.env", 1)}


def test_profiles(project: Make) -> None:  # vectors 40, 77, 78
    root = project(
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
            "on.env": "ON=1\n",
        }
    )
    ws = load(root)
    proj = project_of(ws)
    assert {s.name: s.active for s in proj.services} == {"always": True, "dbg": False, "on": True}
    assert problems(ws) == set()  # an inactive service's env_file is not read
    assert "UNSET_IN_PROFILE" in unset_warnings(proj)  # ...but it is still interpolated
    assert env(ws, "on") == {"ON": "1"}


# -- stacks ------------------------------------------------------------------------------------


def test_default_stack_and_layers(project: Make) -> None:  # SPEC §6, vector 73
    root = project(
        {
            "compose.yaml": "services: {s: {image: base, environment: {A: base, B: base}}}\n",
            "compose.override.yaml": "services: {s: {environment: {B: over}}}\n",
            "docker-compose.override.yml": "services: {s: {environment: {B: ignored}}}\n",
            "compose.full.yaml": "services: {s: {environment: {C: full}}, k: {image: kafka}}\n",
            "other/compose.prod.yaml": "services: {p: {image: p}}\n",
            "other/compose.dev.yaml": "services: {d: {image: d}}\n",
        }
    )
    ws = load(root)
    # a partial file (a service without image or build) is a layer over the default stack,
    # override included (#11 item 4); complete files in a directory without a default file
    # are stacks of their own
    assert [(p.directory, p.files, p.kind) for p in ws.projects] == [
        (".", ("compose.yaml", "compose.override.yaml"), "default"),
        (".", ("compose.yaml", "compose.override.yaml", "compose.full.yaml"), "layer"),
        (".", ("compose.yaml", "compose.override.yaml", "docker-compose.override.yml"), "layer"),
        ("other", ("other/compose.dev.yaml",), "alone"),
        ("other", ("other/compose.prod.yaml",), "alone"),
    ]
    assert env(ws) == {"A": "base", "B": "over"}
    layer = ws.projects[1]
    svc = layer.service("s")
    assert svc is not None
    assert {k: v.value for k, v in svc.environment.items()} == {
        "A": "base",
        "B": "over",
        "C": "full",
    }


# eShopOnContainers: docker-compose-tests.override.yml belongs on docker-compose-tests.yml; over
# the default files, which envlint pairs it with by its name, its services have no image
TEST_OVERLAY_FILE = "docker-compose-tests.override.yml"
TEST_OVERLAY = {
    "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n",
    "docker-compose.override.yml": "services:\n  db:\n    ports: ['5433:5432']\n",
    "docker-compose-tests.yml": "services:\n  db-test:\n    image: postgres:16\n",
    TEST_OVERLAY_FILE: (
        "services:\n  db-test:\n    ports: ['5433:5432']\n"
        "    environment:\n      PASSWORD: ${TEST_DB_PASSWORD}\n"
    ),
}


def test_a_guessed_layer_whose_service_has_no_image_is_not_a_stack(project: Make) -> None:
    root = project(TEST_OVERLAY)
    ws = load(root)
    # the combination is not checked: no project, so no refs or services of it
    assert [(p.files, p.kind) for p in ws.projects] == [
        (("docker-compose.yml", "docker-compose.override.yml"), "default"),
        (("docker-compose-tests.yml",), "alone"),
    ]
    assert not any(r.name == "TEST_DB_PASSWORD" for p in ws.projects for r in p.refs)
    # only the note says what the files are, and names the stack with the file that gives
    # db-test an image
    (note,) = ws.problems
    assert (note.kind, note.location.path, note.location.line) == (
        ProblemKind.NOTE,
        "docker-compose-tests.override.yml",
        2,
    )
    assert "envlint does not check them as one" in note.message
    hint = 'compose-files = [["docker-compose-tests.yml", "docker-compose-tests.override.yml"]]'
    assert note.message.endswith(hint)
    # two files that could be its base: the hint does not pick one
    root = project({**TEST_OVERLAY, "ci/compose.yml": "services:\n  db-test:\n    build: .\n"})
    (note,) = load(root).problems
    assert '[["<base file>", "docker-compose-tests.override.yml"]]' in note.message
    # the stack named in the config is checked as given: Compose refuses it, an error
    stack = ("docker-compose.yml", "docker-compose.override.yml", TEST_OVERLAY_FILE)
    ws = load(root, compose_files=(stack,))
    assert [(p.files, p.kind) for p in ws.projects] == [(stack, "explicit")]
    assert problems(ws) == {("parse-error", TEST_OVERLAY_FILE, 2)}


def test_compose_file_variable(project: Make) -> None:  # vector 39
    root = project(
        {
            "compose.yaml": "services: {s: {image: default}}\n",
            "a.yaml": "services: {s: {image: a, environment: {A: a}}}\n",
            "b.yaml": "services: {s: {environment: {B: b}}}\n",
            ".env": "COMPOSE_PATH_SEPARATOR=;\nCOMPOSE_FILE=a.yaml;b.yaml\n",
        }
    )
    ws = load(root)
    main = project_of(ws)
    assert main.files == ("a.yaml", "b.yaml")
    assert env(ws) == {"A": "a", "B": "b"}


def test_explicit_stacks_merge_and_paths(project: Make) -> None:  # vectors 70-72
    root = project(
        {
            "compose.yaml": """
                services:
                  s:
                    image: x
                    environment: {A: base, B: base, C: base, FOO: foo, KEEP: k}
                    env_file: base.env
                  r:
                    image: x
                    environment: {A: a, B: b}
                    env_file: [base.env]
            """,
            "sub/override.yaml": """
                services:
                  s:
                    environment: [B=over, C, D=new, FOO=!reset]
                    env_file: ./x.env
                  r:
                    environment: !override {B: only}
                    env_file: !reset []
            """,
            "base.env": "E=base\nF=base\n",
            "x.env": "F=over\n",
            "sub/x.env": "F=wrong\n",
        }
    )
    ws = load(root, compose_files=(("compose.yaml", "sub/override.yaml"),))
    assert [p.files for p in ws.projects] == [("compose.yaml", "sub/override.yaml")]
    got = env(ws)
    assert got == {
        "A": "base",
        "B": "over",
        "D": "new",
        "E": "base",
        "F": "over",
        "FOO": "!reset",
        "KEEP": "k",
    }
    assert env(ws, "r") == {"B": "only"}


def test_reset_tag_in_map_removes_key(project: Make) -> None:  # vector 72
    root = project(
        {
            "compose.yaml": "services: {s: {image: x, environment: {FOO: a, BAR: b}}}\n",
            "compose.override.yaml": "services:\n  s:\n    environment:\n      FOO: !reset null\n",
        }
    )
    assert env(load(root)) == {"BAR": "b"}


# -- include / extends -------------------------------------------------------------------------


def test_include_env_and_fragments(project: Make) -> None:  # vector 74
    root = project(
        {
            "compose.yaml": """
                include: [sub/compose.kafka.yaml]
                services:
                  p:
                    image: x
                    environment: [SUBVAR, "M=${SUBVAR}"]
            """,
            ".env": "PARENT=parent\n",
            "sub/compose.kafka.yaml": """
                services:
                  k:
                    image: x
                    env_file: k.env
                    environment: [SUBVAR, "I=${SUBVAR}", "P=${PARENT}"]
            """,
            "sub/.env": "SUBVAR=x\nPARENT=sub\n",
            "sub/k.env": "K=1\n",
        }
    )
    ws = load(root)
    assert [p.directory for p in ws.projects] == ["."]  # the fragment is not its own project
    proj = ws.projects[0]
    assert proj.included_files == ("sub/compose.kafka.yaml",)
    assert env(ws, "k") == {"SUBVAR": "x", "I": "x", "P": "parent", "K": "1"}
    assert env(ws, "p") == {"M": ""}
    assert unset_warnings(proj) == {"SUBVAR"}
    assert {f.path for f in proj.env_files} == {".env", "sub/.env"}


def test_include_long_form_and_map_null_quirk(project: Make) -> None:  # vector 75
    root = project(
        {
            "compose.yaml": """
                include:
                  - path: other/compose.yaml
                    env_file: ./custom.env
                services: {}
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
    )
    ws = load(root)
    assert env(ws, "o") == {"O": "custom"}
    assert env(ws, "l") == {"LISTNULL": "custom"}


def test_include_problems(project: Make, tmp_path: Path) -> None:
    (tmp_path / "outside.yaml").write_text("services: {}\n")
    root = project(
        {
            "compose.yaml": """
                include:
                  - https://example.com/compose.yaml
                  - ../outside.yaml
                  - a.yaml
                  - nope.yaml
                services:
                  s: {image: x}
            """,
            "a.yaml": "include: [b.yaml]\nservices: {a: {image: a}}\n",
            "b.yaml": "include: [a.yaml]\nservices: {b: {image: b}}\n",
        }
    )
    ws = load(root)
    assert problems(ws) == {
        ("note", "compose.yaml", 2),
        ("note", "compose.yaml", 3),
        ("parse-error", "compose.yaml", 5),
        ("parse-error", "b.yaml", 1),
    }
    assert {s.name for s in project_of(ws).services} == {"s", "a", "b"}


def test_extends_same_file_and_base_file(project: Make) -> None:  # vector 76
    root = project(
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
    )
    ws = load(root)
    assert env(ws) == {"CE": "common", "X": "xdef", "OWN": "own"}
    assert env(ws, "chain") == {"A": "base", "B": "mid", "C": "chain"}
    proj = project_of(ws)
    assert proj.included_files == ("common/common.yaml",)
    assert [p.directory for p in ws.projects] == ["."]
    assert service_of(ws, "s").env_files[0].path == "common/c.env"


def test_extends_cycle_and_missing(project: Make) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  a:
                    extends: b
                    image: x
                  b:
                    extends: a
                  c:
                    extends: nope
            """,
        }
    )
    ws = load(root)
    assert ("parse-error", "compose.yaml", 8) in problems(ws)
    assert any("cycle" in p.message for p in ws.problems)


# -- references and locations ------------------------------------------------------------------


def test_reference_locations(project: Make) -> None:
    root = project(
        {
            "compose.yaml": (
                "x-meta:\n"
                "  v: ${XMETA}\n"
                "services:\n"
                "  s:\n"
                "    image: x\n"
                '    command: "a \\t ${CMD:?need it}"\n'
                "    environment:\n"
                "      - K=${K1}$K2\n"
                "      - ${K}=v\n"
                "    labels:\n"
                "      script: |\n"
                "        echo one\n"
                "        echo ${BLOCK}\n"
                '      bad: "${1X}"\n'
            ),
        }
    )
    ws = load(root)
    refs = {r.name: r for r in project_of(ws).refs}
    where = {
        n: (r.location.line, r.location.column, r.location.end_column) for n, r in refs.items()
    }
    assert where == {
        "XMETA": (2, 6, 14),
        "CMD": (6, 20, 35),
        "K1": (8, 11, 16),
        "K2": (8, 16, 19),
        "K": (9, 9, 13),
        "BLOCK": (13, 14, 22),
    }
    assert refs["CMD"].operator == ":?"
    assert refs["CMD"].message == "need it"
    assert refs["K1"].context == "services.s.environment.K"
    assert refs["K1"].service == "s"
    assert refs["XMETA"].service is None
    assert refs["BLOCK"].context == "services.s.labels.script"
    assert problems(ws) == {("invalid-interpolation", "compose.yaml", 14)}
    assert [p.location.column for p in ws.problems] == [13]


def test_keys_are_not_interpolated(project: Make) -> None:  # vectors 25, 26
    root = project(
        {
            "compose.yaml": """
                services:
                  s:
                    image: x
                    environment: {"${K}": v}
                  t:
                    image: x
                    environment: ["${K}=v"]
            """,
            ".env": "K=KK\n",
        }
    )
    ws = load(root)
    assert env(ws) == {"${K}": "v"}
    assert env(ws, "t") == {"KK": "v"}


# -- build, image, restart -------------------------------------------------------------------


def test_build_source_dir_and_restart(project: Make) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  acc:
                    build:
                      context: ./
                      dockerfile: ./src/accounting/Dockerfile
                      target: final
                    restart: unless-stopped
                  web:
                    build: web
                    deploy: {restart_policy: {condition: on-failure}}
                  remote:
                    build: https://github.com/a/b.git
                  img:
                    image: redis:7
                  over:
                    build: .
            """,
        }
    )
    ws = load(root, service_sources={"over": "src/over"})
    acc = service_of(ws, "acc")
    assert (acc.build_context, acc.dockerfile, acc.build_target, acc.source_dir) == (
        ".",
        "src/accounting/Dockerfile",
        "final",
        "src/accounting",
    )
    assert acc.restart == "unless-stopped"
    assert acc.restarts
    web = service_of(ws, "web")
    assert (web.build_context, web.dockerfile, web.source_dir) == ("web", "web/Dockerfile", "web")
    assert web.deploy_restart == "on-failure"
    assert web.restarts
    remote = service_of(ws, "remote")
    assert (remote.build_context, remote.source_dir) == (None, None)
    assert service_of(ws, "img").image == "redis:7"
    assert service_of(ws, "over").source_dir == "src/over"
    assert service_of(ws, "acc").raw["restart"] == "unless-stopped"
    assert {(p.directory, s.name): s.source_dir for p, s in ws.services() if s.source_dir} == {
        (".", "acc"): "src/accounting",
        (".", "web"): "web",
        (".", "over"): "src/over",
    }


def test_image_env_from_dockerfile(project: Make) -> None:
    root = project(
        {
            "compose.yaml": """
                services:
                  s:
                    build:
                      context: .
                      target: app
                      args: [VERSION, MISSING]
                    environment: [ERASED, "OWN=compose"]
            """,
            ".env": "VERSION=1.2\n",
            "Dockerfile": (
                "FROM python:3.12 AS base\n"
                "ENV BASE=b ERASED=image OWN=image\n"
                "FROM base AS app\n"
                "ARG VERSION\n"
                "ENV APP_VERSION=$VERSION\n"
                "FROM app AS other\n"
                "ENV OTHER=1\n"
            ),
        }
    )
    ws = load(root)
    svc = service_of(ws, "s")
    assert {k: v.value for k, v in svc.image_env.items()} == {
        "BASE": "b",
        "OWN": "image",
        "APP_VERSION": "1.2",
    }
    assert svc.image_env["BASE"].source is ValueSource.IMAGE
    assert svc.image_env["BASE"].origin is not None
    assert svc.image_env["BASE"].origin.path == "Dockerfile"
    assert svc.dockerfile_from == "python:3.12"
    assert "ERASED" not in svc.environment
    own = svc.provides("OWN")
    assert own is not None
    assert own.value == "compose"


def test_build_args_image_env_and_the_shared_dockerfile_parse(project: Make) -> None:
    from envlint.compose.dockerfile import parsed_dockerfile

    dockerfile = (
        "FROM python:3.12\nARG DEBUG\nARG RATE\nARG VERSION\nENV D=$DEBUG R=$RATE V=$VERSION\n"
    )
    root = project(
        {
            "compose.yaml": """
                services:
                  s:
                    build: {context: ., args: {DEBUG: true, RATE: 1.0, VERSION: }}
            """,
            ".env": "VERSION=1.2\n",
            "Dockerfile": dockerfile,
        }
    )
    svc = service_of(load(root), "s")
    # Compose's strings (`true`, Go's `1`), the pass-through from the project env
    assert {k: v.value for k, v in svc.image_env.items()} == {"D": "true", "R": "1", "V": "1.2"}
    args = {"VERSION": "1.2", "RATE": "1", "DEBUG": "true"}
    assert parsed_dockerfile(dockerfile, "Dockerfile", args).effective_env()[0].value == "true"


def test_a_dockerfile_has_a_substitution_budget_of_its_own(project: Make) -> None:
    lines = ["L0=" + "x" * 100] + [f"L{i}=" + f"${{L{i - 1}}}" * 10 for i in range(1, 9)]
    root = project(
        {
            "a/compose.yaml": "services: {app: {image: x, environment: {A: ${L8}}}}\n",
            "a/.env": "\n".join(lines) + "\n",
            "b/compose.yaml": "services: {web: {build: .}}\n",
            "b/Dockerfile": "FROM alpine\nARG V=1\nENV W=$V\n",
        }
    )
    ws = load(root)
    assert {k: v.value for k, v in service_of(ws, "web", "b").image_env.items()} == {"W": "1"}
    assert not [p for p in ws.problems if p.location.path == "b/Dockerfile"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            {"A": "x", "B": True, "C": 1.0, "D": 7, "E": None},
            {"A": "x", "B": "true", "C": "1", "D": "7", "E": None},
        ),
        (["A=x=y", "B", "C=", True, 5], {"A": "x=y", "B": None, "C": "", "true": None, "5": None}),
        ({"A": {"nested": 1}, "B": [1], "C": "c"}, {"C": "c"}),  # Compose refuses these
        ([{"A": 1}, None, ["B"], "A=1", "A=2"], {"A": "2"}),  # the last value wins
        ("A=1", {}),
        (None, {}),
    ],
)
def test_build_arg_values_as_compose_reads_them(
    args: object, expected: dict[str, str | None]
) -> None:
    from envlint.compose.loader import build_arg_values

    assert build_arg_values(args) == expected


# -- bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"\x00\x01binary", 1),
        (b"services: [\n", 2),
        (b"- a\n- b\n", 1),
        (b"", 1),
        (b"\xff\xfe not utf8", 1),
    ],
)
def test_bad_compose_file_is_a_problem(project: Make, content: bytes, line: int) -> None:
    root = project(
        {
            "bad/compose.yaml": content,
            "good/compose.yaml": "services: {s: {image: x, environment: {A: a}}}\n",
        }
    )
    ws = load(root)
    assert env(ws, directory="good") == {"A": "a"}
    bad = [p for p in ws.problems if p.location.path == "bad/compose.yaml"]
    assert [p.kind for p in bad] == [ProblemKind.PARSE_ERROR]
    assert bad[0].location.line >= line


def test_too_large_file(project: Make) -> None:
    root = project({"compose.yaml": "services: {s: {image: x}}\n" + "#" * 200 + "\n"})
    ws = load(root, max_file_bytes=100)
    assert problems(ws) == {("parse-error", "compose.yaml", 1)}
    assert project_of(ws).services == ()


def test_example_env_files_and_files_read(project: Make) -> None:
    root = project(
        {
            "compose.yaml": "services: {s: {env_file: e.env}, t: {env_file: e.env}}\n",
            "e.env": "A=1\n",
            ".env.example": "A=\nB=${NOT_LOOKED_UP}\n",
        }
    )
    ws = load(root)
    assert [(f.path, f.role, sorted(f.keys())) for f in ws.example_env_files] == [
        (".env.example", "example", ["A", "B"])
    ]
    assert ws.files_read == 3
    assert ws.files == (".env.example", "compose.yaml", "e.env")


def test_two_loads_are_identical(project: Make) -> None:
    root = project(
        {
            "compose.yaml": 'services: {s: {image: x, environment: ["A=${A}"]}}\n',
            ".env": "A=1\n",
        }
    )
    assert load(root) == load(root)


# -- discovery of stacks: more cases ---------------------------------------------------------------


def test_compose_file_in_subdir_two_env_passes(project: Make) -> None:  # vector 45 (mirrored)
    root = project(
        {
            "compose.yaml": "services: {ignored: {image: x}}\n",
            ".env": "COMPOSE_FILE=app/compose.app.yaml:missing.yaml\nWHERE=top\n",
            "app/compose.app.yaml": """
                services:
                  s:
                    image: x
                    env_file: local.env
                    environment: ["W=${WHERE}", "O=${ONLY_APP}", "P=${PWD}"]
            """,
            "app/.env": "WHERE=app\nONLY_APP=app\n",
            "app/local.env": "L=1\n",
        }
    )
    ws = load(root)
    main = project_of(ws, "app")
    assert main.files == ("app/compose.app.yaml",)
    # pass 1 (.env of the cwd) wins over pass 2 (.env of the project dir); PWD is the cwd;
    # relative paths resolve against the project directory.
    assert env(ws, directory="app") == {"W": "top", "O": "app", "P": str(root), "L": "1"}
    assert [f.path for f in main.env_files] == [".env", "app/.env"]
    assert problems(ws) == {("parse-error", ".env", 1)}  # missing.yaml


def test_included_file_in_same_dir_is_not_a_layer(project: Make) -> None:
    root = project(
        {
            "compose.yaml": "include: [compose.kafka.yaml]\nservices: {s: {image: x}}\n",
            "compose.kafka.yaml": "services: {k: {image: k}}\n",
            "compose.prod.yaml": "services: {s: {environment: {P: prod}}}\n",
        }
    )
    ws = load(root)
    assert [(p.files, p.layer) for p in ws.projects] == [
        (("compose.yaml",), False),
        (("compose.yaml", "compose.prod.yaml"), True),
    ]
    assert {s.name for s in ws.projects[1].services} == {"s", "k"}


def test_explicit_stack_uses_root_pwd_and_outside_env_file(project: Make, tmp_path: Path) -> None:
    (tmp_path / "outside.env").write_text("O=1\n")
    root = project(
        {
            "deploy/stack.yaml": """
                services:
                  s:
                    image: x
                    env_file: ../../outside.env
                    environment: ["P=${PWD}", "D=${DEPLOY}"]
            """,
            "deploy/.env": "DEPLOY=deploy\n",
            "compose.yaml": "services: {other: {image: x}}\n",
        }
    )
    ws = load(root, compose_files=(("deploy/stack.yaml",),))
    assert [p.files for p in ws.projects] == [("deploy/stack.yaml",)]
    assert env(ws, directory="deploy") == {"P": str(root), "D": "deploy"}
    ref = service_of(ws, "s", "deploy").env_files[0]
    assert (ref.path, ref.exists, ref.outside_root) == ("../outside.env", True, True)
    assert problems(ws) == {("note", "deploy/stack.yaml", 4)}


def test_named_stacks_leave_the_other_compose_files_unread(project: Make) -> None:
    # with `compose-files` given no documented command is read, nor another compose file's
    # comments (the launcher files are listed for what a command creates: `missing.env`): a
    # file too large to read is not even opened
    root = project(
        {
            "deploy/stack.yaml": "services: {s: {image: x, env_file: missing.env}}\n",
            "compose.yaml": "# docker compose up\nservices: {other: {image: x}}\n" + "#" * 200,
        }
    )
    ws = load(root, compose_files=(("deploy/stack.yaml",),), max_file_bytes=100)
    assert [p.files for p in ws.projects] == [("deploy/stack.yaml",)]
    assert service_of(ws, "s", "deploy").env_files[0].exists is False
    assert "compose.yaml" not in {p.location.path for p in ws.problems}
    assert ws.files_read == 1


@pytest.mark.parametrize(
    "compose",
    [
        "services: [a, b]\n",
        "services: {s: just-a-string}\n",
        "services: {s: ~}\n",
        "services: {s: {environment: 5, env_file: {path: 3}, profiles: p, build: [x]}}\n",
        "services: {s: {environment: [[nested]], env_file: [~, {required: maybe}]}}\n",
        "services: {s: {environment: {A: {nested: map}}, extends: [x], restart: [no]}}\n",
        "services: {s: {extends: {file: 3}, deploy: {restart_policy: 7}}}\n",
        "services: {s: {env_file: [{path: e.env, format: yaml}], build: {context: 5}}}\n",
        "include: 5\nservices: {}\n",
        "include: [{path: [~]}, {project_directory: x}, 7]\n",
        "name: ~\nservices: {s: {image: [x], labels: 3}}\n",
        "services: {s: {environment: {~: x, 1: y}}}\n",
        'services: {s: {image: "${A:-${B:-${C:?deep}}}", environment: ["${", "$$"]}}\n',
    ],
)
def test_malformed_structures_never_raise(project: Make, compose: str) -> None:
    root = project({"compose.yaml": compose, "e.env": "A=1\n"})
    ws = load(root)
    assert len(ws.projects) == 1


def test_paths_are_shown_relative_to_the_root_or_to_the_home_stand_in(tmp_path: Path) -> None:
    from envlint.compose.files import HOME, FileCache

    files = FileCache(tmp_path, 1024)
    assert files.rel(tmp_path / "a" / "b.env") == "a/b.env"
    assert files.rel(HOME / "conf" / "app.env") == "~/conf/app.env"
    assert files.rel(HOME) == "~/"
    assert files.rel(HOME / ".env") == "~/.env"  # it read `~/env`
    sibling = HOME.parent / (HOME.name + "x") / "y.env"  # shares the name's first characters
    assert not files.rel(sibling).startswith("~")

