"""## What it does
Checks a deploy role against what the templates it deploys really need: every permission
`sam-shift-lint permissions` derives from them (each resource type's handler permissions, pruned to what the
resources use, scoped to their ARNs; `iam:PassRole` with its `iam:PassedToService`; reads of the packaged code),
asked of the role's policy as IAM evaluates it (an explicit `Deny` wins; wildcards; a statement under an IAM
`Condition` or `Fn::If` grants only conditionally, except that passing a role is allowed by an `Allow` whose
`StringEquals`/`StringLike` on `iam:PassedToService` names the service it is passed to). The message names each missing action with the template
resources that need it, and says which ones a `Deny` reaches or a condition gates. `cloudformation:CreateChangeSet`
on a transform is left out: the caller that creates the change set needs it, not the role CloudFormation deploys
with.

It runs only on a policy that is paired with the templates it deploys (see
[Deploy roles and their templates](#deploy-roles-and-their-templates)): a policy file, or a deploy role in a template (a toolchain
template). Without a configuration, two layouts are paired automatically: a CodeStar project, where a policy file
whose name contains `CloudFormationRolePolicy`, or a `toolchain.yml`/`toolchain.yaml` (its deploy roles), sits
next to the `template.yml` (else `template.yaml`) it deploys; and a checked-in `sam pipeline` bootstrap template,
`stage_resources.yaml`/`stage_resources.yml` (its `CloudFormationExecutionRole`), next to the `template.yaml`
(else `template.yml`) it deploys. A template that cannot be read or translated is
reported here too (the check would be incomplete without it).

**Error or warning.** A missing action is reported here when some resource needs it on every deployment or to
delete the stack, that is for one of:

- its **create** handler, after pruning to the properties the resource uses (`iam:GetRolePolicy` only for a
  role with `Policies`, the KMS actions only with a key ...);
- its **delete** handler, except the actions that only read (`Get*`, `List*`, `Describe*`, API Gateway's
  `GET`): deleting the stack, and rolling back a failed create, call it;
- its **update** handler, for what deploying new code changes (the reviewed table
  `sam_shift_lint/permissions/data/deployments.json`): a function's `lambda:UpdateFunctionCode`, an alias's
  `lambda:UpdateAlias` and, with a `DeploymentPreference`, the CodeDeploy deployment that update is, a state
  machine's `states:UpdateStateMachine`, a nested stack's `cloudformation:UpdateStack`;
- what no handler lists: `iam:PassRole`, reads of the packaged code, nested applications, custom resources,
  container images.

Every other missing action is [W9207](#w9207-deploy-role-misses-conditional-needs): needed only by the read
handler, only by the update handler (to change a property: `iam:UpdateAssumeRolePolicy` when the trust policy
changes, `iam:PutRolePermissionsBoundary` when the boundary does; the create handler passes the boundary to
`CreateRole`), only to read during a delete, only under a template condition, or assumed for a type without
handler data. An action needed in both ways is an error, naming every resource that needs it. Why: the handler
lists are what the registry handlers *may* call, each update handler's for every property it can change, and
CloudFormation provisions some older types natively; the CodeStar worker policy that AWS generated for projects
like the bundled example grants none of the IAM role's read or update-only actions, and those deployments work.

When E9201 also applies to the policy, an action the templates need is reported here (with the resource), not
again by E9201.

## Why it breaks deployments
CloudFormation calls each resource's handlers with the deploy role. A handler permission the role lacks fails
the stack operation at that resource and rolls the deployment back: turning on `DeploymentPreference`, adding
an alarm, a queue or tags each needs permissions the role did not need before.

## Example
```json
{"Statement": [{"Effect": "Allow", "Action": ["lambda:*", "iam:*", "s3:GetObject"], "Resource": "*"}]}
```
paired with a template whose function has a `DeploymentPreference`: the CodeDeploy application and deployment
group need `codedeploy:CreateApplication`, `codedeploy:CreateDeploymentGroup` ... Use instead: add the statements
`sam-shift-lint permissions template.yaml` prints for them.

## Fix safety
Unsafe: adds the statements `sam-shift-lint permissions` would write for the missing actions that an `Allow`
can grant (grouped and scoped the same way, `iam:PassedToService` conditions included, with their `Sid`s when every
statement beside them has one),
but only those: a denied action, one granted only under a condition, or a W9207 one is never "fixed". The
placeholders for names CloudFormation generates (`${StackName}`, `${ArtifactBucket}`) become `*`. In a
template the statements go where E9201's do (the role's first inline policy ...), with `!Sub` resources; in a
policy file the resources use `--region`/`--account-id` or the values all the file's ARNs agree on, and when
neither tells, nothing is changed and the fix says which flag to pass. Unsafe because the derived permissions
are AWS's published handler data, not a proof: review them (`sam-shift-lint permissions --explain`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.deploy.deploy_needs import PairedTarget, Shortfall, describe, missing_roles, paired_targets
from sam_shift_lint.checks.iam.grants import grant_on_role, new_statement, sub_or_text
from sam_shift_lint.checks.iam.options import (
    STATEMENT_NOT_A_LIST,
    Bindings,
    file_bindings,
    pass_flags_fix,
    unbound_flags,
    with_bound_values,
)
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta, Target
from sam_shift_lint.editing.builder import FixBuilder
from sam_shift_lint.editing.positions import EditError
from sam_shift_lint.editing.render import Value
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.model.values import MAX_DESCRIBED
from sam_shift_lint.parsing.errors import shorten
from sam_shift_lint.parsing.nodes import Mapping
from sam_shift_lint.parsing.nodes import Sequence as SequenceNode
from sam_shift_lint.records import record

if TYPE_CHECKING:  # the permissions package loads only for a paired policy
    from sam_shift_lint.permissions.policy import Statement

META = RuleMeta(
    id="E9206",
    name="deploy-role-misses-template-needs",
    summary="Deploy role does not allow what the templates it deploys need",
    tags=("iam", "sam", "deploy-permissions"),
    fix=FixAvailability.SOMETIMES,
    targets=frozenset({Target.TEMPLATE, Target.POLICY_FILE}),
    settings=("region", "account_id"),
)

DEPLOY_POLICY_NAME = "TemplateDeployPermissions"
GENERATED = ("${StackName}", "${ArtifactBucket}")  # names CloudFormation or sam deploy choose: any, in a fix


@record(frozen=True)
class _Grant:
    """What the fix adds: the grantable needs of one policy (the check's findings carry it)."""

    target: PairedTarget
    shortfalls: tuple[Shortfall, ...]
    bindings: Bindings


def check(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.lint.deploys:
        return
    for role in missing_roles(ctx):
        root = ctx.document.root
        yield Finding(
            META.id,
            f"The pairing ({shorten(ctx.lint.deploys_source, MAX_DESCRIBED)}) names role '{shorten(role, MAX_DESCRIBED)}', "
            "which the template does not have",
            ctx.file,
            root.span,
            None,
            (),
        )
    for target in ctx.shared(paired_targets):
        who = f"Deploy role '{target.logical_id}'" if target.logical_id else "Policy"
        for template, reason in target.errors:
            yield Finding(
                META.id,
                f"{who}: cannot check it against {template}, which it deploys: {reason}",
                ctx.file,
                target.node.span,
                target.logical_id,
                target.path,
            )
        required = [s for s in target.shortfalls if not s.conditional]
        if required:
            message = f"{who} does not allow what the templates it deploys need{describe(required)}"
            grantable = tuple(s for s in required if s.grantable)
            data = _Grant(target, grantable, ctx.shared(file_bindings)) if grantable else None
            yield Finding(META.id, message, ctx.file, target.node.span, target.logical_id, target.path, data=data)


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    data = finding.data
    if not isinstance(data, _Grant):
        return None
    from sam_shift_lint.permissions.policy import statements

    needs = [need for shortfall in data.shortfalls for need in shortfall.grantable]
    granted = statements(needs)
    count = len({need.action.lower() for need in needs})
    description = f"Allow the {count} missing action{'' if count == 1 else 's'} the templates need (scoped statements)"
    edits = FixBuilder(ctx.document)
    role = data.target.role
    if role is not None:
        def build_for_role(siblings: SequenceNode | None) -> list[dict[str, Value]]:
            return [_statement(s, siblings, lambda text: sub_or_text(_generated_any(text))) for s in granted]

        try:
            grant_on_role(edits, ctx.iam, role, build_for_role, DEPLOY_POLICY_NAME)
        except EditError:
            return None
        return edits.build(Applicability.UNSAFE, description)
    resources = [_generated_any(text) for s in granted for text in s.resources]
    flags = unbound_flags(resources, data.bindings)
    if flags:
        return pass_flags_fix(flags)
    root = ctx.document.root
    assert isinstance(root, Mapping)
    sequence = root.get("Statement")
    if not isinstance(sequence, SequenceNode):
        return Fix(Applicability.DISPLAY, STATEMENT_NOT_A_LIST)

    def concrete(text: str) -> Value:
        return with_bound_values(_generated_any(text), data.bindings)

    try:
        edits.append(sequence, ("Statement",), [_statement(s, sequence, concrete) for s in granted])
    except EditError:
        return None
    return edits.build(Applicability.UNSAFE, description)


def _generated_any(text: str) -> str:
    for placeholder in GENERATED:
        text = text.replace(placeholder, "*")
    while "**" in text:
        text = text.replace("**", "*")
    return text


def _statement(statement: Statement, siblings: SequenceNode | None, resource: Callable[[str], Value]) -> dict[str, Value]:
    """One statement of the permissions policy builder, written like its siblings."""
    resources: Sequence[Value] = [resource(text) for text in statement.resources]
    written = new_statement(statement.actions, resources[0], siblings, statement.sid)
    if len(resources) > 1:
        written["Resource"] = list(resources)
    if statement.condition:
        written["Condition"] = statement.condition_block()
    return written

