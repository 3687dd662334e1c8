"""Renaming a mapping key in place: one span edit over the key's own text, in the key's own style.

A plain YAML key stays plain when the new name reads back as the same string (else it is double-quoted),
a quoted key keeps its quotes, a JSON key stays a JSON string. Nothing else on the line moves: values and
children keep their place because a block mapping's children are indented from the key's start, which does
not change.
"""
from __future__ import annotations

from sam_shift_lint.editing.positions import EditError, SourceText
from sam_shift_lint.editing.render import double_quoted, needs_quotes, quoted
from sam_shift_lint.findings import Edit
from sam_shift_lint.parsing.nodes import Mapping, Scalar


def key_text(name: str, style: str | None, json_format: bool) -> str:
    """``name`` written as a key in ``style`` (None: plain YAML; ``'`` or ``"``: quoted)."""
    if json_format:
        import json  # here: a YAML file's fixes need none

        return json.dumps(name)
    if style in ("'", '"'):
        return quoted(name, style)
    if style is not None:
        raise EditError(f"keys in {style} style are not renamed")
    return name if not needs_quotes(name) else double_quoted(name)


def rename_key(source: SourceText, mapping: Mapping, old: str, new: str, json_format: bool) -> Edit:
    """The edit that renames key ``old`` of ``mapping`` to ``new``."""
    if mapping.intrinsic() is not None or mapping.short_tag is not None:
        raise EditError("cannot rename a key of an intrinsic function")
    entry = mapping.entries.get(old)
    if entry is None:
        raise EditError(f"no key {old!r}")
    if new in mapping.entries:
        raise EditError(f"key {new!r} already present")
    key: Scalar = entry[0]
    original = source.text[key.span.start:key.span.end]
    if source.has_break(original) or not original:
        raise EditError("multi-line keys are not renamed")
    expected_start = '"' if json_format else (key.style or "")
    if expected_start and not original.startswith(expected_start):
        raise EditError("the key's text is not where the parser put it")
    if not expected_start and original != old:
        raise EditError("the key's text is not where the parser put it")
    return source.edit(key.span.start, key.span.end, key_text(new, key.style, json_format))
