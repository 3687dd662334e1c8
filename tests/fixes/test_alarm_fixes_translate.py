"""The alarm fixes (W9117, E9118, E9119) against the ground truth: the SAM translator accepts each golden case
before and after the fix, the fixed text has no fixable finding of these rules left and fewer findings than
before, and cfn-lint (which runs the SAM transform itself and checks the resulting CloudFormation, including
the new alarm resource) reports nothing on the fixed templates."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from sam_shift_lint.engine import check_file
from sam_shift_lint.findings import applies

HERE = Path(__file__).resolve().parent
RULES = ("W9117", "E9118", "E9119")
CASES = ["w9117_alarm_added", "w9117_alarm_added_json", "e9118_names", "e9119_duplicates_removed", "e9119_duplicates_json"]


def _file(case: str, stem: str) -> Path:
    return next((HERE / case).glob(f"{stem}.*[ln]"))  # .yaml / .json, not .diff


@pytest.mark.parametrize("case", CASES)
def test_translator_accepts_before_and_after(case: str, sam_translator) -> None:  # type: ignore[no-untyped-def]
    sam_translator.transform(_file(case, "input"))
    output = sam_translator.transform(_file(case, "expected"))
    groups = {k: v for k, v in output["Resources"].items() if v["Type"] == "AWS::CodeDeploy::DeploymentGroup"}
    for group in groups.values():
        alarms = group["Properties"].get("AlarmConfiguration", {}).get("Alarms", [])
        names = [json.dumps(alarm["Name"], sort_keys=True) for alarm in alarms]
        assert len(names) == len(set(names)) and len(names) <= 10


@pytest.mark.parametrize("case", CASES)
def test_fixable_findings_are_gone(case: str) -> None:
    before = [f for f in check_file(str(_file(case, "input"))).findings if f.rule in RULES]
    after = [f for f in check_file(str(_file(case, "expected"))).findings if f.rule in RULES]
    assert any(applies(f.fix, unsafe_fixes=True) for f in before)
    assert not any(applies(f.fix, unsafe_fixes=True) for f in after)
    assert len(after) < len(before)


def test_new_alarm_resource_is_what_the_translator_passes_on(sam_translator) -> None:  # type: ignore[no-untyped-def]
    output = sam_translator.transform(_file("w9117_alarm_added", "expected"))
    resources = output["Resources"]
    alarm = resources["WorkerAliasErrorsAlarm"]
    assert alarm["Condition"] == "WithWorker"
    dimensions = {d["Name"]: d["Value"] for d in alarm["Properties"]["Dimensions"]}
    assert dimensions["FunctionName"] == {"Ref": "Worker"}
    version = next(k for k, v in resources.items() if v["Type"] == "AWS::Lambda::Version" and k.startswith("WorkerVersion"))
    assert dimensions["ExecutedVersion"] == {"Fn::GetAtt": [version, "Version"]}
    group = resources["WorkerDeploymentGroup"]["Properties"]["AlarmConfiguration"]
    assert group == {"Enabled": True, "Alarms": [{"Name": {"Ref": "WorkerAliasErrorsAlarm"}}]}


@pytest.mark.slow  # runs cfn-lint
@pytest.mark.parametrize("case", CASES)
def test_cfn_lint_accepts_fixed_template(case: str, bin_path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    process = subprocess.run(
        [str(bin_path("cfn-lint")), "--format", "json", str(_file(case, "expected"))],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(tmp_path),
        env={**os.environ, "AWS_DEFAULT_REGION": "us-east-1"},
    )
    assert json.loads(process.stdout or "[]") == [], process.stdout
