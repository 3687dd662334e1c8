"""The pre-commit hook, run for real: ``pre-commit try-repo <this repository> sam-shift-lint --all-files``.

pre-commit comes from the test environment (``bin_path``), and builds the hook's own virtualenv with
``pip install .`` of this repository (a non-editable install with build isolation), so these tests
need PyPI and also check that the package installs and runs from a wheel.

What is tried is a snapshot of the working tree: every tracked and untracked, not ignored file,
committed to a throw-away repository. ``try-repo`` on the checkout itself would only carry
changes to *tracked* files into its shadow clone (``git add -u``), so a new, not yet committed
module or manifest would be missed.

``try-repo`` builds a fresh hook environment in its own temporary store on every run (it does not
use ``PRE_COMMIT_HOME`` for that), so the two runs below mean two environment builds; pip's cache
makes the second one quicker. ``PRE_COMMIT_HOME`` is still pointed at a temporary directory shared
by the module, so nothing touches the user's cache.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.network

HOOK_ID = "sam-shift-lint"
FIX_HOOK_ID = "sam-shift-lint-fix"
TIMEOUT = 600  # seconds; an environment build normally takes well under a minute

BAD_TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  HelloFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: python3.12
      CodeUri: src/
      DeploymentPreference:
        Type: Canary10Percent5Minutes
"""

GOOD_TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  HelloFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: python3.12
      CodeUri: src/
      AutoPublishAlias: live
      DeploymentPreference:
        Type: Canary10Percent5Minutes
        Alarms: [hello-errors-alarm]
"""

# A JSON file that is not a template: the hook's `files` regex passes it on, the tool skips it.
OTHER_JSON = '{"name": "not-a-template", "private": true}\n'


def _environment(pre_commit_home: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        PRE_COMMIT_HOME=str(pre_commit_home),
        PRE_COMMIT_COLOR="never",
        # No user or system git configuration (hooksPath, gpg signing, templates ...) leaks in.
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="sam-shift-lint tests",
        GIT_AUTHOR_EMAIL="tests@example.invalid",
        GIT_COMMITTER_NAME="sam-shift-lint tests",
        GIT_COMMITTER_EMAIL="tests@example.invalid",
    )
    env.pop("SKIP", None)
    return env


def _git(env: dict[str, str], cwd: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", *args], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False
    )
    assert result.returncode == 0, f"git {' '.join(args)} failed in {cwd}:\n{result.stdout}"
    return result.stdout


def _commit_all(env: dict[str, str], repo: Path) -> None:
    _git(env, repo, "init", "-q")
    _git(env, repo, "add", "-A")
    _git(env, repo, "commit", "-q", "--no-verify", "-m", "fixture")


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, repo_root: Path, pre_commit_home: Path) -> Path:
    """A committed snapshot of the working tree (tracked and untracked files, .gitignore honoured)."""
    if shutil.which("git") is None:
        pytest.fail("git is required for the pre-commit tests", pytrace=False)
    env = _environment(pre_commit_home)
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=repo_root, env=env, capture_output=True, check=False,
    )
    assert listed.returncode == 0, f"{repo_root} is not a git checkout: {listed.stderr.decode(errors='replace')}"
    snapshot = tmp_path_factory.mktemp("hook-repo")
    for name in listed.stdout.decode().split("\0"):
        source = repo_root / name
        if not name or not source.is_file():  # deleted but still tracked, or a submodule
            continue
        target = snapshot / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    assert (snapshot / ".pre-commit-hooks.yaml").is_file(), "the repository has no .pre-commit-hooks.yaml"
    _commit_all(env, snapshot)
    return snapshot


def _fixture_repo(directory: Path, env: dict[str, str], files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    _commit_all(env, directory)
    return directory


def _try_repo(
    pre_commit: Path, hook_repo: Path, project: Path, env: dict[str, str], hook_id: str = HOOK_ID
) -> subprocess.CompletedProcess:
    command: list[str] = [str(pre_commit), "try-repo", str(hook_repo), hook_id, "--all-files", "--color", "never"]
    return subprocess.run(
        command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        timeout=TIMEOUT, check=False,
    )


def test_manifest_is_valid(bin_path: Callable[[str], Path], repo_root: Path) -> None:
    manifest = repo_root / ".pre-commit-hooks.yaml"
    result = subprocess.run(
        [str(bin_path("pre-commit")), "validate-manifest", str(manifest)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout

    import yaml

    hooks = {hook["id"]: hook for hook in yaml.safe_load(manifest.read_text(encoding="utf-8"))}
    hook = hooks[HOOK_ID]
    # --force-exclude: pre-commit names files, so exclude/.gitignore must apply to them as to a walk
    assert hook["entry"] == "sam-shift-lint --force-exclude"
    assert hooks[FIX_HOOK_ID]["entry"] == "sam-shift-lint --force-exclude --fix"
    for each in hooks.values():
        assert each["language"] == "python"
        assert each["require_serial"] is True
        assert each["files"] == hook["files"]
    files = re.compile(hook["files"])
    for name in ("template.yaml", "template.yml", "sam/app.json", "stack.template"):
        assert files.search(name), name
    for name in ("index.py", "template.yaml.bak", "README.md"):
        assert not files.search(name), name


@pytest.mark.slow  # builds a hook environment (pip install from PyPI)
def test_hook_fails_on_preference_without_alias(
    bin_path: Callable[[str], Path], hook_repo: Path, pre_commit_home: Path, tmp_path: Path
) -> None:
    env = _environment(pre_commit_home)
    project = _fixture_repo(tmp_path / "project", env, {"template.yaml": BAD_TEMPLATE})
    result = _try_repo(bin_path("pre-commit"), hook_repo, project, env)
    assert result.returncode == 1, result.stdout
    assert re.search(r"^sam-shift-lint .*\.+Failed$", result.stdout, re.MULTILINE), result.stdout
    assert "- exit code: 1" in result.stdout, result.stdout
    assert "template.yaml:10:7: E9103" in result.stdout, result.stdout


@pytest.mark.slow  # builds a hook environment (pip install from PyPI)
def test_hook_passes_on_good_template(
    bin_path: Callable[[str], Path], hook_repo: Path, pre_commit_home: Path, tmp_path: Path
) -> None:
    env = _environment(pre_commit_home)
    project = _fixture_repo(tmp_path / "project", env, {"template.yml": GOOD_TEMPLATE, "package.json": OTHER_JSON})
    result = _try_repo(bin_path("pre-commit"), hook_repo, project, env)
    assert result.returncode == 0, result.stdout
    assert re.search(r"^sam-shift-lint .*\.+Passed$", result.stdout, re.MULTILINE), result.stdout
    assert not re.search(r"\b[EWI]91\d\d\b", result.stdout), result.stdout


# Neither alias nor preference: both fixes are safe, so the fix hook leaves nothing to report.
UNFIXED_TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  HelloFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: python3.12
      CodeUri: src/
"""


@pytest.mark.slow  # builds a hook environment (pip install from PyPI)
def test_fix_hook_rewrites_the_template(
    bin_path: Callable[[str], Path], hook_repo: Path, pre_commit_home: Path, tmp_path: Path
) -> None:
    env = _environment(pre_commit_home)
    project = _fixture_repo(tmp_path / "project", env, {"template.yaml": UNFIXED_TEMPLATE})
    result = _try_repo(bin_path("pre-commit"), hook_repo, project, env, FIX_HOOK_ID)
    assert result.returncode == 1, result.stdout
    assert re.search(r"^sam-shift-lint --fix .*\.+Failed$", result.stdout, re.MULTILINE), result.stdout
    assert "- files were modified by this hook" in result.stdout, result.stdout
    fixed = (project / "template.yaml").read_text(encoding="utf-8")
    assert fixed.startswith(UNFIXED_TEMPLATE.split("Resources:")[0]), fixed
    assert "Globals:\n  Function:\n    AutoPublishAlias: live\n" in fixed, fixed
    assert "    DeploymentPreference:\n      Enabled: true\n      Type: AllAtOnce\n" in fixed, fixed
    assert fixed.endswith(UNFIXED_TEMPLATE.split("AWS::Serverless-2016-10-31\n")[1]), fixed
    check = subprocess.run(
        [str(bin_path("sam-shift-lint")), str(project / "template.yaml")],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False,
    )
    assert check.returncode == 0, check.stdout
