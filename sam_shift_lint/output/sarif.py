"""SARIF 2.1.0 for GitHub code scanning.

Relative artifact URIs under ``%SRCROOT%`` (``file://`` URIs for files outside the working
directory), rule descriptors only for rules that matched, and a ``partialFingerprints`` entry built
from rule id + file + logical id + property path + message, so alerts survive line shifts.
"""
from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from sam_shift_lint.checks.registry import RuleInfo
from sam_shift_lint.findings import Finding
from sam_shift_lint.output import OutputContext
from sam_shift_lint.output._common import PROJECT_URL, TOOL_NAME, artifact_uri, rule_info, sorted_findings
from sam_shift_lint.output.escape import json_safe

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
FINGERPRINT_KEY = "samShiftLint/v1"
AUTOMATION_ID = f"{TOOL_NAME}/"
_SEMVER = re.compile(r"\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?")
LEVELS = {"error": "error", "warning": "warning", "informational": "note"}


def sarif_level(severity: str) -> str:
    """SARIF ``level`` for a severity (``informational`` -> ``note``)."""
    return LEVELS.get(severity, "note")


def rule_name(info: RuleInfo) -> str:
    """A PascalCase friendly name from the rule's name (its cfn-lint class name), else from the short
    description (the id if that yields nothing)."""
    words = re.findall(r"[A-Za-z0-9]+", info.name or info.shortdesc)
    name = "".join(word[:1].upper() + word[1:] for word in words)
    return name or info.id


def rule_descriptor(info: RuleInfo) -> dict[str, Any]:
    """``tool.driver.rules[]`` entry (descriptions and help from the rule's documentation)."""
    descriptor: dict[str, Any] = {
        "id": info.id,
        "name": rule_name(info),
        "shortDescription": {"text": info.shortdesc},
        "fullDescription": {"text": info.description or info.shortdesc},
    }
    if info.help_markdown:
        descriptor["help"] = {"text": info.description or info.shortdesc, "markdown": info.help_markdown}
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
    """1-based region; end omitted when unknown."""
    result = {"startLine": max(1, finding.line), "startColumn": max(1, finding.column)}
    end = (finding.end_line, finding.end_column)
    if end >= (result["startLine"], result["startColumn"]):
        result["endLine"] = finding.end_line
        result["endColumn"] = finding.end_column
    return result


def location(finding: Finding, cwd: str | None) -> dict[str, Any]:
    """``locations[0]``: artifact URI (+ ``uriBaseId``) and region."""
    uri, base = artifact_uri(finding.file, cwd)
    artifact: dict[str, Any] = {"uri": uri}
    if base is not None:
        artifact["uriBaseId"] = base
    return {"physicalLocation": {"artifactLocation": artifact, "region": region(finding)}}


def build_results(
    findings: list[Finding], rule_index: dict[str, int], cwd: str | None
) -> list[dict[str, Any]]:
    """One result per finding; identical fingerprints get an occurrence suffix (``:2``, ``:3``...)."""
    seen: dict[str, int] = {}
    results = []
    for finding in findings:
        loc = location(finding, cwd)
        digest = fingerprint(finding, loc["physicalLocation"]["artifactLocation"]["uri"])
        seen[digest] = seen.get(digest, 0) + 1
        results.append(
            {
                "ruleId": finding.rule,
                "ruleIndex": rule_index[finding.rule],
                "level": sarif_level(finding.severity),
                "message": {"text": finding.message},
                "locations": [loc],
                "partialFingerprints": {FINGERPRINT_KEY: f"{digest}:{seen[digest]}"},
            }
        )
    return results


def build_log(findings: list[Finding], rules: dict[str, RuleInfo], context: OutputContext) -> dict[str, Any]:
    """The SARIF log as a dict."""
    ordered = sorted_findings(findings)
    rule_ids = sorted({finding.rule for finding in ordered})
    rule_index = {rule_id: index for index, rule_id in enumerate(rule_ids)}
    driver: dict[str, Any] = {"name": TOOL_NAME, "version": context.version}
    if _SEMVER.fullmatch(context.version):
        driver["semanticVersion"] = context.version
    driver["informationUri"] = PROJECT_URL
    driver["rules"] = [rule_descriptor(rule_info(rule_id, rules)) for rule_id in rule_ids]
    run = {
        "tool": {"driver": driver},
        "automationDetails": {"id": AUTOMATION_ID},
        "columnKind": "unicodeCodePoints",
        "results": build_results(ordered, rule_index, context.cwd),
        "properties": {"filesChecked": context.files_checked, "fixed": context.fixed},
    }
    return {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}


def render(findings: list[Finding], rules: dict[str, RuleInfo], context: OutputContext) -> str:
    """SARIF JSON (indent 2) followed by a newline; valid UTF-8 whatever the file names (:func:`json_safe`)."""
    return json_safe(json.dumps(build_log(findings, rules, context), indent=2, ensure_ascii=False)) + "\n"
