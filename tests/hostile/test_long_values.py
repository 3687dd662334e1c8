"""Values far longer than any name they could be a misspelling of: the suggestion search must not be
quadratic in them (found by fuzzing: a 100 KB ``DeploymentPreference.Type`` took 10 s, 1 MB would take 100 s)."""
from __future__ import annotations

import json
import time
from pathlib import Path

from hostile_inputs import run_cli


def _template(deployment_type: str) -> str:
    function = {
        "Type": "AWS::Serverless::Function",
        "Properties": {
            "Handler": "app.handler",
            "Runtime": "python3.12",
            "CodeUri": "s3://bucket/key",
            "AutoPublishAlias": "live",
            "DeploymentPreference": {"Type": deployment_type},
        },
    }
    return json.dumps({"Transform": "AWS::Serverless-2016-10-31", "Resources": {"Fn": function}})


def test_a_megabyte_deployment_type_is_reported_quickly_and_quoted_short(tmp_path: Path) -> None:
    path = tmp_path / "template.json"
    path.write_text(_template("Canary10Percent5Minutez" * 45_000), encoding="utf-8")  # ~1 MB
    started = time.monotonic()
    result = run_cli(str(path))
    elapsed = time.monotonic() - started
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert any(" E9105 " in line for line in lines)
    assert max(len(line) for line in lines) < 1000  # the value is cut; the message lists the valid types
    assert elapsed < 10, f"{elapsed:.1f} s"  # was about 100 s; a check of this file takes well under 1 s


def test_a_misspelt_type_still_gets_its_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "template.json"
    path.write_text(_template("Canary10Percent5Minutez"), encoding="utf-8")
    result = run_cli(str(path))
    assert "Canary10Percent5Minutes" in result.stdout
