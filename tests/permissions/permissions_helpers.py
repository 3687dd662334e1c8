"""Helpers for the ``sam-shift-lint permissions`` tests: the fixtures' paths, reading and validating policies."""
from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
REPO = HERE.parent.parent
CODESTAR_BEFORE = REPO / "examples" / "codestar-project" / "template.yml"
CODESTAR_AFTER = FIXTURES / "codestar-gradual" / "template.yml"  # the example after `sam-shift-lint --fix`
CODESTAR_AFTER_ROLE = FIXTURES / "codestar-gradual-role" / "template.yml"  # its commented Globals, with Role

ACTION = re.compile(r"[a-z0-9-]+:[A-Za-z0-9*?]+")
PLACEHOLDER = re.compile(r"\$\{(AWS::Partition|AWS::Region|AWS::AccountId|StackName|ArtifactBucket)\}")


def statements(policy: dict[str, Any]) -> list[dict[str, Any]]:
    return list(policy["Statement"])


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def grants(policy: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(action, resource, json of the condition) of every statement of a policy."""
    for statement in statements(policy):
        condition = json.dumps(statement.get("Condition", {}), sort_keys=True)
        for action in as_list(statement["Action"]):
            for resource in as_list(statement["Resource"]):
                yield action, resource, condition


def actions(policy: dict[str, Any]) -> set[str]:
    return {action for action, _, _ in grants(policy)}


def assert_valid_policy(policy: Any, limit: int | None = 6144) -> None:
    """An IAM identity policy as sam-shift-lint writes it: version, unique Sids, Allow statements of known-looking
    actions on ARNs (or ``*``), placeholders only of the documented kinds, within the size limit."""
    assert isinstance(policy, dict) and set(policy) == {"Version", "Statement"}, policy
    assert policy["Version"] == "2012-10-17"
    sids = [s["Sid"] for s in policy["Statement"]]
    assert policy["Statement"], "a policy without statements"
    assert len(sids) == len(set(sids)), sids
    for statement in policy["Statement"]:
        assert re.fullmatch(r"[A-Za-z0-9]+", statement["Sid"]), statement
        assert statement["Effect"] == "Allow"
        assert set(statement) <= {"Sid", "Effect", "Action", "Resource", "Condition"}
        for action in as_list(statement["Action"]):
            assert ACTION.fullmatch(action), action
        for resource in as_list(statement["Resource"]):
            assert resource == "*" or resource.startswith("arn:"), resource
            assert "${" not in PLACEHOLDER.sub("", resource), resource
    if limit is not None:
        assert iam_size(policy) <= limit, iam_size(policy)


LONGEST = {"${AWS::Partition}": "aws-us-gov", "${AWS::Region}": "ap-southeast-5", "${AWS::AccountId}": "123456789012"}


def iam_size(policy: Any) -> int:
    """What IAM counts (no white space), the pseudo parameters at their longest values (the README's rule)."""
    text = json.dumps(policy, separators=(",", ":"), ensure_ascii=False)
    for placeholder, value in LONGEST.items():
        text = text.replace(placeholder, value)
    return len(text)


def read_json_stdout(run: subprocess.CompletedProcess[str]) -> Any:
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.stdout)
