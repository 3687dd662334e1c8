"""Bad usage and bad input: one clear line naming the file or option, exit 2, and no policy (a policy without
one of the templates would be wrong)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from permissions_helpers import CODESTAR_AFTER

if TYPE_CHECKING:
    from conftest import TerminalJob

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give TEMPLATE... or --diff OLD NEW (not both)"),
        (("--diff", "a.yaml", "b.yaml", "c.yaml"), "give TEMPLATE... or --diff OLD NEW (not both)"),
        (("t.yaml", "--account-id", "12345"), "--account-id: not a valid value: '12345'"),
        (("t.yaml", "--region", "mars-1"), "--region: not a valid value: 'mars-1'"),
        (("t.yaml", "--stack-name", "1bad"), "--stack-name: not a valid value: '1bad'"),
        (("t.yaml", "--operations", "create,destroy"), "--operations: expected some of create, update, delete, got 'create,destroy'"),
        (("t.yaml", "--parameter", "no-equals"), "--parameter: expected NAME=VALUE, got 'no-equals'"),
        (("t.yaml", "--size-limit", "10"), "--size-limit: at least 200 characters"),
    ],
)
def test_usage_errors(permissions: Run, args: tuple[str, ...], message: str) -> None:
    run = permissions(*args)
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr == f"sam-shift-lint permissions: error: {message}\n"


def test_bad_templates_name_the_file_and_write_no_policy(permissions: Run, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("Resources:\n  A: [\n")
    not_template = tmp_path / "policy.json"
    not_template.write_text('{"Version": "2012-10-17", "Statement": []}')
    rejected = tmp_path / "rejected.yaml"
    rejected.write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      Runtime: python3.12\n      Handler: i.h\n      CodeUri: .\n      DeploymentPreference: {Type: AllAtOnce}\n"
    )
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    run = permissions(CODESTAR_AFTER, broken, not_template, rejected, fifo, tmp_path / "missing.yaml")
    assert run.returncode == 2
    assert run.stdout == ""
    errors = [line for line in run.stderr.splitlines() if ": error: " in line]
    assert errors == [
        f"{broken}: error: 3:1: YAML syntax error: did not find expected node content",
        f"{not_template}: error: not a CloudFormation template (no Resources mapping)",
        f"{rejected}: error: SAM cannot translate it: Resource with id [Fn] is invalid. 'DeploymentPreference' requires AutoPublishAlias property to be specified.",
        f"{fifo}: error: a FIFO (named pipe), not a regular file; not read",
        f"{tmp_path / 'missing.yaml'}: error: no such file or directory",
    ]


def test_control_characters_in_file_names_are_escaped(permissions: Run, tmp_path: Path) -> None:
    odd = tmp_path / "odd\x1b[31mname.yaml"
    odd.write_text("not: [a template")
    run = permissions(odd)
    assert run.returncode == 2
    assert "\x1b" not in run.stderr and "odd\\x1b[31mname.yaml: error: " in run.stderr


def test_help_names_the_exit_codes(permissions: Run) -> None:
    run = permissions("--help")
    assert run.returncode == 0
    assert "--diff OLD NEW" in run.stdout and "Exit codes: 0 policy written" in " ".join(run.stdout.split())


def test_without_the_translator_sam_templates_say_what_to_install_and_plain_ones_work(tmp_path: Path) -> None:
    import sys

    plain = tmp_path / "plain.yaml"
    plain.write_text("Resources:\n  Queue:\n    Type: AWS::SQS::Queue\n")
    code = "import sys\nsys.modules['samtranslator'] = None\nfrom sam_shift_lint.cli import main\nsys.exit(main(sys.argv[1:]))"
    run = subprocess.run([sys.executable, "-c", code, "permissions", str(CODESTAR_AFTER)], capture_output=True, text=True, check=False)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.endswith(
        "error: a SAM template needs aws-sam-translator to be translated: pip install 'sam-shift-lint[permissions]'\n"
    )
    run = subprocess.run([sys.executable, "-c", code, "permissions", str(plain)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert '"sqs:CreateQueue"' in run.stdout


def test_templates_that_need_nothing_print_no_policy(permissions: Run, tmp_path: Path) -> None:
    template = tmp_path / "wait.yaml"
    template.write_text("Resources:\n  Handle:\n    Type: AWS::CloudFormation::WaitConditionHandle\n")
    run = permissions(template)
    assert (run.returncode, run.stdout) == (0, "")
    assert run.stderr == "sam-shift-lint permissions: the templates need no permissions\n"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="CPU time read from /proc")
def test_ctrl_c_while_deriving_is_one_line(
    bin_path: Callable[[str], Path], cpu_seconds: Callable[[int], float], terminal_job: type[TerminalJob]
) -> None:
    """Ctrl-C while the SAM translator is being imported (1.5-2 s of CPU): one line, no traceback, no policy,
    and the command ends as killed by SIGINT."""
    with terminal_job([bin_path("sam-shift-lint"), "permissions", CODESTAR_AFTER]) as job:
        deadline = time.monotonic() + 60
        while cpu_seconds(job.pid) < 0.4 and time.monotonic() < deadline:
            time.sleep(0.01)
        stdout, stderr = job.ctrl_c()
    assert job.returncode == -signal.SIGINT, stderr
    assert (stdout, stderr) == (b"", b"sam-shift-lint: interrupted\n")
