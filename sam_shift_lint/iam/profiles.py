"""Requirement profiles: named sets of (actions, resource pattern) groups shipped as JSON data.

File format::

    {"name": "deploy-role", "description": "...",
     "groups": [{"name": "lambda", "description": "...", "actions": ["lambda:*"],
                 "resource": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:*"},
                {"name": "hook-status", "actions": ["codedeploy:PutLifecycleEventHookExecutionStatus"],
                 "resource": {"any_of": ["*", "arn:...:deploymentgroup:${ServerlessDeploymentApplication}/*"]}}]}

``resource`` is one pattern or ``{"any_of": [...]}``: alternatives, any one of which suffices.
Patterns use ``${Name}`` symbols (:func:`~.pattern.parse_template`). Every action of a group must be
granted on the (best) alternative; an explicit Deny that reaches every resource of one alternative denies it
(each alternative names the same resource or a pattern containing it).

A group may say ``"for_each": "Kind"``: it is required once per item of that kind the caller has (a
function, a hook...), and not at all when there is none. Its patterns use the item's placeholders
(``${Kind}``, ``${Kind.Arn}``, ``${KindName}`` ...), which :func:`instantiate` replaces by the item's
values (pattern text, symbols included); an alternative using a placeholder the item has no value for is
dropped. :func:`check_profile` leaves out ``for_each`` groups that were not instantiated.
"""
from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any

from sam_shift_lint.iam.evaluation import DEFAULT_PARTITION, PolicySet, StatementRef, Status, Verdict, worst
from sam_shift_lint.iam.files import NotReadable, read_regular_file
from sam_shift_lint.iam.glob import WorkLimit
from sam_shift_lint.iam.pattern import replace_variables
from sam_shift_lint.iam.policy import PolicyDocument
from sam_shift_lint.records import record

PROFILE_PACKAGE_DIR = "profile_data"


class ProfileError(ValueError):
    """A profile cannot be found or its data is malformed."""


@record(frozen=True)
class RequirementGroup:
    """Actions that must all be allowed on the resource (any one of ``resources`` suffices)."""

    name: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    description: str = ""
    for_each: str = ""  # required once per item of this kind (see :func:`instantiate`)


@record(frozen=True)
class Profile:
    """A named set of requirement groups."""

    name: str
    groups: tuple[RequirementGroup, ...]
    description: str = ""


@record(frozen=True)
class ActionResult:
    """The verdict for one required action (on its best resource alternative)."""

    action: str
    verdict: Verdict

    @property
    def status(self) -> Status:
        """The verdict's status."""
        return self.verdict.status


@record(frozen=True)
class GroupResult:
    """The verdicts for one group."""

    group: RequirementGroup
    actions: tuple[ActionResult, ...]

    @property
    def status(self) -> Status:
        """The worst status of the group's actions."""
        return worst(a.status for a in self.actions)

    def with_status(self, status: Status) -> tuple[str, ...]:
        """The actions that ended with ``status``."""
        return tuple(a.action for a in self.actions if a.status is status)

    @property
    def missing(self) -> tuple[str, ...]:
        """Actions no statement grants (implicit deny)."""
        return self.with_status(Status.NOT_GRANTED)

    @property
    def denied(self) -> tuple[str, ...]:
        """Actions an explicit Deny reaches."""
        return self.with_status(Status.DENIED)

    @property
    def conditional(self) -> tuple[str, ...]:
        """Actions granted only under a Condition."""
        return self.with_status(Status.CONDITIONAL)

    @property
    def unknown(self) -> tuple[str, ...]:
        """Actions whose answer depends on values not known here."""
        return self.with_status(Status.UNKNOWN)

    @property
    def statements(self) -> tuple[StatementRef, ...]:
        """Every statement responsible for any action's verdict, without repeats."""
        return tuple(dict.fromkeys(ref for a in self.actions for ref in a.verdict.statements))


@record(frozen=True)
class ProfileResult:
    """The verdicts for a whole profile."""

    profile: Profile
    groups: tuple[GroupResult, ...]

    @property
    def status(self) -> Status:
        """The worst group status."""
        return worst(g.status for g in self.groups)

    @property
    def ok(self) -> bool:
        """Is everything granted?"""
        return self.status is Status.GRANTED

    @property
    def failing(self) -> tuple[GroupResult, ...]:
        """The groups that are not granted."""
        return tuple(g for g in self.groups if g.status is not Status.GRANTED)

    def group(self, name: str) -> GroupResult:
        """The result for the group called ``name``."""
        for g in self.groups:
            if g.group.name == name:
                return g
        raise KeyError(name)


def check_profile(
    documents: Sequence[PolicyDocument],
    profile: Profile | str,
    region: str | None = None,
    account: str | None = None,
    partition: str | None = DEFAULT_PARTITION,
    bindings: Mapping[str, str] | None = None,
    work: WorkLimit | None = None,
) -> ProfileResult:
    """Check every group of ``profile`` (a Profile, a bundled name or a JSON path) against the policies.

    Symbols left ``None`` stay symbolic; ``partition`` defaults to ``"aws"`` (pass ``None`` to keep it
    symbolic). ``work``: see :class:`.evaluation.PolicySet`.
    """
    prof = load_profile(profile) if isinstance(profile, str) else profile
    policies = PolicySet(documents, region=region, account=account, partition=partition, bindings=bindings, work=work)
    groups: list[GroupResult] = []
    for group in prof.groups:
        if group.for_each:
            continue  # needs items: see instantiate()
        results = []
        for action in group.actions:
            verdicts = [policies.evaluate(action, r) for r in group.resources]
            results.append(ActionResult(action, _combined(verdicts)))
        groups.append(GroupResult(group, tuple(results)))
    return ProfileResult(prof, tuple(groups))


def _combined(verdicts: Sequence[Verdict]) -> Verdict:
    """The verdict on a group's resource from the verdicts on its alternatives: the best one, unless an
    explicit Deny reaches every resource of one of them. Every alternative names the resource (another
    spelling of it, or a pattern containing it), so such a Deny reaches it however the policies spell it,
    even when it cannot be matched against another spelling (``${Fn.Arn}`` is opaque to a Deny on
    ``function:*``): the best verdict then claimed the action merely not granted, so ``--fix`` added an
    Allow the Deny overrode, and found it missing again on every pass."""
    for verdict in verdicts:
        if verdict.status is Status.DENIED and not verdict.partial_deny:
            return verdict
    return min(verdicts, key=lambda v: v.status.rank)


@record(frozen=True)
class Item:
    """One item of a ``for_each`` kind: a label for messages and the text of each placeholder."""

    label: str
    values: Mapping[str, str]


def instantiate(profile: Profile, items: Mapping[str, Sequence[Item]]) -> Profile:
    """The profile with each ``for_each`` group replaced by one group per item of its kind (named
    ``"<group> <label>"``); groups without items are left out."""
    groups: list[RequirementGroup] = []
    for group in profile.groups:
        if not group.for_each:
            groups.append(group)
            continue
        for item in items.get(group.for_each, ()):
            resources = tuple(
                dict.fromkeys(r for r in (_fill(alt, item.values) for alt in group.resources) if r is not None)
            )
            if resources:
                name = f"{group.name} {item.label}"
                groups.append(RequirementGroup(name, group.actions, resources, group.description))
    return Profile(profile.name, tuple(_unique_names(groups)), profile.description)


def _fill(pattern: str, values: Mapping[str, str]) -> str | None:
    """``pattern`` with its placeholders replaced; None when one of them has no value. In a ``for_each``
    group every ``${Name}`` but the pseudo parameters (``${AWS::Region}`` ...) is a placeholder."""
    missing = False

    def replace(raw: str, whole: str) -> str:
        nonlocal missing
        name = raw.strip()
        if name in values:
            return values[name]
        if not name.startswith("!") and "::" not in name:
            missing = True
        return whole

    text = replace_variables(pattern, replace)
    return None if missing else text


def _unique_names(groups: list[RequirementGroup]) -> list[RequirementGroup]:
    seen: dict[str, int] = {}
    out = []
    for group in groups:
        seen[group.name] = seen.get(group.name, 0) + 1
        if seen[group.name] > 1:
            group = RequirementGroup(f"{group.name} ({seen[group.name]})", group.actions, group.resources, group.description)
        out.append(group)
    return out


# --- loading ----------------------------------------------------------------------------------------


MAX_PROFILE_BYTES = 1024 * 1024
"""The largest profile file read (the bundled ones are a few kilobytes)."""


def available_profiles() -> list[str]:
    """Names of the bundled profiles."""
    folder = resources.files(__package__).joinpath(PROFILE_PACKAGE_DIR)
    return sorted(p.name[: -len(".json")] for p in folder.iterdir() if p.name.endswith(".json"))


def load_bundled_profile(name: str) -> Profile:
    """A bundled profile by name (``"deploy-role"``). The name is only compared with the bundled names, never
    made into a path: this is the loader for names that untrusted input (a template's Metadata) gives."""
    if name not in available_profiles():
        raise ProfileError(f"no bundled profile {name!r}; available: {', '.join(available_profiles())}")
    entry = resources.files(__package__).joinpath(PROFILE_PACKAGE_DIR).joinpath(f"{name}.json")
    return profile_from_data(json.loads(entry.read_text(encoding="utf-8")), f"bundled profile {name}")


def looks_like_path(text: str) -> bool:
    """Does a profile argument name a file rather than a bundled profile?"""
    return text.endswith(".json") or os.sep in text or "/" in text


def load_profile(name_or_path: str | os.PathLike[str]) -> Profile:
    """A bundled profile by name (``"deploy-role"``), or a profile from a JSON file path. Only for values the
    user gives (a command-line option): a file path is opened (see :func:`load_profile_file`)."""
    text = os.fspath(name_or_path)
    if isinstance(name_or_path, os.PathLike) or looks_like_path(text):
        return load_profile_file(text)
    return load_bundled_profile(text)


def load_profile_file(path: str | os.PathLike[str]) -> Profile:
    """A profile from a user-given JSON file: a regular file of at most :data:`MAX_PROFILE_BYTES`. A FIFO, a
    device or a directory is refused without reading (it is opened non-blocking and checked with ``fstat``,
    so a FIFO cannot hang the open and ``/dev/zero`` cannot be read until memory runs out)."""
    name = os.fspath(path)
    try:
        raw = read_regular_file(name, MAX_PROFILE_BYTES)
    except NotReadable as exc:
        raise ProfileError(f"cannot read profile {name}: {exc}") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise ProfileError(f"profile {name} is not valid JSON: {reason}") from None
    return profile_from_data(data, name)


def profile_from_data(data: Any, source: str = "profile") -> Profile:
    """Validate profile data (parsed JSON) and build the :class:`Profile`."""
    if not isinstance(data, dict):
        raise ProfileError(f"{source}: must be a JSON object")
    name = _text(data.get("name"), f"{source}: 'name'")
    raw_groups = data.get("groups")
    if not isinstance(raw_groups, list) or not raw_groups:
        raise ProfileError(f"{source}: 'groups' must be a non-empty list")
    groups = tuple(_group(g, f"{source}: groups[{i}]") for i, g in enumerate(raw_groups))
    names = [g.name for g in groups]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ProfileError(f"{source}: duplicate group names {duplicates}")
    return Profile(name, groups, _optional_text(data.get("description"), f"{source}: 'description'"))


def _group(data: Any, where: str) -> RequirementGroup:
    if not isinstance(data, dict):
        raise ProfileError(f"{where}: must be an object")
    name = _text(data.get("name"), f"{where}.name")
    actions = data.get("actions")
    if not isinstance(actions, list) or not actions:
        raise ProfileError(f"{where}.actions: must be a non-empty list")
    for action in actions:
        if not isinstance(action, str) or ":" not in action:
            raise ProfileError(f"{where}.actions: {action!r} is not 'service:action'")
    resource = data.get("resource")
    if isinstance(resource, dict) and set(resource) == {"any_of"}:
        alternatives = resource["any_of"]
    else:
        alternatives = [resource]
    if not isinstance(alternatives, list) or not alternatives:
        raise ProfileError(f"{where}.resource.any_of: must be a non-empty list")
    for alt in alternatives:
        _text(alt, f"{where}.resource (a pattern or {{\"any_of\": [patterns]}})")
    description = _optional_text(data.get("description"), f"{where}.description")
    for_each = _optional_text(data.get("for_each"), f"{where}.for_each")
    return RequirementGroup(name, tuple(actions), tuple(alternatives), description, for_each)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ProfileError(f"{where}: must be a non-empty string")
    return value


def _optional_text(value: Any, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ProfileError(f"{where}: must be a string")
    return value
