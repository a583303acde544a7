"""An entry script that starts its program in the background and waits for it (blind
evaluation 13c, shape 3: anything-llm's ``{ cd /app/server && node index.js; } &`` then
``wait -n``).  A brace group or subshell is no condition, loop or function: what it holds
runs; one ``&`` starts one program; the program a script starts in the background and waits
for is what the service runs; several different ones are not guessed between."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from envlint.servicecode.entry_shell import parse_shell
from tests.conftest import run_lint

Project = Callable[[Mapping[str, str | bytes]], Path]

_SERVER = """const port = process.env.PORT;
if (!process.env.JWT_SECRET) { throw new Error("JWT_SECRET required"); }
console.log(port);
"""
_COLLECTOR = """if (!process.env.COLLECTOR_KEY) { throw new Error("COLLECTOR_KEY required"); }
"""


def _app(script: str) -> dict[str, str]:
    return {
        "docker/docker-compose.yml": (
            "services:\n  app:\n    build: {context: ../., dockerfile: ./docker/Dockerfile}\n"
            "    environment: {PORT: '3001'}\n"
        ),
        "docker/Dockerfile": (
            "FROM node:20\n"
            "COPY ./docker/docker-entrypoint.sh /usr/local/bin/\n"
            "COPY ./server /app/server/\n"
            "COPY ./collector /app/collector/\n"
            'ENTRYPOINT ["/bin/bash", "/usr/local/bin/docker-entrypoint.sh"]\n'
        ),
        "docker/docker-entrypoint.sh": "#!/bin/bash\n" + script,
        "server/index.js": _SERVER,
        "collector/index.js": _COLLECTOR,
    }


def _found(root: Path) -> tuple[set[tuple[str, str]], list[str]]:
    findings = run_lint(root, cache=False).findings
    required = {(f.code, f.location.path) for f in findings if f.code == "ENV201"}
    return required, [f.message for f in findings if f.code == "ENV205"]


def test_a_group_started_in_the_background_runs_its_commands() -> None:
    text = "{ cd /app && node a.js; } &\n( node b.js ) > log 2>&1 &\n{ setup; }\nwait -n\n"
    found = [(c.argv, c.connector, c.background) for c in parse_shell(text)]
    assert found == [
        (("cd", "/app"), "&&", True),
        (("node", "a.js"), "&", True),
        (("node", "b.js"), "&", True),
        (("setup",), ";", False),
        (("wait", "-n"), "\n", False),
    ]


def test_the_program_a_script_starts_in_the_background_and_waits_for(project: Project) -> None:
    for script in (
        "{ cd /app/server/ && node /app/server/index.js; } &\nwait -n\nexit $?\n",
        "{ node /app/server/index.js; } &\nwait -n\n",
        "node /app/server/index.js &\nwait -n\n",
        "(cd /app/server && exec node index.js) &\nwait\n",
        "node /app/server/index.js &\nnode /app/server/index.js &\nwait\n",  # the same, twice
    ):
        required, unknown = _found(project(_app(script)))
        assert required == {("ENV201", "server/index.js")}, script
        assert unknown == [], script


def test_a_subshells_cd_moves_no_later_command(project: Project) -> None:
    script = "(cd /app/collector && true)\ncd /app/server\nnode index.js &\nwait\n"
    required, unknown = _found(project(_app(script)))
    assert required == {("ENV201", "server/index.js")}
    assert unknown == []


def test_several_programs_or_no_wait_are_not_guessed_between(project: Project) -> None:
    both = (
        "{ cd /app/server/ && node /app/server/index.js; } &\n"
        "{ node /app/collector/index.js; } &\nwait -n\n"
    )
    required, unknown = _found(project(_app(both)))
    assert required == set()
    (message,) = unknown
    assert (
        "starts 2 programs in the background (`node /app/server/index.js`, "
        "`node /app/collector/index.js`) and waits for them, and they are different programs"
    ) in message
    assert "conditionals" not in message
    required, unknown = _found(project(_app("node /app/server/index.js &\n")))
    assert required == set()
    (message,) = unknown
    assert (
        "starts `node /app/server/index.js` in the background and ends without waiting for it"
        in message
    )
    assert "several" not in message


def test_the_foreground_program_of_a_subshell_after_a_start_up_step(project: Project) -> None:
    # after hoppscotch's `node prod_run.mjs && (webapp-server & caddy run)`; caddy is in /usr/bin
    # from the stage that builds it, not in the Go binary copied into /usr/local/bin/ (read as
    # a folder only if nothing surer is found)
    root = project(
        {
            "compose.yml": "services:\n  app:\n    build: .\n",
            "Dockerfile": (
                "FROM golang:1.22 AS caddy\nRUN go install github.com/caddyserver/caddy@v2\n"
                "FROM golang:1.22 AS server\nWORKDIR /src/server\nCOPY . /src\n"
                "RUN go build -o webapp-server .\n"
                "FROM node:22\n"
                "COPY --from=caddy /go/bin/caddy /usr/bin/caddy\n"
                "COPY --from=server /src/server/webapp-server /usr/local/bin/\n"
                "COPY prod_run.mjs /site/\n"
                'CMD ["/bin/sh", "-c", "node /site/prod_run.mjs; (webapp-server & caddy run)"]\n'
            ),
            "prod_run.mjs": "console.log(process.env.SITE_URL);\n",
            "server/main.go": "package main\n\nfunc main() {}\n",
        }
    )
    (message,) = _found(root)[1]
    assert "caddy is copied from the stage caddy (Dockerfile:8), where a RUN may build it" in (
        message
    )


def test_a_group_after_or_is_a_condition(project: Project) -> None:
    script = (
        'cd /app/server || { echo "no server"; exit 1; }\n'
        "node index.js &\n"
        'wait -n || { echo "stopped"; exit 1; }\n'
    )
    required, unknown = _found(project(_app(script)))
    assert required == {("ENV201", "server/index.js")}
    assert unknown == []


def test_an_ampersand_inside_a_subshell_is_the_subshells() -> None:
    # the `&` inside `( ... )` starts webapp-server, not the `node` before `&&`
    text = "node prod_run.mjs && (webapp-server & caddy run)"
    found = [(c.argv[0], c.connector, c.background) for c in parse_shell(text)]
    assert found == [("node", "&&", False), ("webapp-server", "&", False), ("caddy", ")", False)]
