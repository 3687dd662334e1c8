"""The hook fixes (E9112, E9116, W9115) keep templates deployable: every failing fixture of those rules and every
golden case of their fixes is fixed (``--fix --unsafe-fixes``) on a copy; the SAM translator must accept the
template before and after, the rule's findings must be gone, and a second run must change nothing."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from sam_shift_lint.engine import check_file

TESTS = Path(__file__).resolve().parent.parent
RULES = ("E9112", "E9116", "W9115")
SOURCES = sorted(
    [p for rule in ("E9112", "E9116") for p in (TESTS / "rules" / rule).glob("*.fail.*") if not p.name.endswith(".expected.json")]
    + [p for p in (TESTS / "iam_rules" / "W9115").glob("*.fail.*") if not p.name.endswith(".expected.json")]
    + [next(d.glob("input.*")) for d in (TESTS / "fixes").glob("e91*_hook*") if d.is_dir()]
    + [next(d.glob("input.*")) for d in (TESTS / "iam_fixes").glob("w9115_*") if d.is_dir()]
)

# The managed policy map the translator gets (offline).
MANAGED_POLICIES = ("AWSLambdaBasicExecutionRole", "AWSCodeDeployFullAccess", "AWSLambdaRole", "AmazonS3ReadOnlyAccess")


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixed_template_translates_and_finding_is_gone(source: Path, tmp_path: Path, bin_path, sam_translator) -> None:  # type: ignore[no-untyped-def]
    managed = sam_translator.policy_arns(*MANAGED_POLICIES)
    before = {f.rule for f in check_file(str(source)).findings if f.rule in RULES}
    assert before, "the source has no finding of the hook rules"
    sam_translator.transform(source, managed)  # accepted before
    target = tmp_path / source.name.replace(".fail", "")
    shutil.copyfile(source, target)
    command = [str(bin_path("sam-shift-lint")), "--fix", "--unsafe-fixes", "--select", ",".join(RULES), str(target)]
    subprocess.run(command, capture_output=True, timeout=60, check=False)
    fixed = target.read_bytes()
    translated = sam_translator.transform(target, managed)  # still accepted
    assert "Resources" in translated
    remaining = [f for f in check_file(str(target)).findings if f.rule in RULES and f.fix is not None]
    assert not remaining, remaining
    subprocess.run(command, capture_output=True, timeout=60, check=False)
    assert target.read_bytes() == fixed, "a second --fix changed the file"


def test_hook_names_after_the_fix_are_invokable(tmp_path: Path, bin_path, sam_translator) -> None:  # type: ignore[no-untyped-def]
    """After the E9112 fix every hook's physical name starts with CodeDeployHook_ in the translated template."""
    source = TESTS / "fixes" / "e9112_hook_names_unsafe" / "input.yaml"
    target = tmp_path / "template.yaml"
    shutil.copyfile(source, target)
    subprocess.run([str(bin_path("sam-shift-lint")), "--fix", "--unsafe-fixes", str(target)], capture_output=True, timeout=60, check=False)
    resources = sam_translator.transform(target, sam_translator.policy_arns(*MANAGED_POLICIES))["Resources"]
    hooks = [resources[name]["Properties"] for name in ("PreTrafficHook", "PostTrafficHook")]
    assert all(str(p["FunctionName"]).startswith("CodeDeployHook_") for p in hooks)
