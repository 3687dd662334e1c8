"""The SAM view of a template: serverless functions with their effective properties after SAM's Globals
merge, hook functions, and parameter/mapping resolution.

The merge follows ``samtranslator/plugins/globals/globals.py`` (``GlobalProperties._do_merge``):
maps merge recursively, lists concatenate (global first), scalars and intrinsics are replaced by the
local value, and ``IgnoreGlobals`` (``'*'`` or a list of property names) removes globals per resource.
A function whose ``Properties`` is present but not a map (null, a list, a scalar, or an intrinsic, which the
merge treats as a primitive) gets no Globals: the translator's parser rejects the whole template ("Attribute
'Properties' should be a map.", ``parser.py``), or, for an intrinsic, the resource ("property Fn::If not
defined ..."). Such functions are kept apart (``unreadable_functions``), not in ``functions``.
Merged nodes keep the spans of the nodes they came from, so a finding about an inherited value points
at its line in ``Globals``.
"""
from __future__ import annotations

from typing import Any

from sam_shift_lint.model.intrinsics import if_branches, is_intrinsic, is_no_value
from sam_shift_lint.parsing.document import Document
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, ScalarValue, Sequence, get_path
from sam_shift_lint.records import field, record

FUNCTION_TYPE = "AWS::Serverless::Function"
SERVERLESS_TRANSFORM = "AWS::Serverless-2016-10-31"
LANGUAGE_EXTENSIONS_TRANSFORM = "AWS::LanguageExtensions"
DEPLOYMENT_CONFIG_TYPE = "AWS::CodeDeploy::DeploymentConfig"

# Pseudo parameters the SAM translator substitutes itself (SamParameterValues.add_pseudo_parameter_values).
TRANSLATOR_PSEUDO_PARAMETERS = ("AWS::Region", "AWS::Partition")

# Property names from SAM's "Function.Architectures" REPLACE strategy: lists replaced, not concatenated.
REPLACE_LISTS = {("Architectures",)}

UNKNOWN = object()  # a value that cannot be known before deployment

# The only Hooks keys SAM reads (DeploymentPreference.from_dict: hooks.get("PreTraffic"), hooks.get("PostTraffic")).
HOOK_KEYS = ("PreTraffic", "PostTraffic")

GLOBALS_FUNCTION_PATH: tuple[str, ...] = ("Globals", "Function")
ALL_GLOBALS = "*"


def ignored_globals(resource: Mapping) -> frozenset[object]:
    """The global property names a resource's ``IgnoreGlobals`` removes (``{"*"}``: all of them)."""
    ignore = resource.get("IgnoreGlobals")
    if isinstance(ignore, Scalar) and ignore.value == ALL_GLOBALS:
        return frozenset({ALL_GLOBALS})
    if isinstance(ignore, Sequence):
        return frozenset(item.value for item in ignore.items if isinstance(item, Scalar))
    return frozenset()


@record
class Function:
    """An ``AWS::Serverless::Function`` with its effective (Globals-merged) properties."""

    logical_id: str
    key: Scalar
    resource: Mapping
    local: Mapping | None
    effective: dict[str, Node] = field(default_factory=dict)
    effective_keys: dict[str, Scalar] = field(default_factory=dict)
    from_globals: set[str] = field(default_factory=set)

    def get(self, name: str) -> Node | None:
        return self.effective.get(name)

    def key_of(self, name: str) -> Scalar | None:
        return self.effective_keys.get(name)

    def path(self, *parts: str) -> tuple[str, ...]:
        return ("Resources", self.logical_id, "Properties") + tuple(parts)

    def can_inherit(self, name: str) -> bool:
        """Would a value written in ``Globals.Function`` reach this function as it is (not ignored, not set
        on the function)?"""
        ignored = ignored_globals(self.resource)
        if ALL_GLOBALS in ignored or name in ignored:
            return False
        return self.local is None or name not in self.local.entries


class SamTemplate:
    """Functions, parameters, mappings and hooks of one parsed template."""

    def __init__(self, document: Document) -> None:
        self.document = document
        root = document.root
        self.root: Mapping | None = root if isinstance(root, Mapping) else None
        self.parameters: dict[str, Mapping] = _mapping_children(get_path(root, "Parameters"))
        self.mappings: Mapping | None = _as_mapping(get_path(root, "Mappings"))
        self.resources: dict[str, Mapping] = _mapping_children(get_path(root, "Resources"))
        self.globals_function: Mapping | None = _as_mapping(get_path(root, "Globals", "Function"))
        self.functions: dict[str, Function] = {}
        # functions whose Properties SAM cannot read: logical id -> the resource
        self.unreadable_functions: dict[str, Mapping] = {}
        resources_node = get_path(root, "Resources")
        if isinstance(resources_node, Mapping):
            for logical_id, (key, resource) in resources_node.entries.items():
                if isinstance(resource, Mapping) and _scalar_value(resource.get("Type")) == FUNCTION_TYPE:
                    properties = resource.get("Properties")
                    if properties is not None and _as_mapping(properties) is None:
                        self.unreadable_functions[logical_id] = resource
                        continue
                    self.functions[logical_id] = self._function(logical_id, key, resource)
        self.hook_functions: set[str] = self._hook_functions()

    # ------------------------------------------------------------------------------------ structure

    def has_serverless_transform(self) -> bool:
        transform = get_path(self.root, "Transform")
        values: list[Node] = transform.items if isinstance(transform, Sequence) else [transform] if transform else []
        return any(isinstance(v, Scalar) and v.value == SERVERLESS_TRANSFORM for v in values)

    def is_sam(self) -> bool:
        if self.has_serverless_transform():
            return True
        return any(
            isinstance(_scalar_value(r.get("Type")), str) and str(_scalar_value(r.get("Type"))).startswith("AWS::Serverless::")
            for r in self.resources.values()
        )

    def _function(self, logical_id: str, key: Scalar, resource: Mapping) -> Function:
        local = _as_mapping(resource.get("Properties"))
        function = Function(logical_id, key, resource, local)
        globals_map = self._globals_for(resource)
        if globals_map is not None:
            for name, (gkey, gvalue) in globals_map.entries.items():
                function.effective[name] = gvalue
                function.effective_keys[name] = gkey
                function.from_globals.add(name)
        if local is not None:
            for name, (lkey, lvalue) in local.entries.items():
                if name in function.effective:
                    merged = merge(function.effective[name], lvalue, (name,))
                    function.effective[name] = merged
                    if merged is lvalue:
                        function.from_globals.discard(name)
                    else:
                        function.from_globals.add(name)
                    function.effective_keys[name] = lkey
                else:
                    function.effective[name] = lvalue
                    function.effective_keys[name] = lkey
        return function

    def _globals_for(self, resource: Mapping) -> Mapping | None:
        if self.globals_function is None:
            return None
        ignored = ignored_globals(resource)
        if ALL_GLOBALS in ignored:
            return None
        if ignored:
            filtered = Mapping(self.globals_function.span, self.globals_function.flow)
            filtered.entries = {k: v for k, v in self.globals_function.entries.items() if k not in ignored}
            return filtered
        return self.globals_function

    def language_extensions_first(self) -> bool:
        """Does ``AWS::LanguageExtensions`` run before SAM (listed before it)? Then its ``Fn::If`` branches are
        what SAM sees (see :mod:`sam_shift_lint.model.language_extensions`)."""
        transform = get_path(self.root, "Transform")
        if not isinstance(transform, Sequence):
            return False
        names = [item.value for item in transform.items if isinstance(item, Scalar)]
        first = LANGUAGE_EXTENSIONS_TRANSFORM
        return first in names and SERVERLESS_TRANSFORM in names and names.index(first) < names.index(SERVERLESS_TRANSFORM)

    def _hook_functions(self) -> set[str]:
        hooks: set[str] = set()
        resolved = self.language_extensions_first()
        for function in self.functions.values():
            preference = function.get("DeploymentPreference")
            for branch in _branches(preference, resolved):
                hook_value = get_path(branch, "Hooks")
                for hook_map in _branches(hook_value, resolved):
                    if not isinstance(hook_map, Mapping) or is_intrinsic(hook_map):
                        continue
                    hooks |= self.functions_named_in(hook_map)
        return hooks

    def functions_named_in(self, hook_map: Mapping) -> set[str]:
        """The functions the hook keys SAM reads of one ``Hooks`` map name (every ``Fn::If`` branch)."""
        names: set[str] = set()
        for target in hook_targets(hook_map):
            for value, _, _ in if_branches(target):
                name = self.function_referenced_by(value)
                if name:
                    names.add(name)
        return names

    def function_referenced_by(self, node: Node | None) -> str | None:
        """The logical id of the function a hook value names: ``!Ref F``, ``!GetAtt F.Arn``, ``!Sub ${F}``,
        or a literal name equal to a function's logical id or its literal ``FunctionName``."""
        if node is None:
            return None
        candidate: str | None = None
        if isinstance(node, Scalar) and isinstance(node.value, str):
            if node.value in self.functions:
                return node.value
            for logical_id, function in self.functions.items():
                name = function.get("FunctionName")
                if isinstance(name, Scalar) and name.value == node.value:
                    return logical_id
            return None
        intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
        if intrinsic is None:
            return None
        function_name, argument = intrinsic
        if function_name == "Ref" and isinstance(argument, Scalar):
            candidate = str(argument.value)
        elif function_name == "Fn::GetAtt":
            if isinstance(argument, Sequence) and argument.items and isinstance(argument.items[0], Scalar):
                candidate = str(argument.items[0].value)
            elif isinstance(argument, Scalar) and isinstance(argument.value, str):
                candidate = argument.value.split(".", 1)[0]
        elif function_name == "Fn::Sub" and isinstance(argument, Scalar) and isinstance(argument.value, str):
            text = argument.value.strip()
            if text.startswith("${") and text.endswith("}") and text.count("${") == 1:
                candidate = text[2:-1].split(".", 1)[0]
        if candidate in self.functions:
            return candidate
        return None

    # ------------------------------------------------------------------------------------ values

    def deployment_config_names(self) -> set[str]:
        """Literal ``DeploymentConfigName`` values of in-template ``AWS::CodeDeploy::DeploymentConfig`` resources."""
        names: set[str] = set()
        for resource in self.resources.values():
            if _scalar_value(resource.get("Type")) == DEPLOYMENT_CONFIG_TYPE:
                name = get_path(resource, "Properties", "DeploymentConfigName")
                if isinstance(name, Scalar) and isinstance(name.value, str):
                    names.add(name.value)
        return names

    def resource_type(self, logical_id: str) -> str | None:
        resource = self.resources.get(logical_id)
        value = _scalar_value(resource.get("Type")) if resource is not None else None
        return value if isinstance(value, str) else None

    def candidates(self, node: Node | None, through_if: bool = True) -> list[Any]:
        """Every value ``node`` may take, as far as the template tells: literals as themselves, a parameter
        ``Ref`` as its Default and AllowedValues, ``Fn::FindInMap`` looked up, ``Fn::If`` as both branches
        (when ``through_if``). Anything unknowable contributes ``UNKNOWN``; an intrinsic that stays
        unresolved contributes its node."""
        if node is None:
            return [None]
        if isinstance(node, Scalar):
            return [node.value]
        intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
        if intrinsic is None:
            return [node]
        name, argument = intrinsic
        if name == "Ref" and isinstance(argument, Scalar):
            return self._parameter_candidates(str(argument.value), node)
        if name == "Fn::FindInMap":
            return self._mapping_candidates(argument, node)
        if name == "Fn::If" and through_if and isinstance(argument, Sequence) and len(argument.items) == 3:
            values: list[Any] = []
            for branch in argument.items[1:]:
                if is_no_value(branch):
                    continue
                values.extend(self.candidates(branch, through_if))
            return values
        if name == "Fn::Sub" and isinstance(argument, Scalar) and isinstance(argument.value, str) and "${" not in argument.value:
            return [argument.value]
        return [node]

    def parameter_values(self, name: str) -> list[Any]:
        """The values a template parameter may take (Default and AllowedValues, as strings), or ``[UNKNOWN]``."""
        if name not in self.parameters:
            return [UNKNOWN]
        return self._parameter_candidates(name, self.parameters[name])

    def _parameter_candidates(self, name: str, node: Node) -> list[Any]:
        parameter = self.parameters.get(name)
        if parameter is None:
            return [node]
        values: list[Any] = []
        default = parameter.get("Default")
        if isinstance(default, Scalar):
            values.append(_parameter_string(default.value))
        allowed = parameter.get("AllowedValues")
        if isinstance(allowed, Sequence):
            for item in allowed.items:
                if isinstance(item, Scalar) and _parameter_string(item.value) not in values:
                    values.append(_parameter_string(item.value))
        return values or [UNKNOWN]

    def _mapping_candidates(self, argument: Node, node: Node) -> list[Any]:
        if not isinstance(argument, Sequence) or len(argument.items) != 3 or self.mappings is None:
            return [node]
        levels: list[str | None] = []
        for item in argument.items:
            if isinstance(item, Scalar):
                levels.append(str(item.value))
            else:
                levels.append(None)  # computed key: any entry at that level
        if levels[0] is None:
            return [node]
        top = _as_mapping(self.mappings.get(levels[0]))
        if top is None:
            return [node]
        values: list[Any] = []
        seconds = [top.get(levels[1])] if levels[1] is not None else [v for _, v in top.items()]
        for second in seconds:
            second_map = _as_mapping(second)
            if second_map is None:
                continue
            leaves = [second_map.get(levels[2])] if levels[2] is not None else [v for _, v in second_map.items()]
            values.extend(leaf.value for leaf in leaves if isinstance(leaf, Scalar))
        return values or [node]


def _branches(node: Node | None, resolved: bool) -> list[Node]:
    """``node``, or when ``Fn::If`` is resolved before SAM, the values its branches may give."""
    if node is None:
        return []
    return [value for value, _, _ in if_branches(node)] if resolved else [node]


def hook_targets(hook_map: Mapping) -> list[Node]:
    """The values of the hook keys SAM reads; any other key (``PreTrafic``, ``pretraffic``) is ignored by SAM."""
    return [value for key in HOOK_KEYS if (value := hook_map.get(key)) is not None]


def merge(global_node: Node, local_node: Node, path: tuple[str, ...]) -> Node:
    """SAM's ``GlobalProperties._do_merge`` on nodes."""
    global_kind = _token(global_node)
    local_kind = _token(local_node)
    if global_kind != local_kind or global_kind == "primitive":
        return local_node
    if global_kind == "dict":
        assert isinstance(global_node, Mapping) and isinstance(local_node, Mapping)
        merged = Mapping(local_node.span, local_node.flow)
        merged.entries = dict(global_node.entries)
        for key, (lkey, lvalue) in local_node.entries.items():
            if key in merged.entries:
                merged.entries[key] = (lkey, merge(merged.entries[key][1], lvalue, path + (key,)))
            else:
                merged.entries[key] = (lkey, lvalue)
        return merged
    assert isinstance(global_node, Sequence) and isinstance(local_node, Sequence)
    if path in REPLACE_LISTS:
        return local_node
    merged_list = Sequence(local_node.span, local_node.flow)
    merged_list.items = list(global_node.items) + list(local_node.items)
    return merged_list


def _token(node: Node) -> str:
    if isinstance(node, Mapping):
        return "primitive" if node.intrinsic() is not None else "dict"
    if isinstance(node, Sequence):
        return "list"
    return "primitive"


def _parameter_string(value: ScalarValue) -> ScalarValue:
    """CloudFormation passes parameter values as strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


def _scalar_value(node: Node | None) -> ScalarValue:
    return node.value if isinstance(node, Scalar) else None


def _as_mapping(node: Node | None) -> Mapping | None:
    return node if isinstance(node, Mapping) and node.intrinsic() is None else None


def _mapping_children(node: Node | None) -> dict[str, Mapping]:
    if not isinstance(node, Mapping):
        return {}
    return {key: value for key, value in node.items() if isinstance(value, Mapping)}

