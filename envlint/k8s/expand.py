"""The kubelet's ``$(VAR)`` dependent-variable expansion (k8s.io/kubernetes
third_party/forked/golang/expansion), byte for byte.

``$(NAME)`` is replaced by NAME's value when the mapping knows NAME, and left as written when
it does not; ``$$`` is one ``$`` (so ``$$(NAME)`` is the literal text ``$(NAME)``); a ``$``
followed by anything else, an unterminated ``$(`` and a ``$`` at the end stay as written.  The
kubelet expands an ``env`` item's ``value`` with the variables declared before it (``envFrom``
first, then earlier ``env`` items) and the service link variables; a name declared later is
not known yet.
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["expand"]


def expand(text: str, lookup: Callable[[str], str | None]) -> tuple[str, tuple[str, ...]]:
    """``text`` with every known ``$(NAME)`` replaced, and the names it referenced (known or
    not, in order).  ``lookup`` returns ``None`` for an unknown name."""
    out: list[str] = []
    names: list[str] = []
    checkpoint = 0
    cursor = 0
    length = len(text)
    while cursor < length:
        if text[cursor] == "$" and cursor + 1 < length:
            out.append(text[checkpoint:cursor])
            read, is_var, advance = _read_name(text, cursor + 1)
            if is_var:
                names.append(read)
                value = lookup(read)
                out.append(f"$({read})" if value is None else value)
            else:
                out.append(read)
            cursor += advance
            checkpoint = cursor + 1
        cursor += 1
    out.append(text[checkpoint:])
    return "".join(out), tuple(names)


def _read_name(text: str, start: int) -> tuple[str, bool, int]:
    """``tryReadVariableName`` on ``text[start:]``: (text read, is a variable, bytes used)."""
    first = text[start]
    if first == "$":
        return "$", False, 1
    if first == "(":
        close = text.find(")", start + 1)
        if close >= 0:
            return text[start + 1 : close], True, close - start + 1
        return "$(", False, 1
    return "$" + first, False, 1
