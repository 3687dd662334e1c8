"""Renaming a mapping key in place (``editing/key_rename.py`` through ``FixBuilder.rename_key``): YAML block
and flow, quoted keys, JSON; the re-parsed data equals the original with the key renamed, order kept."""
from __future__ import annotations

from typing import Any

import pytest

from sam_shift_lint.editing.builder import FixBuilder
from sam_shift_lint.editing.key_rename import key_text
from sam_shift_lint.editing.positions import EditError
from sam_shift_lint.findings import Applicability
from sam_shift_lint.fixer import _verified, apply_edits
from sam_shift_lint.parsing.document import parse
from sam_shift_lint.parsing.nodes import Mapping, get_path

PATH = ("Resources", "Fn", "Properties", "DeploymentPreference")


def rename(text: str, old: str, new: str, path: tuple[Any, ...] = PATH) -> str:
    document = parse("t", text)
    mapping = get_path(document.root, *path)
    assert isinstance(mapping, Mapping)
    builder = FixBuilder(document)
    builder.rename_key(mapping, path, old, new)
    fix = builder.build(Applicability.SAFE, "rename")
    assert fix is not None
    after = apply_edits(text, fix.edits)
    _verified(document, after, fix.changes)  # data = original with exactly the rename
    return after


BLOCK = """Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      DeploymentPreference:
        Type: Linear10PercentEvery1Minute
        Alarm:   # rollback
          - !Ref ErrorsAlarm
        Role: x
"""


def test_block_yaml_keeps_value_and_comment() -> None:
    after = rename(BLOCK, "Alarm", "Alarms")
    assert after == BLOCK.replace("        Alarm:   # rollback", "        Alarms:   # rollback")
    assert list(get_path(parse("t", after).root, *PATH).entries) == ["Type", "Alarms", "Role"]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "written,renamed",
    [("'alarm'", "'Alarms'"), ('"alarm"', '"Alarms"'), ("alarm", "Alarms")],
)
def test_yaml_key_keeps_its_quotes(written: str, renamed: str) -> None:
    text = BLOCK.replace("Alarm:   # rollback", f"{written}:")
    assert rename(text, "alarm", "Alarms") == BLOCK.replace("Alarm:   # rollback", f"{renamed}:")


def test_flow_yaml() -> None:
    text = "Resources:\n  Fn:\n    Properties:\n      DeploymentPreference: {Type: AllAtOnce, hooks: {PreTrafic: !Ref H}}\n"
    after = rename(text, "hooks", "Hooks")
    assert after == text.replace("hooks:", "Hooks:")
    after = rename(after, "PreTrafic", "PreTraffic", PATH + ("Hooks",))
    assert after.endswith("{Type: AllAtOnce, Hooks: {PreTraffic: !Ref H}}\n")


def test_json_pretty_and_minified() -> None:
    pretty = (
        '{\n  "Resources": {\n    "Fn": {\n      "Properties": {\n        "DeploymentPreference": {\n'
        '          "Type": "AllAtOnce",\n          "Alarm": [{"Ref": "A"}]\n        }\n      }\n    }\n  }\n}\n'
    )
    assert rename(pretty, "Alarm", "Alarms") == pretty.replace('"Alarm":', '"Alarms":')
    minified = '{"Resources":{"Fn":{"Properties":{"DeploymentPreference":{"Hook":{"PreTraffic":"H"},"Type":"AllAtOnce"}}}}}'
    assert rename(minified, "Hook", "Hooks") == minified.replace('"Hook":', '"Hooks":')


def test_crlf_and_json_escaped_key() -> None:
    text = BLOCK.replace("\n", "\r\n")
    assert rename(text, "Alarm", "Alarms") == BLOCK.replace("Alarm:", "Alarms:").replace("\n", "\r\n")
    escaped = '{"Resources": {"Fn": {"Properties": {"DeploymentPreference": {"\\u0041larm": []}}}}}'
    assert rename(escaped, "Alarm", "Alarms") == escaped.replace('"\\u0041larm"', '"Alarms"')


def test_refused_when_the_new_key_exists_or_the_old_is_missing() -> None:
    document = parse("t", BLOCK)
    mapping = get_path(document.root, *PATH)
    assert isinstance(mapping, Mapping)
    with pytest.raises(EditError):
        FixBuilder(document).rename_key(mapping, PATH, "Alarm", "Role")
    with pytest.raises(EditError):
        FixBuilder(document).rename_key(mapping, PATH, "Missing", "Alarms")


def test_plain_key_that_would_not_read_back_is_quoted() -> None:
    assert key_text("Alarms", None, False) == "Alarms"
    assert key_text("yes", None, False) == '"yes"'
    assert key_text("a: b", "'", False) == "'a: b'"
    assert key_text("Alarms", None, True) == '"Alarms"'
