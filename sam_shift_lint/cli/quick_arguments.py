"""The command line without argparse, for the invocations a pre-commit hook makes on every commit.

Why: importing argparse, building the parser (40 flags) and the translation lookup its messages make cost about
a twelfth of a run that checks one template, most of which is start-up. A command line made only of paths and
flags that take no value (``sam-shift-lint --force-exclude --fix a.yaml b.yaml``, what this project's hooks
run) is read here, into exactly the values argparse gives it (``tests/test_quick_arguments.py`` compares the
two on generated command lines). Anything else (a flag with a value, ``-h``, ``--version``, ``-``, ``--``, an
abbreviation, combined short flags, no path at all, paths on both sides of a flag) is left to argparse
(:func:`.parser.build_parser`), with its messages and its errors.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import argparse

# Each flag that takes no value: the attribute it sets and the value it sets it to.
FLAGS: dict[str, tuple[str, Any]] = {
    "--report-unused-suppressions": ("report_unused_suppressions", True),
    "--list-rules": ("list_rules", True),
    "--exit-zero": ("exit_zero", True),
    "-b": ("ignore_bad_template", True),
    "--ignore-bad-template": ("ignore_bad_template", True),
    "--isolated": ("isolated", True),
    "--show-settings": ("show_settings", True),
    "--respect-gitignore": ("respect_gitignore", True),
    "--no-respect-gitignore": ("respect_gitignore", False),
    "--force-exclude": ("force_exclude", True),
    "--no-force-exclude": ("force_exclude", False),
    "--statistics": ("statistics", True),
    "-q": ("quiet", True),
    "--quiet": ("quiet", True),
    "--fix": ("fix", True),
    "--diff": ("diff", True),
    "--unsafe-fixes": ("unsafe_fixes", True),
    "--show-fixes": ("show_fixes", True),
    "--fix-only": ("fix_only", True),
    "--exit-non-zero-on-fix": ("exit_non_zero_on_fix", True),
}

# What argparse gives every attribute when its flag is absent (lists are copied for each command line).
DEFAULTS: dict[str, Any] = {
    "paths": [],
    "format": "text",
    "select": None,
    "extend_select": [],
    "ignore": [],
    "report_unused_suppressions": None,
    "stdin_filename": None,
    "list_rules": False,
    "exit_zero": False,
    "fail_on": None,
    "ignore_bad_template": None,
    "jobs": 0,
    "config": None,
    "isolated": False,
    "show_settings": False,
    "exclude": None,
    "extend_exclude": [],
    "respect_gitignore": None,
    "force_exclude": None,
    "statistics": False,
    "quiet": False,
    "output_file": None,
    "fix": False,
    "diff": False,
    "unsafe_fixes": None,
    "show_fixes": False,
    "fix_only": False,
    "exit_non_zero_on_fix": False,
    "alias_name": None,
    "deployment_type": None,
    "placement": None,
    "region": None,
    "account_id": None,
    "policy_profile": None,
}


def quick_arguments(arguments: list[str]) -> argparse.Namespace | None:
    """The parsed command line when it is paths and value-less flags only (see the module docstring); else None."""
    values = {name: list(value) if isinstance(value, list) else value for name, value in DEFAULTS.items()}
    paths: list[str] = []
    paths_ended = False  # argparse takes one run of paths: `a --fix b` is an error there
    for argument in arguments:
        flag = FLAGS.get(argument)
        if flag is not None:
            values[flag[0]] = flag[1]
            paths_ended = bool(paths)
        elif argument.startswith("-") or not argument or paths_ended:
            return None
        else:
            paths.append(argument)
    if not paths:
        return None
    values["paths"] = paths
    return cast("argparse.Namespace", SimpleNamespace(**values))
