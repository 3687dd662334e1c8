"""IAM rules: E9201 (a deploy role does not grant what gradual deployments need), W9202 (a placeholder left
in a policy ARN), E9203 (a hook function cannot report its status), W9204 (an IAM action that does not
exist).

Templates are checked through ``@check`` functions (the IAM view is :mod:`sam_shift_lint.roles`);
standalone policy files through :func:`check_policy_file`. Evaluation is :mod:`sam_shift_lint.iam`: explicit
Deny wins, wildcards and ``NotAction``/``NotResource`` as IAM reads them, "granted" meaning "allowed by the
policies considered" (SCPs, boundaries and resource policies are not visible).

Region, account and partition: ``--region``/``--account-id`` when given, else the values every ARN of the
file agrees on; otherwise they stay symbolic (``${AWS::Region}`` in a template matches itself).
"""
from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

from ..document import Document, Mapping, Node, Scalar, Sequence
from ..findings import Finding, Fix
from ..fixes.iam import (
    IamEdits,
    new_statement,
    policy_document,
    sid_for,
    statement_targets,
    sub_or_text,
)
from ..fixes.textedit import EditError
from ..roles import (
    DEPLOY_ROLE_PROFILE,
    HOOK_PROFILE,
    IamView,
    PolicyNode,
    PolicySetView,
    Role,
    executed_hooks,
    iam_view,
    with_condition,
)
from ..sam import Function, SamTemplate
from . import check
from .registry import RuleInfo, register

E9201 = register(
    RuleInfo(
        "E9201",
        "Deploy role does not grant what gradual deployments need",
        "The role CloudFormation deploys the stack with must allow every action of its requirement profile on the "
        "required resources (profile deploy-role: the CodeStar worker statements for S3, Lambda, API Gateway, IAM "
        "and CodeDeploy). A role is a deploy role when CloudFormation may assume it, when its RoleName or logical "
        "id matches CodeStarWorker*CloudFormation*, or when its Metadata says 'sam-shift-lint: {profile: NAME}'; a "
        "policy file when its name contains CloudFormationRolePolicy or it is given with --policy-profile. Inline "
        "policies and the AWS::IAM::Policy, ManagedPolicy and RolePolicy resources attached to the role are "
        "evaluated together as IAM does (an explicit Deny wins). The message lists, per group, the actions that are "
        "missing, denied or granted only under a condition. Actions a managed policy from outside the template "
        "could grant are not reported.",
        tags=("iam", "sam", "codedeploy"),
    )
)
W9202 = register(
    RuleInfo(
        "W9202",
        "Placeholder left in a policy ARN",
        "A policy ARN holds a placeholder where the ARN format expects a region or an account id: 'region', 'id', "
        "'account-id', 'REGION', 'ACCOUNT_ID', '<...>', '{...}', 'xxxx', or a ${...} nobody substitutes (such as "
        "${AWS::Region} in a string that is not an Fn::Sub). The policy then matches no real resource.",
        tags=("iam",),
    )
)
E9203 = register(
    RuleInfo(
        "E9203",
        "Hook function cannot report its result to CodeDeploy",
        "A function named in DeploymentPreference.Hooks must call codedeploy:PutLifecycleEventHookExecutionStatus; "
        "without the permission the call fails, CodeDeploy waits an hour for the status and then fails the "
        "deployment. Allow the action on '*' (it has no resource-level permissions) or on "
        "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:"
        "${ServerlessDeploymentApplication}/*. No SAM policy template grants it. When the hook sets Role, SAM "
        "ignores its Policies and the role's policies count. Not reported when a policy that cannot be seen "
        "offline (a managed policy other than the basic Lambda ones, a role from outside the template) may grant it.",
        tags=("iam", "sam", "codedeploy"),
    )
)
W9204 = register(
    RuleInfo(
        "W9204",
        "Unknown IAM action",
        "An Action or NotAction names an IAM action (or a wildcard matching no action) that does not exist in "
        "cfn-lint's IAM data (Policies.json); the closest real name is suggested. cfn-lint's own W3037 skips SAM "
        "templates, so this rule checks SAM templates and standalone policy files.",
        tags=("iam",),
    )
)

HOOK_ACTION = "codedeploy:PutLifecycleEventHookExecutionStatus"
POLICY_FILE_MARKER = "CloudFormationRolePolicy"
DEPLOY_POLICY_NAME = "GradualDeploymentPermissions"
HOOK_POLICY_NAME = "CodeDeployHookStatus"
PathTuple = Tuple[Any, ...]


# ---------------------------------------------------------------------------------------------- options


@dataclass(frozen=True)
class Bindings:
    """Concrete values for the ARN symbols, and where each came from ("flag" or "file")."""

    region: Optional[str] = None
    account: Optional[str] = None
    partition: str = "aws"
    sources: Dict[str, str] = field(default_factory=dict)


def _config_value(config: Any, name: str) -> Optional[str]:
    value = getattr(config, name, None)
    return value if isinstance(value, str) and value else None


def _strings(node: Node) -> Iterator[str]:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Scalar):
            if isinstance(current.value, str) and "arn:" in current.value:
                yield current.value
        elif isinstance(current, Mapping):
            stack.extend(value for _, value in current.items())
        elif isinstance(current, Sequence):
            stack.extend(current.items)


def bindings_for(root: Node, config: Any) -> Bindings:
    from ..iam.arns import agreed

    found = agreed(_strings(root))
    sources: Dict[str, str] = {}
    values: Dict[str, Optional[str]] = {}
    for name, flag in (("region", "region"), ("account", "account")):
        given = _config_value(config, flag)
        if given:
            values[name], sources[name] = given, "flag"
        elif found[name]:
            values[name], sources[name] = found[name], "file"
        else:
            values[name] = None
    return Bindings(values["region"], values["account"], found["partition"] or "aws", sources)


@functools.lru_cache(maxsize=32)
def _profile(spec: str, base: str) -> Any:
    from ..iam.profiles import load_profile

    looks_like_path = spec.endswith(".json") or "/" in spec or os.sep in spec
    if looks_like_path and not os.path.isabs(spec) and base:
        spec = os.path.join(base, spec)
    return load_profile(spec)


def load_profile_for(spec: str, document_path: str) -> Any:
    """A profile by bundled name or JSON path (relative paths: from the file's directory, else the CWD)."""
    base = os.path.dirname(os.path.abspath(document_path)) if document_path not in ("", "-") else ""
    try:
        return _profile(spec, base)
    except Exception:  # the next attempt (the CWD) decides what is reported
        return _profile(spec, "")


# ---------------------------------------------------------------------------------------------- walking


def _branches(node: Node, path: PathTuple) -> Iterator[Tuple[Node, PathTuple]]:
    intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
    if intrinsic and intrinsic[0] == "Fn::If" and isinstance(intrinsic[1], Sequence) and len(intrinsic[1].items) == 3:
        for index in (1, 2):
            yield from _branches(intrinsic[1].items[index], path + ("Fn::If", index))
        return
    yield node, path


def iter_statements(document: Mapping, path: PathTuple) -> Iterator[Tuple[Mapping, PathTuple]]:
    statements = document.get("Statement")
    if statements is None:
        return
    items = list(enumerate(statements.items)) if isinstance(statements, Sequence) else [(None, statements)]
    for index, item in items:
        here = path + ("Statement",) + ((index,) if index is not None else ())
        for statement, statement_path in _branches(item, here):
            if isinstance(statement, Mapping) and statement.intrinsic() is None:
                yield statement, statement_path


def iter_values(container: Mapping, key: str, path: PathTuple) -> Iterator[Tuple[Node, PathTuple]]:
    value = container.get(key)
    if value is None:
        return
    for node, here in _branches(value, path + (key,)):
        if isinstance(node, Sequence):
            for index, item in enumerate(node.items):
                yield from _branches(item, here + (index,))
        else:
            yield node, here


def _principal_values(statement: Mapping, path: PathTuple) -> Iterator[Tuple[Node, PathTuple]]:
    for key in ("Principal", "NotPrincipal"):
        principal = statement.get(key)
        if isinstance(principal, Mapping) and principal.intrinsic() is None:
            yield from iter_values(principal, "AWS", path + (key,))


def _sub_text(node: Node) -> Optional[Tuple[Mapping, Scalar, PathTuple]]:
    """(the Fn::Sub map, its text scalar, the path below the map) for an ``Fn::Sub`` of a string."""
    intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
    if not intrinsic or intrinsic[0] != "Fn::Sub":
        return None
    argument = intrinsic[1]
    if isinstance(argument, Scalar) and isinstance(argument.value, str):
        return node, argument, ("Fn::Sub",)  # type: ignore[return-value]
    if isinstance(argument, Sequence) and argument.items and isinstance(argument.items[0], Scalar):
        text = argument.items[0]
        if isinstance(text.value, str):
            return node, text, ("Fn::Sub", 0)  # type: ignore[return-value]
    return None


def _catalog() -> Any:
    from ..iam.actions import CatalogUnavailable, catalog

    try:
        return catalog()
    except CatalogUnavailable:
        return None


def _finding(rule: str, message: str, file: str, node: Node, resource: Optional[str], path: PathTuple, fix: Optional[Fix] = None) -> Finding:
    return Finding(rule=rule, message=message, file=file, span=node.span, resource=resource, path=tuple(path), fix=fix)


# ---------------------------------------------------------------------------------------------- W9204


def action_problem(name: str, cat: Any) -> Optional[str]:
    """Why ``name`` is no IAM action, or None."""
    from ..iam.actions import is_known_action, suggest_action

    if name == "*" or "${" in name:
        return None
    service, _, action = name.partition(":")
    if not service or not action or name != name.strip():
        return f"'{name}' is not an IAM action (service:action)"
    if is_known_action(name, cat):
        return None
    wildcard = "*" in name or "?" in name
    known_service = service.lower() in cat.services or "*" in service or "?" in service
    if wildcard and known_service:
        return f"IAM action pattern '{name}' matches no action"
    closest = suggest_action(name, cat) if not wildcard else None
    head = f"Unknown IAM action '{name}'" if known_service else f"Unknown IAM service '{service}' in action '{name}'"
    return head + (f"; did you mean '{closest}'?" if closest else "")


def unknown_actions(document: Mapping, path: PathTuple, file: str, resource: Optional[str]) -> Iterator[Finding]:
    cat = None
    for statement, statement_path in iter_statements(document, path):
        for key in ("Action", "NotAction"):
            for node, here in iter_values(statement, key, statement_path):
                if not isinstance(node, Scalar) or not isinstance(node.value, str):
                    continue
                if cat is None:
                    cat = _catalog()
                    if cat is None:
                        return
                problem = action_problem(node.value, cat)
                if problem:
                    yield _finding("W9204", problem, file, node, resource, here)


# ---------------------------------------------------------------------------------------------- W9202


def _arn_expectations(service: str) -> Tuple[bool, bool]:
    """Does the service's ARN format have a region / an account field? (Unknown services: both.)"""
    if "*" in service or "?" in service or "$" in service:
        return True, True
    cat = _catalog()
    fields = cat.arn_fields(service) if cat is not None else None
    return fields if fields is not None else (True, True)


def arn_placeholders(text: str, substituted: bool) -> List[Any]:
    from ..iam.arns import arn_fields, placeholders

    found = placeholders(text, substituted)
    if not found:
        return []
    fields = arn_fields(text)
    assert fields is not None
    region, account = _arn_expectations(fields["service"].text)
    return [f for f in found if (f.name == "region" and region) or (f.name == "account" and account)]


@dataclass
class PlaceholderContext:
    file: str
    document: Document
    resource: Optional[str]
    template: bool
    bindings: Bindings


def placeholder_findings(document: Mapping, path: PathTuple, context: PlaceholderContext) -> Iterator[Finding]:
    for statement, statement_path in iter_statements(document, path):
        values = list(iter_values(statement, "Resource", statement_path))
        values += list(iter_values(statement, "NotResource", statement_path))
        values += list(_principal_values(statement, statement_path))
        for node, here in values:
            yield from _placeholder_finding(node, here, context)


def _placeholder_finding(node: Node, path: PathTuple, context: PlaceholderContext) -> Iterator[Finding]:
    sub = _sub_text(node)
    if isinstance(node, Scalar) and isinstance(node.value, str):
        text, substituted = node.value, False
    elif sub is not None:
        text, substituted = sub[1].value, True
    else:
        return
    fields = arn_placeholders(text, substituted)
    if not fields:
        return
    what = " and ".join(
        f"'{f.text}' where the {'region' if f.name == 'region' else 'account id'} belongs" for f in fields
    )
    message = f"Placeholder left in policy ARN '{text}': {what}"
    if any("${" in f.text and not substituted for f in fields) and context.template:
        message += " (the string is not an Fn::Sub, so ${...} is not substituted)"
    fix = _placeholder_fix(node, path, text, substituted, fields, sub, context)
    yield _finding("W9202", message, context.file, node, context.resource, path, fix)


def _placeholder_fix(node, path, text, substituted, fields, sub, context: PlaceholderContext) -> Optional[Fix]:  # type: ignore[no-untyped-def]
    from ..iam.arns import replace_fields

    edits = IamEdits(context.document)
    try:
        if context.template:
            pseudo = {"region": "${AWS::Region}", "account": "${AWS::AccountId}"}
            replacements = {f.name: pseudo[f.name] for f in fields}
            if substituted:
                new_text = replace_fields(text, replacements)
                edits.replace_sub_text(sub[0], sub[1], path + sub[2], new_text)
            else:
                new_text = _sub_from_plain(text, replacements)
                edits.replace_with_sub(node, path, new_text)
            names = " and ".join(pseudo[f.name] for f in fields)
            return edits.fix("unsafe", f"Use {names} (the stack's own; check the ARN does not mean another one)")
        bindings = context.bindings
        values: Dict[str, str] = {}
        missing = []
        for f in fields:
            value = bindings.region if f.name == "region" else bindings.account
            if value is None:
                missing.append("--region" if f.name == "region" else "--account-id")
            else:
                values[f.name] = value
        if missing:
            return Fix("display", f"Pass {' and '.join(missing)} to replace the placeholder")
        edits.replace_string(node, path, replace_fields(text, values))
        inferred = any(bindings.sources.get(f.name) == "file" for f in fields)
        shown = ", ".join(values[f.name] for f in fields)
        if inferred:
            return edits.fix("unsafe", f"Use {shown} (what the file's other ARNs say)")
        return edits.fix("safe", f"Use {shown}")
    except EditError:
        return None


def _sub_from_plain(text: str, replacements: Dict[str, str]) -> str:
    """The ``Fn::Sub`` text for a plain string, fields replaced. IAM policy variables (``${aws:username}``,
    ``${*}``) stay literal (``${!...}``); anything else in ``${...}`` (``${AWS::Partition}``, ``${Table}``) was
    meant to be substituted and now is."""
    import re

    from ..iam.arns import arn_fields

    def keep_literal(match: "re.Match[str]") -> str:
        name = match.group(1)
        variable = name in ("*", "?", "$") or (":" in name and "::" not in name)
        return "${!" + name + "}" if variable else match.group(0)

    def escape(part: str) -> str:
        return re.sub(r"\$\{([^}]*)\}", keep_literal, part)

    fields = arn_fields(text)
    assert fields is not None
    spans = sorted((fields[name].start, fields[name].end, value) for name, value in replacements.items())
    out, position = [], 0
    for start, end, value in spans:
        out.append(escape(text[position:start]))
        out.append(value)
        position = end
    out.append(escape(text[position:]))
    return "".join(out)


# ---------------------------------------------------------------------------------------------- coverage


@dataclass
class Gap:
    """What one requirement group lacks."""

    group: Any
    missing: List[str] = field(default_factory=list)
    denied: Dict[str, str] = field(default_factory=dict)  # action -> by which statement
    conditional: List[str] = field(default_factory=list)
    conditions: Dict[str, str] = field(default_factory=dict)  # action -> what it depends on

    def describe(self) -> str:
        """``group: a, b; group: c (denied by X); group: d (only conditional)`` in the profile's order."""
        ordered = [a for a in self.group.actions]
        parts = []
        if self.missing:
            parts.append(f"{self.group.name}: {', '.join(a for a in ordered if a in self.missing)}")
        for by in dict.fromkeys(self.denied.values()):
            actions = ", ".join(a for a in ordered if self.denied.get(a) == by)
            parts.append(f"{self.group.name}: {actions} (denied by {by})")
        if self.conditional:
            parts.append(f"{self.group.name}: {', '.join(a for a in ordered if a in self.conditional)} (only conditional)")
        return "; ".join(parts)


def statement_name(ref: Any) -> str:
    sid = f" ({ref.sid})" if ref.sid else ""
    return f"{ref.document} Statement[{ref.index}]{sid}"


def parse_documents(documents: List[PolicyNode], holds: Optional[str] = None) -> List[Any]:
    """The documents parsed for evaluation; a document under ``Fn::If`` has conditional statements, unless
    its condition is ``holds`` (the condition of the resource being checked, true whenever it exists)."""
    from ..iam import parse_policy

    parsed, conditions, seen = [], {}, {}
    for document in documents:
        label = document.label
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            label = f"{label} ({seen[label]})"
        parsed.append(parse_policy(document.data(), label))
        conditions[label] = document.condition if document.condition != holds else None
    return with_condition(parsed, conditions)


def _resource_condition(resource: Mapping) -> Optional[str]:
    node = resource.get("Condition")
    return node.value if isinstance(node, Scalar) and isinstance(node.value, str) else None


def coverage_gaps(parsed: List[Any], policies: PolicySetView, profile: Any, bindings: Bindings) -> List[Gap]:
    """The groups of ``profile`` the policies do not fully grant (unknowable answers are left out)."""
    from ..iam import Status, check_profile

    statements = {(doc.id, s.path): s for doc in parsed for s in doc.statements}
    result = check_profile(parsed, profile, region=bindings.region, account=bindings.account, partition=bindings.partition)
    gaps = []
    for group in result.groups:
        gap = Gap(group.group)
        for item in group.actions:
            verdict = item.verdict
            if verdict.status is Status.NOT_GRANTED and not policies.may_be_granted_elsewhere(item.action):
                gap.missing.append(item.action)
            elif verdict.status is Status.DENIED:
                gap.denied[item.action] = statement_name(verdict.denied_by[0]) if verdict.denied_by else "a Deny statement"
            elif verdict.status is Status.CONDITIONAL:
                refs = [statements.get((ref.document, ref.path)) for ref in verdict.allowed_by]
                gated = [s for s in refs if s is not None and s.conditional]
                if gated:
                    gap.conditional.append(item.action)
                    names = sorted({s.template_condition for s in gated if s.template_condition})
                    gap.conditions[item.action] = (
                        f"the template condition {', '.join(names)}" if names else "an IAM Condition"
                    )
        if gap.missing or gap.denied or gap.conditional:
            gaps.append(gap)
    return gaps


def _gaps_text(gaps: List[Gap]) -> str:
    return "; ".join(gap.describe() for gap in gaps)


def _missing_count(gaps: List[Gap]) -> int:
    return sum(len(g.missing) for g in gaps)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# ---------------------------------------------------------------------------------------------- templates


def _template_file(template: SamTemplate) -> str:
    return template.document.path


def _role_anchor(role: Role) -> Tuple[Node, PathTuple]:
    for document in role.inline:
        return document.node, document.path
    return role.key, role.path()


def _shared(view: IamView, role: Role) -> Callable[[PolicyNode], bool]:
    def shared(document: PolicyNode) -> bool:
        if document not in role.attached:
            return False
        return sum(1 for other in view.roles.values() if document in other.attached) > 1

    return shared


def _unique_policy_name(role: Role, name: str) -> str:
    taken = set()
    policies = role.properties.get("Policies") if role.properties is not None else None
    if isinstance(policies, Sequence):
        for item in policies.items:
            policy_name = item.get("PolicyName") if isinstance(item, Mapping) else None
            if isinstance(policy_name, Scalar):
                taken.add(policy_name.value)
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}{number}", number + 1
    return candidate


def grant_on_role(edits: IamEdits, view: IamView, role: Role, build: Callable[[Optional[Sequence]], List[Dict[str, Any]]], policy_name: str) -> None:
    targets = statement_targets(role.inline + role.attached, _shared(view, role))
    if targets:
        sequence, path = targets[0]
        edits.append(sequence, path, build(sequence))
        return
    if role.properties is None:
        raise EditError("role without Properties")
    item = {"PolicyName": _unique_policy_name(role, policy_name), "PolicyDocument": policy_document(build(None))}
    policies = role.properties.get("Policies")
    if isinstance(policies, Sequence):
        edits.append(policies, role.path("Properties", "Policies"), [item])
    elif policies is None:
        edits.add_key(role.properties, role.path("Properties"), "Policies", [item])
    else:
        raise EditError("Policies is not a list")


def _deploy_statements(gaps: List[Gap], resource: Callable[[str], Any]) -> Callable[[Optional[Sequence]], List[Dict[str, Any]]]:
    def build(siblings: Optional[Sequence]) -> List[Dict[str, Any]]:
        return [
            new_statement(gap.missing, resource(gap.group.resources[0]), siblings, sid_for(gap.group.name))
            for gap in gaps
            if gap.missing
        ]

    return build


def _profile_error(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


@check
def deploy_role_coverage(template: SamTemplate) -> Iterator[Finding]:
    view = iam_view(template)
    roles = view.profiled_roles()
    if not roles:
        return
    bindings = bindings_for(template.document.root, getattr(template, "config", None))
    for role in roles:
        node, path = _role_anchor(role)
        try:
            profile = load_profile_for(str(role.profile), template.document.path)
        except Exception as error:  # noqa: BLE001 - ProfileError or unreadable data: say so on the role
            where = role.profile_node or role.key
            yield _finding(
                "E9201",
                f"Role '{role.logical_id}': cannot check its policies against profile '{role.profile}': {_profile_error(error)}",
                _template_file(template),
                where,
                role.logical_id,
                role.path("Metadata") if role.profile_node is not None else role.path(),
            )
            continue
        policies = role.policies
        gaps = coverage_gaps(parse_documents(policies.documents, _resource_condition(role.resource)), policies, profile, bindings)
        if not gaps:
            continue
        message = (
            f"Deploy role '{role.logical_id}' ({role.deploy_reason}) does not grant what profile '{profile.name}' "
            f"requires: {_gaps_text(gaps)}"
        )
        fix = None
        if _missing_count(gaps):
            edits = IamEdits(template.document)
            try:
                grant_on_role(edits, view, role, _deploy_statements(gaps, sub_or_text), DEPLOY_POLICY_NAME)
                fix = edits.fix("safe", f"Grant the {_plural(_missing_count(gaps), 'missing action')}")
            except EditError:
                fix = None
        yield _finding("E9201", message, _template_file(template), node, role.logical_id, path, fix)


def _hook_statements(siblings: Optional[Sequence]) -> List[Dict[str, Any]]:
    return [new_statement([HOOK_ACTION], "*", siblings)]


def _hook_fix(template: SamTemplate, view: IamView, function: Function, role: Optional[Role], policies: PolicySetView) -> Optional[Fix]:
    edits = IamEdits(template.document)
    try:
        if role is not None:
            grant_on_role(edits, view, role, _hook_statements, HOOK_POLICY_NAME)
        else:
            local = function.local
            if local is None:
                raise EditError("function without Properties")
            targets = statement_targets(policies.documents)
            existing = local.get("Policies")
            if targets:
                sequence, path = targets[0]
                edits.append(sequence, path, _hook_statements(sequence))
            elif isinstance(existing, Sequence):
                edits.append(existing, function.path("Policies"), [policy_document(_hook_statements(None))])
            elif existing is None:
                edits.add_key(local, function.path(), "Policies", [policy_document(_hook_statements(None))])
            else:
                raise EditError("Policies is neither a list nor an inline policy")
    except EditError:
        return None
    where = f"role '{role.logical_id}'" if role is not None else "its Policies"
    return edits.fix("safe", f"Allow {HOOK_ACTION} in {where}")


@check
def hook_can_report(template: SamTemplate) -> Iterator[Finding]:
    hooks = executed_hooks(template)
    if not hooks:
        return
    view = iam_view(template)
    bindings = bindings_for(template.document.root, getattr(template, "config", None))
    profile = load_profile_for(HOOK_PROFILE, "")
    for name, function in hooks.items():
        policies, role, role_node = view.function_policies(function)
        parsed = parse_documents(policies.documents, _resource_condition(function.resource))
        gaps = coverage_gaps(parsed, policies, profile, bindings)
        if not gaps:
            continue
        gap = gaps[0]
        if gap.denied:
            why = f"it is denied by {next(iter(gap.denied.values()))}"
        elif gap.conditional:
            why = f"it is allowed only under {gap.conditions.get(HOOK_ACTION, 'a condition')}"
        elif role is not None:
            why = f"its role '{role.logical_id}' does not allow it"
        else:
            why = "its Policies do not allow it"
        if policies.note:
            why += f" ({policies.note})"
        message = (
            f"Hook function '{name}' cannot call {HOOK_ACTION}: {why}; CodeDeploy then waits an hour for the "
            "hook's status and fails the deployment"
        )
        local = function.local
        if role_node is not None and local is not None:
            node, path = local.key_node("Role") or function.key, function.path("Role")
        elif local is not None and local.get("Policies") is not None:
            node, path = local.key_node("Policies") or function.key, function.path("Policies")
        else:
            node, path = function.key, ("Resources", name)
        fix = _hook_fix(template, view, function, role, policies) if gap.missing else None
        yield _finding("E9203", message, _template_file(template), node, name, path, fix)


@check
def template_placeholders(template: SamTemplate) -> Iterator[Finding]:
    view = iam_view(template)
    if not view.documents:
        return
    bindings = Bindings()
    for document in view.documents:
        context = PlaceholderContext(_template_file(template), template.document, document.resource, True, bindings)
        yield from placeholder_findings(document.node, document.path, context)


@check
def template_unknown_actions(template: SamTemplate) -> Iterator[Finding]:
    if not template.is_sam():
        return  # cfn-lint's W3037 checks plain CloudFormation templates
    for document in iam_view(template).documents:
        yield from unknown_actions(document.node, document.path, _template_file(template), document.resource)


# ---------------------------------------------------------------------------------------------- policy files


def is_policy_document(document: Document) -> bool:
    """A standalone IAM policy: a map with ``Statement`` that is no template."""
    root = document.root
    return (
        isinstance(root, Mapping)
        and root.intrinsic() is None
        and "Statement" in root
        and "Resources" not in root
        and "AWSTemplateFormatVersion" not in root
    )


def policy_file_profile(document: Document, config: Any) -> Optional[str]:
    """The profile a policy file is checked against: ``--policy-profile``, or deploy-role by its name."""
    given = _config_value(config, "policy_profile")
    if given:
        return given
    if POLICY_FILE_MARKER in os.path.basename(document.path):
        return DEPLOY_ROLE_PROFILE
    return None


def check_policy_file(document: Document, config: Any = None, enabled: Optional[Callable[[str], bool]] = None) -> List[Finding]:
    """Findings for a standalone policy file (W9204 and W9202 always, E9201 against its profile)."""
    root = document.root
    assert isinstance(root, Mapping)
    file = document.path
    bindings = bindings_for(root, config)
    findings: List[Finding] = []
    findings.extend(unknown_actions(root, (), file, None))
    findings.extend(placeholder_findings(root, (), PlaceholderContext(file, document, None, False, bindings)))
    spec = policy_file_profile(document, config)
    if spec:
        findings.extend(_policy_file_coverage(document, root, spec, bindings))
    if enabled is not None:
        findings = [f for f in findings if enabled(f.rule)]
    findings.sort(key=Finding.sort_key)
    return findings


def _policy_file_coverage(document: Document, root: Mapping, spec: str, bindings: Bindings) -> Iterator[Finding]:
    from ..iam.profiles import load_profile

    anchor = root.key_node("Statement") or root
    profile = load_profile(spec)  # the CLI validated --policy-profile; the bundled deploy-role always loads
    node = PolicyNode(root, (), "", os.path.basename(document.path) or "policy")
    policies = PolicySetView([node])
    gaps = coverage_gaps(parse_documents([node]), policies, profile, bindings)
    if not gaps:
        return
    message = f"Policy does not grant what profile '{profile.name}' requires: {_gaps_text(gaps)}"
    fix = None
    if _missing_count(gaps):
        fix, note = _policy_file_fix(document, root, gaps, bindings)
        if note:
            message += f" ({note})"
    yield _finding("E9201", message, document.path, anchor, None, ("Statement",), fix)


def _policy_file_fix(document: Document, root: Mapping, gaps: List[Gap], bindings: Bindings) -> Tuple[Optional[Fix], str]:
    from ..iam.pattern import parse_template

    values = {"AWS::Partition": bindings.partition}
    if bindings.region:
        values["AWS::Region"] = bindings.region
    if bindings.account:
        values["AWS::AccountId"] = bindings.account
    needed = {
        symbol for gap in gaps if gap.missing for symbol in parse_template(gap.group.resources[0]).symbols
    }
    order = ["AWS::Region", "AWS::AccountId"]
    unbound = sorted(needed - set(values), key=lambda s: (order.index(s) if s in order else len(order), s))
    if unbound:
        flags = [{"AWS::Region": "--region", "AWS::AccountId": "--account-id"}.get(s, s) for s in unbound]
        what = " and ".join(flags)
        note = f"pass {what} to let --fix add the missing statements"
        return Fix("display", f"Pass {what}: the file's ARNs do not agree on them"), note

    def resource(pattern: str) -> str:
        return parse_template(pattern).substitute({k: v for k, v in values.items()}).text

    statements = root.get("Statement")
    if not isinstance(statements, Sequence):
        return Fix("display", "Make Statement a list, then add the missing statements"), ""
    edits = IamEdits(document)
    try:
        edits.append(statements, ("Statement",), _deploy_statements(gaps, resource)(statements))
    except EditError:
        return None, ""
    return edits.fix("safe", f"Grant the {_plural(_missing_count(gaps), 'missing action')}"), ""
