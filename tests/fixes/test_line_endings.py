"""Fixes keep every line's own ending and the file's final-newline state, whatever breaks its lines (LF, CRLF,
CR, NEL, U+2028, U+2029, or a mix), and new lines end as the line they follow; a block scalar that ends the
file without a final newline keeps its value; NaN values, and files that start with two byte order marks, do
not stop a fix. The golden cases in this directory show the same on whole files through the CLI."""
from __future__ import annotations

import math
import re

import pytest
from ruamel.yaml import YAML

from sam_shift_lint import fixer
from sam_shift_lint.editing.positions import EditError
from sam_shift_lint.editing.sequence_edit import SequenceEditor
from sam_shift_lint.parsing.document import load, parse, read_text
from sam_shift_lint.parsing.lines import YAML_BREAK
from sam_shift_lint.parsing.nodes import Sequence, get_path
from sam_shift_lint.settings import FixSettings

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
  Topic:
    Type: AWS::SNS::Topic
"""
BREAKS = {"LF": "\n", "CRLF": "\r\n", "CR": "\r", "NEL": "\x85", "LS": "\u2028", "PS": "\u2029"}


def fixed(text: str, placement: str = "auto") -> str:
    outcome = fixer.fix_document(parse("t.yaml", text), fixes=FixSettings(placement=placement))
    assert outcome.changed
    return outcome.text


def lines(text: str) -> list[str]:
    """The lines of ``text`` with their own endings, broken as libyaml breaks them."""
    parts = re.split(f"({YAML_BREAK.pattern})", text)
    found = [content + newline for content, newline in zip(parts[0::2], parts[1::2])]
    return found + ([parts[-1]] if parts[-1] else [])


def ending(line: str) -> str:
    match = YAML_BREAK.search(line)
    return match.group() if match else ""


def assert_kept(before: str, after: str) -> None:
    """The lines of ``before`` are in ``after``, in order, each with its own ending (a last line without one
    may gain one when lines are added after it); every added line ends as the line before it, unless that
    line ends with a NEL, U+2028 or U+2029 that is not the file's line ending (its first CR, LF or CR LF, here;
    no value spans lines): then the added lines start with one blank line and end with the file's line ending; the file ends
    with a line break exactly when it did before."""
    old, new = lines(before), lines(after)
    assert bool(ending(old[-1])) == bool(ending(new[-1])), "final newline state"
    common = re.search("\r\n|\r|\n", before)
    newline = common.group() if common else ending(old[0]) or "\n"
    index = 0
    for position, line in enumerate(new):
        if index < len(old) and (line == old[index] or (index == len(old) - 1 and not ending(old[index]) and line == old[index] + ending(line))):
            index += 1
            continue
        if position == len(new) - 1 and not ending(line):
            continue  # the new last line of a file without a final newline
        assert position > 0
        above = ending(new[position - 1])
        if above in "\x85\u2028\u2029" and above != newline:
            assert line == newline, "a blank line after a break YAML 1.2 does not read as one"
        else:
            assert ending(line) == above, (line, new[position - 1])
    assert index == len(old), f"original line {index + 1} was changed or lost"


@pytest.mark.parametrize("final", [True, False], ids=["final-newline", "no-final-newline"])
@pytest.mark.parametrize("placement", ["globals", "function"])
@pytest.mark.parametrize("name", list(BREAKS))
def test_one_kind_of_line_break_stays_the_only_kind(name: str, placement: str, final: bool) -> None:
    newline = BREAKS[name]
    text = TEMPLATE.replace("\n", newline)
    if not final:
        text = text[: -len(newline)]
    after = fixed(text, placement)
    assert set(YAML_BREAK.findall(after)) == {newline}
    assert after.endswith(newline) == final
    assert_kept(text, after)
    assert len(lines(after)) == len(lines(text)) + (4 if placement == "function" else 6)


@pytest.mark.parametrize("placement", ["globals", "function"])
@pytest.mark.parametrize("line", range(1, 10))
@pytest.mark.parametrize("odd", ["\r", "\r\n", "\u2028", "\x85", "\u2029"])
def test_an_odd_line_break_keeps_its_line_and_lends_it_only_to_lines_added_after_it(odd: str, line: int, placement: str) -> None:
    """CR and CR LF are lent to the lines added after them; NEL, U+2028 and U+2029, line breaks to YAML 1.1 only,
    are not (assert_kept)."""
    original = lines(TEMPLATE)
    original[line - 1] = original[line - 1][:-1] + odd
    text = "".join(original)
    after = fixed(text, placement)
    assert_kept(text, after)
    if odd in "\x85\u2028\u2029":
        assert after.count(odd) == 1


@pytest.mark.parametrize("odd", ["\x85", "\u2028", "\u2029"])
@pytest.mark.parametrize("placement", ["globals", "function"])
def test_lines_added_after_a_comment_ended_by_a_yaml_1_1_line_break_are_valid_yaml_1_2(odd: str, placement: str) -> None:
    """A comment ended by NEL/U+2028/U+2029: a YAML 1.2 parser (ruamel.yaml) reads on after it at the same column,
    so lines added there (before ``# header`` for Globals, after ``CodeUri`` for the function)
    start after a blank line, end with the file's LF, and both parsers read the fixed text the same way (the fix
    used to be refused)."""
    text = TEMPLATE.replace("31\n", f"31 # one{odd}# header\n").replace("src/\n", f"src/ # two{odd}# three\n")
    assert fixer.ruamel_accepts(text)
    after = fixed(text, placement)
    assert_kept(text, after)
    assert set(YAML_BREAK.findall(after)) == {"\n", odd}
    ruamel = YAML(typ="safe", pure=True).load(after)
    assert ruamel == parse("t.yaml", after).data()


@pytest.mark.parametrize("blank", ["", "      \u2029"], ids=["", "blank-line"])
@pytest.mark.parametrize("odd", ["\x85", "\u2028", "\u2029"])
def test_a_block_mapping_whose_keys_follow_a_yaml_1_1_line_break_gets_no_keys(odd: str, blank: str) -> None:
    """``Function:<odd>    Runtime: ...``: YAML 1.2 reads ``Runtime`` on at the column the break left it at, so a key
    added at its indentation would not line up there. Keys go elsewhere (the function) or the fix is withheld
    (found by fuzzing: the fix was refused; also with a blank line between, seed 9091 input 14571)."""
    text = TEMPLATE.replace("Resources:\n", f"Globals:\n  Function:{odd}{blank}    Timeout: 3\nResources:\n")
    assert fixer.ruamel_accepts(text)
    outcome = fixer.fix_document(parse("t.yaml", text), fixes=FixSettings(placement="globals"))
    assert not outcome.changed
    assert {f.rule for f in outcome.remaining} == {"W9101", "W9102"}
    assert all(f.fix is None for f in outcome.remaining)
    after = fixed(text, "function")
    assert f"Function:{odd}{blank}    Timeout: 3\n" in after and "      AutoPublishAlias: live\n" in after
    assert fixer.ruamel_accepts(after)


@pytest.mark.parametrize("newline", ["\x85", "\u2028", "\u2029"])
def test_a_file_that_yaml_1_2_reads_with_its_yaml_1_1_line_breaks_gets_lf_lines(newline: str) -> None:
    """Every line ends with a NEL/U+2028/U+2029 after ``:`` or ``}``, so YAML 1.2 (ruamel.yaml) accepts the file too;
    lines ending ``AutoPublishAlias: live<newline>`` would not be YAML 1.2, so the added lines end with LF (the fix
    used to be refused). A file with a plain value before such a break is no YAML 1.2 text: it keeps lending it
    (test_one_kind_of_line_break_stays_the_only_kind)."""
    text = f"Resources:{newline}  Fn: {{Type: AWS::Serverless::Function, Properties: {{Handler: a.b, Runtime: python3.12, CodeUri: s3://b/k}}}}{newline}"
    assert fixer.ruamel_accepts(text)
    after = fixed(text, "globals")
    assert after == "Globals:\n  Function:\n    AutoPublishAlias: live\n    DeploymentPreference:\n      Enabled: true\n      Type: AllAtOnce\n" + text
    assert fixer.ruamel_accepts(after)


@pytest.mark.parametrize("newline", ["", "\n", "\r\n", "\r"])
@pytest.mark.parametrize("inside", ["\u2028", "\x85", "\u2029", "\n", "\r"])
@pytest.mark.parametrize("quote", ["'", '"'])
def test_a_line_break_inside_a_scalar_is_not_the_files_line_ending(quote: str, inside: str, newline: str) -> None:
    """A one-line flow template whose only other line break is inside a quoted value: the added Globals lines end
    with the file's own line ending (LF when it has none), never with the value's break."""
    if inside in newline:
        return  # no second kind of break to tell apart
    text = f"Resources: {{Fn: {{Type: AWS::Serverless::Function, Properties: {{Handler: {quote}a{inside}b{quote}, Runtime: python3.12, CodeUri: s3://b/k}}}}}}{newline}"
    document = parse("t.yaml", text)
    assert document.newline == (newline or "\n")
    after = fixed(text, "globals")
    expected_globals = "Globals:\n  Function:\n    AutoPublishAlias: live\n    DeploymentPreference:\n      Enabled: true\n      Type: AllAtOnce\n"
    assert after == expected_globals.replace("\n", newline or "\n") + text
    assert fixer.ruamel_accepts(after)


@pytest.mark.parametrize(
    ("text", "newline"),
    [
        ("a: 1\n", "\n"),
        ("a: 1", "\n"),
        ("a: 1\r\nb: 2", "\r\n"),
        ("a: 1\u2028b: 2\u2028", "\u2028"),
        ("a: 'x\u2028y'\nb: 2\n", "\n"),
        ("a: 'x\u2028y'", "\n"),
        ("a: x\r\n  y\rb: 2\r", "\r"),  # the CR LF is inside the plain scalar x y
        ("# c\u2028a: 1\r\n", "\r\n"),  # a break every YAML version reads as one comes first
        ("# c\u2028a: 1\u2029b: 2", "\u2028"),
        ('{"a": "x\u2028y"}\r\n', "\r\n"),  # JSON: U+2028 is no line break at all
    ],
)
def test_the_files_line_ending(text: str, newline: str) -> None:
    assert parse("t.yaml", text).newline == newline


def test_the_lines_added_after_a_lone_cr_end_with_cr_the_others_with_lf() -> None:
    text = TEMPLATE.replace("CodeUri: src/\n", "CodeUri: src/\r")
    after = fixed(text, "function")
    assert "CodeUri: src/\r      AutoPublishAlias: live\r      DeploymentPreference:\r        Enabled: true\r" in after
    assert "        Type: AllAtOnce\r  Topic:\n" in after


@pytest.mark.parametrize(
    "header",
    ["|", ">", "|+", ">+", "|-", ">-", "|2", ">2-", "|+2", "| # a comment"],
)
@pytest.mark.parametrize("nested", [False, True], ids=["property", "nested"])
def test_a_block_scalar_ending_the_file_without_a_newline_keeps_its_value(header: str, nested: bool) -> None:
    if nested:
        tail = f"      Environment:\n        Variables:\n          CODE: {header}\n            line one\n\n            line two"
    else:
        tail = f"      InlineCode: {header}\n        line one\n\n        line two"
    text = TEMPLATE.split("  Topic:")[0] + tail
    before = load("t.yaml", text.encode())
    after = fixed(text, "function")  # the fixer proves the data is the original plus the two keys
    # a scalar that strips its final line break may get lines after it; the others get the keys before them
    assert after.endswith("line two") == ("-" not in header)
    value_path = ("Resources", "Fn", "Properties") + (("Environment", "Variables", "CODE") if nested else ("InlineCode",))
    assert get_path(parse("t.yaml", after).root, *value_path).value == get_path(before.root, *value_path).value  # type: ignore[union-attr]
    assert "AutoPublishAlias: live" in after
    assert_kept(text, after)


def test_appending_after_a_block_scalar_that_ends_the_file_is_refused() -> None:
    text = "Resources:\n  X:\n    Type: T\n    Properties:\n      List:\n        - |\n          text"
    document = parse("t.yaml", text)
    sequence = get_path(document.root, "Resources", "X", "Properties", "List")
    assert isinstance(sequence, Sequence)
    with pytest.raises(EditError, match="block scalar"):
        SequenceEditor(document).append_items(sequence, ["more"])
    stripped = parse("t.yaml", text.replace("- |", "- |-"))
    edit = SequenceEditor(stripped).append_items(get_path(stripped.root, "Resources", "X", "Properties", "List"), ["more"])  # type: ignore[arg-type]
    assert edit.content == "\n        - more"


def test_nan_is_equal_to_itself_in_the_data_check() -> None:
    nan = float("nan")
    assert fixer.strictly_equal({"a": [nan, {"b": nan}]}, {"a": [nan, {"b": nan}]})
    assert not fixer.strictly_equal(nan, 1.0) and not fixer.strictly_equal(1.0, nan)
    assert not fixer.strictly_equal(nan, "nan")
    assert fixer.strictly_equal(math.inf, math.inf) and not fixer.strictly_equal(math.inf, -math.inf)
    assert not fixer.strictly_equal(True, 1) and not fixer.strictly_equal(1, 1.0)


@pytest.mark.parametrize("count", [1, 2, 3])
def test_leading_byte_order_marks_are_counted_and_written_back(count: int) -> None:
    raw = b"\xef\xbb\xbf" * count + TEMPLATE.encode()
    text, boms = read_text("t.yaml", raw)
    assert (text, boms) == (TEMPLATE, count)
    document = load("t.yaml", raw)
    key = get_path(document.root, "Resources", "Fn")
    assert key is not None and document.text[key.span.start:].startswith("Type:")  # offsets point at the text
    assert fixer.encode(document, TEMPLATE) == raw
