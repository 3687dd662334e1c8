"""The language server's settings: the command line's options (:mod:`sam_shift_lint.options`), sent by the
client as ``initializationOptions`` and ``workspace/didChangeConfiguration`` (or answered to
``workspace/configuration`` for the section ``sam-shift-lint``).

Keys are the long flags without dashes (``select``, ``ignore``, ``report-unused-suppressions``, ``unsafe-fixes``,
``alias-name``, ``deployment-type``, ``placement``, ``region``, ``account-id``), also accepted in camelCase or
snake_case (``unsafeFixes``, ``alias_name``); the object may be wrapped in ``{"sam-shift-lint": {...}}`` or
``{"settings": {...}}``. ``select``/``ignore`` take a list or a comma-separated string. A later payload
changes only the keys it names. A bad key or value never stops the server: it is reported to the user
(``window/showMessage``) and that key keeps its previous value.

The configuration file (``[tool.sam-shift-lint]`` in ``pyproject.toml``, ``.sam-shift-lint.toml``: see
:mod:`sam_shift_lint.project`) found from the document's path (an untitled buffer: the server's working
directory) applies as it does for the command, and the options the client set are the layer on top, as the
command's flags are: ``select`` replaces the configuration's selection, ``ignore`` adds to it, the others win
where the client set them. A configuration file is read again for every check (a few stat calls and, when
there is one, a small TOML parse), so an edited one applies at the next check of each buffer; saving one in
the editor re-checks every open buffer. A configuration that cannot be used is shown to the user once
(``window/showMessage``) and the buffer is checked with the client's options alone.

A ``resolver`` (``ServerSettings(resolver=...)``) replaces all of that: "which options check this document".
"""
from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from typing import Any

from sam_shift_lint.options import OPTION_NAMES, OptionError, Options, Resolved, resolve

SECTION = "sam-shift-lint"
_WRAPPERS = (SECTION, "samShiftLint", "sam_shift_lint", "settings")
_LIST_OPTIONS = ("select", "ignore")
_BOOL_OPTIONS = ("report-unused-suppressions", "unsafe-fixes")
_OPTIONAL_OPTIONS = ("region", "account-id")

# (the document's path or None, the client's options) -> the options that check the document
Resolver = Callable[[str | None, Options], Options]


def option_name(key: str) -> str:
    """``unsafeFixes`` / ``unsafe_fixes`` / ``unsafe-fixes`` -> ``unsafe-fixes``."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", key).replace("_", "-").lower()


def unwrap(payload: object) -> object:
    """The settings object inside a client's payload (``{"sam-shift-lint": {...}}`` and the like)."""
    while isinstance(payload, Mapping):
        inner = next((payload[key] for key in _WRAPPERS if key in payload), None)
        if inner is None or not isinstance(inner, Mapping):
            break
        payload = inner
    return payload


def merge(base: Options, payload: object) -> tuple[Options, list[str]]:
    """``base`` with the settings in ``payload`` applied; the problems found, one line each."""
    payload = unwrap(payload)
    if payload is None:
        return base, []
    if not isinstance(payload, Mapping):
        return base, [f"settings must be an object, not {type(payload).__name__}"]
    problems: list[str] = []
    changes: dict[str, Any] = {}
    for key, value in payload.items():
        name = option_name(str(key))
        if name not in OPTION_NAMES:
            problems.append(f"unknown setting '{key}' (known: {', '.join(OPTION_NAMES)})")
            continue
        converted = _value(name, value)
        if isinstance(converted, _Bad):
            problems.append(f"setting '{key}' {converted.problem}")
            continue
        changes[name.replace("-", "_")] = converted
    candidate = base._replace(**changes)
    # one bad value must not discard the good ones: drop it (keeping its old value) and validate again
    for _ in range(len(OPTION_NAMES)):
        try:
            resolve(candidate)
            break
        except OptionError as error:
            problems.append(f"setting '{error.name}' {error.problem}")
            field = error.name.replace("-", "_")
            candidate = candidate._replace(**{field: getattr(base, field)})
    return candidate, problems


class _Bad:
    def __init__(self, problem: str) -> None:
        self.problem = problem


def _value(name: str, value: object) -> object:
    if name in _LIST_OPTIONS:
        if isinstance(value, str):
            return tuple(item.strip() for item in value.split(",") if item.strip())
        if isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
            return tuple(part.strip() for item in value for part in item.split(",") if part.strip())
        return _Bad("must be a list of rule ids or prefixes")
    if name in _BOOL_OPTIONS:
        return value if isinstance(value, bool) else _Bad("must be true or false")
    if value is None and name in _OPTIONAL_OPTIONS:
        return None
    if isinstance(value, str):
        return value
    return _Bad("must be a string")


class ServerSettings:
    """The client's options, and the options each document is checked with."""

    def __init__(self, resolver: Resolver | None = None, configuration: bool = True) -> None:
        self.client = Options()
        self.resolver = resolver
        self.configuration = configuration and resolver is None
        self.client_set: set[str] = set()  # the options the client named (with a value that was accepted)
        self.config_problems: list[str] = []  # unusable configuration files, to show once
        self._shown: set[str] = set()
        self._resolved: dict[Options, Resolved] = {}

    def update(self, payload: object) -> list[str]:
        """Apply a client payload; the problems found."""
        self.client, problems = merge(self.client, payload)
        body = unwrap(payload)
        if isinstance(body, Mapping):
            rejected = {option_name(name) for problem in problems for name in re.findall(r"setting '([^']+)'", problem)}
            self.client_set |= {option_name(str(key)) for key in body} & set(OPTION_NAMES) - rejected
        return problems

    def options_for(self, path: str | None) -> Options:
        """The options that check the document at ``path`` (None: an unsaved, untitled buffer)."""
        return self.resolver(path, self.client) if self.resolver is not None else self.client

    def resolved_for(self, path: str | None) -> Resolved:
        """What checks the document at ``path``: the configuration file that applies to it under the client's
        options (see the module docstring), or with a ``resolver``, :meth:`options_for` validated."""
        if self.configuration:
            resolved = self._configured(path)
            if resolved is not None:
                return resolved
        options = self.options_for(path)
        if options not in self._resolved:
            try:
                self._resolved[options] = resolve(options)
            except OptionError:  # a resolver's bad value: the defaults rather than no diagnostics at all
                self._resolved[options] = resolve(Options())
        return self._resolved[options]

    def _configured(self, path: str | None) -> Resolved | None:
        """The configuration file's settings under the options the client set; None when it cannot be used."""
        from sam_shift_lint.project import ConfigError, Overrides, Project

        client, named = self.client, self.client_set

        def given(name: str) -> Any:
            return getattr(client, name.replace("-", "_")) if name in named else None

        overrides = Overrides(
            select=given("select"),
            ignore=given("ignore") or (),
            report_unused_suppressions=given("report-unused-suppressions"),
            unsafe_fixes=given("unsafe-fixes"),
            alias_name=given("alias-name"),
            deployment_type=given("deployment-type"),
            placement=given("placement"),
            region=given("region"),
            account_id=given("account-id"),
        )
        target = path if path is not None and os.path.isabs(path) else "-"  # untitled: the working directory's
        try:
            settings = Project(overrides).settings_for(target)
        except ConfigError as error:
            message = f"{error.path}: {error}"
            if message not in self._shown:
                self._shown.add(message)
                self.config_problems.append(message)
            return None
        return Resolved(settings.rules, settings.lint, settings.fixes, settings.unsafe_fixes)
