"""JUnit XML, laid out like ruff's: one ``<testsuite>`` per file with findings, one ``<testcase>``
with a ``<failure>`` per finding. A clean run is a single passing test case so CI shows a green test.

:func:`render` builds the whole tree with ElementTree; :class:`Writer` writes the same bytes as the run goes:
each file's ``<testsuite>`` when the file is done, into a spool, since the first tag carries the totals.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from itertools import groupby

from sam_shift_lint.checks.registry import RuleInfo
from sam_shift_lint.findings import Finding
from sam_shift_lint.output import OutputContext
from sam_shift_lint.output._common import TOOL_NAME, sorted_findings
from sam_shift_lint.output.escape import escape
from sam_shift_lint.output.stream import ReportWriter, Spool, Writable

PACKAGE = "sam_shift_lint"
# Characters XML 1.0 cannot carry even escaped; ElementTree would write them verbatim.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """Control characters escaped (:func:`escape`), and any character XML 1.0 still forbids replaced with
    U+FFFD (ElementTree escapes the rest)."""
    return _INVALID_XML.sub("\ufffd", escape(text))


def testcase(finding: Finding) -> ET.Element:
    """``<testcase>`` with a ``<failure>`` for one finding."""
    case = ET.Element(
        "testcase",
        {
            "name": f"{PACKAGE}.{finding.rule}",
            "classname": xml_text(finding.file),
            "file": xml_text(finding.file),
            "line": str(finding.line),
            "column": str(finding.column),
        },
    )
    failure = ET.SubElement(
        case, "failure", {"message": xml_text(finding.message), "type": finding.severity}
    )
    failure.text = xml_text(f"line {finding.line}, col {finding.column}, {finding.rule}: {finding.message}")
    return case


XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
INDENT = "  "


def _suite(name: str, cases: list[ET.Element], failures: int) -> ET.Element:
    suite = ET.Element(
        "testsuite",
        {
            "name": xml_text(name),
            "tests": str(len(cases)),
            "failures": str(failures),
            "errors": "0",
            "skipped": "0",
            "disabled": "0",
            "package": PACKAGE,
        },
    )
    suite.extend(cases)
    return suite


def build_tree(findings: list[Finding], context: OutputContext) -> ET.Element:
    """The ``<testsuites>`` root element."""
    root = ET.Element("testsuites", {"name": TOOL_NAME})
    ordered = sorted_findings(findings)
    for file, group in groupby(ordered, key=lambda finding: finding.file):
        cases = [testcase(finding) for finding in group]
        root.append(_suite(file, cases, failures=len(cases)))
    if not ordered:
        passed = ET.Element("testcase", {"name": "No problems found", "classname": TOOL_NAME})
        root.append(_suite(TOOL_NAME, [passed], failures=0))
    tests = sum(int(suite.get("tests", "0")) for suite in root)
    root.set("tests", str(tests))
    root.set("failures", str(len(ordered)))
    root.set("errors", "0")
    return root


def render(findings: list[Finding], rules: Mapping[str, RuleInfo], context: OutputContext) -> str:
    """Indented JUnit XML with an XML declaration, followed by a newline."""
    root = build_tree(findings, context)
    ET.indent(root, space=INDENT)
    body = ET.tostring(root, encoding="unicode")
    return XML_DECLARATION + body + "\n"


def _root(tests: int, failures: int) -> ET.Element:
    return ET.Element("testsuites", {"name": TOOL_NAME, "tests": str(tests), "failures": str(failures), "errors": "0"})


class Writer(ReportWriter):
    """Each file's suite, indented as inside the root, into a spool; at the end the root's start tag with the
    totals, the spooled suites (or the one passing case of a clean run) and the end tag."""

    def __init__(self, rules: Mapping[str, RuleInfo], context: OutputContext, out: Writable) -> None:
        super().__init__(rules, context, out)
        self.suites = Spool()

    def _write(self, findings: Sequence[Finding]) -> None:
        self._suite(_suite(findings[0].file, [testcase(finding) for finding in findings], failures=len(findings)))

    def _suite(self, suite: ET.Element) -> None:
        ET.indent(suite, space=INDENT, level=1)
        self.suites.write("\n" + INDENT + ET.tostring(suite, encoding="unicode"))

    def _finish(self) -> None:
        failures = self.tally.total
        if not failures:
            passed = ET.Element("testcase", {"name": "No problems found", "classname": TOOL_NAME})
            self._suite(_suite(TOOL_NAME, [passed], failures=0))
        start = ET.tostring(_root(max(failures, 1), failures), encoding="unicode")[: -len(" />")] + ">"
        self.out.write(XML_DECLARATION + start)
        self.suites.copy_to(self.out)
        self.out.write("\n</testsuites>\n")
