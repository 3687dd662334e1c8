"""Helpers shared by the output formats."""
from __future__ import annotations

import os
from collections.abc import Iterable, Mapping

from sam_shift_lint.checks.registry import RuleInfo
from sam_shift_lint.findings import Finding
from sam_shift_lint.lazy_pattern import lazy_compile

PROJECT_URL = "https://github.com/sam-shift-lint/sam-shift-lint"
TOOL_NAME = "sam-shift-lint"
SRCROOT = "%SRCROOT%"
SEVERITY_ORDER = {"error": 0, "warning": 1, "informational": 2}

_NEWLINES = lazy_compile(r"[\r\n]+")  # not (\r*\n|\r)+: the same runs, without O(n^2) on a run of \r


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in report order: file, line, column, rule, message."""
    return sorted(findings, key=lambda finding: finding.sort_key())


def one_line(text: str) -> str:
    """Collapse line breaks into single spaces (for line-oriented formats)."""
    return _NEWLINES.sub(" ", text)


def rule_info(rule_id: str, rules: Mapping[str, RuleInfo]) -> RuleInfo:
    """The registered rule, or a minimal stand-in for ids nobody registered (e.g. parse errors)."""
    info = rules.get(rule_id)
    if info is not None:
        return info
    return RuleInfo(id=rule_id, shortdesc=rule_id, description=rule_id, tags=())


def _cwd(cwd: str | None) -> str:
    return os.path.abspath(cwd if cwd is not None else os.getcwd())


def _absolute(file: str, cwd: str | None) -> str:
    return os.path.normpath(os.path.join(_cwd(cwd), file))


def relative_path(file: str, cwd: str | None = None, root: str | None = None) -> str | None:
    """``file`` (relative names resolved from ``cwd``) relative to ``root`` (default ``cwd``) with forward slashes,
    or None when it lies outside ``root``. A name that reaches ``root`` only through a symlink is compared by its
    real path too."""
    base = _cwd(root if root is not None else cwd)
    absolute = _absolute(file, cwd)
    rel = _inside(absolute, base)
    if rel is None:
        real = os.path.realpath(absolute)
        rel = _inside(real, os.path.realpath(base)) if real != absolute else None
    return rel


def _inside(path: str, base: str) -> str | None:
    try:
        rel = os.path.relpath(path, base)
    except ValueError:  # another drive on Windows
        return None
    if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
        return None
    return rel.replace(os.sep, "/")


def display_path(file: str, cwd: str | None = None, root: str | None = None) -> str:
    """Path for annotations: relative to ``root`` with forward slashes when under it, else as given."""
    rel = relative_path(file, cwd, root)
    return rel if rel is not None else file


def artifact_uri(file: str, cwd: str | None = None, root: str | None = None) -> tuple[str, str | None]:
    """SARIF ``(uri, uriBaseId)``: a relative URI under ``%SRCROOT%`` (``root``), else an absolute ``file://``
    URI. Both are percent-encoded (RFC 3986) from the name's bytes as the file system has them (``os.fsencode``),
    so a name that is not UTF-8, or holds a newline, still gives a valid URI that names exactly that file."""
    from urllib.parse import quote  # with pathlib, a few milliseconds of start-up that only SARIF needs

    rel = relative_path(file, cwd, root)
    if rel is not None:
        return quote(os.fsencode(rel), safe="/"), SRCROOT
    return file_uri(_absolute(file, cwd)), None


def file_uri(path: str, directory: bool = False) -> str:
    """``file://`` URI of an absolute path (a directory's ends with ``/``, as SARIF's base URIs must)."""
    from pathlib import Path
    from urllib.parse import quote

    posix = Path(path).resolve().as_posix()
    if directory and not posix.endswith("/"):
        posix += "/"
    return "file://" + quote(os.fsencode(posix), safe="/")


def root_uri(cwd: str | None = None, root: str | None = None) -> str:
    """The ``file://`` URI of the directory ``%SRCROOT%`` stands for."""
    return file_uri(_cwd(root if root is not None else cwd), directory=True)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``"1 error"`` / ``"2 errors"``."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"
