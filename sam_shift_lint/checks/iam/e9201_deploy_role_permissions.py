"""## What it does
Checks that the role CloudFormation deploys the stack with (a deploy role, or a deploy-role policy file) allows
every action of its requirement profile on the profile's resources, evaluated as IAM does (an explicit `Deny`
wins). The message lists the missing actions by group and says which ones an explicit `Deny` reaches (naming the
statement) and which are granted only under a condition.

The bundled `deploy-role` profile holds the statements of AWS CodeStar's CloudFormation worker role, in its
groups: `s3-read`, `s3-put-codepipeline`, `lambda`, `apigateway`, `iam-role`, `iam-role-policy`,
`iam-passrole`, `codedeploy-application`, `codedeploy-deploymentgroup` and `codedeploy-deploymentconfig`.

In a template, a role's policy set is its inline `Policies` together with every `AWS::IAM::Policy` and
`AWS::IAM::ManagedPolicy` that names it in `Roles` (a `Ref` to the role, or its literal `RoleName`), every
`AWS::IAM::RolePolicy` naming it in `RoleName`, and the in-template managed policies in its
`ManagedPolicyArns` (`!Ref MyManagedPolicy`). A managed policy from outside the template cannot be read
offline, so actions it could grant are not reported; a few AWS managed policies are known to grant only other
services' actions and are taken into account (`AWSLambdaBasicExecutionRole`, `AWSLambdaVPCAccessExecutionRole`,
`AWSLambdaExecute`, `AWSXrayWriteOnlyAccess`, `AWSXRayDaemonWriteAccess`, `AWSLambdaSQSQueueExecutionRole`,
`AWSLambdaDynamoDBExecutionRole`, `AWSLambdaKinesisExecutionRole`, `CloudWatchLambdaInsightsExecutionRolePolicy`).
A `Deny` that applies only under a condition (a region guardrail, say) is not reported on its own.

A role is a deploy role, in this order, when (1) its Metadata names a profile
(`sam-shift-lint: {profile: deploy-role}`, a bundled profile: `deploy-role`, `hook-function` or
`codedeploy-service-role`, or one the configuration file declares under `profiles`; `none` turns the check off
for that role; a file path is reported, not read: a template must not choose which files the linter opens);
(2) its trust policy lets `cloudformation.amazonaws.com` assume it
(`Service` as a string, a list, `!Sub cloudformation.${AWS::URLSuffix}` or an `Fn::Join`); (3) its `RoleName`
(also inside `!Sub`) or its logical id matches `CodeStarWorker*CloudFormation*`. A template without SAM content
is checked only when it holds a deploy role. A policy file is checked when its name contains
`CloudFormationRolePolicy`, a `policy-profiles` glob of the configuration file matches it, or it is named on the
command line with `--policy-profile`.

When the policy is also paired with the templates it deploys
([E9206](#e9206-deploy-role-misses-template-needs)), an action those templates need is reported by E9206 or
W9207, with the resource that needs it, and not again here (as long as that rule runs); this rule keeps the
profile's actions the templates do not need (yet).

## Why it breaks deployments
Once a function has a `DeploymentPreference`, CloudFormation creates a CodeDeploy application and deployment
group and starts deployments with the deploy role. A role without `codedeploy:CreateDeploymentGroup` and the
rest fails the stack update halfway, and rolls back.

## Example
```json
{"Statement": [{"Effect": "Allow", "Action": ["lambda:*", "s3:GetObject"], "Resource": "*"}]}
```
Use instead: also allow the CodeDeploy actions of the `deploy-role` profile on their resources.

## Fix safety
Safe. Appends one statement per requirement group with missing actions to the role's first inline policy,
else to a policy attached to that role alone, else as a new inline policy `GradualDeploymentPermissions`;
resources are `!Sub` (`Fn::Sub` in files without short-form tags and in JSON) patterns with
`${AWS::Partition}`, `${AWS::Region}` and `${AWS::AccountId}`. In a policy file the statements use
`--region`/`--account-id` or the values all the file's ARNs agree on; when neither tells, nothing is changed
and the message says which flag to pass. Denied and only-conditional actions are never "fixed" by adding an
`Allow`.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from sam_shift_lint.checks.base import finding_at
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.deploy.deploy_needs import PairedTarget, file_target, role_anchor, role_target
from sam_shift_lint.checks.iam.gaps import Gap, coverage_gaps, file_work, gaps_text, missing_count, parse_documents, resource_condition
from sam_shift_lint.checks.iam.grants import StatementBuilder, grant_on_role, new_statement, sid_for, sub_or_text
from sam_shift_lint.checks.iam.options import (
    STATEMENT_NOT_A_LIST,
    Bindings,
    bundled_profile,
    file_bindings,
    pass_flags_fix,
    profile_for,
    template_profile,
    unbound_flags,
    with_bound_values,
)
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta, Target
from sam_shift_lint.editing.builder import FixBuilder
from sam_shift_lint.editing.positions import EditError
from sam_shift_lint.editing.render import Value
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.model.iam_view import DEPLOY_ROLE_PROFILE, PolicyNode, PolicySetView, Role
from sam_shift_lint.parsing.document import Document
from sam_shift_lint.parsing.errors import shorten
from sam_shift_lint.parsing.nodes import Mapping, Sequence
from sam_shift_lint.records import record

if TYPE_CHECKING:  # the IAM package loads only when a file has roles or policies to check
    from sam_shift_lint.iam.profiles import Profile

META = RuleMeta(
    id="E9201",
    name="deploy-role-missing-permissions",
    summary="Deploy role does not grant what gradual deployments need",
    tags=("iam", "sam", "codedeploy"),
    fix=FixAvailability.SOMETIMES,
    targets=frozenset({Target.TEMPLATE, Target.POLICY_FILE}),
    settings=("region", "account_id"),
)

DEPLOY_POLICY_NAME = "GradualDeploymentPermissions"
POLICY_FILE_MARKER = "CloudFormationRolePolicy"


@record(frozen=True)
class _RoleGaps:
    role: Role
    gaps: list[Gap]


@record(frozen=True)
class _FileGaps:
    """The policy file's fix, built once by the check (its note is part of the message)."""

    fix: Fix | None


def check(ctx: CheckContext) -> Iterator[Finding]:
    if ctx.target is Target.POLICY_FILE:
        yield from _policy_file_coverage(ctx)
    else:
        yield from _template_coverage(ctx)


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    data = finding.data
    if isinstance(data, _RoleGaps):
        edits = FixBuilder(ctx.document)
        try:
            grant_on_role(edits, ctx.iam, data.role, _deploy_statements(data.gaps, sub_or_text), DEPLOY_POLICY_NAME)
        except EditError:
            return None
        return edits.build(Applicability.SAFE, _grant_description(data.gaps))
    if isinstance(data, _FileGaps):
        return data.fix
    return None


def _deploy_statements(gaps: list[Gap], resource: Callable[[str], Value]) -> StatementBuilder:
    """One statement per group with missing actions, on the group's first resource pattern."""

    def build(siblings: Sequence | None) -> list[dict[str, Value]]:
        return [
            new_statement(gap.missing, resource(gap.group.resources[0]), siblings, sid_for(gap.group.name))
            for gap in gaps
            if gap.missing
        ]

    return build


def _left_to_deploy_checks(ctx: CheckContext, gaps: list[Gap], target: PairedTarget | None) -> list[Gap]:
    """The gaps without the actions E9206 and W9207 report for the same policy (when they run): those name the
    template resources that need them, so each action is reported once."""
    if target is None or not gaps:
        return gaps
    from sam_shift_lint.checks.deploy import e9206_deploy_role_misses_template_needs as required
    from sam_shift_lint.checks.deploy import w9207_deploy_role_misses_conditional_needs as conditional

    taken = target.reported(ctx, required.META.id, conditional.META.id)
    if not taken:
        return gaps
    rests = [gap.without(taken) for gap in gaps]
    return [rest for rest in rests if rest.missing or rest.denied or rest.conditional]


def _grant_description(gaps: list[Gap]) -> str:
    count = missing_count(gaps)
    return f"Grant the {count} missing action{'' if count == 1 else 's'}"


# ---------------------------------------------------------------------------------------------- templates


def _template_profile(name: str, ctx: CheckContext) -> Profile:
    """The profile a role's Metadata names: one the configuration declares by that name, or a bundled one. A
    template (from a pull request, say) must not choose which files the linter opens, so a path is refused, not
    read: only the configuration's declared profile files can be opened on a template's say."""
    from sam_shift_lint.iam.profiles import ProfileError, available_profiles, looks_like_path

    declared = template_profile(name, ctx.lint)
    if declared is not None:
        return declared
    if looks_like_path(name):
        raise ProfileError(
            f"a template names only bundled profiles ({', '.join(available_profiles())}); "
            "give a profile file on the command line (--policy-profile)"
        )
    return bundled_profile(name)


def _template_coverage(ctx: CheckContext) -> Iterator[Finding]:
    roles = ctx.iam.profiled_roles()
    if not roles:
        return
    from sam_shift_lint.iam.profiles import ProfileError

    file = ctx.file
    bindings = ctx.shared(file_bindings)
    for role in roles:
        node, path = role_anchor(role)
        try:
            profile = _template_profile(str(role.profile), ctx)
        except ProfileError as error:
            where = role.profile_node or role.key
            yield finding_at(
                META.id,
                f"Role '{role.logical_id}': cannot check its policies against profile '{shorten(str(role.profile))}': {error}",
                file,
                where,
                role.logical_id,
                role.path("Metadata") if role.profile_node is not None else role.path(),
            )
            continue
        policies = role.policies
        gaps = coverage_gaps(
            parse_documents(policies.readable, resource_condition(role.resource)), policies, profile, bindings, work=ctx.shared(file_work)
        )
        gaps = _left_to_deploy_checks(ctx, gaps, role_target(ctx, role) if ctx.lint.deploys else None)
        if not gaps:
            continue
        message = (
            f"Deploy role '{role.logical_id}' ({role.deploy_reason}) does not grant what profile '{profile.name}' "
            f"requires: {gaps_text(gaps)}"
        )
        data = _RoleGaps(role, gaps) if missing_count(gaps) else None
        yield Finding(META.id, message, file, node.span, role.logical_id, tuple(path), data=data)


# ---------------------------------------------------------------------------------------------- policy files


def policy_file_profile(document: Document, settings_profile: str | None) -> str | None:
    """The profile a policy file is checked against: ``--policy-profile``, or deploy-role by its name."""
    if settings_profile:
        return settings_profile
    if POLICY_FILE_MARKER in os.path.basename(document.path):
        return DEPLOY_ROLE_PROFILE
    return None


def _policy_file_coverage(ctx: CheckContext) -> Iterator[Finding]:
    from sam_shift_lint.iam.profiles import ProfileError

    document = ctx.document
    root = document.root
    assert isinstance(root, Mapping)
    spec = policy_file_profile(document, ctx.lint.policy_profile)
    if not spec:
        return
    bindings = ctx.shared(file_bindings)
    anchor = root.key_node("Statement") or root
    try:
        profile = profile_for(spec, ctx.lint)  # validated with the command line or the configuration already
    except ProfileError as error:  # changed since: cannot happen in one process, but in a worker of a pool
        yield Finding(META.id, f"Cannot check the policy against profile '{shorten(spec)}': {error}", document.path, anchor.span, None, ("Statement",))
        return
    node = PolicyNode(root, (), "", os.path.basename(document.path) or "policy")
    policies = PolicySetView([node])
    gaps = coverage_gaps(parse_documents([node]), policies, profile, bindings, work=ctx.shared(file_work))
    gaps = _left_to_deploy_checks(ctx, gaps, file_target(ctx) if ctx.lint.deploys else None)
    if not gaps:
        return
    message = f"Policy does not grant what profile '{profile.name}' requires: {gaps_text(gaps)}"
    data = None
    if missing_count(gaps):
        file_fix, note = _policy_file_fix(document, root, gaps, bindings)
        if note:
            message += f" ({note})"
        data = _FileGaps(file_fix)
    yield Finding(META.id, message, document.path, anchor.span, None, ("Statement",), data=data)


def _policy_file_fix(document: Document, root: Mapping, gaps: list[Gap], bindings: Bindings) -> tuple[Fix | None, str]:
    """(the fix, a note for the message): statements whose resources use the bound region and account."""
    flags = unbound_flags((gap.group.resources[0] for gap in gaps if gap.missing), bindings)
    if flags:
        return pass_flags_fix(flags), f"pass {' and '.join(flags)} to let --fix add the missing statements"
    statements = root.get("Statement")
    if not isinstance(statements, Sequence):
        return Fix(Applicability.DISPLAY, STATEMENT_NOT_A_LIST), ""
    edits = FixBuilder(document)
    try:
        edits.append(statements, ("Statement",), _deploy_statements(gaps, lambda pattern: with_bound_values(pattern, bindings))(statements))
    except EditError:
        return None, ""
    return edits.build(Applicability.SAFE, _grant_description(gaps)), ""
