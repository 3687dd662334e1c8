"""Which fixes one pass applies together (``fixer._choose``): besides edits that touch, fixes whose intended data
changes would not compose wait for the next pass. Every change is stated against the data the pass starts from
and the changes are applied one after the other, so a key renamed and the same key added, or a list item named
by index after another fix removed an earlier item, cannot share a pass. Found by fuzzing: W9110 renaming
``TYPE`` to ``Type`` beside E9104 adding ``Type`` (duplicate key), E9119 removing a repeated alarm beside E9118
replacing a later one (the index was stale): every ``--fix`` of such a file was refused. The golden cases
``w9110_rename_supplies_e9104_type`` and ``e9118_e9119_one_list`` run them end to end."""
from __future__ import annotations

import pytest

from sam_shift_lint.findings import Applicability, DataChange, Edit, Fix
from sam_shift_lint.fixer import _choose, apply_change

PREFERENCE = ("Resources", "Fn", "Properties", "DeploymentPreference")
ALARMS = (*PREFERENCE, "Alarms")


def fix(at: int, *changes: DataChange) -> Fix:
    """A fix with one edit at offset ``at`` (edits of different fixes never touch here) and ``changes``."""
    return Fix(Applicability.SAFE, f"fix at {at}", (Edit(at * 10, at * 10 + 1, "x"),), changes)


def remove(index: int) -> DataChange:
    return DataChange("remove", (*ALARMS, index))


def replace(index: int) -> DataChange:
    return DataChange("replace", (*ALARMS, index), {"Ref": "B"})


@pytest.mark.parametrize(
    ("first", "second", "together"),
    [
        # a key renamed to Type, and Type added: the second waits (next pass: no Type is missing any more)
        (DataChange("rename", (*PREFERENCE, "TYPE"), "Type"), DataChange("add", (*PREFERENCE, "Type"), "AllAtOnce"), False),
        (DataChange("rename", (*PREFERENCE, "TYPE"), "Type"), DataChange("add", (*PREFERENCE, "Enabled"), True), True),
        # the same key, or a key inside a map another fix adds or replaces
        (DataChange("add", (*PREFERENCE, "Type"), "A"), DataChange("add", (*PREFERENCE, "Type"), "B"), False),
        (DataChange("add", ("Globals",), {"Function": {}}), DataChange("add", ("Globals", "Function", "X"), 1), False),
        (DataChange("add", ("Globals", "Function", "X"), 1), DataChange("add", ("Globals",), {"Function": {}}), False),
        (DataChange("add", ("Globals", "Function", "X"), 1), DataChange("add", ("Globals", "Function", "Y"), 1), True),
        # list items: a removal moves the items after it, not those before
        (remove(1), replace(2), False),
        (replace(2), remove(1), False),
        (remove(2), replace(0), True),
        (replace(0), remove(2), True),
        (remove(1), DataChange("replace", (*ALARMS, 3, "Fn::GetAtt"), ["B", "Arn"]), False),  # below an item too
        (remove(1), remove(3), False),
        (DataChange("add", (*ALARMS, 3), "C"), remove(1), False),  # an append at the old length
        (DataChange("add", (*ALARMS, 3), "C"), replace(1), True),
        (replace(1), replace(2), True),
        (remove(1), DataChange("replace", ("Resources", "Other", "Properties", "DeploymentPreference", "Alarms", 2), "Z"), True),
        (DataChange("replace", ALARMS, []), replace(1), False),  # the whole list replaced
    ],
)
def test_fixes_whose_changes_meet_wait_for_the_next_pass(first: DataChange, second: DataChange, together: bool) -> None:
    fixes = [fix(1, first), fix(2, second)]
    chosen = _choose(fixes)
    assert chosen == (fixes if together else fixes[:1])


def test_fixes_chosen_together_give_what_each_meant() -> None:
    """A replacement before a removal (indices agree whichever is applied first), applied in the chosen order."""
    data = {"Resources": {"Fn": {"Properties": {"DeploymentPreference": {"Alarms": ["A.Arn", "X", "X"]}}}}}
    chosen = _choose([fix(1, remove(2)), fix(2, DataChange("replace", (*ALARMS, 0), "A"))])
    assert len(chosen) == 2
    for one in chosen:
        for change in one.changes:
            apply_change(data, change)
    assert data["Resources"]["Fn"]["Properties"]["DeploymentPreference"]["Alarms"] == ["A", "X"]


def test_one_fix_may_change_a_list_in_several_places() -> None:
    """Only changes of different fixes are compared: E9119's one fix removes every repeat of a list."""
    one, other = fix(1, remove(3), remove(1)), fix(2, replace(0))
    assert _choose([one, other]) == [one, other]
