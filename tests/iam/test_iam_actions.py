"""The action catalog from cfn-lint's Policies.json."""
from __future__ import annotations

import subprocess
import sys

from sam_shift_lint.iam.actions import Catalog, canonical_name, closest_action, expand, is_known_action


def test_importing_the_package_does_not_import_cfn_lint() -> None:
    code = "import sys, sam_shift_lint.iam; assert 'cfnlint' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_known_actions_and_wildcards() -> None:
    assert is_known_action("lambda:PublishVersion")
    assert is_known_action("LAMBDA:publishversion")
    assert is_known_action("codedeploy:PutLifecycleEventHookExecutionStatus")
    assert not is_known_action("lambda:PublishVersionz")
    assert is_known_action("lambda:*Alias*")
    assert is_known_action("*")
    assert not is_known_action("lambda:Nope*")
    assert not is_known_action("lambda")
    assert not is_known_action("nosuchservice:Get")


def test_expand() -> None:
    aliases = expand("lambda:*Alias*")
    assert {"lambda:createalias", "lambda:updatealias", "lambda:getalias"} <= aliases
    assert all(a.startswith("lambda:") for a in expand("lambda:*"))
    assert len(expand("lambda:*")) > 50
    assert expand("LAMBDA:GetAlias") == {"lambda:getalias"}
    assert expand("lambda:Nope*") == set()


def test_closest_action_keeps_the_users_casing() -> None:
    assert closest_action("lambda:PublishVersionz") == "lambda:PublishVersion"
    assert closest_action("lamda:CreateFunction") == "lambda:CreateFunction"
    assert closest_action("zzzz:qqqqqqq") is None


def test_canonical_name_with_lower_case_data_keeps_the_users_spelling() -> None:
    assert canonical_name("lambda:CreateFunction") == "lambda:CreateFunction"
    mixed = Catalog.from_policies({"lambda": {"Actions": {"CreateFunction": {}}}})
    assert canonical_name("LAMBDA:createfunction", mixed) == "lambda:CreateFunction"
    assert closest_action("lambda:CreateFunctio", mixed) == "lambda:CreateFunction"
    assert is_known_action("lambda:createfunction", mixed)
