"""CodeDeploy lifecycle hooks as the SAM translator and CodeDeploy read them.

* SAM copies ``Hooks.PreTraffic`` / ``Hooks.PostTraffic`` verbatim into the alias ``UpdatePolicy``
  (``CodeDeployLambdaAliasUpdate.BeforeAllowTrafficHook`` / ``AfterAllowTrafficHook``,
  ``deployment_preference_collection.py::update_policy``), whose values are Lambda function **names**
  (CloudFormation ``UpdatePolicy`` reference). ``!Ref Hook`` gives the name; ``!GetAtt Hook.Arn`` passes
  through unchanged; a plain string is taken as a function name.
* A deployment group whose preference sets no ``Role`` gets ``ServiceRoleArn: !GetAtt CodeDeployServiceRole.Arn``,
  a role SAM creates with the managed policy ``service-role/AWSCodeDeployRoleForLambda``
  (``...Limited`` in ``aws-iso``/``aws-iso-b``; ``get_codedeploy_iam_role``). That policy allows
  ``lambda:InvokeFunction`` only on ``arn:aws:lambda:*:*:function:CodeDeployHook_*`` (AWS managed policy
  reference, AWSCodeDeployRoleForLambda v3), so a hook must be *named* ``CodeDeployHook_...``.
* A function without ``FunctionName`` gets a generated name (``<stack>-<LogicalId>-<suffix>``); stack names
  match ``[a-zA-Z][-a-zA-Z0-9]*`` (no underscore).

Hooks are resolved with :meth:`SamTemplate.function_referenced_by` (one place for Ref/GetAtt/Sub/literal names).
"""
from __future__ import annotations

import enum
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sam_shift_lint.model.intrinsics import getatt_attribute, getatt_target, if_branches, is_no_value, ref_target
from sam_shift_lint.model.preference import preference_state
from sam_shift_lint.model.sam import GLOBALS_FUNCTION_PATH, HOOK_KEYS, UNKNOWN, Function, SamTemplate
from sam_shift_lint.records import record

if TYPE_CHECKING:  # the IAM package is imported only when a rule evaluates policies (it is slow to import)
    from sam_shift_lint.iam.intrinsics import Context
    from sam_shift_lint.iam.pattern import Pattern
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence, get_path, to_data

HOOK_NAME_PREFIX = "CodeDeployHook_"
FUNCTION_NAME_MAX = 64
LAMBDA_FUNCTION_TYPE = "AWS::Lambda::Function"
DEFAULT_CODEDEPLOY_POLICY = "AWSCodeDeployRoleForLambda"
PSEUDO_STACK_NAME = "AWS::StackName"


@record(frozen=True)
class HookUse:
    """One hook value of a preference that may be enabled (an ``Fn::If`` branch counts on its own)."""

    owner: Function  # the function whose deployment runs the hook
    key: str  # PreTraffic / PostTraffic
    node: Node  # the value as written
    path: tuple[Any, ...]  # where the value is written (in Globals when inherited)
    target: str | None  # the logical id of the SAM function it names, if any
    default_role: bool  # the deployment group runs with SAM's CodeDeployServiceRole

    @property
    def inherited(self) -> bool:
        return self.path[:2] == GLOBALS_FUNCTION_PATH


def hook_uses(template: SamTemplate) -> list[HookUse]:
    """Every hook value of every preference that may be enabled, in template order of the owners."""
    uses: list[HookUse] = []
    global_hooks = get_path(template.globals_function, "DeploymentPreference", "Hooks")
    for function in template.functions.values():
        state = preference_state(template, function)
        preference = state.node
        if not (state.present and state.maybe_enabled and isinstance(preference, Mapping)) or preference.intrinsic():
            continue
        hooks = preference.get("Hooks")
        if not isinstance(hooks, Mapping) or hooks.intrinsic() is not None:
            continue
        role = preference.get("Role")
        default_role = role is None or (isinstance(role, Scalar) and role.value in (None, ""))
        for key in HOOK_KEYS:
            value = hooks.get(key)
            if value is None:
                continue
            inherited = isinstance(global_hooks, Mapping) and global_hooks.get(key) is value
            base = GLOBALS_FUNCTION_PATH + ("DeploymentPreference", "Hooks", key) if inherited else function.path(
                "DeploymentPreference", "Hooks", key
            )
            for branch, _, extra in if_branches(value):
                if is_no_value(branch) or (isinstance(branch, Scalar) and branch.value in (None, "")):
                    continue
                target = template.function_referenced_by(branch)
                uses.append(HookUse(function, key, branch, base + extra, target, default_role))
    return uses


# ------------------------------------------------------------------------------------------------ hook values


class RefKind(enum.Enum):
    """What a hook value names, as CodeDeploy will read it (a function name)."""

    FUNCTION = "function"  # !Ref F, a literal FunctionName, !Sub ${F}: a function name
    GETATT_ARN = "getatt-arn"  # !GetAtt F.Arn of a function in the template: an ARN, not a name
    LOGICAL_ID = "logical-id"  # a plain string equal to a function's logical id (not its name)
    NOT_FUNCTION = "not-function"  # a Ref/GetAtt/string naming a resource that is not a function
    NOTHING = "nothing"  # a plain string that names nothing in the template
    UNKNOWN = "unknown"  # a parameter, an import, a computed name...


@record(frozen=True)
class HookReference:
    kind: RefKind
    name: str | None = None  # the logical id involved, if any
    resource_type: str | None = None


def lambda_functions(template: SamTemplate) -> frozenset[str]:
    """Logical ids of every function resource: SAM functions and ``AWS::Lambda::Function`` (read once per
    document: every hook asks)."""
    memo = template.document.memo
    if "hooks.lambda_functions" not in memo:
        memo["hooks.lambda_functions"] = frozenset(template.functions) | {
            k for k in template.resources if template.resource_type(k) == LAMBDA_FUNCTION_TYPE
        }
    found: frozenset[str] = memo["hooks.lambda_functions"]
    return found


def _literal_function_names(template: SamTemplate) -> tuple[frozenset[str], bool]:
    """Literal ``FunctionName`` values of the template's functions, and whether some name is computed (read
    once per document)."""
    memo = template.document.memo
    if "hooks.literal_function_names" not in memo:
        memo["hooks.literal_function_names"] = _read_literal_function_names(template)
    found: tuple[frozenset[str], bool] = memo["hooks.literal_function_names"]
    return found


def _read_literal_function_names(template: SamTemplate) -> tuple[frozenset[str], bool]:
    names: set[str] = set()
    computed = False
    for logical_id in lambda_functions(template):
        function = template.functions.get(logical_id)
        node = function.get("FunctionName") if function is not None else get_path(
            template.resources.get(logical_id), "Properties", "FunctionName"
        )
        if isinstance(node, Scalar) and isinstance(node.value, str):
            names.add(node.value)
        elif node is not None and not (isinstance(node, Scalar) and node.value is None):
            computed = True
    return frozenset(names), computed


def hook_reference(template: SamTemplate, node: Node) -> HookReference:
    """Classify one hook value (an ``Fn::If`` branch)."""
    functions = lambda_functions(template)
    if isinstance(node, Scalar):
        if not isinstance(node.value, str):
            return HookReference(RefKind.UNKNOWN)
        names, computed = _literal_function_names(template)
        if node.value in names:
            return HookReference(RefKind.FUNCTION, template.function_referenced_by(node))
        if node.value in functions:
            return HookReference(RefKind.LOGICAL_ID, node.value)
        if node.value in template.resources:
            return HookReference(RefKind.NOT_FUNCTION, node.value, template.resource_type(node.value))
        return HookReference(RefKind.UNKNOWN if computed else RefKind.NOTHING, None)
    target = ref_target(node)
    if target is not None:
        if target in functions:
            return HookReference(RefKind.FUNCTION, target)
        if target in template.resources:
            return HookReference(RefKind.NOT_FUNCTION, target, template.resource_type(target))
        return HookReference(RefKind.UNKNOWN, target)  # a parameter, a pseudo parameter, F.Alias ...
    target = getatt_target(node)
    if target is not None:
        if target in functions and getatt_attribute(node) == "Arn":
            return HookReference(RefKind.GETATT_ARN, target)
        if target in template.resources and target not in functions:
            return HookReference(RefKind.NOT_FUNCTION, target, template.resource_type(target))
        return HookReference(RefKind.UNKNOWN, target)
    return HookReference(RefKind.UNKNOWN)


# ------------------------------------------------------------------------------------------------ hook names


class NameVerdict(enum.Enum):
    OK = "ok"
    FAILS = "fails"
    UNKNOWN = "unknown"


def _text_verdict(text: str) -> NameVerdict:
    """Whether an ``Fn::Sub`` text (or a literal) starts with ``CodeDeployHook_`` whatever its variables are."""
    head, _, rest = text.partition("${")
    if head.startswith(HOOK_NAME_PREFIX):
        return NameVerdict.OK
    if not rest:
        return NameVerdict.FAILS  # a literal
    if not HOOK_NAME_PREFIX.startswith(head):
        return NameVerdict.FAILS
    variable, _, after = rest.partition("}")
    if not head and variable.strip() == PSEUDO_STACK_NAME:
        # A stack name has no underscore, so only letters, digits or a '_' right after it could complete
        # CodeDeployHook_ (``${AWS::StackName}-hook`` never does).
        if not after or (after[0] != "_" and not after[0].isalnum() and not after.startswith("${")):
            return NameVerdict.FAILS
    return NameVerdict.UNKNOWN


def hook_name_verdict(template: SamTemplate, function: Function) -> tuple[NameVerdict, Any]:
    """Does the function's name start with ``CodeDeployHook_``? Also returns the name (or a description)."""
    node = function.get("FunctionName")
    if node is None or (isinstance(node, Scalar) and node.value is None):
        return NameVerdict.FAILS, None
    verdicts: list[NameVerdict] = []
    names: list[Any] = []
    for value in _name_candidates(template, node):
        if isinstance(value, str):
            verdicts.append(_text_verdict(value))
            names.append(value)
        else:
            verdicts.append(NameVerdict.UNKNOWN)
    if verdicts and all(v is NameVerdict.FAILS for v in verdicts):
        return NameVerdict.FAILS, names[0] if len(names) == 1 else names
    if verdicts and all(v is NameVerdict.OK for v in verdicts):
        return NameVerdict.OK, names
    return NameVerdict.UNKNOWN, names


def _name_candidates(template: SamTemplate, node: Node) -> Iterator[Any]:
    for branch, _, _ in if_branches(node):
        intrinsic = branch.intrinsic() if isinstance(branch, Mapping) else None
        if intrinsic is not None and intrinsic[0] == "Fn::Sub":
            argument = intrinsic[1]
            text = argument.items[0] if isinstance(argument, Sequence) and argument.items else argument
            yield text.value if isinstance(text, Scalar) and isinstance(text.value, str) else UNKNOWN
            continue
        for value in template.candidates(branch, through_if=False):
            yield value if isinstance(value, str) else UNKNOWN


def hook_function_name(logical_id: str) -> str:
    """The name the fix gives a hook: ``CodeDeployHook_<LogicalId>``, at most 64 characters."""
    return (HOOK_NAME_PREFIX + logical_id)[:FUNCTION_NAME_MAX]


# ------------------------------------------------------------------------------------------------ version ARNs

LAMBDA_FUNCTION_ARN = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:"


GENERATED_NAME_SUFFIX = "GENERATED1234"  # stands for the random suffix of a name CloudFormation generates
STACK_NAME = "STACKNAME0"  # stands for the stack's name (one value for the whole template)
NEW_VERSION = "1234567890"  # stands for the number of the version a deployment publishes


def generated_function_name(logical_id: str) -> str:
    """A function name as CloudFormation generates it without ``FunctionName`` (``<stack>-<LogicalId>-<suffix>``)."""
    return f"{STACK_NAME}-{logical_id}-{GENERATED_NAME_SUFFIX}"


def function_arns(template: SamTemplate) -> tuple[Context, dict[str, str]]:
    """How policies may write the functions of the template, and the ARN of the version a deployment publishes
    for each SAM function (the ARN a pre-traffic hook must be allowed to invoke).

    The context makes the ways of naming a function read alike: ``!Ref F`` (its name: the literal or
    computed ``FunctionName``, else a generated name), ``!GetAtt F.Arn`` (``arn:...:function:<name>``) and
    ``!Ref F.Version`` (SAM's version resource: ``arn:...:function:<name>:<number>``). The required ARN is
    ``arn:...:function:<name>:<number>``: a grant on the unqualified function ARN does not cover it. Generated
    names, the stack name and the version number are written as literals (not symbols), so that the IAM engine
    cannot take ``function:<name>`` for a possible match of ``function:<name>:<number>``.
    """
    from sam_shift_lint.iam.intrinsics import Context, resolve
    from sam_shift_lint.iam.pattern import Pattern, parse_glob, parse_template

    base = Context(patterns={PSEUDO_STACK_NAME: parse_glob(STACK_NAME)})
    patterns: dict[str, Pattern] = dict(base.patterns)
    versions: dict[str, str] = {}
    for logical_id in sorted(lambda_functions(template)):
        function = template.functions.get(logical_id)
        name_node = function.get("FunctionName") if function is not None else get_path(
            template.resources.get(logical_id), "Properties", "FunctionName"
        )
        name: Pattern | None = None
        if name_node is not None and not (isinstance(name_node, Scalar) and name_node.value is None):
            value = resolve(to_data(name_node), base)
            name = value if isinstance(value, Pattern) else None
        if name is None:
            name = parse_glob(generated_function_name(logical_id))
        arn = parse_template(LAMBDA_FUNCTION_ARN) + name
        patterns[logical_id] = name
        patterns[f"{logical_id}.Arn"] = arn
        if function is not None:
            version = arn + parse_glob(":" + NEW_VERSION)
            patterns[f"{logical_id}.Version"] = version
            patterns[f"{logical_id}.Version.Version"] = parse_glob(NEW_VERSION)
            versions[logical_id] = version.text
    return Context(patterns=patterns), versions
