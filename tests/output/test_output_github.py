"""GitHub Actions workflow commands and their escaping."""
from __future__ import annotations

import os

from sam_shift_lint.output import render
from sam_shift_lint.output.github import escape_data, escape_property


def test_commands(mixed, rules, context) -> None:
    assert render("github", mixed, rules, context).splitlines() == [
        "::error file=a/other.yaml,line=3,col=5,endLine=3,endColumn=10,title=E3701::Function has no AutoPublishAlias",
        "::error file=template.yaml,line=3,col=5,endLine=3,endColumn=10,title=E3701::Function has no AutoPublishAlias",
        "::warning file=template.yaml,line=9,col=3,endLine=9,endColumn=8,title=W3702::no alarms",
        "::notice file=template.yaml,line=12,col=1,endLine=12,endColumn=6,title=I3703::hook name",
    ]


def test_escape_data() -> None:
    assert escape_data("100% a\r\nb: c, d") == "100%25 a%0D%0Ab: c, d"


def test_escape_property() -> None:
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_escaping_in_command(finding, rules, context) -> None:
    f = finding(file="dir,x/t:1.yaml", message="50% done,\nnext: line")
    (line,) = render("github", [f], rules, context).splitlines()
    # a line break in a message is shown escaped (a visible \n), never as a break or an annotation's %0A
    assert line == "::error file=dir%2Cx/t%3A1.yaml,line=3,col=5,endLine=3,endColumn=10,title=E3701::50%25 done,\\nnext: line"


def test_absolute_path_under_cwd_made_relative(finding, rules, context) -> None:
    f = finding(file=os.path.join(context.cwd, "sub", "t.yaml"))
    assert render("github", [f], rules, context).startswith("::error file=sub/t.yaml,")


def test_empty(rules, context) -> None:
    assert render("github", [], rules, context) == ""
