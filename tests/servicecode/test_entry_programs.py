"""_scan_options: one reader of the options of every interpreter and wrapper, by its table."""

from __future__ import annotations

from envlint.servicecode.entry_programs import (
    _NODE_OPTIONS,
    _NODEMON_OPTIONS,
    _PHP_OPTIONS,
    _PYTHON_OPTIONS,
    _RUBY_OPTIONS,
    _WRAPPER_OPTIONS,
    _Options,
    _scan_options,
    _Scanned,
)


def _scan(command: str, options: _Options, start: int = 1) -> _Scanned:
    return _scan_options(command.split(" "), start, options)


def _ends(command: str, options: _Options, start: int = 1) -> tuple[int, str | None]:
    scanned = _scan(command, options, start)
    return scanned.index, scanned.stop


def test_options_are_skipped_up_to_the_script_with_their_values() -> None:
    assert _ends("node --require ./otel.js -r x --trace-warnings app.js", _NODE_OPTIONS)[0] == 6
    assert _ends("node --require=./otel.js app.js", _NODE_OPTIONS) == (2, None)
    assert _ends("python -u -W ignore -X dev app.py", _PYTHON_OPTIONS) == (6, None)
    assert _ends("python * app.py", _PYTHON_OPTIONS) == (2, None)  # `*`: $PYTHON_OPTS
    assert _ends("ruby * app.rb", _RUBY_OPTIONS) == (1, None)  # not for ruby: `*` is its script
    assert _ends("node --inspect", _NODE_OPTIONS) == (2, None)  # no script
    assert _ends("python -W", _PYTHON_OPTIONS) == (3, None)  # a value option at the end


def test_a_stop_option_ends_the_scan_where_it_is() -> None:
    assert _ends("python -u -m app.main", _PYTHON_OPTIONS) == (2, "-m")
    assert _ends("python -c print(1)", _PYTHON_OPTIONS) == (1, "-c")
    assert _ends("node -e 1", _NODE_OPTIONS) == (1, "-e")
    assert _ends("nodemon -e js,ts app.js", _NODEMON_OPTIONS) == (3, None)  # nodemon's --ext
    assert _ends("ruby -w -S puma", _RUBY_OPTIONS) == (2, "-S")
    assert _ends("php -r echo", _PHP_OPTIONS) == (1, "-r")


def test_an_end_option_leaves_the_next_word_as_the_script() -> None:
    assert _ends("ruby -w -- -e", _RUBY_OPTIONS) == (3, None)
    assert _ends("php -d x=1 -f -app.php", _PHP_OPTIONS) == (4, None)
    assert _ends("-s -- node app.js", _WRAPPER_OPTIONS["tini"], start=0) == (2, None)
    assert _ends("-n 10 node app.js", _WRAPPER_OPTIONS["nice"], start=0) == (2, None)


def test_values_are_read_next_or_attached_where_the_table_says() -> None:
    scanned = _scan("ruby -W0 -I lib -rbundler/setup -C /app -r app.rb", _RUBY_OPTIONS)
    assert scanned.values == (
        ("-I", "lib"),
        ("-r", "bundler/setup"),
        ("-C", "/app"),
        ("-r", "app.rb"),
    )
    assert scanned.index == 9
    assert _scan("ruby -r", _RUBY_OPTIONS).values == (("-r", ""),)
    # python's `-Wignore` is one option, its value not read
    assert _scan("python -Wignore a.py", _PYTHON_OPTIONS).values == ()
