"""The SAM translator and the derivation load only for a file that has a pairing: checking an unpaired policy
file or template stays as fast as before (``tests/test_startup.py`` guards the rest of a check run)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from deploykit import BOOTSTRAP_NAME, POLICY_NAME, codestar_project, sam_pipeline_project

HEAVY = ("samtranslator", "sam_shift_lint.permissions", "sam_shift_lint.config.pairing")


def loaded_after(cwd: Path, *argv: str) -> set[str]:
    code = (
        "import sys\nfrom sam_shift_lint.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(sys.modules)))"
    )
    run = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=False, cwd=cwd)
    return set(run.stdout.strip().splitlines()[-1].split())


def test_an_unpaired_policy_file_and_template_load_no_translator(tmp_path: Path) -> None:
    project = codestar_project(tmp_path)
    (project / "template.yml").rename(project / "app.yml")
    (project / "policy.json").write_bytes((project / POLICY_NAME).read_bytes())
    loaded = loaded_after(project, "app.yml", "policy.json")
    assert "sam_shift_lint.engine" in loaded
    assert sorted(m for m in HEAVY if m in loaded) == []
    loaded = loaded_after(project, POLICY_NAME)  # named like CodeStar's, but no template beside it
    assert "sam_shift_lint.checks.iam.e9201_deploy_role_permissions" in loaded
    assert sorted(m for m in HEAVY if m in loaded) == ["sam_shift_lint.config.pairing"]


def test_a_paired_policy_file_loads_it(tmp_path: Path) -> None:
    project = codestar_project(tmp_path)
    loaded = loaded_after(project, POLICY_NAME)
    assert {"samtranslator", "sam_shift_lint.permissions"} <= loaded


def check_without_translator(cwd: Path, *argv: str) -> list[tuple[str, str]]:
    """The command in a process where aws-sam-translator cannot be imported (the permissions extra missing)."""
    code = (
        "import json, sys\nsys.modules['samtranslator'] = None\nfrom sam_shift_lint.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    run = subprocess.run([sys.executable, "-c", code, "--format", "json", *argv], capture_output=True, text=True, check=False, cwd=cwd)
    assert run.returncode in (0, 1), run.stderr
    return [(item["rule"], item["message"]) for item in json.loads(run.stdout)]


def test_without_the_permissions_extra_only_a_configured_pairing_is_reported(tmp_path: Path) -> None:
    """A CodeStar layout is not paired without the translator (checks stay as they were); a pairing the
    configuration asks for says what to install."""
    project = codestar_project(tmp_path)
    assert [rule for rule, _ in check_without_translator(project, POLICY_NAME)] == ["E9201"]
    (project / "pyproject.toml").write_text(f'[tool.sam-shift-lint.deploy-roles]\n"{POLICY_NAME}" = "template.yml"\n')
    found = check_without_translator(project, POLICY_NAME)
    assert ("E9206", "Policy: cannot check it against template.yml, which it deploys: a SAM template needs aws-sam-translator "
            "to be translated: pip install 'sam-shift-lint[permissions]'") in found


def test_without_the_permissions_extra_a_sam_pipeline_bootstrap_template_is_not_paired(tmp_path: Path) -> None:
    project = sam_pipeline_project(tmp_path)
    assert [rule for rule, _ in check_without_translator(project, BOOTSTRAP_NAME)] == ["E9201"]
    assert {"samtranslator", "sam_shift_lint.permissions"} <= loaded_after(project, BOOTSTRAP_NAME)
