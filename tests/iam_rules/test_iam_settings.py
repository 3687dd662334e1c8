"""Lint settings reach both front doors alike: ``--region``/``--account-id`` on the command line, and cfn-lint's
rule configuration (``-x E9201:region=...`` or ``configure_rules`` in ``.cfnlintrc``) for the rule pack.

The fixture's deploy role grants CodeDeploy only on ARNs in us-west-2 / 111111111111: checked against the
region its ARNs agree on it passes, checked for eu-west-1 it lacks every CodeDeploy action."""
from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs cfn-lint four times

FIXTURE = Path(__file__).resolve().parent / "settings" / "regional-deploy-role.yaml"


@pytest.fixture
def template(tmp_path: Path) -> Path:
    return Path(shutil.copy(FIXTURE, tmp_path / "template.yaml"))


def cli_rules(bin_path: Callable[[str], Path], template: Path, *flags: str) -> list[str]:
    result = subprocess.run(
        [str(bin_path("sam-shift-lint")), "--format", "json", *flags, str(template)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode in (0, 1), result.stderr
    return [item["rule"] for item in json.loads(result.stdout)]


def cfn_lint_rules(bin_path: Callable[[str], Path], template: Path, *flags: str) -> list[str]:
    result = subprocess.run(
        [str(bin_path("cfn-lint")), "--format", "json", "--append-rules", "sam_shift_lint.rules", *flags, "--", template.name],
        capture_output=True, text=True, timeout=300, cwd=template.parent,
    )
    assert result.returncode in (0, 2, 4, 6, 8, 10, 12, 14), result.stderr
    return [item["Rule"]["Id"] for item in json.loads(result.stdout or "[]") if item["Rule"]["Id"].startswith(("E92", "W92"))]


def test_region_setting_changes_findings_in_both_doors(bin_path: Callable[[str], Path], template: Path) -> None:
    assert cli_rules(bin_path, template) == []
    assert cli_rules(bin_path, template, "--region", "eu-west-1") == ["E9201"]
    assert cfn_lint_rules(bin_path, template) == []
    assert cfn_lint_rules(bin_path, template, "-x", "E9201:region=eu-west-1") == ["E9201"]
    assert cfn_lint_rules(bin_path, template, "-x", "E9201:region=us-west-2") == []


def test_account_setting_via_cfnlintrc(bin_path: Callable[[str], Path], template: Path) -> None:
    (template.parent / ".cfnlintrc").write_text("configure_rules:\n  E9201:\n    account_id: '222222222222'\n")
    assert cfn_lint_rules(bin_path, template) == ["E9201"]
    assert cli_rules(bin_path, template, "--account-id", "222222222222") == ["E9201"]
