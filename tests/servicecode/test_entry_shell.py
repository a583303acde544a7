"""The shell reader: simple commands, words, nesting and expansions (nothing is run)."""

from __future__ import annotations

import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from envlint.servicecode.entry_shell import parse_shell, split_words


def argvs(text: str, **lookup: str) -> list[tuple[tuple[str, ...], str, int]]:
    return [(c.argv, c.connector, c.depth) for c in parse_shell(text, lookup.get)]


def test_chains_and_quotes() -> None:
    assert argvs("cd /app && exec 'node' \"dist/index.js\" --port=80; echo done & wait") == [
        (("cd", "/app"), "&&", 0),
        (("exec", "node", "dist/index.js", "--port=80"), ";", 0),
        (("echo", "done"), "&", 0),
        (("wait",), "", 0),
    ]


def test_redirections_comments_and_continuations() -> None:
    text = "# start\npython -m app \\\n  --debug 2>&1 > /tmp/log < /dev/null # trailing\n"
    assert argvs(text) == [(("python", "-m", "app", "--debug"), "\n", 0)]


def test_assignments_and_expansions() -> None:
    (cmd,) = parse_shell("CGO_ENABLED=0 GOOS=linux go build -o /out/$APP ./cmd/${APP}")
    assert cmd.assignments == (("CGO_ENABLED", "0"), ("GOOS", "linux"))
    assert [w.text for w in cmd.words] == ["go", "build", "-o", "/out/*", "./cmd/*"]
    assert [w.unresolved for w in cmd.words] == [False, False, False, True, True]
    (cmd,) = parse_shell("go build -o /out/$APP ./cmd/${APP}", {"APP": "api"}.get)
    assert cmd.argv == ("go", "build", "-o", "/out/api", "./cmd/api")


def test_earlier_top_level_assignments_are_used() -> None:
    cmds = parse_shell("BIN=server\nexport PORT=80 MODE\nexec ./$BIN --port ${PORT} ${X:-dflt}")
    assert cmds[-1].argv == ("exec", "./server", "--port", "80", "dflt")
    assert not any(w.unresolved for w in cmds[-1].words)


def test_all_args_and_unknowns() -> None:
    (cmd,) = parse_shell('exec "$@"')
    assert cmd.words[1].all_args and not cmd.words[1].unresolved
    (cmd,) = parse_shell("exec $(which node) `pwd` $1 ${X#y}")
    assert [w.unresolved for w in cmd.words] == [False, True, True, True, True]


def test_nesting_in_conditionals_loops_functions_and_case() -> None:
    text = """
    set -e
    if [ "$1" = migrate ]; then
      exec /app/migrate
    elif [ -n "$X" ]; then exec /app/other; fi
    for f in /docker-entrypoint.d/*.sh; do . "$f"; done
    start() {
      exec /app/never
    }
    case "$MODE" in
      worker|jobs) exec /app/worker ;;
      *) echo default ;;
    esac
    { echo grouped; }
    exec /app/server "$@"
    """
    got = argvs(text)
    top = [a for a, _, depth in got if depth == 0]
    assert top == [("set", "-e"), ("exec", "/app/server", "$@")]
    nested = {a[1] for a, _, depth in got if depth > 0 and a and a[0] == "exec"}
    assert nested == {"/app/migrate", "/app/other", "/app/never", "/app/worker"}
    assert ("MODE",) not in [a for a, _, _ in got]  # the case subject is not a command


def test_heredocs_in_scripts_are_skipped() -> None:
    text = "cat > /etc/conf <<EOF\nexec /not/a/command\nEOF\nexec ./real\n"
    assert [a for a, _, _ in argvs(text)] == [("cat",), ("exec", "./real")]


def test_split_words_for_compose_strings() -> None:
    words = split_words("bundle exec 'thin -p' 3000")
    assert words is not None and [w.text for w in words] == ["bundle", "exec", "thin -p", "3000"]
    assert split_words("a && b") is None
    assert split_words("") == ()


def test_never_raises_on_broken_input() -> None:
    for text in ['"unterminated', "'x", "${", "$(", "`", "a\\", "case", "((", ") ) fi done }"]:
        parse_shell(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab $'\"\\`#;&|()<>{}\n\t=-@*!ifthenfidoecas", max_size=80))
def test_parse_shell_never_raises(text: str) -> None:
    for command in parse_shell(text, {"a": "x"}.get):
        assert command.depth >= 0


def test_literal_mode_splits_without_expanding() -> None:
    (cmd,) = parse_shell(
        'sh -c "exec app --token $TOKEN ${X:-d} `id`"', {"TOKEN": "v"}.get, literal=True
    )
    assert cmd.argv == ("sh", "-c", "exec app --token $TOKEN ${X:-d} `id`")
    (cmd,) = parse_shell("run $TOKEN", {"TOKEN": "v"}.get)
    assert cmd.argv == ("run", "v") and cmd.written == "run $TOKEN"


def test_each_if_has_a_number_and_each_part_a_name() -> None:
    text = """
    if [ "$A" = 1 ]; then
      cd /srv
      exec /app/a
    elif [ -n "$B" ]; then exec /app/b
    else exec /app/c; fi
    if true; then if false; then echo inner; fi; fi
    """
    scopes = {c.argv: c.scopes for c in parse_shell(textwrap.dedent(text))}
    assert scopes[("[", "*", "=", "1", "]")] == (("if", "1/if"),)
    assert scopes[("cd", "/srv")] == scopes[("exec", "/app/a")] == (("if", "1/then1"),)
    assert scopes[("[", "-n", "*", "]")] == (("if", "1/elif2"),)
    assert scopes[("exec", "/app/b")] == (("if", "1/then2"),)
    assert scopes[("exec", "/app/c")] == (("if", "1/else"),)
    assert scopes[("echo", "inner")] == (("if", "2/then1"), ("if", "3/then1"))
    assert all(c.depth == len(c.scopes) for c in parse_shell(textwrap.dedent(text)))


def test_a_heredoc_body_is_its_redirection_target() -> None:
    from envlint.servicecode.entry_shell import parse_shell

    (cat, run) = parse_shell("cat > .env <<EOF\nA=1\n# note\nB=$HOME\nEOF\nexec ./real\n")
    body = "A=1\n# note\nB=$HOME\n"  # literal: the document's text, never expanded here
    assert [(op, w.text) for op, w in cat.redirects] == [(">", ".env"), ("<<", body)]
    assert run.argv == ("exec", "./real")
    (tabbed,) = parse_shell("cat <<-END\n\tX=2\n\tEND\n")
    assert [w.text for op, w in tabbed.redirects if op == "<<"] == ["X=2\n"]


def test_an_array_expands_to_its_words() -> None:
    from envlint.servicecode.entry_shell import parse_shell

    text = (
        "files=(-f base.yml  # the base\n  -f 'ci overrides.yml')\n"
        'docker compose "${files[@]}" up -d\n'
        'echo "$files" "x${files[@]}" "${other[@]}"\n'
    )
    assign, compose, echo = parse_shell(text)
    assert assign.argv == ()
    files = ("-f", "base.yml", "-f", "ci overrides.yml")
    assert compose.argv == ("docker", "compose", *files, "up", "-d")
    # $files is the first element; an array inside a longer word or an unknown array: unknown
    assert [(w.text, w.unresolved) for w in echo.words[1:]] == [
        ("-f", False), ("x*", True), ("*", True)
    ]


def test_bash_append_and_element_assignments_are_not_commands() -> None:
    text = (
        'X="a,"\nX+="b"\nY+=c\nlist=(one)\nlist+=(two three)\narr[0]=zero\narr[1]+=x\n'
        'echo "$X" "$Y" "${list[@]}" "${arr[@]}"\nZ+==q cmd\n"W+"=v\n'
    )
    *assigns, echo, z, w = parse_shell(text)
    assert [c.argv for c in assigns] == [()] * 7
    assert assigns[1].assignments == (("X", "a,b"),)
    # an append to a value not known here is not known either
    assert assigns[2].assignments == (("Y", "*"),)
    assert [(w.text, w.unresolved) for w in echo.words[1:]] == [
        ("a,b", False), ("*", True), ("one", False), ("two", False), ("three", False),
        ("*", True),
    ]
    # `Z+==q` assigns "=q"; a quoted name is a word, not an assignment
    assert (z.argv, z.assignments) == (("cmd",), (("Z", "*"),))
    assert w.argv == ("W+=v",)


def test_an_append_inside_a_function_leaves_the_top_level_value_alone() -> None:
    text = 'X=a\nsetup() {\n  X+=b\n}\nunknown+=(v)\necho "$X" "${unknown[@]}"\n'
    commands = parse_shell(text)
    assert commands[1].scopes == (("function", "setup"),) and commands[1].argv == ()
    assert [(w.text, w.unresolved) for w in commands[-1].words[1:]] == [("a", False), ("*", True)]


def test_case_patterns_are_never_commands() -> None:
    text = (
        'case "$1" in\n  run) exec python app.py ;;\n  a|b)\n    go ;;\n  (c) x ;;\n'
        "  *)\n    echo no\n    exit 1\n    ;;\nesac\n"
    )
    got = [(c.argv, c.scopes[-1]) for c in parse_shell(text)]
    assert got == [
        (("exec", "python", "app.py"), ("branch", "run")),
        (("go",), ("branch", "a|b")),
        (("x",), ("branch", "c")),
        (("echo", "no"), ("branch", "*")),
        (("exit", "1"), ("branch", "*")),
    ]


def test_arguments_from_the_nth_on() -> None:
    (cmd,) = parse_shell('exec /bin/bash -c "${@:2}" ${*:3} "${@:0}"')
    assert [(w.text, w.all_args, w.first_arg, w.unresolved) for w in cmd.words[3:]] == [
        ("$@", True, 2, False), ("$@", True, 3, False), ("*", False, 1, True)
    ]


def test_function_definitions_hold_only_their_body() -> None:
    """``function f() {`` (tracks' script/cibuild) is a definition, not a subshell: what
    follows the body is at the top level again; a ``( ... )`` body is the function's too."""
    text = (
        "function cleanup() {\n  a\n}\nfunction die {\n  b\n}\nsetup()\n{\n  c\n}\n"
        "sub() ( d )\n( e )\ntop\n"
    )
    got = [(c.argv, c.scopes) for c in parse_shell(text)]
    assert got == [
        (("a",), (("function", "cleanup"),)),
        (("b",), (("function", "die"),)),
        (("c",), (("function", "setup"),)),
        (("d",), (("function", "sub"), ("subshell", "3"))),
        (("e",), (("subshell", "4"),)),
        (("top",), ()),
    ]


def test_a_value_only_partly_known_keeps_its_known_parts() -> None:
    """tracks: ``docker_compose="docker compose --file f-$2.yml"``, then ``$docker_compose up``:
    an unquoted ``$X`` is split into fields; the part not known stays a ``*`` in its field."""
    text = (
        'dc="docker compose --file test-envs/docker-compose-$2.yml"\n'
        '$dc up -d\n"$dc" up\n${dc} x${dc}\necho ${dc:-other}\n'
        "export TAG=v-$1\necho $TAG\nTAG=known\necho $TAG\n"
        "G='a*b '$1\necho $G\nX=$(cmd)\necho $X\n"
    )
    commands = [c for c in parse_shell(text, {"X": "outer", "dc": "outer"}.get) if c.argv]
    words = [[(w.text, w.unresolved) for w in c.words] for c in commands]
    fields = [("docker", False), ("compose", False), ("--file", False)]
    pattern = ("test-envs/docker-compose-*.yml", True)
    assert words[0] == [*fields, pattern, ("up", False), ("-d", False)]
    assert commands[0].words[0].raw == "$dc"
    assert commands[0].written == "$dc up -d"  # as written: the word once
    # quoted, or inside a longer word: one word, not known
    whole = "docker compose --file test-envs/docker-compose-*.yml"
    assert words[1] == [(whole, True), ("up", False)]
    assert words[2] == [*fields, pattern, ("x" + whole, True)]
    # with an operator the expansion is not known; never the caller's value of the name
    assert words[3] == [("echo", False), ("*", True)]
    assert words[4:7] == [
        [("export", False), ("TAG=v-*", True)],
        [("echo", False), ("v-*", True)],
        [("echo", False), ("known", False)],
    ]
    # a glob character in the known text: the shell would match files, so one word
    assert words[7] == [("echo", False), ("a*b *", True)]
    assert words[8] == [("echo", False), ("*", True)]


def test_an_array_changed_under_a_loop_or_branch_may_have_more_elements() -> None:
    """IntelOwl ``start``, mwdb-core ``compose.sh``: ``"${files[@]}"`` after an append in a
    loop or ``case`` branch is its top-level elements, and the command notes where more may
    follow (robotoff's entrypoint: ``PRE_ARGS=( uv run )`` in an ``if``, then ``exec
    "${PRE_ARGS[@]}" "$@"``: still ``"$@"``, with a gap before it)."""
    text = (
        'files=(-f a.yml)\nfor x in $LIST; do files+=(-f "i/$x/c.yml"); done\n'
        'case "$1" in --with) files+=(-f b.yml) ;; esac\n'
        'docker compose "${files[@]}" up\n'
        "files+=(-f z.yml)\n"
        'docker compose "${files[@]}" up\n'
        "pre=()\nif x; then pre=( uv run ); fi\n"
        'exec "${pre[@]}" "$@"\n'
        "top=(-f a.yml)\nsetup() { top+=(-f b.yml); }\n"
        'echo "${top[@]}"\n'
        "top=(-f c.yml)\n"
        'echo "${top[@]}"\n'
        'plain=(-f a.yml)\nif y; then echo "${plain[@]}"; fi\necho "${plain[@]}"\n'
    )
    commands = [c for c in parse_shell(text) if c.argv[:1] in (("docker",), ("echo",), ("exec",))]
    got = [(c.argv, c.gaps) for c in commands]
    assert got == [
        (("docker", "compose", "-f", "a.yml", "up"), (4,)),
        (("docker", "compose", "-f", "a.yml", "-f", "z.yml", "up"), (6,)),
        (("exec", "$@"), (1,)),
        (("echo", "-f", "a.yml"), (3,)),
        (("echo", "-f", "c.yml"), ()),  # assigned anew at the top level
        (("echo", "-f", "a.yml"), ()),  # never changed
        (("echo", "-f", "a.yml"), ()),
    ]


def test_a_call_of_a_defined_function_runs_its_body_with_the_arguments_bound() -> None:
    """diaspora ``script/diaspora-dev``: ``dia_docker_compose() { docker-compose "$@"; }``
    called from another function the ``case`` at the bottom calls; with ``calls`` the body
    runs where it is called, ``$@`` / ``$1`` bound to the call's words (up to three calls
    deep; a function is not followed into itself, nor a call inside a definition)."""
    text = (
        'dc() {\n  if [ -w x ]; then docker-compose "$@"; else sudo -E docker-compose "$@"; fi\n}\n'
        'start() {\n  dc up "${1:-web}" "$2"\n}\n'
        "loop() { loop again; }\n"
        "deep1() { deep2; }\ndeep2() { deep3; }\ndeep3() { deep4; }\ndeep4() { echo deep; }\n"
        "export ROOT=/srv\n"
        'case "$1" in\n  up) start ;;\n  r) loop ;;\n  d) deep1 ;;\nesac\n'
    )
    commands = parse_shell(text, calls=True)
    ran = [(c.argv, c.line, c.scopes[-2:]) for c in commands if c.argv[:1] == ("docker-compose",)]
    # the definitions' own text: `$@`, inside a function; the call at line 14 runs it
    assert ran[0] == (("docker-compose", "$@"), 2, (("function", "dc"), ("if", "1/then1")))
    call = [r for r in ran if r[1] == 14]
    assert [r[0] for r in call] == [("docker-compose", "up", "web", "")]
    assert call[0][2] == (("call", "dc"), ("if", "1/then1"))
    sudo = [c.argv for c in commands if c.argv[:1] == ("sudo",) and c.line == 14]
    assert sudo == [("sudo", "-E", "docker-compose", "up", "web", "")]
    # recursion is not followed; three calls deep at most
    assert [c.argv for c in commands if c.line == 15] == [("loop",), ("loop", "again")]
    deep = [c.argv for c in commands if c.line == 16]
    assert deep == [("deep1",), ("deep2",), ("deep3",), ("deep4",)]  # deep4's body not run
    # without `calls`, nothing is followed
    assert not [c for c in parse_shell(text) if c.line == 14 and c.argv[:1] != ("start",)]


def test_paths_from_dirname_cd_pwd_and_the_repository_top() -> None:
    """``$(dirname WORD)`` of a known path, ``$(cd WORD && pwd)`` of a known absolute path
    and ``$(git rev-parse --show-toplevel)`` (asked of the lookup) are known; any other command
    substitution, or these of a path not known, is not."""
    lookup = {"0/dir": "/r/script", "0/top": "/r"}.get
    text = (
        'S=$(cd $(dirname "${BASH_SOURCE[0]}") && pwd)\nR=$(dirname "$S")\necho "$R/docker"\n'
        'echo "$(cd "$S/../docker" && pwd -P)" "$(git rev-parse --show-toplevel)/x"\n'
        'echo "$(dirname "$UNKNOWN")" "$(cd docker && pwd)" "$(dirname a/b/)" "$(basename "$S")"\n'
    )
    words = [[(w.text, w.unresolved) for w in c.words[1:]] for c in parse_shell(text, lookup)]
    assert words[2] == [("/r/docker", False)]
    assert words[3] == [("/r/docker", False), ("/r/x", False)]
    # not known: an unknown path, a relative cd (where it runs is not known), basename
    assert words[4] == [("*", True), ("*", True), ("a", False), ("*", True)]
    assert [(w.text, w.unresolved) for w in parse_shell(text)[2].words[1:]] == [("*/docker", True)]


def test_a_positional_parameter_after_a_shift_or_in_a_function_is_not_known() -> None:
    """``$1`` is the caller's first argument only until a ``shift`` (also one under a branch:
    what follows cannot know whether it ran) and never inside a function's definition."""
    args = {"1": "prod", "2": "test"}
    text = (
        'echo "c.$1.yml"\n'
        'run() { echo "f.$1.yml"; }\n'
        'if [ -n "$1" ]; then shift; fi\n'
        'echo "c.$1.yml"\n'
    )
    echoed = [c.argv[1] for c in parse_shell(text, args.get) if c.argv[:1] == ("echo",)]
    assert echoed[0] == "c.prod.yml"
    assert echoed[1] != "f.prod.yml" and echoed[2] != "c.prod.yml"
