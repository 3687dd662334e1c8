"""The SAM policy templates the model reads as statements match samtranslator's policy_templates.json, and no
other template grants a Lambda action (so a policy template cannot hide an invoke permission from W9115)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sam_shift_lint.model.iam_view import EXPANDED_POLICY_TEMPLATES, OTHER_POLICY_TEMPLATES_NEVER_GRANT


def _templates() -> dict[str, Any]:
    samtranslator = pytest.importorskip("samtranslator")
    path = Path(samtranslator.__file__).parent / "policy_templates_data" / "policy_templates.json"
    templates: dict[str, Any] = json.loads(path.read_text())["Templates"]
    return templates


def _actions(definition: dict[str, Any]) -> list[str]:
    statements = definition["Statement"]
    out: list[str] = []
    for statement in statements if isinstance(statements, list) else [statements]:
        action = statement.get("Action", [])
        out.extend(action if isinstance(action, list) else [action])
    return out


def test_expanded_templates_match_the_translator() -> None:
    templates = _templates()
    for name, (parameter, resource) in EXPANDED_POLICY_TEMPLATES.items():
        definition = templates[name]["Definition"]
        assert list(templates[name]["Parameters"]) == [parameter]
        [statement] = definition["Statement"]
        assert statement["Action"] == ["lambda:InvokeFunction"] and statement["Effect"] == "Allow"
        assert statement["Resource"] == {"Fn::Sub": [resource, {"functionName": {"Ref": parameter}}]}


def test_no_other_template_grants_what_they_are_said_never_to_grant() -> None:
    for name, template in _templates().items():
        if name in EXPANDED_POLICY_TEMPLATES:
            continue
        for action in _actions(template["Definition"]):
            assert action.split(":", 1)[0].lower() not in OTHER_POLICY_TEMPLATES_NEVER_GRANT, (name, action)
