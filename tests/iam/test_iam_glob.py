"""Wildcard algebra: unit cases and brute-force property checks."""
from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st
from iam_helpers import examples

from sam_shift_lint.iam import glob
from sam_shift_lint.iam.glob import ANY, STAR, Symbol
from sam_shift_lint.iam.matching import (
    action_covers,
    action_matches,
    action_overlaps,
    resource_covers,
    resource_matches,
    resource_may_overlap,
    resource_overlaps,
)
from sam_shift_lint.iam.pattern import Pattern

FAST = settings(max_examples=examples(150), deadline=None)


# --- unit cases -------------------------------------------------------------------------------------


def test_star_spans_colon_and_slash() -> None:
    assert resource_matches("arn:aws:lambda:r:1:function:*", "arn:aws:lambda:r:1:function:f:live")
    assert resource_matches("arn:aws:iam::1:role/*", "arn:aws:iam::1:role/path/to/name")
    assert resource_matches("arn:*", "arn:aws:s3:::b/k")
    assert resource_covers("arn:aws:lambda:*:*:function:*", "arn:aws:lambda:r:1:function:f:live")
    assert resource_covers("arn:aws:iam::1:role/*", "arn:aws:iam::1:role/a/*")


def test_exact_resource_is_not_its_version() -> None:
    assert not resource_matches("arn:aws:lambda:r:1:function:f", "arn:aws:lambda:r:1:function:f:1")
    assert not resource_covers("arn:aws:lambda:r:1:function:f", "arn:aws:lambda:r:1:function:f*")


def test_question_mark_is_exactly_one_character() -> None:
    assert resource_matches("fn-?", "fn-a")
    assert not resource_matches("fn-?", "fn-")
    assert not resource_matches("fn-?", "fn-ab")
    assert resource_covers("fn-?", "fn-?")
    assert resource_covers("fn-*", "fn-?")
    assert not resource_covers("fn-?", "fn-*")
    assert resource_covers(["fn-", "fn-?*"], "fn-*")  # a union can cover what no single pattern does


def test_resources_are_case_sensitive_actions_are_not() -> None:
    assert not resource_matches("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/k")
    assert not resource_covers("arn:aws:s3:::Bucket/*", "arn:aws:s3:::bucket/*")
    assert action_matches("LAMBDA:getfunction", "lambda:GetFunction")
    assert action_matches("lambda:?etFunc*", "Lambda:GETFUNCTIONCONFIGURATION")
    assert action_covers("Lambda:*", "lambda:*")
    assert action_covers("*", "lambda:*")
    assert not action_covers("lambda:Get*", "lambda:*")
    assert action_overlaps("lambda:Get*", "lambda:*")
    assert not action_overlaps("s3:*", "lambda:*")


def test_containment_is_not_prefix_matching() -> None:
    assert not resource_covers("a*b", "a*b*")
    assert resource_covers("a*", "a*b*")
    assert resource_covers("*a*b*", "a*b")
    assert not resource_covers("arn:aws:s3:::codepipeline*", "arn:aws:s3:::*")


def test_symbols_are_opaque() -> None:
    req = "arn:aws:lambda:${AWS::Region}:1:function:*"
    assert resource_covers("arn:aws:lambda:${AWS::Region}:*:function:*", req)
    assert resource_covers("arn:aws:lambda:*:1:function:*", req)
    assert not resource_covers("arn:aws:lambda:us-east-1:1:function:*", req)
    assert not resource_covers("arn:aws:lambda:${AWS::Region}:1:function:f*", req)
    # ... but it could hold for some region:
    assert resource_covers("arn:aws:lambda:us-east-1:1:function:*", req, loose=True)
    assert not resource_covers("arn:aws:s3:::*", req, loose=True)
    # a literal or ? never stands in for a symbol
    assert not resource_covers("x:?", "x:${AWS::Region}")
    assert resource_covers("x:*", "x:${AWS::Region}")


def test_overlap_definite_and_possible() -> None:
    assert resource_overlaps("arn:aws:lambda:${AWS::Region}:1:function:f", "*")
    assert resource_overlaps("arn:aws:lambda:${AWS::Region}:1:function:f", "arn:aws:lambda:*:1:function:*")
    assert not resource_overlaps("arn:aws:lambda:us-west-2:1:function:f", "arn:aws:lambda:${AWS::Region}:1:*")
    assert resource_may_overlap("arn:aws:lambda:us-west-2:1:function:f", "arn:aws:lambda:${AWS::Region}:1:*")
    assert not resource_may_overlap("arn:aws:s3:::b", "arn:aws:lambda:${AWS::Region}:1:*")


def test_within_restricts_the_question() -> None:
    assert resource_covers([], "x*", within=[["y*"]])  # nothing of x* is inside y*
    assert not resource_covers([], "x*", within=[["x"]])
    assert resource_covers(["xa*"], "x*", within=[["xa*", "xb"]], loose=False) is False
    assert resource_covers(["xa*", "xb"], "x*", within=[["xa*", "xb"]])


def test_substitute_binds_symbols() -> None:
    pat = Pattern(("a", Symbol("AWS::Region"), STAR))
    assert pat.substitute({"AWS::Region": "us"}).text == "aus*"
    assert pat.substitute({}).text == "a${AWS::Region}*"


# --- brute force ------------------------------------------------------------------------------------

ALPHABET = "ab:"
TOKENS = ["a", "b", ":", STAR, ANY]


def _all_strings(max_len: int) -> list[str]:
    return ["".join(p) for n in range(max_len + 1) for p in itertools.product(ALPHABET + "c", repeat=n)]


STRINGS = _all_strings(6)
patterns = st.lists(st.sampled_from(TOKENS), max_size=4).map(tuple)


@FAST
@given(patterns, patterns)
def test_covers_and_overlaps_agree_with_brute_force(p: tuple, r: tuple) -> None:
    in_r = [s for s in STRINGS if glob.matches(r, s)]
    brute_covers = all(glob.matches(p, s) for s in in_r)
    brute_overlap = any(glob.matches(p, s) for s in in_r)
    assert glob.covers((p,), r) == brute_covers
    assert glob.overlaps(p, r) == brute_overlap
    assert glob.overlaps(p, r) == glob.overlaps(r, p)


@FAST
@given(st.lists(patterns, min_size=0, max_size=3), patterns, st.lists(patterns, min_size=1, max_size=2))
def test_union_and_within_agree_with_brute_force(include: list[tuple], r: tuple, group: list[tuple]) -> None:
    in_r = [s for s in STRINGS if glob.matches(r, s) and any(glob.matches(g, s) for g in group)]
    expected = all(any(glob.matches(p, s) for p in include) for s in in_r)
    assert glob.covers(tuple(include), r, (tuple(group),)) == expected


SYM_TOKENS = TOKENS + [Symbol("X"), Symbol("Y")]
sym_patterns = st.lists(st.sampled_from(SYM_TOKENS), max_size=4).map(tuple)
bindings = st.fixed_dictionaries({"X": st.text(ALPHABET, max_size=3), "Y": st.text(ALPHABET, max_size=3)})
segment_bindings = st.fixed_dictionaries({"X": st.text("ab", max_size=3), "Y": st.text("ab", max_size=3)})


def _bind(tokens: tuple, values: dict[str, str]) -> tuple:
    return Pattern(tokens).substitute(values).tokens


@FAST
@given(sym_patterns, sym_patterns, bindings)
def test_symbolic_answers_hold_for_every_binding(p: tuple, r: tuple, values: dict[str, str]) -> None:
    bp, br = _bind(p, values), _bind(r, values)
    if glob.covers((p,), r):
        assert glob.covers((bp,), br)
    if glob.overlaps(p, r):
        assert glob.overlaps(bp, br)
    if not glob.overlaps_loose(p, r):
        assert not glob.overlaps(bp, br)
    if not glob.covers((p,), r, loose=True) and not any(":" in v for v in values.values()):
        assert not glob.covers((bp,), br)  # loose reading assumes one-segment symbol values


@FAST
@given(st.lists(sym_patterns, max_size=2), sym_patterns, st.lists(sym_patterns, min_size=1, max_size=2),
       segment_bindings)
def test_symbolic_within_is_safe_for_one_segment_values(
    include: list[tuple], r: tuple, group: list[tuple], values: dict[str, str]
) -> None:
    if glob.covers(tuple(include), r, (tuple(group),)):
        bound = tuple(_bind(p, values) for p in include)
        assert glob.covers(bound, _bind(r, values), (tuple(_bind(g, values) for g in group),))
