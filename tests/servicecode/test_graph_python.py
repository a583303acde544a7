"""Python: an entry module or script -> the modules it imports."""

from __future__ import annotations

from pathlib import Path

from envlint.config import Settings
from envlint.discovery import discover
from envlint.servicecode.graph import ProgramFiles, program_files
from envlint.servicecode.model import ProgramRef
from tests.conftest import write_tree
from tests.servicecode._graphtree import facts_of, notes_text, resolve

SERVICE = {
    "app/__init__.py": "",
    "app/__main__.py": "from .server import serve\nfrom app.settings import load\nserve(load())\n",
    "app/server.py": "import app.handlers.orders\nfrom . import util\nimport os, requests\n",
    "app/handlers/__init__.py": "",
    "app/handlers/orders.py": "from ..db import session\n",
    "app/handlers/refunds.py": "from ..db import session\n",
    "app/db.py": "import sqlalchemy\n",
    "app/util.py": "",
    "app/settings.py": (
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app import typing_only\n"
    ),
    "app/typing_only.py": "",
    "app/cli.py": "from app.db import session\n",
    "scripts/migrate.py": "from app.db import session\n",
}


def test_package_main_follows_absolute_relative_and_package_inits(tmp_path: Path) -> None:
    result = resolve(tmp_path, SERVICE, "python", "python-module", "app")
    assert result.files == {
        "app/__init__.py",
        "app/__main__.py",
        "app/server.py",
        "app/handlers/__init__.py",
        "app/handlers/orders.py",
        "app/db.py",
        "app/util.py",
        "app/settings.py",
    }
    for excluded in ("app/cli.py", "scripts/migrate.py", "app/typing_only.py"):
        assert excluded not in result.files
    assert result.complete, result.notes


def test_module_file_in_a_package_runs_its_package_inits(tmp_path: Path) -> None:
    # gunicorn app.handlers.orders:app
    result = resolve(tmp_path, SERVICE, "python", "python-module", "app/handlers/orders.py")
    assert result.files == {
        "app/handlers/orders.py",
        "app/handlers/__init__.py",
        "app/__init__.py",
        "app/db.py",
    }


def test_script_with_src_layout_and_repo_root_packages(tmp_path: Path) -> None:
    tree = {
        "services/api/main.py": (
            "import tasks\nfrom common.log import setup\nfrom shared import conf\nimport yaml\n"
        ),
        "services/api/tasks.py": "",
        "services/api/src/common/__init__.py": "",
        "services/api/src/common/log.py": "",
        "shared/__init__.py": "",
        "shared/conf.py": "",
        "shared/unused.py": "",
        "yaml/README.md": "not a python package\n",
        "services/api/other.py": "",
    }
    result = resolve(tmp_path, tree, "python", "python-file", "services/api/main.py")
    assert result.files == {
        "services/api/main.py",
        "services/api/tasks.py",
        "services/api/src/common/__init__.py",
        "services/api/src/common/log.py",
        "shared/__init__.py",
        "shared/conf.py",
    }
    assert result.complete, result.notes


def test_dynamic_missing_and_unparsed_imports_are_noted(tmp_path: Path) -> None:
    tree = {
        "worker.py": (
            "import importlib\nimportlib.import_module('jobs.nightly')\n"
            "mod = importlib.import_module(f'jobs.{name}')\nfrom jobs import missing\n"
            "import jobs.gone\nfrom . import sibling\n"
        ),
        "jobs/__init__.py": "",
        "jobs/nightly.py": "import jobs.helpers\n",
        "jobs/helpers.py": "",
        "jobs/weekly.py": "",
    }
    result = resolve(tmp_path, tree, "python", "python-file", "worker.py")
    assert result.files == {"worker.py", "jobs/__init__.py", "jobs/nightly.py", "jobs/helpers.py"}
    assert not result.complete
    text = notes_text(result)
    assert "worker.py:3" in text  # the computed import_module
    assert "jobs.gone" in text
    unparsed = resolve(
        tmp_path, tree, "python", "python-file", "worker.py", drop=("jobs/nightly.py",)
    )
    assert "jobs/helpers.py" not in unparsed.files
    assert "jobs/nightly.py" in notes_text(unparsed)


def test_bad_targets(tmp_path: Path) -> None:
    tree = {"lib/x.py": "", "nomain/__init__.py": ""}
    assert not resolve(tmp_path, tree, "python", "python-file", "nope.py").complete
    result = resolve(tmp_path, tree, "python", "python-module", "lib")
    assert result.files == frozenset()
    assert "__main__" in notes_text(result)


DJANGO = {
    "manage.py": (
        "import os\nimport sys\n\n\ndef main():\n"
        '    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_a.settings")\n'
        "    from django.core.management import execute_from_command_line\n"
        "    execute_from_command_line(sys.argv)\n"
    ),
    "site_a/__init__.py": "",
    "site_a/settings.py": "from site_a.common import *\n",
    "site_a/common.py": "",
    "site_a/other.py": "",
    "site_b/__init__.py": "",
    "site_b/settings/__init__.py": "",
    "site_b/settings/base.py": "",
    "site_b/settings/prod.py": "from .base import *\n",
    "bare.py": "from django.core.wsgi import get_wsgi_application\napp = get_wsgi_application()\n",
}


def _django(tmp_path: Path, target: str, **named: str) -> ProgramFiles:
    write_tree(tmp_path, DJANGO)
    files = discover(tmp_path, Settings()).files
    program = ProgramRef("python", "python-file", target, "test", main=target, **named)
    return program_files(tmp_path, program, files, facts_of(tmp_path, files))


def test_django_settings_module_named_by_the_code_is_imported(tmp_path: Path) -> None:
    result = _django(tmp_path, "manage.py")
    assert result.files == {
        "manage.py",
        "site_a/__init__.py",
        "site_a/settings.py",
        "site_a/common.py",
    }
    assert result.complete, result.notes
    assert result.linked == (
        "Django imports its settings module site_a.settings (named at manage.py:6) at start: "
        "site_a/settings.py",
    )


def test_django_settings_module_of_the_environment_and_the_command(tmp_path: Path) -> None:
    by_env = _django(tmp_path, "manage.py", settings_env="site_b.settings.prod")
    assert "site_a/settings.py" not in by_env.files
    assert {"site_b/settings/prod.py", "site_b/settings/base.py"} <= by_env.files
    assert "DJANGO_SETTINGS_MODULE" in by_env.linked[0]
    by_flag = _django(
        tmp_path, "manage.py", settings_env="site_b.settings.prod", settings_flag="site_a.settings"
    )
    assert "site_a/settings.py" in by_flag.files and "site_b/settings/prod.py" not in by_flag.files
    assert "--settings" in by_flag.linked[0]


def test_django_settings_module_not_found_is_a_note_not_a_guess(tmp_path: Path) -> None:
    result = _django(tmp_path, "manage.py", settings_env="installed.settings")
    assert result.files == {"manage.py"}
    assert not result.complete
    assert "installed.settings" in notes_text(result)


def test_django_started_without_a_named_module_takes_the_environment(tmp_path: Path) -> None:
    assert _django(tmp_path, "bare.py").files == {"bare.py"}
    result = _django(tmp_path, "bare.py", settings_env="site_a.settings")
    assert "site_a/settings.py" in result.files
