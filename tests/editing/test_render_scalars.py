"""Strings a fix writes read back as themselves, in every quote style a file may ask for, with libyaml (YAML 1.1,
as the fixer's own check reads them) and ruamel.yaml (YAML 1.2, the fixer's second parser). Found by fuzzing: in
a file that quotes with single quotes, a value holding ESC, BEL or NEL was written raw inside single quotes
(which have no escapes): unparsable, or NEL folded to a line break."""
from __future__ import annotations

import re

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from sam_shift_lint.editing.render import _RAW_CLASS, Style, double_quoted, printable, quoted, render_scalar

STYLES = {
    "single quotes": Style(quote="'"),
    "double quotes": Style(quote='"'),
    "every value single-quoted": Style(value_quote="'"),
    "every key single-quoted": Style(key_quote="'"),
    "strict plain": Style(strict_plain=True, quote="'"),
}
# Characters that cannot be written raw (controls, DEL, C1, line breaks, U+FEFF) beside ordinary ones.
AWKWARD = "\x00\x07\t\n\r\x1b\x7f\x85\x9f\u2028\u2029\ufeff\ufffe'\"\\ :#-{}\U0001f600é"


def read_back(scalar: str) -> tuple[object, object]:
    """What libyaml and ruamel.yaml read from a one-item list holding ``scalar``."""
    source = f"- {scalar}\n"
    return yaml.load(source, Loader=yaml.CSafeLoader)[0], YAML(typ="safe", pure=True).load(source)[0]


# Lone surrogates excluded explicitly: no YAML text can hold one (libyaml rejects the escape), so no value a fix
# writes is one. Hypothesis also draws string constants from the loaded modules: after tests/output/test_escape.py
# had run in the same process, the default alphabet gave '\ud800'.
YAML_CHARACTERS = st.characters(exclude_categories=("Cs",))


@settings(max_examples=400, deadline=None, derandomize=True)
@given(text=st.text(st.one_of(st.sampled_from(AWKWARD), YAML_CHARACTERS), min_size=1, max_size=12), style=st.sampled_from(sorted(STYLES)))
def test_a_rendered_string_reads_back_as_itself(text: str, style: str) -> None:
    key = style == "every key single-quoted"
    rendered = render_scalar(text, STYLES[style], key=key)
    assert read_back(rendered) == (text, text), rendered


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("\x1b]0;x\x07", '"\\u001b]0;x\\u0007"'),  # the fuzz finding: an alias holding a terminal escape
        ("\x85\x85Fn", '"\\u0085\\u0085Fn"'),  # NEL: a line break to YAML 1.1
        ("a\u2028b", '"a\\u2028b"'),
        ("del\x7f", '"del\\u007f"'),
        ("it's", "'it''s'"),  # printable text keeps the file's single quotes
        ("tab\there", "'tab\there'"),
    ],
)
def test_single_quotes_fall_back_to_double_quotes_with_escapes(text: str, written: str) -> None:
    assert quoted(text, "'") == written
    assert read_back(written) == (text, text)


def test_characters_beyond_the_basic_plane_are_one_escape() -> None:
    """JSON writes U+1F600 as a surrogate pair (``\\ud83d\\ude00``), which libyaml rejects; YAML has ``\\U``."""
    assert double_quoted("a\U0001f600b") == '"a\\U0001f600b"'
    assert double_quoted("\\ud83d\\ude00") == '"\\\\ud83d\\\\ude00"'  # an escaped backslash is left alone
    assert read_back(double_quoted("a\U0001f600b\\ud83d")) == ("a\U0001f600b\\ud83d",) * 2


def test_printable() -> None:
    assert printable("arn:aws:lambda:${AWS::Region}:fn:live é \U0001f600\t")
    for char in "\x00\x07\n\r\x1b\x7f\x85\x9f\u2028\u2029\ufeff\ufffe\uffff":
        assert not printable(f"a{char}b"), repr(char)


def test_printable_without_its_pattern_says_what_the_pattern_says() -> None:
    """ASCII text is answered without compiling the character class (a start-up cost): the answer must be the
    class's, for every pair of ASCII characters."""
    pattern = re.compile(_RAW_CLASS)
    for first in range(128):
        for second in range(128):
            text = chr(first) + chr(second)
            assert printable(text) == (pattern.fullmatch(text) is not None), repr(text)
