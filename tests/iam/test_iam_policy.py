"""Policy model: shapes IAM accepts, statement positions, intrinsics."""
from __future__ import annotations

import json

from sam_shift_lint.iam import Context, Pattern, Unknown, parse_policy
from sam_shift_lint.iam.intrinsics import NOVALUE, resolve


def test_statement_as_map_and_as_list() -> None:
    one = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}
    as_map = parse_policy({"Statement": one}, "M")
    as_list = parse_policy({"Statement": [one, dict(one, Sid="Two")]}, "L")
    assert [(s.index, s.path, s.sid) for s in as_map.statements] == [(0, ("Statement",), None)]
    assert [(s.index, s.path, s.sid) for s in as_list.statements] == [
        (0, ("Statement", 0), None),
        (1, ("Statement", 1), "Two"),
    ]


def test_string_or_list_values_and_not_forms() -> None:
    d = parse_policy(
        {
            "Statement": [
                {"Effect": "Deny", "NotAction": ["iam:*", "sts:*"], "NotResource": "arn:aws:s3:::b/*"},
                {"Effect": "Allow", "Action": "s3:GetObject", "Resource": ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"]},
            ]
        },
        "D",
    )
    deny, allow = d.statements
    assert deny.effect == "Deny" and deny.action.negated and deny.action.values == ("iam:*", "sts:*")
    assert deny.resource.negated and [str(v) for v in deny.resource.values] == ["arn:aws:s3:::b/*"]
    assert not allow.action.negated and len(allow.resource.values) == 2


def test_condition_and_template_condition_make_a_statement_conditional() -> None:
    d = parse_policy(
        {
            "Statement": [
                {"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                 "Condition": {"Bool": {"aws:SecureTransport": "true"}}},
                {"Effect": "Allow", "Action": "s3:*", "Resource": "*", "Condition": {}},
                {"Fn::If": ["IsProd", {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}, {"Ref": "AWS::NoValue"}]},
            ]
        },
        "C",
    )
    assert [s.conditional for s in d.statements] == [True, False, True]
    assert d.statements[2].path == ("Statement", 2, "Fn::If", 1) and d.statements[2].template_condition == "IsProd"


def test_json_string_document_and_bad_input_do_not_raise() -> None:
    text = json.dumps({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}})
    assert len(parse_policy(text, "J").statements) == 1
    assert parse_policy("{nope", "X").problems
    assert parse_policy(["not", "a", "policy"], "X").problems
    bad = parse_policy({"Statement": [{"Effect": "allow", "Action": "s3:*", "Resource": "*"}, 42]}, "B")
    assert bad.statements == () and len(bad.problems) == 2


def test_effect_intrinsic_is_unknown() -> None:
    d = parse_policy({"Statement": {"Effect": {"Ref": "Eff"}, "Action": "s3:*", "Resource": "*"}}, "E")
    assert d.statements[0].effect is None


def test_sub_keeps_pseudo_parameters_symbolic() -> None:
    value = resolve({"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Prefix}-*"})
    assert isinstance(value, Pattern)
    assert value.text == "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Prefix}-*"
    assert value.symbols == {"AWS::Partition", "AWS::Region", "AWS::AccountId", "Prefix"}


def test_sub_variables_escapes_and_getatt() -> None:
    value = resolve({"Fn::Sub": ["arn:aws:s3:::${B}/${!*}/*", {"B": {"Ref": "Bucket"}}]})
    assert isinstance(value, Pattern) and value.text == "arn:aws:s3:::${Bucket}/*/*"
    assert value.tokens[-3] == "*"  # ${!*} is IAM's ${*}: a literal star, not a wildcard
    att = resolve({"Fn::Sub": "${Fn.Arn}:*"})
    assert isinstance(att, Pattern) and att.text == "${Fn.Arn}:*"
    assert isinstance(resolve({"Fn::Sub": "arn:aws:s3:::${!aws:username}/*"}), Unknown)  # a policy variable


def test_join_of_literals_and_subs_resolves() -> None:
    parts = ["arn", {"Ref": "AWS::Partition"}, "lambda", {"Fn::Sub": "${AWS::Region}"}, "*"]
    value = resolve({"Fn::Join": [":", parts]})
    assert isinstance(value, Pattern) and value.text == "arn:${AWS::Partition}:lambda:${AWS::Region}:*"
    assert isinstance(resolve({"Fn::Join": ["", ["a", {"Fn::ImportValue": "X"}]]}), Unknown)


def test_unresolvable_intrinsics_are_unknown() -> None:
    for node in ({"Fn::ImportValue": "X"}, {"Fn::If": ["C", "a", "b"]}, {"Fn::Select": [0, ["a"]]}, 12):
        assert isinstance(resolve(node), Unknown)
    ctx = Context(names=frozenset({"Known"}))
    assert isinstance(resolve({"Ref": "Missing"}, ctx), Unknown)
    assert isinstance(resolve({"Ref": "Known"}, ctx), Pattern)
    assert isinstance(resolve({"Ref": "AWS::Region"}, ctx), Pattern)
    assert resolve({"Ref": "AWS::NoValue"}) is NOVALUE


def test_context_values_resolve_refs() -> None:
    value = resolve({"Fn::Sub": "arn:aws:s3:::${Bucket}/*"}, Context(values={"Bucket": "artifacts"}))
    assert isinstance(value, Pattern) and value.text == "arn:aws:s3:::artifacts/*" and not value.symbols


def test_plain_strings_policy_variables_and_version() -> None:
    d = parse_policy(
        {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*",
                                               "Resource": ["arn:aws:s3:::${aws:username}/*", "arn:aws:s3:::a${*}b",
                                                            "arn:${AWS::Partition}:s3:::x"]}},
        "V",
    )
    var, escaped, pseudo = d.statements[0].resource.values
    assert isinstance(var, Unknown)
    assert isinstance(escaped, Pattern) and escaped.tokens[-3:] == ("a", "*", "b")  # a literal star
    assert isinstance(pseudo, Pattern) and pseudo.symbols == {"AWS::Partition"}
    old = parse_policy({"Version": "2008-10-17", "Statement": {"Effect": "Allow", "Action": "s3:*",
                                                              "Resource": "arn:aws:s3:::${aws:username}"}}, "O")
    assert isinstance(old.statements[0].resource.values[0], Pattern)


def test_novalue_items_are_dropped_and_missing_elements_are_none() -> None:
    d = parse_policy({"Statement": [{"Effect": "Allow", "Action": ["s3:*", {"Ref": "AWS::NoValue"}]},
                                    {"Effect": "Allow", "Principal": "*", "Action": "sts:AssumeRole"}]}, "N")
    assert d.statements[0].action.values == ("s3:*",)
    assert d.statements[0].resource is None and d.statements[1].resource is None
