"""Inline suppression comments (``# sam-shift-lint: disable=...``), through the real command, cfn-lint with the
rule pack, and the engine; the opt-in I9001 that reports unused ones, with its fix."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sam_shift_lint.checks.registry import select_rules
from sam_shift_lint.engine import check_context, new_context
from sam_shift_lint.model.directives import BLOCK, FILE, LINE, MALFORMED, directives_of
from sam_shift_lint.parsing.comments import comments_with
from sam_shift_lint.parsing.document import load, parse

HERE = Path(__file__).resolve().parent
BIN = Path(os.path.dirname(os.path.abspath(sys.executable)))  # not resolved: a venv's python is a symlink

Triple = tuple[str, int, int]

FUNCTION = """  {name}:{trailing}
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
"""
HEADER = "Transform: AWS::Serverless-2016-10-31\nResources:\n"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "sam-shift-lint"), *args], capture_output=True, text=True, timeout=120, cwd=cwd
    )


def triples(*args: str) -> list[Triple]:
    process = run("--format", "json", *args)
    assert process.returncode in (0, 1), process.stderr
    return sorted((item["rule"], item["line"], item["column"]) for item in json.loads(process.stdout))


def function(name: str, trailing: str = "") -> str:
    return FUNCTION.format(name=name, trailing=trailing)


# ------------------------------------------------------------------------------------------------ the CLI


def test_fixture_through_the_cli() -> None:
    """Own-line (the key and all under it), end-of-line (that line), prefixes, a directive after other comment
    text; and no '#' inside a quoted, plain or block scalar counts."""
    assert triples(str(HERE / "inline.yaml")) == [("W9101", 20, 3), ("W9102", 10, 3), ("W9102", 20, 3)]


def test_json_has_no_comments() -> None:
    """A string that looks like a directive in JSON suppresses nothing (JSON: Metadata and --ignore only)."""
    assert triples(str(HERE / "inline.json")) == [("W9101", 4, 5), ("W9102", 4, 5)]


def test_end_of_line_directive_covers_only_its_line(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(
        HEADER
        + "  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n"
        + "      AutoPublishAlias: live\n"
        + "      DeploymentPreference:  # sam-shift-lint: disable=E9105\n"
        + "        Type: Bogus\n"
    )
    # E9105 points at the Type value on the next line: a comment on the key's line does not reach it
    assert triples(str(template)) == [("E9105", 9, 15)]
    template.write_text(template.read_text().replace("Type: Bogus\n", "Type: Bogus  # sam-shift-lint: disable=E9105\n"))
    assert triples(str(template)) == []


def test_own_line_directive_covers_the_key_below_and_everything_under_it(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    body = (
        HEADER
        + "  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      AutoPublishAlias: live\n"
        + "      # sam-shift-lint: disable=E9105\n\n      # another comment between\n"
        + "      DeploymentPreference:\n        Type: Bogus\n        Hooks:\n          PreTraffic: not-a-ref\n"
        + "      # sam-shift-lint: disable=E9105\n      Handler: app.handler\n"
    )
    template.write_text(body)
    found = triples(str(template))
    assert ("E9105", 11, 15) not in found  # under the key the comment is above (blank and comment lines between)
    assert [t for t in found if t[0] == "E9116"] == [("E9116", 13, 23)]  # another rule under the same key
    template.write_text(body.replace("      # sam-shift-lint: disable=E9105\n\n", "\n", 1))
    assert ("E9105", 10, 15) in triples(str(template))  # the one above Handler does not reach a sibling


def test_own_line_directive_covers_findings_about_the_key_reported_elsewhere(tmp_path: Path) -> None:
    """A function's finding about a value it inherits points into Globals; its path is under the function."""
    template = tmp_path / "t.yaml"
    template.write_text(
        "Transform: AWS::Serverless-2016-10-31\nGlobals:\n  Function:\n    AutoPublishAlias: live\n"
        "    DeploymentPreference:\n      Type: Bogus\nResources:\n  # sam-shift-lint: disable=E9105\n"
        + function("Fn")
        + function("Other")
    )
    process = run("--format", "json", str(template))
    assert [(i["rule"], i["line"], i["resource"]) for i in json.loads(process.stdout)] == [("E9105", 6, "Other")]


def test_disable_file_anywhere(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(HEADER + function("A") + function("B", "  # sam-shift-lint: disable-file=W9102") + "# sam-shift-lint: disable-file=W9101\n")
    assert triples(str(template)) == []
    template.write_text(HEADER + function("A") + function("B", "  # sam-shift-lint: disable-file=W9102"))
    assert triples(str(template)) == [("W9101", 3, 3), ("W9101", 8, 3)]


def test_crlf_and_bom(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    text = HEADER + "  # sam-shift-lint: disable=W91\n" + function("A") + function("B", "  # sam-shift-lint: disable=W9101")
    template.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert triples(str(template)) == [("W9102", 9, 3)]


def test_metadata_suppression_still_applies_beside_comments(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(
        "Metadata:\n  cfn-lint:\n    config:\n      ignore_checks: [W9102]\n"
        + HEADER
        + function("A", "  # sam-shift-lint: disable=W9101")
        + function("B")
    )
    assert triples(str(template)) == [("W9101", 12, 3)]


def test_standard_input(tmp_path: Path) -> None:
    text = HEADER + function("A", "  # sam-shift-lint: disable=W9101,W9102")
    process = subprocess.run(
        [str(BIN / "sam-shift-lint"), "-", "--stdin-filename", "t.yaml"], input=text, capture_output=True, text=True, timeout=60
    )
    assert (process.returncode, process.stdout.strip()) == (0, "All checks passed!")


# ------------------------------------------------------------------------------------------------ cfn-lint


def test_cfn_lint_rule_pack_honours_the_comments(tmp_path: Path) -> None:
    process = subprocess.run(
        [str(BIN / "cfn-lint"), "--format", "json", str(HERE / "inline.yaml"), "--append-rules=sam_shift_lint.rules",
         "--include-checks", "I9001"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    ours = sorted(
        (m["Rule"]["Id"], m["Location"]["Start"]["LineNumber"], m["Location"]["Start"]["ColumnNumber"])
        for m in json.loads(process.stdout)
        if m["Rule"]["Id"][1:2] == "9"
    )
    assert ours == triples(str(HERE / "inline.yaml"), "--report-unused-suppressions")
    assert ours == [("W9101", 20, 3), ("W9102", 10, 3), ("W9102", 20, 3)]


# ------------------------------------------------------------------------------------------------ I9001


UNUSED = (
    HEADER
    + "  # sam-shift-lint: disable=W9101,E9105\n"  # line 3: W9101 used, E9105 unused
    + function("A", "  # sam-shift-lint: disable=W9102,X1")  # line 4: X1 is no rule
    + function("B", "  # sam-shift-lint: disable W9101")  # line 9: malformed
    + "  # sam-shift-lint: disable=E9103\n"  # line 14: unused (own line)
    + function("C", "  # keep this  # sam-shift-lint: disable=E9104")  # line 15: unused after other text
)


def test_unused_suppressions_are_reported_only_when_asked(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(UNUSED)
    default = triples(str(template))
    assert not [t for t in default if t[0] == "I9001"]
    process = run("--report-unused-suppressions", "--format", "json", str(template))
    unused = [(i["line"], i["column"], i["message"]) for i in json.loads(process.stdout) if i["rule"] == "I9001"]
    assert unused == [
        (3, 5, "Unused suppression: E9105 matches no finding here"),
        (4, 9, "Unused suppression: X1 is no rule id or prefix"),
        (9, 9, "Comment mentions sam-shift-lint: but holds no directive (write disable=IDS or disable-file=IDS)"),
        (14, 5, "Unused suppression: E9103 matches no finding here"),
        (15, 22, "Unused suppression: E9104 matches no finding here"),
    ]
    assert triples("--select", "W,E,I9001", str(template)) == triples("--report-unused-suppressions", str(template))
    # judged by running the rules named, even when only I9001 is selected
    assert [t[1] for t in triples("--select", "I9001", str(template))] == [3, 4, 9, 14, 15]


def test_unused_suppression_fix(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(UNUSED)
    process = run("--report-unused-suppressions", "--fix", "--ignore", "W9101,W9102", str(template))
    assert process.returncode == 0, process.stderr  # what remains is informational: below the default fail-on
    assert run("--report-unused-suppressions", "--fail-on", "info", "--ignore", "W9101,W9102", str(template)).returncode == 1
    # W9101 and W9102 are ignored, not fixed: the suppressions that name them are still used
    assert template.read_text() == (
        HEADER
        + "  # sam-shift-lint: disable=W9101\n"
        + function("A", "  # sam-shift-lint: disable=W9102")
        + function("B", "  # sam-shift-lint: disable W9101")
        + function("C", "  # keep this")
    )
    assert "I9001 Comment mentions sam-shift-lint: but holds no directive" in process.stdout


def test_unused_fix_removes_a_whole_trailing_comment_and_keeps_crlf(tmp_path: Path) -> None:
    template = tmp_path / "t.yaml"
    text = HEADER + function("A", "  # sam-shift-lint: disable=W9101,W9102") + "  # sam-shift-lint: disable=E9103\r\n"
    template.write_bytes(text.replace("\n", "\r\n").replace("\r\r", "\r").encode())
    process = run("--select", "W,I9001", "--ignore", "W9101,W9102", "--fix", str(template))
    assert process.returncode == 0, process.stdout + process.stderr
    assert template.read_bytes() == (HEADER + function("A", "  # sam-shift-lint: disable=W9101,W9102")).replace("\n", "\r\n").encode()


# ------------------------------------------------------------------------------------------------ the scanner


def test_comments_are_told_from_hashes_in_values() -> None:
    text = (
        "a: 'x # m:'  # m: 1\n"
        "b: \"multi\n  # m: not a comment\"\n"
        "c: plain#m:x\n"
        "d: |  # m: 2\n  # m: content\n  more\n"
        "# m: 3\n"
        "e: [x, '# m:', y]  # m: 4\n"
    )
    document = parse("t.yaml", text)
    found = [text[c.start:c.end] for c in comments_with(text, document.root, "m:")]
    assert found == ["# m: 1", "# m: 2", "# m: 3", "# m: 4"]


def test_directive_kinds_and_regions() -> None:
    text = (
        "# sam-shift-lint: disable-file=W9101\n"
        "Resources:\n"
        "  # sam-shift-lint: disable=W9102\n"
        "  Fn:\n    Type: X\n"
        "  Other: 1  # sam-shift-lint: disable=E9103, e9104\n"
        "# sam-shift-lint: enable=all\n"
    )
    document = parse("t.yaml", text)
    directives = directives_of(document)
    assert [d.kind for d in directives] == [FILE, BLOCK, LINE, MALFORMED]
    assert [[e.code for e in d.entries] for d in directives] == [["W9101"], ["W9102"], ["E9103", "E9104"], []]
    block = directives[1]
    assert block.path == ("Resources", "Fn") and text[block.region[0]:block.region[1]].startswith("Fn:\n    Type: X")
    assert directives_of(document) is directives  # read once per document


def test_rules_see_suppression_in_the_engine() -> None:
    document = load(str(HERE / "inline.yaml"))
    found = check_context(new_context(document), select_rules())
    assert sorted((f.rule, f.resource) for f in found) == [("W9101", "NotComments"), ("W9102", "LineOnly"), ("W9102", "NotComments")]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("  A:  # sam-shift-lint: disable=W9101\n", "  A:\n"),
        ("  A:  # a note # sam-shift-lint: disable=W9101\n", "  A:  # a note\n"),
        ("  A:  # sam-shift-lint: disable=W9101 and a reason\n", "  A:  # and a reason\n"),
    ],
)
def test_unused_fix_shapes(tmp_path: Path, line: str, expected: str) -> None:
    template = tmp_path / "t.yaml"
    body = function("A").split("\n", 1)[1]
    text = HEADER + "  Z:\n    Type: AWS::S3::Bucket\n"
    template.write_text(text + line + body.replace("app.handler", "app.handler\n      AutoPublishAlias: live"))
    process = run("--select", "I9001", "--fix", str(template))
    assert process.returncode == 0, process.stdout + process.stderr
    assert template.read_text() == text + expected + body.replace("app.handler", "app.handler\n      AutoPublishAlias: live")


def test_jobs_report_the_same(tmp_path: Path) -> None:
    """Worker processes get the rules by id: the unused-suppression rule and the comments work there too."""
    for number in range(4):
        (tmp_path / f"t{number}.yaml").write_text(UNUSED)
    one = run("--report-unused-suppressions", "--jobs", "1", "--format", "json", str(tmp_path))
    two = run("--report-unused-suppressions", "--jobs", "2", "--format", "json", str(tmp_path))
    assert one.stdout == two.stdout and one.returncode == two.returncode == 1
    assert sum(item["rule"] == "I9001" for item in json.loads(two.stdout)) == 4 * 5
