"""ENV201 and an envalid ``devDefault`` (blind evaluation 3, repro 5): envalid uses the
``devDefault`` only when NODE_ENV is set and is not ``production``, so whether a missing
variable crashes depends on the service's NODE_ENV (compose environment or image ENV)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_lint, write_tree

ENV_JS = """const { cleanEnv, num, str } = require("envalid");

module.exports = cleanEnv(process.env, {
  PORT: num({ default: 3000 }),
  SIGNING_KEY: str({ devDefault: "local-signing-key" }),
  REGION: str({ default: "eu-1", devDefault: "dev-1" }),
});
"""
MAIN_JS = 'const env = require("./env");\n\nconsole.log("up on", env.PORT);\n'
PACKAGE = '{"name": "links", "scripts": {"start": "node app/main.js"}}\n'


def _tree(tmp_path: Path, image_env: str, compose_env: str) -> None:
    dockerfile = (
        f"FROM node:22-alpine\n{image_env}WORKDIR /srv\nCOPY . .\nCMD [\"npm\", \"start\"]\n"
    )
    compose = "services:\n  links:\n    build: .\n" + compose_env
    write_tree(
        tmp_path,
        {
            "compose.yaml": compose,
            "Dockerfile": dockerfile,
            "package.json": PACKAGE,
            "app/main.js": MAIN_JS,
            "app/env.js": ENV_JS,
        },
    )


def _env201(tmp_path: Path) -> list[tuple[str, int, str]]:
    report = run_lint(tmp_path)
    return [
        (f.location.path, f.location.line, f.message)
        for f in report.findings
        if f.code == "ENV201"
    ]


@pytest.mark.parametrize(
    ("image_env", "compose_env"),
    [
        ("ENV NODE_ENV=production\n", ""),
        ("", "    environment:\n      NODE_ENV: production\n"),
        ("ENV NODE_ENV=development\n", "    environment:\n      - NODE_ENV=production\n"),
    ],
)
def test_production_ignores_the_dev_default(
    tmp_path: Path, image_env: str, compose_env: str
) -> None:
    _tree(tmp_path, image_env, compose_env)
    ((path, line, message),) = _env201(tmp_path)
    assert (path, line) == ("app/env.js", 5)
    assert message.startswith("service links crashes at start without SIGNING_KEY")
    assert "(its envalid devDefault does not apply under NODE_ENV=production)" in message


@pytest.mark.parametrize(
    ("image_env", "compose_env"),
    [
        ("ENV NODE_ENV=development\n", ""),
        ("", "    environment:\n      NODE_ENV: test\n"),
        ("", "    environment:\n      NODE_ENV: staging\n"),  # envalid: anything but production
        ("", ""),  # unset: envalid 8 crashes, envalid 7 uses the devDefault: not known
        ("", "    environment:\n      NODE_ENV: ${APP_MODE}\n"),  # not known here
        ("", "    environment:\n      NODE_ENV: \"\"\n"),  # empty: the envalid versions differ
        ("ENV NODE_ENV=production\n", "    environment:\n      SIGNING_KEY: from-compose\n"),
    ],
)
def test_dev_default_used_or_node_env_unknown_is_quiet(
    tmp_path: Path, image_env: str, compose_env: str
) -> None:
    _tree(tmp_path, image_env, compose_env)
    assert _env201(tmp_path) == []
