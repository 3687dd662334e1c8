"""E9201: a deploy role (in a template) or a deploy-role policy file does not grant what gradual deployments
need, with the fix that grants the missing actions."""
from __future__ import annotations

import os
from typing import Any, Callable, Iterator, List, Optional, Tuple

from ..document import Document, Mapping, Node, Sequence
from ..findings import Finding, Fix
from ..fixes.iam import IamEdits, StatementBuilder, grant_on_role, new_statement, sid_for, sub_or_text
from ..fixes.positions import EditError
from ..roles import PolicyNode, PolicySetView, Role, iam_view
from ..sam import SamTemplate
from . import check
from .base import finding_at
from .iam_gaps import Gap, coverage_gaps, gaps_text, missing_count, parse_documents, resource_condition
from .iam_options import Bindings, bindings_for, load_profile_for
from .iam_walk import PathTuple
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

DEPLOY_POLICY_NAME = "GradualDeploymentPermissions"


def _deploy_statements(gaps: List[Gap], resource: Callable[[str], Any]) -> StatementBuilder:
    """One statement per group with missing actions, on the group's first resource pattern."""

    def build(siblings: Optional[Sequence]) -> List[Any]:
        return [
            new_statement(gap.missing, resource(gap.group.resources[0]), siblings, sid_for(gap.group.name))
            for gap in gaps
            if gap.missing
        ]

    return build


def _grant_description(gaps: List[Gap]) -> str:
    count = missing_count(gaps)
    return f"Grant the {count} missing action{'' if count == 1 else 's'}"


# ---------------------------------------------------------------------------------------------- templates


def _role_anchor(role: Role) -> Tuple[Node, PathTuple]:
    for document in role.inline:
        return document.node, document.path
    return role.key, role.path()


def _profile_error(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


@check
def deploy_role_coverage(template: SamTemplate) -> Iterator[Finding]:
    view = iam_view(template)
    roles = view.profiled_roles()
    if not roles:
        return
    file = template.document.path
    bindings = bindings_for(template.document.root, getattr(template, "config", None))
    for role in roles:
        node, path = _role_anchor(role)
        try:
            profile = load_profile_for(str(role.profile), file)
        except Exception as error:  # noqa: BLE001 - ProfileError or unreadable data: say so on the role
            where = role.profile_node or role.key
            yield finding_at(
                "E9201",
                f"Role '{role.logical_id}': cannot check its policies against profile '{role.profile}': {_profile_error(error)}",
                file,
                where,
                role.logical_id,
                role.path("Metadata") if role.profile_node is not None else role.path(),
            )
            continue
        policies = role.policies
        gaps = coverage_gaps(parse_documents(policies.documents, resource_condition(role.resource)), policies, profile, bindings)
        if not gaps:
            continue
        message = (
            f"Deploy role '{role.logical_id}' ({role.deploy_reason}) does not grant what profile '{profile.name}' "
            f"requires: {gaps_text(gaps)}"
        )
        fix = None
        if missing_count(gaps):
            edits = IamEdits(template.document)
            try:
                grant_on_role(edits, view, role, _deploy_statements(gaps, sub_or_text), DEPLOY_POLICY_NAME)
                fix = edits.fix("safe", _grant_description(gaps))
            except EditError:
                fix = None
        yield finding_at("E9201", message, file, node, role.logical_id, path, fix)


# ---------------------------------------------------------------------------------------------- policy files


def policy_file_coverage(document: Document, root: Mapping, spec: str, bindings: Bindings) -> Iterator[Finding]:
    """E9201 for a standalone policy file checked against the profile ``spec``."""
    from ..iam.profiles import load_profile

    anchor = root.key_node("Statement") or root
    profile = load_profile(spec)  # the CLI validated --policy-profile; the bundled deploy-role always loads
    node = PolicyNode(root, (), "", os.path.basename(document.path) or "policy")
    policies = PolicySetView([node])
    gaps = coverage_gaps(parse_documents([node]), policies, profile, bindings)
    if not gaps:
        return
    message = f"Policy does not grant what profile '{profile.name}' requires: {gaps_text(gaps)}"
    fix = None
    if missing_count(gaps):
        fix, note = _policy_file_fix(document, root, gaps, bindings)
        if note:
            message += f" ({note})"
    yield finding_at("E9201", message, document.path, anchor, None, ("Statement",), fix)


def _policy_file_fix(document: Document, root: Mapping, gaps: List[Gap], bindings: Bindings) -> Tuple[Optional[Fix], str]:
    """(the fix, a note for the message): statements whose resources use the bound region and account."""
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
        return parse_template(pattern).substitute(dict(values)).text

    statements = root.get("Statement")
    if not isinstance(statements, Sequence):
        return Fix("display", "Make Statement a list, then add the missing statements"), ""
    edits = IamEdits(document)
    try:
        edits.append(statements, ("Statement",), _deploy_statements(gaps, resource)(statements))
    except EditError:
        return None, ""
    return edits.fix("safe", _grant_description(gaps)), ""
