"""ENV201 and ``if __name__ == "__main__":``: that block runs only in the file the program runs as
``__main__`` (``python app.py``, the ``__main__.py`` of ``python -m pkg``), never in a module the
service imports (an ASGI/WSGI server, celery, or code envlint knows only by its directory)."""

from __future__ import annotations

from pathlib import Path

import pytest

from envlint.findings import Finding
from tests.conftest import run_lint, write_tree

# An imported library module with a test harness at its bottom (onyx's connectors).
CONN = """
import os

URL = os.environ["CONN_URL"]  # on import: every service that imports it needs it


class Conn:
    def __init__(self):
        self.url = URL


def creds_from_env():
    return os.environ["DRIVE_TOKEN"]


if __name__ == "__main__":
    print(os.environ["DEMO_FILE"])
    creds_from_env()
"""

WEB = """
from pkg.conn import Conn

app = Conn()
"""

COMPOSE = """
services:
  api:
    build: .
    restart: unless-stopped
    environment:
      - UNRELATED=1
"""


def _lint(root: Path, files: dict[str, str]) -> list[Finding]:
    write_tree(root, {"docker-compose.yml": COMPOSE, "pkg/__init__.py": "", **files})
    return list(run_lint(root, select=("ENV201",), cache=False).findings)


def _by_variable(findings: list[Finding]) -> dict[str, tuple[str, str]]:
    return {f.variable or "": (f.severity.value, f.location.path) for f in findings}


@pytest.mark.parametrize(
    "command",
    [
        '["uvicorn", "srv.web:app", "--host", "0.0.0.0"]',
        '["gunicorn", "-k", "uvicorn.workers.UvicornWorker", "srv.web:app"]',
        '["celery", "-A", "srv.web", "worker"]',
        '["supervisord", "-c", "/etc/supervisord.conf"]',  # no known program: the directory
    ],
)
def test_the_main_block_of_an_imported_module_is_not_service_code(
    tmp_path: Path, command: str
) -> None:
    found = _by_variable(
        _lint(
            tmp_path,
            {
                "Dockerfile": f"FROM python:3.12\nCOPY . /app\nWORKDIR /app\nCMD {command}\n",
                "pkg/conn.py": CONN,
                "srv/__init__.py": "",
                "srv/web.py": WEB,
            },
        )
    )
    assert "DEMO_FILE" not in found
    # the module-level read outside the block still counts
    assert found["CONN_URL"][1] == "pkg/conn.py"
    # a function called only from that block is not start-up code (the block is no entry),
    # so it is never an error "crashes at start" (envlint cannot tell that nothing else calls
    # it: it stays a hedged "when this code runs")
    assert found["DRIVE_TOKEN"][0] != "error"


def test_uvicorn_imports_the_app_module_so_its_own_main_block_does_not_run(
    tmp_path: Path,
) -> None:
    web = WEB + '\nif __name__ == "__main__":\n    import os\n    print(os.environ["PORT_X"])\n'
    found = _by_variable(
        _lint(
            tmp_path,
            {
                "Dockerfile": 'FROM python:3.12\nCOPY . /app\nWORKDIR /app\n'
                'CMD ["uvicorn", "srv.web:app"]\n',
                "pkg/conn.py": CONN,
                "srv/__init__.py": "",
                "srv/web.py": web,
            },
        )
    )
    assert "PORT_X" not in found and "DEMO_FILE" not in found
    assert found["CONN_URL"] == ("error", "pkg/conn.py")


def test_python_m_runs_the_package_main_not_the_imported_modules_blocks(tmp_path: Path) -> None:
    main = """
import os

from pkg.conn import Conn


def serve():
    return os.environ["SERVE_PORT"]


if __name__ == "__main__":
    print(os.environ["MAIN_ONLY"])
    serve()
"""
    found = _by_variable(
        _lint(
            tmp_path,
            {
                "Dockerfile": 'FROM python:3.12\nCOPY . /app\nWORKDIR /app\n'
                'CMD ["python", "-m", "srv"]\n',
                "pkg/conn.py": CONN,
                "srv/__init__.py": "",
                "srv/__main__.py": main,
            },
        )
    )
    assert "DEMO_FILE" not in found
    assert found["CONN_URL"] == ("error", "pkg/conn.py")
    # srv/__main__.py is the program's main module: its block runs at start
    assert found["MAIN_ONLY"] == ("error", "srv/__main__.py")
    assert found["SERVE_PORT"] == ("error", "srv/__main__.py")


def test_python_m_of_a_module_file_runs_that_file_as_main(tmp_path: Path) -> None:
    tool = 'import os\n\nif __name__ == "__main__":\n    print(os.environ["TOOL_KEY"])\n'
    found = _by_variable(
        _lint(
            tmp_path,
            {
                "Dockerfile": 'FROM python:3.12\nCOPY . /app\nWORKDIR /app\n'
                'CMD ["python", "-m", "pkg.tool"]\n',
                "pkg/tool.py": tool,
            },
        )
    )
    assert found == {"TOOL_KEY": ("error", "pkg/tool.py")}


def test_a_script_run_with_python_still_crashes_in_its_own_main_block(tmp_path: Path) -> None:
    main = """
import os

from pkg.conn import Conn

if __name__ == "__main__":
    print(os.environ["X"])
"""
    findings = _lint(
        tmp_path,
        {
            "Dockerfile": 'FROM python:3.12\nCOPY . /app\nWORKDIR /app\n'
            'CMD ["python", "main.py"]\n',
            "pkg/conn.py": CONN,
            "main.py": main,
        },
    )
    found = _by_variable(findings)
    assert found["X"] == ("error", "main.py")
    assert "crashes at start" in next(f.message for f in findings if f.variable == "X")
    assert "DEMO_FILE" not in found  # pkg/conn.py is imported by main.py, not run
    assert found["CONN_URL"] == ("error", "pkg/conn.py")


# -- JavaScript: `if (require.main === module)` / `process.argv[1] === fileURLToPath(...)` --------

APP_MJS = """
import { fileURLToPath } from "node:url";

export const port = process.env.PORT ?? "3000";

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!process.env.ADMIN_TOKEN) throw new Error("ADMIN_TOKEN is required");
}
"""
WORKER_CJS = """
const q = process.env.QUEUE_URL;
if (!q) throw new Error("QUEUE_URL is required");
if (module === require.main) {
  if (!process.env.DRY_RUN_KEY) throw new Error("DRY_RUN_KEY is required");
}
module.exports = { q };
"""


def _node(root: Path, command: str) -> dict[str, tuple[str, str]]:
    write_tree(
        root,
        {
            "docker-compose.yml": f"""
                services:
                  web:
                    build: .
                    command: {command}
            """,
            "Dockerfile": "FROM node:20\nWORKDIR /app\nCOPY . .\n",
            "package.json": '{"name": "web", "type": "module"}\n',
            "app.mjs": APP_MJS,
            "server.mjs": 'import { port } from "./app.mjs";\nimport "./worker.cjs";\n',
            "worker.cjs": WORKER_CJS,
        },
    )
    return _by_variable(list(run_lint(root, select=("ENV201",), cache=False).findings))


def test_a_node_main_guard_counts_only_in_the_file_node_runs(tmp_path: Path) -> None:
    imported = _node(tmp_path / "imported", '["node", "server.mjs"]')
    assert "ADMIN_TOKEN" not in imported and "DRY_RUN_KEY" not in imported
    assert imported["QUEUE_URL"][1] == "worker.cjs"  # a module-level read still counts
    run = _node(tmp_path / "run", '["node", "app.mjs"]')
    assert run["ADMIN_TOKEN"][1] == "app.mjs"  # its own guard: the file node runs
    worker = _node(tmp_path / "worker", '["node", "worker.cjs"]')
    assert worker["DRY_RUN_KEY"][1] == "worker.cjs"
