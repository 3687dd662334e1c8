"""Requirement profiles: loading, format checks, the CodeStar policy, and the shared corpus."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from iam_helpers import corpus_files, doc, fixture_doc, load_fixture, stmt

from sam_shift_lint.iam import (
    ProfileError,
    Status,
    available_profiles,
    check_profile,
    load_profile,
    load_profile_file,
    parse_policy,
    profile_from_data,
)
from sam_shift_lint.iam.profiles import load_bundled_profile

CODESTAR = "codestar-worker-cloudformation-role-policy.json"
CODEDEPLOY_GROUPS = {"codedeploy-application", "codedeploy-deploymentgroup", "codedeploy-deploymentconfig"}
REGION, ACCOUNT = "us-east-2", "111111111111"


def test_bundled_profiles_load_by_name() -> None:
    assert {"deploy-role", "hook-function"} <= set(available_profiles())
    deploy = load_profile("deploy-role")
    assert [g.name for g in deploy.groups] == [
        "s3-read", "s3-put-codepipeline", "lambda", "apigateway", "iam-role", "iam-role-policy",
        "iam-passrole", "codedeploy-application", "codedeploy-deploymentgroup", "codedeploy-deploymentconfig",
    ]
    assert deploy.groups[2].actions == ("lambda:*",)
    hook = load_profile("hook-function")
    assert len(hook.groups[0].resources) == 2


def test_profile_from_a_user_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    group = {"name": "x", "actions": ["s3:GetObject"], "resource": "*"}
    path.write_text(json.dumps({"name": "mine", "groups": [group]}))
    assert load_profile(str(path)).name == "mine"
    assert load_profile(path).name == "mine"
    assert load_profile_file(path).groups[0].resources == ("*",)
    result = check_profile([doc(stmt(action="s3:*"))], str(path))
    assert result.ok


@pytest.mark.parametrize(
    "data",
    [
        [],
        {"groups": []},
        {"name": "n", "groups": []},
        {"name": "n", "groups": [{"name": "g", "actions": [], "resource": "*"}]},
        {"name": "n", "groups": [{"name": "g", "actions": ["nocolon"], "resource": "*"}]},
        {"name": "n", "groups": [{"name": "g", "actions": ["s3:X"]}]},
        {"name": "n", "groups": [{"name": "g", "actions": ["s3:X"], "resource": {"any_of": []}}]},
        {"name": "n", "groups": [{"name": "g", "actions": ["s3:X"], "resource": "*"}] * 2},
    ],
)
def test_malformed_profiles_are_rejected(data) -> None:
    with pytest.raises(ProfileError):
        profile_from_data(data)


@pytest.mark.parametrize(
    "name",
    ["../managed_policy_data/AWSCodeDeployRoleForLambda", "/dev/zero", "deploy-role.json", "deploy-role/", "..", "", "deploy-role\x00"],
)
def test_a_bundled_profile_name_is_never_made_into_a_path(name: str) -> None:
    with pytest.raises(ProfileError, match="no bundled profile"):
        load_bundled_profile(name)


def test_bundled_profiles_load_by_their_names_only() -> None:
    assert [load_bundled_profile(name).name for name in available_profiles()] == available_profiles()


def test_missing_profiles_are_reported(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="available"):
        load_profile("no-such-profile")
    with pytest.raises(ProfileError):
        load_profile(str(tmp_path / "absent.json"))
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(ProfileError):
        load_profile(str(tmp_path / "bad.json"))


def test_codestar_policy_grants_the_deploy_role_profile() -> None:
    result = check_profile([fixture_doc(CODESTAR)], "deploy-role", region=REGION, account=ACCOUNT)
    assert result.ok, [(g.group.name, g.status) for g in result.failing]
    lam = result.group("lambda")
    assert lam.actions[0].verdict.allowed_by[0].index == 1


def test_codestar_policy_without_region_and_account_is_unknown_not_missing() -> None:
    result = check_profile([fixture_doc(CODESTAR)], "deploy-role")
    assert {g.status for g in result.groups} == {Status.GRANTED, Status.UNKNOWN}
    assert result.group("iam-passrole").status is Status.GRANTED
    assert result.group("lambda").status is Status.UNKNOWN


def test_codestar_template_form_is_granted_symbolically() -> None:
    template = load_fixture("codestar-worker-cloudformation-role-template.json")
    policy = template["Resources"]["CodeStarWorkerCloudFormationRole"]["Properties"]["Policies"][0]["PolicyDocument"]
    assert check_profile([parse_policy(policy, "CodeStarWorkerCloudFormationRole")], "deploy-role").ok
    assert check_profile([parse_policy(policy, "R")], "deploy-role", partition=None).ok
    assert check_profile([parse_policy(policy, "R")], "deploy-role", region="eu-west-1", account="2").ok


def test_codestar_policy_without_codedeploy_misses_exactly_those_groups() -> None:
    docs = [fixture_doc("codestar-worker-cloudformation-role-policy-no-codedeploy.json")]
    result = check_profile(docs, "deploy-role", region=REGION, account=ACCOUNT)
    assert {g.group.name for g in result.failing} == CODEDEPLOY_GROUPS
    for group in result.failing:
        assert group.status is Status.NOT_GRANTED
        assert set(group.missing) == set(group.group.actions)
        assert group.denied == () and group.conditional == ()


def test_deny_and_condition_are_reported_per_group() -> None:
    docs = [
        fixture_doc(CODESTAR, "Role"),
        doc(
            stmt("Deny", action="iam:PassRole", Sid="NoPass"),
            stmt("Allow", action="codedeploy:*", resource="*",
                 Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}),
            stmt("Deny", action="codedeploy:GetDeploymentConfig", resource="*",
                 Condition={"StringNotEquals": {"aws:RequestedRegion": REGION}}),
            doc_id="Boundary",
        ),
    ]
    result = check_profile(docs, "deploy-role", region=REGION, account=ACCOUNT)
    passrole = result.group("iam-passrole")
    assert passrole.status is Status.DENIED and passrole.denied == ("iam:PassRole",)
    assert [(r.document, r.sid) for r in passrole.statements] == [("Boundary", "NoPass")]
    config = result.group("codedeploy-deploymentconfig")
    assert config.conditional == ("codedeploy:GetDeploymentConfig",)
    assert {g.group.name for g in result.failing} == {"iam-passrole", "codedeploy-deploymentconfig"}


def test_hook_profile_accepts_either_alternative() -> None:
    star = doc(stmt(action="codedeploy:PutLifecycleEventHookExecutionStatus", resource="*"))
    scoped = doc(stmt(
        action="codedeploy:PutLifecycleEventHookExecutionStatus",
        resource={"Fn::Sub": "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:"
                             "deploymentgroup:${ServerlessDeploymentApplication}/*"},
    ))
    other_app = doc(stmt(
        action="codedeploy:PutLifecycleEventHookExecutionStatus",
        resource={"Fn::Sub": "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:"
                             "deploymentgroup:Other/*"},
    ))
    assert check_profile([star], "hook-function").ok
    assert check_profile([scoped], "hook-function").ok
    assert check_profile([scoped], "hook-function", region="us-east-1", account="1").ok
    # a literal application name might be the one the symbol stands for: unknown, not missing
    assert check_profile([other_app], "hook-function").status is Status.UNKNOWN
    app_arn = doc(stmt(
        action="codedeploy:PutLifecycleEventHookExecutionStatus",
        resource={"Fn::Sub": "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:application:*"},
    ))
    assert check_profile([app_arn], "hook-function").status is Status.NOT_GRANTED
    assert check_profile([doc(stmt(action="lambda:InvokeFunction"))], "hook-function").status is Status.NOT_GRANTED



LAMBDA_FUNCTIONS = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:"
ALIAS_PROFILE = {"name": "alias", "groups": [{
    "name": "alias", "actions": ["lambda:GetAlias", "lambda:UpdateAlias"],
    "resource": {"any_of": [LAMBDA_FUNCTIONS + "${Fn}", "${Fn.Arn}"]},
}]}


def test_a_deny_reaching_one_spelling_of_the_resource_denies_it() -> None:
    """Seed 20261129 input 79580: a Deny on ``function:*`` cannot be matched against the opaque ``${Fn.Arn}``,
    and the better verdict of that spelling hid it: the action was "not granted" however many Allows --fix
    added (or "unknown" with one), though IAM denies it."""
    deny = stmt("Deny", action="lambda:Get*", resource={"Fn::Sub": LAMBDA_FUNCTIONS + "*"}, Sid="NoGet")
    profile = profile_from_data(ALIAS_PROFILE)
    for allows in ([], [stmt(action=["lambda:GetAlias", "lambda:UpdateAlias"], resource="*")]):
        group = check_profile([doc(deny, *allows)], profile).group("alias")
        assert group.denied == ("lambda:GetAlias",)
        assert [r.sid for r in group.statements if r.sid] == ["NoGet"]
        assert group.missing == (() if allows else ("lambda:UpdateAlias",))


def test_a_deny_reaching_part_of_a_wider_alternative_leaves_a_granted_narrower_one() -> None:
    grant = stmt(action="codedeploy:PutLifecycleEventHookExecutionStatus", resource="*")
    deny = stmt("Deny", action="codedeploy:PutLifecycleEventHookExecutionStatus",
                resource="arn:aws:codedeploy:us-east-1:1:deploymentgroup:Other/*")
    result = check_profile([doc(grant, deny)], "hook-function", region="us-east-1", account="1",
                           bindings={"ServerlessDeploymentApplication": "App"})
    assert result.ok


CORPUS = corpus_files()


@pytest.mark.skipif(not CORPUS, reason="shared corpus not present")
def test_check_profile_over_the_whole_corpus() -> None:
    checked = 0
    for path in CORPUS:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue  # a corpus file that is not JSON is not the engine's problem
        docs = [parse_policy(data, path.name)]
        for name in ("deploy-role", "hook-function"):
            result = check_profile(docs, name)
            assert result.groups
            check_profile(docs, name, region="us-east-1", account="123456789012")
        checked += 1
    assert checked >= 100
