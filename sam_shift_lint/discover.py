"""Which files to check: explicit files, directories walked recursively, or standard input.

A walk skips what the configuration excludes (``exclude``, default: hidden directories and the usual build and
dependency folders; ``extend-exclude``; the command line's ``--exclude``/``--extend-exclude``) and, with
``respect-gitignore`` (the default), what git ignores (:mod:`sam_shift_lint.gitignore`). Files and directories
named on the command line are taken as named, as ruff does, unless ``force-exclude`` is on: then the same
exclusions apply to them too (pre-commit passes every changed file by name; the published hooks pass
``--force-exclude``).

A directory that cannot be listed is not skipped silently: it becomes a :class:`Source` with an ``error``
(reported like a file that cannot be read), and the walk goes on with the rest. So does a configuration file
that cannot be used (once; what it governs is not checked).
"""
from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from sam_shift_lint.config import ConfigError
from sam_shift_lint.project import Project
from sam_shift_lint.records import record

if TYPE_CHECKING:  # pragma: no cover
    from sam_shift_lint.gitignore import GitIgnore

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")


@record
class Source:
    """A file to check. ``raw`` is set for standard input; ``explicit`` when the user named it; ``error`` when
    it could not even be listed (a directory that cannot be read, a configuration that cannot be used)."""

    path: str
    display: str
    explicit: bool
    raw: bytes | None = None
    error: str | None = None
    excluded: bool = False  # standard input whose --stdin-filename is excluded (--force-exclude): not checked
    is_config: bool = False  # ``error`` is about a configuration file (reported once per run)


class _Walker:
    def __init__(self, project: Project) -> None:
        self.project = project
        self._gitignore: GitIgnore | None = None
        self.reported: set[str] = set()  # configuration files already reported as unusable

    @property
    def gitignore(self) -> GitIgnore:
        """Made when a walk or ``force-exclude`` needs it (a run on named files never does)."""
        if self._gitignore is None:
            from sam_shift_lint.gitignore import GitIgnore

            self._gitignore = GitIgnore()
        return self._gitignore

    def skipped(self, path: str, is_dir: bool, whole_path: bool = False) -> bool:
        """Excluded by the configuration or ignored by git? (ConfigError when the governing configuration is
        unusable.)"""
        if self.project.excluded(path, is_dir, whole_path):
            return True
        # the configuration of the directory holding the entry decides, as for exclude
        return self.project.respect_gitignore(os.path.dirname(os.path.abspath(path))) and self.gitignore.ignored(path, is_dir)

    def config_error(self, error: ConfigError) -> Iterator[Source]:
        if error.path not in self.reported:
            self.reported.add(error.path)
            yield Source(error.path, error.path, True, error=str(error), is_config=True)


def iter_sources(
    paths: list[str], stdin_filename: str | None, read_stdin: Callable[[], bytes], project: Project | None = None
) -> Iterator[Source]:
    """The sources of one run, in the order given (a directory's files sorted)."""
    walker = _Walker(project or Project(isolated=True))
    try:
        force = walker.project.force_exclude()
    except ConfigError as error:
        yield from walker.config_error(error)
        force = False
    _prepare_gitignore(walker, paths, stdin_filename, force)
    for path in paths:
        if path == "-":
            name = stdin_filename or "-"
            excluded = bool(force and stdin_filename and _skipped_explicit(walker, stdin_filename, False))
            yield Source(name, name, True, read_stdin(), excluded=excluded)
        elif os.path.isdir(path):
            if force and _skipped_explicit(walker, path, True):
                continue
            yield from _walk(walker, path)
        else:
            if force and _skipped_explicit(walker, path, False):
                continue
            yield Source(path, path, True)


def _skipped_explicit(walker: _Walker, path: str, is_dir: bool) -> bool:
    try:
        return walker.skipped(path, is_dir, whole_path=True)
    except ConfigError:
        return False  # reported when the file's settings are looked up


def _prepare_gitignore(walker: _Walker, paths: list[str], stdin_filename: str | None, force: bool) -> None:
    """One git process per repository for the whole run: the directories to walk and, with ``force-exclude``,
    the files named."""
    wanted = []
    for path in paths:
        if path == "-":
            path = stdin_filename or ""
            if not (force and path):
                continue
        elif not (force or os.path.isdir(path)):
            continue
        directory = path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))
        try:
            if walker.project.respect_gitignore(directory):
                wanted.append(path)
        except ConfigError:
            continue
    if wanted:
        walker.gitignore.prepare(wanted)


def _walk(walker: _Walker, directory: str) -> Iterator[Source]:
    failed: list[OSError] = []
    for root, dirs, files in os.walk(directory, onerror=failed.append):
        yield from _unlisted(failed)
        try:
            dirs[:] = sorted(d for d in dirs if not walker.skipped(os.path.join(root, d), True))
            names = [name for name in sorted(files) if name.lower().endswith(TEMPLATE_SUFFIXES)]
            kept = [os.path.join(root, name) for name in names if not walker.skipped(os.path.join(root, name), False)]
        except ConfigError as error:
            dirs[:] = []
            yield from walker.config_error(error)
            continue
        for path in kept:
            yield Source(path, path, False)
    yield from _unlisted(failed)


def _unlisted(failed: list[OSError]) -> Iterator[Source]:
    """A Source with an error for each directory ``os.walk`` could not list since the last call."""
    while failed:
        error = failed.pop(0)
        path = os.fsdecode(error.filename) if error.filename is not None else "?"
        yield Source(path, path, False, error=f"cannot read directory: {_reason(error)}")


def _reason(error: OSError) -> str:
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return error.strerror or str(error)
