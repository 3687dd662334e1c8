"""Default text output: ruff-style lines, [*] markers and the summary."""
from __future__ import annotations

from sam_shift_lint.output import render
from sam_shift_lint.records import replace


def lines(out: str) -> list:
    return out.rstrip("\n").split("\n")


def test_lines_sorted_and_marked(mixed, rules, context) -> None:
    out = lines(render("text", mixed, rules, context))
    assert out[:4] == [
        "a/other.yaml:3:5: E3701 [*] Function has no AutoPublishAlias",
        "template.yaml:3:5: E3701 Function has no AutoPublishAlias",  # unsafe: hidden
        "template.yaml:9:3: W3702 no alarms",  # display-only: never marked
        "template.yaml:12:1: I3703 hook name",
    ]
    assert out[4] == "Found 4 problems (2 errors, 1 warning, 1 informational)."
    assert out[5] == (
        "[*] 1 fixable with the --fix option "
        "(1 hidden fix can be enabled with the --unsafe-fixes option)."
    )
    assert len(out) == 6


def test_unsafe_fixes_enabled_marks_unsafe(mixed, rules, context) -> None:
    ctx = replace(context, unsafe_fixes_enabled=True)
    out = lines(render("text", mixed, rules, ctx))
    assert out[1] == "template.yaml:3:5: E3701 [*] Function has no AutoPublishAlias"
    assert out[2] == "template.yaml:9:3: W3702 no alarms"
    assert out[-1] == "[*] 2 fixable with the --fix option."


def test_only_hidden_fixes(make_fix, finding, rules, context) -> None:
    out = lines(render("text", [finding(fix=make_fix("unsafe")), finding(line=8, fix=make_fix("unsafe"))], rules, context))
    assert "[*]" not in "\n".join(out)
    assert out[-2] == "Found 2 problems (2 errors, 0 warnings)."
    assert out[-1] == "No fixes available (2 hidden fixes can be enabled with the --unsafe-fixes option)."


def test_no_fix_hint_without_fixes(make_fix, finding, rules, context) -> None:
    out = lines(render("text", [finding("W3702", fix=make_fix("display"))], rules, context))
    assert out == ["template.yaml:3:5: W3702 Function has no AutoPublishAlias", "Found 1 problem (0 errors, 1 warning)."]


def test_show_fix_status_false_hides_markers_and_hint(mixed, rules, context) -> None:
    out = render("text", mixed, rules, replace(context, show_fix_status=False))
    assert "[*]" not in out and "--fix" not in out and "--unsafe-fixes" not in out
    assert lines(out)[-1] == "Found 4 problems (2 errors, 1 warning, 1 informational)."


def test_all_checks_passed(rules, context) -> None:
    assert render("text", [], rules, context) == "All checks passed!\n"


def test_fixed_count_all_fixed(rules, context) -> None:
    assert render("text", [], rules, replace(context, fixed=2)) == "Found 2 problems (2 fixed, 0 remaining).\n"


def test_fixed_count_some_remaining(finding, rules, context) -> None:
    out = lines(render("text", [finding()], rules, replace(context, fixed=3)))
    assert out[-1] == "Found 4 problems (3 fixed, 1 remaining: 1 error, 0 warnings)."


def test_sort_by_rule_within_position(finding, rules, context) -> None:
    out = lines(render("text", [finding("W3702"), finding("E3701")], rules, context))
    assert [line.split()[1] for line in out[:2]] == ["E3701", "W3702"]
