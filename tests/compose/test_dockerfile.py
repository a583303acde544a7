"""Dockerfile stages, ARG and ENV as BuildKit reads them."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from envlint.compose.dockerfile import BaseImage, Dockerfile, parse_dockerfile, platform_args
from envlint.model import Location, ProblemKind


def parse(text: str, **kwargs: object) -> Dockerfile:
    return parse_dockerfile(textwrap.dedent(text).lstrip("\n"), "svc/Dockerfile", **kwargs)  # type: ignore[arg-type]


def env(text: str, target: str | None = None, **kwargs: object) -> dict[str, str]:
    return {e.name: e.value for e in parse(text, **kwargs).effective_env(target)}


def unresolved(text: str) -> set[str]:
    return {e.name for e in parse(text).effective_env() if e.unresolved}


# -- ENV forms and BuildKit's quoting ------------------------------------------------------


def test_env_key_value_forms_and_quotes() -> None:
    got = env(
        r"""
        FROM alpine
        ENV A=1 B="two words" C='single $A' D=a\ b E="x\"y" F='a\b' G=
        ENV LEGACY hello   "world"  x
        """
    )
    assert got == {
        "A": "1",
        "B": "two words",
        "C": "single $A",
        "D": "a b",
        "E": 'x"y',
        "F": "a\\b",
        "G": "",
        "LEGACY": "hello   world  x",
    }


def test_env_substitution_from_args_and_env() -> None:
    got = env(
        """
        ARG GLOBAL=g
        FROM alpine
        ARG VERSION=1.2
        ARG GLOBAL
        ENV A=x
        ENV V=$VERSION W=${VERSION}-$A G=$GLOBAL D=${NOPE:-dflt} P=${A:+set} Q=${A-unset}
        ENV L=$ S=a$-b ESC=\\$A
        """
    )
    assert got["V"] == "1.2"
    assert got["W"] == "1.2-x"
    assert got["G"] == "g"
    assert got["D"] == "dflt"
    assert got["P"] == "set"
    assert got["Q"] == "x"
    assert got["L"] == "$" and got["S"] == "a$-b" and got["ESC"] == "$A"


def test_env_wins_over_arg_of_the_same_name() -> None:
    assert env("FROM a\nARG X=arg\nENV X=env\nENV Y=$X\n")["Y"] == "env"


def test_global_arg_is_not_visible_in_a_stage_without_redeclaring() -> None:
    df = "ARG G=g\nFROM scratch\nENV A=$G\n"
    assert env(df)["A"] == ""  # scratch: nothing unknown, G is not in scope
    assert unresolved(df) == set()
    assert unresolved("ARG G=g\nFROM alpine\nENV A=$G\n") == {"A"}  # alpine could set G


def test_unresolved_values() -> None:
    assert unresolved(
        """
        FROM python:3.12
        ARG NODEFAULT
        ARG WITHDEFAULT=1
        ENV PATH=/app/bin:$PATH K=$NODEFAULT OK=$WITHDEFAULT PAT=${WITHDEFAULT#x} Q=${NODEFAULT:?}
        ENV LIT=plain
        """
    ) == {"PATH", "K", "PAT", "Q"}


def test_build_args_override_defaults_and_make_missing_known() -> None:
    text = "FROM alpine\nARG A=default\nARG B\nENV X=$A Y=$B\n"
    parsed = parse(text, build_args={"A": "given"})
    values = {e.name: (e.value, e.unresolved) for e in parsed.effective_env()}
    assert values == {"X": ("given", False), "Y": ("", False)}


def test_env_locations_point_at_keys_across_continuations() -> None:
    parsed = parse(
        """
        FROM alpine
        ENV A=1 \\
            # a comment inside the continuation

            B="two words"
        """
    )
    locations = {e.name: e.location for e in parsed.effective_env()}
    assert (locations["A"].line, locations["A"].column) == (2, 5)
    assert (locations["B"].line, locations["B"].column) == (5, 5)
    assert locations["B"].end_column == 18
    assert locations["B"].path == "svc/Dockerfile"


def test_escape_directive_backtick() -> None:
    got = env(
        """
        # escape=`
        FROM mcr.microsoft.com/windows
        ENV DIR=C:\\app `
            X=a`"b
        """
    )
    assert got == {"DIR": "C:\\app", "X": 'a"b'}


def test_directive_after_a_comment_is_just_a_comment() -> None:
    got = env("# hello\n# escape=`\nFROM a\nENV A=1 \\\n    B=2\n")
    assert got == {"A": "1", "B": "2"}


def test_invalid_escape_directive_is_a_problem() -> None:
    parsed = parse("# escape=x\nFROM a\n")
    assert [(p.kind, p.location.line) for p in parsed.problems] == [(ProblemKind.PARSE_ERROR, 1)]


# -- heredocs, JSON forms, other instructions ----------------------------------------------


def test_heredoc_bodies_are_skipped() -> None:
    got = env(
        """
        FROM alpine
        RUN <<EOF
        ENV NOT_ME=1
        EOF
        COPY <<-"CONF" <<OTHER /etc/
        \tENV NOR_ME=1
        \tCONF
        ENV STILL_NOT=1
        OTHER
        RUN ["sh", "-c", "echo <<EOF"]
        ENV REAL=1
        """
    )
    assert got == {"REAL": "1"}


def test_unterminated_heredoc_is_a_problem() -> None:
    parsed = parse("FROM a\nRUN <<EOF\nENV X=1\n")
    assert parsed.effective_env() == ()
    assert [p.location.line for p in parsed.problems] == [2]


def test_lowercase_instructions_and_onbuild() -> None:
    assert env("from alpine\nenv A=1\nONBUILD ENV B=2\n") == {"A": "1"}


# -- stages ---------------------------------------------------------------------------------


MULTI = """
ARG KAFKA=7.5.0
FROM --platform=$BUILDPLATFORM confluentinc/cp-kafka:${KAFKA} AS Base
ENV A=base B=base
FROM golang:1.22 AS builder
ENV GOFLAGS=-mod=vendor
FROM base AS app
ENV B=app C=$A
FROM base
ENV D=final
"""


def test_final_and_target_stage() -> None:
    parsed = parse(MULTI)
    assert [s.name for s in parsed.stages] == ["base", "builder", "app", None]
    final = parsed.final()
    assert final is not None and final.name is None and final.location.line == 8
    app = parsed.final("APP")
    assert app is not None and app.name == "app"
    assert parsed.final("missing") is None


def test_effective_env_inherits_through_the_chain() -> None:
    assert env(MULTI) == {"A": "base", "B": "base", "D": "final"}
    assert env(MULTI, "app") == {"A": "base", "B": "app", "C": "base"}
    assert env(MULTI, "builder") == {"GOFLAGS": "-mod=vendor"}
    assert env(MULTI, "missing") == {}


def test_base_image_is_the_root_of_the_chain() -> None:
    parsed = parse(MULTI)
    assert parsed.base_image() == "confluentinc/cp-kafka:7.5.0"
    assert parsed.base_image("app") == "confluentinc/cp-kafka:7.5.0"
    assert parsed.base_image("builder") == "golang:1.22"
    assert parsed.final() is not None and parsed.stages[0].base == "confluentinc/cp-kafka:7.5.0"


def test_from_with_unknown_global_arg_and_scratch() -> None:
    parsed = parse("ARG REG\nFROM ${REG}/app:1\nFROM scratch AS s\nENV X=$UNSET\n")
    assert parsed.stages[0].base == "/app:1"
    assert parsed.base_image() == "scratch"
    assert {e.name: e.unresolved for e in parsed.effective_env()} == {"X": False}


def test_a_stage_can_only_build_on_an_earlier_stage() -> None:
    parsed = parse("FROM later AS first\nENV A=1\nFROM alpine AS later\nENV B=2\n")
    assert parsed.base_image("first") == "later"
    assert env("FROM later AS first\nENV A=1\nFROM alpine AS later\n", "first") == {"A": "1"}


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("ENV A=1\nFROM a\n", 1),
        ("FROM\n", 1),
        ("FROM a b c d\n", 1),
        ("FROM a\nENV\n", 2),
        ("FROM a\nENV ONLYKEY\n", 2),
        ("FROM a\nENV A=1 B\n", 2),
        ("FROM a\nARG\n", 2),
    ],
)
def test_syntax_errors_are_problems(text: str, line: int) -> None:
    parsed = parse(text)
    assert [(p.kind, p.location.line) for p in parsed.problems] == [(ProblemKind.PARSE_ERROR, line)]


def test_problem_messages_do_not_quote_values() -> None:
    parsed = parse("FROM a\nENV A=1 hunter2secret\n")
    assert parsed.problems and all("hunter2" not in p.message for p in parsed.problems)


def test_empty_and_comment_only() -> None:
    assert parse("").stages == ()
    assert parse("# just a comment\n\n").final() is None
    assert parse("").effective_env() == () and parse("").base_image() is None


def test_crlf_and_bom() -> None:
    parsed = parse_dockerfile("\ufeffFROM a\r\nENV A=1 \\\r\n  B=2\r\n", "Dockerfile")
    assert {e.name: e.value for e in parsed.effective_env()} == {"A": "1", "B": "2"}


def test_deeply_nested_defaults_do_not_recurse() -> None:
    value = "${A:-" * 5000 + "x" + "}" * 5000
    parsed = parse_dockerfile(f"FROM a\nENV V={value}\n", "Dockerfile")
    (item,) = parsed.effective_env()
    assert item.unresolved


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="FROMENVARGas =$-:+?{}'\"\\`#<\n\t", max_size=120))
def test_never_raises(text: str) -> None:
    parsed = parse_dockerfile(text, "Dockerfile")
    parsed.effective_env()
    parsed.base_image("as")


# -- WORKDIR, COPY/ADD, RUN, CMD/ENTRYPOINT/SHELL ------------------------------------------


def test_workdir_is_relative_substituted_and_inherited() -> None:
    parsed = parse(
        """
        FROM golang:1.22 AS build
        ARG APP=api
        WORKDIR /src
        WORKDIR cmd/${APP}
        WORKDIR ../..
        FROM build AS test
        WORKDIR sub
        FROM alpine
        COPY a .
        FROM scratch
        COPY b .
        """
    )
    assert [s.workdir for s in parsed.stages] == ["/src", "/src/sub", None, "/"]
    assert parsed.stages[2].copies[0].dest == "./"  # into the base image's unknown WORKDIR
    assert parsed.stages[3].copies[0].dest == "/"


def test_copy_and_add_forms() -> None:
    parsed = parse(
        """
        FROM node:20 AS build
        FROM alpine
        ARG OUT=/srv
        WORKDIR /app
        COPY --chown=app:app --chmod=755 package.json yarn.lock ./
        COPY --from=build /app/dist ./dist
        COPY --from=0 --link /x /y
        COPY --from=nginx:1.25 /etc/nginx/nginx.conf /etc/nginx/
        ADD ["src dir/", "$OUT/src"]
        COPY . .
        COPY <<EOF /app/start.sh
        #!/bin/sh
        exec ./server "$@"
        EOF
        """
    )
    copies = parsed.stages[1].copies
    got = [(c.instruction, c.sources, c.dest, c.from_, c.location.line) for c in copies]
    assert got == [
        ("COPY", ("package.json", "yarn.lock"), "/app/", None, 5),
        ("COPY", ("/app/dist",), "/app/dist", "build", 6),
        ("COPY", ("/x",), "/y", "0", 7),
        ("COPY", ("/etc/nginx/nginx.conf",), "/etc/nginx/", "nginx:1.25", 8),
        ("ADD", ("src dir/",), "/srv/src", None, 9),
        ("COPY", (".",), "/app/", None, 10),  # "." is the WORKDIR, a directory
        ("COPY", ("<<EOF",), "/app/start.sh", None, 11),
    ]
    (heredoc,) = copies[-1].heredocs
    assert heredoc.name == "EOF" and heredoc.body == '#!/bin/sh\nexec ./server "$@"\n'
    assert parsed.stage_index("build") == 0 and parsed.stage_index("0") == 0
    assert parsed.stage_index("nginx:1.25") is None


def test_copy_with_an_unknown_variable_is_unresolved() -> None:
    (copy,) = parse("FROM alpine\nCOPY $NOPE /app/\n").stages[0].copies
    assert copy.unresolved and copy.sources == ("",)


def test_run_forms_heredocs_and_variables() -> None:
    parsed = parse(
        """
        FROM golang:1.22
        ARG TARGET=api
        ENV CGO_ENABLED=0
        WORKDIR /src
        RUN --mount=type=cache,target=/root/.cache/go-build \\
            go build -o /out/$TARGET ./cmd/$TARGET
        RUN ["go", "vet", "./..."]
        RUN <<EOF
        set -e
        go test ./...
        EOF
        RUN python3 <<PY
        print("hi")
        PY
        """
    )
    runs = parsed.stages[0].runs
    assert runs[0].command == "go build -o /out/$TARGET ./cmd/$TARGET"
    assert runs[0].argv is None and runs[0].workdir == "/src"
    assert (runs[0].location.line, runs[0].location.end_line) == (5, 6)
    assert dict(runs[0].variables) == {"TARGET": "api", "CGO_ENABLED": "0"}
    assert runs[1].argv == ("go", "vet", "./...") and runs[1].script is None
    assert runs[2].script == "set -e\ngo test ./...\n"
    assert runs[3].script == "python3 <<PY"  # a heredoc fed to python is not a shell script
    assert runs[0].script == runs[0].command


def test_cmd_entrypoint_and_shell_forms() -> None:
    parsed = parse(
        """
        FROM alpine
        CMD ["./server", "--port", "80"]
        ENTRYPOINT exec ./run "$@"
        SHELL ["/bin/bash", "-eo", "pipefail", "-c"]
        CMD node dist/index.js
        """
    )
    stage = parsed.stages[0]
    assert stage.entrypoint is not None and stage.cmd is not None
    assert stage.entrypoint.argv == ("/bin/sh", "-c", 'exec ./run "$@"')
    assert stage.entrypoint.shell_form and stage.entrypoint.location.line == 3
    assert stage.cmd.argv == ("/bin/bash", "-eo", "pipefail", "-c", "node dist/index.js")
    assert stage.shell == ("/bin/bash", "-eo", "pipefail", "-c")


def test_runtime_combines_entrypoint_and_cmd_through_the_chain() -> None:
    text = """
    FROM node:20 AS base
    WORKDIR /app
    CMD ["node", "index.js"]
    FROM base AS wrapped
    ENTRYPOINT ["tini", "--"]
    FROM base AS both
    ENTRYPOINT ["tini", "--"]
    CMD ["node", "server.js"]
    FROM scratch AS empty
    FROM alpine AS plain
    """
    parsed = parse(text)

    def argv(target: str) -> tuple[object, ...]:
        rt = parsed.runtime(target)
        assert rt is not None
        return (
            rt.entrypoint.argv if rt.entrypoint else None,
            rt.cmd.argv if rt.cmd else None,
            rt.entrypoint_from_base,
            rt.cmd_from_base,
            rt.workdir,
        )

    assert argv("base") == (None, ("node", "index.js"), True, False, "/app")
    # an ENTRYPOINT resets the inherited CMD ...
    assert argv("wrapped") == (("tini", "--"), None, False, False, "/app")
    # ... unless its own stage sets one
    assert argv("both") == (("tini", "--"), ("node", "server.js"), False, False, "/app")
    assert argv("empty") == (None, None, False, False, "/")
    assert argv("plain") == (None, None, True, True, None)
    assert parse("").runtime() is None


def test_instruction_problems() -> None:
    parsed = parse("WORKDIR /x\nFROM a\nCOPY onlyone\nSHELL sh -c\nWORKDIR\nRUN\n")
    assert [p.location.line for p in parsed.problems] == [1, 3, 4, 5, 6]
    assert parsed.stages[0].shell == ("/bin/sh", "-c")


def test_heredoc_bodies_are_kept_with_tabs_stripped_for_dash_form() -> None:
    parsed = parse('FROM alpine\nCOPY <<-"CONF" <<OTHER /etc/\n\tA=1\n\tCONF\nB=2\nOTHER\n')
    (copy,) = parsed.stages[0].copies
    assert [(h.name, h.body, h.quoted) for h in copy.heredocs] == [
        ("CONF", "A=1\n", True),
        ("OTHER", "B=2\n", False),
    ]
    assert copy.sources == ("<<CONF", "<<OTHER") and copy.dest == "/etc/"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "FROM a AS b",
                "FROM b",
                "WORKDIR ",
                "COPY --from=b ",
                "ADD [",
                "RUN <<EOF",
                "EOF",
                "CMD [",
                'ENTRYPOINT ["x"',
                "SHELL [",
                "ARG X=",
                "ENV Y=$X",
                "\\",
                "$X",
                "..",
                "/app",
                ' "a"]',
                " . .",
            ]
        ),
        max_size=12,
    ).map("\n".join)
)
def test_instructions_never_raise(text: str) -> None:
    parsed = parse_dockerfile(text, "Dockerfile")
    parsed.runtime()
    for index in range(len(parsed.stages)):
        parsed.ancestors(index)


# -- FROM an image this repository builds (``bases``) --------------------------------------

_BASE = """
FROM python:3.12-slim AS system
ENV APP_HOME=/opt/app
WORKDIR $APP_HOME
FROM system AS final
COPY --from=0 /etc/os-release /etc/
COPY ./common/ /opt/app/
ENV EMAIL_TIMEOUT=10
SHELL ["/bin/bash", "-c"]
CMD ["bash", "init_command.sh"]
"""


def _bases(**images: tuple[str, str | None]) -> Callable[[str], BaseImage | None]:
    """A ``bases`` lookup: image reference -> (Dockerfile text, target)."""
    seen: list[str] = []

    def lookup(reference: str) -> BaseImage | None:
        seen.append(reference)
        found = images.get(reference)
        if found is None:
            return None
        text, target = found
        parsed = parse_dockerfile(textwrap.dedent(text).lstrip("\n"), "images/base/Dockerfile")
        return BaseImage(parsed, target, "images", Location("Makefile", 2))

    lookup.seen = seen  # type: ignore[attr-defined]
    return lookup


def test_a_base_image_built_here_is_the_stage_parent() -> None:
    dockerfile = parse(
        """
        ARG VERSION=edge
        FROM acme/base:${VERSION}
        ENV PATH=$APP_HOME/bin:/usr/bin MODULE=dashboard
        COPY urls.py app/
        """,
        bases=_bases(**{"acme/base:edge": (_BASE, None)}),
    )
    assert dockerfile.own == 1
    paths = [s.location.path for s in dockerfile.stages]
    assert paths == ["svc/Dockerfile", "images/base/Dockerfile", "images/base/Dockerfile"]
    assert dockerfile.ancestors(0) == (0, 2, 1)  # the base's final stage, then its `system`
    assert {e.name: e.value for e in dockerfile.effective_env()} == {
        "APP_HOME": "/opt/app",
        "EMAIL_TIMEOUT": "10",
        "PATH": "/opt/app/bin:/usr/bin",  # the base's ENV substitutes in the image's
        "MODULE": "dashboard",
    }
    own = dockerfile.stages[0]
    assert own.workdir == "/opt/app" and own.copies[0].dest == "/opt/app/app/"
    assert own.shell == ("/bin/bash", "-c")
    runtime = dockerfile.runtime()
    assert runtime is not None and runtime.cmd is not None
    assert runtime.cmd.argv == ("bash", "init_command.sh") and not runtime.cmd_from_base
    assert runtime.cmd.location.path == "images/base/Dockerfile"
    assert dockerfile.base_image() == "python:3.12-slim"
    linked = dockerfile.linked(2)
    assert linked is not None and (linked.start, linked.end, linked.context) == (1, 3, "images")
    assert dockerfile.chain_bases(0) == (linked,)
    # a base's `--from=0` and stage names are its own file's; the image's target is its own
    assert dockerfile.stage_index("0", before=2) == 1
    assert dockerfile.stage_index("system", before=2) == 1
    assert dockerfile.stage_index("system") is None
    assert dockerfile.target_index("final") is None and dockerfile.final("system") is None


def test_a_base_target_stage_and_unknown_parts_of_the_reference() -> None:
    lookup = _bases(**{"acme/base:*": (_BASE, "system")})
    dockerfile = parse(
        """
        ARG VERSION
        FROM acme/base:${VERSION}
        FROM acme/${NAME}:1
        FROM scratch
        """,
        bases=lookup,
    )
    # the unknown tag is written `*`; an undeclared global ARG is empty (BuildKit), scratch
    # is never looked up
    assert lookup.seen == ["acme/base:*", "acme/:1"]  # type: ignore[attr-defined]
    assert {e.name for e in dockerfile.env_at(0)} == {"APP_HOME"}  # the `system` stage
    assert dockerfile.stages[0].parent == 3 and dockerfile.stages[1].parent is None  # 3: `system`


def test_a_from_that_no_build_makes_stays_external() -> None:
    text = """
        FROM python:3.12 AS build
        FROM build
        ENV A=1
        """
    linked = parse(text, bases=_bases())
    assert linked == parse(text)
    assert linked.stages[1].parent == 0 and linked.bases == ()


def test_parsed_dockerfile_is_one_parse_per_text_path_and_arguments() -> None:
    from envlint.compose.dockerfile import parsed_dockerfile

    text = "FROM alpine\nARG A\nARG B\nENV X=$A$B\n"
    first = parsed_dockerfile(text, "svc/Dockerfile", {"A": "1", "B": "2"})
    assert parsed_dockerfile(text, "svc/Dockerfile", {"B": "2", "A": "1"}) is first
    assert first == parse_dockerfile(text, "svc/Dockerfile", build_args={"A": "1", "B": "2"})
    other = parsed_dockerfile(text, "svc/Dockerfile", {"A": "3"})
    assert [(e.name, e.value) for e in other.effective_env()] == [("X", "3")]
    assert parsed_dockerfile(text, "other/Dockerfile", {"A": "3"}) is not other


def test_automatic_platform_args() -> None:
    text = textwrap.dedent(
        """\
        ARG TARGETOS
        FROM base AS build-amd64
        FROM base AS build-arm64
        FROM build-${TARGETARCH} AS build
        ARG TARGETPLATFORM
        ENV PLATFORM=$TARGETPLATFORM OS=$TARGETOS
        FROM build-${BUILDARCH}${TARGETVARIANT} AS tool
        """
    )
    amd64 = parse_dockerfile(text, "Dockerfile", platform=platform_args("linux/amd64"))
    assert [s.parent for s in amd64.stages] == [None, None, 0, None]  # BUILDARCH: not known
    assert {e.name: (e.value, e.unresolved) for e in amd64.env_at(2)} == {
        "PLATFORM": ("linux/amd64", False),
        "OS": ("", True),  # a stage sees only the ones it declares
    }
    assert amd64.platform_reads == {"TARGETARCH", "TARGETPLATFORM", "BUILDARCH", "TARGETVARIANT"}
    arm = parse_dockerfile(text, "Dockerfile", platform=platform_args("linux/arm64", "linux/arm64"))
    assert [s.parent for s in arm.stages] == [None, None, 1, 1]
    unknown = parse_dockerfile(text, "Dockerfile")  # no platform given: unknown, not empty
    assert unknown.stages[2].parent is None
    assert {e.name: e.unresolved for e in unknown.env_at(2)}["PLATFORM"] is True


def test_platform_args_split_os_architecture_and_variant() -> None:
    assert platform_args("linux/arm/v7", "linux/amd64") == {
        "TARGETPLATFORM": "linux/arm/v7",
        "TARGETOS": "linux",
        "TARGETARCH": "arm",
        "TARGETVARIANT": "v7",
        "BUILDPLATFORM": "linux/amd64",
        "BUILDOS": "linux",
        "BUILDARCH": "amd64",
        "BUILDVARIANT": "",
    }
