"""Write a whole file or nothing: a temp file in the same directory, then ``os.replace``.

A report or baseline that fails half-way (disk full, killed run) never leaves a truncated file
behind that a later CI step would read as complete.  A target that exists and is not a regular
file (``/dev/stdout``, ``/dev/null``, a FIFO) is written directly instead: replacing it would
swap a device or pipe for a file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

__all__ = ["write_text_atomic"]


def write_text_atomic(path: Path, text: str, mode: int | None = None) -> None:
    """Write ``text`` (UTF-8) to ``path``; raises :class:`OSError` and leaves ``path`` as it was.

    ``mode`` is the new file's permission bits (default: 0o666 less the umask, as ``open``
    would create it); an existing file keeps its own bits.
    """
    data = text.encode("utf-8")
    try:
        info = path.stat()
    except FileNotFoundError:
        info = None
    except OSError:
        info = None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(21, "Is a directory", str(path))
    if info is not None and not stat.S_ISREG(info.st_mode):
        with path.open("wb") as handle:  # a device or pipe the user named
            handle.write(data)
        return
    target = Path(os.path.realpath(path))  # write through a symlink, not over it
    if mode is None:
        mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        Path(temp).chmod(mode)
        Path(temp).replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temp).unlink()
        raise


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current
