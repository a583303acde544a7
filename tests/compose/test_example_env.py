"""Example files as the documented environment (#16 item 1): when a project's .env (or a
service's env_file) is absent, the example beside it is read in its place, its values marked as
placeholders; a committed .env, an --env-file list or a git-ignored example turn that off."""

from __future__ import annotations

from pathlib import Path

from envlint.compose import load_workspace
from envlint.config import Settings
from envlint.model import ValueSource, Workspace
from tests.conftest import run_lint, write_tree


def _load(root: Path, **settings: object) -> Workspace:
    return load_workspace(root, Settings(cache=False, **settings))  # type: ignore[arg-type]


def _compose() -> str:
    return """
        services:
          api:
            image: api
            environment:
              - TOKEN
              - URL=http://${HOST}/x
              - PLAIN=fixed
    """


def test_example_is_the_project_environment_when_env_is_absent(tmp_path: Path) -> None:
    write_tree(tmp_path, {".env.example": "TOKEN=changeme\nHOST=\n", "compose.yaml": _compose()})
    ws = _load(tmp_path)
    (project,) = ws.projects
    assert project.documented_by == ".env.example"
    assert [(f.path, f.role) for f in project.env_files] == [(".env.example", "example")]
    assert project.environment["TOKEN"].example
    assert project.environment["TOKEN"].source is ValueSource.PROJECT_ENV_FILE
    (api,) = project.services
    env = api.environment
    assert env["TOKEN"].example and env["TOKEN"].source is ValueSource.PASSTHROUGH
    assert env["URL"].example  # interpolated from a placeholder
    assert not env["PLAIN"].example
    assert all(ref.is_set for ref in project.refs)


def test_a_committed_env_wins_over_the_example(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {".env.example": "TOKEN=\nHOST=\n", ".env": "TOKEN=t\n", "compose.yaml": _compose()},
    )
    (project,) = _load(tmp_path).projects
    assert project.documented_by is None
    assert [f.path for f in project.env_files] == [".env"]
    assert not project.environment["TOKEN"].example
    assert {r.name for r in project.refs if not r.is_set} == {"HOST"}


def test_env_file_option_turns_example_mode_off(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {".env.example": "TOKEN=\n", "ci.env": "HOST=h\n", "compose.yaml": _compose()},
    )
    (project,) = _load(tmp_path, env_files=("ci.env",)).projects
    assert project.documented_by is None
    assert "TOKEN" not in project.environment


def test_which_ignored_or_excluded_examples_count(tmp_path: Path) -> None:
    """A `.env*` ignore line matches the example that hoppscotch commits all the same (git
    ignores patterns for tracked files; envlint cannot ask git): it counts.  A line naming the
    example as it is, and `exclude` (the user's word), drop it."""
    write_tree(
        tmp_path,
        {".gitignore": ".env*\n", ".env.example": "TOKEN=\n", "compose.yaml": _compose()},
    )
    assert _load(tmp_path).projects[0].documented_by == ".env.example"
    assert _load(tmp_path, exclude=(".env.example",)).projects[0].documented_by is None
    (tmp_path / ".gitignore").write_text(".env\n.env.example\n")
    assert _load(tmp_path).projects[0].documented_by is None


def test_example_names_in_order(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {".env.dist": "A=\n", ".env.template": "B=\n", "compose.yaml": _compose()},
    )
    assert _load(tmp_path).projects[0].documented_by == ".env.template"
    (tmp_path / ".env.sample").write_text("C=\n", encoding="utf-8")
    assert _load(tmp_path).projects[0].documented_by == ".env.sample"


def test_service_env_file_stand_in(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  api:
                    image: api
                    env_file: [app.env, present.env]
            """,
            "app.env.example": "SECRET=\nLEVEL=info\n",
            "present.env": "LEVEL=debug\n",
        },
    )
    (project,) = _load(tmp_path).projects
    (api,) = project.services
    ref = api.env_files[0]
    assert (ref.path, ref.exists, ref.stand_in) == ("app.env", False, "app.env.example")
    assert api.env_files[1].stand_in is None
    assert api.environment["SECRET"].example
    assert not api.environment["LEVEL"].example  # the real file read later wins
    roles = {f.path: f.role for f in project.service_env_files}
    assert roles == {"app.env.example": "example", "present.env": "service"}
    assert project.documented_by is None  # the project env is not documented by it


def test_compose_file_option_reads_the_first_files_directory(tmp_path: Path) -> None:
    """`-f deploy/compose.yaml`: the project environment is deploy/.env (cli/options.go), and
    its example when it is absent; the root's example is not Compose's env file."""
    write_tree(
        tmp_path,
        {
            "deploy/compose.yaml": _compose(),
            "deploy/.env.example": "TOKEN=\n",
            ".env.example": "HOST=\n",
        },
    )
    (project,) = _load(tmp_path, compose_files=(("deploy/compose.yaml",),)).projects
    assert project.documented_by == "deploy/.env.example"
    assert project.environment["TOKEN"].example
    assert "HOST" not in project.environment


def test_a_dangling_link_is_documented_by_its_targets_example(tmp_path: Path) -> None:
    """apps/web/.env -> ../../.env (git-ignored, absent): the root's .env.example documents
    it (formbricks' shape)."""
    write_tree(
        tmp_path,
        {
            ".gitignore": "/.env\n",
            ".env.example": "SECRET=\n",
            "compose.yaml": "services:\n  web:\n    image: web\n    env_file: apps/web/.env\n",
        },
    )
    (tmp_path / "apps" / "web").mkdir(parents=True)
    (tmp_path / "apps" / "web" / ".env").symlink_to("../../.env")
    (project,) = _load(tmp_path).projects
    ref = project.services[0].env_files[0]
    assert (ref.path, ref.exists, ref.stand_in) == ("apps/web/.env", False, ".env.example")
    assert project.services[0].environment["SECRET"].example


# -- templates named otherwise (.env.docker, ENVEXAMPLE, env.nginx.template) ---------------------


def test_template_names_by_words() -> None:
    from envlint.discovery import env_template_key as key

    fires = [
        (".env.docker", ".env"),
        ("ENVEXAMPLE", ".env"),  # one word: env + example, any case
        ("env.template", ".env"),
        ("example.env", ".env"),
        (".env.local", ".env"),
        ("env.nginx.template", ".env.nginx"),
        ("app.env.defaults", "app.env"),
    ]
    quiet = [
        ("env.prod.template", ".env"),  # `prod` is not a template word
        ("env.nginx.template", ".env"),
        (".env.testing", ".env"),
        ("env.example.sh", ".env"),  # `sh`: a script, not an env file
        (".env", ".env"),
        (".envrc", ".env"),
        ("environment.example", ".env"),
        ("env", ".env"),  # no template word
    ]
    assert [name for name, missing in fires if key(name, missing) is None] == []
    assert [name for name, missing in quiet if key(name, missing) is not None] == []
    ranked = sorted(("ENVEXAMPLE", ".env.docker", ".env.sample", ".env.example", "env.tpl"))
    # `.env.docker` is the Compose template (snipe-it: `.env.example` is for a bare-metal
    # Laravel setup, `.env.docker` for the docker-compose stack): it comes first
    assert sorted(ranked, key=lambda n: key(n, ".env") or ()) == [
        ".env.docker",
        ".env.example",
        ".env.sample",
        "ENVEXAMPLE",
        "env.tpl",
    ]


def test_a_docker_template_documents_the_absent_env(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            ".env.docker": "# @dottie/source .env.docker\nTOKEN=changeme\nHOST=db\n",
            ".env.testing": "TOKEN=t\n",  # Laravel's test env: not a template of .env
            "compose.yaml": _compose(),
        },
    )
    (project,) = _load(tmp_path).projects
    assert project.documented_by == ".env.docker"
    assert project.environment["HOST"].example


def test_a_word_named_template_must_read_as_an_env_file(tmp_path: Path) -> None:
    # a shell script named like a template, and a template with a line Compose rejects
    write_tree(
        tmp_path,
        {".env.dev": "if true; then\n  TOKEN=x\nfi\n", "compose.yaml": _compose()},
    )
    (project,) = _load(tmp_path).projects
    assert project.documented_by is None
    write_tree(tmp_path, {"env.example": "HOST=db\nTOKEN=x\n"})
    (project,) = _load(tmp_path).projects
    assert project.documented_by == "env.example"


def test_a_service_env_file_documented_by_its_named_template(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "env.nginx.template": "DOMAIN=example.com\n",
            "env.prod.template": "TOKEN=changeme\n",
            "ENVEXAMPLE": "TOKEN=changeme\n",
            "compose.yaml": """
                services:
                  nginx:
                    image: nginx
                    env_file: [.env.nginx]
                  api:
                    image: api
                    env_file: [.env]
                  worker:
                    image: worker
                    env_file: [worker.env]
            """,
        },
    )
    (project,) = _load(tmp_path).projects
    refs = {svc.name: svc.env_files[0] for svc in project.services}
    assert refs["nginx"].stand_in == "env.nginx.template"
    assert refs["api"].stand_in == "ENVEXAMPLE"  # not env.prod.template
    assert refs["worker"].stand_in is None


def test_a_stack_of_its_own_name_has_its_own_template() -> None:
    from envlint.discovery import env_template_key as key
    from envlint.discovery import stack_words

    prod = stack_words(["deploy/docker-compose.prod.yml"])
    assert prod == frozenset({"prod"})
    assert stack_words(["compose.yaml", "docker-compose.override.yml"]) == frozenset()
    assert key("env.prod.template", ".env") is None  # `prod` is no template word by itself
    assert key("env.prod.template", ".env", prod) is not None
    assert key(".env.prod", ".env", prod) is None  # the stack's own env file, no template
    ranked = [".env.example", "env.template", "env.prod.template", ".env.prod.example"]
    assert sorted(ranked, key=lambda n: key(n, ".env", prod) or ()) == [
        ".env.prod.example",
        "env.prod.template",
        ".env.example",
        "env.template",
    ]


def test_the_prod_stack_is_documented_by_the_prod_template(tmp_path: Path) -> None:
    # onyx: `cp env.template .env` for the default stack, `cp env.prod.template .env` for prod;
    # the prod template lacks the storage keys the prod compose file requires
    write_tree(
        tmp_path,
        {
            "env.template": "TOKEN=changeme\nS3_KEY=\n",
            "env.prod.template": "TOKEN=changeme\nDOMAIN=example.com\n",
            "docker-compose.yml": """
                services:
                  app: {image: "app:1", environment: {TOKEN: "${TOKEN:?}"}}
            """,
            "docker-compose.prod.yml": """
                services:
                  app: {image: "app:1", environment: {TOKEN: "${TOKEN:?}", S3: "${S3_KEY:?}"}}
            """,
        },
    )
    by_stack = {p.stack: p for p in _load(tmp_path).projects}
    assert by_stack["docker-compose.yml"].documented_by == "env.template"
    assert by_stack["docker-compose.prod.yml"].documented_by == "env.prod.template"
    found = {
        (f.code, f.variable, f.location.path)
        for f in run_lint(tmp_path, cache=False).findings
        if f.code in ("ENV102", "ENV109")
    }
    assert found == {("ENV109", "S3_KEY", "env.prod.template")}


def test_a_stack_template_of_a_service_env_file_is_not_the_project_env(tmp_path: Path) -> None:
    # bookwyrm: the dev overlay's `env_file: .env.dev` is documented by .env.dev.example; the
    # base file's ${VAR}s are interpolated from .env (Compose never reads a service's env_file
    # for interpolation), so .env.example documents the dev stack too
    write_tree(
        tmp_path,
        {
            ".env.example": "POSTGRES_USER=app\nPOSTGRES_DB=app\n",
            ".env.dev.example": "DEBUG=true\n",
            "docker-compose.yml": """
                services:
                  db:
                    image: postgres:17
                    env_file: .env
                    command: ["pg_isready", "-U", "${POSTGRES_USER}", "-p", "${PG_PORT}"]
                  web: {image: "web:1", env_file: .env}
            """,
            "docker-compose.dev.yml": """
                services:
                  web:
                    env_file: [{path: .env.dev}]
            """,
        },
    )
    by_stack = {p.stack: p for p in _load(tmp_path).projects}
    layered = by_stack["docker-compose.yml + docker-compose.dev.yml"]
    assert layered.documented_by == ".env.example"
    assert {(f.path, f.role) for f in layered.env_files} == {(".env.example", "example")}
    (web,) = (svc for svc in layered.services if svc.name == "web")
    assert web.env_files[-1].stand_in == ".env.dev.example"  # the container's file, as before
    found = {
        (f.code, f.variable, f.location.path)
        for f in run_lint(tmp_path, cache=False).findings
        if f.code in ("ENV101", "ENV109")
    }
    # a key .env.example lacks is still reported, on .env.example, once
    assert found == {("ENV109", "PG_PORT", ".env.example")}
    # a stack template no service reads as its env_file still documents the stack's .env
    write_tree(tmp_path, {"docker-compose.dev.yml": "services:\n  web:\n    ports: ['80']\n"})
    by_stack = {p.stack: p for p in _load(tmp_path).projects}
    assert by_stack["docker-compose.yml + docker-compose.dev.yml"].documented_by == (
        ".env.dev.example"
    )


def test_the_file_the_documented_commands_copy_to_env_documents_it(tmp_path: Path) -> None:
    # AppFlowy-Cloud: CI runs `cp deploy.env .env` then `docker compose up`; `dev.env` (a
    # template by its name) is for the dev stack only, and lacks the keys the stack needs
    write_tree(
        tmp_path,
        {
            "dev.env": "TOKEN=dev\n",
            "deploy.env": "TOKEN=changeme\nBASE_URL=https://example.com\n",
            ".github/workflows/ci.yml": """
                on: push
                jobs:
                  it:
                    runs-on: ubuntu-latest
                    steps:
                      - run: cp deploy.env .env
                      - run: docker compose up -d
            """,
            "docker-compose.yml": """
                services:
                  api: {image: "api:1", environment: {T: "${TOKEN}", B: "${BASE_URL}"}}
            """,
        },
    )
    (project,) = _load(tmp_path).projects
    assert project.documented_by == "deploy.env"
    found = [f.code for f in run_lint(tmp_path, cache=False).findings if f.code.startswith("ENV1")]
    assert "ENV109" not in found and "ENV101" not in found
    # without the copy, the name rule picks dev.env, which lacks BASE_URL
    write_tree(
        tmp_path,
        {
            ".github/workflows/ci.yml": """
                on: push
                jobs:
                  it:
                    runs-on: ubuntu-latest
                    steps:
                      - run: docker compose up -d
            """
        },
    )
    (project,) = _load(tmp_path).projects
    assert project.documented_by == "dev.env"
    missing = {
        (f.code, f.variable) for f in run_lint(tmp_path, cache=False).findings if f.code == "ENV109"
    }
    assert missing == {("ENV109", "BASE_URL")}


def test_a_template_named_for_another_stack_is_not_this_ones(tmp_path: Path) -> None:
    # AppFlowy-Cloud: `cp dev.env .env` for the dev stack, `cp deploy.env .env` for the CI
    # stack; the default stack is neither's by name: it takes the copy not named for another
    # stack (deploy.env), never dev.env
    compose = """
        services:
          api: {image: "api:1", environment: {T: "${TOKEN}", B: "${BASE_URL}"}}
    """
    write_tree(
        tmp_path,
        {
            "dev.env": "TOKEN=dev\n",
            "deploy.env": "TOKEN=changeme\nBASE_URL=https://example.com\n",
            ".github/workflows/ci.yml": """
                on: push
                jobs:
                  it:
                    runs-on: ubuntu-latest
                    steps:
                      - run: cp deploy.env .env
                      - run: docker compose -f docker-compose-ci.yml up -d
                  stress:
                    runs-on: ubuntu-latest
                    steps:
                      - run: cp dev.env .env
                      - run: docker compose -f docker-compose-dev.yml up -d
            """,
            "docker-compose.yml": compose,
            "docker-compose-ci.yml": compose,
            "docker-compose-dev.yml": compose,
        },
    )
    by_stack = {p.stack: p.documented_by for p in _load(tmp_path).projects}
    assert by_stack == {
        "docker-compose.yml": "deploy.env",
        "docker-compose-ci.yml": "deploy.env",
        "docker-compose-dev.yml": "dev.env",
    }
    from envlint.discovery import env_template_key as key

    assert key("dev.env", ".env") is not None  # a template by its name alone
    assert key("dev.env", ".env", (), {"dev"}) is None  # but the dev stack's, here


def test_a_readme_that_writes_dotenv_with_a_heredoc_sets_its_keys(tmp_path: Path) -> None:
    # insights-host-inventory: the README's `cat > ${PWD}/.env<<EOF ... EOF`, then `podman
    # compose -f dev.yml up`: what the here-document lists is set (values unknown); the rest not
    write_tree(
        tmp_path,
        {
            "README.md": """
                ```bash
                cat > ${PWD}/.env<<EOF
                COMPOSE_PROJECT_NAME=hbi
                DB_USER=insights
                EOF
                ```

                ```bash
                podman compose -f dev.yml up
                ```
            """,
            "dev.yml": """
                services:
                  db:
                    image: postgres
                    environment: {U: "${DB_USER:?set it}", P: "${DB_PASS}"}
            """,
        },
    )
    found = {
        (f.code, f.variable)
        for f in run_lint(tmp_path, cache=False).findings
        if f.code in ("ENV101", "ENV102", "ENV901")
    }
    assert found == {("ENV101", "DB_PASS")}  # no invalid-project-name note for the placeholder
