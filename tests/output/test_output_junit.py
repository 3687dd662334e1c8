"""JUnit XML: parses with ElementTree, counts add up, text is escaped."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from sam_shift_lint.output import render


def parse(out: str) -> ET.Element:
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return ET.fromstring(out.encode("utf-8"))


def test_structure_and_counts(mixed, rules, context) -> None:
    root = parse(render("junit", mixed, rules, context))
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("4", "4", "0")
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["a/other.yaml", "template.yaml"]
    assert [(s.get("tests"), s.get("failures"), s.get("errors")) for s in suites] == [("1", "1", "0"), ("3", "3", "0")]
    cases = suites[1].findall("testcase")
    assert [c.get("name") for c in cases] == ["sam_shift_lint.E3701", "sam_shift_lint.W3702", "sam_shift_lint.I3703"]
    assert [(c.get("line"), c.get("column")) for c in cases] == [("3", "5"), ("9", "3"), ("12", "1")]
    failure = cases[1].find("failure")
    assert failure.get("message") == "no alarms" and failure.get("type") == "warning"
    assert failure.text == "line 9, col 3, W3702: no alarms"
    assert sum(len(s.findall("testcase/failure")) for s in suites) == 4


def test_escaping(finding, rules, context) -> None:
    message = 'a <b> & "c" \'d\'\nline2 \x00\x1b end ]]>'
    root = parse(render("junit", [finding(message=message, file="x&<y>.yaml")], rules, context))
    suite = root.find("testsuite")
    assert suite.get("name") == "x&<y>.yaml"
    failure = suite.find("testcase/failure")
    assert failure.get("message") == 'a <b> & "c" \'d\'\\nline2 \\x00\\x1b end ]]>'  # control characters escaped


def test_no_findings_is_one_passing_case(rules, context) -> None:
    root = parse(render("junit", [], rules, context))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("1", "0", "0")
    (suite,) = root.findall("testsuite")
    assert suite.get("failures") == "0"
    (case,) = suite.findall("testcase")
    assert case.find("failure") is None
