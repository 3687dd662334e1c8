"""SARIF 2.1.0 for GitHub code scanning (valid against the OASIS schema; a test checks every log the tests make).

- Artifact URIs are relative to the repository root (``context.root``) under ``%SRCROOT%``, which
  ``originalUriBaseIds`` maps to that directory's ``file://`` URI; files outside it get absolute ``file://`` URIs.
- Written as the run goes (:class:`Writer`): the run's ``results`` come first, each as its file is done, then
  ``tool`` with the rules the results name (in the order they first appear, which ``ruleIndex`` counts in),
  the invocation and the properties.
- Rule descriptors (only for rules that matched) carry ``help`` in text and markdown made from the rule's
  documentation (what it does, why, the example and what to write instead, fix safety).
- A result whose finding has a fix (safe, or unsafe and labelled so) carries it in ``fixes``: one
  ``artifactChange`` whose ``replacements`` are the fix engine's text edits, exactly, as ``charOffset`` and
  ``charLength`` in the file's text (Unicode code points, BOM excluded, as SARIF counts characters) and the
  inserted text. Display-only fixes, which ``--fix`` never applies, are not offered.
- Lines are counted as libyaml counts them (``newlineSequences``: CR LF, LF, CR, NEL, U+2028, U+2029), which
  is how the findings' positions are counted in YAML files; in JSON only CR LF, LF and CR break lines, and the
  other three can stand only inside a string, where a reader counting them sees the rest of that line one
  line lower (never past the end of the file).
- Regions come from the findings' spans, which end where the node's text ends (never past the end of the file);
  a region with no extent (E9000, at the parser's position) has no end, so it stands for the rest of that line.
- A file that could not be read, parsed or processed is both a result (E9000) and a tool execution
  notification of the run's invocation, whose ``executionSuccessful`` is then false.
- ``partialFingerprints`` hash rule id + file + logical id + property path + message, so alerts survive line
  shifts; identical ones within a file are told apart by an occurrence count.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sam_shift_lint.checks.registry import FILE_ERROR, RuleInfo
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.output import OutputContext
from sam_shift_lint.output._common import PROJECT_URL, SRCROOT, TOOL_NAME, artifact_uri, root_uri, rule_info
from sam_shift_lint.output.escape import json_safe
from sam_shift_lint.output.stream import JsonArray, ReportWriter, Writable, by_file
from sam_shift_lint.parsing.lines import YAML_NEWLINE_SEQUENCES

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
FINGERPRINT_KEY = "samShiftLint/v1"
AUTOMATION_ID = f"{TOOL_NAME}/"
_SEMVER = re.compile(r"\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?")
LEVELS = {"error": "error", "warning": "warning", "informational": "note"}
UNSAFE_NOTE = "unsafe fix: it may change what the template means; sam-shift-lint applies it only with --unsafe-fixes"


def sarif_level(severity: str) -> str:
    """SARIF ``level`` for a severity (``informational`` -> ``note``)."""
    return LEVELS.get(severity, "note")


def rule_name(info: RuleInfo) -> str:
    """A PascalCase friendly name from the rule's name (its cfn-lint class name), else from the short
    description (the id if that yields nothing)."""
    words = re.findall(r"[A-Za-z0-9]+", info.name or info.shortdesc)
    name = "".join(word[:1].upper() + word[1:] for word in words)
    return name or info.id


def rule_help(info: RuleInfo) -> dict[str, str] | None:
    """``help`` from the rule's documentation, with a link to its section of the README."""
    if not info.help_markdown:
        return None
    text, markdown = info.help_text or info.description or info.shortdesc, info.help_markdown
    if info.source_url:
        text += f"\n\nDocumentation: {info.source_url}"
        markdown += f"\n\n[Documentation]({info.source_url})"
    return {"text": text, "markdown": markdown}


def rule_descriptor(info: RuleInfo) -> dict[str, Any]:
    """``tool.driver.rules[]`` entry (descriptions and help from the rule's documentation)."""
    descriptor: dict[str, Any] = {
        "id": info.id,
        "name": rule_name(info),
        "shortDescription": {"text": info.shortdesc},
        "fullDescription": {"text": info.description or info.shortdesc},
    }
    help_ = rule_help(info)
    if help_ is not None:
        descriptor["help"] = help_
    if info.source_url:
        descriptor["helpUri"] = info.source_url
    descriptor["defaultConfiguration"] = {"level": sarif_level(info.severity)}
    descriptor["properties"] = {"tags": list(info.tags)[:20]}
    return descriptor


def fingerprint(finding: Finding, uri: str) -> str:
    """Line-independent hash of rule id, file URI, logical id, property path and message."""
    parts = [finding.rule, uri, finding.resource or "", json.dumps(list(finding.path)), finding.message]
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def region(finding: Finding) -> dict[str, int]:
    """1-based region; the end only when the span has an extent."""
    result = {"startLine": max(1, finding.line), "startColumn": max(1, finding.column)}
    if (finding.end_line, finding.end_column) > (result["startLine"], result["startColumn"]):
        result["endLine"] = finding.end_line
        result["endColumn"] = finding.end_column
    return result


def artifact_location(file: str, context: OutputContext) -> dict[str, str]:
    """``{uri, uriBaseId}`` (relative to ``%SRCROOT%``) or ``{uri}`` (absolute)."""
    uri, base = artifact_uri(file, context.cwd, context.root)
    return {"uri": uri, "uriBaseId": base} if base is not None else {"uri": uri}


def location(finding: Finding, context: OutputContext) -> dict[str, Any]:
    """``locations[0]``: artifact location and region."""
    return {"physicalLocation": {"artifactLocation": artifact_location(finding.file, context), "region": region(finding)}}


def offered(fix: Fix | None) -> bool:
    """A fix ``--fix`` can apply (safe, or unsafe with ``--unsafe-fixes``), with text edits."""
    return fix is not None and bool(fix.edits) and fix.applicability in (Applicability.SAFE, Applicability.UNSAFE)


def sarif_fix(fix: Fix, artifact: dict[str, str]) -> dict[str, Any]:
    """A SARIF ``fix``: the fix's text edits, in order, as replacements of the unmodified file's text."""
    unsafe = fix.applicability is Applicability.UNSAFE
    description = f"{fix.description} ({UNSAFE_NOTE})" if unsafe else fix.description
    replacements = [
        {
            "deletedRegion": {"charOffset": edit.start, "charLength": edit.end - edit.start},
            "insertedContent": {"text": edit.content},
        }
        for edit in sorted(fix.edits, key=lambda edit: (edit.start, edit.end))
    ]
    return {
        "description": {"text": description},
        "artifactChanges": [{"artifactLocation": artifact, "replacements": replacements}],
        "properties": {"applicability": fix.applicability.value},
    }


class _Results:
    """What results need beyond their finding, and what the end of the log needs of them: the rules' indexes
    (in the order the rules first appear), and the notifications of the files that could not be checked."""

    def __init__(self, context: OutputContext) -> None:
        self.context = context
        self.rule_index: dict[str, int] = {}
        self.notifications: list[dict[str, Any]] = []

    def of_file(self, findings: Sequence[Finding]) -> Iterator[dict[str, Any]]:
        """One result per finding of one file, in order; identical fingerprints get an occurrence suffix
        (``:2``, ``:3``...) counted within the file."""
        seen: dict[str, int] = {}
        for finding in findings:
            index = self.rule_index.setdefault(finding.rule, len(self.rule_index))
            loc = location(finding, self.context)
            artifact = loc["physicalLocation"]["artifactLocation"]
            digest = fingerprint(finding, artifact["uri"])
            seen[digest] = seen.get(digest, 0) + 1
            result: dict[str, Any] = {
                "ruleId": finding.rule,
                "ruleIndex": index,
                "level": sarif_level(finding.severity),
                "message": {"text": finding.message},
                "locations": [loc],
                "partialFingerprints": {FINGERPRINT_KEY: f"{digest}:{seen[digest]}"},
            }
            if finding.fix is not None and offered(finding.fix):
                result["fixes"] = [sarif_fix(finding.fix, artifact)]
            if finding.rule == _FILE_ERROR_ID:
                self.notifications.append(notification(finding, loc, index))
            yield result

    def rules(self, rules: Mapping[str, RuleInfo]) -> list[dict[str, Any]]:
        return [rule_descriptor(rule_info(rule_id, rules)) for rule_id in self.rule_index]

    def invocation(self) -> dict[str, Any]:
        """The run's invocation: successful unless some file could not be checked (E9000), each of which is
        also a tool execution notification."""
        result: dict[str, Any] = {"executionSuccessful": not self.notifications}
        if self.notifications:
            result["toolExecutionNotifications"] = self.notifications
        return result


_FILE_ERROR_ID = FILE_ERROR.META.id


def notification(finding: Finding, loc: dict[str, Any], index: int) -> dict[str, Any]:
    """A tool execution notification for a file that could not be checked."""
    return {
        "level": "error",
        "message": {"text": finding.message},
        "locations": [loc],
        "associatedRule": {"id": finding.rule, "index": index},
    }


def _run_head(context: OutputContext) -> dict[str, Any]:
    """The run's properties that precede its results."""
    return {
        "automationDetails": {"id": AUTOMATION_ID},
        "originalUriBaseIds": {SRCROOT: {"uri": root_uri(context.cwd, context.root)}},
        "columnKind": "unicodeCodePoints",
        "newlineSequences": list(YAML_NEWLINE_SEQUENCES),
    }


def _run_tail(results: _Results, rules: Mapping[str, RuleInfo], context: OutputContext) -> dict[str, Any]:
    """The run's properties that follow its results (known only once every result is written)."""
    driver: dict[str, Any] = {"name": TOOL_NAME, "version": context.version}
    if _SEMVER.fullmatch(context.version):
        driver["semanticVersion"] = context.version
    driver["informationUri"] = PROJECT_URL
    driver["rules"] = results.rules(rules)
    return {
        "tool": {"driver": driver},
        "invocations": [results.invocation()],
        "properties": {"filesChecked": context.files_checked, "fixed": context.fixed},
    }


def _log(run: dict[str, Any]) -> dict[str, Any]:
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def build_log(findings: list[Finding], rules: Mapping[str, RuleInfo], context: OutputContext) -> dict[str, Any]:
    """The SARIF log as a dict: the run's results come before its tool (whose rules are those the results
    name, in the order they first appear), as :class:`Writer` writes them."""
    results = _Results(context)
    listed = [result for group in by_file(findings) for result in results.of_file(group)]
    return _log({**_run_head(context), "results": listed, **_run_tail(results, rules, context)})


def _dumps(data: Any) -> str:
    return json_safe(json.dumps(data, indent=2, ensure_ascii=False))


def render(findings: list[Finding], rules: Mapping[str, RuleInfo], context: OutputContext) -> str:
    """SARIF JSON (indent 2) followed by a newline; valid UTF-8 whatever the file names (:func:`json_safe`)."""
    return _dumps(build_log(findings, rules, context)) + "\n"


_RESULTS_KEY = '"results": []'


class Writer(ReportWriter):
    """:func:`render`'s bytes as the run goes: the log up to its results at once, each result as its file is
    done, and the rest of the log (tool and rules, invocation, properties) at the end."""

    def __init__(self, rules: Mapping[str, RuleInfo], context: OutputContext, out: Writable) -> None:
        super().__init__(rules, context, out)
        self.results = _Results(context)
        head = _dumps(_log({**_run_head(context), "results": []}))
        before = head[: head.index(_RESULTS_KEY)]
        out.write(before + _RESULTS_KEY[:-2])
        depth = (len(before) - before.rindex("\n") - 1) // 2
        self.array = JsonArray(out, depth)
        self.array.open()

    def _write(self, findings: Sequence[Finding]) -> None:
        for result in self.results.of_file(findings):
            self.array.item(_dumps(result))

    def _finish(self) -> None:
        self.array.close()
        whole = _dumps(_log({**_run_head(self.context), "results": [], **_run_tail(self.results, self.rules, self.context)}))
        self.out.write(whole[whole.index(_RESULTS_KEY) + len(_RESULTS_KEY):] + "\n")
