"""Which paths git ignores (``respect-gitignore``), asked of git itself, once per repository per run.

Inside a git working tree, :meth:`GitIgnore.prepare` runs one ``git ls-files --others --ignored
--exclude-standard --directory`` for all the paths of the run in that repository (the directories to walk and
the files named on the command line), so git applies every rule it knows: ``.gitignore`` files at every level,
``.git/info/exclude``, ``core.excludesFile``, and it never counts a tracked file as ignored. ``--directory``
lists an ignored directory once, so the walk prunes it without git listing what is inside.

Outside a repository, or when git is missing or refuses to run (no ``git`` on PATH, "dubious ownership" ...),
a pure-Python reading of ``.gitignore`` files is used instead. It supports the ``.gitignore`` syntax
(comments, ``\\`` escapes, trailing-space rules, ``!`` negation with the last matching pattern winning, a
deeper file overriding a shallower one, anchoring by a leading or middle ``/``, ``dir/`` for directories only,
``*``, ``?``, ``[...]``, ``**``) in the path's directories from the top of the repository (or, outside any
repository, from the filesystem root) down, and ``.git/info/exclude``. It does not know ``core.excludesFile``
(your global ignore file) or the index: a tracked file that matches a pattern is skipped by the fallback
(git would check it).
"""
from __future__ import annotations

import os
from collections.abc import Iterable

from sam_shift_lint.config.files import find_repository
from sam_shift_lint.config.globs import Glob, GlobError, compile_glob, relative_to

_GIT_ENV_DROPPED = ("GIT_DIR", "GIT_WORK_TREE", "GIT_NAMESPACE", "GIT_CEILING_DIRECTORIES")
_MAX_ARGUMENT_BYTES = 64 * 1024  # pathspecs per git process (more are split over several, rarely needed)


class GitIgnore:
    """Answers "does git ignore this path?" for the paths of one run. Call :meth:`prepare` with every path first
    (one git process per repository); paths it was not told about are answered by the fallback."""

    def __init__(self) -> None:
        self._ignored: dict[str, set[str]] = {}  # repository top -> ignored paths relative to it ("dir/" for dirs)
        self._asked: set[str] = set()  # repository tops git was asked about (or failed for)
        self._fallback = _Fallback()
        self.git_runs = 0

    def prepare(self, paths: Iterable[str]) -> None:
        by_repository: dict[str, list[str]] = {}
        for path in paths:
            absolute = os.path.abspath(path)
            top = find_repository(absolute if os.path.isdir(absolute) else os.path.dirname(absolute))
            if top is not None and top not in self._asked:
                by_repository.setdefault(top, []).append(absolute)
        for top, members in by_repository.items():
            self._asked.add(top)
            ignored = self._ask_git(top, members)
            if ignored is not None:
                self._ignored[top] = ignored

    def _ask_git(self, top: str, members: list[str]) -> set[str] | None:
        import subprocess  # only when a directory is walked in a repository

        specs = [relative_to(path, top) or "." for path in members]
        ignored: set[str] = set()
        for chunk in _chunks(sorted(set(specs))):
            self.git_runs += 1
            try:
                result = subprocess.run(
                    ["git", "--literal-pathspecs", "ls-files", "-z", "--others", "--ignored",
                     "--exclude-standard", "--directory", "--", *chunk],
                    cwd=top,
                    env={k: v for k, v in os.environ.items() if k not in _GIT_ENV_DROPPED},
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    timeout=120,
                    check=False,
                )
            except (OSError, subprocess.SubprocessError):
                return None
            if result.returncode != 0:
                return None
            ignored.update(os.fsdecode(entry) for entry in result.stdout.split(b"\0") if entry)
        return {entry[2:] if entry.startswith("./") else entry for entry in ignored}

    def ignored(self, path: str, is_dir: bool) -> bool:
        absolute = os.path.abspath(path)
        top = find_repository(absolute if is_dir else os.path.dirname(absolute))
        if top is not None and top not in self._asked:  # not prepared for: the whole repository, once
            self.prepare([top])
        if top is not None and top in self._ignored:
            entries = self._ignored[top]
            if "" in entries or "./" in entries:
                return True
            relative = relative_to(absolute, top)
            if relative is None:
                return False
            parts = relative.split("/")
            if relative in entries or (is_dir and relative + "/" in entries):
                return True
            return any("/".join(parts[:depth]) + "/" in entries for depth in range(1, len(parts)))
        return self._fallback.ignored(absolute, is_dir, top)


def _chunks(specs: list[str]) -> Iterable[list[str]]:
    chunk: list[str] = []
    size = 0
    for spec in specs:
        if chunk and size + len(spec) > _MAX_ARGUMENT_BYTES:
            yield chunk
            chunk, size = [], 0
        chunk.append(spec)
        size += len(spec) + 1
    if chunk:
        yield chunk


class _Fallback:
    """``.gitignore`` files read by this process (see the module docstring for what is supported). Each
    directory's file is read once, and each directory's verdict is kept, so a file costs one test of its name."""

    def __init__(self) -> None:
        self._patterns: dict[str, list[Glob]] = {}  # directory -> its .gitignore's patterns, in order
        self._chains: dict[tuple[str, str | None], tuple[str, ...]] = {}
        self._directories: dict[tuple[str, str | None], bool] = {}

    def _of(self, directory: str, top: str | None) -> list[Glob]:
        cached = self._patterns.get(directory)
        if cached is None:
            cached = _read_patterns(os.path.join(directory, ".gitignore"))
            if top is not None and directory == top:
                cached = _read_patterns(os.path.join(top, ".git", "info", "exclude")) + cached
            self._patterns[directory] = cached
        return cached

    def _chain(self, directory: str, top: str | None) -> tuple[str, ...]:
        """The directories from ``top`` (or the filesystem root) down to ``directory`` that have patterns."""
        key = (directory, top)
        chain = self._chains.get(key)
        if chain is None:
            parent = os.path.dirname(directory)
            above: tuple[str, ...] = () if directory == top or parent == directory else self._chain(parent, top)
            chain = self._chains[key] = above + ((directory,) if self._of(directory, top) else ())
        return chain

    def ignored(self, absolute: str, is_dir: bool, top: str | None) -> bool:
        """Is ``absolute`` or one of its directories ignored by a ``.gitignore`` between ``top`` (or the
        filesystem root) and it? An ignored directory ignores everything below it."""
        parent = os.path.dirname(absolute)
        if parent == absolute or absolute == top:
            return False
        if self._directory_ignored(parent, top):
            return True
        return self._matches(absolute, is_dir, self._chain(parent, top))

    def _directory_ignored(self, directory: str, top: str | None) -> bool:
        key = (directory, top)
        verdict = self._directories.get(key)
        if verdict is None:
            verdict = self._directories[key] = self.ignored(directory, True, top)
        return verdict

    def _matches(self, candidate: str, is_dir: bool, chain: tuple[str, ...]) -> bool:
        verdict = False  # the last matching pattern decides; a deeper .gitignore comes later
        for directory in chain:
            relative = relative_to(candidate, directory)
            if relative is None:
                continue
            for glob in self._patterns[directory]:
                if glob.matches(relative, is_dir):
                    verdict = not glob.negated
        return verdict


def _read_patterns(path: str) -> list[Glob]:
    """The patterns of one ``.gitignore`` (a missing or unreadable file has none; so has a bad line)."""
    from sam_shift_lint.parsing.document import read_bytes
    from sam_shift_lint.parsing.errors import DocumentError

    try:
        text = read_bytes(path, 1024 * 1024).decode("utf-8", errors="replace")
    except DocumentError:
        return []
    patterns = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        line = _strip_trailing_spaces(line)
        negated = line.startswith("!")  # an escaped "\!" or "\#" stays escaped: the glob reads it as the character
        if negated:
            line = line[1:]
        try:
            glob = compile_glob(line)
        except GlobError:
            continue
        patterns.append(glob.negate() if negated else glob)
    return patterns


def _strip_trailing_spaces(line: str) -> str:
    """Trailing spaces are dropped unless quoted with a backslash (``man gitignore``)."""
    end = len(line)
    while end > 0 and line[end - 1] == " " and not (end > 1 and line[end - 2] == "\\"):
        end -= 1
    text = line[:end]
    return text[:-2] + " " if text.endswith("\\ ") else text
