"""Keep-alive commands: a container whose command only keeps it running and runs no program.

A development container is often started idle (``CMD ["tail", "-f", "/dev/null"]``, ``sleep
infinity``, ``cat`` or a bare shell on a terminal) and its program run by hand (``docker compose
exec app cargo run``).  Such a service runs no program of its own: no code of the repository is
its code, and nothing in it "crashes at start".

:func:`idle_command` reads one argv (after process wrappers such as ``exec`` or ``tini``);
:func:`idle_loop` a shell loop's commands (``while true; do sleep 10; done``).  Both decide from
the command's words as the program parses them, never from its text.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence

from envlint.servicecode.entry_shell import SHELLS

__all__ = ["IDLE_SECONDS", "idle_command", "idle_loop"]

# a `sleep` at least this long keeps the container up for good (an hour: `sleep 3600`, `1d`)
IDLE_SECONDS = 3600.0
_SLEEP_UNITS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
# tail's options that take a value (the next word, unless attached: `-n0`, `--lines=0`)
_TAIL_VALUE_SHORT = frozenset("ncs")
_TAIL_VALUE_LONG = frozenset(
    ("--lines", "--bytes", "--pid", "--sleep-interval", "--max-unchanged-stats")
)


def _seconds(word: str) -> float | None:
    """A ``sleep`` operand in seconds (``infinity`` is infinite); None when not a duration."""
    if not word:
        return None
    if word.lower() in ("infinity", "inf"):
        return float("inf")
    number, unit = (word[:-1], word[-1]) if word[-1:] in "smhd" else (word, "")
    try:
        value = float(number)
    except ValueError:
        return None
    return value * _SLEEP_UNITS[unit] if value >= 0 else None


def _tail_follows_null(words: Sequence[str]) -> bool:
    """``tail -f /dev/null`` (``-F``, ``--follow``, with other options): it follows only
    /dev/null, which never grows."""
    follow = False
    operands: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if word == "--":
            operands.extend(words[index:])
            break
        if word.startswith("--"):
            follow = follow or word == "--follow" or word.startswith("--follow=")
            if word in _TAIL_VALUE_LONG:
                index += 1
            continue
        if word.startswith("-") and len(word) > 1:
            for at, letter in enumerate(word[1:], start=1):
                if letter in "fF":
                    follow = True
                elif letter in _TAIL_VALUE_SHORT:
                    index += 0 if word[at + 1 :] else 1  # its value: the rest, or the next word
                    break
            continue
        operands.append(word)
    return follow and operands == ["/dev/null"]


def idle_command(argv: Sequence[str], terminal: bool) -> bool:
    """Whether ``argv`` only keeps the container running: ``tail -f /dev/null``, ``sleep
    infinity`` (or an hour and more), and, when the container keeps a terminal or stdin open
    (compose ``tty``/``stdin_open``: ``terminal``), ``cat`` without a file or a shell without
    a script, which wait on it."""
    if not argv:
        return False
    base = posixpath.basename(argv[0])
    rest = argv[1:]
    if base == "tail":
        return _tail_follows_null(rest)
    if base == "sleep":
        durations = [_seconds(word) for word in rest]
        return (
            bool(durations)
            and None not in durations
            and sum(d for d in durations if d is not None) >= IDLE_SECONDS
        )
    if not terminal:
        return False
    if base == "cat":
        return all(word == "-" or (word.startswith("-") and len(word) > 1) for word in rest)
    if base in SHELLS:  # not `busybox`: without an applet it prints its help and exits
        return all(word in ("-i", "-l", "--login", "--norc", "--noprofile") for word in rest)
    return False


def idle_loop(keyword: str, loop: Sequence[Sequence[str]]) -> bool:
    """Whether a loop (``keyword``, its commands: the test, then the body, as
    :func:`entry_shell.parse_shell` gives them) never ends and only sleeps: ``while true; do
    sleep 10; done``, ``while :; do sleep 1; done``, ``until false; do sleep 60; done``."""
    if len(loop) < 2:
        return False
    test, body = tuple(loop[0]), loop[1:]
    forever = test in (("true",), (":",)) if keyword == "while" else test == ("false",)
    return (
        keyword in ("while", "until")
        and forever
        and all(
            len(argv) > 1 and argv[0] == "sleep" and all(_seconds(w) is not None for w in argv[1:])
            for argv in body
        )
    )
