"""ENV107: keys of a project env file that nothing uses; a .env that is also an env_file is used."""

from __future__ import annotations

from pathlib import Path

import pytest

from envlint.compose import load_workspace
from envlint.config import Settings
from envlint.report import Report
from tests.conftest import run_lint, triples, write_tree


def test_env_file_that_is_also_the_project_env_is_used(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  api:
                    image: api
                    env_file: ./.env
                  worker:
                    image: worker
                    profiles: [jobs]
                    env_file: [{path: jobs/.env, required: false}]
            """,
            ".env": "LOG_FORMAT=json\nRETRIES=3\n",
            "jobs/compose.yaml": "services:\n  cron:\n    image: cron\n",
            "jobs/.env": "JOB_QUEUE=q\n",
        },
    )
    assert triples(run_lint(tmp_path, select=("ENV107",), cache=False)) == set()


def test_unused_key_message_names_every_way_in(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  api:
                    image: api
                    env_file: api.env
                    environment: [USED]
            """,
            ".env": "USED=1\nDEAD=2\n",
            "api.env": "LEVEL=info\n",
        },
    )
    report = run_lint(tmp_path, select=("ENV107",), cache=False)
    assert triples(report) == {("ENV107", ".env", 2)}
    message = report.findings[0].message
    assert "DEAD is set in .env but nothing uses it" in message
    assert "no service loads .env as its env_file" in message
    assert "envlint found no env file value or service code that reads it" in message
    assert "only through" not in message


def test_secret_and_config_environment_sources_are_uses(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  api:
                    image: api
                    secrets: [token]
                    configs: [settings]
                secrets:
                  token:
                    environment: API_TOKEN
                configs:
                  settings:
                    environment: SETTINGS_JSON
                  missing:
                    environment: NOT_IN_ENV
            """,
            ".env": "API_TOKEN=t\nSETTINGS_JSON={}\nSTALE=1\n",
        },
    )
    report = run_lint(tmp_path, select=("ENV107",), cache=False)
    assert triples(report) == {("ENV107", ".env", 3)}
    (project,) = load_workspace(tmp_path, Settings()).projects
    assert [(e.name, e.resolved, e.location.line) for e in project.resource_env] == [
        ("API_TOKEN", True, 8),
        ("SETTINGS_JSON", True, 11),
        ("NOT_IN_ENV", False, 13),
    ]


def _templated_tree(root: Path, *, broken: bool) -> None:
    """blind eval (baserow): a cookiecutter directory whose Jinja compose files envlint cannot
    parse loads its ``.env`` as an env_file; a sibling stack that parses has its own .env."""
    service = "{{ cookiecutter.slug }}" if broken else "plugin"
    write_tree(
        root,
        {
            "tpl/docker-compose.yml": f"""
                services:
                  {service}:
                    image: plugin
                    env_file: [.env]
            """,
            "tpl/.env": "PLUGIN_GLOBAL_CONF=\n",
            "app/compose.yaml": "services:\n  api:\n    image: api\n",
            "app/.env": "STALE=1\n",
        },
    )


def test_no_unused_claim_beside_a_compose_file_that_failed_to_parse(tmp_path: Path) -> None:
    _templated_tree(tmp_path, broken=True)
    report = run_lint(tmp_path, select=("ENV107", "ENV901"), cache=False)
    found = triples(report)
    assert ("ENV901", "tpl/docker-compose.yml", 2) in found  # the parse error is reported
    # tpl/.env: the unparsed file may load it; app/.env: no unparsed compose file near it
    assert {t for t in found if t[0] == "ENV107"} == {("ENV107", "app/.env", 1)}


def test_a_compose_file_that_parses_still_decides(tmp_path: Path) -> None:
    _templated_tree(tmp_path, broken=False)
    report = run_lint(tmp_path, select=("ENV107",), cache=False)
    assert triples(report) == {("ENV107", "app/.env", 1)}  # tpl/.env is the service's env_file


_COMPOSE = "services:\n  api:\n    image: acme/api:${IMAGE_VERSION}\n"


def _messages(report: Report) -> dict[int, str]:
    return {f.location.line: f.message for f in report.findings}


def test_keys_a_makefile_that_includes_the_env_file_references_are_used(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": _COMPOSE,
            ".env": "IMAGE_VERSION=2\nLOCAL_IMAGE=acme/api\nSUB_TAG=-rc\nPUSH_TO=hub\nDEAD=1\n",
            "Makefile": (
                "include .env\n"
                "-include make/release.mk\n"
                "build:\n"
                "\tdocker build -t ${LOCAL_IMAGE}:$(IMAGE_VERSION)$(SUB_TAG) .\n"
            ),
            # read as make runs it, from the Makefile's directory: `include`d, its $(PUSH_TO) counts
            "make/release.mk": "push:\n\tdocker push $(PUSH_TO)\n",
            # a Makefile that does not include .env: its $(DEAD) is another variable
            "tools/Makefile": "x:\n\techo $(DEAD)\n",
        },
    )
    report = run_lint(tmp_path, select=("ENV107",), cache=False)
    assert triples(report) == {("ENV107", ".env", 5)}
    message = _messages(report)[5]
    assert message.endswith("; Makefile (make) loads .env too but does not reference it")


def test_an_included_mk_file_that_includes_the_env_file(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": _COMPOSE,
            ".env": "IMAGE_VERSION=2\nREGISTRY=ghcr.io\n",
            "Makefile": "include mk/env.mk\nall:\n\tdocker push $(REGISTRY)/api\n",
            "mk/env.mk": "sinclude .env\n",  # relative to where make runs: the root
        },
    )
    assert triples(run_lint(tmp_path, select=("ENV107",), cache=False)) == set()


def test_a_makefile_that_exports_every_variable_softens_the_claim(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": _COMPOSE,
            ".env": "IMAGE_VERSION=2\nNPM_TOKEN=x\n",
            "Makefile": "include .env\nexport\ninstall:\n\tnpm ci\n",
        },
    )
    report = run_lint(tmp_path, select=("ENV107",), cache=False)
    assert triples(report) == {("ENV107", ".env", 2)}
    message = _messages(report)[2]
    assert "nothing uses it" not in message
    assert "Makefile (make) includes .env and exports every variable to its recipes" in message


def test_keys_a_ci_job_that_loads_the_env_file_references_are_used(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": _COMPOSE,
            ".env": "IMAGE_VERSION=2\nLATEST=latest\nSHELL_TAG=s\nACTION_TAG=a\nOTHER_JOB=o\n"
            "WRITTEN=w\nBEFORE=b\nSETENV_TAG=t\n",
            ".github/workflows/release.yml": """
                on: push
                jobs:
                  publish:
                    runs-on: ubuntu-latest
                    steps:
                      - run: echo ${{ env.BEFORE }}
                      - run: grep -v '^#' .env >> "$GITHUB_ENV"
                      - run: docker tag api:${{ env.LATEST }} api:latest
                  shell:
                    runs-on: ubuntu-latest
                    steps:
                      - run: |
                          set -a; . ./.env; set +a
                          docker push "api:$SHELL_TAG"
                  action:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: xom9ikk/dotenv@v2
                      - run: echo "${{ env['ACTION_TAG'] }}"
                  setenv:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: some/env-loader@v1
                        with:
                          env-file: .env
                      - run: echo "$SETENV_TAG"
                  other:
                    runs-on: ubuntu-latest
                    steps:
                      - run: echo "${{ env.OTHER_JOB }}"
                  written:
                    runs-on: ubuntu-latest
                    steps:
                      - uses: SpicyPizza/create-envfile@v2
                        with:
                          envkey_WRITTEN: ${{ secrets.X }}
                      - run: echo "${{ env.WRITTEN }}"
            """,
        },
    )
    report = run_lint(tmp_path, select=("ENV107",), cache=False)
    # OTHER_JOB: its job loads no .env; WRITTEN: the action writes .env, it loads nothing;
    # BEFORE: read before the step that loads it
    assert triples(report) == {("ENV107", ".env", 5), ("ENV107", ".env", 6), ("ENV107", ".env", 7)}


_SYMFONY_COMPOSER = (
    '{"require": {"php": ">=8.2", "symfony/dotenv": "^7", "symfony/framework-bundle": "^7"}}'
)


def test_keys_a_symfony_config_reads_through_env_parameters_are_used(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": _COMPOSE,
            "composer.json": _SYMFONY_COMPOSER,
            ".env": "IMAGE_VERSION=2\nAPP_SECRET=s\nDB_USER=u\nRABBIT_PORT=5672\nES_HOST=es\n"
            "MAILER_DSN=null://\nXML_KEY=x\nCACHE_TTL=60\nVENDOR_ONLY=v\nDEAD=1\n",
            # config anywhere below composer.json: apps/*/config, src/**/DependencyInjection
            "apps/api/config/services.yaml": """
                framework:
                  secret: '%env(APP_SECRET)%'
                services:
                  App\\Bus:
                    arguments: ['amqp://%env(DB_USER)%@rabbit', '%env(int:RABBIT_PORT)%']
                  App\\Search:
                    tags: !tagged_iterator search
                    arguments: ['%env(default:search.host:ES_HOST)%']
            """,
            "config/packages/mailer.php": (
                "<?php\nuse function Symfony\\Component\\DependencyInjection\\Loader\\Configurator"
                "\\env;\nreturn static function ($c) {\n"
                "  $c->extension('framework', ['mailer' => ['dsn' => '%env(MAILER_DSN)%']]);\n"
                "  $c->parameters()->set('ttl', env('CACHE_TTL')->int());\n};\n"
            ),
            "config/services.xml": (
                '<container><parameters><parameter key="k">%env(resolve:XML_KEY)%</parameter>'
                "</parameters></container>\n"
            ),
            "vendor/acme/bundle/config/services.yaml": "x: '%env(VENDOR_ONLY)%'\n",
        },
    )
    report = run_lint(tmp_path, select=("ENV107",), cache=False)
    assert triples(report) == {("ENV107", ".env", 9), ("ENV107", ".env", 10)}
    assert _messages(report)[10].endswith(
        "; Symfony's %env() configuration (composer.json requires symfony/dotenv) loads .env"
        " too but does not reference it"
    )


def test_env_parameters_count_only_where_symfony_loads_the_env_file(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "compose.yaml": _COMPOSE,
            ".env": "IMAGE_VERSION=2\nAPP_SECRET=s\n",
            "config/services.yaml": "framework:\n  secret: '%env(APP_SECRET)%'\n",
            # no symfony/dotenv: nothing loads .env into the app
            "composer.json": '{"require": {"symfony/framework-bundle": "^7"}}',
            # symfony/dotenv in another project: it loads its own app/.env, not the root's
            "app/composer.json": _SYMFONY_COMPOSER,
            "app/config/services.yaml": "framework:\n  secret: '%env(APP_SECRET)%'\n",
        },
    )
    report = run_lint(tmp_path, select=("ENV107",), cache=False)
    assert triples(report) == {("ENV107", ".env", 2)}
    assert "Symfony" not in report.findings[0].message


def test_the_env_file_users_are_read_only_for_env107(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Which launcher files load the env file is a fact ENV107 needs: another rule alone does
    not scan Makefiles, CI or a Symfony app's configuration (no PHP is parsed)."""
    import envlint.compose.symfony as symfony

    parsed: list[bytes] = []
    php_names = symfony._php_names

    def recording(data: bytes, configures: bool):  # type: ignore[no-untyped-def]
        parsed.append(data)
        return php_names(data, configures)

    monkeypatch.setattr(symfony, "_php_names", recording)
    write_tree(
        tmp_path,
        {
            "compose.yaml": _COMPOSE,
            "composer.json": _SYMFONY_COMPOSER,
            ".env": "IMAGE_VERSION=2\nMAILER_DSN=null://\n",
            "config/packages/mailer.php": (
                "<?php\nreturn static function ($c) {\n"
                "  $c->extension('framework', ['mailer' => ['dsn' => '%env(MAILER_DSN)%']]);\n};\n"
            ),
        },
    )
    run_lint(tmp_path, select=("ENV101",), cache=False)
    assert parsed == []
    report = run_lint(tmp_path, select=("ENV107",), cache=False)
    assert parsed
    assert triples(report) == set()
