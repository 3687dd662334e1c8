"""Files a configuration names (profile files, paired templates): inside the project, regular, size-limited.
Checked with ``stat`` when the configuration is used; the readers check again on the open file."""
from __future__ import annotations

import os
import stat


def inside(path: str, real_boundary: str) -> bool:
    """Does ``path``, symbolic links followed, lie in ``real_boundary`` (a real path)?"""
    return os.path.commonpath([os.path.realpath(path), real_boundary]) == real_boundary


def unusable(path: str, shown: str, limit: int) -> str | None:
    """Why the file at ``path`` cannot be used (``shown`` is how the message names it): it cannot be read, is
    not a regular file, or is larger than ``limit`` bytes; None when it can."""
    try:
        status = os.stat(path)
    except OSError as error:
        return f"cannot read {shown!r}: {error.strerror or error}"
    if not stat.S_ISREG(status.st_mode):
        return f"{shown!r} is not a regular file"
    if status.st_size > limit:
        return f"{shown!r} is too large ({status.st_size} bytes; the limit is {limit})"
    return None
