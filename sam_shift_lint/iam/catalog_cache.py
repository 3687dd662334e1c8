"""A compact copy of what sam-shift-lint needs from cfn-lint's ``Policies.json`` (2 MB of JSON, about 30 ms to
parse on every run): per service, its name, its action names and whether its ARNs have a region and an account
field. About 0.5 MB, read in well under a millisecond.

Where: ``$SAM_SHIFT_LINT_CACHE_DIR`` if set (empty: no cache), else ``$XDG_CACHE_HOME/sam-shift-lint/``, else
``~/.cache/sam-shift-lint/``. One file per source (``iam-catalog-<cfn-lint version>-<key>.json``); the key is made of the cfn-lint
version, the path, size and modification time of ``Policies.json``, this format's version and nothing else, so
upgrading or editing cfn-lint makes a new entry. An entry is written atomically (a temporary file, then
``os.replace``) on first use, and checked when read: a corrupt, truncated or foreign file is rebuilt. Without a
usable directory (no home, read-only) the data is computed in memory, silently. Deleting the directory clears it.

JSON, not marshal (measured: 0.4 ms against 0.15 ms to load): marshal "is not intended to be secure against
erroneous or maliciously constructed data", and a damaged cache must never crash the linter.
"""
from __future__ import annotations

import json
import os
import re
import zlib
from collections.abc import Callable
from typing import Any

from sam_shift_lint.iam.files import NotReadable, read_regular_file

FORMAT = 1
KIND = "iam-catalog"  # the action catalog's entries; other data derived from Policies.json names its own kind
ENV = "SAM_SHIFT_LINT_CACHE_DIR"
MAX_BYTES = 16 * 1024 * 1024
SEPARATOR = " "  # between action names (IAM action names hold no spaces; a list is stored if one ever does)

# {lower-case service: [service as written, actions (SEPARATOR-joined, or a list), [has region, has account] | None]}
Compact = dict[str, list[Any]]

_VERSION = re.compile(r"""__version__\s*=\s*["']([^"']+)["']""")


def cache_dir() -> str | None:
    """The cache directory (it may not exist yet), or None when caching is off or there is no home."""
    configured = os.environ.get(ENV)
    if configured is not None:
        return configured or None
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return os.path.join(xdg, "sam-shift-lint")
    home = os.path.expanduser("~")
    if not home or home == "~" or not os.path.isabs(home):
        return None
    return os.path.join(home, ".cache", "sam-shift-lint")


def cfn_lint_version(policies_json: str) -> str:
    """cfn-lint's version, read from ``cfnlint/version.py`` beside its data (without importing cfn-lint)."""
    package = os.path.dirname(os.path.dirname(os.path.dirname(policies_json)))  # .../cfnlint/data/AdditionalSpecs/
    try:
        with open(os.path.join(package, "version.py"), encoding="utf-8") as handle:
            found = _VERSION.search(handle.read(4096))
    except (OSError, ValueError):
        return "unknown"
    return found.group(1) if found else "unknown"


def source_key(policies_json: str) -> dict[str, Any]:
    """What the cached data is derived from: any change here means a new cache entry."""
    info = os.stat(policies_json)
    return {
        "format": FORMAT,
        "cfn_lint": cfn_lint_version(policies_json),
        "source": os.path.abspath(policies_json),
        "size": info.st_size,
        "mtime_ns": info.st_mtime_ns,
    }


def entry_path(directory: str, key: dict[str, Any], kind: str = KIND) -> str:
    digest = zlib.crc32(json.dumps(key, sort_keys=True).encode("utf-8"))  # a clash only costs a rebuild
    return os.path.join(directory, f"{kind}-{key['cfn_lint']}-{digest:08x}.json")


def load(
    policies_json: str,
    build: Callable[[], Compact],
    kind: str = KIND,
    valid: Callable[[Any], bool] | None = None,
) -> Compact:
    """The compact data for ``policies_json``: from the cache when it holds a valid entry, else ``build()``
    (then stored for the next run when the cache directory is usable).

    ``kind`` names a second derived data set kept the same way (its own entry, ``<kind>-<version>-<key>.json``),
    ``valid`` checks its shape when read back (default: the action catalog's :func:`is_compact`)."""
    key = {**source_key(policies_json), **({"kind": kind} if kind != KIND else {})}
    directory = cache_dir()
    path = entry_path(directory, key, kind) if directory else None
    if path is not None:
        cached = _read(path, key, valid)
        if cached is not None:
            return cached
    compact = build()
    if directory is not None and path is not None:
        _write(directory, path, key, compact)
    return compact


def _read(path: str, key: dict[str, Any], valid: Callable[[Any], bool] | None = None) -> Compact | None:
    try:
        data = json.loads(read_regular_file(path, MAX_BYTES))
    except (NotReadable, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("key") != key:
        return None
    services = data.get("services")
    return services if (valid or is_compact)(services) else None


def is_compact(value: Any) -> bool:
    """Is ``value`` well-formed compact data (as :func:`load` returns it)?"""
    if not isinstance(value, dict):
        return False
    for service, entry in value.items():
        if not (isinstance(service, str) and isinstance(entry, list) and len(entry) == 3):
            return False
        written, actions, fields = entry
        if not (isinstance(written, str) and written.lower() == service):
            return False
        if not (isinstance(actions, str) or (isinstance(actions, list) and all(isinstance(a, str) for a in actions))):
            return False
        if fields is not None and not (isinstance(fields, list) and len(fields) == 2 and all(isinstance(f, bool) for f in fields)):
            return False
    return True


def _write(directory: str, path: str, key: dict[str, Any], compact: Compact) -> None:
    """Store atomically; any failure (read-only directory, full disk) leaves the cache as it was."""
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        text = json.dumps({"key": key, "services": compact}, separators=(",", ":"))
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
        os.replace(temporary, path)
    except (OSError, ValueError):
        try:
            os.unlink(temporary)
        except OSError:
            pass
