"""The keys of a configuration table, and the checks that need nothing but the file: types, choices, globs,
profile file paths. Whether a rule id, an alias or a region is valid is decided one layer up
(:mod:`sam_shift_lint.project`), with the same kind of error."""
from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from sam_shift_lint.config import ConfigError
from sam_shift_lint.config.globs import Glob, GlobError, compile_glob
from sam_shift_lint.config.named_files import inside, unusable
from sam_shift_lint.settings import FAIL_ON, PLACEMENTS

if TYPE_CHECKING:  # pragma: no cover
    from sam_shift_lint.config.pairing import DeployKey

__all__ = ["FAIL_ON", "KEYS", "MAX_PROFILE_BYTES", "Config", "ConfigError", "read_table", "toml_key"]
MAX_PROFILE_BYTES = 1024 * 1024  # a profile file larger than this is refused (the bundled ones are a few KB)


# key -> (Config field, reader method name or choice list)
KEYS: dict[str, tuple[str, str | tuple[str, ...]]] = {
    "select": ("select", "strings"),
    "extend-select": ("extend_select", "strings"),
    "ignore": ("ignore", "strings"),
    "report-unused-suppressions": ("report_unused_suppressions", "boolean"),
    "per-file-ignores": ("per_file_ignores", "per_file_ignores"),
    "exclude": ("exclude", "globs"),
    "extend-exclude": ("extend_exclude", "globs"),
    "respect-gitignore": ("respect_gitignore", "boolean"),
    "force-exclude": ("force_exclude", "boolean"),
    "ignore-bad-template": ("ignore_bad_template", "boolean"),
    "fail-on": ("fail_on", FAIL_ON),
    "unsafe-fixes": ("unsafe_fixes", "boolean"),
    "alias-name": ("alias_name", "string"),
    "deployment-type": ("deployment_type", "string"),
    "placement": ("placement", PLACEMENTS),
    "region": ("region", "string"),
    "account-id": ("account_id", "string"),
    "policy-profiles": ("policy_profiles", "policy_profiles"),
    "profiles": ("profiles", "profiles"),
    "deploy-roles": ("deploy_roles", "deploy_roles"),
}


_FIELDS = tuple(KEYS.values())


class Config:
    """One configuration table, checked. A field is None when the file does not set it. ``root`` is the
    directory relative paths and globs are resolved from; ``prefix`` is how its keys are named in messages
    (``tool.sam-shift-lint.`` in a pyproject.toml). (A plain class, as the other records made on every run of
    the command: cheap to define.)"""

    __slots__ = ("path", "prefix", "root", *(field for field, _ in _FIELDS))

    path: str
    root: str
    prefix: str
    select: tuple[str, ...] | None
    extend_select: tuple[str, ...] | None
    ignore: tuple[str, ...] | None
    report_unused_suppressions: bool | None
    per_file_ignores: tuple[tuple[Glob, tuple[str, ...]], ...] | None
    exclude: tuple[Glob, ...] | None
    extend_exclude: tuple[Glob, ...] | None
    respect_gitignore: bool | None
    force_exclude: bool | None
    ignore_bad_template: bool | None
    fail_on: str | None
    unsafe_fixes: bool | None
    alias_name: str | None
    deployment_type: str | None
    placement: str | None
    region: str | None
    account_id: str | None
    policy_profiles: tuple[tuple[Glob, str], ...] | None
    profiles: tuple[tuple[str, str], ...] | None  # (name, absolute path of a checked profile file)
    deploy_roles: tuple[tuple[DeployKey, tuple[Glob, ...]], ...] | None  # policy side -> template globs (unresolved)

    def __init__(self, path: str, root: str, prefix: str = "", **values: Any) -> None:
        self.path, self.root, self.prefix = path, root, prefix
        for field, _ in _FIELDS:
            setattr(self, field, values.pop(field, None))
        if values:
            raise TypeError(f"unknown configuration fields: {sorted(values)}")

    def key(self, name: str) -> str:
        """A key's name as written in the file (for messages)."""
        return self.prefix + name

    def error(self, name: str, problem: str) -> ConfigError:
        return ConfigError(self.path, self.key(name), problem)


class _Reader:
    """Checks one table's values (every key of :data:`KEYS`), collecting them for :class:`Config`."""

    def __init__(self, path: str, root: str, prefix: str, repository: str | None) -> None:
        self.path, self.root, self.prefix, self.repository = path, root, prefix, repository

    def fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(self.path, self.prefix + key, problem)

    def strings(self, key: str, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.fail(key, f"must be a list of strings, not {_describe(value)}")
        for item in value:
            if not item.strip():
                raise self.fail(key, "holds an empty string")
        return tuple(item.strip() for item in value)

    def globs(self, key: str, value: Any) -> tuple[Glob, ...]:
        return tuple(self.glob(key, pattern) for pattern in self.strings(key, value))

    def glob(self, key: str, pattern: str, allow_negation: bool = False) -> Glob:
        try:
            return compile_glob(pattern, allow_negation)
        except GlobError as error:
            raise self.fail(key, f"pattern {pattern!r} {error}") from None

    def boolean(self, key: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise self.fail(key, f"must be true or false, not {_describe(value)}")
        return value

    def string(self, key: str, value: Any) -> str:
        if not isinstance(value, str):
            raise self.fail(key, f"must be a string, not {_describe(value)}")
        return value

    def choice(self, choices: tuple[str, ...]) -> Callable[[str, Any], str]:
        def read(key: str, value: Any) -> str:
            text = self.string(key, value)
            if text not in choices:
                raise self.fail(key, f"{text!r} is not one of {', '.join(choices)}")
            return text

        return read

    def table(self, key: str, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(key, f"must be a table, not {_describe(value)}")
        return value

    def per_file_ignores(self, key: str, value: Any) -> tuple[tuple[Glob, tuple[str, ...]], ...]:
        entries = []
        for pattern, ids in self.table(key, value).items():
            entry = f"{key}.{toml_key(pattern)}"
            entries.append((self.glob(entry, pattern, allow_negation=True), self.strings(entry, ids)))
        return tuple(entries)

    def policy_profiles(self, key: str, value: Any) -> tuple[tuple[Glob, str], ...]:
        entries = []
        for pattern, name in self.table(key, value).items():
            entry = f"{key}.{toml_key(pattern)}"
            text = self.string(entry, name)
            if not text:
                raise self.fail(entry, "names no profile")
            entries.append((self.glob(entry, pattern), text))
        return tuple(entries)

    def profiles(self, key: str, value: Any) -> tuple[tuple[str, str], ...]:
        entries = []
        for name, location in self.table(key, value).items():
            entry = f"{key}.{toml_key(name)}"
            if not name or "/" in name or "\\" in name or name.endswith(".json"):
                raise self.fail(entry, "a profile name is a plain name such as team-deploy (its value is the file)")
            entries.append((name, self.profile_file(entry, self.string(entry, location))))
        return tuple(entries)

    def deploy_roles(self, key: str, value: Any) -> tuple[tuple[DeployKey, tuple[Glob, ...]], ...]:
        """``policy glob`` or ``template glob#RoleLogicalId`` -> template globs (a string or a list; the files are
        found when a file matching the key is checked: :func:`sam_shift_lint.config.pairing.resolve`)."""
        from sam_shift_lint.config.pairing import parse_key

        entries = []
        for pattern, templates in self.table(key, value).items():
            entry = f"{key}.{toml_key(pattern)}"
            try:
                parsed = parse_key(pattern)
            except GlobError as error:
                raise self.fail(entry, f"pattern {pattern!r} {error}") from None
            items = [templates] if isinstance(templates, str) else templates
            if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
                raise self.fail(entry, f"must be a template glob or a list of them, not {_describe(templates)}")
            if not all(item.strip() for item in items):
                raise self.fail(entry, "holds an empty string")
            entries.append((parsed, tuple(self._template_glob(entry, item) for item in items)))
        return tuple(entries)

    def _template_glob(self, key: str, pattern: str) -> Glob:
        from sam_shift_lint.config.pairing import parse_template_glob

        try:
            return parse_template_glob(pattern.strip())
        except GlobError as error:
            raise self.fail(key, f"pattern {pattern!r} {error}") from None

    def profile_file(self, key: str, location: str) -> str:
        """The absolute path of a declared profile file: relative to the root, inside the repository holding the
        root (or the root itself outside a repository), a regular file of at most ``MAX_PROFILE_BYTES``. Only
        checked here (``stat``); the one reader (``checks/iam/options.py``) checks again on the open file."""
        if not location or "\x00" in location:
            raise self.fail(key, "names no file")
        path = os.path.realpath(os.path.join(self.root, location))
        boundary = os.path.realpath(self.repository or self.root)
        if not inside(path, boundary):
            where = "the repository" if self.repository else "the configuration's directory"
            raise self.fail(key, f"{location!r} is outside {where} ({boundary}); a profile file must be inside it")
        problem = unusable(path, location, MAX_PROFILE_BYTES)
        if problem is not None:
            raise self.fail(key, problem)
        return path


def read_table(data: Mapping[str, Any], path: str, root: str, prefix: str, repository: str | None) -> Config:
    """The checked :class:`Config` of one table (the ``[tool.sam-shift-lint]`` table, or a whole
    ``.sam-shift-lint.toml``); the first unknown key or bad value raises :class:`ConfigError`."""
    reader = _Reader(path, root, prefix, repository)
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in KEYS:
            raise reader.fail(key, "unknown key" + _suggestion(key))
        field, kind = KEYS[key]
        read = reader.choice(kind) if isinstance(kind, tuple) else getattr(reader, kind)
        values[field] = read(key, value)
    return Config(path, root, prefix, **values)


def _suggestion(key: str) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(KEYS), n=1)
    known = ", ".join(KEYS)
    return f" (did you mean {close[0]!r}?)" if close else f" (known keys: {known})"


def _describe(value: Any) -> str:
    kinds = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list", dict: "a table"}
    return next((name for kind, name in kinds.items() if isinstance(value, kind)), type(value).__name__)


def toml_key(key: str) -> str:
    """A TOML key as it would be written (bare when it can be)."""
    if key and all(char.isalnum() or char in "-_" for char in key):
        return key
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'
