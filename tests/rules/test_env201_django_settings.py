"""ENV201 and Django's settings module: Django imports it by name when it starts (a management
command, the WSGI/ASGI application, a Celery app configured from ``django.conf:settings``), so
its module-level reads are the service's start-up code.  The module is the command's
``--settings``, else the service environment's ``DJANGO_SETTINGS_MODULE`` (a ``setdefault``
yields to it), else the literal the code names; one that is not in the repository is not
guessed."""

from __future__ import annotations

from pathlib import Path

from envlint.findings import Finding
from tests.conftest import run_lint, write_tree

MANAGE = """
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
"""

WSGI = """
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

application = get_wsgi_application()
"""

SETTINGS = """
import os

SECRET_KEY = os.environ["SECRET_KEY"]
DEBUG = os.environ.get("DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("DJANGO_ALLOWED_HOSTS").split(" ")
"""

DOCKERFILE = "FROM python:3.12\nWORKDIR /usr/src/app\nCOPY . .\n"


def _lint(root: Path, compose: str, files: dict[str, str]) -> list[Finding]:
    tree = {
        "docker-compose.yml": compose,
        "app/Dockerfile": DOCKERFILE,
        "app/manage.py": MANAGE,
        "app/shop/__init__.py": "",
        "app/shop/wsgi.py": WSGI,
        "app/shop/settings.py": SETTINGS,
        **files,
    }
    write_tree(root, tree)
    return list(run_lint(root, select=("ENV201",), cache=False).findings)


def _found(findings: list[Finding]) -> dict[str, tuple[str, str]]:
    return {f.variable or "": (f.severity.value, f.location.path) for f in findings}


def _compose(command: str, environment: str = "") -> str:
    return f"services:\n  web:\n    build: ./app\n    command: {command}\n" + (
        f"    environment:\n{environment}" if environment else ""
    )


def test_manage_py_loads_the_settings_module_it_names(tmp_path: Path) -> None:
    found = _found(_lint(tmp_path, _compose("python manage.py runserver 0.0.0.0:8000"), {}))
    assert found == {
        "SECRET_KEY": ("error", "app/shop/settings.py"),
        "DJANGO_ALLOWED_HOSTS": ("error", "app/shop/settings.py"),
    }


def test_gunicorn_wsgi_application_loads_the_settings(tmp_path: Path) -> None:
    found = _found(_lint(tmp_path, _compose("gunicorn shop.wsgi:application --bind :8000"), {}))
    assert found["SECRET_KEY"] == ("error", "app/shop/settings.py")


def test_celery_app_of_the_project_loads_the_settings(tmp_path: Path) -> None:
    celery = (
        "import os\n\nfrom celery import Celery\n\n"
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")\n'
        'app = Celery("shop")\napp.config_from_object("django.conf:settings", namespace="CELERY")\n'
    )
    files = {"app/shop/__init__.py": "from .celery import app\n", "app/shop/celery.py": celery}
    found = _found(_lint(tmp_path, _compose("celery -A shop worker"), files))
    assert found["SECRET_KEY"] == ("error", "app/shop/settings.py")


def test_nothing_when_compose_provides_it_or_the_read_has_a_default(tmp_path: Path) -> None:
    environment = "      SECRET_KEY: dev\n      DJANGO_ALLOWED_HOSTS: localhost\n"
    found = _lint(tmp_path, _compose("python manage.py runserver", environment), {})
    assert found == []


def test_the_service_environment_names_another_settings_module(tmp_path: Path) -> None:
    other = 'import os\n\nTOKEN = os.environ["WORKER_TOKEN"]\n'
    environment = "      DJANGO_SETTINGS_MODULE: shop.worker_settings\n"
    found = _found(
        _lint(
            tmp_path,
            _compose("python manage.py runserver", environment),
            {"app/shop/worker_settings.py": other},
        )
    )
    assert found == {"WORKER_TOKEN": ("error", "app/shop/worker_settings.py")}


def test_the_command_settings_option_wins_over_the_environment(tmp_path: Path) -> None:
    other = 'import os\n\nTOKEN = os.environ["WORKER_TOKEN"]\n'
    environment = "      DJANGO_SETTINGS_MODULE: shop.settings\n"
    found = _found(
        _lint(
            tmp_path,
            _compose("python manage.py runserver --settings=shop.worker_settings", environment),
            {"app/shop/worker_settings.py": other},
        )
    )
    assert found == {"WORKER_TOKEN": ("error", "app/shop/worker_settings.py")}


def test_a_settings_package_follows_its_base_module(tmp_path: Path) -> None:
    files = {
        "app/shop/settings.py": "",  # not the one loaded
        "app/config/__init__.py": "",
        "app/config/settings/__init__.py": "",
        "app/config/settings/base.py": 'import os\n\nDB = os.environ["DATABASE_URL"]\n',
        "app/config/settings/production.py": "from .base import *  # noqa\n",
        "app/config/settings/local.py": (
            'from .base import *  # noqa\nimport os\nX = os.environ["LOCAL_ONLY"]\n'
        ),
    }
    environment = "      DJANGO_SETTINGS_MODULE: config.settings.production\n"
    found = _found(_lint(tmp_path, _compose("python manage.py migrate", environment), files))
    assert found == {"DATABASE_URL": ("error", "app/config/settings/base.py")}


def test_a_module_not_in_the_repository_is_not_guessed(tmp_path: Path) -> None:
    # the environment names a module envlint cannot find (an installed package): Django loads
    # that one, not the code's default, so the default's reads are not the service's
    environment = "      DJANGO_SETTINGS_MODULE: vendor_pkg.settings\n"
    found = _lint(tmp_path, _compose("python manage.py runserver", environment), {})
    assert found == []


def test_an_unknown_environment_value_falls_back_to_the_default(tmp_path: Path) -> None:
    environment = "      DJANGO_SETTINGS_MODULE: ${SETTINGS_MODULE}\n"
    found = _found(_lint(tmp_path, _compose("python manage.py runserver", environment), {}))
    assert found["SECRET_KEY"] == ("error", "app/shop/settings.py")


def test_an_assignment_wins_over_the_environment(tmp_path: Path) -> None:
    manage = MANAGE.replace(
        'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")',
        'os.environ["DJANGO_SETTINGS_MODULE"] = "shop.settings"',
    )
    environment = "      DJANGO_SETTINGS_MODULE: shop.worker_settings\n"
    files = {"app/manage.py": manage, "app/shop/worker_settings.py": ""}
    found = _found(_lint(tmp_path, _compose("python manage.py runserver", environment), files))
    assert found["SECRET_KEY"] == ("error", "app/shop/settings.py")


def test_no_django_start_links_nothing(tmp_path: Path) -> None:
    # the environment names a settings module, but the program never starts Django
    main = "import os\n\nprint(os.environ.get('X', ''))\n"
    environment = "      DJANGO_SETTINGS_MODULE: shop.settings\n"
    found = _lint(tmp_path, _compose("python main.py", environment), {"app/main.py": main})
    assert found == []


def test_a_settings_read_under_a_condition_is_a_hedged_note(tmp_path: Path) -> None:
    settings = (
        "import os\n\nDEBUG = os.environ.get('DEBUG', '1') == '1'\n"
        "if not DEBUG:\n    SECRET_KEY = os.environ['SECRET_KEY']\nelse:\n"
        "    SECRET_KEY = 'dev'\n"
        "BACKEND = os.environ['BACKEND_URL'] if os.environ.get('USE_BACKEND') else None\n"
    )
    findings = _lint(
        tmp_path,
        _compose("python manage.py runserver"),
        {"app/shop/settings.py": settings},
    )
    by = {f.variable: f for f in findings}
    assert set(by) == {"SECRET_KEY", "BACKEND_URL"}
    for finding in by.values():
        assert finding.severity.value == "info"
        assert "crashes at start without" in finding.message
        assert "if the branch that reads it runs" in finding.message
