"""CloudFormation values as ARN/name patterns: what a property will hold once deployed, as far as the template
says it offline.

A pattern is IAM resource text with placeholders: ``${AWS::Partition}``, ``${AWS::Region}``,
``${AWS::AccountId}``, ``${StackName}`` (the deployed stack's name), ``${ArtifactBucket}`` (where
``sam deploy`` uploads local code); ``*`` stands for anything the template does not decide (a parameter
without a given value, ``Fn::If``, an ID AWS makes up). Text copied from the template is reduced to the
characters that can appear in a resource name or ARN; anything else becomes ``*`` (a policy can only get
broader, never wrong or injected).
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from sam_shift_lint.permissions.tables import TypeEntry, link_templates, resource_table

PARTITION = "${AWS::Partition}"
REGION = "${AWS::Region}"
ACCOUNT = "${AWS::AccountId}"
STACK = "${StackName}"
ARTIFACT_BUCKET = "${ArtifactBucket}"
PLACEHOLDERS = (PARTITION, REGION, ACCOUNT, STACK, ARTIFACT_BUCKET)

# Stand-ins the translator gets for local code (see translate.py); mapped back to placeholders here.
SENTINEL_BUCKET = "sam-shift-lint-artifact-bucket"
SENTINEL_KEY = "sam-shift-lint-artifact-key"

NO_VALUE = "AWS::NoValue"
_PSEUDO = {
    "AWS::Partition": PARTITION,
    "AWS::Region": REGION,
    "AWS::AccountId": ACCOUNT,
    "AWS::StackName": STACK,
    "AWS::StackId": f"arn:{PARTITION}:cloudformation:{REGION}:{ACCOUNT}:stack/{STACK}/*",
}
_SAFE = re.compile(r"[^A-Za-z0-9_.:/+=@,\-]")
_MAX_DEPTH = 12
# a qualified function ARN given where a name was expected, followed by the template's ":*" for qualifiers
_QUALIFIED_THEN_ANY = re.compile(r"(:function:[^:]+:[^:*]+):\*$")
_MAX_RESULTS = 24


def sanitize(text: str) -> str:
    """Template text as pattern text: characters outside names and ARNs become ``*``."""
    return collapse(_SAFE.sub("*", text))


def collapse(pattern: str) -> str:
    while "**" in pattern:
        pattern = pattern.replace("**", "*")
    return pattern


def is_absent(value: Any) -> bool:
    """No value: missing, null, empty, or ``Ref: AWS::NoValue``."""
    if value is None or value == "" or value == [] or value == {}:
        return True
    return isinstance(value, dict) and value == {"Ref": NO_VALUE}


def select(node: Any, path: str) -> Iterator[Any]:
    """The values at a dotted ``path`` under ``node``; ``*`` is every list item or map value."""
    nodes = [node]
    for part in path.split(".") if path else []:
        following = []
        for current in nodes:
            if part == "*":
                if isinstance(current, list):
                    following.extend(current)
                elif isinstance(current, dict) and not _is_intrinsic(current):
                    following.extend(current.values())
            elif isinstance(current, dict) and part in current:
                following.append(current[part])
        nodes = following
    for found in nodes:
        if not is_absent(found):
            yield found


def _is_intrinsic(value: Any) -> bool:
    return isinstance(value, dict) and len(value) == 1 and next(iter(value)) in _INTRINSICS


_INTRINSICS = frozenset(
    {"Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::If", "Fn::Select", "Fn::Split", "Fn::ImportValue", "Fn::FindInMap",
     "Fn::Base64", "Fn::GetAZs", "Fn::Cidr", "Fn::Transform", "Fn::Length", "Fn::ToJsonString", "Fn::ForEach"}
)


def has_condition(value: Any) -> bool:
    """Does the value depend on a condition (an ``Fn::If`` anywhere in it)?"""
    if isinstance(value, dict):
        return "Fn::If" in value or any(has_condition(v) for v in value.values())
    if isinstance(value, list):
        return any(has_condition(v) for v in value)
    return False


class Resolver:
    """Patterns for the values, names and ARNs of one (translated) template's resources."""

    def __init__(self, template: Mapping[str, Any], parameters: Mapping[str, str] | None = None, stack_name: str | None = None) -> None:
        resources = template.get("Resources")
        self.resources: Mapping[str, Any] = resources if isinstance(resources, dict) else {}
        params = template.get("Parameters")
        self.parameter_names = set(params) if isinstance(params, dict) else set()
        self.parameters = dict(parameters or {})
        self.stack_name = stack_name
        self.table = resource_table()
        self._depth = 0

    # -------------------------------------------------------------------------------------------- resources

    def entry(self, logical_id: str) -> TypeEntry | None:
        resource = self.resources.get(logical_id)
        kind = resource.get("Type") if isinstance(resource, dict) else None
        return self.table.get(kind) if isinstance(kind, str) else None

    def name(self, logical_id: str) -> str:
        """The physical name of a resource: its name property, else the name CloudFormation generates."""
        entry = self.entry(logical_id)
        if entry is None:
            return "*"
        resource = self.resources[logical_id]
        if entry.name_property:
            given = resource.get("Properties", {}).get(entry.name_property) if isinstance(resource.get("Properties"), dict) else None
            if not is_absent(given):
                return self._guarded(lambda: self.value(given)) or "*"
        generated = entry.generated or "*"
        if generated == "${stackname}-*":  # S3 bucket names are the stack name lower-cased
            return f"{sanitize(self.stack_name.lower())}-*" if self.stack_name else "*"
        return generated

    def arns(self, logical_id: str, key: str) -> list[str]:
        """The ARN patterns of the resource for the IAM resource type ``service:type`` ([] when unknown)."""
        entry = self.entry(logical_id)
        if entry is None or key not in entry.arns:
            return []
        out: list[str] = []
        for template in entry.arns[key]:
            for found in self._guarded(lambda: self.expand(logical_id, template)) or []:  # noqa: B023 - called at once
                if found not in out:
                    out.append(found)
        return out

    def primary_arn(self, logical_id: str) -> str:
        entry = self.entry(logical_id)
        if entry is None or entry.arn is None:
            return "*"
        found = self.arns(logical_id, entry.arn)
        return found[0] if found else "*"

    # ----------------------------------------------------------------------------------------------- values

    def value(self, value: Any) -> str | None:
        """The pattern of a property value (None: no value)."""
        if is_absent(value):
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return sanitize(str(value))
        if isinstance(value, str):
            return self._literal(value)
        if isinstance(value, dict) and len(value) == 1:
            (function, argument), = value.items()
            if function == "Ref":
                return self.ref(argument) if isinstance(argument, str) else "*"
            if function == "Fn::GetAtt":
                return self._getatt(argument)
            if function == "Fn::Sub":
                return self._sub(argument)
            if function == "Fn::Join":
                return self._join(argument)
        return "*"

    def _literal(self, text: str) -> str:
        if text == SENTINEL_BUCKET:
            return ARTIFACT_BUCKET
        if text == SENTINEL_KEY:
            return "*"
        return sanitize(text)

    def ref(self, name: str) -> str | None:
        if name == NO_VALUE:
            return None
        if name in _PSEUDO:
            return _PSEUDO[name]
        if name in self.parameters:
            return sanitize(self.parameters[name])
        if name in self.resources:
            entry = self.entry(name)
            if entry is None or entry.ref == "other":
                return "*"
            return self._guarded(lambda: self.name(name) if entry.ref == "name" else self.primary_arn(name)) or "*"
        return "*"

    def _getatt(self, argument: Any) -> str:
        if isinstance(argument, str):
            argument = argument.split(".", 1)
        if not (isinstance(argument, list) and len(argument) == 2 and all(isinstance(a, str) for a in argument)):
            return "*"
        logical_id, attribute = argument
        if logical_id not in self.resources:
            return "*"
        if attribute == "Arn":
            return self._guarded(lambda: self.primary_arn(logical_id)) or "*"
        if attribute.endswith("Name") and attribute not in ("DomainName", "RegionalDomainName"):
            return self._guarded(lambda: self.name(logical_id)) or "*"
        return "*"

    def _sub(self, argument: Any) -> str:
        variables: Mapping[str, Any] = {}
        if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], dict):
            argument, variables = argument
        if not isinstance(argument, str):
            return "*"
        out = []
        pos = 0
        for match in re.finditer(r"\$\{([^}]*)\}", argument):
            out.append(self._literal(argument[pos : match.start()]))
            pos = match.end()
            name = match.group(1)
            if name.startswith("!"):
                out.append("*")
            elif name in variables:
                out.append(self.value(variables[name]) or "")
            elif "." in name and name.split(".", 1)[0] in self.resources:
                out.append(self._getatt(name.split(".", 1)))
            else:
                out.append(self.ref(name) or "")
        out.append(self._literal(argument[pos:]))
        return collapse("".join(out))

    def _join(self, argument: Any) -> str:
        if not (isinstance(argument, list) and len(argument) == 2 and isinstance(argument[0], str) and isinstance(argument[1], list)):
            return "*"
        parts = [self.value(item) for item in argument[1]]
        return collapse(sanitize(argument[0]).join(part for part in parts if part is not None))

    # -------------------------------------------------------------------------------------------- templates

    def expand(self, logical_id: str, template: str, value: str | None = None) -> list[str]:
        """The patterns of an ARN template of ``resources.json`` for one resource (see its ``about``)."""
        resource = self.resources.get(logical_id, {})
        results = [""]
        pos = 0
        for match in re.finditer(r"\{([^{}]*)\}", template):
            literal = template[pos : match.start()]
            pos = match.end()
            choices = self._token(resource, logical_id, match.group(1), value)
            if choices is None:
                return []
            results = [r + literal + c for r in results for c in choices][:_MAX_RESULTS]
            # an ARN given where a name was expected stands for the whole ARN
            results = [r[r.index("arn:", 1):] if r.find("arn:", 1) > 0 else r for r in results]
        return [_QUALIFIED_THEN_ANY.sub(r"\1", collapse(r + template[pos:])) for r in results]

    def _token(self, resource: Any, logical_id: str, token: str, value: str | None) -> list[str] | None:
        if token == "partition":
            return [PARTITION]
        if token == "region":
            return [REGION]
        if token == "account":
            return [ACCOUNT]
        if token == "name":
            return [self.name(logical_id)]
        if token == "value":
            return [value or "*"]
        spec, _, link = token.partition("->")
        path, _, default = spec.partition("|")
        root = resource if path.startswith("@") else resource.get("Properties", {}) if isinstance(resource, dict) else {}
        nodes = list(select(root, path.lstrip("@")))
        if link:
            if not nodes:
                if default:
                    return self._link_text(sanitize(default), link.lower()) or None
                return None
            out = [arn for node in nodes for arn in self.link(node, link.lower())]
            return out or None
        if not nodes:
            return [sanitize(default)] if default else ["*"]
        return [self.value(node) or "*" for node in nodes]

    def link(self, node: Any, key: str) -> list[str]:
        """The ARN patterns (of IAM type ``key``) of what a property value refers to."""
        target = _reference(node)
        if target is not None and target in self.resources:
            found = self.arns(target, key)
            if found:
                return found
            return []
        text = self.value(node)
        if text is None or text == "*":
            return []
        return self._link_text(text, key)

    def _link_text(self, text: str, key: str) -> list[str]:
        if text.startswith("arn:"):
            return [text]
        templates = link_templates().get(key, ())
        return [collapse(t.replace("{partition}", PARTITION).replace("{region}", REGION).replace("{account}", ACCOUNT).replace("{value}", text)) for t in templates]

    def _guarded(self, compute: Any) -> Any:
        """Follow references at most a few levels deep (a template may make them circular)."""
        if self._depth >= _MAX_DEPTH:
            return None
        self._depth += 1
        try:
            return compute()
        finally:
            self._depth -= 1


def _reference(node: Any) -> str | None:
    """The logical id a ``Ref`` or ``Fn::GetAtt`` names, if the value is one."""
    if isinstance(node, dict) and len(node) == 1:
        (function, argument), = node.items()
        if function == "Ref" and isinstance(argument, str):
            return argument
        if function == "Fn::GetAtt":
            if isinstance(argument, str):
                return argument.split(".", 1)[0]
            if isinstance(argument, list) and argument and isinstance(argument[0], str):
                return argument[0]
    return None
