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
PAIRING_HOOK_ID = "sam-shift-lint-deploy-roles"
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
    # the pairing hook walks the project (a walk applies the exclusions itself), whichever side changed
    assert hooks[PAIRING_HOOK_ID]["entry"] == "sam-shift-lint --select E9206,W9207 ."
    assert hooks[PAIRING_HOOK_ID]["pass_filenames"] is False
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


@pytest.mark.slow  # builds a hook environment (pip install from PyPI)
def test_pairing_hook_checks_the_policy_when_either_side_changes(
    bin_path: Callable[[str], Path], hook_repo: Path, pre_commit_home: Path, tmp_path: Path
) -> None:
    """The deploy-roles hook on a CodeStar project (its policy paired with the template beside it): turning on
    gradual deployment in the template fails the hook on the policy (E9206 names the CodeDeploy actions); a policy
    that allows them passes. pre-commit runs it once, without file names, whichever side changed."""
    env = _environment(pre_commit_home)
    example = hook_repo / "examples" / "codestar-project"
    gradual = (hook_repo / "tests" / "permissions" / "fixtures" / "codestar-gradual" / "template.yml").read_text()
    policy = "CodeStarWorkerCloudFormationRolePolicy.json"
    project = _fixture_repo(tmp_path / "project", env, {"template.yml": gradual, policy: (example / policy).read_text()})
    result = _try_repo(bin_path("pre-commit"), hook_repo, project, env, PAIRING_HOOK_ID)
    assert result.returncode == 1, result.stdout
    assert re.search(r"^sam-shift-lint deploy roles .*\.+Failed$", result.stdout, re.MULTILINE), result.stdout
    assert f"{policy}:3:5: E9206 " in result.stdout, result.stdout
    assert "codedeploy:CreateDeploymentGroup for GetHelloWorldDeploymentGroup, PostHelloWorldDeploymentGroup" in result.stdout, result.stdout
    (project / policy).write_text('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}\n')
    _git(env, project, "commit", "-qam", "allow", "--no-verify")
    result = _try_repo(bin_path("pre-commit"), hook_repo, project, env, PAIRING_HOOK_ID)
    assert result.returncode == 0, result.stdout
    assert re.search(r"^sam-shift-lint deploy roles .*\.+Passed$", result.stdout, re.MULTILINE), result.stdout


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


# ------------------------------------------------------------------------------------------ the README's snippet

PUBLIC_URL = "https://github.com/sam-shift-lint/sam-shift-lint"
_SNIPPET = re.compile(r"^## pre-commit\n.*?^```yaml\n(.*?)^```", re.MULTILINE | re.DOTALL)
# Files pre-commit passes to the hook in a real repository that are not ours: none of them may fail it.
HELM_POLICY = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "orders.fullname" . }}-policy
data:
  policy.json: |
    {"Version": "2012-10-17",
     "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::{{ .Values.bucket }}/*"}]}
"""
SCHEMA = """\
{"$schema": "http://json-schema.org/draft-07/schema#", "title": "SAM template",
 "properties": {"Transform": {"const": "AWS::Serverless-2016-10-31"}},
 "examples": [{"Transform": "AWS::Serverless-2016-10-31", "Resources": {"F": {"Type": "AWS::Serverless::Function"}}}]}
"""
PNPM_LOCK = """\
lockfileVersion: '9.0'
importers:
  .:
    dependencies:
      react: {specifier: ^18.2.0, version: 18.3.1}
packages:
  react@18.3.1:
    resolution: {integrity: sha512-wS+hAgJShR0KhEvPJArfuPVN1+Hz1t0Y6n5jLrGQbkb4urgPE/0Rve+1kMB1v/oWgHgm4WIcV+i7F2pTVj+2iQ==}
    engines: {node: '>=0.10.0'}
"""
POLICY = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}\n'


def readme_snippet(repo_root: Path) -> str:
    """The first YAML block of the README's "pre-commit" section, as written."""
    found = _SNIPPET.search((repo_root / "README.md").read_text(encoding="utf-8"))
    assert found, "README.md has no YAML block in its pre-commit section"
    return found.group(1)


def package_lock(size: int) -> str:
    """A package-lock.json (lockfileVersion 3) as npm writes it, of at least ``size`` bytes."""
    import json

    packages: dict[str, object] = {"": {"name": "orders", "version": "1.0.0", "dependencies": {"react": "^18.2.0"}}}
    for index in range(size // 250 + 1):
        name = f"pkg-{index:06d}"
        packages[f"node_modules/{name}"] = {
            "version": "1.0.0", "resolved": f"https://registry.npmjs.org/{name}/-/{name}-1.0.0.tgz",
            "integrity": "sha512-" + "A" * 86 + "==", "license": "MIT",
        }
    return json.dumps({"name": "orders", "version": "1.0.0", "lockfileVersion": 3, "requires": True, "packages": packages}, indent=2) + "\n"


def test_readme_snippet_pins_the_release_tag_of_this_version(repo_root: Path) -> None:
    """The snippet's rev is the tag a release of this version has (``v`` + the package version), and it names
    only hooks this repository publishes."""
    import yaml

    from sam_shift_lint import __version__

    config = yaml.safe_load(readme_snippet(repo_root))
    [entry] = config["repos"]
    assert entry["repo"] == PUBLIC_URL
    assert entry["rev"] == f"v{__version__}", "README's pre-commit snippet pins another version than the package's"
    published = {hook["id"] for hook in yaml.safe_load((repo_root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert {hook["id"] for hook in entry["hooks"]} <= published


def _next_version(version: str) -> str:
    major, minor, patch = (int(part) for part in version.split(".")[:3])
    return f"{major}.{minor}.{patch + 1}"


@pytest.mark.slow  # builds a hook environment (pip install from PyPI)
def test_readme_snippet_works_as_written(
    bin_path: Callable[[str], Path], repo_root: Path, hook_repo: Path, pre_commit_home: Path, tmp_path: Path
) -> None:
    """`pre-commit run --all-files` with the README's snippet, its text as written but for the repository's URL (a
    clone of this repository with the release tag the snippet pins): it fails on the SAM template and the deploy
    policy only, never on a lock file, a Helm template with a Statement or a JSON Schema; once they are fixed it
    passes. Then `pre-commit autoupdate` finds the next release tag and moves the rev to it."""
    from sam_shift_lint import __version__

    env = _environment(pre_commit_home)
    release = tmp_path / "sam-shift-lint"
    _git(env, tmp_path, "clone", "-q", str(hook_repo), str(release))
    tag = f"v{__version__}"
    _git(env, release, "tag", "-a", tag, "-m", f"sam-shift-lint {__version__}")

    snippet = readme_snippet(repo_root)
    assert snippet.count(PUBLIC_URL) == 1
    project = _fixture_repo(tmp_path / "project", env, {
        ".pre-commit-config.yaml": snippet.replace(PUBLIC_URL, str(release)),
        "pyproject.toml": '[tool.sam-shift-lint]\nregion = "us-east-1"\naccount-id = "123456789012"\n',
        "template.yaml": UNFIXED_TEMPLATE,
        "iam/CodeStarWorkerCloudFormationRolePolicy.json": POLICY,
        "web/package-lock.json": package_lock(6 * 1024 * 1024),  # larger than the size limit
        "web/pnpm-lock.yaml": PNPM_LOCK,
        "chart/templates/policy-configmap.yaml": HELM_POLICY,
        "schemas/sam.schema.json": SCHEMA,
    })
    pre_commit = str(bin_path("pre-commit"))

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([pre_commit, *args, "--color", "never"], cwd=project, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, timeout=TIMEOUT, check=False)

    first = run("run", "--all-files")
    assert first.returncode == 1, first.stdout
    assert re.search(r"^sam-shift-lint .*\.+Failed$", first.stdout, re.MULTILINE), first.stdout
    assert "- exit code: 1" in first.stdout, first.stdout  # findings, no error
    reported = set(re.findall(r"^(\S+?):\d+:\d+: [EWI]9\d{3}", first.stdout, re.MULTILINE))
    assert reported == {"template.yaml", "iam/CodeStarWorkerCloudFormationRolePolicy.json"}, first.stdout
    assert "error:" not in first.stdout, first.stdout

    fixed = subprocess.run([str(bin_path("sam-shift-lint")), "--fix", "template.yaml", "iam"], cwd=project,
                           capture_output=True, text=True, timeout=120, check=False)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    second = run("run", "--all-files")
    assert second.returncode == 0, second.stdout
    assert re.search(r"^sam-shift-lint .*\.+Passed$", second.stdout, re.MULTILINE), second.stdout

    # the next release: autoupdate has a tag to move to, and the hooks it names still exist there
    following = f"v{_next_version(__version__)}"
    (release / "CHANGELOG.next").write_text("next release\n", encoding="utf-8")
    _git(env, release, "add", "CHANGELOG.next")
    _git(env, release, "commit", "-q", "--no-verify", "-m", "next release")
    _git(env, release, "tag", "-a", following, "-m", f"sam-shift-lint {following}")
    updated = run("autoupdate")
    assert updated.returncode == 0, updated.stdout
    assert f"updating {tag} -> {following}" in updated.stdout, updated.stdout
    assert f"rev: {following}" in (project / ".pre-commit-config.yaml").read_text(encoding="utf-8")
