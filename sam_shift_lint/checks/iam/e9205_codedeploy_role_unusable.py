"""## What it does
Checks a role of this template that a function's `DeploymentPreference.Role` names (`!GetAtt Role.Arn`, also
from `Globals`): it must be a role CodeDeploy can use for the deployment SAM creates. Two findings are possible
per role:

- its trust policy (`AssumeRolePolicyDocument`) does not let `codedeploy.amazonaws.com` assume it (an `Allow`
  of `sts:AssumeRole` to that service, or to `*`);
- its policies do not grant what the AWS managed policy `AWSCodeDeployRoleForLambda` grants and these
  deployments use (the bundled requirement profile `codedeploy-service-role`): `lambda:GetAlias` and
  `lambda:UpdateAlias` on every function deployed with it, `cloudwatch:DescribeAlarms` on its `Alarms`,
  `lambda:InvokeFunction` on every `PreTraffic`/`PostTraffic` hook and `sns:Publish` on the topic of every
  `TriggerConfigurations` entry. The message lists what is missing per function, alarm, hook or topic, and
  what an explicit `Deny` or a condition stands in the way of.

The role's policies are gathered as for the other IAM rules (inline `Policies`, `AWS::IAM::Policy` and
`AWS::IAM::ManagedPolicy` resources attached to it), and `AWSCodeDeployRoleForLambda` and
`AWSCodeDeployRoleForLambdaLimited` in `ManagedPolicyArns` count with their documented statements (which
invoke only hooks named `CodeDeployHook_*`). Another managed policy from outside the template may grant
anything, so nothing it could grant is reported. A `Role` given as an ARN string, a parameter or an import
is not checked.

## Why it breaks deployments
CodeDeploy performs the deployment as this role. Without the trust, creating the deployment group fails
("CodeDeploy does not have the permissions required to assume the role") and the stack rolls back. Without the
permissions, the deployment fails when CodeDeploy reads or moves the alias, invokes a hook, reads an alarm or
notifies a trigger, and CloudFormation rolls the update back: a role written for "deploying Lambda" often
forgets the hooks, which SAM's own role may invoke only when they are named `CodeDeployHook_*`.

## Example
```yaml
Api:
  Type: AWS::Serverless::Function
  Properties:
    AutoPublishAlias: live
    DeploymentPreference:
      Type: Linear10PercentEvery1Minute
      Role: !GetAtt DeployRole.Arn
      Hooks:
        PreTraffic: !Ref CheckApi
DeployRole:
  Type: AWS::IAM::Role
  Properties:
    AssumeRolePolicyDocument:
      Statement:
        - Effect: Allow
          Principal: {Service: codedeploy.amazonaws.com}
          Action: sts:AssumeRole
    Policies:
      - PolicyName: deploy
        PolicyDocument:
          Statement:
            - Effect: Allow
              Action: [lambda:GetAlias, lambda:UpdateAlias]
              Resource: !GetAtt Api.Arn   # CheckApi cannot be invoked
```
Use instead: also allow `lambda:InvokeFunction` on `!GetAtt CheckApi.Arn`.

## Fix safety
Unsafe (it adds permissions). Appends to the role's first inline policy (else a policy attached to that role
alone, else a new inline policy `CodeDeployServiceRolePermissions`) one statement per kind of missing grant,
on the resources concerned: the functions' and hooks' ARNs
(`!Sub arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Fn}`), the alarms' ARNs, the
trigger topics. A missing trust is not fixed: who may assume a role is a security decision, and the message
says what to add. Denied and only-conditional grants are reported, not changed.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.iam.gaps import Gap, coverage_gaps, file_work, gaps_text, missing_count, parse_documents, resource_condition
from sam_shift_lint.checks.iam.grants import grant_on_role, new_statement, sid_for
from sam_shift_lint.checks.iam.options import bundled_profile, file_bindings
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta
from sam_shift_lint.editing.builder import FixBuilder
from sam_shift_lint.editing.positions import EditError
from sam_shift_lint.editing.render import Intrinsic, Value
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.model.deployment_group import DeploymentGroup, deployment_groups
from sam_shift_lint.model.iam_view import CODEDEPLOY_PRINCIPALS, CODEDEPLOY_SERVICE_ROLE_PROFILE, Role
from sam_shift_lint.model.intrinsics import getatt_target, literal_text, ref_target
from sam_shift_lint.model.sam import SamTemplate
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence
from sam_shift_lint.records import field, record

META = RuleMeta(
    id="E9205",
    name="codedeploy-role-unusable",
    summary="DeploymentPreference.Role cannot be used by CodeDeploy for this deployment",
    tags=("iam", "sam", "codedeploy"),
    fix=FixAvailability.SOMETIMES,
    settings=("region", "account_id"),
)

POLICY_NAME = "CodeDeployServiceRolePermissions"
ALARM_TYPES = ("AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm")


@record
class _Usage:
    """What the deployment groups that name one role need of it."""

    role: Role
    functions: list[str] = field(default_factory=list)
    items: dict[str, dict[str, Any]] = field(default_factory=dict)  # kind -> label -> Item
    symbols: dict[str, str] = field(default_factory=dict)  # logical id -> literal name (what Ref gives)


@record(frozen=True)
class _RoleGaps:
    role: Role
    gaps: list[Gap]


def check(ctx: CheckContext) -> Iterator[Finding]:
    usages = _usages(ctx)
    if not usages:
        return
    from sam_shift_lint.iam.profiles import instantiate

    bindings = ctx.shared(file_bindings)
    profile = bundled_profile(CODEDEPLOY_SERVICE_ROLE_PROFILE)
    for usage in usages.values():
        role = usage.role
        users = _names(usage.functions)
        if ctx.iam.trusts_service(role, CODEDEPLOY_PRINCIPALS) is False:
            yield _trust_finding(ctx, role, users)
        items = {kind: list(by_label.values()) for kind, by_label in usage.items.items()}
        policies = role.policies
        parsed = parse_documents(policies.readable, resource_condition(role.resource))
        gaps = coverage_gaps(parsed, policies, instantiate(profile, items), bindings, usage.symbols, ctx.shared(file_work))
        if not gaps:
            continue
        message = (
            f"Role '{role.logical_id}' is the CodeDeploy role of {users} (DeploymentPreference.Role) but does not "
            f"grant what the deployment needs: {gaps_text(gaps)}"
        )
        if role.known and any(gap.group.name.startswith("hook ") and gap.missing for gap in gaps):
            names = ", ".join(dict.fromkeys(policy.name for policy in role.known))
            message += f" ({names} lets CodeDeploy invoke only functions named CodeDeployHook_*)"
        node, path = _policies_anchor(role)
        data = _RoleGaps(role, gaps) if missing_count(gaps) else None
        yield Finding(META.id, message, ctx.file, node.span, role.logical_id, path, data=data)


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    data = finding.data
    if not isinstance(data, _RoleGaps):
        return None
    edits = FixBuilder(ctx.document)
    gaps = [gap for gap in data.gaps if gap.missing]

    def build(siblings: Sequence | None) -> list[dict[str, Value]]:
        return [new_statement(actions, resources, siblings, sid) for sid, actions, resources in _statements(gaps)]

    try:
        grant_on_role(edits, ctx.iam, data.role, build, POLICY_NAME)
    except EditError:
        return None
    count = missing_count(gaps)
    return edits.build(
        Applicability.UNSAFE, f"Grant role '{data.role.logical_id}' the {count} missing CodeDeploy permission{'' if count == 1 else 's'}"
    )


# ---------------------------------------------------------------------------------------------- usage


def _usages(ctx: CheckContext) -> dict[str, _Usage]:
    """The in-template roles deployment groups name, with what those groups need of them."""
    template = ctx.sam
    usages: dict[str, _Usage] = {}
    for group in deployment_groups(template):
        for node in group.roles:
            role = ctx.iam.role_referenced_by(node)
            if role is None or role.properties is None:
                continue
            usage = usages.setdefault(role.logical_id, _Usage(role))
            _add_group(template, usage, group)
    return usages


def _add_group(template: SamTemplate, usage: _Usage, group: DeploymentGroup) -> None:
    function = group.function
    if function.logical_id not in usage.functions:
        usage.functions.append(function.logical_id)
    _add(usage, "Function", function.logical_id, _function_values(template, usage, function.logical_id, "Function"))
    for hook in group.hooks:
        _add_hook(template, usage, hook)
    for alarm in group.alarms:
        _add_alarm(template, usage, alarm)
    for target in group.trigger_targets:
        text = _pattern_text(target)
        if text is not None:
            _add(usage, "Trigger", _label(target, text), {"Trigger": text})


def _add(usage: _Usage, kind: str, label: str, values: dict[str, str]) -> None:
    from sam_shift_lint.iam.profiles import Item

    usage.items.setdefault(kind, {}).setdefault(label, Item(label, values))


def _function_values(template: SamTemplate, usage: _Usage, logical_id: str, kind: str) -> dict[str, str]:
    """``${Kind}`` (what Ref gives: the name), ``${Kind.Arn}`` and ``${KindName}`` (FunctionName as written)."""
    values = {kind: f"${{{logical_id}}}", f"{kind}.Arn": f"${{{logical_id}.Arn}}"}
    name = template.functions[logical_id].get("FunctionName")
    text = _pattern_text(name) if name is not None else None
    if text is not None:
        values[f"{kind}Name"] = text
    if isinstance(name, Scalar) and isinstance(name.value, str) and name.value:
        usage.symbols[logical_id] = name.value
    return values


def _add_hook(template: SamTemplate, usage: _Usage, hook: Node) -> None:
    """A hook CodeDeploy invokes by the name SAM passes on: a function of this template (``!Ref``), or a
    literal name or ARN."""
    if isinstance(hook, Scalar):
        if isinstance(hook.value, str) and hook.value:
            key = "Hook.Arn" if hook.value.startswith("arn:") else "Hook"
            _add(usage, "Hook", hook.value, {key: hook.value})
        return
    logical_id = template.function_referenced_by(hook)
    if logical_id is not None:
        _add(usage, "Hook", logical_id, _function_values(template, usage, logical_id, "Hook"))
        return
    target = ref_target(hook)
    if target is not None and target in template.parameters:
        _add(usage, "Hook", target, {"Hook": f"${{{target}}}"})


def _add_alarm(template: SamTemplate, usage: _Usage, alarm: Node) -> None:
    """An alarm name: a literal, ``!Sub`` text, a parameter, or ``!Ref`` to an alarm of this template."""
    target = ref_target(alarm)
    if target is not None and template.resource_type(target) in ALARM_TYPES:
        name = _alarm_name(template, target)
        if name is not None:
            usage.symbols[target] = name
        _add(usage, "Alarm", target, {"Alarm": f"${{{target}}}", "Alarm.Arn": f"${{{target}.Arn}}"})
        return
    if target is not None and target not in template.parameters:
        return  # not an alarm name (another rule reports it)
    if getatt_target(alarm) is not None:
        return
    text = _pattern_text(alarm)
    if text is not None:
        _add(usage, "Alarm", _label(alarm, text), {"Alarm": text})


def _alarm_name(template: SamTemplate, logical_id: str) -> str | None:
    resource = template.resources.get(logical_id)
    properties = resource.get("Properties") if resource is not None else None
    name = properties.get("AlarmName") if isinstance(properties, Mapping) else None
    return name.value if isinstance(name, Scalar) and isinstance(name.value, str) and name.value else None


def _pattern_text(node: Node) -> str | None:
    """The value as profile pattern text (``${Name}`` for references), when it can be written so."""
    target = ref_target(node)
    if target is not None:
        return f"${{{target}}}"
    getatt = getatt_target(node)
    if getatt is not None:
        intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
        argument = intrinsic[1] if intrinsic else None
        if isinstance(argument, Scalar) and isinstance(argument.value, str):
            return f"${{{argument.value}}}"
        if isinstance(argument, Sequence):
            parts = [str(i.value) for i in argument.items if isinstance(i, Scalar)]
            if len(parts) == len(argument.items) == 2:
                return "${" + ".".join(parts) + "}"
        return None
    intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
    if isinstance(node, Scalar) or (intrinsic is not None and intrinsic[0] == "Fn::Sub" and isinstance(intrinsic[1], Scalar)):
        text = literal_text(node)
        return text or None
    return None


def _label(node: Node, text: str) -> str:
    target = ref_target(node)
    return target if target is not None else text


def _names(functions: list[str]) -> str:
    quoted = [f"'{name}'" for name in functions]
    if len(quoted) == 1:
        return f"function {quoted[0]}"
    return "functions " + ", ".join(quoted[:-1]) + " and " + quoted[-1]


# ---------------------------------------------------------------------------------------------- findings


def _policies_anchor(role: Role) -> tuple[Node, tuple[Any, ...]]:
    for document in role.inline:
        return document.node, tuple(document.path)
    return role.key, tuple(role.path())


def _trust_finding(ctx: CheckContext, role: Role, users: str) -> Finding:
    properties = role.properties
    key = properties.key_node("AssumeRolePolicyDocument") if properties is not None else None
    node: Node = key if key is not None else role.key
    path = role.path("Properties", "AssumeRolePolicyDocument") if key is not None else role.path()
    message = (
        f"Role '{role.logical_id}' is the CodeDeploy role of {users} (DeploymentPreference.Role) but its trust "
        "policy does not let codedeploy.amazonaws.com assume it: creating the deployment group fails. Allow "
        "sts:AssumeRole to Principal Service codedeploy.amazonaws.com (not fixed automatically: who may assume a "
        "role is a security decision)"
    )
    return Finding(META.id, message, ctx.file, node.span, role.logical_id, tuple(path))


# ---------------------------------------------------------------------------------------------- fix


def _statements(gaps: list[Gap]) -> list[tuple[str, list[str], Value]]:
    """(Sid, actions, resources) per requirement kind and set of missing actions, in the profile's order."""
    merged: dict[tuple[str, tuple[str, ...]], list[Value]] = {}
    for gap in gaps:
        kind = gap.group.name.split(" ", 1)[0]
        actions = tuple(a for a in gap.group.actions if a in gap.missing)
        resources = merged.setdefault((kind, actions), [])
        value = _resource_value(gap.group.resources[0])
        if value not in resources:
            resources.append(value)
    return [
        (sid_for(f"code-deploy-{kind}"), list(actions), resources if len(resources) > 1 else resources[0])
        for (kind, actions), resources in merged.items()
    ]


def _resource_value(pattern: str) -> Value:
    """A required resource pattern as a template value: ``!Ref X`` for ``${X}``, ``!Sub`` for other text
    with ``${...}``, else the text."""
    name = pattern[2:-1]
    if pattern.startswith("${") and pattern.endswith("}") and "${" not in name and "." not in name and "::" not in name:
        return Intrinsic("Ref", name)
    return Intrinsic("Fn::Sub", pattern) if "${" in pattern else pattern
