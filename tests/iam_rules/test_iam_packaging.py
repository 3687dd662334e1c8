"""The requirement profiles are package data: they must ship in a wheel, not only work from a checkout."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from sam_shift_lint.iam import available_profiles
from sam_shift_lint.iam.profiles import PROFILE_PACKAGE_DIR

REPO = Path(__file__).resolve().parents[2]


def test_profiles_live_in_a_data_folder_that_does_not_shadow_the_module() -> None:
    assert PROFILE_PACKAGE_DIR == "profile_data"
    folder = REPO / "sam_shift_lint" / "iam" / PROFILE_PACKAGE_DIR
    assert sorted(p.stem for p in folder.glob("*.json")) == available_profiles() == ["codedeploy-service-role", "deploy-role", "hook-function"]
    assert not (REPO / "sam_shift_lint" / "iam" / "profiles").exists()


def test_setup_finds_the_data_folder_as_a_package() -> None:
    from setuptools import find_namespace_packages

    packages = find_namespace_packages(str(REPO), include=["sam_shift_lint", "sam_shift_lint.*"])
    assert "sam_shift_lint.iam.profile_data" in packages
    assert "* = *.json" in (REPO / "setup.cfg").read_text()


@pytest.mark.network
@pytest.mark.slow
def test_a_built_wheel_ships_the_profiles_and_the_iam_rules(tmp_path: Path) -> None:
    """``pip wheel`` (build isolation fetches setuptools) on a clean copy of the sources."""
    source = tmp_path / "src"
    ignore = shutil.ignore_patterns(".venv", ".git", "*.egg-info", "__pycache__", ".hypothesis", ".pytest_cache", "build")
    shutil.copytree(REPO, source, ignore=ignore)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"), str(source)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "sam_shift_lint/iam/profile_data/deploy-role.json",
        "sam_shift_lint/iam/profile_data/hook-function.json",
        "sam_shift_lint/iam/profile_data/codedeploy-service-role.json",
        "sam_shift_lint/iam/managed_policy_data/AWSCodeDeployRoleForLambda.json",
        "sam_shift_lint/model/iam_view.py",
        "sam_shift_lint/checks/iam/e9201_deploy_role_permissions.py",
        "sam_shift_lint/checks/iam/grants.py",
        "sam_shift_lint/editing/builder.py",
        "sam_shift_lint/parsing/nodes.py",
        "sam_shift_lint/cli/modes.py",
        "sam_shift_lint/iam/arns.py",
        "sam_shift_lint/rules/pack.py",
    } <= names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)], check=True, timeout=600)
    code = (
        f"import sys; sys.path.insert(0, {str(target)!r})\n"
        "import sam_shift_lint\n"
        f"assert sam_shift_lint.__file__.startswith({str(target)!r}), sam_shift_lint.__file__\n"
        "from sam_shift_lint.iam import available_profiles, load_profile\n"
        "assert available_profiles() == ['codedeploy-service-role', 'deploy-role', 'hook-function']\n"
        "from sam_shift_lint.iam.managed import known_managed_policies, managed_policy_document\n"
        "assert known_managed_policies() == ['AWSCodeDeployRoleForLambda', 'AWSCodeDeployRoleForLambdaLimited']\n"
        "assert managed_policy_document('AWSCodeDeployRoleForLambda')\n"
        "assert load_profile('deploy-role').groups\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
