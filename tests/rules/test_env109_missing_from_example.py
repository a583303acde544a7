"""ENV109 and the repository shape of issue #16 end to end: .env git-ignored, .env.example
committed, CI runs envlint on a checkout that has only the example."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from envlint.cli import cli
from envlint.findings import Severity
from tests.conftest import run_lint, triples, write_tree

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "envflow_ignored_env"


def _ci(root: Path, *args: str) -> tuple[int, str]:
    """The CLI as a CI job runs it: from the repository root (paths print relative to it)."""
    here = os.getcwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(cli, ["check", str(root), "--no-cache", *args])
    finally:
        os.chdir(here)
    return result.exit_code, result.output


def _copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "repo"))


def _drop_lines(path: Path, *keys: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(x for x in lines if x.split("=")[0] not in keys), encoding="utf-8")


def test_complete_example_passes_ci() -> None:
    code, out = _ci(FIXTURE, "--format", "json")
    assert code == 0, out
    doc = json.loads(out)
    assert [(f["code"], f["severity"]) for f in doc["findings"]] == [("ENV104", "info")]
    assert doc["summary"]["documented_by"] == [".env.example"]
    from tests.test_schemas import _errors, _schema

    assert _errors(_schema("report.schema.json"), doc) == []
    code, text = _ci(FIXTURE, "--format", "concise")
    assert code == 0
    assert text.count("Env file absent: read .env.example in its place") == 1  # said once


def test_missing_keys_are_reported_on_the_example(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    _drop_lines(root / ".env.example", "JWT_SECRET", "POSTGRES_USER", "WORKER_QUEUE")
    report = run_lint(root, cache=False)
    found = {(f.code, f.variable, f.service) for f in report.findings if f.code != "ENV104"}
    assert found == {
        ("ENV109", "JWT_SECRET", "api"),  # env_file .env -> the example; the code crashes
        ("ENV109", "POSTGRES_USER", "db"),  # ${POSTGRES_USER:?}
        ("ENV109", "WORKER_QUEUE", "worker"),  # passed through and read
    }
    by_name = {f.variable: f for f in report.findings if f.code == "ENV109"}
    assert all(f.location.path == ".env.example" for f in by_name.values())
    assert "docker compose refuses to start without it" in by_name["POSTGRES_USER"].message
    assert "crashes at start" in by_name["JWT_SECRET"].message
    worker = {(r.location.path, r.message) for r in by_name["WORKER_QUEUE"].related}
    assert ("compose.yaml", "service worker passes it through") in worker
    assert ("worker/main.py", "service worker crashes at start without it") in worker
    # no ENV101/ENV102/ENV103/ENV201 for what the example lacks
    assert not {f.code for f in report.findings} & {"ENV101", "ENV102", "ENV103", "ENV201"}
    code, out = _ci(root, "--format", "github")
    assert code == 1
    assert out.count("::warning file=.env.example,") == 3


def test_a_committed_env_is_checked_as_before(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    (root / ".gitignore").unlink()
    (root / ".env").write_text(
        "POSTGRES_USER=shop\nPOSTGRES_PASSWORD=x\nDATABASE_URL=postgres://db/shop\n",
        encoding="utf-8",
    )
    report = run_lint(root, cache=False)
    codes = {(f.code, f.variable) for f in report.findings}
    assert not any(code == "ENV109" for code, _ in codes)
    assert ("ENV201", "JWT_SECRET") in codes  # .env is the environment now
    assert ("ENV108", "JWT_SECRET") in codes  # and the example has keys .env lacks
    assert report.summary.documented_by == ()


def test_code_read_that_no_example_would_carry_stays_env201(project: object) -> None:
    """A variable compose never passes to the service: adding it to the example would not
    help, so ENV201 reports it (not ENV109)."""
    assert callable(project)
    root = project(
        {
            ".env.example": "A=\n",
            "compose.yaml": """
                services:
                  api:
                    build: ./api
            """,
            "api/Dockerfile": 'FROM python:3.12\nCMD ["python", "main.py"]\n',
            "api/main.py": 'import os\nX = os.environ["NOT_PASSED"]\n',
        }
    )
    assert triples(run_lint(root, cache=False), "ENV201") == {("ENV201", "api/main.py", 2)}
    assert triples(run_lint(root, cache=False), "ENV109") == set()


@pytest.mark.parametrize("value", ["", "changeme", "<token>", "xxxx", "your-token-here", "TODO"])
def test_placeholders_are_never_type_checked(tmp_path: Path, value: str) -> None:
    write_tree(
        tmp_path,
        {
            ".env.example": f"PORT={value}\n",
            "compose.yaml": "services:\n  api:\n    build: ./api\n    environment: [PORT]\n",
            "api/Dockerfile": 'FROM python:3.12\nCMD ["python", "main.py"]\n',
            "api/main.py": 'import os\nPORT = int(os.environ["PORT"])\n',
        },
    )
    report = run_lint(tmp_path, cache=False)
    assert not {f.code for f in report.findings} & {"ENV203", "ENV204", "ENV109", "ENV201"}


def test_the_timing_is_said_as_env201_says_it(tmp_path: Path) -> None:
    """blind eval repro 6: a read in a client built on demand (a request handler calls it)
    fails when that code runs, not at start; a top-level read still crashes at start."""
    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  web:\n    build: .\n    env_file: .env\n",
            ".gitignore": ".env\n",
            ".env.example": "PORT=3000\n",
            "Dockerfile": "FROM node:20-alpine\nWORKDIR /app\nCOPY . .\n"
            'CMD ["node", "server.js"]\n',
            "package.json": '{ "name": "web", "main": "server.js" }\n',
            "billing.js": """
                function billingClient() {
                  const raw = process.env.BILLING_KEY;
                  if (!raw) {
                    throw new Error("Missing BILLING_KEY");
                  }
                  return { key: raw };
                }
                module.exports = { billingClient };
            """,
            "server.js": """
                const http = require("http");
                const { billingClient } = require("./billing");
                const secret = JSON.parse(process.env.SESSION_JSON);
                http.createServer((req, res) => {
                  billingClient();
                  res.end(String(secret));
                }).listen(Number(process.env.PORT || 3000));
            """,
        },
    )
    report = run_lint(tmp_path, select=("ENV109",), cache=False)
    by_name = {f.variable: f.message for f in report.findings}
    assert set(by_name) == {"BILLING_KEY", "SESSION_JSON"}
    assert "(the code fails without it when `billingClient` runs)" in by_name["BILLING_KEY"]
    assert "at start" not in by_name["BILLING_KEY"]  # must not claim a crash at start
    assert "(the code crashes at start without it)" in by_name["SESSION_JSON"]
    # only code that may never run fails without BILLING_KEY: the service reads it, nothing
    # more is claimed; SESSION_JSON is needed at start
    assert "; service web reads it (" in by_name["BILLING_KEY"]
    assert "; service web needs it (" in by_name["SESSION_JSON"]


def _passthrough_tree(root: Path, main_py: str) -> None:
    """blind eval (baserow): bare pass-throughs that the example does not list, on a built
    service whose code envlint reads, and on an image whose code it does not know."""
    write_tree(
        root,
        {
            ".gitignore": ".env\n",
            ".env.example": "SECRET=\n",
            "compose.yaml": """
                x-common: &common
                  SECRET: ${SECRET:?set SECRET}
                  LOG_LEVEL:
                  SENTRY_DSN:
                  WORKERS:
                services:
                  api:
                    build: ./api
                    environment:
                      <<: *common
                      DB_URL:
                  proxy:
                    image: caddy:2
                    environment:
                      - PROXY_DOMAIN
            """,
            "api/Dockerfile": 'FROM python:3.12\nCOPY main.py .\nCMD ["python", "main.py"]\n',
            "api/main.py": main_py,
        },
    )


def test_a_passthrough_the_code_reads_with_a_default_is_not_needed(tmp_path: Path) -> None:
    _passthrough_tree(
        tmp_path,
        """
            import os

            LOG_LEVEL = os.getenv("LOG_LEVEL", "INFO")
            SENTRY_DSN = os.getenv("SENTRY_DSN")
            WORKERS = int(os.environ.get("WORKERS", 4))
            DB_URL = os.environ["DB_URL"]
            SECRET = os.environ["SECRET"]
        """,
    )
    report = run_lint(tmp_path, select=("ENV109",), cache=False)
    by_name = {f.variable: f.message for f in report.findings}
    # LOG_LEVEL, SENTRY_DSN, WORKERS: read with a default or as empty -> nothing needs them
    assert set(by_name) == {"DB_URL", "PROXY_DOMAIN"}
    # that anything needs PROXY_DOMAIN is not established: info; DB_URL stays a warning
    levels = {f.variable: f.severity.value for f in report.findings}
    assert levels == {"DB_URL": "warning", "PROXY_DOMAIN": "info"}
    # the code crashes without DB_URL: needed, as before
    assert "; service api needs it (" in by_name["DB_URL"]
    assert "passed through to the container" in by_name["DB_URL"]
    # caddy's code is not known: only what compose does is said, not "needs"
    proxy = by_name["PROXY_DOMAIN"]
    assert "; service proxy passes it through (" in proxy
    assert "compose passes it to the container only when it is set" in proxy
    assert "envlint does not know the code of service proxy" in proxy
    assert "needs" not in proxy


def test_a_passthrough_the_known_code_never_reads_is_said_as_known(tmp_path: Path) -> None:
    _passthrough_tree(
        tmp_path,
        """
            import os

            LOG_LEVEL = os.getenv("LOG_LEVEL", "INFO")
            DB_URL = os.environ["DB_URL"]
        """,
    )
    report = run_lint(tmp_path, select=("ENV109",), cache=False)
    by_name = {f.variable: f.message for f in report.findings}
    assert set(by_name) == {"DB_URL", "PROXY_DOMAIN", "SENTRY_DSN", "WORKERS"}
    levels = {f.variable: f.severity.value for f in report.findings}
    assert levels["SENTRY_DSN"] == levels["WORKERS"] == "info"
    for name in ("SENTRY_DSN", "WORKERS"):
        assert "; service api passes it through (" in by_name[name]
        assert "envlint found no read of it in the code of service api" in by_name[name]


def test_a_build_arg_with_a_dockerfile_default_is_not_needed(tmp_path: Path) -> None:
    """kitsune (blind set 11b): ``args: [GIT_SHA]`` with ``ARG GIT_SHA=head``: Compose leaves an
    unset build arg out of the build and the default applies; it reaches the image build, not
    the container."""
    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  web:\n    build:\n      context: .\n      args:\n"
            "        - GIT_SHA\n        - RELEASE\n    env_file: .env\n",
            ".env.example": "PORT=8000\n",
            "Dockerfile": "FROM python:3.12-slim\nARG GIT_SHA=head\nARG RELEASE\n"
            'COPY . /app\nCMD ["python", "/app/app.py"]\n',
            "app.py": "print(1)\n",
        },
    )
    found = {
        f.variable: f.message
        for f in run_lint(tmp_path, cache=False).findings
        if f.code == "ENV109"
    }
    assert set(found) == {"RELEASE"}
    assert "passed through to its image build" in found["RELEASE"]


def _interpolated_needs(root: Path, read: str) -> set[str | None]:
    """The variables ENV109 finds missing when ``web``'s code makes ``read``."""
    files = {
        "compose.yaml": """
            services:
              web:
                build: ./web
                environment:
                  DB_PASSWORD: ${DB_PASSWORD}
                  API_URL: ${API_URL}
                  BASE: http://${API_HOST}/v1
        """,
        ".gitignore": ".env\n",
        ".env.example": "DB_PASSWORD=\n",
        "web/Dockerfile": 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD ["node", "index.js"]\n',
        "web/package.json": '{"name": "web", "main": "index.js"}\n',
        "web/index.js": read + "const base = process.env.BASE || 'http://localhost/v1';\n",
    }
    write_tree(root, files)
    return {f.variable for f in run_lint(root, select=("ENV109",), cache=False).findings}


def test_an_interpolated_value_the_code_defaults_when_empty_is_not_needed(tmp_path: Path) -> None:
    # gpt-researcher (blind 17e): `API_URL: ${API_URL}` gives the container "" when unset, and
    # `process.env.API_URL || "d"` takes its default then: the service does not need the key
    found = _interpolated_needs(tmp_path, 'const url = process.env.API_URL || "http://api";\n')
    # a reference inside a longer value leaves a non-empty, broken value: still needed
    assert found == {"API_HOST"}


def test_an_interpolated_value_the_code_keeps_empty_is_a_note(tmp_path: Path) -> None:
    # `login(process.env.API_URL)` passes "" on: it may fail later or not, so the key is
    # reported as missing, but that the service needs it is not claimed (gpt-researcher, 17e)
    found = _interpolated_needs(tmp_path, "const url = process.env.API_URL;\nlogin(url);\n")
    assert found == {"API_URL", "API_HOST"}
    by_name = {f.variable: f for f in run_lint(tmp_path, select=("ENV109",), cache=False).findings}
    note, needed = by_name["API_URL"], by_name["API_HOST"]
    assert note.severity is Severity.INFO and needed.severity is Severity.WARNING
    assert "service web gets it (compose interpolates it into API_URL without a default" in (
        note.message
    )
    assert "needs" not in note.message and "service web needs it" in needed.message


def test_an_interpolated_value_a_read_fails_on_empty_is_needed(tmp_path: Path) -> None:
    # `new URL("")` throws: the empty value the unset variable leaves fails at the read
    code = "const url = new URL(process.env.API_URL);\n"
    found = _interpolated_needs(tmp_path, code)
    assert found == {"API_URL", "API_HOST"}
    by_name = {f.variable: f for f in run_lint(tmp_path, select=("ENV109",), cache=False).findings}
    assert by_name["API_URL"].severity is Severity.WARNING


def test_an_interpolated_value_no_code_reads_is_a_note(tmp_path: Path) -> None:
    # gpt-researcher's DISCORD_CLIENT_ID (blind 17e): the service's program never reads it (there
    # a one-off script does), so all that is known is what compose does with it unset
    found = _interpolated_needs(tmp_path, "console.log(1);\n")
    assert found == {"API_URL", "API_HOST"}
    by_name = {f.variable: f for f in run_lint(tmp_path, select=("ENV109",), cache=False).findings}
    assert by_name["API_URL"].severity is Severity.INFO
    assert "envlint found no read of API_URL in the code" in by_name["API_URL"].message


def test_a_key_commented_out_in_the_example_is_judged_the_same(tmp_path: Path) -> None:
    # `# API_URL=` in the example documents no value: the key is still missing, and unset,
    # the container's API_URL is empty
    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  web:\n    build: ./web\n"
            "    environment:\n      API_URL: ${API_URL}\n",
            ".gitignore": ".env\n",
            ".env.example": "OTHER=1\n# API_URL=\n",
            "web/Dockerfile": 'FROM node:20-alpine\nCOPY . .\nCMD ["node", "index.js"]\n',
            "web/index.js": "login(process.env.API_URL);\n",
        },
    )
    (found,) = run_lint(tmp_path, select=("ENV109",), cache=False).findings
    assert found.variable == "API_URL" and found.severity is Severity.INFO
    assert "no read of API_URL in the code fails on an empty value" in found.message


@pytest.mark.parametrize(
    "seed",
    [
        "import os\nprint(os.getenv('OTHER', 'x'))\n",
        # a default taken on "" (blind review 3): still the directory's code, not postgres's
        "import os\nprint(os.getenv('POSTGRES_PASSWORD') or 'x')\n",
    ],
)
def test_a_base_image_command_beside_code_that_ignores_the_value_still_needs_it(
    tmp_path: Path, seed: str
) -> None:
    # `FROM postgres` runs postgres's own entrypoint, which envlint cannot read: the directory's
    # seed.py, which never reads POSTGRES_PASSWORD or takes a default when it is empty, says
    # nothing about what postgres needs
    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  db:\n    build: ./db\n"
            "    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n",
            ".gitignore": ".env\n",
            ".env.example": "OTHER=1\n",
            "db/Dockerfile": "FROM postgres:16\nCOPY seed.py /seed.py\n",
            "db/seed.py": seed,
        },
    )
    (found,) = run_lint(tmp_path, select=("ENV109",), cache=False).findings
    assert found.variable == "DB_PASSWORD" and found.severity is Severity.WARNING
    assert "service db needs it (compose interpolates it)" in found.message


def test_services_whose_need_is_not_established_get_their_own_clause(tmp_path: Path) -> None:
    # web keeps "" (not established), worker's `new URL("")` throws (needed): the message must
    # not say web needs it, nor leave it out
    write_tree(
        tmp_path,
        {
            "compose.yaml": """
                services:
                  web:
                    build: ./web
                    environment:
                      API_URL: ${API_URL}
                  worker:
                    build: ./worker
                    environment:
                      TARGET: ${API_URL}
            """,
            ".gitignore": ".env\n",
            ".env.example": "OTHER=1\n",
            "web/Dockerfile": 'FROM node:20\nCOPY . .\nCMD ["node", "index.js"]\n',
            "web/index.js": "login(process.env.API_URL);\n",
            "worker/Dockerfile": 'FROM node:20\nCOPY . .\nCMD ["node", "index.js"]\n',
            "worker/index.js": "const target = new URL(process.env.TARGET);\n",
        },
    )
    (found,) = run_lint(tmp_path, select=("ENV109",), cache=False).findings
    assert found.severity is Severity.WARNING and found.service is None
    assert "service worker needs it (compose interpolates it)" in found.message
    assert "; service web gets it too (compose interpolates it into API_URL without a" in (
        found.message
    )
