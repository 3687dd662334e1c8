"""Fix mode's second parser: ruamel.yaml must still accept what it accepted before the fix; it is asked about
the changed entries only (``parsing/excerpt.py``), and about whole texts only where that cannot decide."""
from __future__ import annotations

import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sam_shift_lint import fixer
from sam_shift_lint.parsing.document import parse
from sam_shift_lint.parsing.errors import DocumentError
from sam_shift_lint.parsing.excerpt import excerpt

# ---------------------------------------------------------------------------------------------- the excerpt

TEMPLATE = """\
# a template
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler   # the handler
      CodeUri: src/
      Events:
        Api: {Type: Api, Properties: {Path: /, Method: get}}

  Topic:
    Type: AWS::SNS::Topic
"""


def test_the_excerpt_is_the_changed_entries_under_stand_in_keys() -> None:
    start = TEMPLATE.index("      CodeUri")
    text = TEMPLATE[:start] + "      AutoPublishAlias: live\n" + TEMPLATE[start:]
    document = parse("t.yaml", text)
    assert excerpt(document, [(start, start + len("      AutoPublishAlias: live\n"))]) == (
        "# a template\n"  # the prologue
        "sam-shift-lint-excerpt-0:\n"  # Resources
        "  sam-shift-lint-excerpt-1:\n"  # Fn
        "    sam-shift-lint-excerpt-2:\n"  # Properties
        "      AutoPublishAlias: live\n"  # the changed entry
        "      sam-shift-lint-excerpt-3: x\n"  # indented as the line after it (CodeUri)
    )
    # a change inside a flow mapping: the whole entry that holds it (followed by a key indented as Topic)
    inside = text.index("/, Method")
    assert excerpt(document, [(inside, inside + 1)]).endswith(  # type: ignore[union-attr]
        "      sam-shift-lint-excerpt-3:\n        Api: {Type: Api, Properties: {Path: /, Method: get}}\n\n"
        "  sam-shift-lint-excerpt-4: x\n"
    )
    # a change of a key's own line: that entry, with its value (the last one: nothing after it)
    key = text.index("  Topic")
    assert excerpt(document, [(key + 2, key + 7)]) == "# a template\nsam-shift-lint-excerpt-0:\n  Topic:\n    Type: AWS::SNS::Topic\n"
    # identical regions in the same surroundings once; a removal at an offset changes the characters around it
    twice = parse("t.yaml", "A:\n  x: 1\nB:\n  x: 1\nC: 2\n")
    once = "sam-shift-lint-excerpt-0:\n  x: 1\nsam-shift-lint-excerpt-1: x\n"
    assert excerpt(twice, [(5, 10), (15, 20)]) == once
    assert excerpt(twice, [(4, 4)]) == once
    assert excerpt(twice, [(2, 2)]) == "A:\n  x: 1\nsam-shift-lint-excerpt-0: x\n"


def test_an_entry_ending_in_a_block_scalar_before_the_change_is_part_of_the_excerpt() -> None:
    """Where a block scalar ends depends on the line after it, which the change may be."""
    text = "A:\n  s: |\n    text\n  t: 1\n  u: 2\n"
    change = text.index("  t:")
    assert excerpt(parse("t.yaml", text), [(change, change + 6)]) == (
        "sam-shift-lint-excerpt-0:\n  s: |\n    text\n  t: 1\n  sam-shift-lint-excerpt-1: x\n"
    )


@pytest.mark.parametrize(
    ("text", "changed"),
    [
        ("{a: 1, b: 2}\n", (1, 2)),  # a flow root
        ("a: 1\x85b: 2\n", (0, 1)),  # NEL: YAML 1.1 reads a line break, YAML 1.2 a character
        ("a: 1\rb: 2\n", (0, 1)),  # a lone CR
        ("%YAML 1.1\n---\na: 1\n", (1, 2)),  # a change in the prologue
        ("? a\n: 1\nb: 2\n", (10, 11)),  # a key that does not start its line
    ],
)
def test_no_excerpt_where_the_lines_or_the_structure_could_be_read_otherwise(text: str, changed: tuple[int, int]) -> None:
    assert excerpt(parse("t.yaml", text), [changed]) is None


def _document(text: str) -> Any:
    return parse("t.yaml", text)


def test_the_second_parser_refuses_what_it_rejects_only_where_it_accepted_the_original() -> None:
    good = "Resources:\n  A:\n    Type: X\n    Properties:\n      Day: '2001-02-30'\n"
    bad = good.replace("'2001-02-30'", "2001-02-30")  # libyaml reads a string; ruamel.yaml an impossible date
    change = [(good.index("2001") - 1, good.index("2001") + 11)]
    with pytest.raises(fixer.FixError, match=r"YAML 1\.2"):
        fixer.SecondParser(_document(good)).check(_document(bad), change)
    elsewhere = good + "  B:\n    Type: Y\n    Properties:\n      Day: 2001-02-31\n"  # the original is rejected too
    fixer.SecondParser(_document(elsewhere)).check(_document(elsewhere.replace("'2001-02-30'", "2001-02-30")), change)


def test_the_second_parser_reads_only_the_excerpt_when_it_accepts_it(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    original = fixer._ruamel_accepts
    monkeypatch.setattr(fixer, "_ruamel_accepts", lambda text: read.append(text) or original(text))
    fixer._ruamel_accepts_remembered.cache_clear()
    before = _document(TEMPLATE)
    outcome = fixer.fix_document(before)
    assert outcome.changed and read and all(len(text) < 200 for text in read)  # never the whole text
    assert TEMPLATE not in read and outcome.text not in read


def test_json_is_read_again_by_the_standard_library() -> None:
    fixer.SecondParser(_document('{"a": 1}')).check(_document('{"a": 1, "b": 2}'), [(7, 15)])
    assert fixer.json_accepts('{"a": 1}') and not fixer.json_accepts('{"a": 1,}')
    assert not fixer.json_accepts('{"a": ' + "1" * 5000 + "}")  # over-long integers are a ValueError


# The locality the excerpt relies on, tested against the whole-text answer: for random lines inserted into a
# template (YAML-ish fragments, most of them invalid), whenever ruamel.yaml accepts the original and the
# excerpt of the result, it accepts the whole result.
FRAGMENTS = ["a", "b: 1", "- x", ":", "'", '"', "{", "}", "[", "]", "#c", "|", ">", "? k", "&a", "*a", "!t", "%", "@", "\t", ",", "2001-02-30", "k: |", "- - y", "...", "---"]
BASES = [
    TEMPLATE,
    "Resources:\n  A:\n    Type: X\n    Properties:\n      L:\n        - 1\n        - k: v\n      S: |\n        text\n      F: [a, b]\n",
    "Parameters:\n  P:\n    Type: String\nResources:\n  A:\n    Type: X\n    Properties:\n      Name: !Sub '${P}-x'\n      M:\n        K: V\n",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    base=st.sampled_from(BASES),
    seed=st.integers(0, 2**32),
    parts=st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=4),
    indent=st.integers(0, 8),
)
def test_an_accepted_excerpt_means_an_accepted_text(base: str, seed: int, parts: list[str], indent: int) -> None:
    lines = base.splitlines(keepends=True)
    at = random.Random(seed).randrange(1, len(lines) + 1)
    inserted = " " * indent + " ".join(parts) + "\n"
    text = "".join(lines[:at]) + inserted + "".join(lines[at:])
    start = len("".join(lines[:at]))
    try:
        document = parse("t.yaml", text)
    except DocumentError:
        return  # the fixer never gets this far with a text its own parser rejects
    part = excerpt(document, [(start, start + len(inserted))])
    if part is not None and fixer._ruamel_accepts(base) and fixer._ruamel_accepts(part):
        assert fixer._ruamel_accepts(text), (text, part)


def test_the_second_parser_prints_no_warnings(capfd: pytest.CaptureFixture[str]) -> None:
    """ruamel.yaml warns about YAML 1.1 floats in a ``%YAML 1.1`` document; that is not the user's business."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert fixer._ruamel_accepts("%YAML 1.1\n---\nMemorySize: 1e+308\n")
    assert caught == [] and capfd.readouterr().err == ""
