"""GitHub Actions workflow commands and their escaping."""
from __future__ import annotations

import os

from sam_shift_lint.output import render
from sam_shift_lint.output.github import escape_data, escape_property
from sam_shift_lint.records import replace


def test_commands(mixed, rules, context) -> None:
    assert render("github", mixed, rules, context).splitlines() == [
        "::error file=a/other.yaml,line=3,col=5,endLine=3,endColumn=10,title=E3701::Function has no AutoPublishAlias",
        "::error file=template.yaml,line=3,col=5,endLine=3,endColumn=10,title=E3701::Function has no AutoPublishAlias",
        "::warning file=template.yaml,line=9,col=3,endLine=9,endColumn=8,title=W3702::no alarms",
        "::notice file=template.yaml,line=12,col=1,endLine=12,endColumn=6,title=I3703::hook name",
        "sam-shift-lint: Found 4 problems (2 errors, 1 warning, 1 informational).",
    ]


def test_errors_first_then_one_summary(finding, rules, context) -> None:
    findings = [
        finding("I3703", 1, 1, file="a.yaml", message="note"),
        finding("W3702", 2, 1, file="a.yaml", message="warn"),
        finding("E3701", 9, 1, file="b.yaml", message="late error"),
        finding("E3701", 5, 1, file="a.yaml", message="error"),
    ]
    out = render("github", findings, rules, context).splitlines()
    assert [line.split("::")[-1] for line in out[:-1]] == ["error", "late error", "warn", "note"]
    assert out[-1] == "sam-shift-lint: Found 4 problems (2 errors, 1 warning, 1 informational)."
    assert not out[-1].startswith("::")  # the summary is no annotation
    assert render("github", findings, rules, replace(context, quiet=True)).splitlines() == out[:-1]


def test_paths_relative_to_the_root(finding, rules, context, tmp_path) -> None:
    (tmp_path / "sub").mkdir()
    ctx = replace(context, cwd=str(tmp_path / "sub"), root=str(tmp_path))
    assert render("github", [finding(file="t.yaml")], rules, ctx).startswith("::error file=sub/t.yaml,")


def test_no_extent_no_end(finding, rules, context) -> None:
    (line, _) = render("github", [finding(line=4, column=2, end_line=4, end_column=2)], rules, context).splitlines()
    assert line.startswith("::error file=template.yaml,line=4,col=2,title=E3701::")


def test_escape_data() -> None:
    assert escape_data("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d"


def test_escape_property() -> None:
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_escaping_in_command(finding, rules, context) -> None:
    f = finding(file="dir,x/t:1.yaml", message="50% done,\nnext: line")
    (line, _) = render("github", [f], rules, context).splitlines()
    # a line break in a message is shown escaped (a visible \n), never as a break or an annotation's %0A
    assert line == "::error file=dir%2Cx/t%3A1.yaml,line=3,col=5,endLine=3,endColumn=10,title=E3701::50%25 done,\\nnext: line"


def test_absolute_path_under_cwd_made_relative(finding, rules, context) -> None:
    f = finding(file=os.path.join(context.cwd, "sub", "t.yaml"))
    assert render("github", [f], rules, context).startswith("::error file=sub/t.yaml,")


def test_empty(rules, context) -> None:
    assert render("github", [], rules, context) == "sam-shift-lint: All checks passed!\n"
    assert render("github", [], rules, replace(context, quiet=True)) == ""
