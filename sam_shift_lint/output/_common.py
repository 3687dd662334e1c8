"""Helpers shared by the output formats."""
from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from sam_shift_lint.checks.registry import RuleInfo
from sam_shift_lint.findings import Finding

PROJECT_URL = "https://github.com/sam-shift-lint/sam-shift-lint"
TOOL_NAME = "sam-shift-lint"

_NEWLINES = re.compile(r"[\r\n]+")  # not (\r*\n|\r)+: the same runs, without O(n^2) on a run of \r


def sorted_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Findings in report order: file, line, column, rule, message."""
    return sorted(findings, key=lambda finding: finding.sort_key())


def one_line(text: str) -> str:
    """Collapse line breaks into single spaces (for line-oriented formats)."""
    return _NEWLINES.sub(" ", text)


def rule_info(rule_id: str, rules: dict[str, RuleInfo]) -> RuleInfo:
    """The registered rule, or a minimal stand-in for ids nobody registered (e.g. parse errors)."""
    info = rules.get(rule_id)
    if info is not None:
        return info
    return RuleInfo(id=rule_id, shortdesc=rule_id, description=rule_id, tags=())


def _cwd(cwd: str | None) -> str:
    return os.path.abspath(cwd if cwd is not None else os.getcwd())


def relative_path(file: str, cwd: str | None = None) -> str | None:
    """``file`` relative to ``cwd`` with forward slashes, or None when it lies outside ``cwd``."""
    base = _cwd(cwd)
    absolute = os.path.normpath(os.path.join(base, file))
    try:
        rel = os.path.relpath(absolute, base)
    except ValueError:  # another drive on Windows
        return None
    if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
        return None
    return rel.replace(os.sep, "/")


def display_path(file: str, cwd: str | None = None) -> str:
    """Path for annotations: relative with forward slashes when under ``cwd``, else as given."""
    rel = relative_path(file, cwd)
    return rel if rel is not None else file


def artifact_uri(file: str, cwd: str | None = None) -> tuple[str, str | None]:
    """SARIF ``(uri, uriBaseId)``: a relative URI under ``%SRCROOT%``, else an absolute ``file://`` URI. Both are
    percent-encoded (RFC 3986) from the name's bytes as the file system has them (``os.fsencode``), so a name
    that is not UTF-8, or holds a newline, still gives a valid URI that names exactly that file."""
    rel = relative_path(file, cwd)
    if rel is not None:
        return quote(os.fsencode(rel), safe="/"), "%SRCROOT%"
    absolute = Path(os.path.join(_cwd(cwd), file)).resolve()
    return "file://" + quote(os.fsencode(absolute.as_posix()), safe="/"), None


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``"1 error"`` / ``"2 errors"``."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"
