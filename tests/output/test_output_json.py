"""JSON output: exact keys, types, embedded ruff-style fixes, round trip."""
from __future__ import annotations

import json

from sam_shift_lint.output import render

KEYS = {"rule", "severity", "message", "file", "line", "column", "end_line", "end_column", "resource", "path", "fix"}


def test_keys_and_values(mixed, rules, context) -> None:
    out = render("json", mixed, rules, context)
    assert out.endswith("]\n") and out.startswith("[\n  {")  # indent 2, trailing newline
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 4
    for item in data:
        assert set(item) == KEYS
        assert item["severity"] in {"error", "warning", "informational"}
        for key in ("line", "column", "end_line", "end_column"):
            assert isinstance(item[key], int) and item[key] >= 1
        assert isinstance(item["path"], list)
    assert [(d["file"], d["line"], d["rule"]) for d in data] == [
        ("a/other.yaml", 3, "E3701"),
        ("template.yaml", 3, "E3701"),
        ("template.yaml", 9, "W3702"),
        ("template.yaml", 12, "I3703"),
    ]
    assert [d["severity"] for d in data] == ["error", "error", "warning", "informational"]
    assert data[3]["resource"] is None and data[3]["path"] == [] and data[3]["fix"] is None
    assert data[0]["resource"] == "MyFunction"
    assert data[0]["path"] == ["Resources", "MyFunction", "Properties"]


def test_fix_object(mixed, rules, context) -> None:
    data = json.loads(render("json", mixed, rules, context))
    assert [d["fix"] and d["fix"]["applicability"] for d in data] == ["safe", "unsafe", "display", None]
    fix = data[0]["fix"]
    assert set(fix) == {"applicability", "description", "edits"}
    assert fix["description"] == "safe fix"
    assert fix["edits"] == [
        {"content": "[Action]", "location": {"line": 4, "column": 11}, "end_location": {"line": 4, "column": 16}}
    ]


def test_integer_path_items_and_unicode(finding, rules, context) -> None:
    f = finding(path=("Resources", "Fn", "Properties", "Policies", 0), message="naïve \"quote\"\nnext")
    data = json.loads(render("json", [f], rules, context))
    assert data[0]["path"] == ["Resources", "Fn", "Properties", "Policies", 0]
    assert data[0]["message"] == "naïve \"quote\"\nnext"


def test_empty(rules, context) -> None:
    assert render("json", [], rules, context) == "[]\n"
