"""Evaluation semantics: one question, many policy shapes."""
from __future__ import annotations

import pytest
from iam_helpers import LAMBDA_FN, doc, stmt

from sam_shift_lint.iam import StatementRef, Status, evaluate, parse_policy

FN = "arn:aws:lambda:us-east-1:123456789012:function:*"
G, C, U, N, D = Status.GRANTED, Status.CONDITIONAL, Status.UNKNOWN, Status.NOT_GRANTED, Status.DENIED


def status(*statements, action="lambda:UpdateAlias", resource=FN, **kw) -> Status:
    return evaluate([doc(*statements)], action, resource, **kw).status


@pytest.mark.parametrize("as_map", [True, False])
@pytest.mark.parametrize("action", ["lambda:UpdateAlias", ["lambda:GetAlias", "lambda:UpdateAlias"]])
def test_map_or_list_statement_string_or_list_action(as_map: bool, action) -> None:
    d = doc(stmt(action=action, resource=FN if as_map else [FN]), as_map=as_map)
    assert evaluate([d], "lambda:UpdateAlias", FN).status is G


def test_implicit_deny() -> None:
    assert status(stmt(action="s3:*")) is N
    assert evaluate([], "lambda:UpdateAlias", FN).status is N


def test_actions_case_insensitive_resources_case_sensitive() -> None:
    assert status(stmt(action="LAMBDA:updatealias")) is G
    assert status(stmt(resource="arn:aws:lambda:us-east-1:123456789012:Function:*")) is N


def test_question_mark_and_star_spanning_separators() -> None:
    assert status(stmt(action="lambda:?pdateAlia?")) is G
    assert status(stmt(action="lambda:?Alias")) is N
    assert status(stmt(resource="arn:aws:*"), resource="arn:aws:lambda:us-east-1:1:function:f:live") is G
    assert status(stmt(resource="arn:aws:iam::1:role/*"), action="lambda:UpdateAlias",
                  resource="arn:aws:iam::1:role/path/deep/name") is G
    assert status(stmt(resource="arn:aws:lambda:us-east-1:123456789012:function:f?"),
                  resource="arn:aws:lambda:us-east-1:123456789012:function:f1") is G
    assert status(stmt(resource="arn:aws:lambda:us-east-1:123456789012:function:f?"),
                  resource="arn:aws:lambda:us-east-1:123456789012:function:f*") is N


def test_not_action_allows_everything_else() -> None:
    assert status(stmt(action=None, NotAction="lambda:Invoke*")) is G
    assert status(stmt(action=None, NotAction="lambda:Update*")) is N
    assert status(stmt(action=None, NotAction="lambda:Invoke*"), action="lambda:*") is N
    assert status(stmt(action=None, NotAction="s3:*"), action="lambda:*") is G


def test_not_resource() -> None:
    assert status(stmt(resource=None, NotResource="arn:aws:s3:::*")) is G
    assert status(stmt(resource=None, NotResource="arn:aws:lambda:*:*:function:secret*")) is N
    # the NotResource exclusion is filled by another statement
    assert status(stmt(resource=None, NotResource="arn:aws:lambda:*:*:function:secret*"),
                  stmt(resource="arn:aws:lambda:*:*:function:secret*")) is G
    # a Deny with NotResource reaches everything outside it
    assert status(stmt(), stmt("Deny", resource=None, NotResource="arn:aws:s3:::*")) is D
    assert status(stmt(), stmt("Deny", resource=None, NotResource="arn:aws:lambda:*")) is G


def test_deny_overrides_allow_and_names_the_statement() -> None:
    d = doc(stmt(Sid="Allow"), stmt("Deny", action="lambda:Update*", Sid="NoUpdates"))
    v = evaluate([d], "lambda:UpdateAlias", FN)
    assert v.status is D and not v.partial_deny
    assert v.denied_by == (StatementRef("P", 1, "NoUpdates", ("Statement", 1)),)


def test_partial_deny_is_denied() -> None:
    v = evaluate([doc(stmt(), stmt("Deny", resource="arn:aws:lambda:*:*:function:prod-*"))], "lambda:UpdateAlias", FN)
    assert v.status is D and v.partial_deny


def test_deny_elsewhere_does_not_matter() -> None:
    assert status(stmt(), stmt("Deny", resource="arn:aws:lambda:eu-west-1:*")) is G
    assert status(stmt(), stmt("Deny", action="lambda:Invoke*")) is G


def test_conditional_allow_and_conditional_deny() -> None:
    cond = {"StringEquals": {"aws:RequestedRegion": "us-east-1"}}
    assert status(stmt(Condition=cond)) is C
    assert status(stmt(Condition=cond), stmt(action="lambda:UpdateAlias")) is G
    assert status(stmt(), stmt("Deny", Condition=cond)) is C
    assert status(stmt("Deny", Condition=cond)) is N
    assert status(stmt(), stmt("Deny", Condition=cond), stmt("Deny")) is D


def test_allows_combine_across_statements_and_documents() -> None:
    a = doc(stmt(resource="arn:aws:lambda:us-east-1:123456789012:function:a*"), doc_id="A")
    b = doc(stmt(resource="arn:aws:lambda:us-east-1:123456789012:function:"), doc_id="B")
    c = doc(stmt(resource="arn:aws:lambda:us-east-1:123456789012:function:?*"), doc_id="C")
    assert evaluate([a, b], "lambda:UpdateAlias", FN).status is N
    v = evaluate([a, b, c], "lambda:UpdateAlias", FN)
    assert v.status is G and {r.document for r in v.allowed_by} == {"A", "B", "C"}


def test_not_granted_lists_partial_grants() -> None:
    v = evaluate([doc(stmt(resource="arn:aws:lambda:us-east-1:123456789012:function:a*"))], "lambda:UpdateAlias", FN)
    assert v.status is N and len(v.allowed_by) == 1


def test_wildcard_required_action_needs_containment() -> None:
    assert status(stmt(action="lambda:*"), action="lambda:*") is G
    assert status(stmt(action="*"), action="lambda:*") is G
    assert status(stmt(action=["lambda:Get*", "lambda:Update*"]), action="lambda:*") is N
    assert status(stmt(action="lambda:*"), stmt("Deny", action="lambda:DeleteFunction"), action="lambda:*") is D


def test_sub_symbolic_arns_match_symbolic_requirements() -> None:
    sub = {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:*"}
    assert status(stmt(resource=sub), resource=LAMBDA_FN) is G
    assert status(stmt(resource=sub), resource=LAMBDA_FN, partition=None) is G
    assert status(stmt(resource=sub), resource=LAMBDA_FN, region="us-east-1", account="1") is G
    narrow = {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Prefix}-*"}
    assert status(stmt(resource=narrow), resource=LAMBDA_FN) is N


def test_literal_policy_against_symbolic_requirement() -> None:
    assert status(stmt(resource=FN), resource=LAMBDA_FN) is U  # depends on the region and account
    assert status(stmt(resource=FN), resource=LAMBDA_FN, region="us-east-1", account="123456789012") is G
    assert status(stmt(resource=FN), resource=LAMBDA_FN, region="eu-west-1", account="123456789012") is N
    # a literal partition other than the one checked
    assert status(stmt(resource=FN), resource=LAMBDA_FN, region="us-east-1", account="123456789012",
                  partition="aws-cn") is N


def test_deny_that_depends_on_the_region_is_unknown() -> None:
    deny = stmt("Deny", resource="arn:aws:lambda:us-west-2:*")
    assert status(stmt(), deny, resource=LAMBDA_FN) is U
    assert status(stmt(), deny, resource=LAMBDA_FN, region="us-west-2") is D
    assert status(stmt(), deny, resource=LAMBDA_FN, region="us-east-1") is G


def test_unknown_intrinsics() -> None:
    unknown = {"Fn::ImportValue": "FunctionArn"}
    assert status(stmt(resource=unknown)) is U
    assert status(stmt(resource=[unknown, FN])) is G
    assert status(stmt(), stmt("Deny", resource=unknown)) is U
    assert status(stmt(action={"Fn::If": ["C", "lambda:*", "s3:*"]})) is U
    assert status(stmt(Effect={"Ref": "Effect"})) is U
    assert status(stmt(resource=None, NotResource=[unknown])) is U


def test_template_condition_statement_is_conditional() -> None:
    d = parse_policy({"Statement": [{"Fn::If": ["IsProd", stmt(), {"Ref": "AWS::NoValue"}]}]}, "T")
    v = evaluate([d], "lambda:UpdateAlias", FN)
    assert v.status is C and v.allowed_by[0].path == ("Statement", 0, "Fn::If", 1)


def test_statements_without_resource_are_ignored() -> None:
    trust = {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    assert evaluate([doc(trust)], "sts:AssumeRole", "*").status is N
