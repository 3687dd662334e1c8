"""Edits added for the alarm rules: removing list items, replacing a whole node, adding a resource next to
another; in block YAML, flow YAML and JSON. Each result must re-parse to exactly the intended data change."""
from __future__ import annotations

import pytest

from sam_shift_lint.editing.builder import FixBuilder
from sam_shift_lint.editing.positions import EditError
from sam_shift_lint.editing.render import Intrinsic
from sam_shift_lint.findings import Applicability, Fix
from sam_shift_lint.fixer import _verified, apply_edits
from sam_shift_lint.parsing.document import Document, parse
from sam_shift_lint.parsing.nodes import Mapping, Sequence, get_path


def fixed(document: Document, fix: Fix | None) -> str:
    assert fix is not None
    text = apply_edits(document.text, list(fix.edits))
    _verified(document, text, list(fix.changes))  # raises unless the data is exactly the intended change
    return text


def sequence_at(document: Document, *path: str) -> Sequence:
    node = get_path(document.root, *path)
    assert isinstance(node, Sequence)
    return node


def remove(text: str, name: str, indexes: list[int]) -> str:
    document = parse(name, text)
    changes = FixBuilder(document)
    key = get_path(document.root, "A")
    assert isinstance(key, Mapping)
    changes.remove_items(sequence_at(document, "A", "L"), ("A", "L"), indexes, key.key_node("L"))
    return fixed(document, changes.build(Applicability.SAFE, "remove"))


@pytest.mark.parametrize(
    ("text", "indexes", "expected"),
    [
        ("A:\n  L:\n    - a\n    - b  # two\n    - c\n", [1], "A:\n  L:\n    - a\n    - c\n"),
        ("A:\n  L:\n  - a\n  - b\n  - c\nB: 1\n", [0, 2], "A:\n  L:\n  - b\nB: 1\n"),
        ("A:\n  L:\n    - a\n    # keep\n    - b", [1], "A:\n  L:\n    - a\n    # keep"),
        ("A:\n  L:\n    - a\r\n    - b", [1], "A:\n  L:\n    - a"),
        ("A:\n  L:\n    - a\n    - b\nB: 1\n", [0, 1], "A:\n  L: []\nB: 1\n"),
        ("A:\n  L:\n    - Ref: X\n    - Fn::GetAtt:\n        - Y\n        - Arn\n  M: 1\n", [1], "A:\n  L:\n    - Ref: X\n  M: 1\n"),
        ("A:\n  L: [a, b, c]\n", [1], "A:\n  L: [a, c]\n"),
        ("A:\n  L: [a, b, c]\n", [0], "A:\n  L: [b, c]\n"),
        ("A:\n  L: [a, b, c]\n", [1, 2], "A:\n  L: [a]\n"),
        ("A:\n  L: [!Ref a, !Ref a]\n", [0, 1], "A:\n  L: []\n"),
        ("A: {L: [a, b]}\n", [1], "A: {L: [a]}\n"),
    ],
)
def test_remove_items_yaml(text: str, indexes: list[int], expected: str) -> None:
    assert remove(text, "t.yaml", indexes) == expected


@pytest.mark.parametrize(
    ("text", "indexes", "expected"),
    [
        ('{"A": {"L": ["a", "b", "c"]}}', [1], '{"A": {"L": ["a", "c"]}}'),
        ('{"A": {"L": ["a", "b", "c"]}}', [0, 1], '{"A": {"L": ["c"]}}'),
        ('{\n  "A": {\n    "L": [\n      "a",\n      {"Ref": "b"}\n    ]\n  }\n}\n', [1], '{\n  "A": {\n    "L": [\n      "a"\n    ]\n  }\n}\n'),
        ('{\n  "A": {\n    "L": [\n      "a",\n      "b"\n    ]\n  }\n}\n', [0, 1], '{\n  "A": {\n    "L": []\n  }\n}\n'),
    ],
)
def test_remove_items_json(text: str, indexes: list[int], expected: str) -> None:
    assert remove(text, "t.json", indexes) == expected


def test_remove_all_block_items_keeps_comments_or_refuses() -> None:
    document = parse("t.yaml", "A:\n  L:  # alarms\n    - a\n")
    key = get_path(document.root, "A")
    assert isinstance(key, Mapping)
    with pytest.raises(EditError):
        FixBuilder(document).remove_items(sequence_at(document, "A", "L"), ("A", "L"), [0], key.key_node("L"))


def replace_ref(text: str, name: str) -> str:
    document = parse(name, text)
    changes = FixBuilder(document)
    items = sequence_at(document, "A", "L").items
    for index, node in enumerate(items):
        changes.replace_node(node, ("A", "L", index), Intrinsic("Ref", "X"))
    return fixed(document, changes.build(Applicability.SAFE, "replace"))


def test_replace_node_keeps_each_form() -> None:
    text = (
        "A:\n  L:\n    - !GetAtt X.Arn\n    - {Fn::GetAtt: [X, Arn]}\n    - Fn::GetAtt: [X, Arn]\n"
        "    - Fn::GetAtt:\n        - X\n        - Arn\n    - !GetAtt\n      - X\n      - Arn\n  B: 1\n"
    )
    assert replace_ref(text, "t.yaml") == "A:\n  L:\n    - !Ref X\n    - {Ref: X}\n    - Ref: X\n    - Ref: X\n    - !Ref X\n  B: 1\n"


def test_replace_node_json() -> None:
    text = '{"A": {"L": [{"Fn::GetAtt": ["X", "Arn"]}, {\n  "Fn::GetAtt": "X.Arn"\n}]}}'
    assert replace_ref(text, "t.json") == '{"A": {"L": [{"Ref": "X"}, {"Ref": "X"}]}}'


RESOURCE = {
    "Type": "AWS::CloudWatch::Alarm",
    "Properties": {
        "Dimensions": [
            {"Name": "Resource", "Value": Intrinsic("Fn::Sub", "${Fn}:live")},
            {"Name": "FunctionName", "Value": Intrinsic("Ref", "Fn")},
            {"Name": "ExecutedVersion", "Value": Intrinsic("Fn::GetAtt", ["Fn", "Version.Version"])},
        ],
        "Threshold": 0,
    },
}


def add_resource(text: str, name: str, before: str | None) -> str:
    document = parse(name, text)
    changes = FixBuilder(document)
    changes.add_at(("Resources", "Fn", "Properties"), "Alarms", [Intrinsic("Ref", "FnAlarm")])
    changes.add_resource("FnAlarm", RESOURCE, before=before)
    return fixed(document, changes.build(Applicability.UNSAFE, "add"))


def test_add_resource_block_after_function() -> None:
    text = "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      A: 1\n  Other:\n    Type: O\n"
    assert add_resource(text, "t.yaml", "Other") == (
        "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      A: 1\n      Alarms:\n        - !Ref FnAlarm\n"
        "  FnAlarm:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n      Dimensions:\n"
        "        - Name: Resource\n          Value: !Sub '${Fn}:live'\n"
        "        - Name: FunctionName\n          Value: !Ref Fn\n"
        "        - Name: ExecutedVersion\n          Value: !GetAtt Fn.Version.Version\n"
        "      Threshold: 0\n  Other:\n    Type: O\n"
    )


def test_add_resource_block_long_form_file() -> None:
    text = "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      A: {Ref: B}\n"
    result = add_resource(text, "t.yaml", None)
    assert "Value:\n            Fn::GetAtt: [Fn, Version.Version]" in result
    assert "- Ref: FnAlarm" in result


def test_add_resource_flow() -> None:
    text = "Resources: {Fn: {Type: AWS::Serverless::Function, Properties: {A: !Ref B}}, Other: {Type: O}}\n"
    assert add_resource(text, "t.yaml", "Other") == (
        "Resources: {Fn: {Type: AWS::Serverless::Function, Properties: {A: !Ref B, Alarms: [!Ref FnAlarm]}}, FnAlarm: {Type: AWS::CloudWatch::Alarm, "
        "Properties: {Dimensions: [{Name: Resource, Value: !Sub '${Fn}:live'}, {Name: FunctionName, Value: !Ref Fn}, "
        "{Name: ExecutedVersion, Value: !GetAtt Fn.Version.Version}], Threshold: 0}}, Other: {Type: O}}\n"
    )


def test_add_resource_json() -> None:
    text = '{\n  "Resources": {\n    "Fn": {\n      "Type": "F",\n      "Properties": {\n        "A": 1\n      }\n    }\n  }\n}\n'
    result = add_resource(text, "t.json", None)
    assert '"Fn::GetAtt": [\n' in result
    document = parse("t.json", result)
    assert get_path(document.root, "Resources", "FnAlarm", "Properties", "Threshold") is not None
