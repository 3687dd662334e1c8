"""``scripts/compare_peers.py`` on a test directory laid out as aws-leastprivilege's (written here, not copied):
a real process running the real ``sam-shift-lint permissions``."""
from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "compare_peers.py"

QUEUE = """\
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: jobs
"""

ROLE = """\
Resources:
  ServiceRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {}
      Policies:
        - PolicyName: create
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: [sqs:CreateQueue, sqs:getqueueattributes]
                Resource: '*'
              - Effect: Allow
                Action: sqs:DeleteQueue
                Resource: !Sub 'arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:*'
              - Effect: Allow
                Action: sqs:ListQueues
                Resource: !ImportValue other-stack-queue
"""


def test_the_table_compares_actions_and_resource_scope(tmp_path: Path) -> None:
    test = tmp_path / "tests" / "AWS-SQS-Queue"
    test.mkdir(parents=True)
    (test / "create.yaml").write_text(QUEUE)
    (test / "role.yaml").write_text(textwrap.dedent(ROLE))
    done = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    cells = [line.strip("| ").split(" | ") for line in done.stdout.splitlines() if line.startswith("| ")]
    rows = {row[0]: row[1:] for row in cells}
    theirs, ours, same, only_theirs, only_ours, their_scope, our_scope, size, method = rows["AWS::SQS::Queue"]
    assert (theirs, only_theirs) == ("4", "1")  # sqs:GetQueueAttributes is the same action as sqs:getqueueattributes
    assert int(same) == 3 and int(ours) == int(same) + int(only_ours)
    assert their_scope == "2/1/1"  # widest per action: two on *, DeleteQueue on every queue, ListQueues on an export
    assert our_scope == f"0/0/{ours}"  # every action on the queue the template names
    policies, characters = re.fullmatch(r"(\d+) \(([\d,]+)\)", size).groups()  # type: ignore[union-attr]
    assert policies == "1" and 200 < int(characters.replace(",", "")) < 6144  # one small managed policy
    assert rows["total"][7] == size
    assert int(method) >= int(ours)  # cfn2iam's method: every handler permission, the list handler's too
    assert rows["total"][:5] == [theirs, ours, same, only_theirs, only_ours]
    assert "AWS::SQS::Queue: only theirs: sqs:ListQueues" in done.stdout.splitlines()


def test_a_directory_without_tests_is_one_clear_error(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path)], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    assert done.stderr.strip() == f"{tmp_path}: no <Type>/role.yaml test directories"


def test_severity_splits_our_actions_against_their_role(tmp_path: Path) -> None:
    """--severity: what E9206 would ask (create, delete's writes) and what W9207 would (update-only), each split by
    the deployment-tested role."""
    test = tmp_path / "tests" / "AWS-SQS-Queue"
    test.mkdir(parents=True)
    (test / "create.yaml").write_text(QUEUE)
    (test / "role.yaml").write_text(textwrap.dedent(ROLE))
    done = subprocess.run([sys.executable, str(SCRIPT), "--severity", str(tmp_path)], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    [line] = [line for line in done.stdout.splitlines() if line.startswith("AWS::SQS::Queue: E9206 ")]
    errors, warnings = line.split("; W9207 ")
    held, rest = errors.split(" in their role, ")
    assert int(held.rsplit(" ", 1)[1]) == 3  # CreateQueue, GetQueueAttributes (create), DeleteQueue (delete)
    assert "sqs:deletequeue" not in rest and "sqs:createqueue" not in rest
    assert warnings.startswith("0 in their role (), ") and "sqs:setqueueattributes" in warnings  # only to update a property
