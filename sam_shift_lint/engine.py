"""One entry point for every front door: decide whether a file is ours, build its context, run the selected
rules on it, apply suppression (Metadata and comments) and attach each finding's fix.

Which files are checked is decided here and nowhere else (:func:`prepare`): SAM templates by content (they
name ``AWS::Serverless``), standalone IAM policies and templates with a deploy role once parsed. Whether a file
that cannot be parsed is reported depends on what its head clearly is (:mod:`sam_shift_lint.parsing.sniff`),
wherever it was found: a file that is not clearly ours is skipped silently, so the files pre-commit names and
the files a directory walk finds are treated alike.
"""
from __future__ import annotations

from collections.abc import Iterable

from sam_shift_lint import suppression
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.registry import RULES, select_rules
from sam_shift_lint.checks.rule import Rule, Target
from sam_shift_lint.editing.positions import SourceText, content_end
from sam_shift_lint.findings import Finding
from sam_shift_lint.model.iam_view import wants_iam_checks
from sam_shift_lint.model.values import cut_long_quotes
from sam_shift_lint.parsing.document import Document, load, read_prefix
from sam_shift_lint.parsing.errors import MAX_BYTES, DocumentError
from sam_shift_lint.parsing.nodes import Mapping, Node, Sequence, Span
from sam_shift_lint.parsing.sniff import claim, is_candidate, mentions_serverless
from sam_shift_lint.records import field, record, replace
from sam_shift_lint.settings import FixSettings, LintSettings


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
    """Do the rules have anything to look at: a policy file, a SAM template, one with a deploy role, or one the
    configuration (or a CodeStar layout) pairs with the templates its roles deploy?"""
    return ctx.target is Target.POLICY_FILE or bool(ctx.lint.deploys) or wants_iam_checks(ctx.sam)


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
    stdin: bool = False,
) -> Prepared:
    """Decide whether the file ``raw`` (read from ``path``, reported as ``display``) is checked: not without the
    markers of a template or policy (:func:`~sam_shift_lint.parsing.sniff.is_candidate`); when it cannot be
    decoded or parsed (binary, too large, a syntax error ...), reported only when its head clearly makes it ours
    (:func:`~sam_shift_lint.parsing.sniff.claim`), else skipped. Standard input (``stdin``) was handed to us on
    purpose: input that is binary or too large is reported whatever it holds, and any candidate that does not
    parse. ``explicit``: named by the user; it changes nothing here any more (which profile a policy file is
    checked against is in ``lint`` already: the command line's ``--policy-profile`` for named files, a
    configuration's ``policy-profiles`` for any file, see :mod:`sam_shift_lint.project`), and files found in a
    walk are reported as named ones are."""
    lint = lint or LintSettings()
    unreadable = stdin and (len(raw) > MAX_BYTES or b"\x00" in raw)
    if not (is_candidate(raw) or unreadable):
        return Prepared()
    try:
        document = load(path, raw)
    except DocumentError as error:
        reported = Prepared(error=str(error), location=(error.line, error.column))
        return reported if stdin or claim(raw) else Prepared()
    document.path = display
    ctx = new_context(document, lint, fixes)
    if not mentions_serverless(raw) and not applies(ctx):
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
    selected = select_rules() if rules is None else list(rules)
    if ctx.running is None:
        ctx.running = frozenset(rule.META.id for rule in selected)
    found = [finding for rule in selected if ctx.target in rule.META.targets for finding in rule.check(ctx)]
    found.sort(key=Finding.sort_key)
    findings = suppression.apply(ctx.document, found, metadata=honour_metadata and ctx.target is Target.TEMPLATE)
    if len(findings) != len(found):  # a context checked rule by rule (the rule pack) gathers them over its calls
        for name, functions in declined(found, findings).items():
            ctx.declined[name] = ctx.declined.get(name, frozenset()) | functions
    if fixes:
        findings = [with_fix(ctx, finding) for finding in findings]
    return [_reported(ctx, finding) for finding in findings]


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


def _reported(ctx: CheckContext, finding: Finding) -> Finding:
    """The finding with its span ending where its node's own text ends (:func:`content_end`, the same answer the
    edits use). The YAML parser ends a block collection or block scalar at the start of the next token, past the
    line break, blank lines and comments that follow it, and past the last line of the file when the node ends
    the file; a report points at the node, not at what follows it. Spans that end right after a non-blank
    character (every other node, and all of JSON) are already exact. A message that quotes a template's text whole
    has its quoted parts cut (:func:`~sam_shift_lint.model.values.cut_long_quotes`)."""
    message = cut_long_quotes(finding.message)
    if message is not finding.message:
        finding = replace(finding, message=message)
    span = finding.span
    text = ctx.document.text
    if not 0 <= span.start < span.end <= len(text) or not text[span.end - 1].isspace():
        return finding
    node = _block_nodes(ctx.document).get((span.start, span.end))
    end = content_end(node, text) if node is not None else span.end
    if not span.start < end < span.end:
        return finding
    end_line, end_column = SourceText(text).position(end)
    return replace(finding, span=Span(span.line, span.column, end_line, end_column, span.start, end))


def _block_nodes(document: Document) -> dict[tuple[int, int], Node]:
    """The nodes whose parser span ends after whitespace (block collections and block scalars), by (start, end)
    offsets, the outermost first; built once per document, and only for a document with such a finding."""
    found: dict[tuple[int, int], Node] | None = document.memo.get("block_nodes")
    if found is None:
        found = {}
        text = document.text
        stack: list[Node] = [document.root]
        while stack:
            node = stack.pop()
            span = node.span
            if span.start < span.end and text[span.end - 1].isspace():
                found.setdefault((span.start, span.end), node)
            if isinstance(node, Mapping):
                stack.extend(value for _, value in reversed(node.entries.values()))
            elif isinstance(node, Sequence):
                stack.extend(reversed(node.items))
        document.memo["block_nodes"] = found
    return found


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


def check_file(
    path: str, rules: Iterable[Rule] | None = None, lint: LintSettings | None = None, fixes: FixSettings | None = None
) -> FileResult:
    """Read and check one file by name, as the command does for a file named on its command line (without its
    configuration file: pass the settings, see :mod:`sam_shift_lint.project`)."""
    try:
        raw, whole = read_prefix(path)
    except DocumentError as error:
        return FileResult(path, error=str(error))
    if not whole:
        return FileResult(path, error=f"file too large (more than {MAX_BYTES} bytes)" if claim(raw) else None)
    prepared = prepare(raw, path, path, True, lint, fixes)
    if prepared.context is None:
        return FileResult(path, error=prepared.error)
    return FileResult(path, check_context(prepared.context, rules), checked=True)
