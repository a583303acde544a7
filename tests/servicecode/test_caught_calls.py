"""Calls inside a ``try`` whose handlers catch everything and rethrow nothing (``@try.body`` /
``@try.all`` in each language's functions query): a function that throws without a variable,
and whose every call is caught that way, is no failure of the service (ENV201/ENV204/ENV109
say nothing about it).  SurfSense: ``PostHogClient()`` throws without its key, and its only
caller, ``onRequestError``, wraps it in ``try { ... } catch { /* ignore */ }``."""

from __future__ import annotations

from pathlib import Path

import pytest

from envlint.filepass.languages import parser_for
from envlint.servicecode.functions import extract_functions
from tests.conftest import run_lint, write_tree

CASES = {
    "javascript": (
        b"function f() { try { caughtA() } catch (e) { log(e) }\n"
        b" try { rethrown() } catch { throw x }\n try { exits() } catch { process.exit(1) }\n"
        b" try { fin() } finally { done() } }\n"
    ),
    "python": (
        b"def f():\n    try:\n        caught_a()\n    except Exception as e:\n        log(e)\n"
        b"    try:\n        caught_b()\n    except:\n        pass\n"
        b"    try:\n        narrow()\n    except (KeyError, ValueError):\n        pass\n"
        b"    try:\n        rethrown()\n    except KeyError:\n        raise\n"
        b"    except Exception:\n        pass\n"
        b"    try:\n        exits()\n    except Exception:\n        sys.exit(1)\n"
    ),
    "java": (
        b"class A { void f() { try { caughtA(); } catch (Exception e) { log(e); }\n"
        b" try { rethrown(); } catch (RuntimeException e) { throw e; }\n"
        b" try { narrow(); } catch (IOException e) { }\n"
        b" try { exits(); } catch (Throwable e) { System.exit(1); } } }\n"
    ),
    "csharp": (
        b"class A { void F() { try { CaughtA(); } catch (Exception e) { Log(e); }\n"
        b" try { CaughtB(); } catch { }\n try { Rethrown(); } catch { throw; }\n"
        b" try { Narrow(); } catch (HttpRequestException) { }\n"
        b" try { Filtered(); } catch (Exception e) when (e is IOException) { } } }\n"
    ),
    "kotlin": (
        b"fun f() { try { caughtA() } catch (e: Exception) { log(e) }\n"
        b" val x = try { caughtB() } catch (e: Throwable) { null }\n"
        b" try { narrow() } catch (e: IOException) { }\n"
        b" try { exits() } catch (e: Exception) { exitProcess(1) } }\n"
    ),
}
CAUGHT = {"caughtA", "caught_a", "caught_b", "CaughtA", "CaughtB", "caughtB"}


@pytest.mark.parametrize("language", sorted(CASES))
def test_calls_in_a_try_that_catches_everything_are_caught(language: str) -> None:
    parser = parser_for(language)
    assert parser is not None
    source = CASES[language]
    facts = extract_functions(language, parser.parse(source).root_node, source, "f")
    calls = [c for unit in facts.functions for c in unit.calls] + list(facts.top_calls)
    found = {c.name: c.caught for c in calls if c.name[:1].lower() != "l"}  # not log()
    assert found, language
    for name, caught in found.items():
        if name in ("exit", "Exit", "exitProcess", "done"):
            continue
        assert caught == (name in CAUGHT), (language, name)


def _next_app(tmp_path: Path, client: str, caller: str) -> None:
    write_tree(
        tmp_path,
        {
            "docker-compose.yml": "services:\n  web:\n    build: ./web\n",
            "web/Dockerfile": 'FROM node:20\nCOPY . /app\nWORKDIR /app\nCMD ["npm", "start"]\n',
            "web/package.json": '{"scripts": {"start": "next start"}}\n',
            "web/lib/client.ts": client,
            "web/instrumentation.ts": caller,
        },
    )


_CLIENT = (
    "export default function Client() {\n  if (!process.env.KEY) {\n"
    '    throw new Error("KEY is not set");\n  }\n  return 1;\n}\n'
)


def _env201(tmp_path: Path) -> list[str]:
    return [f.message for f in run_lint(tmp_path).findings if f.code == "ENV201"]


def test_a_throw_every_caller_catches_is_not_reported(tmp_path: Path) -> None:
    _next_app(
        tmp_path,
        _CLIENT,
        'import Client from "./lib/client";\n'
        "export const onRequestError = async () => {\n"
        "  try {\n    Client();\n  } catch {\n    // ignore\n  }\n};\n",
    )
    assert _env201(tmp_path) == []


def test_a_caller_that_does_not_catch_keeps_the_finding(tmp_path: Path) -> None:
    _next_app(
        tmp_path,
        _CLIENT,
        'import Client from "./lib/client";\n'
        "export const onRequestError = async () => {\n"
        "  try {\n    Client();\n  } catch {\n    // ignore\n  }\n};\n"
        "export function register() {\n  Client();\n}\n",
    )
    assert [m for m in _env201(tmp_path) if "without KEY" in m]


@pytest.mark.parametrize(
    "handler",
    ["catch (e) {\n    throw e;\n  }", "catch {\n    process.exit(1);\n  }"],
    ids=["rethrows", "exits"],
)
def test_a_handler_that_sends_it_on_keeps_the_finding(tmp_path: Path, handler: str) -> None:
    _next_app(
        tmp_path,
        _CLIENT,
        'import Client from "./lib/client";\n'
        "export const onRequestError = async () => {\n"
        f"  try {{\n    Client();\n  }} {handler}\n}};\n",
    )
    assert [m for m in _env201(tmp_path) if "without KEY" in m]


_CAUGHT_CALLER = (
    'import Client from "./lib/client";\n'
    "export const onRequestError = async () => {\n"
    "  try {\n    Client();\n  } catch {\n    // ignore\n  }\n};\n"
)


@pytest.mark.parametrize(
    "client",
    [
        # process.exit ends the process: no catch stops it
        "export default function Client() {\n  if (!process.env.KEY) {\n"
        "    process.exit(1);\n  }\n  return 1;\n}\n",
        # an async function called without await: the try sees a pending promise
        "export default async function Client() {\n  if (!process.env.KEY) {\n"
        '    throw new Error("KEY is not set");\n  }\n  return 1;\n}\n',
    ],
    ids=["exit", "async-without-await"],
)
def test_a_failure_the_caller_s_try_does_not_stop(tmp_path: Path, client: str) -> None:
    _next_app(tmp_path, client, _CAUGHT_CALLER)
    assert [m for m in _env201(tmp_path) if "without KEY" in m]


def test_callers_caught_one_level_up_count(tmp_path: Path) -> None:
    """``load()`` throws; ``settings()`` calls it without a try, and every call of
    ``settings()`` is caught: nothing leaves the program's code."""
    write_tree(
        tmp_path,
        {
            "compose.yaml": "services:\n  api:\n    build: .\n",
            "Dockerfile": 'FROM python:3.12\nCOPY . /app\nCMD ["python", "/app/main.py"]\n',
            "main.py": "import os\n\n\ndef load():\n    return os.environ['TOKEN']\n\n\n"
            "def settings():\n    return load()\n\n\ndef main():\n    try:\n"
            "        settings()\n    except Exception as exc:\n        print(exc)\n\n\n"
            "if __name__ == '__main__':\n    main()\n",
        },
    )
    assert [m for m in _env201(tmp_path) if "TOKEN" in m] == []
    (tmp_path / "main.py").write_text(
        (tmp_path / "main.py")
        .read_text()
        .replace("except Exception", "except KeyError")
        .replace("print(exc)", "raise")
    )
    assert [m for m in _env201(tmp_path) if "TOKEN" in m]
