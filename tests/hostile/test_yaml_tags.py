"""Every explicit YAML tag, on scalars, sequences, mappings and keys, valid and invalid: read as cfn-lint reads it
(its own loader, ``cfnlint.decode``, is the oracle here) or refused with one short DocumentError at the tag's
position; never an exception of another kind.

Where we differ from cfn-lint, on purpose (documented in the README, "YAML 1.1 scalars"): ``!!timestamp`` and
``!!binary`` keep their text (the SAM CLI keeps timestamps as strings; a template holds no bytes); tags that
give no CloudFormation value (``!!set``, ``!!omap``, ``!!pairs``) and unknown local tags (``!Foo``, which
cfn-lint turns into ``Fn::Foo``) are refused.
"""
from __future__ import annotations

import math
from typing import Any

import pytest
from hostile_inputs import run_cli, sam_function

from sam_shift_lint.parsing.errors import MAX_MESSAGE, DocumentError
from sam_shift_lint.parsing.nodes import to_data
from sam_shift_lint.parsing.yaml_parser import parse_yaml

cfn_decode = pytest.importorskip("cfnlint.decode")

VALUES = [
    # scalars, valid and invalid
    "!!int 12", "!!int -0x1F", "!!int 0o17", "!!int 017", "!!int 0b101", "!!int 1_000", "!!int 1:30", "!!int abc",
    "!!int", "!!int ''", "!!int 1.5",
    "!!float 1.5", "!!float 1e3", "!!float .inf", "!!float -.INF", "!!float 1:30.5", "!!float abc", "!!float",
    "!!bool yes", "!!bool Off", "!!bool true", "!!bool maybe", "!!bool", "!!bool 1",
    "!!null x", "!!null", "!!null ~",
    "!!str 12", "!!str", "!!str true", "! 12", "! text",
    "!!binary aGk=", "!!binary", '!!binary "***"',
    "!!timestamp 2001-12-14", "!!timestamp 2001-12-14t21:59:43.10-05:00",
    "!!merge x", "!!merge <<",
    "!!python/name:os.system x", "!!python/object/apply:os.system [id]", "!!python/object:os.Foo {a: 1}",
    "!<tag:yaml.org,2002:str> x", "!<tag:yaml.org,2002:int> 7", "!<tag:example.com,2000:x> y", "!<!Ref> Param",
    # collections
    "!!seq [a, 1]", "!!seq {a: 1}", "!!seq x", "!!map {a: 1}", "!!map [a]", "!!map x",
    "!!str [a]", "!!int {a: 1}", "!!bool [true]", "!!null {a: 1}",
    "!!omap [a: 1, b: 2]", "!!pairs [a: 1, a: 2]", "!!set {a, b}", "!!set x", "!!omap x",
    "!Foo x", "!Foo [a]", "!Foo {a: 1}",
    # short-form intrinsics stay what they are
    "!Ref Param", "!Sub '${AWS::Region}'", "!GetAtt Fn.Arn", "!If [C, a, b]",
]
# cfn-lint accepts these, we refuse them (no CloudFormation value, or an unknown local tag).
WE_REFUSE = {"!!omap [a: 1, b: 2]", "!!pairs [a: 1, a: 2]", "!!set {a, b}", "!Foo x", "!Foo [a]", "!Foo {a: 1}"}
# cfn-lint refuses these, we keep the text (as the SAM CLI does for timestamps).
WE_KEEP_TEXT = {"!!timestamp 2001-12-14", "!!timestamp 2001-12-14t21:59:43.10-05:00", "!!binary aGk=", "!!binary", '!!binary "***"'}


def template(value: str) -> str:
    return "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: " + value + "\n"


def theirs(value: str) -> tuple[bool, Any]:
    """(accepted, value) by cfn-lint's own loader."""
    data, matches = cfn_decode.decode_str(template(value))
    if matches:
        return False, None
    return True, data["Resources"]["T"]["Properties"]["TopicName"]


def ours(value: str) -> tuple[bool, Any]:
    try:
        data = to_data(parse_yaml(template(value)))
    except DocumentError as error:
        assert error.line == 5, str(error)  # at the tagged node
        assert len(str(error)) <= MAX_MESSAGE + 20 and "\n" not in str(error)
        return False, None
    return True, data["Resources"]["T"]["Properties"]["TopicName"]


def same(left: Any, right: Any) -> bool:
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left):
        return math.isnan(right)
    return bool(left == right and type(left) is type(right)) or (isinstance(right, str) and left == str(right))


@pytest.mark.parametrize("value", VALUES)
def test_tag_read_as_cfn_lint_reads_it(value: str) -> None:
    accepted, data = ours(value)
    their_accepted, their_data = theirs(value)
    if value in WE_REFUSE:
        assert their_accepted and not accepted
    elif value in WE_KEEP_TEXT:
        assert accepted and isinstance(data, str)
    else:
        assert accepted == their_accepted, (accepted, data, their_accepted, their_data)
        if accepted:
            assert same(data, _plain(their_data)), (data, their_data)


def _plain(value: Any) -> Any:
    """cfn-lint's node types (dict_node, str_node, ...) as plain Python values."""
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value


KEYS = ["!!str a", "!!int 1", "!!bool yes", "!!bool maybe", "!!null", "!!float x", "!!python/name:os.system a",
        "!Ref a", "!<tag:example.com,2000:k> a", "!!set a", "!!binary aGk="]
KEYS_REFUSED = {"!!bool maybe", "!!float x", "!!python/name:os.system a", "!Ref a", "!<tag:example.com,2000:k> a", "!!set a"}


@pytest.mark.parametrize("key", KEYS)
def test_tagged_keys(key: str) -> None:
    text = f"Resources:\n  {key} : x\n"
    if key in KEYS_REFUSED:
        with pytest.raises(DocumentError) as caught:
            parse_yaml(text)
        assert caught.value.line == 2
    else:
        data = to_data(parse_yaml(text))
        assert list(data["Resources"].values()) == ["x"]


def test_valid_tags_do_not_change_the_findings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Tags spelling out what the value already is: the same findings as without them."""
    plain = sam_function(extra="      DeploymentPreference:\n        Type: Linear10PercentEvery1Minut\n        Enabled: yes\n        Alarms: [A, 12]\n")
    tagged = sam_function(
        extra="      DeploymentPreference: !!map\n        Type: !<tag:yaml.org,2002:str> Linear10PercentEvery1Minut\n"
        "        Enabled: !!bool yes\n        Alarms: !!seq [!!str A, !!int 12]\n"
    )
    (tmp_path / "plain.yaml").write_text(plain)
    (tmp_path / "tagged.yaml").write_text(tagged)
    first = run_cli("--format", "parseable", "plain.yaml", cwd=tmp_path)
    second = run_cli("--format", "parseable", "tagged.yaml", cwd=tmp_path)
    assert first.returncode == second.returncode == 1
    # the same rules at the same places (a tagged value's span includes its tag, so end columns differ)
    assert _where(first.stdout) == _where(second.stdout)
    assert "E9103" in first.stdout and "E9105" in first.stdout


def _where(parseable: str) -> list[tuple[str, ...]]:
    """(line, column, rule) of each finding in parseable output."""
    return [tuple(line.split(":")[i] for i in (1, 2, 5)) for line in parseable.splitlines()]


def test_a_yaml_1_1_document_fixes_without_library_warnings(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``%YAML 1.1`` with a float like ``1e+308``: ruamel.yaml (the second parser of ``--fix``) warns about such
    floats, and Python printed its 12-line warning twice to stderr. Found by fuzzing; stderr must stay empty. (A
    flow-style root: the second parser reads the whole text, not only the changed entries.)"""
    path = tmp_path / "template.yaml"
    path.write_text(
        "%YAML 1.1\n---\n{Transform: AWS::Serverless-2016-10-31, Resources: {Fn: {Type: AWS::Serverless::Function,\n"
        "  Properties: {Handler: a.b, Runtime: python3.12, CodeUri: s3://b/k, MemorySize: 1e+308}}}}\n"
    )
    diff = run_cli("--diff", "template.yaml", cwd=tmp_path)
    assert (diff.returncode, diff.stderr) == (1, "Would fix 2 errors.\n")
    assert "AutoPublishAlias: live" in diff.stdout
    fixed = run_cli("--fix", "template.yaml", cwd=tmp_path)
    assert (fixed.returncode, fixed.stderr) == (0, "")
    assert path.read_text().startswith("%YAML 1.1\n---\n{") and "AutoPublishAlias: live" in path.read_text()
