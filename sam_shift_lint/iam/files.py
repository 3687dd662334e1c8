"""Reading a file whose path does not come from the package itself (a profile the user names, a cache entry):
only a regular file, at most ``limit`` bytes, and never blocking on a FIFO or reading a device forever."""
from __future__ import annotations

import os
import stat


class NotReadable(Exception):
    """The file cannot be read: the reason, as one short line."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def read_regular_file(path: str, limit: int) -> bytes:
    """The bytes of the regular file at ``path`` (symbolic links followed). It is opened non-blocking (so that
    opening a FIFO returns at once) and checked with ``fstat`` on the open descriptor before anything is read,
    so what is checked is what is read. Raises :class:`NotReadable`."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise NotReadable(exc.strerror or str(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotReadable(f"it is {_kind(info.st_mode)}, not a regular file")
        if info.st_size > limit:
            raise NotReadable(f"too large ({info.st_size} bytes; the limit is {limit})")
        chunks: list[bytes] = []
        size = 0
        while size <= limit:  # a file that grows while it is read is cut at the limit
            chunk = os.read(fd, limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise NotReadable(exc.strerror or str(exc)) from None
    finally:
        os.close(fd)
    if size > limit:
        raise NotReadable(f"too large (more than {limit} bytes)")
    return b"".join(chunks)
