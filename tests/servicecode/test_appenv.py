"""The env file a service's own code loads at start (dotenv) provides its keys."""

from __future__ import annotations

import time
from pathlib import Path

from tests.conftest import run_lint, write_tree

RAILS = {
    "compose.yaml": """
        services:
          web:
            build: .
            working_dir: /usr/src/app
            volumes:
              - .:/usr/src/app
            command: bundle exec rails s
    """,
    "Dockerfile": 'FROM ruby:3.3\nWORKDIR /usr/src/app\nCMD ["bundle", "exec", "rails", "s"]\n',
    "Gemfile": "source 'https://rubygems.org'\ngem 'rails'\ngem 'dotenv', require: 'dotenv/load'\n",
    "config/application.rb": "module App\n  class Application\n  end\nend\n",
    "app/models/config.rb": (
        "class Config\n  CURRENCY = ENV.fetch('CURRENCY')\n  LOST = ENV.fetch('NOT_IN_ENV')\nend\n"
    ),
    ".env": "CURRENCY=AUD\n",
}

NODE = {
    "compose.yaml": """
        services:
          api:
            build: ./api
            restart: always
    """,
    "api/Dockerfile": 'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "index.js"]\n',
    "api/index.js": (
        "require('dotenv').config();\n"
        "const token = process.env.API_TOKEN;\n"
        "if (!token) { throw new Error('API_TOKEN is required'); }\n"
    ),
    "api/.env": "API_TOKEN=abc\n",
}


def _env201(root: Path) -> set[tuple[str | None, str]]:
    report = run_lint(root, cache=False, select=("ENV201",))
    return {(f.variable, f.severity.value) for f in report.findings if f.code == "ENV201"}


def test_rails_gemfile_dotenv_provides_the_committed_env_keys(tmp_path: Path) -> None:
    write_tree(tmp_path, RAILS)
    found = _env201(tmp_path)
    assert ("CURRENCY", "warning") not in found and ("CURRENCY", "error") not in found
    assert {name for name, _ in found} == {"NOT_IN_ENV"}


def test_rails_without_dotenv_gem_still_fires(tmp_path: Path) -> None:
    write_tree(tmp_path, {**RAILS, "Gemfile": "source 'https://rubygems.org'\ngem 'rails'\n"})
    assert {name for name, _ in _env201(tmp_path)} == {"CURRENCY", "NOT_IN_ENV"}


def test_node_dotenv_config_with_copied_env_is_silent(tmp_path: Path) -> None:
    write_tree(tmp_path, NODE)
    assert _env201(tmp_path) == set()


def test_dockerignored_env_file_still_fires(tmp_path: Path) -> None:
    write_tree(tmp_path, {**NODE, "api/.dockerignore": "node_modules\n.env\n"})
    assert _env201(tmp_path) == {("API_TOKEN", "error")}


def test_conditional_load_softens_to_info(tmp_path: Path) -> None:
    index = "if (process.env.NODE_ENV !== 'production') require('dotenv').config();\n"
    source = NODE["api/index.js"].replace("require('dotenv').config();\n", index)
    write_tree(tmp_path, {**NODE, "api/index.js": source})
    assert _env201(tmp_path) == {("API_TOKEN", "info")}


def test_gitignored_absent_env_file_softens_to_info(tmp_path: Path) -> None:
    files = {k: v for k, v in NODE.items() if k != "api/.env"}
    write_tree(tmp_path, {**files, ".gitignore": ".env\n"})
    report = run_lint(tmp_path, cache=False, select=("ENV201",))
    (finding,) = report.findings
    assert finding.severity.value == "info"
    assert "unless the env file the app loads at start (api/.env) defines it" in finding.message


def test_absent_env_file_not_ignored_still_fires(tmp_path: Path) -> None:
    write_tree(tmp_path, {k: v for k, v in NODE.items() if k != "api/.env"})
    assert _env201(tmp_path) == {("API_TOKEN", "error")}


def test_dockerignore_patterns() -> None:
    from envlint.servicecode.appenv import dockerignore_excludes

    assert dockerignore_excludes(".env\n", ".env")
    assert not dockerignore_excludes(".env\n", "sub/.env")
    assert dockerignore_excludes("**/.env\n", "sub/.env")
    assert dockerignore_excludes("*\n!.env\n", "x.txt")
    assert not dockerignore_excludes("*\n!.env\n", ".env")
    assert dockerignore_excludes("config\n", "config/.env")
    assert not dockerignore_excludes("# .env\n", ".env")
    # a pattern whose regex backtracks exponentially is not matched: the answer is unknown
    hostile = "*a" * 16 + "*b\n"
    assert dockerignore_excludes(hostile, "a" * 40 + "/.env") is None


def test_hostile_ignore_files_do_not_hang_and_soften(tmp_path: Path) -> None:
    # the env file is absent; a .gitignore and a .dockerignore with a backtracking pattern: the
    # .gitignore is matched safely (RE2, or the pattern dropped), the .dockerignore not at all
    hostile = "*a" * 16 + "*b\n"
    files = {k: v for k, v in NODE.items() if k != "api/.env"}
    write_tree(tmp_path, {**files, ".gitignore": hostile + ".env\n", "api/.dockerignore": hostile})
    started = time.monotonic()
    report = run_lint(tmp_path, cache=False, select=("ENV201",))
    assert time.monotonic() - started < 30
    assert {(f.variable, f.severity.value) for f in report.findings} == {("API_TOKEN", "info")}


PYTHON = {
    "compose.yaml": """
        services:
          ai:
            build: ./ai
    """,
    "ai/Dockerfile": ('FROM python:3.12\nWORKDIR /app\nCOPY . .\nCMD ["python", "main.py"]\n'),
    "ai/main.py": "import routers.handler\n",
    "ai/routers/__init__.py": "",
    "ai/routers/handler.py": (
        "import os\n"
        "from dotenv import load_dotenv\n"
        "env_path = os.path.join(os.path.dirname(os.path.dirname(__file__)), '.env')\n"
        "load_dotenv(dotenv_path=env_path)\n"
        "KEY = os.environ['OPENAI_API_KEY']\n"
    ),
    "ai/.env": "OPENAI_API_KEY=sk-test\n",
}


def test_python_path_built_from_file_reaches_the_copied_env(tmp_path: Path) -> None:
    write_tree(tmp_path, PYTHON)
    assert _env201(tmp_path) == set()


def test_python_path_built_from_file_dockerignored_still_fires(tmp_path: Path) -> None:
    write_tree(tmp_path, {**PYTHON, "ai/.dockerignore": ".env\n"})
    assert {name for name, _ in _env201(tmp_path)} == {"OPENAI_API_KEY"}


def test_python_default_search_walks_up_from_the_calling_file(tmp_path: Path) -> None:
    handler = (
        "import os\nfrom dotenv import load_dotenv\nload_dotenv()\n"
        "KEY = os.environ['OPENAI_API_KEY']\n"
    )
    write_tree(tmp_path, {**PYTHON, "ai/routers/handler.py": handler})
    assert _env201(tmp_path) == set()


GO = {
    "compose.yaml": """
        services:
          svc:
            build: ./svc
            working_dir: /src
            volumes:
              - ./svc:/src
    """,
    "svc/Dockerfile": (
        'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n'
    ),
    "svc/go.mod": "module example.com/svc\n\ngo 1.22\n",
    "svc/main.go": (
        "package main\n\n"
        'import (\n\t"os"\n\n\t_ "github.com/joho/godotenv/autoload"\n)\n\n'
        'func main() {\n\tif os.Getenv("DB_URL") == "" {\n\t\tpanic("DB_URL")\n\t}\n'
        '\t_ = os.Getenv("OTHER")\n}\n'
    ),
    "svc/.env": "DB_URL=postgres://db\n",
}


def test_go_autoload_reads_the_mounted_env(tmp_path: Path) -> None:
    write_tree(tmp_path, GO)
    assert _env201(tmp_path) == set()
    write_tree(tmp_path, {"svc/.env": "OTHER=1\n"})
    assert {name for name, _ in _env201(tmp_path)} == {"DB_URL"}


def test_node_preload_in_the_command(tmp_path: Path) -> None:
    index = "const token = process.env.API_TOKEN;\nif (!token) { throw new Error('no token'); }\n"
    dockerfile = (
        'FROM node:20\nWORKDIR /app\nCOPY . .\nCMD ["node", "-r", "dotenv/config", "index.js"]\n'
    )
    write_tree(tmp_path, {**NODE, "api/index.js": index, "api/Dockerfile": dockerfile})
    assert _env201(tmp_path) == set()
    plain = dockerfile.replace('"-r", "dotenv/config", ', "")
    write_tree(tmp_path, {"api/Dockerfile": plain})
    assert _env201(tmp_path) == {("API_TOKEN", "error")}


def test_gem_in_a_development_group_loads_only_in_development(tmp_path: Path) -> None:
    gemfile = "source 'x'\ngem 'rails'\ngroup :development, :test do\n  gem 'dotenv-rails'\nend\n"
    write_tree(tmp_path, {**RAILS, "Gemfile": gemfile})
    assert {name for name, _ in _env201(tmp_path)} == {"NOT_IN_ENV"}
    compose = RAILS["compose.yaml"].replace(
        "command: bundle exec rails s",
        "command: bundle exec rails s\n"
        "            environment:\n"
        "              RAILS_ENV: production",
    )
    write_tree(tmp_path, {"compose.yaml": compose})
    assert {name for name, _ in _env201(tmp_path)} == {"CURRENCY", "NOT_IN_ENV"}


def test_rails_env_specific_file_counts(tmp_path: Path) -> None:
    write_tree(tmp_path, {**RAILS, ".env.development": "NOT_IN_ENV=1\n"})
    assert _env201(tmp_path) == set()


def test_env202_follows_the_loaded_file(tmp_path: Path) -> None:
    handler = PYTHON["ai/routers/handler.py"] + "TIMEOUT = int(os.environ['REQUEST_TIMEOUT'])\n"
    write_tree(tmp_path, {**PYTHON, "ai/routers/handler.py": handler})
    report = run_lint(tmp_path, cache=False, select=("ENV202",))
    assert {(f.variable, f.severity.value) for f in report.findings} == {
        ("REQUEST_TIMEOUT", "warning")
    }
    write_tree(tmp_path, {"ai/.env": "OPENAI_API_KEY=x\nREQUEST_TIMEOUT=5\n"})
    assert run_lint(tmp_path, cache=False, select=("ENV202",)).findings == ()
    guarded = handler.replace(
        "load_dotenv(dotenv_path=env_path)",
        "if os.path.exists(env_path):\n    load_dotenv(env_path)",
    )
    write_tree(tmp_path, {"ai/routers/handler.py": guarded})
    found = run_lint(tmp_path, cache=False, select=("ENV202",)).findings
    assert {(f.variable, f.severity.value) for f in found} == {("REQUEST_TIMEOUT", "info")}


def test_env204_only_an_overriding_loader_fills_an_empty_value(tmp_path: Path) -> None:
    compose = NODE["compose.yaml"].replace(
        "restart: always",
        "restart: always\n            environment:\n              API_TOKEN: ''",
    )
    write_tree(tmp_path, {**NODE, "compose.yaml": compose})
    report = run_lint(tmp_path, cache=False, select=("ENV204",))
    assert {f.variable for f in report.findings} == {"API_TOKEN"}  # dotenv keeps the empty value
    index = NODE["api/index.js"].replace(".config()", ".config({ override: true })")
    write_tree(tmp_path, {"api/index.js": index})
    assert run_lint(tmp_path, cache=False, select=("ENV204",)).findings == ()


def _go_reader(load: str) -> dict[str, str]:
    main = (
        "package main\n\n"
        'import (\n\t"os"\n\n\t"github.com/joho/godotenv"\n)\n\n'
        f"func main() {{\n{load}"
        '\tif os.Getenv("DB_URL") == "" {\n\t\tpanic("DB_URL")\n\t}\n}\n'
    )
    return {**GO, "svc/main.go": main}


def test_go_read_into_setenv_is_a_load(tmp_path: Path) -> None:
    """supabase/auth: ``godotenv.Read(file)`` and an ``os.Setenv`` of each value (blind set
    10a); ``Read`` alone only returns the values."""
    setenv = (
        '\tvals, err := godotenv.Read(".env")\n\tif err != nil {\n\t\tpanic(err)\n\t}\n'
        "\tfor k, v := range vals {\n\t\tos.Setenv(k, v)\n\t}\n"
    )
    write_tree(tmp_path, _go_reader(setenv))
    assert _env201(tmp_path) == set()
    write_tree(tmp_path, {"svc/.env": "OTHER=1\n"})
    assert _env201(tmp_path) == {("DB_URL", "error")}
    alone = '\tvals, _ := godotenv.Read(".env")\n\t_ = vals\n'
    write_tree(tmp_path, {**_go_reader(alone), "svc/.env": "DB_URL=postgres://db\n"})
    assert _env201(tmp_path) == {("DB_URL", "error")}


NEXT = {
    "compose.yaml": """
        services:
          web:
            build: {context: ., dockerfile: docker/Dockerfile.website}
            environment:
              DATABASE_URL: postgres://db
    """,
    "docker/Dockerfile.website": (
        "FROM node:20 AS builder\nWORKDIR /app\nCOPY ./website/ .\nRUN npm ci && npm run build\n"
        "FROM node:20\nWORKDIR /app\nCOPY --from=builder /app/.next/standalone ./\n"
        'CMD ["node", "server.js"]\n'
    ),
    "website/package.json": '{"name": "web", "dependencies": {"next": "13.4.12"}}\n',
    "website/next.config.js": 'module.exports = { output: "standalone" };\n',
    "website/src/pages/api/admins.ts": (
        "const admins: string[] = process.env.ADMIN_USERS!.split(',');\n"
        "export default function handler() { return admins; }\n"
    ),
}


def test_next_js_loads_the_env_files_of_its_project(tmp_path: Path) -> None:
    """Open-Assistant (blind set 11b): Next.js loads website/.env when its server starts (the
    standalone build carries it); whether the image gets it is not followed, so the finding
    says so instead of claiming a crash."""
    write_tree(tmp_path, {**NEXT, "website/.env": 'ADMIN_USERS = "a@example.com"\n'})
    report = run_lint(tmp_path, cache=False, select=("ENV201",))
    [finding] = report.findings
    assert finding.severity.value == "info"
    assert "unless the env file the app loads at start (website/.env) defines it" in (
        finding.message
    )
    write_tree(tmp_path, {"website/.env": "OTHER=1\n"})
    assert _env201(tmp_path) == {("ADMIN_USERS", "error")}
