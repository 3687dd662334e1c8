"""``--show-settings``: the settings that apply to a file or directory, as TOML (each key with where its value
comes from), then what they mean for that path: the rules that run, its policy profile, whether it is skipped."""
from __future__ import annotations

import json
import os
import sys
from typing import Any

from sam_shift_lint.config import ConfigError
from sam_shift_lint.config.schema import KEYS, Config
from sam_shift_lint.output.escape import escape
from sam_shift_lint.project import DEFAULT_EXCLUDE, FileSettings, Overrides, Project

DEFAULTS: dict[str, Any] = {
    "select": None,
    "extend-select": [],
    "ignore": [],
    "report-unused-suppressions": False,
    "per-file-ignores": {},
    "exclude": list(DEFAULT_EXCLUDE),
    "extend-exclude": [],
    "respect-gitignore": True,
    "force-exclude": False,
    "ignore-bad-template": False,
    "fail-on": "warning",
    "unsafe-fixes": False,
    "alias-name": "live",
    "deployment-type": "AllAtOnce",
    "placement": "auto",
    "region": None,
    "account-id": None,
    "policy-profiles": {},
    "profiles": {},
    "deploy-roles": {},
}
UNSET = {
    "select": "every rule that is on by default",
    "region": "what all of a policy file's ARNs agree on",
    "account-id": "what all of a policy file's ARNs agree on",
}


def show_settings(project: Project, paths: list[str]) -> int:
    """Print the settings for each path; exit code 2 when a configuration is unusable."""
    blocks = [_block(project, path) for path in paths]
    sys.stdout.write("\n".join(block for block in blocks if block is not None))
    return 2 if None in blocks else 0


def _block(project: Project, path: str) -> str | None:
    try:
        return describe(project, path)
    except ConfigError as error:
        print(escape(f"{error.path}: error: {error}"), file=sys.stderr)
        return None


def describe(project: Project, path: str) -> str:
    is_dir = os.path.isdir(path)
    probe = os.path.join(path, "_") if is_dir else path  # a directory's settings: those of a file directly in it
    settings = project.settings_for(probe)
    config = settings.config
    lines = [f"# Settings for {escape(path)}{' (a directory: for the files directly in it)' if is_dir else ''}"]
    if config is not None:
        table = f" [{config.prefix.rstrip('.')}]" if config.prefix else ""
        lines.append(f"# Configuration: {escape(config.path)}{table}; relative paths from {escape(config.root)}")
    else:
        lines.append("# Configuration: none found (defaults)")
    for key, (field, _kind) in KEYS.items():
        value, source = _value(key, field, config, project.overrides)
        if value is None:
            lines.append(f"# {key}: not set ({UNSET.get(key, 'none')})")
        else:
            lines.append(f"{key} = {_toml(value)}  # {source}")
    lines.append("")
    lines.extend(_meaning(project, path, is_dir, settings))
    return "\n".join(lines) + "\n"


def _value(key: str, field: str, config: Config | None, overrides: Overrides) -> tuple[Any, str]:
    flag = _override(key, overrides)
    if flag is not None:
        return flag
    configured = getattr(config, field) if config is not None else None
    if configured is not None:
        return _plain(configured), os.path.basename(config.path) if config is not None else ""
    return DEFAULTS[key], "default"


def _override(key: str, overrides: Overrides) -> tuple[Any, str] | None:
    field = key.replace("-", "_")
    value = getattr(overrides, field, None)
    if value is None or value == ():
        return None
    return (list(value) if isinstance(value, tuple) else value), f"--{key}"


def _plain(value: Any) -> Any:
    """A configuration value as it was written (globs as their patterns, tables as dicts)."""
    if isinstance(value, tuple) and value and isinstance(value[0], tuple) and len(value[0]) == 2:
        return {(_pattern(k)): _plain(v) for k, v in value}
    if isinstance(value, tuple):
        return [_pattern(item) for item in value]
    return value


def _pattern(item: Any) -> Any:
    return getattr(item, "pattern", item)


def _toml(value: Any) -> str:
    """A value in TOML's inline syntax (JSON's strings and lists are TOML's too)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k)} = {_toml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return json.dumps(value)


def _pairing(path: str, settings: FileSettings) -> list[str]:
    """What the file deploys (E9206, W9207), from the configuration's deploy-roles or an automatic layout."""
    lint = settings.lint
    if not lint.deploys_source:
        return ["#   deploys (E9206, W9207): nothing paired"]
    base = os.path.dirname(os.path.abspath(path))
    lines = []
    for role, templates in lint.deploys:
        who = f"role {role}" if role else "it"
        shown = ", ".join(os.path.relpath(t, base) for t in templates) or "nothing"
        lines.append(f"#   deploys (E9206, W9207): {who} deploys {shown} ({lint.deploys_source})")
    return lines


def _meaning(project: Project, path: str, is_dir: bool, settings: FileSettings) -> list[str]:
    ids = [rule.META.id for rule in settings.rules]
    lines = ["# What this means here:", f"#   rules that run ({len(ids)}): {', '.join(ids) or 'none'}"]
    if settings.ignored_here:
        lines.append(f"#   taken away by per-file-ignores: {', '.join(settings.ignored_here)}")
    if not is_dir:
        profile = settings.lint.policy_profile
        lines.append(f"#   policy profile (if it is a policy file): {profile} ({settings.policy_profile_source})" if profile else
                     "#   policy profile (if it is a policy file): by its name (deploy-role for *CloudFormationRolePolicy*)")
        lines.extend(_pairing(path, settings))
    excluded = project.excluded(path, is_dir, whole_path=True)
    lines.append(f"#   excluded (exclude, extend-exclude): {'yes' if excluded else 'no'}")
    ignored = False
    if project.respect_gitignore(os.path.dirname(os.path.abspath(path))):
        from sam_shift_lint.gitignore import GitIgnore

        ignored = GitIgnore().ignored(path, is_dir)
        lines.append(f"#   ignored by git (respect-gitignore): {'yes' if ignored else 'no'}")
    skipped = excluded or ignored
    lines.append(f"#   found in a directory walk: {'skipped' if skipped else 'checked'}")
    named = "skipped (force-exclude)" if skipped and project.force_exclude() else "checked"
    lines.append(f"#   named on the command line: {named}{' (skipped with --force-exclude)' if skipped and named == 'checked' else ''}")
    return [escape(line) for line in lines]
