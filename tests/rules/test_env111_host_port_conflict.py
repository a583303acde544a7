"""ENV111 on a documented stack whose commands name the services they start: two services that
publish one host port conflict only when one command starts both (named, or through what they
depend on); a bare ``up``, or the directory's default stack, starts every service."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from envlint.compose import load_workspace
from envlint.config import Settings
from tests.conftest import run_lint, triples, write_tree

# dev and tests both publish 8000; tests needs db (and, in some variants, seed)
DEV_STACK = """
    services:
      dev:
        image: app
        ports: ["8000:8000"]
      tests:
        image: app
        depends_on: [db]
        ports:
          - "8000:8000"
      db:
        image: postgres
      seed:
        image: app
        depends_on:
          dev:
            condition: service_started
"""
TESTS_LINE = 9  # the `- "8000:8000"` entry of tests

CI = """
    jobs:
      test:
        runs-on: ubuntu-latest
        steps:
          - run: docker compose -f compose.dev.yaml up --build -d {services}
"""


def _tree(guide: str, ci_services: str, **more: str) -> dict[str, str]:
    return {
        "compose.dev.yaml": DEV_STACK,
        "GUIDE.md": f"Start the app:\n\n```sh\n{guide}\n```\n",
        ".github/workflows/ci.yml": CI.format(services=ci_services),
        **more,
    }


def _env111(root: Path) -> set[tuple[str, str, int]]:
    return triples(run_lint(root, cache=False, select=("ENV111",)))


def _started(root: Path, stack: str) -> tuple[frozenset[str], ...] | None:
    ws = load_workspace(root, Settings(cache=False))
    [project] = [p for p in ws.projects if p.stack == stack]
    return project.started_together


def _write(tmp_path: Path, files: Mapping[str, str]) -> Path:
    return write_tree(tmp_path / "proj", files)


def test_commands_starting_them_separately_do_not_conflict(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        _tree("docker compose -f compose.dev.yaml up dev", "tests db"),
    )
    assert set(_started(root, "compose.dev.yaml") or ()) == {
        frozenset({"dev"}),
        frozenset({"tests", "db"}),
    }
    assert _env111(root) == set()


def test_one_command_naming_both_conflicts(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        _tree(
            "docker compose -f compose.dev.yaml up dev\n"
            "docker compose -f compose.dev.yaml up -d dev tests",
            "tests db",
        ),
    )
    assert _env111(root) == {("ENV111", "compose.dev.yaml", TESTS_LINE)}
    [finding] = run_lint(root, cache=False, select=("ENV111",)).findings
    assert "when profile" not in finding.message


def test_a_command_starting_both_through_depends_on_conflicts(tmp_path: Path) -> None:
    # `up tests seed`: seed depends on dev, so dev runs beside tests
    root = _write(tmp_path, _tree("docker compose -f compose.dev.yaml up dev", "tests seed"))
    assert frozenset({"tests", "db", "seed", "dev"}) in (_started(root, "compose.dev.yaml") or ())
    assert _env111(root) == {("ENV111", "compose.dev.yaml", TESTS_LINE)}


def test_depends_on_is_followed_transitively(tmp_path: Path) -> None:
    # `run e2e`: e2e -> seed -> dev, and e2e -> tests
    e2e = DEV_STACK + "      e2e:\n        image: app\n        depends_on: [seed, tests]\n"
    root = _write(
        tmp_path,
        {
            **_tree("docker compose -f compose.dev.yaml up dev", "tests db"),
            "compose.dev.yaml": e2e,
            "Makefile": "e2e:\n\tdocker compose -f compose.dev.yaml run --rm e2e\n",
        },
    )
    assert _env111(root) == {("ENV111", "compose.dev.yaml", TESTS_LINE)}


def test_no_deps_starts_only_the_named_services(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        _tree("docker compose -f compose.dev.yaml up dev", "--no-deps tests seed"),
    )
    assert set(_started(root, "compose.dev.yaml") or ()) == {
        frozenset({"dev"}),
        frozenset({"tests", "seed"}),
    }
    assert _env111(root) == set()


def test_a_bare_up_starts_every_service(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        _tree(
            "docker compose -f compose.dev.yaml up dev\ndocker compose -f compose.dev.yaml up -d",
            "tests db",
        ),
    )
    assert _started(root, "compose.dev.yaml") is None
    assert _env111(root) == {("ENV111", "compose.dev.yaml", TESTS_LINE)}


def test_an_option_envlint_cannot_read_counts_as_every_service(tmp_path: Path) -> None:
    root = _write(
        tmp_path,
        _tree("docker compose -f compose.dev.yaml up --frobnicate dev", "tests db"),
    )
    assert _started(root, "compose.dev.yaml") is None
    assert _env111(root) == {("ENV111", "compose.dev.yaml", TESTS_LINE)}


def test_the_default_stack_keeps_every_service(tmp_path: Path) -> None:
    # the directory's default file: a bare `docker compose up` starts it whole, documented or not
    root = _write(
        tmp_path,
        {
            "compose.yaml": DEV_STACK,
            "GUIDE.md": "```sh\ndocker compose up dev\ndocker compose up -d tests\n```\n",
        },
    )
    assert _started(root, "compose.yaml") is None
    assert _env111(root) == {("ENV111", "compose.yaml", TESTS_LINE)}


def test_naming_a_profiled_service_enables_its_profile(tmp_path: Path) -> None:
    stack = """
        services:
          api:
            image: app
            ports: ["8080:80"]
          debug:
            image: app
            profiles: [debug]
            ports:
              - "8080:8080"
          proxy:
            image: nginx
            profiles: [edge]
            ports:
              - "8080:8081"
    """
    root = _write(
        tmp_path,
        {
            "compose.dev.yaml": stack,
            "Makefile": (
                "debug:\n\tdocker compose -f compose.dev.yaml up api debug\n"
                "edge:\n\tdocker compose -f compose.dev.yaml up proxy\n"
            ),
        },
    )
    report = run_lint(root, cache=False, select=("ENV111",))
    # `up api debug` starts both (no profile to enable); proxy runs alone
    assert triples(report) == {("ENV111", "compose.dev.yaml", 9)}
    assert "when profile" not in report.findings[0].message


def test_what_a_launcher_left_running_runs_beside_its_next_command(tmp_path: Path) -> None:
    # one make target: `up -d dev` returns with dev running, then `up -d tests` starts tests
    root = _write(
        tmp_path,
        {
            **_tree("docker compose -f compose.dev.yaml up dev", "tests db"),
            "Makefile": (
                "both:\n"
                "\tdocker compose -f compose.dev.yaml up -d dev\n"
                "\tdocker compose -f compose.dev.yaml up -d tests\n"
            ),
        },
    )
    assert frozenset({"dev", "tests", "db"}) in (_started(root, "compose.dev.yaml") or ())
    assert _env111(root) == {("ENV111", "compose.dev.yaml", TESTS_LINE)}


def test_a_run_leaves_what_it_depends_on_running(tmp_path: Path) -> None:
    # `run --rm seed` exits, the dev it depends on stays up beside the job's `up -d tests`
    root = _write(
        tmp_path,
        {
            **_tree("docker compose -f compose.dev.yaml up dev", "tests db"),
            "scripts/e2e.sh": (
                "#!/bin/sh\n"
                "docker compose -f compose.dev.yaml run --rm seed\n"
                "docker compose -f compose.dev.yaml up -d tests\n"
            ),
        },
    )
    assert _env111(root) == {("ENV111", "compose.dev.yaml", TESTS_LINE)}


def test_a_foreground_up_stops_before_the_launchers_next_command(tmp_path: Path) -> None:
    # the script's first `up` runs until it is stopped; the second starts after it
    root = _write(
        tmp_path,
        {
            **_tree("docker compose -f compose.dev.yaml up dev", "tests db"),
            "scripts/demo.sh": (
                "#!/bin/sh\n"
                "docker compose -f compose.dev.yaml up dev\n"
                "docker compose -f compose.dev.yaml up tests\n"
            ),
        },
    )
    assert _env111(root) == set()


PROFILED = """
    services:
      one:
        image: app
        profiles: [one]
        ports: ["8091:8091"]
      two:
        image: app
        profiles: [two]
        ports:
          - "8091:8091"
      both:
        image: app
        profiles: [one, two]
"""
PROFILED_TWO_LINE = 10  # the `- "8091:8091"` entry of two
SEPARATE_GUIDE = (
    "```sh\ndocker compose --profile one up\n```\n\n"
    "```sh\ndocker compose --profile two up\n```\n"
)


def test_profiles_of_separate_documented_commands_are_not_enabled_together(
    tmp_path: Path,
) -> None:
    # the guide enables `one` in one command and `two` in another: never both at once
    guide = SEPARATE_GUIDE
    root = _write(tmp_path, {"compose.yaml": PROFILED, "README.md": guide})
    ws = load_workspace(root, Settings(cache=False))
    [project] = ws.projects
    assert project.profile_runs == (frozenset({"one"}), frozenset({"two"}))
    assert all(s.active for s in project.services)  # each is checked: some command starts it
    assert _env111(root) == set()


def test_profiles_one_documented_command_enables_together_conflict(tmp_path: Path) -> None:
    guide = "```sh\ndocker compose --profile one --profile two up\n```\n"
    root = _write(tmp_path, {"compose.yaml": PROFILED, "README.md": guide})
    report = run_lint(root, cache=False, select=("ENV111",))
    assert triples(report) == {("ENV111", "compose.yaml", PROFILED_TWO_LINE)}
    assert "when profile" not in report.findings[0].message


def test_compose_profiles_of_a_command_without_profile_option_count(tmp_path: Path) -> None:
    # `up` without --profile takes COMPOSE_PROFILES from .env: one,two for that command
    guide = "```sh\ndocker compose --profile one up\ndocker compose up\n```\n"
    files = {"compose.yaml": PROFILED, "README.md": guide, ".env": "COMPOSE_PROFILES=one,two\n"}
    root = _write(tmp_path, files)
    assert _env111(root) == {("ENV111", "compose.yaml", PROFILED_TWO_LINE)}


def test_envlint_profile_option_enables_the_profiles_together(tmp_path: Path) -> None:
    guide = SEPARATE_GUIDE
    root = _write(tmp_path, {"compose.yaml": PROFILED, "README.md": guide})
    report = run_lint(root, cache=False, select=("ENV111",), profiles=("one", "two"))
    assert triples(report) == {("ENV111", "compose.yaml", PROFILED_TWO_LINE)}


# -- blind evaluation 16a: eShopOnContainers ---------------------------------------------------


def test_one_service_publishing_a_host_port_twice_fails_its_own_container(tmp_path: Path) -> None:
    # docker-compose.prod.yml adds 5103:5103 to api's 5103:80 (the override's): api has one
    # container, and that one fails to start
    files = {
        "docker-compose.yml": "services:\n  api:\n    image: nginx\n",
        "docker-compose.override.yml": "services:\n  api:\n    ports: ['5103:80']\n",
        "docker-compose.prod.yml": "services:\n  api:\n    ports:\n      - '5103:5103'\n",
    }
    report = run_lint(_write(tmp_path, files), cache=False, select=("ENV111",))
    (finding,) = report.findings
    assert (finding.location.path, finding.location.line) == ("docker-compose.prod.yml", 4)
    assert "5103/tcp twice (container ports differ)" in finding.message
    assert "its container fails to start (port is already allocated)" in finding.message
    assert "second container" not in finding.message


# the test overlay belongs on docker-compose-tests.yml: over the default files (envlint's own
# pairing) db-test has no image, and its 5433 clashes with the default db's
TESTS = {
    "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n",
    "docker-compose.override.yml": "services:\n  db:\n    ports: ['5433:5432']\n",
    "docker-compose-tests.yml": "services:\n  db-test:\n    image: postgres:16\n",
    "docker-compose-tests.override.yml": "services:\n  db-test:\n    ports: ['5433:5432']\n",
}


def test_a_guessed_layer_that_is_no_stack_has_no_port_conflict(tmp_path: Path) -> None:
    report = run_lint(_write(tmp_path, TESTS), cache=False)
    assert triples(report) == {("ENV901", "docker-compose-tests.override.yml", 2)}
    # nor is it among the stacks checked (--statistics)
    assert [(s.stack, s.kind) for s in report.summary.checked_stacks] == [
        ("docker-compose.yml + docker-compose.override.yml", "default"),
        ("docker-compose-tests.yml", "alone"),
    ]
    assert report.summary.stacks == 2


def test_a_guessed_layer_with_images_is_checked_for_port_conflicts(tmp_path: Path) -> None:
    # a service of its own that depends on the default file's db: a layer, checked
    layer = "services:\n  db-test:\n    image: postgres:16\n    depends_on: [db]\n"
    layer += "    ports: ['5433:5432']\n"
    files = {**TESTS, "docker-compose-tests.override.yml": layer}
    report = run_lint(_write(tmp_path, files), cache=False, select=("ENV111",))
    assert triples(report) == {("ENV111", "docker-compose.override.yml", 3)}
    (finding,) = report.findings
    assert "the second container fails to start" in finding.message


# blind evaluation 16a, F3: the prod file's own header says how it is started (without the
# override, which Compose never loads when -f is given); a PowerShell script says how the tests
# stack is
PROD_HEADER = """
    # You need to start it with the following CLI command:
    # docker-compose -f docker-compose.yml -f docker-compose.prod.yml up
    services:
      api:
        ports:
          - "5103:5103"
"""
LAYERED = {
    "docker-compose.yml": "services: {api: {image: nginx}}\n",
    "docker-compose.override.yml": 'services: {api: {ports: ["5103:80"]}}\n',
}


def _stacks(root: Path) -> set[tuple[str, str]]:
    ws = load_workspace(root, Settings(cache=False))
    return {(p.stack, p.kind) for p in ws.projects}


def test_a_compose_files_documented_command_replaces_the_guessed_layer(tmp_path: Path) -> None:
    root = _write(tmp_path, {**LAYERED, "docker-compose.prod.yml": PROD_HEADER})
    assert _stacks(root) == {
        ("docker-compose.yml + docker-compose.override.yml", "default"),
        ("docker-compose.yml + docker-compose.prod.yml", "documented"),
    }
    assert _env111(root) == set()


def test_without_the_comment_the_prod_file_is_layered_over_the_override(tmp_path: Path) -> None:
    undocumented = PROD_HEADER.replace("# docker-compose -f", "# compose files:")
    root = _write(tmp_path, {**LAYERED, "docker-compose.prod.yml": undocumented})
    assert _env111(root) == {("ENV111", "docker-compose.prod.yml", 6)}


def test_a_documented_command_with_the_override_still_conflicts(tmp_path: Path) -> None:
    header = PROD_HEADER.replace(
        "-f docker-compose.prod.yml", "-f docker-compose.override.yml -f docker-compose.prod.yml"
    )
    root = _write(tmp_path, {**LAYERED, "docker-compose.prod.yml": header})
    assert _env111(root) == {("ENV111", "docker-compose.prod.yml", 6)}


def test_a_powershell_script_documents_the_tests_stack(tmp_path: Path) -> None:
    files = {
        **LAYERED,
        "docker-compose-tests.yml": "services: {api-test: {image: nginx}}\n",
        "docker-compose-tests.override.yml": 'services: {api-test: {ports: ["5103:80"]}}\n',
    }
    script = (
        "docker-compose -f .\\docker-compose-tests.yml `\n"
        "  -f .\\docker-compose-tests.override.yml up api-test\n"
    )
    # without the script, envlint's own pairing over the default files is no stack (api-test
    # has no image there): not checked, so no conflict either way
    assert _env111(_write(tmp_path, files)) == set()
    (tmp_path / "proj" / "run-test-infrastructure.ps1").write_text(script, encoding="utf-8")
    assert _stacks(tmp_path / "proj") == {
        ("docker-compose.yml + docker-compose.override.yml", "default"),
        ("docker-compose-tests.yml + docker-compose-tests.override.yml", "documented"),
    }
    assert _env111(tmp_path / "proj") == set()


def test_a_stale_comment_leaves_its_file_unchecked_with_a_note(tmp_path: Path) -> None:
    header = PROD_HEADER.replace("-f docker-compose.yml", "-f docker-compose-prod-base.yml")
    root = _write(tmp_path, {**LAYERED, "docker-compose.prod.yml": header})
    report = run_lint(root, cache=False)
    assert triples(report, "ENV111") == set()
    assert _stacks(root) == {("docker-compose.yml + docker-compose.override.yml", "default")}
    assert triples(report, "ENV901") == {("ENV901", "docker-compose.prod.yml", 2)}
    [note] = [f for f in report.findings if f.code == "ENV901"]
    assert "the repository has no docker-compose-prod-base.yml" in note.message
