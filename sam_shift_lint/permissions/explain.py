"""``--explain``: per template and resource, what it needs (by handler) and what was pruned, dropped or
assumed, and why; then what cannot be known offline. Text for people (control characters escaped by the
caller's output function)."""
from __future__ import annotations

from collections.abc import Sequence

from sam_shift_lint.permissions.needs import Need, Note

CAVEAT = (
    "The handler permission lists are AWS's published data (the resource provider schemas cfn-lint ships): what a "
    "handler may call, not a proof of what a deployment calls. Pruning follows a reviewed table; scoping follows the "
    "IAM data of Policies.json. Service control policies, permission boundaries, resource policies and what a "
    "transform other than SAM's adds are not visible offline."
)


def explain(needs: Sequence[Need], notes: Sequence[Note]) -> str:
    kinds: dict[tuple[str, str], str] = {}
    actions: dict[tuple[str, str], dict[str, list[str]]] = {}
    remarks: dict[tuple[str, str], list[Note]] = {}
    for need in needs:
        key = (need.template, need.logical_id)
        kinds.setdefault(key, need.resource_type)
        found = actions.setdefault(key, {}).setdefault(need.handler, [])
        if need.action not in found:
            found.append(need.action)
    for note in notes:
        key = (note.template, note.logical_id)
        kinds.setdefault(key, "")
        remarks.setdefault(key, []).append(note)
    lines: list[str] = []
    current_template = None
    for (template, logical_id), kind in kinds.items():
        if template != current_template:
            lines.append(f"{template}:")
            current_template = template
        lines.append(f"  {logical_id or '(template)'}" + (f" ({kind})" if kind and logical_id else ""))
        for handler, names in actions.get((template, logical_id), {}).items():
            lines.append(f"    needs ({handler}): {', '.join(names)}")
        lines.extend(f"    {note.kind}: {note.text}" for note in remarks.get((template, logical_id), []))
    lines.append("")
    lines.append(CAVEAT)
    return "\n".join(lines) + "\n"
