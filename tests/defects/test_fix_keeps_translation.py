"""Property test: ``--fix`` never breaks a template the SAM translator accepted.

Small templates of the family where placement matters (aliases and preferences in Globals and on functions,
null/empty aliases, ``IgnoreGlobals``, hooks) are fixed with the real fixer, with every rule or with one
deployment rule selected (so another rule's fix does not run), safe and unsafe; the translator must accept
the result whenever it accepted the input. Deterministic (fixed seed, no example database) and bounded.
"""
from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from sam_shift_lint.checks.registry import select_rules
from sam_shift_lint.fixer import fix_document
from sam_shift_lint.parsing.document import parse
from sam_shift_lint.settings import FixSettings

ABSENT = object()
# Weighted towards "absent" (the common case the fixes fill in), so combinations of the rarer values meet.
ALIASES = st.sampled_from([ABSENT, ABSENT, "live", None, ""])
PREFERENCES = st.sampled_from(
    [ABSENT] * 5 + [{"Type": "Canary10Percent5Minutes"}, {"Enabled": False}, {"Enabled": True}, {}, None, "hooked"]
)
IGNORE = st.sampled_from([ABSENT] * 5 + ["*", ["AutoPublishAlias"], ["DeploymentPreference"]])
SELECTIONS = st.sampled_from([(), ("W9101",), ("W9102",), ("E9103",), ("E9104",), ("W9101", "E9103")])
PLACEMENTS = st.sampled_from(["auto", "auto", "globals", "function"])


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is not ABSENT:
        target[key] = value


@st.composite
def templates(draw: st.DrawFn) -> dict[str, Any]:
    globals_function: dict[str, Any] = {"Runtime": "python3.12", "Handler": "app.handler", "CodeUri": "s3://bucket/key"}
    _put(globals_function, "AutoPublishAlias", draw(ALIASES))
    _put(globals_function, "DeploymentPreference", draw(st.sampled_from([ABSENT, {"Type": "AllAtOnce"}, {"Enabled": False}])))
    resources: dict[str, Any] = {}
    with_hook = draw(st.booleans())
    for index in range(draw(st.integers(1, 3))):
        properties: dict[str, Any] = {}
        _put(properties, "AutoPublishAlias", draw(ALIASES))
        preference = draw(PREFERENCES)
        if preference == "hooked":
            preference = {"Type": "AllAtOnce", "Hooks": {"PreTraffic": {"Ref": "Hook"}}} if with_hook else ABSENT
        _put(properties, "DeploymentPreference", preference)
        resource: dict[str, Any] = {"Type": "AWS::Serverless::Function", "Properties": properties}
        ignore = draw(IGNORE)
        if ignore is not ABSENT and (ignore == "*" or all(name in globals_function for name in ignore)):
            resource["IgnoreGlobals"] = ignore
        resources[f"Fn{index}"] = resource
    if with_hook:
        hook: dict[str, Any] = {}
        _put(hook, "AutoPublishAlias", draw(ALIASES))
        _put(hook, "DeploymentPreference", draw(st.sampled_from([ABSENT, {"Enabled": False}, {}])))
        resources["Hook"] = {"Type": "AWS::Serverless::Function", "Properties": hook}
    return {
        "Transform": "AWS::Serverless-2016-10-31",
        "Globals": {"Function": globals_function},
        "Resources": resources,
    }


def _text(data: dict[str, Any], as_json: bool) -> str:
    if as_json:
        return json.dumps(data, indent=2) + "\n"
    import yaml

    return str(yaml.safe_dump(json.loads(json.dumps(data)), sort_keys=False))  # no shared nodes: no anchors


STATS: dict[str, int] = {}


@pytest.mark.slow
def test_fix_never_breaks_a_translated_template(sam_translator) -> None:  # type: ignore[no-untyped-def]
    # The property is defined here, around the (session) fixture: hypothesis does not pass fixtures in.
    @seed(20240508)
    @settings(max_examples=400, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        data=templates(),
        select=SELECTIONS,
        unsafe=st.booleans(),
        as_json=st.booleans(),
        placement=PLACEMENTS,
    )
    def fix_never_breaks_a_translated_template(
        data: dict[str, Any], select: tuple[str, ...], unsafe: bool, as_json: bool, placement: str
    ) -> None:
        if sam_translator.errors(data):
            return  # only templates SAM accepts are the promise
        STATS["accepted"] = STATS.get("accepted", 0) + 1
        document = parse("template.json" if as_json else "template.yaml", _text(data, as_json))
        rules = select_rules(select) if select else select_rules()
        outcome = fix_document(document, fixes=FixSettings(placement=placement), rules=rules, unsafe=unsafe)  # type: ignore[arg-type]
        if not outcome.changed:
            return
        STATS["changed"] = STATS.get("changed", 0) + 1
        fixed = parse(document.path, outcome.text).data()
        assert sam_translator.errors(fixed) == {}, outcome.text

    STATS.clear()
    fix_never_breaks_a_translated_template()
    # the generator must reach the interesting part: templates SAM accepts that the fixer changes
    assert STATS.get("accepted", 0) >= 100 and STATS.get("changed", 0) >= 50, STATS
