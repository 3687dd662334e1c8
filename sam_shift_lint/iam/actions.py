"""The IAM action catalog, from cfn-lint's bundled ``Policies.json`` (loaded on first use).

The file is located through ``importlib.util.find_spec("cfnlint")``: cfn-lint itself is never imported
(importing it costs the CLI most of a second). It is read only when some policy actually has actions to look
up, and then from a compact cache built on first use (:mod:`.catalog_cache`), not parsed again on every run.

``Policies.json`` stores service and action names lower-cased (cfn-lint 1.58), so it cannot tell the
canonical casing: :func:`canonical_name` returns the catalog's spelling only when the catalog has mixed
case, and otherwise keeps the caller's. Suggestions keep the caller's casing where they agree with it.
"""
from __future__ import annotations

import difflib
import importlib.util
import json
import os
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from sam_shift_lint.iam import catalog_cache, glob
from sam_shift_lint.iam.catalog_cache import SEPARATOR, Compact
from sam_shift_lint.records import field, record


class _Services(Mapping[str, Mapping[str, str]]):
    """``{lower-case service: {lower-case action: name as stored}}`` over compact data: a service's actions are
    expanded the first time it is looked up (most runs look up one or two services of four hundred)."""

    def __init__(self, compact: Compact) -> None:
        self._compact = compact
        self._expanded: dict[str, Mapping[str, str]] = {}

    def __getitem__(self, service: str) -> Mapping[str, str]:
        found = self._expanded.get(service)
        if found is None:
            written, actions, _ = self._compact[service]
            names = (actions.split(SEPARATOR) if actions else []) if isinstance(actions, str) else actions
            found = self._expanded[service] = {a.lower(): f"{written}:{a}" for a in names}
        return found

    def __contains__(self, service: object) -> bool:
        return service in self._compact

    def __iter__(self) -> Iterator[str]:
        return iter(self._compact)

    def __len__(self) -> int:
        return len(self._compact)


def compact_from_policies(data: Mapping[str, Any]) -> Compact:
    """What the catalog needs of the ``{service: {"Actions": {action: ...}, "Resources": {type: {"ARNFormats":
    [...]}}}}`` shape of Policies.json (see :mod:`.catalog_cache`)."""
    compact: Compact = {}
    for service, body in data.items():
        actions = [a for a in (body.get("Actions", {}) if isinstance(body, dict) else {}) if isinstance(a, str)]
        joinable = all(a and SEPARATOR not in a for a in actions)
        types = body.get("Resources", {}) if isinstance(body, dict) else {}
        formats = [
            arn
            for resource in (types.values() if isinstance(types, dict) else ())
            if isinstance(resource, dict)
            for arn in resource.get("ARNFormats", ()) or ()
            if isinstance(arn, str)
        ]
        compact[service.lower()] = [service, SEPARATOR.join(actions) if joinable else actions, _arn_fields(formats)]
    return compact


def _arn_fields(formats: list[str]) -> list[bool] | None:
    """[has a region, has an account id]: whether any of the ARN formats fills the region and the account
    fields (``arn:partition:service:REGION:ACCOUNT:...``); None without formats."""
    if not formats:
        return None
    region = account = False
    for arn in formats:
        parts = arn.split(":", 5)
        if len(parts) >= 5:
            region = region or bool(parts[3])
            account = account or bool(parts[4])
    return [region, account]


@record(frozen=True)
class Catalog:
    """Action names per service: ``{lower-case service: {lower-case action: name as stored}}``."""

    services: Mapping[str, Mapping[str, str]]
    # {lower-case service: (its ARNs have a region field, an account field)}; absent: no ARN formats known
    arn_field_flags: Mapping[str, tuple[bool, bool]] = field(default_factory=dict)

    @classmethod
    def from_compact(cls, compact: Compact) -> Catalog:
        flags = {service: (entry[2][0], entry[2][1]) for service, entry in compact.items() if entry[2] is not None}
        return cls(_Services(compact), flags)

    @classmethod
    def from_policies(cls, data: Mapping[str, Any]) -> Catalog:
        """Build from the parsed Policies.json (what the cache holds is built the same way)."""
        return cls.from_compact(compact_from_policies(data))

    def arn_fields(self, service: str) -> tuple[bool, bool] | None:
        """(has a region, has an account id): whether any ARN format of ``service`` fills the region and the
        account fields (``arn:partition:service:REGION:ACCOUNT:...``); None for a service without formats."""
        return self.arn_field_flags.get(service.lower())

    def names(self, service: str | None = None) -> list[str]:
        """Every full name (``service:action``, as stored), or those of one service."""
        if service is not None:
            return list(self.services.get(service.lower(), {}).values())
        return [name for actions in self.services.values() for name in actions.values()]


POLICIES_JSON = ("data", "AdditionalSpecs", "Policies.json")


class CatalogUnavailable(RuntimeError):
    """cfn-lint's Policies.json cannot be found or read."""


def policies_json_path() -> str:
    """Where the installed cfn-lint keeps Policies.json, found without importing cfn-lint."""
    try:
        spec = importlib.util.find_spec("cfnlint")
    except (ImportError, ValueError):
        spec = None
    locations = list(spec.submodule_search_locations or ()) if spec is not None else []
    for location in locations:
        candidate = os.path.join(location, *POLICIES_JSON)
        if os.path.isfile(candidate):
            return candidate
    raise CatalogUnavailable("cfn-lint's Policies.json is not installed (pip install cfn-lint)")


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    """The catalog from cfn-lint's Policies.json, through the compact cache (read on first call; cfn-lint is
    not imported)."""
    path = policies_json_path()
    try:
        compact = catalog_cache.load(path, lambda: _compact_from_file(path))
    except OSError as error:
        raise CatalogUnavailable(f"cannot read {path}: {error.strerror or error}") from None
    return Catalog.from_compact(compact)


def read_policies_json(path: str) -> dict[str, Any]:
    """cfn-lint's ``Policies.json`` at ``path`` (raises :class:`CatalogUnavailable` when it cannot be read)."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as error:
        raise CatalogUnavailable(f"cannot read {path}: {error}") from None
    if not isinstance(data, dict):
        raise CatalogUnavailable(f"{path} is not a JSON object")
    return data


def _compact_from_file(path: str) -> Compact:
    return compact_from_policies(read_policies_json(path))


def catalog_if_available() -> Catalog | None:
    """The catalog, or None when cfn-lint's Policies.json cannot be read (the rules needing it then stay silent)."""
    try:
        return catalog()
    except CatalogUnavailable:
        return None


def _split(name: str) -> tuple[str, str]:
    service, _, action = name.partition(":")
    return service, action


def expand(pattern: str, cat: Catalog | None = None) -> set[str]:
    """Every known action (as stored) the pattern matches, case-insensitively. O(catalog * pattern) at
    worst (see :mod:`.glob`); the pattern is compiled once."""
    return set(_matching(pattern, cat or catalog()))


def _matching(pattern: str, cat: Catalog) -> Iterator[str]:
    matcher = glob.compile_pattern(glob.from_glob(pattern.lower()))
    service, _ = _split(pattern)
    literal_service = bool(service) and "*" not in service and "?" not in service
    candidates = cat.names(service) if literal_service else cat.names()
    return (name for name in candidates if matcher(name.lower()))


def is_known_action(name: str, cat: Catalog | None = None) -> bool:
    """Is ``name`` a known action, or a wildcard pattern matching at least one?"""
    service, action = _split(name)
    if name == "*":
        return True
    if not service or not action:
        return False
    if "*" in name or "?" in name:
        return next(_matching(name, cat or catalog()), None) is not None  # the first match decides
    return action.lower() in (cat or catalog()).services.get(service.lower(), {})


def canonical_name(name: str, cat: Catalog | None = None) -> str:
    """The catalog's spelling of ``name`` if it has real casing, else ``name`` unchanged."""
    service, action = _split(name)
    stored = (cat or catalog()).services.get(service.lower(), {}).get(action.lower())
    if stored is None or stored == stored.lower():
        return name
    return stored


def closest_action(name: str, cat: Catalog | None = None) -> str | None:
    """The known action closest to a misspelt ``name`` (same service first, then all), or None."""
    cat = cat or catalog()
    service, _ = _split(name)
    lowered = name.lower()
    for pool in (cat.names(service) if service else [], cat.names()):
        by_lower = {n.lower(): n for n in pool}
        found = difflib.get_close_matches(lowered, list(by_lower), n=1, cutoff=0.75)
        if found:
            return _keep_casing(name, canonical_name(by_lower[found[0]], cat))
    return None


def _keep_casing(user: str, suggestion: str) -> str:
    """Spell ``suggestion`` with the user's casing wherever the two agree (ignoring case); a replaced part
    starts upper-case where the user's part did (``InvocationLogging`` -> ``InvocationJob``)."""
    if suggestion != suggestion.lower():
        return suggestion
    out = list(suggestion)
    matcher = difflib.SequenceMatcher(None, user.lower(), suggestion, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" and (i2 - i1 >= 3 or i1 == j1 == 0):  # a stray common letter says nothing about case
            out[j1 : j1 + (i2 - i1)] = user[i1:i2]
        elif tag == "replace" and user[i1:i1 + 1].isupper() and j2 > j1:
            out[j1] = out[j1].upper()
    if user[:1].isupper() and out:
        out[0] = out[0].upper()
    return "".join(out)


def suggest_action(name: str, cat: Catalog | None = None) -> str | None:
    """What an unknown ``name`` probably meant, comparing only what is likely (fast, unlike a search of every
    action): the closest action of its own service; for an unknown service, a service that has exactly this
    action (the closest such service by name), else the closest service's closest action."""
    cat = cat or catalog()
    service, _, action = name.partition(":")
    if not service or not action:
        return None
    lowered = action.lower()
    actions = cat.services.get(service.lower())
    if actions is None:
        having = [s for s, names in cat.services.items() if lowered in names]
        pool = having or list(cat.services)
        ranked = difflib.get_close_matches(service.lower(), pool, n=1, cutoff=0.0 if having else 0.75)
        if not ranked:
            return None
        service, actions = ranked[0], cat.services[ranked[0]]
        if lowered in actions:
            return f"{service}:{_keep_casing(action, lowered)}"
    found = difflib.get_close_matches(lowered, list(actions), n=1, cutoff=0.75)
    if not found:
        return None
    stored = canonical_name(actions[found[0]], cat)
    return f"{service if service.lower() == stored.split(':')[0].lower() else stored.split(':')[0]}:" + _keep_casing(
        action, stored.split(":", 1)[1]
    )
