"""Stacks (issue #11 item 4, eval shapes f2, f3, f4, f10 and the silent ones): which stacks a
repository starts, with what environment, and findings that name their stack."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from envlint.compose import load_workspace
from envlint.config import Settings
from envlint.engine import Report
from envlint.findings import Finding, Severity
from tests.conftest import run_lint, write_tree

Make = Callable[[Mapping[str, str | bytes]], Path]

APP = {
    "app/Dockerfile": 'FROM python:3.12\nCOPY . /app\nCMD ["python", "/app/main.py"]\n',
    "app/main.py": 'import os\n\nAPI_KEY = os.environ["API_KEY"]\n',
}


def findings(report: Report, code: str) -> list[Finding]:
    return [f for f in report.findings if f.code == code]


def stacks(root: Path, **settings: object) -> list[tuple[str, str]]:
    ws = load_workspace(root, Settings(cache=False, **settings))  # type: ignore[arg-type]
    return [(p.stack, p.kind) for p in ws.projects]


# -- #11.4: a complete sibling is another base, with the override ------------------------------

ARM64 = {
    **APP,
    "docker-compose.yml": "services:\n  api:\n    build: ./app\n",
    "docker-compose.override.yml": "services:\n  api:\n    environment:\n      API_KEY: dev\n",
    "docker-compose.arm64.yml": "services:\n  api:\n    build: ./app\n    platform: linux/arm64\n",
    "docker-compose.debug.yml": "services:\n  api:\n    environment:\n      DEBUG: '1'\n",
}


def test_complete_sibling_is_a_base_with_the_override(project: Make) -> None:
    root = project(ARM64)
    assert stacks(root) == [
        ("docker-compose.yml + docker-compose.override.yml", "default"),
        ("docker-compose.arm64.yml + docker-compose.override.yml", "base"),
        (
            "docker-compose.yml + docker-compose.override.yml + docker-compose.debug.yml",
            "layer",
        ),
    ]
    report = run_lint(root, cache=False)
    assert findings(report, "ENV201") == []  # the override provides API_KEY in every stack


def test_a_finding_in_every_stack_is_reported_once_naming_them(project: Make) -> None:
    root = project(
        {**ARM64, "docker-compose.override.yml": "services:\n  api:\n    ports: ['80:80']\n"}
    )
    report = run_lint(root, cache=False)
    (finding,) = findings(report, "ENV201")
    assert finding.location.path == "app/main.py"
    assert finding.stacks == (
        "docker-compose.yml + docker-compose.override.yml",
        "docker-compose.arm64.yml + docker-compose.override.yml",
        "docker-compose.yml + docker-compose.override.yml + docker-compose.debug.yml",
    )
    assert finding.message.endswith(
        "(in stacks docker-compose.yml + docker-compose.override.yml, "
        "docker-compose.arm64.yml + docker-compose.override.yml and "
        "docker-compose.yml + docker-compose.override.yml + docker-compose.debug.yml)"
    )
    assert [r.location.path for r in finding.related] == [  # each stack's evidence, once
        "docker-compose.yml",
        "docker-compose.arm64.yml",
    ]


def test_sibling_adding_services_is_a_layer_and_a_lone_default_names_no_stack(
    project: Make,
) -> None:
    root = project(
        {
            **APP,
            "compose.yaml": "services:\n  api:\n    build: ./app\n    networks: [obs]\n"
            "networks:\n  obs: {}\n",
            # joins the default file's network: Compose could not load it on its own
            "compose.monitoring.yaml": "services:\n  grafana:\n    image: grafana/grafana\n"
            "    networks: [obs]\n",
        }
    )
    assert stacks(root) == [
        ("compose.yaml", "default"),
        ("compose.yaml + compose.monitoring.yaml", "layer"),
    ]
    (root / "compose.monitoring.yaml").unlink()
    report = run_lint(root, cache=False)
    (finding,) = findings(report, "ENV201")
    assert finding.stacks == ("compose.yaml",)
    assert "(in stack" not in finding.message  # the directory's one default stack


# -- a complete file with only services of its own is a stack of its own (blind eval 8b, 3) --

ALL_IN_ONE = {
    "docker-compose.yml": """
        # Use docker-compose.all-in-one.yml instead of this file for a simpler setup
        services:
          caddy:
            image: caddy:2
            ports: ["80:80", "443:443"]
          backend:
            image: acme/backend:1
            environment:
              TOKEN: ${BACKEND_TOKEN}
    """,
    "docker-compose.all-in-one.yml": """
        services:
          app:
            image: acme/all-in-one:1
            ports: ["80:80", "443:443"]
            environment:
              SECRET: ${APP_SECRET}
          admin:
            image: acme/admin:1
            ports: ["8080:80"]
          docs:
            image: acme/docs:1
            ports: ["8080:8000"]
            volumes: [appdata:/data, ./docs:/docs]
            networks: [edge]
        volumes:
          appdata: {}
        networks:
          edge: {}
    """,
}


def _clashes(report: Report) -> list[tuple[str, int, str | None, tuple[str, ...]]]:
    return sorted(
        (f.location.path, f.location.line, f.service, f.stacks)
        for f in findings(report, "ENV111")
    )


def test_a_file_of_new_services_only_is_checked_alone_not_over_the_default(
    project: Make,
) -> None:
    root = project(ALL_IN_ONE)
    assert stacks(root) == [
        ("docker-compose.yml", "default"),
        ("docker-compose.all-in-one.yml", "alone"),
    ]
    report = run_lint(root, cache=False)
    # no clash across the files (80/443), the file's own clash (8080) is still reported
    assert _clashes(report) == [
        ("docker-compose.all-in-one.yml", 12, "docs", ("docker-compose.all-in-one.yml",)),
    ]
    unset = sorted((f.variable, f.stacks) for f in findings(report, "ENV101"))
    assert unset == [
        ("APP_SECRET", ("docker-compose.all-in-one.yml",)),
        ("BACKEND_TOKEN", ("docker-compose.yml",)),
    ]


@pytest.mark.parametrize(
    "combine",
    [
        {"README.md": "```sh\ndocker compose -f docker-compose.yml "
         "-f docker-compose.all-in-one.yml up -d\n```\n"},
        {".env": "COMPOSE_FILE=docker-compose.yml:docker-compose.all-in-one.yml\n"},
        {"docker-compose.yml": "include: [docker-compose.all-in-one.yml]\n"
         + ALL_IN_ONE["docker-compose.yml"].replace("\n        ", "\n").lstrip("\n")},
    ],
    ids=["documented", "compose-file", "include"],
)
def test_a_disjoint_file_something_combines_is_combined(
    project: Make, combine: Mapping[str, str]
) -> None:
    root = project({**ALL_IN_ONE, **combine})
    assert "docker-compose.all-in-one.yml" not in [stack for stack, _ in stacks(root)]
    report = run_lint(root, cache=False)
    across = [c for c in _clashes(report) if c[0] == "docker-compose.yml"]
    assert [(path, service) for path, _, service, _ in across] == [
        ("docker-compose.yml", "caddy"),
        ("docker-compose.yml", "caddy"),
    ]


def test_a_disjoint_file_named_in_the_config_is_combined(project: Make) -> None:
    root = project(ALL_IN_ONE)
    stack = ("docker-compose.yml", "docker-compose.all-in-one.yml")
    assert stacks(root, compose_files=(stack,)) == [(" + ".join(stack), "explicit")]
    report = run_lint(root, cache=False, compose_files=(stack,))
    assert len([c for c in _clashes(report) if c[0] == "docker-compose.yml"]) == 2


def test_an_override_of_new_services_only_is_still_merged(project: Make) -> None:
    override = ALL_IN_ONE["docker-compose.all-in-one.yml"]
    root = project({**ALL_IN_ONE, "docker-compose.override.yml": override})
    (root / "docker-compose.all-in-one.yml").unlink()
    assert stacks(root) == [("docker-compose.yml + docker-compose.override.yml", "default")]
    across = [c for c in _clashes(run_lint(root, cache=False)) if c[0] == "docker-compose.yml"]
    assert len(across) == 2  # Compose always merges the override: caddy and app clash


@pytest.mark.parametrize(
    "uses",
    [
        "depends_on: [backend]",
        "networks: [backend_net]",  # declared only by the default file
        "volumes: ['backend_data:/data']",
        "volumes: [{type: volume, source: backend_data, target: /data}]",
        "links: ['backend:api']",
        "volumes_from: [backend]",
        "network_mode: 'service:backend'",
        "extends: backend",
    ],
)
def test_new_services_that_use_the_default_files_are_a_layer(project: Make, uses: str) -> None:
    files = {
        "docker-compose.yml": "services:\n  backend:\n    image: acme/backend:1\n"
        "    networks: [backend_net]\n    volumes: ['backend_data:/var/lib']\n"
        "networks:\n  backend_net: {}\nvolumes:\n  backend_data: {}\n",
        "docker-compose.tools.yml": f"services:\n  tool:\n    image: acme/tool:1\n    {uses}\n",
    }
    assert stacks(project(files)) == [
        ("docker-compose.yml", "default"),
        ("docker-compose.yml + docker-compose.tools.yml", "layer"),
    ]


def test_a_dev_layer_that_overrides_a_service_and_adds_one_stays_a_layer(
    project: Make,
) -> None:
    files = {
        **PULLED,
        # a local build of the default file's api (in part), and a service of its own
        "docker-compose.dev.yml": "services:\n  api:\n    build: ./app\n"
        "  adminer:\n    image: adminer\n"
        "    ports: ['8000:8080']\n",
    }
    root = project(files)
    assert stacks(root) == [
        ("docker-compose.yml", "default"),
        ("docker-compose.yml + docker-compose.dev.yml", "layer"),
    ]
    # layered, adminer clashes with the default file's api on 8000
    (clash,) = findings(run_lint(root, cache=False), "ENV111")
    assert clash.stacks == ("docker-compose.yml + docker-compose.dev.yml",)


# -- a build-only sibling is a layer (blind eval repro 3) ----------------------------------------

PULLED = {
    **APP,
    "docker-compose.yml": (
        "services:\n  api:\n    image: ghcr.io/acme/api:latest\n    env_file: .env\n"
        "    ports: ['8000:8000']\n  db:\n    image: postgres:16\n"
    ),
    ".env": "API_KEY=from-dotenv\n",
    "docker-compose.dev.yml": "services:\n  api:\n    build: ./app\n",
}


def test_a_build_only_sibling_is_a_layer_over_the_default_file(project: Make) -> None:
    root = project(PULLED)
    assert stacks(root) == [
        ("docker-compose.yml", "default"),
        ("docker-compose.yml + docker-compose.dev.yml", "layer"),
    ]
    # layered, the local build gets the default file's env_file: API_KEY is provided
    assert findings(run_lint(root, cache=False), "ENV201") == []


def test_a_build_only_sibling_is_a_layer_also_with_a_source_mount(project: Make) -> None:
    files = {
        **PULLED,
        "docker-compose.yml": PULLED["docker-compose.yml"].replace(
            "    ports:", "    volumes: ['./data:/data']\n    ports:"
        ),
        "docker-compose.dev.yml": "services:\n  api:\n    build: ./app\n"
        "    volumes: ['./app:/app']\n",
    }
    assert stacks(project(files))[1] == ("docker-compose.yml + docker-compose.dev.yml", "layer")


@pytest.mark.parametrize(
    "sibling",
    [
        # its own image: another version of the service, whatever it leaves out
        "services:\n  api:\n    image: ghcr.io/acme/api:arm64\n",
        # a key the default file does not give the service: a definition of its own
        "services:\n  api:\n    build: ./app\n    restart: always\n",
        # as many keys as the default file: a full redefinition
        "services:\n  api:\n    build: ./app\n    env_file: .env.prod\n    ports: ['80:8000']\n",
    ],
)
def test_a_sibling_that_defines_the_service_itself_stays_a_base(
    project: Make, sibling: str
) -> None:
    root = project({**PULLED, "docker-compose.dev.yml": sibling})
    assert stacks(root)[1] == ("docker-compose.dev.yml", "base")


def test_a_launcher_that_runs_the_build_only_file_alone_wins(project: Make) -> None:
    files = {**PULLED, "Makefile": "dev:\n\tdocker compose -f docker-compose.dev.yml up\n"}
    root = project(files)
    assert stacks(root) == [
        ("docker-compose.yml", "default"),
        ("docker-compose.dev.yml", "documented"),
    ]
    (finding,) = findings(run_lint(root, cache=False), "ENV201")
    assert (finding.variable, finding.stacks) == ("API_KEY", ("docker-compose.dev.yml",))


# -- f10: stacks of one directory do not share code facts --------------------------------------


def test_reads_do_not_leak_between_stacks_of_a_directory(project: Make) -> None:
    files = {
        **APP,
        "docker-compose.local.yml": "services:\n  api:\n    build: ./app\n"
        "    environment:\n      API_KEY: dev\n",
        "docker-compose.remote.yml": "services:\n  api:\n    image: redis:7\n",
    }
    root = project(files)
    assert stacks(root) == [
        ("docker-compose.local.yml", "alone"),
        ("docker-compose.remote.yml", "alone"),
    ]
    assert findings(run_lint(root, cache=False), "ENV201") == []
    (root / "docker-compose.local.yml").write_text("services:\n  api:\n    build: ./app\n")
    (finding,) = findings(run_lint(root, cache=False), "ENV201")
    assert finding.stacks == ("docker-compose.local.yml",)  # never the redis `api`
    assert finding.message.endswith("(in stack docker-compose.local.yml)")


# -- no default file: partial files are parts of stacks ----------------------------------------

PARTS = {
    "docker-compose.Infra.yaml": "services:\n  db:\n    image: postgres:16\n",
    "docker-compose.Services.yaml": (
        "services:\n  api:\n    image: acme/api\n    depends_on: [db]\n"
        "    environment:\n      DB_HOST: ${DB_HOST}\n"
    ),
}


def test_partial_file_without_a_default_is_not_checked_alone(project: Make) -> None:
    root = project(PARTS)
    assert stacks(root) == [("docker-compose.Infra.yaml", "alone")]
    report = run_lint(root, cache=False)
    (note,) = findings(report, "ENV901")
    assert note.severity is Severity.INFO
    assert note.location.path == "docker-compose.Services.yaml"
    assert "depends on services it does not define (db)" in note.message
    assert "compose-files" in note.message
    assert findings(report, "ENV101") == []  # not checked, not guessed


def test_documented_combination_is_the_stack(project: Make) -> None:
    readme = (
        "# Staging\n\n```bash\ndocker-compose \\\n  -f ./docker-compose.Infra.yaml \\\n"
        "  -f ./docker-compose.Services.yaml \\\n  up -d\n```\n"
    )
    root = project({**PARTS, "README.md": readme})
    assert stacks(root) == [
        ("docker-compose.Infra.yaml + docker-compose.Services.yaml", "documented")
    ]
    report = run_lint(root, cache=False)
    assert findings(report, "ENV901") == []
    (warning,) = findings(report, "ENV101")
    assert warning.variable == "DB_HOST"
    assert warning.message.endswith(
        "(in stack docker-compose.Infra.yaml + docker-compose.Services.yaml)"
    )


def test_config_names_the_stack(project: Make) -> None:
    root = project(PARTS)
    stack = ["docker-compose.Infra.yaml", "docker-compose.Services.yaml"]
    assert stacks(root, compose_files=(tuple(stack),)) == [(" + ".join(stack), "explicit")]


# -- non-default names: what a documented command names is a compose file ----------------------


def test_non_default_names_documented_by_a_makefile(project: Make) -> None:
    files = {
        "quickstart.yml": "services:\n  kratos:\n    image: oryd/kratos:${TAG}\n",
        "quickstart-standalone.yml": "services:\n  kratos:\n    command: serve\n",
        "quickstart-mysql.yml": "services:\n  db:\n    image: mysql\n",
        "values.yml": "replicas: 2\n",
    }
    root = project(files)
    assert stacks(root) == []  # nothing names them: not compose files
    (root / "Makefile").write_text(
        "quickstart:\n\tdocker-compose -f quickstart.yml -f quickstart-standalone.yml up\n"
        "values:\n\tdocker compose -f values.yml up\n"  # no services: not a compose file
    )
    assert stacks(root) == [("quickstart.yml + quickstart-standalone.yml", "documented")]
    (warning,) = findings(run_lint(root, cache=False), "ENV101")
    assert warning.variable == "TAG"


# -- f2: a Makefile's exports are the stack's environment --------------------------------------

F2 = {
    "container/compose.yml": """
        services:
          cli:
            build:
              context: ..
              dockerfile: container/Dockerfile
              args:
                PY_VER: $PY_VER
            volumes:
              - ../.cov.$PY_VER:/cov
            environment:
              - COV_FILE
            labels:
              other: $OTHER
    """,
    "container/Dockerfile": "FROM python:3.12\n",
    "GNUmakefile": (
        "PY_VER ?= 3.12\nCOV_FILE ?= .cov.$(PY_VER)\nexport PY_VER COV_FILE\n"
        "up:\n\tdocker compose -f container/compose.yml up\n"
    ),
}


def test_makefile_exports_provide_variables(project: Make) -> None:
    root = project(F2)
    assert stacks(root) == [("container/compose.yml", "default")]
    report = run_lint(root, cache=False)
    assert [(f.code, f.variable) for f in report.findings if f.code < "ENV2"] == [
        ("ENV101", "OTHER")  # neither set nor exported by the Makefile
    ]
    ws = load_workspace(root, Settings(cache=False))
    value = ws.projects[0].environment["PY_VER"]
    assert (value.value, value.provider) == ("3.12", "GNUmakefile (make up)")


def test_without_the_makefile_the_same_stack_warns(project: Make) -> None:
    files = {k: v for k, v in F2.items() if k != "GNUmakefile"}
    report = run_lint(project(files), cache=False)
    assert {(f.code, f.variable) for f in report.findings if f.code < "ENV2"} == {
        ("ENV101", "PY_VER"),
        ("ENV101", "OTHER"),
        ("ENV103", "COV_FILE"),
    }


# -- f3: the Gradle docker-compose plugin ------------------------------------------------------

F3 = {
    "build.gradle": (
        "apply plugin: 'docker-compose'\n\ndockerCompose {\n\n"
        '  environment.put "BASE_VER", baseVersion\n  projectName = null\n}\n'
    ),
    "gradle.properties": "baseVersion=0.15.0.RELEASE\n",
    "README.md": "Run `./gradlew :composeUp`.\n",
    "db/Dockerfile": "ARG BASE_VER\nFROM acme/db:$BASE_VER\n",
    "docker-compose.yml": """
        services:
          db:
            build:
              context: ./db
              args:
                BASE_VER: ${BASE_VER?}
          zk:
            image: acme/zk:$BASE_VER
    """,
}


def test_gradle_plugin_environment_provides_variables(project: Make) -> None:
    report = run_lint(project(F3), cache=False)
    assert [f.code for f in report.findings if f.code < "ENV2"] == []


def test_gradle_plugin_twin_with_a_variable_it_does_not_set(project: Make) -> None:
    files = dict(F3)
    files["docker-compose.yml"] = F3["docker-compose.yml"] + "    labels: {x: '${OTHER?}'}\n"
    report = run_lint(project(files), cache=False)
    (error,) = findings(report, "ENV102")
    assert (error.variable, error.severity) == ("OTHER", Severity.ERROR)


def test_a_layer_the_launcher_does_not_cover_gets_an_info_naming_it(project: Make) -> None:
    files = {
        **F3,
        "docker-compose.graphql.yml": "services:\n  gw:\n    image: acme/gw\n",
        "graphql-tests.sh": (
            "cd gateway\ndocker-compose -f ../docker-compose.yml "
            "-f ../docker-compose.graphql.yml up -d\n"
        ),
        "gateway/package.json": "{}\n",
    }
    report = run_lint(project(files), cache=False)
    infos = [(f.code, f.severity, f.variable) for f in report.findings if f.code < "ENV2"]
    assert sorted(infos) == [
        ("ENV101", Severity.INFO, "BASE_VER"),
        ("ENV102", Severity.INFO, "BASE_VER"),
    ]
    assert all(
        "build.gradle dockerCompose (gradle composeUp)" in f.message
        for f in report.findings
        if f.code < "ENV2"
    )


# -- f4: CI-only stacks ------------------------------------------------------------------------

F4 = {
    ".ci/compose.e2e.yaml": """
        x-app: &app
          build:
            context: ..
            args:
              coverage: ${CODE_COVERAGE}
        services:
          server:
            <<: *app
          cypress:
            image: cypress/included
            environment:
              PERCY_TOKEN: ${PERCY_TOKEN}
              BRANCH: ${CI_BRANCH}
    """,
    "Dockerfile": "FROM python:3.12\n",
    ".github/workflows/ci.yml": """
        on: push
        jobs:
          e2e:
            runs-on: ubuntu-latest
            env:
              COMPOSE_FILE: .ci/compose.e2e.yaml
            steps:
              - if: github.ref == 'refs/heads/main'
                run: echo "CODE_COVERAGE=true" >> "$GITHUB_ENV"
              - run: docker compose up -d
    """,
}


def test_ci_only_stack(project: Make) -> None:
    report = run_lint(project(F4), cache=False)
    found = [(f.code, f.severity, f.variable) for f in report.findings if f.code < "ENV2"]
    assert sorted(found, key=str) == [
        ("ENV101", Severity.INFO, "CI_BRANCH"),
        ("ENV101", Severity.INFO, "PERCY_TOKEN"),
    ]
    percy = next(f for f in report.findings if f.variable == "PERCY_TOKEN")
    assert "not set by CI job e2e (.github/workflows/ci.yml)" in percy.message


def test_ci_variables_unset_without_the_workflow_are_warnings(project: Make) -> None:
    files = {k: v for k, v in F4.items() if not k.startswith(".github")}
    report = run_lint(project(files), cache=False)
    found = {(f.code, f.severity, f.variable) for f in report.findings if f.code < "ENV2"}
    assert found == {
        ("ENV101", Severity.WARNING, "CODE_COVERAGE"),
        ("ENV101", Severity.WARNING, "PERCY_TOKEN"),
        ("ENV101", Severity.WARNING, "CI_BRANCH"),
    }


def test_cloud_build_layer(project: Make) -> None:
    files = {
        "docker-compose.yml": "services:\n  trainer:\n    build: ./trainer\n",
        "trainer/Dockerfile": "FROM golang:1.22\n",
        "docker-compose.ci.yml": "services:\n  trainer:\n    image: gcr.io/${PROJECT_ID}/trainer\n",
        "cloudbuild.yaml": """
            steps:
            - id: docker-compose
              name: 'docker/compose:1.19.0'
              args: ['-f', 'docker-compose.yml', '-f', 'docker-compose.ci.yml', 'up', '-d']
              env:
                - 'PROJECT_ID=$PROJECT_ID'
        """,
    }
    root = project(files)
    assert stacks(root) == [
        ("docker-compose.yml", "default"),
        ("docker-compose.yml + docker-compose.ci.yml", "documented"),
    ]
    report = run_lint(root, cache=False)
    assert findings(report, "ENV101") == []  # PROJECT_ID: Cloud Build's substitution
    ws = load_workspace(root, Settings(cache=False))
    trainer = ws.projects[1].service("trainer")
    assert trainer is not None and trainer.image == "gcr.io/${PROJECT_ID}/trainer"


# -- profiles ----------------------------------------------------------------------------------

PROFILED = {
    **APP,
    "compose.yaml": """
        services:
          api:
            build: ./app
            profiles: [default]
            env_file: [.env]
          db:
            image: postgres
            profiles: [default, database]
    """,
}


def test_every_service_behind_a_profile_is_said(project: Make) -> None:
    report = run_lint(project(PROFILED), cache=False)
    (note,) = [f for f in report.findings]
    assert (note.code, note.severity, note.location.path, note.location.line) == (
        "ENV901",
        Severity.INFO,
        "compose.yaml",
        2,
    )
    assert "every service of stack compose.yaml is behind a profile (database, default)" in (
        note.message
    )
    assert "--profile NAME" in note.message


@pytest.mark.parametrize("profiles", [("default",), ("*",)])
def test_profile_option_activates_services(project: Make, profiles: tuple[str, ...]) -> None:
    report = run_lint(project(PROFILED), cache=False, profiles=profiles)
    assert {f.code for f in report.findings} == {"ENV104", "ENV201"}


def test_profile_option_replaces_compose_profiles(project: Make) -> None:
    root = project({**PROFILED, ".env": "COMPOSE_PROFILES=default\n"})
    assert "ENV901" not in {f.code for f in run_lint(root, cache=False).findings}
    report = run_lint(root, cache=False, profiles=("database",))
    assert {f.code for f in report.findings} == set()  # db only: no env_file, no code


def test_documented_profile_activates_services(project: Make) -> None:
    root = project({**PROFILED, "README.md": "```sh\ndocker compose --profile default up\n```\n"})
    assert {f.code for f in run_lint(root, cache=False).findings} == {"ENV104", "ENV201"}


# -- the command line and the JSON report ------------------------------------------------------


def test_cli_profile_json_stacks_and_statistics(
    project: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json
    from importlib import resources

    import jsonschema
    from click.testing import CliRunner

    from envlint.cli import cli

    root = project({**PROFILED, "compose.debug.yaml": "services:\n  api:\n    tty: true\n"})
    monkeypatch.chdir(root)
    args = ["check", "--isolated", "--no-cache", "--format", "json", "--statistics"]
    result = CliRunner().invoke(cli, [*args, "--profile", "default"])
    assert result.exit_code == 1, result.output
    document = json.loads(result.output)
    schema = json.loads(
        resources.files("envlint").joinpath("schemas", "report.schema.json").read_text()
    )
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(document)) == []
    assert document["stacks"] == [
        {"stack": "compose.yaml", "kind": "default", "launchers": []},
        {"stack": "compose.yaml + compose.debug.yaml", "kind": "layer", "launchers": []},
    ]
    crash = next(f for f in document["findings"] if f["code"] == "ENV201")
    assert crash["stacks"] == ["compose.yaml", "compose.yaml + compose.debug.yaml"]
    missing = next(f for f in document["findings"] if f["code"] == "ENV104")
    assert missing["stacks"] == []  # the file is missing whatever the stack
    text = CliRunner().invoke(cli, ["check", "--isolated", "--no-cache", "--statistics"])
    assert "stack compose.yaml + compose.debug.yaml: a layer over the default stack" in (
        text.output
    )
    assert "every service of stack compose.yaml is behind a profile" in text.output


def test_service_code_unknown_names_the_stack_whose_command_hides_the_program(
    project: Make, tmp_path: Path
) -> None:
    root = project(
        {
            **APP,
            "docker-compose.yml": "services:\n  api:\n    build: ./app\n",
            "docker-compose.override.yml": "services:\n  api:\n    environment: {API_KEY: x}\n",
            # a layer that runs a program envlint cannot map (a binary from the base image)
            "docker-compose.debug.yml": "services:\n  api:\n    command: [sleep, infinity]\n",
        }
    )
    report = run_lint(root, cache=False)
    (unknown,) = findings(report, "ENV205")
    assert unknown.stacks == (
        "docker-compose.yml + docker-compose.override.yml + docker-compose.debug.yml",
    )
    assert unknown.message.endswith(
        "(in stack docker-compose.yml + docker-compose.override.yml + docker-compose.debug.yml)"
    )
    assert "sleep" in unknown.message

    alone = write_tree(
        tmp_path / "alone", {**APP, "docker-compose.yml": "services:\n  api:\n    build: ./app\n"}
    )
    assert findings(run_lint(alone, cache=False), "ENV205") == []  # its program is found


def test_a_manifest_set_beside_the_compose_file_is_not_another_stack(project: Make) -> None:
    """Kubernetes manifests of the same image in the directory do not make the compose
    finding name its stack (and the statistics list compose stacks only); the workload's
    finding names its manifest set in its own words."""
    root = project(
        {
            **APP,
            "compose.yaml": "services:\n  api:\n    image: ghcr.io/acme/api:1\n    build: ./app\n",
            "k8s/deploy.yaml": (
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n"
                "  template:\n    spec:\n      containers:\n"
                "        - name: api\n          image: ghcr.io/acme/api:1\n"
            ),
        }
    )
    report = run_lint(root, cache=False, k8s_paths=("k8s",))
    by_service = {f.service: f for f in findings(report, "ENV201")}
    assert set(by_service) == {"api", "deploy/api"}
    assert by_service["api"].message.endswith("and compose does not provide it")
    assert "in manifests k8s" in by_service["deploy/api"].message
    assert "(in stack" not in by_service["deploy/api"].message
    assert [s.stack for s in report.summary.checked_stacks] == ["compose.yaml"]


# -- commands of one stack that set a variable differently ------------------------------------

TWO_INSTANCES = {
    "compose.yaml": """services:
  app:
    image: example/app:1
    ports: ["${EXPOSED_PORT:-4242}:4242"]
  another:
    image: example/app:1
    ports: ["${EXPOSED_PORT:-4243}:4242"]
""",
    "Makefile": (
        "start:\n\tdocker compose up app -d\n\n"
        "start-another:\n\tEXPOSED_PORT=$${EXPOSED_PORT:-4243} docker compose up another -d\n"
    ),
}


def test_a_variable_one_command_sets_and_another_does_not_has_no_known_value(
    project: Make,
) -> None:
    # unleash's test-migrations: `make start` runs app without EXPOSED_PORT (4242), `make
    # start-another` sets it for another (4243); merged, both would claim 4243
    root = project(TWO_INSTANCES)
    ws = load_workspace(root, Settings(cache=False))
    [stack] = ws.projects
    value = stack.environment["EXPOSED_PORT"]
    assert value.unresolved and value.provider == "Makefile (make start-another)"
    report = run_lint(root, cache=False, select=("ENV101", "ENV111"))
    assert report.findings == ()
    # one command for both: the value is known, and the collision is real
    same = {**TWO_INSTANCES, "Makefile": "start:\n\tEXPOSED_PORT=5000 docker compose up -d\n"}
    codes = [f.code for f in run_lint(project(same), cache=False, select=("ENV111",)).findings]
    assert codes == ["ENV111"]


# -- blind evaluation 2: a partial file a documented stack of another directory combines -------

IDLE = {
    "compose.yml": "services:\n  api:\n    image: python:3.12-slim\n",
    "ops/compose.idle.yml": "services:\n  api:\n    entrypoint: [sleep, infinity]\n",
}


def test_a_partial_file_combined_from_the_parent_directory_has_no_note(project: Make) -> None:
    perf = "perf:\n\tdocker compose -f compose.yml -f ops/compose.idle.yml up -d api\n"
    root = project({**IDLE, "Makefile": perf})
    assert ("compose.yml + ops/compose.idle.yml", "documented") in stacks(root)
    assert findings(run_lint(root, cache=False), "ENV901") == []
    # without the command nothing says how it is used: the note stays
    (root / "Makefile").unlink()
    (note,) = findings(run_lint(root, cache=False), "ENV901")
    assert note.location.path == "ops/compose.idle.yml"
    assert "no documented command that envlint can read" in note.message


# -- blind evaluation 2: the environment of the command that starts the service ----------------

E2E = {
    "compose.yml": "services:\n  api:\n    image: python:3.12-slim\n",
    "compose.override.e2e.yml": """
        services:
          e2e:
            image: python:3.12-slim
            depends_on: [db]
            environment:
              E2E_SUITE: "${E2E_SUITE}"
          db:
            image: postgres:16
            environment:
              POSTGRES_DB: "${E2E_SUITE}"
    """,
}


def _job(*steps: tuple[str, str]) -> str:
    out = "on: push\njobs:\n  e2e:\n    runs-on: ubuntu-latest\n    steps:\n"
    out += "      - run: ln -s compose.override.e2e.yml compose.override.yml\n"
    for run, suite in steps:
        out += f"      - run: {run}\n"
        if suite:
            out += f"        env:\n          E2E_SUITE: {suite}\n"
    return out


def _env101(root: Path) -> list[tuple[str | None, Severity, str]]:
    report = run_lint(root, cache=False, select=("ENV101",))
    return [(f.service, f.severity, f.message) for f in report.findings]


def test_the_variable_of_the_step_that_starts_the_service_is_provided(project: Make) -> None:
    # the step that starts api lacks E2E_SUITE; the one that starts e2e (and db with it) sets it
    workflow = _job(("docker compose up -d api", ""), ("docker compose up e2e", "smoke"))
    root = project({**E2E, ".github/workflows/e2e.yml": workflow})
    assert ("compose.yml + compose.override.e2e.yml", "documented") in stacks(root)
    assert _env101(root) == []


def test_a_variable_only_other_services_commands_set_is_unset_for_this_one(
    project: Make,
) -> None:
    # e2e is started without its dependencies, and db by a command that lacks the variable
    workflow = _job(
        ("docker compose up -d db", ""), ("docker compose up --no-deps e2e", "smoke")
    )
    root = project({**E2E, ".github/workflows/e2e.yml": workflow})
    [(service, severity, message)] = _env101(root)
    assert (service, severity) == ("db", Severity.INFO)  # CI only: the runner may have it
    assert message.startswith(
        "${E2E_SUITE} in service db is set by CI job e2e (.github/workflows/e2e.yml) only for "
        "commands that start other services; the commands that start db lack it"
    )
    # the same commands in a Makefile: nothing else provides it, a warning
    make = (
        "e2e:\n\tln -s compose.override.e2e.yml compose.override.yml\n"
        "\tdocker compose up -d db\n\tE2E_SUITE=smoke docker compose up --no-deps e2e\n"
    )
    (root / ".github/workflows/e2e.yml").unlink()
    [(service, severity, _)] = _env101(project({**E2E, "Makefile": make}))
    assert (service, severity) == ("db", Severity.WARNING)


def test_a_command_that_starts_every_service_without_it_leaves_it_unknown(
    project: Make,
) -> None:
    # `up` (every service) lacks it, `up e2e` sets it: e2e's value depends on the command
    workflow = _job(("docker compose up -d", ""), ("docker compose up e2e", "smoke"))
    assert _env101(project({**E2E, ".github/workflows/e2e.yml": workflow})) == []


def test_a_project_env_file_gives_it_to_every_command(project: Make) -> None:
    workflow = _job(("docker compose up -d db", ""), ("docker compose up --no-deps e2e", "x"))
    files = {**E2E, ".github/workflows/e2e.yml": workflow, ".env": "E2E_SUITE=all\n"}
    assert _env101(project(files)) == []


# -- a compose template (docker-compose.template.yml) is not a stack of its own -----------------

TEMPLATE = {
    "docker-compose.yml": (
        "# THIS FILE IS GENERATED - DO NOT EDIT DIRECTLY\n"
        "# Source of truth: docker-compose.template.yml\n"
        "services:\n  web:\n    image: nginx\n    env_file: [{path: .env, required: false}]\n"
    ),
    # a generator's source: `#!for` blocks give the same key twice, and it adds a service
    "docker-compose.template.yml": (
        "#!# SOURCE TEMPLATE for the generated compose files\n"
        "services:\n  web:\n    image: nginx\n"
        "    #!for default\n    env_file: [{path: .env, required: false}]\n    #!endfor\n"
        "    #!for prod\n    env_file: [.env.nginx]\n    #!endfor\n"
        "  worker:\n    image: worker:${WORKER_TAG}\n"
    ),
    "compose.example.yaml": "services:\n  web:\n    image: web:${WEB_TAG}\n",
}


@pytest.mark.parametrize(
    ("name", "template"),
    [
        ("docker-compose.template.yml", True),
        ("docker-compose.tmpl.yaml", True),
        ("docker-compose-tpl.yml", True),
        ("compose.example.yaml", True),
        ("docker-compose.sample.yml", True),
        ("docker-compose.j2.yml", True),
        ("docker-compose.yml", False),
        ("docker-compose.prod.yml", False),
        ("docker-compose.templating-service.yml", False),  # a word, not a marker
        ("compose.examplesite.yaml", False),
    ],
)
def test_compose_template_names(name: str, template: bool) -> None:
    from envlint.discovery import is_compose_template_name

    assert is_compose_template_name(name) is template


def test_a_compose_template_is_neither_paired_nor_an_error(project: Make) -> None:
    root = project(TEMPLATE)
    assert stacks(root) == [("docker-compose.yml", "default")]
    report = run_lint(root, cache=False)
    assert findings(report, "ENV901") == []  # never loaded: its duplicate key is nobody's
    assert findings(report, "ENV101") == []  # ${WORKER_TAG}, ${WEB_TAG}: not in any stack


def test_a_compose_template_a_documented_command_names_is_checked(project: Make) -> None:
    readme = (
        "# Render\n\n```sh\ndocker compose -f docker-compose.template.yml up -d\n"
        "docker compose -f compose.example.yaml up -d\n```\n"
    )
    root = project({**TEMPLATE, "README.md": readme})
    assert ("docker-compose.template.yml", "documented") in stacks(root)
    assert ("compose.example.yaml", "documented") in stacks(root)
    report = run_lint(root, cache=False)
    (note,) = findings(report, "ENV901")
    assert note.severity is Severity.INFO  # a template's parse problem is never an error
    assert note.location.path == "docker-compose.template.yml"
    assert 'mapping key "env_file" already defined' in note.message
    assert "compose template" in note.message
    # the example stack the README starts is checked like any other
    assert [f.variable for f in findings(report, "ENV101")] == ["WEB_TAG"]


def test_a_project_generators_template_directory_holds_no_stack(project: Make) -> None:
    # cookiecutter/copier: the compose files below `{{ cookiecutter.project_slug }}/` are Jinja
    # until generated (`{{ cookiecutter.port }}:80` is no YAML mapping), never a project
    slug = "plugin/{{ cookiecutter.project_slug }}"
    root = project(
        {
            **TEMPLATE,
            f"{slug}/docker-compose.yml": (
                "services:\n  app:\n    image: app:${APP_TAG}\n"
                "    ports:\n      - {{ cookiecutter.port }}:80\n"
            ),
            "plugin/docker-compose.yml": "services:\n  dev:\n    image: dev:${DEV_TAG}\n",
        }
    )
    assert ("plugin/docker-compose.yml", "default") in stacks(root)
    assert not [s for s, _ in stacks(root) if "cookiecutter" in s]
    report = run_lint(root, cache=False)
    assert findings(report, "ENV901") == []
    assert [f.variable for f in findings(report, "ENV101")] == ["DEV_TAG"]


def test_a_compose_template_named_in_the_config_is_checked_as_given(project: Make) -> None:
    root = project(TEMPLATE)
    report = run_lint(root, cache=False, compose_files=(("docker-compose.template.yml",),))
    (error,) = findings(report, "ENV901")
    assert error.severity is Severity.ERROR


# -- a file other files extend from is still a stack when it is run ----------------------------

# the dev stack (what the guide and CI run) and a test stack whose database extends the dev
# stack's base service: the dev stack's `api` crashes without API_KEY, which it does not give
EXTENDED = {
    **APP,
    "db/Dockerfile": "FROM postgres:17\n",
    "docker-compose.dev.yml": (
        "services:\n"
        "  db-base:\n    build: ./db\n    environment:\n      POSTGRES_PASSWORD: dev\n"
        "  db:\n    extends:\n      service: db-base\n    ports: ['5432:5432']\n"
        "  api:\n    build: ./app\n    depends_on: [db]\n"
        "    environment:\n      DB_PASSWORD: ${DB_PASSWORD}\n"
    ),
    "docker-compose.test.yml": (
        "services:\n"
        "  test-db:\n    extends:\n      file: docker-compose.dev.yml\n      service: db-base\n"
        "  tests:\n    build: ./app\n    depends_on: [test-db]\n"
        "    environment:\n      API_KEY: test\n"
    ),
    "run_tests.sh": "#!/bin/sh\ndocker compose -f docker-compose.test.yml up tests\n",
    "DEVELOPING.md": "# Develop\n\n```sh\ndocker compose -f docker-compose.dev.yml up api\n```\n",
}


def test_a_documented_file_another_file_extends_from_is_checked(project: Make) -> None:
    root = project(EXTENDED)
    assert stacks(root) == [
        ("docker-compose.dev.yml", "documented"),
        ("docker-compose.test.yml", "documented"),
    ]
    report = run_lint(root, cache=False)
    (crash,) = findings(report, "ENV201")
    assert (crash.variable, crash.stacks) == ("API_KEY", ("docker-compose.dev.yml",))
    assert crash.location.path == "app/main.py"
    (blank,) = findings(report, "ENV101")
    assert (blank.variable, blank.location.path) == ("DB_PASSWORD", "docker-compose.dev.yml")


def test_the_extended_dev_stack_that_gives_the_variable_has_no_crash(project: Make) -> None:
    dev = EXTENDED["docker-compose.dev.yml"].replace(
        "DB_PASSWORD: ${DB_PASSWORD}", "DB_PASSWORD: ${DB_PASSWORD:-dev}\n      API_KEY: dev"
    )
    report = run_lint(project({**EXTENDED, "docker-compose.dev.yml": dev}), cache=False)
    assert findings(report, "ENV201") == []
    assert findings(report, "ENV101") == []


def test_a_complete_file_with_services_nobody_extends_stays_a_stack(project: Make) -> None:
    # no command names either file and there is no default file: both are complete, and the
    # dev file's `api` and `db` are a stack's services, not only the base the test file uses
    files = {k: v for k, v in EXTENDED.items() if not k.endswith((".sh", ".md"))}
    root = project(files)
    assert stacks(root) == [
        ("docker-compose.dev.yml", "alone"),
        ("docker-compose.test.yml", "alone"),
    ]
    (crash,) = findings(run_lint(root, cache=False), "ENV201")
    assert (crash.variable, crash.stacks) == ("API_KEY", ("docker-compose.dev.yml",))


def test_a_file_only_extended_from_is_a_fragment(project: Make) -> None:
    # every service of docker-compose.common.yml is a base the other file extends: nobody
    # runs it, so it forms no stack, and its base's unset variable is reported once, in the
    # stack that uses it
    root = project(
        {
            **APP,
            "docker-compose.common.yml": (
                "services:\n  app-base:\n    build: ./app\n"
                "    environment:\n      LOG_LEVEL: ${LOG_LEVEL}\n"
            ),
            "docker-compose.yml": (
                "services:\n  api:\n    extends:\n      file: docker-compose.common.yml\n"
                "      service: app-base\n    environment:\n      API_KEY: set\n"
            ),
        }
    )
    assert stacks(root) == [("docker-compose.yml", "default")]
    report = run_lint(root, cache=False)
    assert findings(report, "ENV201") == []
    (blank,) = findings(report, "ENV101")
    assert (blank.variable, blank.stacks) == ("LOG_LEVEL", ("docker-compose.yml",))


def test_a_base_file_without_images_is_a_fragment(project: Make) -> None:
    # services without image or build: only ever an `extends` source
    root = project(
        {
            **APP,
            "compose.base.yaml": "services:\n  defaults:\n    restart: always\n  other:\n"
            "    restart: 'no'\n",
            "compose.yaml": (
                "services:\n  api:\n    build: ./app\n    extends:\n"
                "      file: compose.base.yaml\n      service: defaults\n"
                "    environment:\n      API_KEY: set\n"
            ),
        }
    )
    assert stacks(root) == [("compose.yaml", "default")]
    assert findings(run_lint(root, cache=False), "ENV201") == []


# -- blind evaluation 14: a default-named file that depends on a service another file defines --

INTEGRATION = {
    **APP,
    "docker/default.yml": (
        "services:\n  web:\n    build:\n      context: ..\n      dockerfile: app/Dockerfile\n"
        "    image: demo/web:${APP_VERSION}\n    environment:\n      API_KEY: set\n"
    ),
    "docker/.env": "APP_VERSION=v1.0\n",
    "docker/env_file_integrations": "TOKEN=x\n",
    "integrations/x/compose.yml": (
        "services:\n  x_analyzer:\n    image: demo/x:${APP_VERSION}\n"
        "    env_file:\n      - env_file_integrations\n    depends_on:\n      - web\n"
    ),
}


def test_a_default_file_depending_on_an_undefined_service_is_not_checked_alone(
    project: Make,
) -> None:
    # IntelOwl: Compose refuses integrations/x/compose.yml on its own ("depends on undefined
    # service"); its ${APP_VERSION} and env_file are the base's project's (docker/)
    root = project(INTEGRATION)
    assert stacks(root) == []
    report = run_lint(root, cache=False)
    (note,) = report.findings
    assert (note.code, note.severity, note.location.path) == (
        "ENV901",
        Severity.INFO,
        "integrations/x/compose.yml",
    )
    assert "depends on services it does not define (web)" in note.message
    # the base, whose name Compose does not pick up by itself, is named
    assert "web is defined in docker/default.yml" in note.message
    assert '[["docker/default.yml", "integrations/x/compose.yml"]]' in note.message
    assert report.notices and "no Compose stack was checked" in report.notices[0]


def test_a_documented_combination_checks_the_fragment_there_only(project: Make) -> None:
    start = (
        "#!/bin/sh\ndocker compose --project-directory docker -f docker/default.yml "
        "-f integrations/x/compose.yml up\n"
    )
    root = project({**INTEGRATION, "start.sh": start})
    assert stacks(root) == [("docker/default.yml + integrations/x/compose.yml", "documented")]
    # its env_file and ${APP_VERSION} resolve in the project directory docker/
    select = ("ENV101", "ENV104", "ENV901")
    assert run_lint(root, cache=False, select=select).findings == ()


def test_required_false_excuses_no_undefined_service(project: Make) -> None:
    # loader/validate.go: `required: false` lets a dependency be disabled by a profile, not
    # be missing from the project
    optional = "    depends_on:\n      web:\n        condition: service_started\n"
    optional += "        required: false\n"
    files = {
        **INTEGRATION,
        "integrations/x/compose.yml": "services:\n  x_analyzer:\n    image: demo/x\n" + optional,
    }
    assert stacks(project(files)) == []
    # a dependency its override defines is no fragment
    files["integrations/x/compose.override.yml"] = "services:\n  web:\n    image: nginx\n"
    assert stacks(project(files)) == [
        ("integrations/x/compose.yml + integrations/x/compose.override.yml", "default")
    ]


TYPO = {
    "docker-compose.yml": "services:\n  accounting-service:\n    image: alpine\n",
    "docker-compose-use-kafka.yml": (
        "services:\n  account-service:\n    environment:\n      EVENT_DRIVER: kafka\n"
    ),
}


def test_an_override_service_without_image_or_build_is_refused(project: Make) -> None:
    # ftgogo: the overlay's typo creates a service Compose refuses ("has neither an image nor
    # a build context specified")
    root = project(TYPO)
    explicit = ("docker-compose.yml", "docker-compose-use-kafka.yml")
    report = run_lint(root, cache=False, compose_files=(explicit,))
    (error,) = report.findings
    assert (error.code, error.severity) == ("ENV901", Severity.ERROR)
    assert (error.location.path, error.location.line) == ("docker-compose-use-kafka.yml", 2)
    assert "'account-service' has neither an image nor a build context" in error.message
    # the pair envlint makes by itself is a guess: a note
    (note,) = run_lint(root, cache=False).findings
    assert (note.code, note.severity) == ("ENV901", Severity.INFO)
    # so is the stack as envlint reads a docs page (baserow's plugin docs mean the plugin's
    # own compose file): a note that names the command
    readme = "```sh\ndocker compose -f docker-compose.yml -f docker-compose-use-kafka.yml up\n```\n"
    (root / "docs").mkdir()
    (root / "docs" / "kafka.md").write_text(readme)
    (note,) = run_lint(root, cache=False).findings
    assert (note.code, note.severity) == ("ENV901", Severity.INFO)
    assert "the command at docs/kafka.md:2" in note.message
    (root / "docs" / "kafka.md").unlink()
    # a service a profile leaves out is not loaded
    profiled = "services:\n  account-service:\n    profiles: [kafka]\n    environment: {A: b}\n"
    (root / "docker-compose-use-kafka.yml").write_text(profiled)
    assert run_lint(root, cache=False, compose_files=(explicit,)).findings == ()


def test_a_guessed_layer_over_an_incomplete_default_file_is_not_refused(project: Make) -> None:
    # symfony-6-es-cqrs-boilerplate: etc/prod/docker-compose.yml only adds ports to the root
    # file's services (the Makefile layers it there); envlint's own pairing with the
    # directory's windows overlay is no stack anybody runs, and the main file is left alone
    root = project(
        {
            "docker-compose.yml": "services:\n  php:\n    build: .\n",
            "etc/prod/docker-compose.yml": "services:\n  php:\n    ports: ['2323:22']\n",
            "etc/prod/docker-compose.windows.yml": (
                "services:\n  php:\n    environment: {XDEBUG_CONFIG: x}\n"
            ),
        }
    )
    layer = ("etc/prod/docker-compose.yml + etc/prod/docker-compose.windows.yml", "layer")
    assert layer in stacks(root)
    assert findings(run_lint(root, cache=False), "ENV901") == []
    # a service only the layer adds is still noted, as what the files are
    typo = "services:\n  phpp:\n    environment: {XDEBUG_CONFIG: x}\n"
    (root / "etc/prod/docker-compose.windows.yml").write_text(typo)
    (note,) = findings(run_lint(root, cache=False), "ENV901")
    assert (note.severity, note.location.path) == (
        Severity.INFO,
        "etc/prod/docker-compose.windows.yml",
    )
    assert "they are not a complete stack together" in note.message
    assert "refuses" not in note.message
    assert layer not in stacks(root)  # and they are not checked as one


def test_a_compose_v1_file_is_reported_and_not_checked(project: Make) -> None:
    # cer/event-sourcing-examples: services at the top level, no `services:` key
    v1 = (
        "apigateway:\n  build: ./api\n  environment:\n    KEY: ${API_KEY}\n"
        "mongodb:\n  image: mongo\n"
    )
    root = project({"docker-compose.yml": v1})
    report = run_lint(root, cache=False)
    (error,) = report.findings
    assert (error.code, error.severity) == ("ENV901", Severity.ERROR)
    assert (error.location.path, error.location.line) == ("docker-compose.yml", 1)
    assert "Compose file format v1" in error.message
    assert "'apigateway'" in error.message
    # a v2 file, one with only top-level keys of the specification, `x-` extensions: not v1
    for text in (
        "version: '2'\nservices:\n  api:\n    image: a\n",
        "x-common: &c {image: a}\nservices:\n  api: *c\n",
        "volumes:\n  data: {}\nnetworks:\n  back: {}\n",
        "include:\n  - other.yml\n",
        "name: demo\nweb: not-a-mapping\n",
    ):
        (root / "docker-compose.yml").write_text(text)
        assert not any("format v1" in f.message for f in run_lint(root, cache=False).findings)


def test_a_default_override_service_without_image_is_refused(project: Make) -> None:
    root = project(
        {
            "compose.yaml": "services:\n  api:\n    image: alpine\n",
            "compose.override.yaml": "services:\n  apii:\n    environment: {A: b}\n",
        }
    )
    (error,) = run_lint(root, cache=False).findings
    assert (error.code, error.severity, error.location.path) == (
        "ENV901",
        Severity.ERROR,
        "compose.override.yaml",
    )


def test_a_file_taken_as_complete_is_not_refused_for_a_reset_image(project: Make) -> None:
    # mwdb's compose.with-dev.yml: `image: !reset null` over the base's build looks like an
    # image of its own; checked alone, its refusal would be envlint's wrong guess, not Compose's
    root = project(
        {
            "docker-compose.yml": "services:\n  mwdb:\n    build: .\n    image: mwdb\n",
            "compose/compose.with-dev.yml": "services:\n  mwdb:\n    image: !reset null\n",
        }
    )
    assert ("compose/compose.with-dev.yml", "alone") in stacks(root)
    assert findings(run_lint(root, cache=False), "ENV901") == []


# -- blind eval 18h F3: a wrapper script sets COMPOSE_FILE / COMPOSE_ENV_FILES -----------------

GATEWAY = {
    "gateway/Dockerfile": 'FROM python:3.12\nCOPY . /app\nCMD ["python", "/app/main.py"]\n',
    "gateway/main.py": 'import os\n\nDOMAIN = os.environ["DOMAIN"]\n',
    ".env": "VERSION=1\nDOMAIN=localhost\n",
    "docker-compose.yml": "services:\n  gateway:\n    image: acme/gateway:${VERSION}\n"
    "    restart: unless-stopped\n    environment:\n      - DOMAIN=${DOMAIN}\n",
    # every service with image and build: it looks like another version of the default file
    "docker-compose.dev.yml": "services:\n  gateway:\n    image: gateway\n    build: ./gateway\n",
}
WRAPPER = """
    #!/bin/sh
    set -eu
    cd "$(dirname "$0")/.."
    APP_ENV=$( . ./.env; printf '%s' "${APP_ENV:-production}" )
    COMPOSE_FILE="docker-compose.yml"
    [ "$APP_ENV" = "development" ] && COMPOSE_FILE="${COMPOSE_FILE}:docker-compose.dev.yml"
    export COMPOSE_FILE
    exec docker compose "$@"
"""


def test_a_wrapper_the_makefile_runs_layers_the_dev_file(project: Make) -> None:
    """``make start`` runs ``./bin/docker-compose up -d`` (``bin/`` is skipped by the walk as
    build output, the wrapper is read because the Makefile runs it), which exports
    ``COMPOSE_FILE=docker-compose.yml:docker-compose.dev.yml``: the dev file is a layer."""
    files = {
        **GATEWAY,
        "bin/docker-compose": WRAPPER,
        "Makefile": "start:\n\t./bin/docker-compose up -d\n",
    }
    root = project(files)
    assert stacks(root) == [
        ("docker-compose.yml", "default"),
        ("docker-compose.yml + docker-compose.dev.yml", "documented"),
    ]
    assert findings(run_lint(root, cache=False), "ENV201") == []
    (root / "Makefile").unlink()  # nothing runs the wrapper: the dev file is a guessed base
    (finding,) = findings(run_lint(root, cache=False), "ENV201")
    assert finding.stacks == ("docker-compose.dev.yml",)


def test_a_shell_runs_a_wrapper_without_a_shebang(project: Make) -> None:
    wrapper = WRAPPER.replace("#!/bin/sh\n", "").replace('cd "$(dirname "$0")/.."', "")
    files = {
        **GATEWAY,
        "tools/compose-dev": wrapper,
        "Makefile": "up:\n\tsh tools/compose-dev up\n",
    }
    assert stacks(project(files))[1] == (
        "docker-compose.yml + docker-compose.dev.yml",
        "documented",
    )


ENTERPRISE = {
    ".env": "VERSION=1\nEDITION=community\n",
    ".env.enterprise": "SAML_SECRET=change-me\n",
    "docker-compose.yml": "services:\n  server:\n    image: acme/server:${VERSION}\n"
    "    restart: unless-stopped\n",
    "docker-compose.enterprise.yml": "services:\n  server:\n"
    "    image: acme/server-ee:${VERSION}\n    environment:\n      - SAML_SECRET=${SAML_SECRET}\n",
    "Makefile": "start:\n\t./bin/docker-compose up -d\n",
    "bin/docker-compose": """
        #!/bin/sh
        EDITION=$( . ./.env; printf '%s' "${EDITION:-community}" )
        COMPOSE_ENV_FILES="./.env"
        COMPOSE_FILE="docker-compose.yml"
        if [ "$EDITION" != "community" ]; then
            COMPOSE_ENV_FILES="$COMPOSE_ENV_FILES,./.env.enterprise"
            COMPOSE_FILE="$COMPOSE_FILE:docker-compose.enterprise.yml"
        fi
        export COMPOSE_ENV_FILES COMPOSE_FILE
        exec docker compose "$@"
    """,
}


def test_compose_env_files_a_wrapper_exports_are_the_stacks_env_files(project: Make) -> None:
    root = project(ENTERPRISE)
    stack = "docker-compose.yml + docker-compose.enterprise.yml"
    assert stacks(root)[1] == (f"{stack} --env-file .env --env-file .env.enterprise", "documented")
    assert findings(run_lint(root, cache=False), "ENV101") == []
    wrapper = root / "bin/docker-compose"
    wrapper.write_text(wrapper.read_text().replace(",./.env.enterprise", ""))
    (warning,) = findings(run_lint(root, cache=False), "ENV101")
    assert warning.variable == "SAML_SECRET"


def test_a_layer_in_a_compose_file_the_wrapper_cannot_know_is_only_noted(project: Make) -> None:
    """``COMPOSE_FILE="$COMPOSE_FILE:$EXTRA"`` and ``COMPOSE_ENV_FILES`` from outside the
    repository: the enterprise file's stack is the wrapper's, not known; not checked by guess."""
    wrapper = ENTERPRISE["bin/docker-compose"].replace(
        'docker-compose.enterprise.yml"', 'docker-compose.enterprise.yml:$EXTRA"'
    )
    root = project({**ENTERPRISE, "bin/docker-compose": wrapper})
    assert stacks(root) == [("docker-compose.yml", "default")]
    report = run_lint(root, cache=False)
    assert findings(report, "ENV101") == []
    (note,) = findings(report, "ENV901")
    assert note.location.path == "docker-compose.enterprise.yml"
    assert "Makefile (make start)" in note.message


def test_a_complete_file_joining_a_network_only_the_default_declares_is_a_layer(
    project: Make,
) -> None:
    files = {
        **GATEWAY,
        "docker-compose.yml": GATEWAY["docker-compose.yml"] + "networks:\n  edge: {}\n",
        "docker-compose.dev.yml": GATEWAY["docker-compose.dev.yml"]
        + "  docs:\n    image: nginx\n    networks: [edge]\n",
    }
    root = project(files)
    assert stacks(root)[1] == ("docker-compose.yml + docker-compose.dev.yml", "layer")
    assert findings(run_lint(root, cache=False), "ENV201") == []


def test_a_layer_whose_launcher_passes_an_absent_env_file_is_only_noted(project: Make) -> None:
    """The wrapper adds a git-ignored ``.env.override`` to ``COMPOSE_ENV_FILES``: the stack's
    environment is not known, and the enterprise file is not checked in a guessed stack."""
    wrapper = ENTERPRISE["bin/docker-compose"].replace(
        "export COMPOSE_ENV_FILES",
        '[ -f .env.override ] && COMPOSE_ENV_FILES="$COMPOSE_ENV_FILES,./.env.override"\n'
        "        export COMPOSE_ENV_FILES",
    )
    root = project({**ENTERPRISE, "bin/docker-compose": wrapper})
    assert stacks(root) == [("docker-compose.yml", "default")]
    report = run_lint(root, cache=False)
    assert findings(report, "ENV101") == []
    (note,) = findings(report, "ENV901")
    assert note.location.path == "docker-compose.enterprise.yml"


def test_a_script_that_execs_into_the_dev_stack_says_the_dev_file_is_a_layer(
    project: Make,
) -> None:
    """shellhub ``devscripts/test-unit`` (no suffix): ``docker compose -f docker-compose.yml -f
    docker-compose.dev.yml exec …``: it starts nothing, and says what the dev file is."""
    script = (
        "#!/bin/bash\ndocker compose -f docker-compose.yml -f docker-compose.dev.yml"
        " exec gateway go test ./...\n"
    )
    root = project({**GATEWAY, "devscripts/test-unit": script})
    assert stacks(root)[1] == ("docker-compose.yml + docker-compose.dev.yml", "layer")
    assert findings(run_lint(root, cache=False), "ENV201") == []
