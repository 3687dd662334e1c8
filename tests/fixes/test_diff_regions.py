"""The regions the fixer reports (where the fixed text differs from the original, over all passes) and the
diffs made from them when comparing whole texts would be slow (``difftext.WHOLE_TEXT_BUDGET``)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sam_shift_lint import difftext, fixer
from sam_shift_lint.findings import Edit
from sam_shift_lint.parsing.document import load, parse
from sam_shift_lint.settings import FixSettings

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "fuzz"))  # the fuzz kit's patch applier (tests/fuzz/fuzzkit/patch.py)
from fuzzkit.patch import apply_unified  # noqa: E402

GOLDEN = sorted(p.name for p in HERE.iterdir() if p.is_dir() and any(p.glob("input.*")))


@st.composite
def passes(draw: st.DrawFn, alphabet: str = "ab\n") -> tuple[str, list[list[tuple[int, int, str]]]]:
    """A text and up to three passes of edits, each pass's edits not touching one another (as the fixer
    chooses them), given as (start, length, content) against the text of that pass."""
    text = draw(st.text(alphabet=alphabet, max_size=40))
    rounds = []
    length = len(text)
    for _ in range(draw(st.integers(1, 3))):
        cuts = sorted(draw(st.lists(st.integers(0, length), max_size=6)))
        edits, position = [], -2
        for start in cuts:
            if start <= position + 1:
                continue
            end = min(length, start + draw(st.integers(0, 3)))
            content = draw(st.text(alphabet="xy\n", max_size=4))
            edits.append((start, end - start, content))
            position = end
        rounds.append(edits)
        length += sum(len(c) - n for _, n, c in edits)
    return text, rounds


def _applied(original: str, rounds: list[list[tuple[int, int, str]]]) -> tuple[str, list[fixer.Region]]:
    """The text after every round of edits, and the fixer's regions composed over the rounds."""
    text, regions = original, list[fixer.Region]()
    for edits in rounds:
        objects = [Edit(start, start + length, content) for start, length, content in edits]
        text = fixer.apply_edits(text, objects)
        regions = fixer.compose_regions(regions, objects)
    return text, regions


@settings(max_examples=300, deadline=None)
@given(passes())
def test_the_regions_say_exactly_where_the_texts_differ(case: tuple[str, list[list[tuple[int, int, str]]]]) -> None:
    original, rounds = case
    text, regions = _applied(original, rounds)
    rebuilt, at = [], 0
    for start, end, new_start, new_end in regions:
        assert at <= start <= end and new_start <= new_end
        rebuilt += [original[at:start], text[new_start:new_end]]
        at = end
    assert "".join(rebuilt) + original[at:] == text
    # outside the regions the texts are the same, at offsets shifted by the regions before
    shift = 0
    for start, end, new_start, new_end in regions:
        assert new_start == start + shift
        shift += (new_end - new_start) - (end - start)


@settings(max_examples=300, deadline=None)
@given(passes(alphabet="ab\n\x85"), st.integers(0, 3))
def test_a_diff_from_regions_applies_to_give_the_fixed_text(case: tuple[str, list[list[tuple[int, int, str]]]], margin: int) -> None:
    """Edits anywhere, also ending inside a ``\n``-split line (lines inserted after a NEL: the region ends inside
    the line git sees), with any context: the diff made from the regions applies to the original and gives the
    new text."""
    original, rounds = case
    text, regions = _applied(original, rounds)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(difftext, "WHOLE_TEXT_BUDGET", -1)
        patch.setattr(difftext, "MARGIN", margin)
        diff = difftext.unified_diff("t.yaml", original, text, regions)
    assert apply_unified(original, diff) == text


def _golden_fix(name: str) -> tuple[str, str, fixer.FixOutcome]:
    directory = HERE / name
    source = next(directory.glob("input.*"))
    config = json.loads((directory / "case.json").read_text()) if (directory / "case.json").exists() else {}
    args = config.get("args", [])
    placement = args[args.index("--placement") + 1] if "--placement" in args else "auto"
    alias = args[args.index("--alias-name") + 1] if "--alias-name" in args else "live"
    kind = args[args.index("--deployment-type") + 1] if "--deployment-type" in args else "AllAtOnce"
    document = load(source.name, source.read_bytes())
    settings_ = FixSettings(alias=alias, deployment_type=kind, placement=placement)
    return source.name, document.text, fixer.fix_document(document, fixes=settings_, unsafe="--unsafe-fixes" in args)


@pytest.mark.parametrize("name", GOLDEN)
def test_the_diff_from_regions_is_difflibs_on_every_golden_case(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path, before, outcome = _golden_fix(name)
    whole = difftext.unified_diff(path, before, outcome.text)
    monkeypatch.setattr(difftext, "WHOLE_TEXT_BUDGET", -1)
    assert difftext.unified_diff(path, before, outcome.text, outcome.regions) == whole


def _many_functions(count: int) -> str:
    lines = ["Transform: AWS::Serverless-2016-10-31", "Resources:"]
    for index in range(count):
        lines += [
            f"  Fn{index}:", "    Type: AWS::Serverless::Function", "    Properties:", "      Handler: app.handler",
            "      Runtime: python3.12", "", "      CodeUri: src/",
        ]
        if index % 7 == 0:
            lines.append("      IgnoreGlobals: '*'")
        lines.append("")
    return "\n".join(lines)  # no final newline


@pytest.mark.skipif(shutil.which("git") is None, reason="git is needed for git apply")
def test_a_diff_from_regions_applies_with_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = _many_functions(150)
    outcome = fixer.fix_document(parse("t.yaml", text), fixes=FixSettings(placement="function"))
    assert len(outcome.regions) == 150
    monkeypatch.setattr(difftext, "WHOLE_TEXT_BUDGET", -1)
    patch = difftext.unified_diff("t.yaml", text, outcome.text, outcome.regions)
    (tmp_path / "t.yaml").write_text(text)
    (tmp_path / "fix.diff").write_text(patch)
    applied = subprocess.run(["git", "apply", "--whitespace=nowarn", "fix.diff"], cwd=tmp_path, capture_output=True)
    assert applied.returncode == 0, applied.stderr.decode()
    assert (tmp_path / "t.yaml").read_text() == outcome.text
