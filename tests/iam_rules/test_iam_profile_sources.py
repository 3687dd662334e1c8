"""Which files a profile may come from. A template (say, in a pull request) must not choose which files the
linter opens: ``Metadata: {sam-shift-lint: {profile: /dev/zero}}`` used to read /dev/zero until the kernel
killed the process, and a FIFO there hung it. A template names bundled profiles only; a profile file comes
from the user (``--policy-profile``) and must be a regular file of at most 1 MB."""
from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sam_shift_lint.iam.profiles import MAX_PROFILE_BYTES

TIMEOUT = 60  # seconds; each run takes about one

ROLE = """\
  {name}:
    Type: AWS::IAM::Role
    Metadata:
      sam-shift-lint:
        profile: {profile}
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {{Service: cloudformation.amazonaws.com}}
            Action: sts:AssumeRole
"""
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
TEAM = {"name": "team", "groups": [{"name": "queues", "actions": ["sqs:SendMessage"], "resource": "*"}]}


def hostile_template(folder: Path) -> Path:
    """Roles whose Metadata names /dev/zero, a FIFO beside the template, a device by a relative path, and a
    name that is no bundled profile."""
    os.mkfifo(folder / "profile.json")
    roles = [("Zero", "/dev/zero"), ("Fifo", "./profile.json"), ("DevNull", "../../../../../../dev/null"), ("Typo", "deploy-roles")]
    path = folder / "template.yaml"
    path.write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n" + "".join(ROLE.format(name=n, profile=p) for n, p in roles))
    return path


def run(bin_path: Callable[[str], Path], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(bin_path("sam-shift-lint")), *args], capture_output=True, text=True, cwd=str(cwd), timeout=TIMEOUT)


def test_template_metadata_cannot_make_the_cli_open_files(bin_path: Callable[[str], Path], tmp_path: Path) -> None:
    template = hostile_template(tmp_path)
    process = run(bin_path, tmp_path, "--format", "json", template.name)
    assert process.returncode == 1, process.stderr
    items: list[dict[str, Any]] = json.loads(process.stdout)
    messages = {item["resource"]: item["message"] for item in items}
    assert [item["rule"] for item in items] == ["E9201"] * 4
    for role, shown in (("Zero", "/dev/zero"), ("Fifo", "./profile.json"), ("DevNull", "../../../../../../dev/null")):
        assert messages[role] == (
            f"Role '{role}': cannot check its policies against profile '{shown}': a template names only bundled "
            "profiles (codedeploy-service-role, deploy-role, hook-function); give a profile file on the command "
            "line (--policy-profile)"
        )
    assert "no bundled profile 'deploy-roles'; available: codedeploy-service-role, deploy-role, hook-function" in messages["Typo"]


@pytest.mark.slow  # runs cfn-lint
def test_template_metadata_cannot_make_the_rule_pack_open_files(bin_path: Callable[[str], Path], tmp_path: Path) -> None:
    template = hostile_template(tmp_path)
    process = subprocess.run(
        [str(bin_path("cfn-lint")), "--format", "json", "--append-rules=sam_shift_lint.rules", "--", template.name],
        capture_output=True, text=True, cwd=str(tmp_path), timeout=300,
    )
    assert process.returncode in (2, 6, 10, 14), process.stderr  # errors found (cfn-lint's exit bits)
    found = [item for item in json.loads(process.stdout) if item["Rule"]["Id"] == "E9201"]
    assert len(found) == 4
    assert sum("a template names only bundled profiles" in item["Message"] for item in found) == 3


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda d: "/dev/zero", "cannot read profile /dev/zero: it is a device, not a regular file"),
        (lambda d: os.mkfifo(d / "fifo.json") or "fifo.json", "cannot read profile fifo.json: it is a FIFO, not a regular file"),
        (lambda d: (d / "dir.json").mkdir() or "dir.json", "cannot read profile dir.json: it is a directory, not a regular file"),
        (
            lambda d: (d / "big.json").write_text(" " * MAX_PROFILE_BYTES + "{}") and "big.json",
            f"cannot read profile big.json: too large ({MAX_PROFILE_BYTES + 2} bytes; the limit is {MAX_PROFILE_BYTES})",
        ),
        (lambda d: (d / "deep.json").write_text("[" * 100_000) and "deep.json", "profile deep.json is not valid JSON"),
        (lambda d: (d / "bad.json").write_bytes(b"\xff{}") and "bad.json", "profile bad.json is not valid JSON"),
        (lambda d: "missing.json", "cannot read profile missing.json: No such file or directory"),
    ],
    ids=["device", "fifo", "directory", "too-large", "deep", "not-utf8", "missing"],
)
def test_a_policy_profile_file_must_be_a_small_regular_file(
    bin_path: Callable[[str], Path], tmp_path: Path, make: Callable[[Path], str], message: str
) -> None:
    (tmp_path / "policy.json").write_text(json.dumps(POLICY))
    process = run(bin_path, tmp_path, "--policy-profile", make(tmp_path), "policy.json")
    assert process.returncode == 2
    assert process.stdout == ""
    assert process.stderr.count("\n") == 1 and "Traceback" not in process.stderr
    assert f"--policy-profile: {message}" in process.stderr


def test_a_policy_profile_through_a_symlink_to_a_regular_file(bin_path: Callable[[str], Path], tmp_path: Path) -> None:
    (tmp_path / "team.json").write_text(json.dumps(TEAM))
    (tmp_path / "link.json").symlink_to(tmp_path / "team.json")
    (tmp_path / "policy.json").write_text(json.dumps(POLICY))
    process = run(bin_path, tmp_path, "--format", "json", "--policy-profile", "link.json", "policy.json")
    assert process.returncode == 1, process.stderr
    [item] = json.loads(process.stdout)
    assert "profile 'team' requires: queues: sqs:SendMessage" in item["message"]
