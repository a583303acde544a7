"""Writing repository-controlled text out safely.

File names, service and variable names, and messages that quote file content come from the
checked repository, which in CI is a pull request anybody may open.  Such text must never
reach a terminal as control sequences, nor forge a GitHub workflow command, nor crash an
encoder:

- :func:`terminal` (text, concise, trace, and every line of the github format): every
  control character (C0, DEL, C1), every bidirectional-override character and every byte that
  is not UTF-8 is written as a Python-style escape (``\\x1b``, ``\\n``, ``\\u202e``, ``\\xff``),
  so an ``ESC ] 0 ;`` title sequence, a carriage return or a newline in a name shows as text
  (:func:`terminal_lines` keeps the line feeds of a multi-line message);
- :func:`utf8` (JSON, SARIF, JUnit, the baseline, the job summary): only what UTF-8 cannot
  carry changes; the structured format escapes control characters itself;
- :func:`workflow_data` / :func:`workflow_property`: the GitHub Actions runner's escaping of a
  command's data (``%``, CR, LF) and properties (also ``:`` and ``,``), after :func:`terminal`.

Paths in the model keep the bytes the file system gave (``os.fsdecode``: an undecodable byte
is a lone surrogate, ``\\udcff`` for ``\\xff``); they are shown as ``\\xff``.  Finding
fingerprints hash the original bytes (``os.fsencode``), so they never fail and never change.
"""

from __future__ import annotations

import re

__all__ = [
    "fs_bytes",
    "terminal",
    "terminal_lines",
    "utf8",
    "workflow_data",
    "workflow_property",
]

# C0 and C1 controls, DEL, lone surrogates (undecodable bytes), and the Unicode format
# characters that reorder or hide text on screen (bidi embeddings/overrides/isolates, marks).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(char: str) -> str:
    point = ord(char)
    if 0xDC80 <= point <= 0xDCFF:  # a byte os.fsdecode could not decode
        return f"\\x{point - 0xDC00:02x}"
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{point:02x}" if point <= 0xFF else f"\\u{point:04x}"


def terminal(text: str) -> str:
    """``text`` with control, bidi-override and undecodable characters escaped."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda m: _escaped(m.group()), text)


def terminal_lines(text: str) -> str:
    """:func:`terminal` for each line of ``text``; its line feeds stay line feeds."""
    return "\n".join(terminal(line) for line in text.split("\n"))


def utf8(text: str) -> str:
    """``text`` that any UTF-8 encoder accepts: undecodable bytes shown as ``\\xNN``."""
    if _SURROGATE.search(text) is None:
        return text
    return _SURROGATE.sub(lambda m: _escaped(m.group()), text)


def fs_bytes(text: str) -> bytes:
    """The bytes a path string stands for (surrogates back to the bytes they escaped)."""
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file name holds (from a YAML "\\ud800" escape)
        return text.encode("utf-8", "surrogatepass")


def workflow_data(text: str) -> str:
    """The data of a workflow command (``::error ...::DATA``): ``%``, CR and LF escaped."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def workflow_property(text: str) -> str:
    """A property value of a workflow command: also ``:`` and ``,`` escaped."""
    return workflow_data(text).replace(":", "%3A").replace(",", "%2C")
