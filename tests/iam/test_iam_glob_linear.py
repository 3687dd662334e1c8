"""The wildcard algebra on hostile input: it agrees with the reference (the regex/NFA code it replaced) on small
patterns, and it takes linear (or bounded) time on patterns that made the reference run for minutes."""
from __future__ import annotations

import contextlib
import re
import signal
from collections.abc import Iterator

import reference_glob as ref
from hypothesis import given, settings
from hypothesis import strategies as st
from iam_helpers import doc, examples, stmt

from sam_shift_lint.iam import glob
from sam_shift_lint.iam.evaluation import PolicySet, Status
from sam_shift_lint.iam.glob import ANY, STAR, Symbol, TooComplex, WorkLimit, from_glob
from sam_shift_lint.iam.matching import action_covers, action_matches, resource_covers, resource_matches
from sam_shift_lint.iam.pattern import iter_variables, parse_template, replace_variables
from sam_shift_lint.output._common import one_line

MANY = settings(max_examples=examples(400), deadline=None)


@contextlib.contextmanager
def finishes_within(seconds: float) -> Iterator[None]:
    """Fail (instead of hanging the suite) when the block runs longer than ``seconds`` of wall time. The bounds
    are generous: the new code needs milliseconds, the reference minutes or more."""

    def expire(signum: int, frame: object) -> None:
        raise AssertionError(f"took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- agreement with the reference on small inputs ----------------------------------------------------------

TEXT_ALPHABET = "ab:/Ac"
GLOB_ALPHABET = "ab:/A*?"
SYMBOLS = [Symbol("X"), Symbol("Y")]
TOKENS = ["a", "b", ":", "/", STAR, ANY, *SYMBOLS]

texts = st.text(TEXT_ALPHABET, max_size=8)
globs = st.text(GLOB_ALPHABET, max_size=8)
patterns = st.lists(st.sampled_from(TOKENS), max_size=7).map(tuple)
pattern_sets = st.lists(patterns, max_size=3).map(tuple)
groups = st.lists(st.lists(patterns, min_size=1, max_size=2).map(tuple), max_size=2).map(tuple)


def fnmatch_like(pattern: str, text: str, ignore_case: bool) -> bool:
    """``*`` -> ``.*``, ``?`` -> ``.``, everything else literal; the whole text."""
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text, re.DOTALL | (re.IGNORECASE if ignore_case else 0)) is not None


@MANY
@given(globs, texts, st.booleans())
def test_matches_agrees_with_the_regex_translation(pattern: str, text: str, ignore_case: bool) -> None:
    assert glob.matches(from_glob(pattern), text, ignore_case) == fnmatch_like(pattern, text, ignore_case)
    assert glob.compile_pattern(from_glob(pattern), ignore_case)(text) == fnmatch_like(pattern, text, ignore_case)


@MANY
@given(patterns, texts)
def test_matches_agrees_with_the_reference_with_symbols(pattern: tuple, text: str) -> None:
    assert glob.matches(pattern, text) == ref.matches(pattern, text)


@MANY
@given(patterns, patterns)
def test_overlaps_agrees_with_the_reference(a: tuple, b: tuple) -> None:
    assert glob.overlaps(a, b) == ref.overlaps(a, b)
    assert glob.overlaps_loose(a, b) == ref.overlaps_loose(a, b)


@MANY
@given(pattern_sets, patterns, groups, st.booleans())
def test_covers_agrees_with_the_reference(include: tuple, required: tuple, within: tuple, loose: bool) -> None:
    assert glob.covers(include, required, within, loose) == ref.covers(include, required, within, loose)


@MANY
@given(globs, globs)
def test_action_and_resource_helpers_agree_with_the_reference(pattern: str, other: str) -> None:
    text = other.replace("*", "x").replace("?", "y")
    assert action_matches(pattern, text.upper()) == ref.matches(ref.from_glob(pattern.lower()), text.lower())
    assert resource_matches(pattern, text) == ref.matches(ref.from_glob(pattern), text)
    assert action_covers([pattern], other) == ref.covers((ref.from_glob(pattern.lower()),), ref.from_glob(other.lower()))
    assert resource_covers(pattern, other) == ref.covers((ref.from_glob(pattern),), ref.from_glob(other))


def test_normalize_collapses_only_runs_of_stars() -> None:
    assert glob.normalize(from_glob("a***b**")) == from_glob("a*b*")
    assert glob.normalize(from_glob("*?*?")) == from_glob("*?*?")  # ? never matches a symbol: order matters
    assert glob.overlaps((STAR, ANY), (Symbol("Y"), STAR, "a"))  # ${Y} then "a": *? matches, ?* would not
    assert not glob.overlaps((ANY, STAR), (Symbol("Y"), STAR, "a"))


# --- linear time on hostile patterns -----------------------------------------------------------------------

STARS = "*" * 1000


def test_a_thousand_stars_match_in_linear_time() -> None:
    with finishes_within(10):
        assert not glob.matches(from_glob(STARS + "a"), "b" * 10_000)  # the reference: 3^1000 steps
        assert glob.matches(from_glob(STARS + "a"), "b" * 10_000 + "a")
        assert not glob.matches(from_glob("*a" * 1000 + "c"), "a" * 10_000)
        assert glob.matches(from_glob("*a" * 1000 + "*"), "a" * 1000)
        assert not glob.matches(from_glob("*a" * 1000 + "*"), "a" * 999)
        assert not action_matches(STARS + "a", "lambda:GetFunction")
        assert resource_matches("arn:" + STARS + ":function:" + STARS, "arn:aws:lambda:us-east-1:1:function:f")


def test_long_question_mark_runs_match_without_blowing_up() -> None:
    text = "a" * 20_000
    with finishes_within(10):
        assert not glob.matches(from_glob("*" + "?" * 1000 + "b*"), text)
        assert glob.matches(from_glob("*" + "a?" * 1000 + "*"), text)
        assert not glob.matches(from_glob("*" + "a?" * 1000 + "c*"), text)
        assert glob.matches(from_glob("?" * 20_000), text)


def test_overlaps_is_linear_on_many_stars() -> None:
    with finishes_within(10):  # the reference walks 10^8 pairs of positions
        assert not glob.overlaps(from_glob("*a" * 10_000 + "c"), from_glob("*a" * 10_000 + "b"))
        assert glob.overlaps(from_glob(STARS + "a"), from_glob("b" + STARS))
        assert glob.overlaps(from_glob("*a?" * 3000 + "c"), from_glob("a" * 9000 + "?c"))
        assert not glob.overlaps(from_glob("*a?" * 3000 + "c"), parse_template("a" * 9000 + "${X}c").tokens)


def test_covers_with_question_mark_runs_is_small() -> None:
    """``*a???...`` is the textbook exponential subset construction; a counterexample needs only an "other"
    character where the required pattern leaves one open, so the search stays small."""
    with finishes_within(10):
        for k in (8, 16, 1000):
            assert glob.covers((from_glob("*a" + "?" * k), from_glob("*b" + "?" * k), from_glob("*c")), from_glob("*c"))
            assert not glob.covers((from_glob("s3:*" + "?" * k), from_glob("s3:" + "?" * 5 + "*")), from_glob("s3:*"))
        assert glob.covers((from_glob(STARS + "a"),), from_glob(STARS + "a"))
        assert not glob.covers((from_glob("arn:*:function:x*"),), from_glob("arn:" + "*a" * 1000))


def _hard(n: int) -> tuple[tuple, tuple, tuple]:
    """A question whose search grows exponentially with ``n``: a NotResource-style group that names many
    characters, and include patterns that each remember whether they saw a pair of them."""
    include = tuple(from_glob(f"*{chr(97 + i)}*{chr(65 + i)}*") for i in range(n)) + (from_glob("?*z"),)
    within = ((from_glob("?*z"), from_glob("".join(chr(97 + i) + chr(65 + i) for i in range(n)) + "z")),)
    return include, from_glob("*z"), within


def test_covers_is_bounded_and_says_so() -> None:
    include, required, within = _hard(4)  # about 5,600 steps
    assert glob.covers(include, required, within)
    assert not glob.covers(include, required)
    assert ref.covers(include, required, within)
    with finishes_within(20):
        hard = _hard(14)  # the reference: hours
        try:
            glob.covers(*hard)
        except TooComplex:
            pass


def test_a_work_limit_is_shared_and_deterministic() -> None:
    include, required, within = _hard(4)
    with_room = WorkLimit(50_000)
    assert glob.covers(include, required, within, work=with_room)  # cached from now on
    assert 0 < with_room.left < 50_000
    for _ in range(2):  # cached or not: the same answer, the same charge
        tight = WorkLimit(1_000)
        try:
            glob.covers(include, required, within, work=tight)
            raise AssertionError("expected TooComplex")
        except TooComplex:
            pass
        assert tight.left <= 0
    exhausted = WorkLimit(0)
    assert glob.covers((from_glob("*"),), required, within, work=exhausted)  # no search needed: still answered
    assert glob.covers(include, from_glob("xz"), within, work=exhausted)


def test_an_undecidable_question_is_unknown_not_a_hang() -> None:
    """Strings ending in ``z`` outside a NotResource list are allowed by one statement; those inside it must be
    granted by the other's resources, which remember pairs of the characters the list names."""
    n = 12
    pairs = [f"*{chr(97 + i)}*{chr(65 + i)}*" for i in range(n)]
    outside = ["?*z", "".join(chr(97 + i) + chr(65 + i) for i in range(n)) + "z"]
    policy = doc(stmt(action="lambda:*", resource=[*pairs, "?*z"]), stmt(action="lambda:*", resource=None, NotResource=outside))
    with finishes_within(30):  # the reference: about 4^12 subsets
        verdict = PolicySet([policy]).evaluate("lambda:InvokeFunction", "*z")
    assert verdict.status is Status.UNKNOWN
    small = doc(stmt(action="lambda:*", resource=[*pairs[:3], "?*z"]), stmt(action="lambda:*", resource=None, NotResource=outside))
    assert PolicySet([small]).evaluate("lambda:InvokeFunction", "*z").status is Status.GRANTED


# --- Fn::Sub variables and line breaks: linear scanners --------------------------------------------------

SUB_REGEX = re.compile(r"\$\{([^}]*)\}")


@MANY
@given(st.lists(st.sampled_from(["$", "{", "}", "${", "a", "!", ":"]), max_size=12).map("".join))
def test_variables_are_found_as_the_regex_finds_them(text: str) -> None:
    assert list(iter_variables(text)) == [(m.start(), m.end(), m.group(1)) for m in SUB_REGEX.finditer(text)]
    assert replace_variables(text, lambda name, whole: f"<{name}>") == SUB_REGEX.sub(lambda m: f"<{m.group(1)}>", text)


def test_unclosed_variables_are_scanned_in_linear_time() -> None:
    with finishes_within(10):  # the regex search: about 30 minutes on 2 MB
        assert list(iter_variables("${" * 1_000_000)) == []
        assert parse_template("${" * 1_000_000).text == "${" * 1_000_000


def test_a_run_of_carriage_returns_collapses_in_linear_time() -> None:
    with finishes_within(10):
        assert one_line("a" + "\r" * 1_000_000 + "b\r\n\nc") == "a b c"
