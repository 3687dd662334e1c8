"""Run one input through check, ``--fix`` and ``--diff`` (the engine and fixer in-process, the CLI's ``main``
in-process, or the real executable) and say what went wrong, if anything.

The properties (each failure has a ``kind`` and a ``signature`` to deduplicate by):

* no exception escapes (``crash``: signature = exception type + innermost sam_shift_lint frame), no
  ``internal error`` line, exit code 0, 1 or 2 only, and an exit code that matches what the engine found; no Python
  warning (the CLI would print it to stderr: ``stderr-noise``); no open of a file the input names
  (``reads-named-file``: blocked by an audit hook);
* an input that is refused gets one short printable line (``bad-error-line``);
* every report format renders, is encodable as UTF-8, holds no raw control or format characters (bidi controls,
  zero-width characters, U+FEFF) in the human-readable formats, and parses (JSON, SARIF, JUnit XML); no finding's message quotes a long value whole (``bad-output``);
* ``--fix`` is not refused (``fix-refused``, from the fixer's own verification); the fixed text parses with the
  project's parser, with ``json`` for JSON and (when asked) ruamel.yaml for YAML if the original did, to the same
  data; its data differs from the original only where the applied fixes said it would and holds each intended
  change (checked here independently of the fixer's verification); line endings, the final newline and the BOM
  are kept; a second fix changes nothing (``fix-wrong``, ``not-idempotent``);
* ``--diff`` output applied to the original (exactly, in Python; with ``git apply`` when asked) gives the fixed
  file (``diff-mismatch``).
"""
from __future__ import annotations

import contextlib
import io
import json
import math
import os
import re
import sys
import time
import traceback
import unicodedata
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from fuzzkit.patch import PatchError, apply_unified, git_apply

PACKAGE_MARK = os.sep + "sam_shift_lint" + os.sep
FORMATS = ("text", "json", "parseable", "sarif", "junit", "github")


def _control_class() -> str:
    """Characters that must never reach a terminal or a CI log raw: C0 (but \\t and \\n), DEL, C1, and every format
    character (Cf: bidi controls, zero-width characters, U+FEFF...), line and paragraph separator, from the running
    Python's Unicode database (once per process: about 0.2 s)."""
    ranges: list[list[int]] = []
    for code in range(sys.maxunicode + 1):
        if chr(code) not in "\t\n" and unicodedata.category(chr(code)) in ("Cc", "Cf", "Zl", "Zp"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in ranges) + "]"


_CONTROL = re.compile(_control_class())
MAX_ERROR_LINE = 500
MAX_MESSAGE = 2000  # a finding's message: longer ones quote an input value whole (values are cut at 200 characters)
SLOW_SECONDS = 5.0  # CPU seconds for one input (check, fix, diff and the checks here) before it is "slow"


class ForbiddenOpen(BaseException):
    """The tool tried to open a file the input names (raised by the audit hook, which blocks the open)."""


_GUARD: dict[str, str | None] = {"text": None}
_ALLOWED: list[str] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    """Block, while a case runs, any ``open`` of a file outside the Python installation, the package and the
    user's cache whose name occurs in the input: a template must not choose which files the linter reads."""
    text = _GUARD["text"]
    if text is None or event != "open" or not isinstance(args[0], (str, bytes)):
        return
    path = os.path.abspath(os.fsdecode(args[0]))
    name = os.path.basename(path)
    if not name or name.startswith("sam-shift-lint-refused-") or path == os.devnull or path.startswith(tuple(_ALLOWED)):
        return
    if name in text:
        raise ForbiddenOpen(path)


@contextlib.contextmanager
def guarded(raw: bytes | None) -> Iterator[None]:
    """Run with the file-open guard on for the input ``raw`` (None: off, for the oracle's own files)."""
    if not _ALLOWED:
        import site
        import sysconfig

        import sam_shift_lint

        package = os.path.dirname(os.path.abspath(str(sam_shift_lint.__file__)))
        roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, *site.getsitepackages(), sysconfig.get_paths()["stdlib"],
                 package, os.path.join(os.path.dirname(package), "rules"), "~/.cache",
                 os.environ.get("XDG_CACHE_HOME", "~/.cache"), sys.pycache_prefix or sys.prefix}
        _ALLOWED.extend(os.path.abspath(os.path.expanduser(root)) + os.sep for root in roots)
        sys.addaudithook(_audit)
    previous = _GUARD["text"]
    _GUARD["text"] = raw.decode("utf-8", "replace") if raw is not None else None
    try:
        yield
    finally:
        _GUARD["text"] = previous


class Timeout(BaseException):
    """Raised by the long run's and the tests' per-input alarm (a BaseException, so that neither the tool's
    ``except Exception`` nor the oracle's catches it)."""


@dataclass(frozen=True)
class Case:
    """One input. ``name``: the file name it is checked under (a relative path; it decides e.g. whether a
    policy is a CloudFormation role policy)."""

    raw: bytes
    name: str = "template.yaml"
    unsafe: bool = False
    alias: str = "live"
    deployment_type: str = "AllAtOnce"
    placement: str = "auto"
    format: str = "text"
    origin: str = ""

    def cli_options(self) -> list[str]:
        options = ["--format", self.format]
        if self.unsafe:
            options.append("--unsafe-fixes")
        if self.alias != "live":
            options += ["--alias-name", self.alias]
        if self.deployment_type != "AllAtOnce":
            options += ["--deployment-type", self.deployment_type]
        if self.placement != "auto":
            options += ["--placement", self.placement]
        return options


@dataclass
class Failure:
    kind: str
    signature: str
    message: str
    where: str = ""

    def summary(self) -> str:
        return f"[{self.kind}] {self.signature}: {self.message[:300]}"


@dataclass
class Report:
    paths: list[str] = field(default_factory=list)  # "check", "render", "fix", "diff", "git", "cli", "ruamel"
    failures: list[Failure] = field(default_factory=list)
    error: str | None = None  # the line the tool reports when it refuses the file
    checked: bool = False
    findings: int = 0
    fixable: bool = False
    fixed: bytes | None = None  # the fixed file's bytes, when the fix changed something
    diff: str | None = None
    seconds: float = 0.0


class Options:
    """What to run besides check and in-process fix/diff (the costly extras are for a sample)."""

    def __init__(
        self, ruamel: bool = False, git: bool = False, cli: bool = False, render_all: bool = False, idempotence: bool = True,
        fix: bool = True, second_parser: bool = True,
    ) -> None:
        self.ruamel = ruamel  # the fixed YAML with ruamel.yaml too
        self.git = git  # --diff through the real ``git apply``
        self.cli = cli  # check, --fix and --diff through ``cli.main`` in-process
        self.render_all = render_all  # every report format (else the case's own)
        self.idempotence = idempotence  # a second fix of the fixed file
        self.fix = fix  # --fix and --diff (else check and render only)
        # The fixer's own ruamel.yaml verification of each pass (its step 4). Off: the fixer's ``ruamel_accepts``
        # is a stub that accepts (everything else of the fixer runs, the excerpt it would ask about included).
        # It costs about a third of the long run's CPU time, so the long run asks it for a sample only.
        self.second_parser = second_parser


# ---------------------------------------------------------------------------------------------- failures


def crash_signature(error: BaseException, where: str) -> str:
    """Exception type + the innermost frame inside sam_shift_lint (else the innermost frame)."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if PACKAGE_MARK in frame.filename]
    frame = ours[-1] if ours else frames[-1] if frames else None
    location = "?"
    if frame is not None:
        filename = frame.filename.split(PACKAGE_MARK, 1)[-1] if PACKAGE_MARK in frame.filename else os.path.basename(frame.filename)
        location = f"{filename}:{frame.name}"
    return f"{where}:{type(error).__name__}@{location}"


def timeout_failure(error: BaseException, seconds: float) -> Failure:
    """A ``hang``, signed by where the alarm interrupted the tool."""
    signature = crash_signature(error, "hang").replace("hang:Timeout@", "hang@")
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    return Failure("hang", signature, f"no answer within {seconds} s of CPU time; interrupted in:\n{text[-3000:]}", "time")


def _crash(report: Report, error: BaseException, where: str) -> None:
    text = "".join(traceback.format_exception(type(error), error, error.__traceback__))
    report.failures.append(Failure("crash", crash_signature(error, where), text[-4000:], where))


def _fail(report: Report, kind: str, signature: str, message: str, where: str) -> None:
    report.failures.append(Failure(kind, signature, message, where))


def normalize_reason(reason: str) -> str:
    """A refusal or error message without the parts that vary per input (paths, numbers, quoted values)."""
    reason = reason.split(" (details to report:", 1)[0]
    reason = re.sub(r"^\d+:\d+: ", "", reason)
    parse = re.match(r"the fixed text does not parse \((?:\d+:\d+: )?(.*)\)$", reason)
    if parse:  # keep the parser's complaint: "duplicate key" and "did not find expected key" differ in cause
        reason = "the fixed text does not parse: " + parse.group(1)
    reason = re.sub(r"'[^']*'|\"[^\"]*\"|\([^)]*\)|\[[^\]]*\]", "…", reason)
    reason = re.sub(r"\d+", "N", reason)
    return reason[:120]


def input_traits(raw: bytes) -> str:
    """Traits of an input that known fix refusals depend on, as a signature suffix (``[nan,cr]``), so that
    refusals with different causes are told apart without minimising each one."""
    text = raw.decode("utf-8", "replace")
    traits = []
    if raw.startswith(b"\xef\xbb\xbf" * 2):
        traits.append("two-boms")
    if re.search(r"(?i)\.nan\b|\bNaN\b", text):
        traits.append("nan")
    if re.search(r"\r(?!\n)", text):
        traits.append("lone-cr" if "\n" in text else "cr-only")
    if "\u2028" in text or "\u2029" in text or "\u0085" in text:
        traits.append("unicode-line-separator")
    if text and not text.endswith(("\n", "\r")) and re.search(r":\s*[|>][-+0-9]*\s*$", text, re.M):
        traits.append("block-scalar-no-final-newline")
    if re.search(r"\\(x[01][0-9a-fA-F]|x[89][0-9a-fA-F]|x7[fF]|u00[01][0-9a-fA-F]|u00[89][0-9a-fA-F]|u202[89]|[eabfvNLP0])", text):
        traits.append("escaped-control")  # a control character or line break written as an escape (a fix may write it raw)
    return f"[{','.join(traits)}]" if traits else ""


def _refusal(error: Any) -> str:
    """The fixer's refusal with the report it wrote (which is then removed)."""
    text = str(error.reason)
    with guarded(None):
        return _read_report(error.report, text)


def _read_report(report: str | None, text: str) -> str:
    if report and os.path.isfile(report):
        with open(report, encoding="utf-8", errors="replace") as handle:
            text = handle.read(6000)
        os.unlink(report)
    return text


def check_error_line(report: Report, line: str, where: str) -> None:
    """A refused input gets one short, printable line."""
    if "\n" in line or "\r" in line:
        _fail(report, "bad-error-line", "error-line-multiline", repr(line[:300]), where)
    if _CONTROL.search(line):
        _fail(report, "bad-error-line", "error-line-control-characters", repr(line[:300]), where)
    if len(line) > MAX_ERROR_LINE:
        reason = normalize_reason(line.split(" error: ", 1)[-1])[:60]
        _fail(report, "bad-error-line", f"error-line-long:{reason}", f"{len(line)} characters: {line[:200]!r}...", where)
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        _fail(report, "bad-error-line", "error-line-unencodable", repr(line[:300]), where)


# ---------------------------------------------------------------------------------------------- data


def same(a: Any, b: Any) -> bool:
    """Type-strict equality (``True`` is not ``1``, ``1`` is not ``1.0``) in which NaN equals NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):  # key order is no part of the data (as for CloudFormation and the fixer)
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


def differences(a: Any, b: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """Where ``b`` differs from ``a`` (key order aside): ("add"|"remove", key path), ("list", list path) or
    ("replace", path)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in a:
            if key not in b:
                yield "remove", path + (key,)
        for key in b:
            if key not in a:
                yield "add", path + (key,)
            else:
                yield from differences(a[key], b[key], path + (key,))
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for index, (x, y) in enumerate(zip(a, b)):
            yield from differences(x, y, path + (index,))
    elif isinstance(a, list) and isinstance(b, list):
        yield "list", path
    elif not same(a, b):
        yield "replace", path


def _related(p: tuple[Any, ...], q: tuple[Any, ...]) -> bool:
    """One path is a prefix of the other."""
    n = min(len(p), len(q))
    return p[:n] == q[:n]


def explained(kind: str, path: tuple[Any, ...], changes: Sequence[Any]) -> bool:
    """Is a difference at ``path`` one of the intended changes (or made by one)?"""
    for change in changes:
        target = tuple(change.path)
        if change.op in ("add", "replace") and _related(path, target):
            return True
        if change.op == "rename" and (_related(path, target) or _related(path, target[:-1] + (change.value,))):
            return True
        if change.op == "remove" and (path == target[:-1] or _related(path, target)):
            return True
        if change.op == "add" and kind == "list" and path == target[:-1]:
            return True
    return False


class ReplayError(Exception):
    pass


class Recorder:
    """What one ``fix_context`` call did: the findings of its first check (what check mode reports) and the
    fixes it chose in each pass (``passes`` is None when the fixer has no ``_choose`` to watch)."""

    def __init__(self) -> None:
        self.first: list[Any] | None = None
        self.passes: list[list[Any]] | None = None
        self.rules: dict[int, str] = {}  # id(fix) -> the rule whose finding offered it
        self.parsed: tuple[str, Any] | None = None  # the last text the fixer parsed, and its Document

    def last_pass_rules(self) -> str:
        """``{E9118+E9119}``: the rules whose fixes made the last pass (the one refused, after a refusal)."""
        if not self.passes:
            return ""
        return "{" + "+".join(sorted({self.rules.get(id(fix), "?") for fix in self.passes[-1]})) + "}"


@contextlib.contextmanager
def second_parser(enabled: bool) -> Iterator[None]:
    """The fixer's ruamel.yaml verification as it is (``enabled``), or a stub that accepts every pass's result.
    Only the verification (``SecondParser.check``) is stubbed: whether ruamel.yaml accepts the original also
    decides which line break added lines end with (``SecondParser.keep_lines``), and a stub answering yes there
    made the fixer end lines with LF in NEL/U+2028 files that ruamel.yaml rejects, which the CLI never does
    (seed 20261129 inputs 44, 418, 845, 941, 4671, 6925, 8141)."""
    if enabled:
        yield
        return
    from sam_shift_lint import fixer

    real = fixer.SecondParser.check
    fixer.SecondParser.check = _accept  # type: ignore[method-assign]
    try:
        yield
    finally:
        fixer.SecondParser.check = real  # type: ignore[method-assign]


def _accept(self: Any, after: Any, changed: Any) -> None:
    return None


@contextlib.contextmanager
def recording(fixer: Any) -> Iterator[Recorder]:
    """Watch the fixer's first check and its choice of fixes in each pass."""
    recorder = Recorder()
    check = fixer.check_context
    choose = getattr(fixer, "_choose", None)

    def check_spy(*args: Any, **kwargs: Any) -> Any:
        findings = check(*args, **kwargs)
        if recorder.first is None:
            recorder.first = list(findings)
        recorder.rules.update((id(finding.fix), finding.rule) for finding in findings if finding.fix is not None)
        return findings

    def choose_spy(fixes: Any) -> Any:
        assert choose is not None and recorder.passes is not None
        chosen = choose(fixes)
        if chosen:
            recorder.passes.append(list(chosen))
        return chosen

    parse = getattr(fixer, "parse", None)

    def parse_spy(path: str, text: str, *args: Any, **kwargs: Any) -> Any:
        assert parse is not None
        document = parse(path, text, *args, **kwargs)
        recorder.parsed = (text, document)
        return document

    fixer.check_context = check_spy
    if choose is not None:
        recorder.passes = []
        fixer._choose = choose_spy
    if parse is not None:
        fixer.parse = parse_spy
    try:
        yield recorder
    finally:
        fixer.check_context = check
        if choose is not None:
            fixer._choose = choose
        if parse is not None:
            fixer.parse = parse


def replay(data: Any, passes: Sequence[Sequence[Any]]) -> Any:
    """``data`` with each pass's intended changes applied (identical changes once per pass)."""
    data = plain_copy(data)
    for chosen in passes:
        unique: list[Any] = []
        for fix in chosen:
            for change in fix.changes:
                if change not in unique:
                    unique.append(change)
        for change in unique:
            apply_intended(data, change)
    return data


def plain_copy(data: Any) -> Any:
    """A copy of parsed data (dicts, lists and immutable scalars): ``copy.deepcopy`` for this one case, at a
    fraction of its cost."""
    if isinstance(data, dict):
        return {key: plain_copy(value) for key, value in data.items()}
    if isinstance(data, list):
        return [plain_copy(value) for value in data]
    return data


def apply_intended(data: Any, change: Any) -> None:
    """One DataChange, as its documentation says: ``add`` creates missing maps on the way and a new key or list
    item at the list's end; ``replace`` an existing key or item; ``rename`` a key in place; ``remove`` a list item."""
    import copy

    node = data
    path = tuple(change.path)
    if not path:
        raise ReplayError(f"{change.op} with an empty path")
    for key in path[:-1]:
        if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
        elif isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, dict) and change.op == "add":
            node = node.setdefault(key, {})
        else:
            raise ReplayError(f"{change.op} {list(path)}: no {key!r} on the way")
    last = path[-1]
    value = copy.deepcopy(change.value)
    if isinstance(node, list):
        if not isinstance(last, int):
            raise ReplayError(f"{change.op} {list(path)}: a key in a list")
        if change.op == "add" and last == len(node):
            node.append(value)
        elif change.op == "replace" and 0 <= last < len(node):
            node[last] = value
        elif change.op == "remove" and 0 <= last < len(node):
            del node[last]
        else:
            raise ReplayError(f"{change.op} {list(path)}: outside the list")
        return
    if not isinstance(node, dict):
        raise ReplayError(f"{change.op} {list(path)}: not a map")
    if change.op == "add" and last not in node:
        node[last] = value
    elif change.op == "replace" and last in node:
        node[last] = value
    elif change.op == "rename" and last in node and value not in node:
        items = [(value if key == last else key, item) for key, item in node.items()]
        node.clear()
        node.update(items)
    else:
        raise ReplayError(f"{change.op} {list(path)} does not fit the data")


# ---------------------------------------------------------------------------------------------- line endings


def line_endings(text: str) -> set[str]:
    kinds = set()
    if "\r\n" in text:
        kinds.add("CRLF")
    if re.search(r"\r(?!\n)", text):
        kinds.add("CR")
    if re.search(r"(?<!\r)\n", text):
        kinds.add("LF")
    for name, char in (("NEL", "\u0085"), ("LS", "\u2028"), ("PS", "\u2029")):  # line breaks to YAML 1.1 (libyaml)
        if char in text:
            kinds.add(name)
    return kinds


def lf_may_be_added(document: Any) -> bool:
    """May a fix add LF lines to a YAML file that had none? Where it has no line break outside its values, and where
    it breaks its lines outside them only with NEL/U+2028/U+2029 (libyaml's line breaks) and ruamel.yaml (YAML 1.2,
    which reads them as content after a plain scalar) accepts it: lines ending ``key: value<U+2028>`` would not
    be valid YAML 1.2 there."""
    outside = line_endings(outside_values(document))
    if not outside:
        return True
    return outside <= {"NEL", "LS", "PS"} and document.format == "yaml" and ruamel_load(document.text)[0]


def outside_values(document: Any) -> str:
    """The text of a YAML ``document`` without its plain and quoted scalars (keys too) written over more than one
    line: a line break inside one is part of a value, not a line ending of the file (which is LF where there is
    none outside them)."""
    from sam_shift_lint.parsing.nodes import Mapping, Scalar, Sequence

    text = document.text
    if document.format != "yaml":
        return text
    spans, stack = [], [document.root]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            stack.extend(part for entry in node.entries.values() for part in entry)
        elif isinstance(node, Sequence):
            stack.extend(node.items)
        elif isinstance(node, Scalar) and node.style not in ("|", ">"):
            spans.append((node.span.start, node.span.end))
    kept, position = [], 0
    for start, end in sorted(spans):
        if start >= position:
            kept.append(text[position:start])
            position = end
    return "".join(kept) + text[position:]


def ends_with_break(text: str, yaml: bool = False) -> bool:
    """Does ``text`` end with a line break (for YAML, as libyaml reads it: NEL, U+2028 and U+2029 too)?"""
    return text.endswith(("\n", "\r", "\x85", "\u2028", "\u2029") if yaml else ("\n", "\r"))


# ---------------------------------------------------------------------------------------------- second parsers


def _ruamel_plain(value: Any) -> Any:
    """ruamel.yaml round-trip data as plain data with CloudFormation short tags in their long form; raises
    ValueError for what has no plain equivalent (non-string keys, other tags)."""
    from ruamel.yaml.comments import TaggedScalar

    tag = getattr(getattr(value, "tag", None), "value", None) if not isinstance(value, (str, int, float, bool)) or isinstance(value, TaggedScalar) else None
    if isinstance(tag, str) and tag.startswith("!") and not tag.startswith("!!"):
        from sam_shift_lint.parsing.yaml_parser import SHORT_TAGS

        if tag not in SHORT_TAGS:
            raise ValueError(f"tag {tag}")
        inner: Any
        if isinstance(value, TaggedScalar):
            inner = str(value.value)
            if tag == "!GetAtt":
                resource, _, attribute = inner.partition(".")
                inner = [resource, attribute]
        elif isinstance(value, dict):
            inner = {str(k): _ruamel_plain(v) for k, v in value.items()}
        else:
            inner = [_ruamel_plain(v) for v in value]
        return {SHORT_TAGS[tag]: inner}
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise ValueError("non-string key")
        return {str(k): _ruamel_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_ruamel_plain(v) for v in value]
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    raise ValueError(type(value).__name__)


def ruamel_load(text: str) -> tuple[bool, Any]:
    """(accepted, plain data or None when it has no plain equivalent)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        with warnings.catch_warnings():  # the oracle's own parse: its warnings are not the tool's
            warnings.simplefilter("ignore")
            loaded = YAML(typ="rt").load(text)
    except (YAMLError, ValueError, RecursionError, TypeError, AttributeError):
        return False, None
    try:
        return True, _ruamel_plain(loaded)
    except (ValueError, RecursionError):
        return True, None


def json_load(text: str) -> tuple[bool, Any]:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                raise ValueError("duplicate key")
            result[key] = value
        return result

    try:
        return True, json.loads(text, object_pairs_hook=pairs)
    except (ValueError, RecursionError):
        return False, None


# ---------------------------------------------------------------------------------------------- output


def check_output(report: Report, format_name: str, text: str) -> None:
    where = f"render:{format_name}"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        _fail(report, "bad-output", f"unencodable:{format_name}", str(error)[:300], where)
        return
    if format_name in ("text", "parseable", "github"):
        match = _CONTROL.search(text)
        if match:
            line = next(line for line in text.split("\n") if _CONTROL.search(line))
            _fail(report, "bad-output", f"control-characters:{format_name}", f"raw {match.group()!r} in {line[:200]!r}", where)
        if format_name == "github":
            lines = [line for line in text.split("\n") if line]
            if lines and lines[-1].startswith("sam-shift-lint: "):
                lines.pop()  # the run's one summary, after the annotations
            stray = [line for line in lines if not line.startswith("::")]
            if stray:
                _fail(report, "bad-output", "github-stray-line", repr(stray[0][:200]), where)
    elif format_name in ("json", "sarif"):
        ok, _ = json_load(text)
        if not ok:
            _fail(report, "bad-output", f"invalid:{format_name}", text[:300], where)
    elif format_name == "junit":
        import xml.etree.ElementTree as ElementTree

        try:
            ElementTree.fromstring(text.encode("utf-8"))
        except ElementTree.ParseError as error:
            _fail(report, "bad-output", "invalid:junit", str(error)[:300], where)


_RULES: dict[str, Any] | None = None


def render(report: Report, findings: list[Any], format_name: str, checked: int = 1) -> None:
    from sam_shift_lint import __version__
    from sam_shift_lint.checks.registry import all_rules
    from sam_shift_lint.output import OutputContext
    from sam_shift_lint.output import render as render_output

    global _RULES
    if _RULES is None:
        _RULES = {rule.id: rule for rule in all_rules()}
    try:
        text = render_output(format_name, findings, _RULES, OutputContext(version=__version__, files_checked=checked))
    except Exception as error:
        _crash(report, error, f"render:{format_name}")
        return
    check_output(report, format_name, text)


# ---------------------------------------------------------------------------------------------- in-process


def run_case(case: Case, workdir: str, options: Options | None = None) -> Report:
    """Check, render, fix and diff ``case`` in-process (the engine and fixer APIs, as the CLI calls them)."""
    options = options or Options()
    report = Report()
    started = time.process_time()  # CPU time: a busy machine does not make an input slow
    try:
        with guarded(case.raw), warnings.catch_warnings(record=True) as shown, second_parser(options.second_parser or options.cli):
            _run(case, workdir, options, report)
        for warning in {(w.category.__name__, str(w.message).strip()[:300]) for w in shown}:
            # a Python warning is printed to stderr by the CLI: many lines, and not from the tool
            _fail(report, "stderr-noise", f"warning:{warning[0]}", warning[1], "check")
    except ForbiddenOpen as error:
        location = crash_signature(error, "opens").split("@", 1)[-1]
        _fail(report, "reads-named-file", f"reads-named-file@{location}", f"the tool opened {error.args[0]}, a file the input names", "check")
    except MemoryError:
        raise
    except Exception as error:  # a failure of the oracle's own checks counts as a crash too
        _crash(report, error, "oracle")
    report.seconds = time.process_time() - started
    if report.seconds > SLOW_SECONDS:
        _fail(report, "slow", f"slow:{'+'.join(report.paths)}", f"{report.seconds:.1f} s for {len(case.raw)} bytes", "time")
    return report


def _on_alarm(signum: int, frame: Any) -> None:
    import gc

    callbacks = {getattr(callback, "__code__", None) for callback in gc.callbacks}
    while frame is not None:
        if frame.f_code in callbacks:
            return  # an exception raised in a gc callback is swallowed: let the repeating timer fire again
        frame = frame.f_back
    raise Timeout()


def run_with_timeout(case: Case, workdir: str, options: Options | None = None, seconds: float = 10.0) -> Report:
    """:func:`run_case` under a per-input limit of ``seconds`` of CPU time (``ITIMER_PROF``: a busy machine does
    not make a slow input look hung; main thread only). An input still running then is a ``hang`` failure,
    signed by where the tool was interrupted."""
    import signal

    previous = signal.signal(signal.SIGPROF, _on_alarm)
    # Repeating, in case it fires inside a gc callback (hypothesis installs one), where a Timeout would be swallowed.
    signal.setitimer(signal.ITIMER_PROF, seconds, 1.0)
    try:
        return run_case(case, workdir, options)
    except Timeout as error:
        signal.setitimer(signal.ITIMER_PROF, 0)
        report = Report(paths=["check"])
        report.failures.append(timeout_failure(error, seconds))
        return report
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


def _run(case: Case, workdir: str, options: Options, report: Report) -> None:
    from sam_shift_lint.engine import prepare
    from sam_shift_lint.findings import applies
    from sam_shift_lint.settings import FixSettings, LintSettings

    path = os.path.join(workdir, case.name)
    fixes = FixSettings(case.alias, case.deployment_type, case.placement)  # type: ignore[arg-type]
    report.paths.append("check")
    try:
        prepared = prepare(case.raw, path, case.name, True, LintSettings(), fixes)
    except Exception as error:
        _crash(report, error, "check")
        return
    if prepared.error is not None:
        report.error = prepared.error
        check_error_line(report, f"{case.name}: error: {prepared.error}", "check")
        if options.cli:
            _cli_inprocess(case, report, None)
        return
    if prepared.context is None:
        if options.cli:
            # Skipped as not ours; standard input reports any candidate that does not parse (engine.prepare).
            piped = prepare(case.raw, path, case.name, True, LintSettings(), fixes, stdin=True)
            _cli_inprocess(case, report, None, piped_error=piped.error is not None)
        return
    ctx = prepared.context
    # One fix_context call: its first check is what check mode reports (the CLI runs the same check_context on
    # the same context); for an input with no applicable fix nothing more happens.
    from sam_shift_lint import fixer

    outcome: Any = None
    refusal: Any = None
    with recording(fixer) as recorder:
        try:
            if options.fix:
                outcome = fixer.fix_context(ctx, None, case.unsafe)
            else:
                spied: Any = fixer  # its check_context is the recorder's spy now
                spied.check_context(ctx)  # what check mode runs (recorded as the first check)
        except fixer.FixError as error:
            refusal = error
        except Exception as error:
            _crash(report, error, "check" if recorder.first is None else "fix")
            return
    findings = recorder.first or []
    for finding in findings:
        if len(finding.message) > MAX_MESSAGE:
            _fail(report, "bad-output", f"long-message:{finding.rule}", f"{len(finding.message)} characters: {finding.message[:200]!r}...", "check")
    report.checked = True
    report.findings = len(findings)
    report.paths.append("render")
    for format_name in FORMATS if options.render_all else (case.format,):
        render(report, findings, format_name)
    report.fixable = any(applies(finding.fix, case.unsafe) for finding in findings)
    if report.fixable and options.fix:
        report.paths.append("fix")
        if ctx.document.format == "yaml" and (options.second_parser or options.cli):
            report.paths.append("second-parser")  # the fixer's ruamel.yaml verification ran (not a stub)
        if refusal is not None:
            traits = input_traits(case.raw) or recorder.last_pass_rules()  # no telling trait: which fixes met
            _fail(report, "fix-refused", f"fix-refused:{normalize_reason(refusal.reason)}{traits}", _refusal(refusal), "fix")
        else:
            _verify_fix(case, ctx, findings, outcome, recorder, options, report)
    elif refusal is not None:
        _fail(report, "fix-refused", f"fix-refused-unfixable:{normalize_reason(refusal.reason)}", _refusal(refusal), "fix")
    if options.cli:
        _cli_inprocess(case, report, findings)


def _verify_fix(case: Case, ctx: Any, findings: list[Any], outcome: Any, recorder: Recorder, options: Options, report: Report) -> None:
    """The properties of a fix the fixer made (``outcome``) and of its diff."""
    from sam_shift_lint import fixer
    from sam_shift_lint.difftext import unified_diff
    from sam_shift_lint.findings import applies
    from sam_shift_lint.parsing.document import parse
    from sam_shift_lint.parsing.errors import DocumentError

    document = ctx.document
    left = sorted({f.rule for f in outcome.remaining if applies(f.fix, case.unsafe)})
    if left:  # reported as fixable ([*]) but --fix leaves it
        _fail(report, "fix-wrong", f"fix-left-fixable:{','.join(left)}", f"after --fix, {', '.join(left)} still offer{'s' if len(left) == 1 else ''} an applicable fix (text changed: {outcome.changed})", "fix")
    if not outcome.changed:
        return
    before, after = document.text, outcome.text
    fixed_bytes = fixer.encode(document, after)
    report.fixed = fixed_bytes

    # 1. the fixed text parses, to the original data with exactly the applied fixes' intended changes (replayed
    #    here, pass by pass, independently of the fixer's own verification)
    try:
        if recorder.parsed is not None and recorder.parsed[0] == after:
            fixed_document = recorder.parsed[1]  # the fixer's own parse of this text (the same function, once)
        else:
            fixed_document = parse(document.path, after, document.bom)
    except DocumentError as error:
        _fail(report, "fix-wrong", f"fix-unparsable{input_traits(case.raw)}", str(error), "fix")
        return
    original_data, fixed_data = document.data(), fixed_document.data()
    if recorder.passes is not None:
        try:
            expected = replay(original_data, recorder.passes)
        except ReplayError as error:
            _fail(report, "fix-wrong", "fix-intent-inconsistent", str(error), "fix")
        else:
            if not same(expected, fixed_data):
                kind, where = next(differences(expected, fixed_data), ("?", ()))
                _fail(report, "fix-wrong", f"fix-data-unexplained{input_traits(case.raw)}", f"{kind} at {list(where)}: the fixed data is not the original plus the intended changes", "fix")
    else:  # no pass record: every difference must be one of the first check's intended changes
        changes = [change for finding in findings if applies(finding.fix, case.unsafe) for change in finding.fix.changes]
        unexplained = [(kind, path) for kind, path in differences(original_data, fixed_data) if not explained(kind, path, changes)]
        if unexplained:
            kind, where = unexplained[0]
            _fail(report, "fix-wrong", "fix-data-unexplained", f"{kind} at {list(where)} is no intended change ({len(unexplained)} such)", "fix")

    # 2. the file's conventions are kept
    added = line_endings(after) - line_endings(before)
    if added == {"LF"} and lf_may_be_added(document):
        added = set()
    if before and added and line_endings(before):
        _fail(report, "fix-wrong", f"fix-line-endings{input_traits(case.raw)}", f"{sorted(line_endings(before))} became {sorted(line_endings(after))}", "fix")
    yaml = document.format == "yaml"
    if ends_with_break(before, yaml) != ends_with_break(after, yaml):
        _fail(report, "fix-wrong", f"fix-final-newline{input_traits(case.raw)}", f"final line break {ends_with_break(before, yaml)} -> {ends_with_break(after, yaml)}", "fix")
    if case.raw.startswith(b"\xef\xbb\xbf") != fixed_bytes.startswith(b"\xef\xbb\xbf") or (
        case.raw.startswith(b"\xef\xbb\xbf" * 2) != fixed_bytes.startswith(b"\xef\xbb\xbf" * 2)
    ):
        _fail(report, "fix-wrong", f"fix-bom{input_traits(case.raw)}", f"{case.raw[:6]!r} -> {fixed_bytes[:6]!r}", "fix")

    # 3. second parsers accept it, to the same data as before where they agreed before
    if document.format == "json":
        ok_before, json_before = json_load(before)
        if ok_before and same(json_before, original_data):
            ok_after, json_after = json_load(after)
            if not ok_after or not same(json_after, fixed_data):
                _fail(report, "fix-wrong", f"fix-json-differs{input_traits(case.raw)}", "json.loads disagrees with the tool on the fixed file only", "fix")
    elif options.ruamel:
        report.paths.append("ruamel")
        ok_before, ruamel_before = ruamel_load(before)
        if ok_before:
            ok_after, ruamel_after = ruamel_load(after)
            if not ok_after:
                _fail(report, "fix-wrong", f"fix-ruamel-rejects{input_traits(case.raw)}", "ruamel.yaml accepted the original but rejects the fixed text", "fix")
            elif ruamel_before is not None and same(ruamel_before, original_data) and not (ruamel_after is not None and same(ruamel_after, fixed_data)):
                _fail(report, "fix-wrong", f"fix-ruamel-differs{input_traits(case.raw)}", "ruamel.yaml agreed with the tool on the original, not on the fixed text", "fix")

    # 4. a second fix changes nothing
    if options.idempotence:
        _second_fix(case, ctx, fixed_bytes, report)

    # 5. --diff gives the same result
    report.paths.append("diff")
    bom = "\ufeff" * document.bom  # every byte order mark the file starts with
    try:
        diff = unified_diff(case.name, bom + before, bom + after)
    except Exception as error:
        _crash(report, error, "diff")
        return
    report.diff = diff

    def traits() -> str:  # a hunk line that looks like a file header ("----" is a removed "---" line) is easy to mistake for one
        header_like = re.search(r"(?m)^(-(---|\+\+\+)|\+(---|\+\+\+))", diff.split("\n", 3)[-1])
        return input_traits(case.raw) + ("[header-like-line]" if header_like else "")

    try:
        patched = apply_unified(bom + before, diff)
    except PatchError as error:
        _fail(report, "diff-mismatch", f"diff-does-not-apply{traits()}", str(error), "diff")
    else:
        if patched != bom + after:
            _fail(report, "diff-mismatch", f"diff-result-differs{traits()}", "the patched text is not the fixed text", "diff")
    if options.git:
        report.paths.append("git")
        try:
            with guarded(None):
                applied = git_apply(case.name, case.raw, diff.encode("utf-8", "surrogateescape"))
        except PatchError as error:
            _fail(report, "diff-mismatch", f"git-apply-fails{traits()}", str(error), "git")
        else:
            if applied != fixed_bytes:
                _fail(report, "diff-mismatch", f"git-apply-differs{traits()}", "git apply of --diff is not the --fix result", "git")


def _second_fix(case: Case, ctx: Any, fixed_bytes: bytes, report: Report) -> None:
    from sam_shift_lint import fixer
    from sam_shift_lint.engine import prepare

    report.paths.append("refix")
    try:
        again = prepare(fixed_bytes, ctx.document.path, case.name, True, ctx.lint, ctx.fixes)
        if again.context is None:
            _fail(report, "not-idempotent", "fixed-file-not-checked", again.error or "the fixed file is no longer checked", "fix")
        else:
            second = fixer.fix_context(again.context, None, case.unsafe)
            if second.changed:
                _fail(report, "not-idempotent", f"second-fix-changes{input_traits(case.raw)}", "a second --fix changed the fixed file", "fix")
    except fixer.FixError as error:
        _fail(report, "not-idempotent", f"second-fix-refused:{normalize_reason(error.reason)}{input_traits(case.raw)}", _refusal(error), "fix")
    except Exception as error:
        _crash(report, error, "fix-again")


# ---------------------------------------------------------------------------------------------- CLI


@contextlib.contextmanager
def _captured(stdin: bytes) -> Iterator[tuple[io.BytesIO, io.BytesIO]]:
    """sys.stdin/stdout/stderr replaced by UTF-8 text streams over bytes (strict, as a UTF-8 terminal or pipe)."""
    out, err = io.BytesIO(), io.BytesIO()
    saved = sys.stdin, sys.stdout, sys.stderr
    streams = (
        io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"),
        io.TextIOWrapper(out, encoding="utf-8", write_through=True),
        io.TextIOWrapper(err, encoding="utf-8", write_through=True),
    )
    sys.stdin, sys.stdout, sys.stderr = streams
    try:
        yield out, err
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        for stream in streams:
            try:
                stream.flush()
            except (OSError, ValueError, UnicodeError):
                pass
            stream.detach()  # keep the BytesIO open for getvalue()


def cli_main(argv: list[str], stdin: bytes) -> tuple[int, bytes, bytes]:
    """``sam-shift-lint argv`` in-process: (exit code, stdout bytes, stderr bytes); exceptions propagate."""
    from sam_shift_lint.cli import main

    with _captured(stdin) as (out, err):
        code = main(argv)
    return code, out.getvalue(), err.getvalue()


def check_exit(report: Report, where: str, code: int, stdout: bytes, stderr: bytes, expected: int | None) -> None:
    text = stderr.decode("utf-8", "replace")
    if code not in (0, 1, 2):
        _fail(report, "exit-code", f"exit-{code}:{where}", text[-300:], where)
    if "Traceback" in text:
        _fail(report, "crash", f"traceback:{where}", text[-2000:], where)
    for match in re.finditer(r"^\S+:\d+: (\w+Warning): ", text, re.MULTILINE):
        _fail(report, "stderr-noise", f"warning:{match.group(1)}", text[match.start():match.start() + 300], where)
    for line in text.splitlines():
        if "internal error" in line and "fix refused" not in line:
            _fail(report, "internal-error", f"internal-error:{where}:{normalize_reason(line.split('internal error:', 1)[1])[:60]}", line[:500], where)
        elif "error:" in line:
            check_error_line(report, line, where)
    if expected is not None and code != expected and code in (0, 1, 2) and "internal error" not in text:
        _fail(report, "exit-code", f"unexpected-exit:{where}:{code}-not-{expected}", text[-300:], where)


def _cli_inprocess(case: Case, report: Report, findings: list[Any] | None, piped_error: bool = False) -> None:
    """``sam-shift-lint - --stdin-filename NAME`` (check, --fix, --diff) through ``cli.main`` in-process.
    ``piped_error``: the file was skipped as not ours, but standard input reports it (it does not parse)."""
    report.paths.append("cli")
    base = ["-", "--stdin-filename", case.name, *case.cli_options()]
    expected_check = 2 if report.error is not None or piped_error else (1 if findings else 0)
    try:
        code, out, err = cli_main(base, case.raw)
    except BaseException as error:
        if not isinstance(error, Exception):
            raise
        _crash(report, error, "cli-check")
        return
    check_exit(report, "cli-check", code, out, err, expected_check)
    if case.format == "text":
        check_output(report, "text", out.decode("utf-8", "replace"))
    if not report.fixable:
        return
    for mode in ("--fix", "--diff"):
        try:
            code, out, err = cli_main([*base, mode], case.raw)
        except BaseException as error:
            if not isinstance(error, Exception):
                raise
            _crash(report, error, f"cli{mode}")
            continue
        refused = "fix refused" in err.decode("utf-8", "replace")
        check_exit(report, f"cli{mode}", code, out, err, None)
        if mode == "--fix" and not refused:
            stdout_text = out
            if report.fixed is not None and stdout_text != report.fixed:
                _fail(report, "fix-wrong", "cli-fix-differs", "the CLI's --fix output is not the in-process fix", "cli--fix")
        if mode == "--diff" and not refused and report.diff is not None and out.decode("utf-8", "surrogateescape") != report.diff:
            _fail(report, "diff-mismatch", "cli-diff-differs", "the CLI's --diff output is not the in-process diff", "cli--diff")
