"""ENV201 and pydantic-settings: a ``BaseSettings`` class reads its fields when it is
instantiated, not when its body runs (blind 16b, family A).  A required field fails where the
class is made: at start for a module-level ``settings = Settings()``, in the branch that makes it
under a condition, when the function that makes it runs (``@lru_cache def get_settings()``), and
nowhere for a class nothing makes."""

from __future__ import annotations

from pathlib import Path

from envlint.findings import Finding
from tests.conftest import run_lint, write_tree

SETTINGS = """
import os

from pydantic_settings import BaseSettings


class Jwt(BaseSettings):
    model_config = {"env_prefix": "jwt_"}
    iss: str
    ttl: int = 60


class JwtLocal(Jwt):
    alg: str


class Unused(BaseSettings):
    never_made: str

"""
LINE = 19  # the first line of the code after SETTINGS in app/main.py


def _lint(root: Path, code: str, select: str = "ENV201") -> list[Finding]:
    compose = "services:\n  api:\n    build: ./app\n    restart: always\n"
    write_tree(
        root,
        {
            "docker-compose.yml": compose,
            "app/Dockerfile": 'FROM python:3.12\nCOPY . /app\nCMD ["python", "/app/main.py"]\n',
            "app/main.py": SETTINGS + code,
        },
    )
    return list(run_lint(root, select=(select,), cache=False).findings)


def _found(findings: list[Finding]) -> set[tuple[str, str, int]]:
    return {(f.variable or "", f.severity.value, f.location.line) for f in findings}


def test_a_class_made_at_module_level_crashes_at_start_where_it_is_made(tmp_path: Path) -> None:
    findings = _lint(tmp_path, "settings = JwtLocal()\n")
    # the subclass reads its base's fields too (prefix and all); the line is the call's
    assert _found(findings) == {("JWT_ISS", "error", LINE), ("JWT_ALG", "error", LINE)}
    assert all("crashes at start" in f.message for f in findings)


def test_a_class_nothing_makes_fails_nothing(tmp_path: Path) -> None:
    assert _lint(tmp_path, 'print("up")\n') == []


def test_a_class_made_under_a_condition_is_a_note_about_that_branch(tmp_path: Path) -> None:
    code = 'mode = os.getenv("AUTH_TYPE", "noop")\nif mode == "jwt":\n    jwt = Jwt()\n'
    findings = _lint(tmp_path, code)
    assert _found(findings) == {("JWT_ISS", "info", LINE + 2)}
    assert "if the branch that reads it runs" in findings[0].message


def test_a_cached_factory_fails_when_it_runs(tmp_path: Path) -> None:
    code = (
        "from functools import lru_cache\n\n\n@lru_cache\ndef get_settings():\n    return Jwt()\n"
    )
    [finding] = _lint(tmp_path, code)
    assert (finding.variable, finding.severity.value) == ("JWT_ISS", "warning")
    assert "when `app.main.get_settings` runs" in finding.message


def test_fields_given_at_the_call_are_not_needed(tmp_path: Path) -> None:
    # by keyword: that value; through **kwargs or an _env_file: envlint cannot tell
    code = 'a = JwtLocal(iss="me", **extra)\nb = Jwt(iss="me")\nc = Jwt(_env_file=".env")\n'
    assert _lint(tmp_path, code) == []


def test_a_field_of_a_class_nothing_makes_is_still_used(tmp_path: Path) -> None:
    # the declaration counts as the code's use of the variable: no ENV107 for NEVER_MADE, which
    # nothing but the field uses (compose does not reference either key)
    write_tree(tmp_path, {".env": "NEVER_MADE=x\nNOT_READ=y\n"})
    findings = _lint(tmp_path, 'print("up")\n', select="ENV107")
    assert {f.variable for f in findings} == {"NOT_READ"}
