"""Read a file only if it is a regular file, and only up to a size.

Paths from a repository can name anything: a FIFO (opening it for reading blocks until a
writer comes, forever in CI), ``/dev/zero`` or ``/dev/urandom`` (endless), a terminal.  The
file is opened without blocking and checked on the open descriptor (no race between a check
and the open), so nothing but a regular file is ever read, and never more than ``max_bytes``.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

__all__ = ["NotRegularFileError", "TooLargeError", "read_head", "read_regular"]

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_FLAGS |= getattr(os, "O_BINARY", 0)


class NotRegularFileError(OSError):
    """The path is a FIFO, device, socket or directory."""


class TooLargeError(OSError):
    """The file is larger than the limit."""


def read_regular(path: str | Path, max_bytes: int) -> bytes:
    """The bytes of ``path``; raises :class:`FileNotFoundError` and other :class:`OSError`\\ s,
    :class:`NotRegularFileError` or :class:`TooLargeError` (never blocks, never reads more than
    ``max_bytes + 1`` bytes)."""
    fd = os.open(path, _FLAGS)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFileError(errno.EINVAL, "not a regular file", str(path))
        if info.st_size > max_bytes:
            raise TooLargeError(errno.EFBIG, f"larger than {max_bytes} bytes", str(path))
        chunks: list[bytes] = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > max_bytes:  # it grew while we read
        raise TooLargeError(errno.EFBIG, f"larger than {max_bytes} bytes", str(path))
    return data


def read_head(path: str | Path, size: int) -> bytes:
    """The first ``size`` bytes of ``path`` (fewer when it is shorter), with the checks of
    :func:`read_regular`: a file's ``#!`` line without reading the file."""
    fd = os.open(path, _FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotRegularFileError(errno.EINVAL, "not a regular file", str(path))
        return os.read(fd, size)
    finally:
        os.close(fd)
