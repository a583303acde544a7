"""Python: an entry module or script -> the modules it imports."""

from __future__ import annotations

from pathlib import Path

from tests.servicecode._graphtree import notes_text, resolve

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
