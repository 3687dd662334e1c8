"""What the templates a deploy role deploys need that its policy does not allow (rules E9206 and W9207, and
E9201 to leave those actions to them).

The pairing comes from the settings (``LintSettings.deploys``: the configuration's ``deploy-roles``, or the
automatic pairing of a CodeStar project or a checked-in ``sam pipeline`` bootstrap template, resolved and checked
by :mod:`sam_shift_lint.project`): a template never names the files read here. The needs are
:mod:`sam_shift_lint.permissions`' (one derivation: translated offline, handler permissions, pruned, scoped), imported only for a file that has a pairing; each is asked of the policy with the IAM evaluator
(:mod:`sam_shift_lint.iam`: explicit Deny wins, wildcards, conditions). Not asked: ``CreateChangeSet`` on a
transform (the caller that creates the change set needs it, not the role CloudFormation deploys with).
Unknowable answers (a symbol the policy writes as a literal, an unreadable intrinsic) are left out, as E9201
leaves them out.

Each derivation is made once per process per template file (its path, size and modification time) and region.
"""
from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.iam.gaps import file_work, parse_documents, resource_condition, statement_name
from sam_shift_lint.checks.iam.options import Bindings, file_bindings
from sam_shift_lint.checks.rule import Target
from sam_shift_lint.model.iam_view import DEPLOY_ROLE_PROFILE, PolicyNode, Role
from sam_shift_lint.model.values import MAX_DESCRIBED
from sam_shift_lint.parsing.errors import shorten
from sam_shift_lint.parsing.nodes import Mapping, Node
from sam_shift_lint.records import field, record, replace

if TYPE_CHECKING:  # the derivation and the evaluator load only for a file with a pairing
    from sam_shift_lint.iam.policy import PolicyDocument, Statement
    from sam_shift_lint.permissions.needs import Condition, Need

CALLER_HANDLERS = ("transform",)  # needs of the caller that creates the change set, not of the deploy role
MAX_ACTIONS = 40  # actions listed in one message (the rest are counted)
MAX_RESOURCES = 3  # resources named per action (the rest are counted)
MAX_DERIVED = 64  # derivations kept per process (the oldest goes first)
_DERIVED: dict[tuple[str, int, int, str], tuple[tuple[Need, ...], str | None]] = {}


@record(frozen=True)
class Shortfall:
    """One action the policy does not allow for some of the needs of it (of one policy, never kept past the check).

    ``needed_by``: (template as shown, logical id) of each resource that needs it; ``reason``: "" (not granted),
    ``denied by ...``, or ``granted only under a condition``; ``when``: empty when some need of it is needed on
    every deployment (E9206), else when each is needed (W9207: :func:`sam_shift_lint.permissions.necessity.when_needed`)."""

    action: str
    needed_by: tuple[tuple[str, str], ...]
    reason: str
    when: tuple[str, ...]
    grantable: tuple[Need, ...] = ()  # the needs an Allow would grant (not denied, not behind a condition)

    @property
    def conditional(self) -> bool:
        return bool(self.when)


@record
class PairedTarget:
    """A policy with what it deploys: the policy file (``role`` None) or a deploy role of a template."""

    node: Node
    path: tuple[Any, ...]
    role: Role | None
    templates: tuple[str, ...]
    shortfalls: list[Shortfall] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (template as shown, why it cannot be used)

    @property
    def logical_id(self) -> str | None:
        return self.role.logical_id if self.role is not None else None

    def reported(self, ctx: CheckContext, required_rule: str, conditional_rule: str) -> set[str]:
        """The actions (lower case) the deploy checks report for this policy, among the rules that run."""
        return {
            s.action.lower()
            for s in self.shortfalls
            if ctx.runs(conditional_rule if s.conditional else required_rule)
        }


def paired_targets(ctx: CheckContext) -> list[PairedTarget]:
    """Every paired policy of the file with its shortfalls (use it through ``ctx.shared(paired_targets)``)."""
    deploys = ctx.lint.deploys
    if not deploys:
        return []
    targets = list(_targets(ctx))
    if not targets or (_automatic(ctx) and not _translator_installed()):
        return []  # a layout paired automatically, without the permissions extra: no pairing (a configured one says so)
    bindings = ctx.shared(file_bindings)
    base = os.path.dirname(os.path.abspath(ctx.file))
    for target in targets:
        needs: list[Need] = []
        for template in target.templates:
            derived, error = derive(template, bindings.region)
            shown = _shown(template, base)
            if error is not None:
                target.errors.append((shown, error))
            needs.extend(derived)
        documents = _documents(ctx, target)
        target.shortfalls = _shortfalls(ctx, documents, target, needs, bindings, base)
    return targets


def _automatic(ctx: CheckContext) -> bool:
    from sam_shift_lint.config.layouts import AUTOMATIC_SOURCES

    return ctx.lint.deploys_source in AUTOMATIC_SOURCES


def _translator_installed() -> bool:
    """Is aws-sam-translator importable (the ``permissions`` extra; imported by the derivation next anyway)?"""
    try:
        import samtranslator  # noqa: F401
    except ImportError:
        return False
    return True


def role_target(ctx: CheckContext, role: Role) -> PairedTarget | None:
    return next((t for t in ctx.shared(paired_targets) if t.role is role), None)


def file_target(ctx: CheckContext) -> PairedTarget | None:
    return next((t for t in ctx.shared(paired_targets) if t.role is None), None)


def missing_roles(ctx: CheckContext) -> list[str]:
    """Roles the pairing names that the template does not have (or that are not roles)."""
    if ctx.target is not Target.TEMPLATE:
        return []
    return [role for role, _ in ctx.lint.deploys if role and role not in ctx.iam.roles]


def role_anchor(role: Role) -> tuple[Node, tuple[Any, ...]]:
    """Where a role's finding points: its first inline policy, else its logical id."""
    for document in role.inline:
        return document.node, document.path
    return role.key, role.path()


def _targets(ctx: CheckContext) -> Iterator[PairedTarget]:
    templates_of: dict[str, list[str]] = {}
    for name, templates in ctx.lint.deploys:
        known = templates_of.setdefault(name, [])
        known.extend(t for t in dict.fromkeys(templates) if t not in known)
    if ctx.target is Target.POLICY_FILE:
        root = ctx.document.root
        assert isinstance(root, Mapping)
        templates = tuple(templates_of.get("", ()))
        if templates:
            yield PairedTarget(root.key_node("Statement") or root, ("Statement",), None, templates)
        return
    for role in ctx.iam.roles.values():
        chosen = list(templates_of.get(role.logical_id, ()))
        if role.profile == DEPLOY_ROLE_PROFILE:
            chosen += [t for t in templates_of.get("", ()) if t not in chosen]
        if chosen:
            node, path = role_anchor(role)
            yield PairedTarget(node, path, role, tuple(chosen))


def _shown(template: str, base: str) -> str:
    """A template as messages name it: relative to the checked file's directory (the same from every door)."""
    try:
        shown = os.path.relpath(template, base)
    except ValueError:  # another drive
        shown = template
    return shorten(shown.replace(os.sep, "/"), MAX_DESCRIBED)


# ---------------------------------------------------------------------------------------------- derivation


@lru_cache(maxsize=4)
def _deriver(region: str) -> Any:
    from sam_shift_lint.permissions import Deriver, Options

    return Deriver(Options(region=region))


@lru_cache(maxsize=8)
def _region(region: str | None) -> str:
    """The provider schemas' region: the policy's own when cfn-lint has schemas for it, else the default."""
    from sam_shift_lint.iam.actions import CatalogUnavailable
    from sam_shift_lint.permissions.schemas import DEFAULT_REGION, SchemaUnavailable

    if region and region != DEFAULT_REGION:
        try:
            _deriver(region)
        except (SchemaUnavailable, CatalogUnavailable):  # the default region's derivation reports it
            return DEFAULT_REGION
        return region
    return DEFAULT_REGION


def derive(template: str, region: str | None) -> tuple[tuple[Need, ...], str | None]:
    """The needs of one template (without the caller's), or why it cannot be used (one line)."""
    try:
        status = os.stat(template)
    except OSError as error:
        return (), f"cannot read it: {error.strerror or error}"
    chosen = _region(region)
    key = (template, status.st_mtime_ns, status.st_size, chosen)
    cached = _DERIVED.get(key)
    if cached is None:
        if len(_DERIVED) >= MAX_DERIVED:  # a long-lived process (the language server) sees templates change
            del _DERIVED[next(iter(_DERIVED))]
        cached = _DERIVED[key] = _derive(template, chosen)
    return cached


def _derive(template: str, region: str) -> tuple[tuple[Need, ...], str | None]:
    from sam_shift_lint.iam.actions import CatalogUnavailable
    from sam_shift_lint.permissions import derive_files
    from sam_shift_lint.permissions.schemas import SchemaUnavailable

    try:
        deriver = _deriver(region)
        derivation, errors = derive_files([template], deriver.options, deriver)
    except (SchemaUnavailable, CatalogUnavailable) as error:
        return (), str(error)
    if errors:
        return (), errors[0][1]
    return tuple(need for need in derivation.needs if need.handler not in CALLER_HANDLERS), None


# ---------------------------------------------------------------------------------------------- evaluation


def _documents(ctx: CheckContext, target: PairedTarget) -> list[PolicyDocument]:
    if target.role is None:
        root = ctx.document.root
        assert isinstance(root, Mapping)
        return parse_documents([PolicyNode(root, (), "", os.path.basename(ctx.file) or "policy")])
    role = target.role
    return parse_documents(role.policies.readable, resource_condition(role.resource))


def _shortfalls(
    ctx: CheckContext, documents: list[PolicyDocument], target: PairedTarget, needs: Sequence[Need], bindings: Bindings, base: str
) -> list[Shortfall]:
    from sam_shift_lint.iam import PolicySet
    from sam_shift_lint.permissions.necessity import when_needed

    def policy_set(condition: Condition) -> PolicySet:
        """The policies as they apply to a request with ``condition``'s context keys (``iam:PassedToService``):
        an Allow whose IAM Condition holds for it counts unconditionally, one whose Condition does not hold is
        left out; other statements are as written."""
        chosen = documents if not condition else [_for_request(document, condition) for document in documents]
        return PolicySet(
            chosen, region=bindings.region, account=bindings.account, partition=bindings.partition, work=ctx.shared(file_work)
        )

    statements: dict[tuple[str, Any], Statement] = {(doc.id, s.path): s for doc in documents for s in doc.statements}
    hidden = target.role.policies if target.role is not None else None
    sets: dict[Condition, PolicySet] = {}
    failing: dict[str, list[tuple[Need, str]]] = {}
    spelling: dict[str, str] = {}
    answers: dict[tuple[str, str, Condition], str | None] = {}
    for need in needs:
        if hidden is not None and hidden.may_be_granted_elsewhere(need.action):
            continue  # a managed policy from outside the template may grant it: not known offline
        action = need.action.lower()
        question = (action, need.resource, need.condition)
        if question not in answers:
            if need.condition not in sets:
                sets[need.condition] = policy_set(need.condition)
            answers[question] = _answer(sets[need.condition], statements, need)
        reason = answers[question]
        if reason is None:
            continue
        spelling.setdefault(action, need.action)
        failing.setdefault(action, []).append((need, reason))
    out = []
    for action in sorted(failing):
        items = failing[action]
        needed_by = tuple(dict.fromkeys((_shown(n.template, base), n.logical_id or "(the template)") for n, _ in items))
        reasons = [reason for _, reason in items if reason]
        whens = [when_needed(n) for n, _ in items]
        when = () if None in whens else tuple(sorted({w for w in whens if w is not None}))
        grantable = tuple(n for n, reason in items if not reason)
        out.append(Shortfall(spelling[action], needed_by, reasons[0] if reasons else "", when, grantable))
    return out


def _for_request(document: PolicyDocument, condition: Condition) -> PolicyDocument:
    from sam_shift_lint.iam.policy import ALLOW

    kept = []
    for statement in document.statements:
        if statement.condition and statement.effect == ALLOW and statement.template_condition is None:
            if not _condition_holds(statement.condition, condition):
                continue
            statement = replace(statement, condition=None)
        kept.append(statement)
    return replace(document, statements=tuple(kept))


def _answer(policies: Any, statements: dict[tuple[str, Any], Statement], need: Need) -> str | None:
    """None when the policy allows the need (or it cannot be told offline); else why not: "" (not granted),
    "denied by ...", or "granted only under a condition"."""
    from sam_shift_lint.iam import Status

    verdict = policies.evaluate(need.action, need.resource)
    if verdict.status is Status.NOT_GRANTED:
        return ""
    if verdict.status is Status.DENIED:
        return "denied by " + (statement_name(verdict.denied_by[0]) if verdict.denied_by else "a Deny statement")
    if verdict.status is not Status.CONDITIONAL:
        return None  # granted, or unknown offline (left out, as E9201 leaves it out)
    gated = [s for s in (statements.get((ref.document, ref.path)) for ref in verdict.allowed_by) if s is not None and s.conditional]
    if not gated:
        return None  # conditional only through a Deny that may not apply (a guardrail): not reported, as in E9201
    return "granted only under a condition"


def _condition_holds(block: Any, condition: Condition) -> bool:
    """Does an IAM Condition block hold for a request that sets the context keys of ``condition`` (a need's
    ``iam:PassedToService``)? Only ``StringEquals``/``StringLike`` on those keys are read; anything else is not
    known to hold."""
    from sam_shift_lint.iam.glob import from_glob, matches  # IAM's wildcards (* and ?), matched in linear time

    if not isinstance(block, dict):
        return False
    request = {key.lower(): values for _, key, values in condition}
    for operator, tests in block.items():
        if operator not in ("StringEquals", "StringLike") or not isinstance(tests, dict):
            return False
        for key, allowed in tests.items():
            wanted = request.get(str(key).lower())
            values = allowed if isinstance(allowed, list) else [allowed]
            if wanted is None or not all(isinstance(v, str) for v in values):
                return False
            if operator == "StringEquals" and not all(w in values for w in wanted):
                return False
            if operator == "StringLike" and not all(any(matches(from_glob(v), w) for v in values) for w in wanted):
                return False
    return True


# ---------------------------------------------------------------------------------------------- messages


def describe(shortfalls: Sequence[Shortfall]) -> str:
    """What the message says after its subject: ``(template.yml): action for Id, Id; action for Id (denied by
    ...)``, or with several templates ``: action for Id in a.yaml and Id in b.yaml; ...``; shortened."""
    templates = {template for item in shortfalls[:MAX_ACTIONS] for template, _ in item.needed_by}
    single = next(iter(templates)) if len(templates) == 1 else None
    parts = []
    for item in shortfalls[:MAX_ACTIONS]:
        by_template: dict[str, list[str]] = {}
        for template, logical_id in item.needed_by:
            by_template.setdefault(template, []).append(shorten(logical_id, MAX_DESCRIBED))
        named = []
        for template, ids in by_template.items():
            more = f" and {len(ids) - MAX_RESOURCES} more" if len(ids) > MAX_RESOURCES else ""
            named.append(f"{', '.join(ids[:MAX_RESOURCES])}{more}" + ("" if single else f" in {template}"))
        notes = [item.reason] if item.reason else []
        notes += [" or ".join(item.when)] if item.when else []
        note = f" ({'; '.join(notes)})" if notes else ""
        parts.append(f"{item.action} for {' and '.join(named)}{note}")
    rest = len(shortfalls) - MAX_ACTIONS
    text = "; ".join(parts)
    if rest > 0:
        text += f"; and {rest} more actions (sam-shift-lint permissions --explain on the templates lists them)"
    return (f" ({single}): " if single else ": ") + text
