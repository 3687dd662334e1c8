"""The Lambda deployment types SAM knows (``CODEDEPLOY_PREDEFINED_CONFIGURATIONS_LIST`` in
``samtranslator/model/preferences/deployment_preference_collection.py``) and how to judge a ``Type``."""
from __future__ import annotations

import re

LAMBDA_DEPLOYMENT_TYPES = (
    "Canary10Percent5Minutes",
    "Canary10Percent10Minutes",
    "Canary10Percent15Minutes",
    "Canary10Percent30Minutes",
    "Linear10PercentEvery1Minute",
    "Linear10PercentEvery2Minutes",
    "Linear10PercentEvery3Minutes",
    "Linear10PercentEvery10Minutes",
    "AllAtOnce",
)
FULL_NAME_PREFIX = "CodeDeployDefault.Lambda"
FULL_NAMES = tuple(FULL_NAME_PREFIX + name for name in LAMBDA_DEPLOYMENT_TYPES)
VALID_TYPES = frozenset(LAMBDA_DEPLOYMENT_TYPES + FULL_NAMES)


def is_builtin(value: str) -> bool:
    return value in VALID_TYPES


def case_match(value: str) -> str | None:
    """The built-in type ``value`` equals ignoring case, if any (a safe correction)."""
    lowered = value.lower()
    for name in VALID_TYPES:
        if name.lower() == lowered:
            return name
    return None


def _distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def suggestions(value: str) -> list[str]:
    """The built-in types nearest to ``value`` by case or spelling (several when equally near)."""
    exact = case_match(value)
    if exact:
        return [exact]
    text = value
    full = text.lower().startswith("codedeploydefault.")
    if full:
        text = text.split(".", 1)[1]
        for prefix in ("lambda", "ecs"):
            if text.lower().startswith(prefix):
                text = text[len(prefix):]
                break
        exact = case_match(text)
        if exact:  # e.g. an ECS-style name for a Lambda type
            return [exact]
    lowered = text.lower()
    limit = max(3, len(lowered) // 4)
    # The distance is at least the difference in length: names that cannot be near enough are not compared,
    # so a long value (a pull request may hold megabytes) costs nothing instead of length x name length each.
    scored = sorted(
        (_distance(lowered, name.lower()), name)
        for name in LAMBDA_DEPLOYMENT_TYPES
        if abs(len(lowered) - len(name)) <= limit
    )
    if not scored or scored[0][0] > limit:
        return []
    best = scored[0][0]
    nearest = [name for score, name in scored if score == best]
    same_numbers = [name for name in nearest if re.findall(r"\d+", name) == re.findall(r"\d+", text)]
    nearest = same_numbers or nearest
    if value.startswith(FULL_NAME_PREFIX):
        return [FULL_NAME_PREFIX + name for name in nearest]
    return nearest


def closest(value: str) -> str | None:
    """The single nearest built-in type, or None when there is none or several."""
    found = suggestions(value)
    return found[0] if len(found) == 1 else None
