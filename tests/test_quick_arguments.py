"""The command line read without argparse (``sam_shift_lint.cli.quick_arguments``) means exactly what argparse
makes of it, and everything else is left to argparse."""
from __future__ import annotations

import contextlib
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from sam_shift_lint.cli.parser import build_parser
from sam_shift_lint.cli.quick_arguments import DEFAULTS, FLAGS, quick_arguments

PARSER = build_parser()
# Every flag the parser knows, value-less or not, abbreviations, short-flag clusters, separators and paths.
TOKENS = [
    *FLAGS,
    *(option for action in PARSER._actions for option in action.option_strings),
    "--fi", "--force", "-qb", "--", "-", "", "-1", "a.yaml", "dir/", "@args", "x y.json", "--fix=1", "json", "E9201",
]


def _argparse(arguments: list[str]) -> dict[str, object] | None:
    """What argparse makes of the command line (None where it exits: an error, --help, --version)."""
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        try:
            return vars(PARSER.parse_args(arguments))
        except SystemExit:
            return None


def test_the_defaults_and_flags_are_the_parsers() -> None:
    assert DEFAULTS == vars(PARSER.parse_args([]))
    for flag, (name, value) in FLAGS.items():
        assert _argparse([flag, "a.yaml"]) == {**DEFAULTS, "paths": ["a.yaml"], name: value}
    value_less = {
        option
        for action in PARSER._actions
        if action.nargs == 0 and action.dest not in ("help", "version")
        for option in action.option_strings
    }
    assert value_less == set(FLAGS)  # every flag without a value is read quickly, and nothing else


def test_what_pre_commit_runs_is_read_quickly() -> None:
    for arguments in (["a.yaml"], ["--force-exclude", "a.yaml", "b.yml"], ["--force-exclude", "--fix", "t/template.json"]):
        quick = quick_arguments(arguments)
        assert quick is not None and vars(quick) == _argparse(arguments)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(TOKENS) | st.text(max_size=4), max_size=7))
def test_a_quickly_read_command_line_is_what_argparse_reads(arguments: list[str]) -> None:
    quick = quick_arguments(arguments)
    if quick is not None:
        assert vars(quick) == _argparse(arguments)
        assert quick.paths and all(not path.startswith("-") for path in quick.paths)


def test_lists_are_not_shared_between_command_lines() -> None:
    first, second = quick_arguments(["a.yaml"]), quick_arguments(["b.yaml"])
    assert first is not None and second is not None
    first.extend_select.append("W9101")
    assert second.extend_select == [] and DEFAULTS["extend_select"] == []
