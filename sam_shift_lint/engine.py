"""One entry point for every front door: decide whether a file is ours, build its context, run the selected
rules on it, apply suppression (Metadata and comments) and attach each finding's fix.

Which files are checked is decided here and nowhere else (:func:`prepare`): SAM templates by content (they
name ``AWS::Serverless``), standalone IAM policies and templates with a deploy role once parsed; a file named
on the command line that cannot be read or parsed is reported, one found in a directory that is not ours is
skipped silently.
"""
from __future__ import annotations

from collections.abc import Iterable

from sam_shift_lint import suppression
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.registry import RULES, select_rules
from sam_shift_lint.checks.rule import Rule, Target
from sam_shift_lint.findings import Finding
from sam_shift_lint.model.iam_view import wants_iam_checks
from sam_shift_lint.parsing.document import Document, load, read_bytes
from sam_shift_lint.parsing.errors import MAX_BYTES, DocumentError
from sam_shift_lint.parsing.nodes import Mapping
from sam_shift_lint.records import field, record, replace
from sam_shift_lint.settings import FixSettings, LintSettings

SERVERLESS_MARKER = b"AWS::Serverless"
# The marker as UTF-16 text too, so a SAM template saved as UTF-16 is reported (unsupported) rather than skipped.
_WIDE_MARKERS = tuple(SERVERLESS_MARKER.decode().encode(codec) for codec in ("utf-16-le", "utf-16-be"))


def mentions_serverless(raw: bytes) -> bool:
    """A SAM template names ``AWS::Serverless`` (its Transform or a resource type)."""
    return SERVERLESS_MARKER in raw or any(marker in raw for marker in _WIDE_MARKERS)


def mentions_iam(raw: bytes) -> bool:
    """A policy file, or a template that may hold a deploy role, has a ``Statement``; whether it really is
    one is decided once the file is parsed."""
    return b"Statement" in raw


def is_binary(raw: bytes) -> bool:
    """NUL bytes: not a UTF-8 text file."""
    return b"\x00" in raw


def is_policy_document(document: Document) -> bool:
    """A standalone IAM policy: a map with ``Statement`` that is no template."""
    root = document.root
    return (
        isinstance(root, Mapping)
        and root.intrinsic() is None
        and "Statement" in root
        and "Resources" not in root
        and "AWSTemplateFormatVersion" not in root
    )


def new_context(document: Document, lint: LintSettings | None = None, fixes: FixSettings | None = None) -> CheckContext:
    target = Target.POLICY_FILE if is_policy_document(document) else Target.TEMPLATE
    return CheckContext(document, target, lint or LintSettings(), fixes or FixSettings())


def applies(ctx: CheckContext) -> bool:
    """Do the rules have anything to look at: a policy file, a SAM template or one with a deploy role?"""
    return ctx.target is Target.POLICY_FILE or wants_iam_checks(ctx.sam)


@record(frozen=True)
class Prepared:
    """What :func:`prepare` decided: a context to check, an error to report (without the file name), or
    neither (the file is not ours: skip it silently)."""

    context: CheckContext | None = None
    error: str | None = None
    location: tuple[int, int] = (0, 0)  # the error's (line, column), both from 1; (0, 0): the whole file


def prepare(
    raw: bytes,
    path: str,
    display: str,
    explicit: bool,
    lint: LintSettings | None = None,
    fixes: FixSettings | None = None,
) -> Prepared:
    """Decide whether the file ``raw`` (read from ``path``, reported as ``display``) is checked. ``explicit``:
    named by the user (then binary, oversized or unparsable input is an error, and ``--policy-profile``
    applies)."""
    lint = lint or LintSettings()
    unreadable = is_binary(raw) or len(raw) > MAX_BYTES
    names_serverless = mentions_serverless(raw)
    if not (names_serverless or mentions_iam(raw) or (explicit and unreadable)):
        return Prepared()
    serverless = names_serverless or unreadable  # reported when it cannot be read or parsed
    try:
        document = load(path, raw)
    except DocumentError as error:
        return Prepared(error=str(error), location=(error.line, error.column)) if serverless or explicit else Prepared()
    document.path = display
    if not explicit and lint.policy_profile:
        lint = replace(lint, policy_profile=None)  # --policy-profile: named files only
    ctx = new_context(document, lint, fixes)
    if not serverless and not applies(ctx):
        return Prepared()
    return Prepared(ctx)


def check_context(
    ctx: CheckContext, rules: Iterable[Rule] | None = None, honour_metadata: bool = True, fixes: bool = True
) -> list[Finding]:
    """Findings for one file, sorted, each with its fix under ``ctx.fixes``. ``rules``: those that run
    (default: every default-on rule). ``honour_metadata``: apply Metadata suppression (the rule pack leaves it to
    cfn-lint); suppression comments apply always. ``fixes=False``: no fix is made now; each finding keeps what
    :func:`with_fix` needs to make its fix later (the language server makes fixes only when asked for them)."""
    if not applies(ctx):
        return []
    selected = select_rules() if rules is None else rules
    found = [finding for rule in selected if ctx.target in rule.META.targets for finding in rule.check(ctx)]
    found.sort(key=Finding.sort_key)
    findings = suppression.apply(ctx.document, found, metadata=honour_metadata and ctx.target is Target.TEMPLATE)
    if len(findings) != len(found):  # a context checked rule by rule (the rule pack) gathers them over its calls
        for name, functions in declined(found, findings).items():
            ctx.declined[name] = ctx.declined.get(name, frozenset()) | functions
    return [with_fix(ctx, finding) for finding in findings] if fixes else findings


def declined(found: list[Finding], kept: list[Finding]) -> dict[str, frozenset[str]]:
    """For each function property a fix may add to ``Globals.Function``, the functions where a finding asking
    for it was suppressed and none is reported (what :attr:`CheckContext.declined` holds)."""
    reported = {id(finding) for finding in kept}
    suppressed: dict[str, set[str]] = {}
    asked: dict[str, set[str]] = {}
    for finding in found:
        for name in RULES[finding.rule].META.fix_adds:
            if finding.resource is not None:
                (asked if id(finding) in reported else suppressed).setdefault(name, set()).add(finding.resource)
    return {name: frozenset(functions - asked.get(name, set())) for name, functions in suppressed.items()}


def with_fix(ctx: CheckContext, finding: Finding) -> Finding:
    """The finding with its rule's fix, and without the data the fix was made from (it points into the parsed
    file; a report of many files must not keep every file's node tree alive)."""
    fix = RULES[finding.rule].fix(ctx, finding)
    return replace(finding, fix=fix if fix is not None else finding.fix, data=None)


def check_document(
    document: Document,
    rules: Iterable[Rule] | None = None,
    lint: LintSettings | None = None,
    fixes: FixSettings | None = None,
    honour_metadata: bool = True,
) -> list[Finding]:
    """:func:`check_context` for a parsed document."""
    return check_context(new_context(document, lint, fixes), rules, honour_metadata)


@record
class FileResult:
    """:func:`check_file`'s answer: the findings, or why the file could not be checked."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    checked: bool = False  # the file is one the rules look at (else: not ours, or ``error``)


def check_file(path: str, rules: Iterable[Rule] | None = None, lint: LintSettings | None = None) -> FileResult:
    """Read and check one file by name, as the command does for a file named on its command line."""
    try:
        raw = read_bytes(path)
    except DocumentError as error:
        return FileResult(path, error=str(error))
    prepared = prepare(raw, path, path, True, lint)
    if prepared.context is None:
        return FileResult(path, error=prepared.error)
    return FileResult(path, check_context(prepared.context, rules), checked=True)
