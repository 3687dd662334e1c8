"""Which key a misspelled DeploymentPreference/Hooks key stands for, and which Enabled strings read as off
(model/preference.py), checked against the translator's own reading of Enabled."""
from __future__ import annotations

import pytest

from sam_shift_lint.model.preference import PREFERENCE_KEYS, meant_key, reads_as_off, value_disables
from sam_shift_lint.model.sam import HOOK_KEYS


@pytest.mark.parametrize(
    "key,meant",
    [
        ("Alarm", "Alarms"), ("alarms", "Alarms"), ("Alrams", "Alarms"), ("Hook", "Hooks"), ("hooks", "Hooks"),
        ("type", "Type"), ("enabled", "Enabled"), ("Enable", "Enabled"), ("Triggers", "TriggerConfigurations"),
        ("PassThroughCondition", "PassthroughCondition"), ("ServiceRole", "Role"),
        ("Condition", None), ("Events", None), ("X", None), ("Type", None), ("A" * 500, None),
    ],
)
def test_preference_key_meant(key: str, meant: str | None) -> None:
    assert meant_key(key, PREFERENCE_KEYS) == meant


@pytest.mark.parametrize(
    "key,meant",
    [
        ("BeforeAllowTraffic", "PreTraffic"), ("AfterAllowTraffic", "PostTraffic"), ("pretraffic", "PreTraffic"),
        ("PreTrafic", "PreTraffic"), ("PostTrafficHook", "PostTraffic"), ("Traffic", None), ("PreTraffic", None),
    ],
)
def test_hook_key_meant(key: str, meant: str | None) -> None:
    assert meant_key(key, HOOK_KEYS) == meant


@pytest.mark.parametrize("value", ["FALSE", "no", "No", "off", "0", "disabled", " false", "false ", "n", "None"])
def test_reads_as_off_but_translator_enables(value: str) -> None:
    from samtranslator.model.preferences.deployment_preference import DeploymentPreference

    assert reads_as_off(value) and not value_disables(value)
    assert DeploymentPreference.from_dict("F", {"Enabled": value, "Type": "AllAtOnce"}).enabled


@pytest.mark.parametrize("value", [False, "false", "False", 0, "", None])
def test_translator_disables(value: object) -> None:
    from samtranslator.model.preferences.deployment_preference import DeploymentPreference

    assert value_disables(value) and not reads_as_off(value)
    assert not DeploymentPreference.from_dict("F", {"Enabled": value}).enabled


@pytest.mark.parametrize("value", [True, "true", "yes", "on", 1, "enabled"])
def test_reads_as_on(value: object) -> None:
    assert not reads_as_off(value) and not value_disables(value)
