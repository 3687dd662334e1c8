"""Property tests: the engine against a deliberately simple brute-force IAM evaluator.

The reference expands required actions through cfn-lint's Policies.json into concrete names, turns the
required resource pattern into concrete sample ARNs (wildcards replaced by random strings, ``:`` and
``/`` included), and decides every (action, ARN) pair with plain IAM logic using ``fnmatch``.
"""
from __future__ import annotations

import fnmatch
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from iam_helpers import examples

from sam_shift_lint.iam import Status, evaluate, parse_policy

ACCOUNT, REGION = "123456789012", "us-east-1"
FN = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function"
ACTIONS = [
    "lambda:*", "lambda:Get*", "LAMBDA:getfunction", "lambda:GetFunction", "lambda:?etFunction", "*", "s3:*",
    "lambda:Invoke*", "lambda:*Alias*", "Lambda:UpdateAlias", "lambda:*alias", "iam:PassRole", "lambda:*Func*",
]
REQUIRED_ACTIONS = ["lambda:GetFunction", "lambda:UpdateAlias", "lambda:*", "lambda:*Alias*", "iam:PassRole"]
RESOURCES = [
    "*", f"{FN}:*", "arn:aws:lambda:*:*:function:*", f"{FN}:f?", f"{FN}:f*", f"arn:aws:lambda:{REGION}:{ACCOUNT}:*",
    "arn:aws:s3:::*", f"{FN}:f:live", "arn:aws:*", "arn:aws:lambda:us-?ast-1:*", f"{FN}:F*", f"{FN}:*:live",
]
REQUIRED_RESOURCES = [f"{FN}:*", f"{FN}:f*", f"{FN}:f?", "*", f"{FN}:f:live", f"{FN}:f:*"]
FILLERS = ["", "f", "F", "f:live", "fx", "a/b", ":", "x:y/z", "f1", f"{REGION}:{ACCOUNT}:function:f", "lambda:x"]
CONDITION = {"StringEquals": {"aws:RequestedRegion": REGION}}


@lru_cache(maxsize=1)
def _all_actions() -> tuple[str, ...]:
    import cfnlint.data.AdditionalSpecs
    from cfnlint.helpers import load_resource

    data = load_resource(cfnlint.data.AdditionalSpecs, "Policies.json")
    return tuple(f"{svc}:{act}" for svc, body in data.items() for act in body.get("Actions", {}))


@cache
def concrete_actions(pattern: str) -> tuple[str, ...]:
    return tuple(a for a in _all_actions() if fnmatch.fnmatchcase(a, pattern.lower()))


def samples(required: str, fillers: Sequence[str]) -> list[str]:
    """Concrete ARNs matching ``required``: each wildcard replaced by one of ``fillers`` (``?`` by one char)."""
    out = []
    for n, filler in enumerate(fillers):
        text = "".join(
            (filler if c == "*" else (filler + "f")[0] if c == "?" else c) for c in required
        )
        out.append(text)
        # vary the fillers across the wildcards of one sample too
        mixed = iter(fillers[n:] + fillers[:n])
        out.append("".join((next(mixed, "") if c == "*" else "1" if c == "?" else c) for c in required))
    return out


def _applies(s: Mapping[str, Any], action: str, arn: str) -> bool:
    def listed(key: str) -> list[str]:
        v = s[key]
        return v if isinstance(v, list) else [v]

    if "Action" in s:
        act = any(fnmatch.fnmatchcase(action.lower(), p.lower()) for p in listed("Action"))
    else:
        act = not any(fnmatch.fnmatchcase(action.lower(), p.lower()) for p in listed("NotAction"))
    if "Resource" in s:
        res = any(fnmatch.fnmatchcase(arn, p) for p in listed("Resource"))
    else:
        res = not any(fnmatch.fnmatchcase(arn, p) for p in listed("NotResource"))
    return act and res


def decide(statements: Sequence[Mapping[str, Any]], action: str, arn: str) -> dict[str, bool]:
    """Plain IAM for one request: which kinds of statement apply."""
    hits = [s for s in statements if _applies(s, action, arn)]
    return {
        "deny": any(s["Effect"] == "Deny" and "Condition" not in s for s in hits),
        "cond_deny": any(s["Effect"] == "Deny" and "Condition" in s for s in hits),
        "allow": any(s["Effect"] == "Allow" and "Condition" not in s for s in hits),
        "cond_allow": any(s["Effect"] == "Allow" and "Condition" in s for s in hits),
    }


def _one_or_many(values: list[str]) -> st.SearchStrategy:
    return st.sampled_from([values[0], values]) if len(values) == 1 else st.just(values)


@st.composite
def statements(draw: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"Effect": draw(st.sampled_from(["Allow", "Allow", "Deny"]))}
    actions = draw(st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=2))
    out[draw(st.sampled_from(["Action", "Action", "NotAction"]))] = draw(_one_or_many(actions))
    resources = draw(st.lists(st.sampled_from(RESOURCES), min_size=1, max_size=2))
    out[draw(st.sampled_from(["Resource", "Resource", "NotResource"]))] = draw(_one_or_many(resources))
    if draw(st.integers(0, 3)) == 0:
        out["Condition"] = CONDITION
    return out


policies = st.lists(statements(), min_size=1, max_size=4)
fillers = st.lists(st.sampled_from(FILLERS) | st.text("fF:/ab1-", max_size=6), min_size=2, max_size=5)


def _documents(stmts: list[dict[str, Any]], split: int, as_map: bool) -> list[Any]:
    parts = [stmts[:split], stmts[split:]] if 0 < split < len(stmts) else [stmts]
    docs = []
    for n, part in enumerate(parts):
        body: Any = part[0] if as_map and len(part) == 1 else part
        docs.append(parse_policy({"Version": "2012-10-17", "Statement": body}, f"doc{n}"))
    return docs


@settings(max_examples=examples(200), deadline=None)
@given(
    policies,
    st.sampled_from(REQUIRED_ACTIONS),
    st.sampled_from(REQUIRED_RESOURCES),
    fillers,
    st.integers(0, 3),
    st.booleans(),
)
def test_engine_agrees_with_brute_force(
    stmts: list[dict[str, Any]], action: str, resource: str, fill: list[str], split: int, as_map: bool
) -> None:
    verdict = evaluate(_documents(stmts, split, as_map), action, resource)
    pairs = [
        decide(stmts, a, arn)
        for a in concrete_actions(action)
        for arn in samples(resource, FILLERS + fill)
    ]
    assert pairs
    assert verdict.status is not Status.UNKNOWN  # nothing here is unresolvable
    if verdict.status is Status.GRANTED:
        assert all(p["allow"] and not p["deny"] and not p["cond_deny"] for p in pairs)
    if any(p["deny"] for p in pairs):
        assert verdict.status is Status.DENIED
    if any(not (p["allow"] or p["cond_allow"]) for p in pairs):
        assert verdict.status in (Status.NOT_GRANTED, Status.DENIED)
    if verdict.status is Status.CONDITIONAL:
        assert all((p["allow"] or p["cond_allow"]) and not p["deny"] for p in pairs)
    if verdict.status is Status.DENIED:
        assert verdict.denied_by
    if verdict.status in (Status.GRANTED, Status.CONDITIONAL):
        assert verdict.allowed_by


# --- symbolic policies ------------------------------------------------------------------------------

SYMBOLIC_RESOURCES = [
    {"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:*"},
    {"Fn::Sub": "arn:aws:lambda:${AWS::Region}:*:function:f*"},
    {"Fn::Sub": "arn:aws:lambda:*:${AWS::AccountId}:*"},
    {"Fn::Join": [":", ["arn", {"Ref": "AWS::Partition"}, "lambda", {"Ref": "AWS::Region"}, "*"]]},
    f"{FN}:*",
    "arn:aws:lambda:eu-west-1:*",
    "*",
]
SYMBOLIC_REQUIRED = [
    "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:*",
    "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:f?",
]


def _concrete(value: Any, values: Mapping[str, str]) -> str:
    """What CloudFormation would make of a symbolic value in one concrete stack."""
    if isinstance(value, str):
        text = value
    elif "Fn::Sub" in value:
        text = value["Fn::Sub"]
    else:
        delimiter, parts = value["Fn::Join"]
        text = delimiter.join(p if isinstance(p, str) else "${{{}}}".format(p["Ref"]) for p in parts)
    for name, v in values.items():
        text = text.replace(f"${{{name}}}", v)
    return text


@st.composite
def symbolic_statements(draw: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"Effect": draw(st.sampled_from(["Allow", "Allow", "Deny"]))}
    out["Action"] = draw(st.sampled_from(["lambda:*", "lambda:GetFunction", "*", "s3:*"]))
    key = draw(st.sampled_from(["Resource", "Resource", "NotResource"]))
    out[key] = draw(st.lists(st.sampled_from(SYMBOLIC_RESOURCES), min_size=1, max_size=2))
    return out


@settings(max_examples=examples(150), deadline=None)
@given(
    st.lists(symbolic_statements(), min_size=1, max_size=3),
    st.sampled_from(SYMBOLIC_REQUIRED),
    st.sampled_from(["us-east-1", "eu-west-1", "ap-south-2"]),
    st.sampled_from([ACCOUNT, "999999999999"]),
    fillers,
)
def test_symbolic_verdicts_hold_in_every_stack(
    stmts: list[dict[str, Any]], required: str, region: str, account: str, fill: list[str]
) -> None:
    docs = [parse_policy({"Version": "2012-10-17", "Statement": stmts}, "T")]
    symbolic = evaluate(docs, "lambda:GetFunction", required)
    bound = evaluate(docs, "lambda:GetFunction", required, region=region, account=account)
    values = {"AWS::Partition": "aws", "AWS::Region": region, "AWS::AccountId": account}
    concrete = [
        {k: ([_concrete(x, values) for x in v] if k in ("Resource", "NotResource") else v) for k, v in s.items()}
        for s in stmts
    ]
    arns = samples(_concrete(required, values), FILLERS + fill)
    pairs = [decide(concrete, "lambda:GetFunction", arn) for arn in arns]
    if symbolic.status is Status.GRANTED:
        assert bound.status is Status.GRANTED
    if symbolic.status is Status.DENIED:
        assert bound.status is Status.DENIED
    if symbolic.status is Status.NOT_GRANTED:
        assert bound.status in (Status.NOT_GRANTED, Status.DENIED)
    if bound.status is Status.GRANTED:
        assert all(p["allow"] and not p["deny"] for p in pairs)
    if any(p["deny"] for p in pairs):
        assert bound.status is Status.DENIED
    assert bound.status is not Status.UNKNOWN  # every symbol is bound
