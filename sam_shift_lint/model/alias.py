"""What SAM accepts as an ``AutoPublishAlias``: when a function has none, and why a value is invalid."""
from __future__ import annotations

import re

from sam_shift_lint.model.sam import Function
from sam_shift_lint.model.values import describe
from sam_shift_lint.parsing.nodes import Scalar

ALIAS_PATTERN = re.compile(r"(?!^[0-9]+$)[a-zA-Z0-9\-_]+")
MAX_ALIAS_LENGTH = 128


def alias_is_missing(function: Function) -> bool:
    """No alias as SAM sees it: the property is absent, null or the empty string."""
    node = function.get("AutoPublishAlias")
    return node is None or (isinstance(node, Scalar) and node.value in (None, ""))


def alias_problem(value: object) -> str | None:
    """Why a resolved alias value is invalid, or None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str):
        return f"{describe(value)} is not a string (quote it)"
    if not ALIAS_PATTERN.fullmatch(value):
        if value.isdigit():
            return f"{describe(value)} is purely numeric"
        return f"{describe(value)} may contain only letters, digits, hyphens and underscores"
    if len(value) > MAX_ALIAS_LENGTH:
        return f"{describe(value)} is longer than {MAX_ALIAS_LENGTH} characters"
    return None
