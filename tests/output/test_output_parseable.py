"""cfn-lint parseable output."""
from __future__ import annotations

from sam_shift_lint.output import render


def test_lines(mixed, rules, context) -> None:
    out = render("parseable", mixed, rules, context)
    assert out.splitlines() == [
        "a/other.yaml:3:5:3:10:E3701:Function has no AutoPublishAlias",
        "template.yaml:3:5:3:10:E3701:Function has no AutoPublishAlias",
        "template.yaml:9:3:9:8:W3702:no alarms",
        "template.yaml:12:1:12:6:I3703:hook name",
    ]
    assert out.endswith("\n")


def test_fields_split_back_with_colons_in_message(finding, rules, context) -> None:
    f = finding(message="Type: bad\r\nvalue: x", end_line=4, end_column=2)
    (line,) = render("parseable", [f], rules, context).splitlines()
    fields = line.split(":", 6)
    assert fields == ["template.yaml", "3", "5", "4", "2", "E3701", "Type: bad value: x"]


def test_empty(rules, context) -> None:
    assert render("parseable", [], rules, context) == ""
