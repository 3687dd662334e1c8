"""Globs with gitignore's rules, for ``exclude``, ``per-file-ignores``, ``policy-profiles`` and ``.gitignore`` files.

A pattern is matched against a path relative to a base directory (the directory of the configuration file, or
of the ``.gitignore``), with ``/`` as the separator:

* without a slash (``node_modules``, ``*.json``): matches the name of a file or of any directory below the base;
* with a slash at the start or in the middle (``/build``, ``legacy/*.yaml``): anchored at the base;
* a trailing slash (``build/``): directories only (and so everything below them);
* ``*`` matches any run of characters but ``/``, ``?`` one of them, ``[a-z]``/``[!a-z]`` a class;
  ``**/`` at the start matches in every directory, ``/**`` at the end everything inside, ``/**/`` zero or more
  directories (any other ``**`` is a ``*``); a backslash quotes the next character;
* ``!`` at the start negates the pattern where negation is allowed.

These are gitignore's rules (``man gitignore``), which ruff's path settings follow too, with one difference
from ruff: there ``*`` also matches ``/``; here, as in ``.gitignore``, it does not (write ``**``).
"""
from __future__ import annotations

import re


class GlobError(ValueError):
    """A pattern that cannot be used; the message completes "pattern 'x' ..."."""


class Glob:
    """A compiled pattern (a plain class: records are made at import time of the command, and cheap to define)."""

    __slots__ = ("anchored", "directory_only", "negated", "pattern", "regex")

    def __init__(self, pattern: str, regex: re.Pattern[str], anchored: bool, directory_only: bool, negated: bool) -> None:
        self.pattern = pattern  # as written
        self.regex = regex  # the whole relative path (anchored) or one name (not anchored)
        self.anchored = anchored
        self.directory_only = directory_only
        self.negated = negated

    def negate(self) -> Glob:
        return Glob(self.pattern, self.regex, self.anchored, self.directory_only, not self.negated)

    def __repr__(self) -> str:
        return f"Glob({self.pattern!r})"

    def matches(self, relative: str, is_dir: bool) -> bool:
        """Does the pattern match the path itself (``relative`` to the base, ``/``-separated, no ``./``)? Its
        parent directories are not looked at here (see :func:`matches_path`)."""
        if self.directory_only and not is_dir:
            return False
        if self.anchored:
            return self.regex.fullmatch(relative) is not None
        return self.regex.fullmatch(relative.rsplit("/", 1)[-1]) is not None


def compile_glob(pattern: str, allow_negation: bool = False) -> Glob:
    """The compiled pattern; :class:`GlobError` when it is empty or malformed."""
    text = pattern
    negated = False
    if text.startswith("!"):
        if not allow_negation:
            raise GlobError("starts with '!': negation is not supported here")
        negated, text = True, text[1:]
    directory_only = text.endswith("/") and not text.endswith("\\/")
    if directory_only:
        text = text[:-1]
    anchored = "/" in text
    if text.startswith("/"):
        text = text[1:]
    if not text or text.startswith("/") or "//" in text:
        raise GlobError("matches no path")
    if "\x00" in text:
        raise GlobError("holds a NUL character")
    segments = text.split("/")
    if not anchored:
        regex = _segment(segments[0].replace("**", "*"))
    else:
        regex = _anchored(segments)
    try:
        compiled = re.compile(regex, re.DOTALL)
    except re.error as error:  # pragma: no cover - _segment escapes everything it does not translate
        raise GlobError(f"is malformed ({error})") from None
    return Glob(pattern, compiled, anchored, directory_only, negated)


def _anchored(segments: list[str]) -> str:
    out: list[str] = []
    last = len(segments) - 1
    for index, segment in enumerate(segments):
        if segment == "**":
            if index == last:
                out.append(".+" if index else ".*")  # "a/**": everything inside a
            elif index == 0:
                out.append("(?:.*/)?")  # "**/a": a in every directory
            else:
                out.append("(?:[^/]+/)*")  # "a/**/b": zero or more directories
            continue
        out.append(_segment(segment.replace("**", "*")))
        if index != last:
            out.append("/")
    return "".join(out)


def _segment(text: str) -> str:
    """One path component's pattern as a regular expression (no ``/`` inside)."""
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            out.append(re.escape(text[index + 1]))
            index += 2
            continue
        if char == "*":
            while index + 1 < len(text) and text[index + 1] == "*":
                index += 1
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end, cls = _char_class(text, index)
            if cls is None:
                out.append(re.escape(char))
            else:
                out.append(cls)
                index = end
        else:
            out.append(re.escape(char))
        index += 1
    return "".join(out)


def _char_class(text: str, start: int) -> tuple[int, str | None]:
    """``[...]`` at ``start``: (index of its ``]``, the class as a regex), or (start, None) when unterminated."""
    index = start + 1
    negate = index < len(text) and text[index] in "!^"
    if negate:
        index += 1
    members: list[str] = []
    first = True
    while index < len(text):
        char = text[index]
        if char == "]" and not first:
            body = "".join(members)
            return index, f"[^{body}/]" if negate else f"[{body}]"
        if char == "\\" and index + 1 < len(text):
            members.append(re.escape(text[index + 1]))
            index += 2
        elif char == "-" and members and index + 1 < len(text) and text[index + 1] != "]":
            members.append("-")
            index += 1
        else:
            members.append(re.escape(char))
            index += 1
        first = False
    return start, None


def matches_path(globs: tuple[Glob, ...] | list[Glob], relative: str, is_dir: bool) -> bool:
    """Does a non-negated glob match the path or one of its directories below the base? (For exclusion: an
    excluded directory excludes everything in it.)"""
    parts = relative.split("/")
    for glob in globs:
        if glob.matches(relative, is_dir):
            return True
        for depth in range(1, len(parts)):
            if glob.matches("/".join(parts[:depth]), True):
                return True
    return False


def relative_to(path: str, base: str) -> str | None:
    """``path`` relative to the directory ``base`` (both absolute and normalized), ``/``-separated; None when it
    is not below ``base``."""
    if path == base:
        return None
    prefix = base if base.endswith(("/", "\\")) else base + _sep(base)
    if not path.startswith(prefix):
        return None
    return path[len(prefix):].replace("\\", "/")


def _sep(path: str) -> str:
    return "\\" if "\\" in path and "/" not in path else "/"
