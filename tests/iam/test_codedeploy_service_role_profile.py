"""The codedeploy-service-role profile: ``for_each`` groups, their instantiation, and the known statements of
the AWS managed policies SAM gives its own CodeDeploy role."""
from __future__ import annotations

from sam_shift_lint.iam import Status, check_profile, load_profile, parse_policy
from sam_shift_lint.iam.managed import known_managed_policies, managed_policy_document
from sam_shift_lint.iam.profiles import Item, instantiate

PROFILE = "codedeploy-service-role"


def test_for_each_groups_are_required_per_item_and_not_without_items() -> None:
    profile = load_profile(PROFILE)
    assert {g.for_each for g in profile.groups} == {"Function", "Alarm", "Hook", "Trigger"}
    assert check_profile([], profile).groups == ()  # nothing instantiated: nothing required
    items = {
        "Function": [Item("Api", {"Function": "${Api}", "Function.Arn": "${Api.Arn}"})],
        "Hook": [Item("a", {"Hook": "CodeDeployHook_a"}), Item("b", {"Hook": "b"})],
    }
    concrete = instantiate(profile, items)
    assert [g.name for g in concrete.groups] == ["alias Api", "hook a", "hook b"]
    alias = concrete.groups[0]
    assert alias.resources == (
        "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Api}",
        "${Api.Arn}",
    )  # the ${FunctionName} alternative has no value: dropped
    assert concrete.groups[1].resources == ("arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:CodeDeployHook_a",)


def test_the_managed_policy_grants_alias_actions_and_only_codedeployhook_functions() -> None:
    assert known_managed_policies() == ["AWSCodeDeployRoleForLambda", "AWSCodeDeployRoleForLambdaLimited"]
    document = managed_policy_document("arn:aws:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda")
    assert document is not None
    items = {
        "Function": [Item("Api", {"Function": "api"})],
        "Hook": [Item("good", {"Hook": "CodeDeployHook_check"}), Item("bad", {"Hook": "check"})],
        "Trigger": [Item("Topic", {"Trigger": "${Topic}"})],
    }
    result = check_profile([parse_policy(document, "managed")], instantiate(load_profile(PROFILE), items))
    statuses = {g.group.name: g.status for g in result.groups}
    assert statuses == {
        "alias Api": Status.GRANTED,
        "hook good": Status.GRANTED,
        "hook bad": Status.NOT_GRANTED,
        "trigger Topic": Status.GRANTED,
    }
    limited = managed_policy_document("AWSCodeDeployRoleForLambdaLimited")
    assert limited is not None
    result = check_profile([parse_policy(limited, "limited")], instantiate(load_profile(PROFILE), items))
    assert result.group("trigger Topic").status is Status.NOT_GRANTED  # the Limited variant has no sns:Publish


def test_managed_policies_are_known_by_name_or_aws_arn_only() -> None:
    assert managed_policy_document("AWSCodeDeployRoleForLambda") is not None
    assert managed_policy_document("arn:${AWS::Partition}:iam::aws:policy/service-role/AWSCodeDeployRoleForLambda") is not None
    assert managed_policy_document("arn:aws:iam::123456789012:policy/AWSCodeDeployRoleForLambda") is None
    assert managed_policy_document("AWSCodeDeployFullAccess") is None
    document = managed_policy_document("AWSCodeDeployRoleForLambda")
    assert document is not None
    resources = [s["Resource"] for s in document["Statement"]]
    assert "arn:${AWS::Partition}:lambda:*:*:function:CodeDeployHook_*" in resources  # any partition


def test_a_managed_policy_document_is_the_callers_to_change() -> None:
    """Each call gives a new structure (lists and dicts rebuilt, not shared with the remembered policy), so what one
    caller changes another never sees."""
    first = managed_policy_document("AWSCodeDeployRoleForLambda")
    assert first is not None
    first["Statement"][0]["Action"].append("iam:PassRole")
    first["Statement"].clear()
    again = managed_policy_document("AWSCodeDeployRoleForLambda")
    assert again is not None and again["Statement"] and "iam:PassRole" not in str(again)
