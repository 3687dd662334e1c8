"""Which templates a deploy role deploys: ``[tool.sam-shift-lint.deploy-roles]``, and the one layout where the
pairing is obvious without it (a CodeStar project).

A key is a path glob of the policy side: a policy file (``iam/deploy-policy.json``), or a template holding deploy
roles, optionally narrowed to one role (``pipeline/toolchain.yml#CloudFormationRole``); its value is the
template globs that role deploys, a string or a list (an empty list: it deploys nothing here, which turns the
automatic pairing off for that file). Globs are :mod:`.globs`' (gitignore's), relative to the configuration's
directory.

Only the configuration names files here: a template (say, from a pull request) cannot make the linter open
another file. The templates are resolved inside the project (the repository holding the configuration, or its
directory outside one): a pattern with ``..`` is refused when the configuration is read, a match whose real path
(after symbolic links) leaves the project, that is not a regular file or that is larger than the size limit is a
:class:`ConfigError` naming the file and the key, and so is a glob that matches no file. The walk that resolves
globs skips what the caller says is excluded (the configuration's ``exclude``) and never follows symbolic links
to directories.

Automatic pairing (:func:`automatic`), by file names only, in one directory, for two layouts:

- a CodeStar project: a policy file whose name contains ``CloudFormationRolePolicy`` (CodeStar's
  ``CodeStarWorkerCloudFormationRolePolicy.json``), or a CodeStar ``toolchain.yml``/``toolchain.yaml``, deploys
  the ``template.yml`` (else ``template.yaml``) beside it;
- a checked-in ``sam pipeline`` bootstrap template: ``stage_resources.yaml``/``stage_resources.yml`` (the name of
  the template SAM CLI deploys as ``aws-sam-cli-managed-<stage>-pipeline-resources``,
  ``samcli/lib/pipeline/bootstrap/stage_resources.yaml``): its deploy roles (``CloudFormationExecutionRole``,
  which the generated pipelines pass to ``sam deploy --role-arn``) deploy the ``template.yaml`` (else
  ``template.yml``: ``sam pipeline init``'s default ``SAM_TEMPLATE``) beside it;

when that template is a regular file inside the same project. Nothing else is guessed: the rest of what
``sam pipeline`` writes into a repository names the roles only by ARN (README: "Automatic pairing").
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable

from sam_shift_lint.config import ConfigError
from sam_shift_lint.config.globs import Glob, GlobError, compile_glob, matches_path, relative_to
from sam_shift_lint.config.layouts import PIPELINE, PIPELINE_TEMPLATE_NAMES, TEMPLATE_NAMES, automatic_source
from sam_shift_lint.config.named_files import inside, unusable
from sam_shift_lint.parsing.errors import MAX_BYTES

__all__ = ["DeployKey", "automatic", "matching", "parse_key", "parse_template_glob", "resolve"]
_LOGICAL_ID = re.compile(r"[A-Za-z0-9]+")
_MAGIC = re.compile(r"[*?\[\\]")
MAX_ENTRIES = 200_000  # directory entries one resolution may look at (a walk of a huge tree is refused)


class DeployKey:
    """A ``deploy-roles`` key: the glob of the policy side and, after ``#``, a role's logical id (or "")."""

    __slots__ = ("glob", "pattern", "role")

    def __init__(self, pattern: str, glob: Glob, role: str) -> None:
        self.pattern = pattern  # as written (what --show-settings prints)
        self.glob = glob
        self.role = role

    def __repr__(self) -> str:
        return f"DeployKey({self.pattern!r})"


def _check_inside(text: str) -> str | None:
    """Why a pattern may name a path outside the configuration's directory, or None."""
    parts = text.replace("\\", "/").split("/")
    if ".." in parts:
        return "holds '..': pairings stay inside the configuration's directory"
    if re.match(r"[A-Za-z]:", text):
        return "is an absolute path: write it relative to the configuration's directory"
    return None


def parse_key(pattern: str) -> DeployKey:
    """The key ``pattern``; :class:`GlobError` (completing "pattern 'x' ...") when it cannot be used."""
    text, role = pattern, ""
    if "#" in pattern:
        text, _, role = pattern.rpartition("#")
        if not _LOGICAL_ID.fullmatch(role):
            raise GlobError("names a role after '#' that is not a logical id (letters and digits)")
    problem = _check_inside(text)
    if problem:
        raise GlobError(problem)
    return DeployKey(pattern, compile_glob(text), role)


def parse_template_glob(pattern: str) -> Glob:
    problem = _check_inside(pattern)
    if problem:
        raise GlobError(problem)
    return compile_glob(pattern)


Entries = tuple[tuple[DeployKey, tuple[Glob, ...]], ...]


def matching(entries: Entries, relative: str) -> list[tuple[DeployKey, tuple[Glob, ...]]]:
    """The entries whose key matches the file at ``relative`` (to the configuration's directory)."""
    return [(key, globs) for key, globs in entries if matches_path([key.glob], relative, False)]


def resolve(
    globs: tuple[Glob, ...],
    root: str,
    boundary: str,
    fail: Callable[[str], ConfigError],
    skip: Callable[[str, bool], bool] = lambda path, is_dir: False,
) -> tuple[str, ...]:
    """The files the template ``globs`` match below ``root`` (absolute, sorted), each checked: inside
    ``boundary`` after symbolic links, a regular file, at most :data:`MAX_BYTES`. ``fail(problem)`` makes the
    error; ``skip(path, is_dir)``: what the walk leaves out (exclusions). (A policy side is never paired with
    itself: the caller leaves its own file out of what the entry resolves to.)"""
    found: set[str] = set()
    budget = [MAX_ENTRIES]
    for glob in globs:
        matched = _walk(glob, root, skip, budget, fail)
        if not matched:
            raise fail(f"{glob.pattern!r} matches no file")
        found.update(matched)
    real_boundary = os.path.realpath(boundary)
    for path in sorted(found):
        shown = relative_to(path, root) or path
        if not inside(path, real_boundary):
            raise fail(f"{shown!r} leads outside the project ({real_boundary}); a paired template must be inside it")
        problem = unusable(path, shown, MAX_BYTES)
        if problem is not None:
            raise fail(problem)
    return tuple(sorted(found))


def _start(glob: Glob, root: str) -> str:
    """Where a walk for ``glob`` starts: below its literal leading directories when it is anchored."""
    if not glob.anchored:
        return root
    text = glob.pattern[1:] if glob.pattern.startswith("/") else glob.pattern
    fixed: list[str] = []
    for part in text.split("/")[:-1]:
        if _MAGIC.search(part) or part in ("", "."):
            break
        fixed.append(part)
    return os.path.join(root, *fixed) if fixed else root


def _walk(glob: Glob, root: str, skip: Callable[[str, bool], bool], budget: list[int], fail: Callable[[str], ConfigError]) -> list[str]:
    start = _start(glob, root)
    out: list[str] = []
    pending = [start] if os.path.isdir(start) else []
    while pending:
        directory = pending.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            budget[0] -= 1
            if budget[0] < 0:
                raise fail(f"{glob.pattern!r}: too many files to look at below {root}; anchor the glob in a directory")
            path = os.path.join(directory, entry.name)
            relative = relative_to(path, root)
            if relative is None:
                continue
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if skip(path, is_dir):
                continue
            if is_dir:
                pending.append(path)
            elif matches_path([glob], relative, False):
                out.append(path)
    return out


def _sibling_template(directory: str, boundary: str, names: tuple[str, ...]) -> str | None:
    """The first of ``names`` in ``directory`` that is a regular file inside ``boundary``, not too large."""
    real_boundary = os.path.realpath(boundary)
    for name in names:
        path = os.path.join(directory, name)
        if inside(path, real_boundary) and unusable(path, name, MAX_BYTES) is None:
            return path
    return None


def automatic(path: str, boundary: str | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The automatic pairing of the file ``path`` (see the module docstring), or ``()``."""
    absolute = os.path.abspath(path)
    source = automatic_source(os.path.basename(absolute))
    if not source:
        return ()
    directory = os.path.dirname(absolute)
    names = PIPELINE_TEMPLATE_NAMES if source == PIPELINE else TEMPLATE_NAMES
    template = _sibling_template(directory, boundary or directory, names)
    if template is None or template == absolute:
        return ()
    return (("", (template,)),)
