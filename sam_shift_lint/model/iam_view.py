"""The IAM view of a template: where policy documents are written, which role each one is attached to,
which roles CloudFormation deploys with (deploy roles), and which policies a SAM function (a hook) gets.

* A role's policy set is its inline ``Policies`` together with every ``AWS::IAM::Policy`` /
  ``AWS::IAM::ManagedPolicy`` naming it in ``Roles`` (a ``Ref`` to the role or its literal ``RoleName``),
  every ``AWS::IAM::RolePolicy`` naming it in ``RoleName``, and every in-template managed policy in its
  ``ManagedPolicyArns`` (``!Ref ManagedPolicy``). Managed policies from outside the template (an ARN) are
  not visible offline: they are kept as :class:`HiddenPolicy` entries, which may grant anything unless
  the policy is one of the few listed in :data:`KNOWN_MANAGED_POLICIES`, or one whose statements are
  known (:mod:`sam_shift_lint.iam.managed`: ``AWSCodeDeployRoleForLambda`` ...), kept as
  :class:`KnownPolicy` entries and evaluated like the template's own.
* A role is a deploy role when its trust policy lets ``cloudformation.amazonaws.com`` assume it (a
  string, a list, ``!Sub cloudformation.${AWS::URLSuffix}`` or an ``Fn::Join`` of those), when its
  ``RoleName`` or logical id matches ``CodeStarWorker*CloudFormation*``, or when its Metadata says
  ``sam-shift-lint: {profile: deploy-role}`` (a bundled profile name; ``none`` turns detection off).
* A SAM function's policies: ``Policies`` (managed policy names/ARNs: hidden; inline documents; SAM policy
  templates, none of which grants any CodeDeploy action; ``Fn::If`` entries: conditional) plus the
  ``AWSLambdaBasicExecutionRole`` SAM always adds. With ``Role`` set SAM ignores ``Policies``: the policies
  are then those of the in-template role it references, or hidden for an ARN from elsewhere.
"""
from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from typing import TYPE_CHECKING

from sam_shift_lint.model.intrinsics import getatt_target, if_branches, is_no_value, literal_text, ref_target
from sam_shift_lint.model.sam import Function, SamTemplate, hook_targets
from sam_shift_lint.parsing.nodes import JsonValue, Mapping, Node, PathItem, Scalar, Sequence, get_path, to_data
from sam_shift_lint.records import field, record, replace

if TYPE_CHECKING:  # the checks import sam_shift_lint.iam only when they evaluate policies
    from sam_shift_lint.iam.policy import PolicyDocument

PathTuple = tuple[PathItem, ...]

DEPLOY_ROLE_PROFILE = "deploy-role"
HOOK_PROFILE = "hook-function"
CODEDEPLOY_SERVICE_ROLE_PROFILE = "codedeploy-service-role"
METADATA_KEY = "sam-shift-lint"
NO_PROFILE = "none"
CODESTAR_ROLE_PATTERN = "CodeStarWorker*CloudFormation*"
CLOUDFORMATION_PRINCIPALS = ("cloudformation.amazonaws.com", "cloudformation.amazonaws.com.cn")
CODEDEPLOY_PRINCIPALS = ("codedeploy.amazonaws.com", "codedeploy.amazonaws.com.cn")
ASSUME_ROLE_ACTION = "sts:AssumeRole"

ROLE_TYPE = "AWS::IAM::Role"
POLICY_TYPE = "AWS::IAM::Policy"
MANAGED_POLICY_TYPE = "AWS::IAM::ManagedPolicy"
ROLE_POLICY_TYPE = "AWS::IAM::RolePolicy"
SAM_POLICY_TYPES = ("AWS::Serverless::Function", "AWS::Serverless::StateMachine")

# Where policy documents sit, per resource type ("*": every item of a list). SAM Policies are read apart.
POLICY_PATHS: dict[str, tuple[tuple[str, ...], ...]] = {
    ROLE_TYPE: (("Policies", "*", "PolicyDocument"), ("AssumeRolePolicyDocument",)),
    "AWS::IAM::User": (("Policies", "*", "PolicyDocument"),),
    "AWS::IAM::Group": (("Policies", "*", "PolicyDocument"),),
    POLICY_TYPE: (("PolicyDocument",),),
    MANAGED_POLICY_TYPE: (("PolicyDocument",),),
    ROLE_POLICY_TYPE: (("PolicyDocument",),),
    "AWS::IAM::UserPolicy": (("PolicyDocument",),),
    "AWS::IAM::GroupPolicy": (("PolicyDocument",),),
    "AWS::S3::BucketPolicy": (("PolicyDocument",),),
    "AWS::SQS::QueuePolicy": (("PolicyDocument",),),
    "AWS::SNS::TopicPolicy": (("PolicyDocument",),),
    "AWS::Serverless::Function": (("AssumeRolePolicyDocument",),),
}

# AWS managed policies whose grants are known to stay within a few services (AWS managed policy reference).
# A hidden policy not listed here may grant anything.
KNOWN_MANAGED_POLICIES: dict[str, frozenset[str]] = {
    "AWSLambdaBasicExecutionRole": frozenset({"logs"}),
    "AWSLambdaVPCAccessExecutionRole": frozenset({"logs", "ec2"}),
    "AWSLambdaExecute": frozenset({"logs", "s3"}),
    "AWSXrayWriteOnlyAccess": frozenset({"xray"}),
    "AWSXRayDaemonWriteAccess": frozenset({"xray"}),
    "AWSLambdaSQSQueueExecutionRole": frozenset({"logs", "sqs"}),
    "AWSLambdaDynamoDBExecutionRole": frozenset({"logs", "dynamodb"}),
    "AWSLambdaKinesisExecutionRole": frozenset({"logs", "kinesis"}),
    "CloudWatchLambdaInsightsExecutionRolePolicy": frozenset({"logs"}),
}
# Services no SAM policy template grants any action of (checked against samtranslator's policy_templates.json
# by the tests; samtranslator is not a runtime dependency).
SAM_POLICY_TEMPLATES_NEVER_GRANT = frozenset({"codedeploy"})
# SAM policy templates whose statements are read (``Definition`` in policy_templates.json, with the template's
# parameter as ``${functionName}``); every other template grants no Lambda action either (checked by the tests).
LAMBDA_INVOKE_POLICY = "LambdaInvokePolicy"
EXPANDED_POLICY_TEMPLATES: dict[str, tuple[str, str]] = {
    # name: (its parameter, the Resource it allows lambda:InvokeFunction on)
    LAMBDA_INVOKE_POLICY: ("FunctionName", "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${functionName}*"),
}
OTHER_POLICY_TEMPLATES_NEVER_GRANT = SAM_POLICY_TEMPLATES_NEVER_GRANT | {"lambda"}


def expand_policy_template(name: str, parameters: Node | None) -> dict[str, JsonValue] | None:
    """The policy document SAM writes for a policy template whose statements are known, else None."""
    known = EXPANDED_POLICY_TEMPLATES.get(name)
    if known is None or not isinstance(parameters, Mapping) or parameters.intrinsic() is not None:
        return None
    parameter, resource = known
    value = parameters.get(parameter)
    if value is None:
        return None  # SAM rejects it: "Following required parameters of template ... don't have values"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Action": ["lambda:InvokeFunction"],
                "Effect": "Allow",
                "Resource": {"Fn::Sub": [resource, {"functionName": to_data(value)}]},
            }
        ],
    }


@record(frozen=True)
class HiddenPolicy:
    """A policy whose statements are not in the template (a managed policy, a SAM policy template)."""

    description: str
    services: frozenset[str] | None = None  # the services its actions are limited to; None: unknown
    excluded: frozenset[str] = frozenset()  # services it is known never to grant

    def may_grant(self, action: str) -> bool:
        """Could this policy allow ``action`` (a name or a pattern)?"""
        service = action.split(":", 1)[0].lower()
        if "*" in service or "?" in service:
            return self.services is None or bool(self.services)
        if service in self.excluded:
            return False
        return self.services is None or service in self.services


def managed_policy(name_or_arn: str) -> HiddenPolicy:
    """A managed policy named by its name or ARN (``arn:aws:iam::aws:policy/service-role/NAME``)."""
    name = name_or_arn.rsplit("/", 1)[-1]
    return HiddenPolicy(f"managed policy {name}", KNOWN_MANAGED_POLICIES.get(name))


@record(frozen=True)
class KnownPolicy:
    """A managed policy from outside the template whose statements are known (package data)."""

    name: str
    document: JsonValue
    condition: str | None = None  # a template condition (``Fn::If``) the attachment depends on

    @property
    def label(self) -> str:
        return f"managed policy {self.name}"

    def data(self) -> JsonValue:
        return self.document


def known_policy(name_or_arn: str, condition: str | None = None) -> KnownPolicy | None:
    """The managed policy as a :class:`KnownPolicy` when its statements are known."""
    from sam_shift_lint.iam.managed import managed_policy_document

    document = managed_policy_document(name_or_arn)
    if document is None:
        return None
    return KnownPolicy(name_or_arn.rsplit("/", 1)[-1], document, condition)


@record
class PolicyNode:
    """A policy document written in the template: the map holding ``Statement``."""

    node: Mapping
    path: PathTuple  # from the template root
    resource: str  # the logical id of the resource it is written in
    label: str  # how messages name it
    condition: str | None = None  # a template condition (``Fn::If``) the whole document depends on
    trust: bool = False  # an AssumeRolePolicyDocument
    expanded: JsonValue = None  # for a SAM policy template (``node`` is its entry): the document SAM makes of it

    def statements(self) -> Sequence | None:
        """The ``Statement`` list when it is a plain list (where statements can be appended)."""
        if self.expanded is not None:
            return None
        node = self.node.get("Statement")
        return node if isinstance(node, Sequence) else None

    def data(self) -> JsonValue:
        """The document as plain data (what :func:`sam_shift_lint.iam.parse_policy` reads)."""
        return self.expanded if self.expanded is not None else to_data(self.node)


@record
class PolicySetView:
    """Every policy a principal has, visible or not."""

    documents: list[PolicyNode] = field(default_factory=list)
    hidden: list[HiddenPolicy] = field(default_factory=list)
    note: str = ""  # something the messages should say (e.g. "SAM ignores Policies when Role is set")
    known: list[KnownPolicy] = field(default_factory=list)

    @property
    def readable(self) -> list[PolicyNode | KnownPolicy]:
        """Every policy whose statements can be evaluated: the template's and the known managed ones."""
        return [*self.documents, *self.known]

    def may_be_granted_elsewhere(self, action: str) -> bool:
        return any(policy.may_grant(action) for policy in self.hidden)


@record
class Role:
    logical_id: str
    key: Scalar
    resource: Mapping
    properties: Mapping | None
    inline: list[PolicyNode] = field(default_factory=list)
    attached: list[PolicyNode] = field(default_factory=list)
    hidden: list[HiddenPolicy] = field(default_factory=list)
    known: list[KnownPolicy] = field(default_factory=list)
    deploy_reason: str | None = None
    profile: str | None = None  # the requirement profile its policies are checked against (as written: untrusted)
    profile_node: Node | None = None  # the Metadata value naming it, if any

    @property
    def policies(self) -> PolicySetView:
        return PolicySetView(self.inline + self.attached, list(self.hidden), known=list(self.known))

    def path(self, *parts: PathItem) -> PathTuple:
        return ("Resources", self.logical_id) + tuple(parts)


def _type(resource: Mapping) -> str | None:
    node = resource.get("Type")
    return node.value if isinstance(node, Scalar) and isinstance(node.value, str) else None


def _properties(resource: Mapping) -> Mapping | None:
    node = resource.get("Properties")
    return node if isinstance(node, Mapping) and node.intrinsic() is None else None


class IamView:
    """Roles, policy documents and function policies of one template (built once per template)."""

    def __init__(self, template: SamTemplate) -> None:
        # What it reads of the template, not the template: the template keeps its view (iam_view), and a view
        # keeping the template would be a reference cycle, freed only by the garbage collector.
        self.resources = template.resources
        self.root = template.root
        self.documents: list[PolicyNode] = []
        self.roles: dict[str, Role] = {}
        self.managed: dict[str, PolicyNode] = {}  # AWS::IAM::ManagedPolicy logical id -> its document
        self._collect()

    # ------------------------------------------------------------------------------------ collection

    def _collect(self) -> None:
        for logical_id, resource in self.resources.items():
            kind = _type(resource)
            properties = _properties(resource)
            if kind is None or properties is None:
                if kind == ROLE_TYPE:
                    self.roles[logical_id] = self._role(logical_id, resource, None)
                continue
            for pattern in POLICY_PATHS.get(kind, ()):
                self.documents.extend(self._documents_at(logical_id, properties, pattern, kind))
            if kind in SAM_POLICY_TYPES:
                written = self._sam_policies(logical_id, properties)[0].documents
                self.documents.extend(d for d in written if d.expanded is None)
            if kind == ROLE_TYPE:
                self.roles[logical_id] = self._role(logical_id, resource, properties)
            elif kind == MANAGED_POLICY_TYPE:
                document = next((d for d in self.documents if d.resource == logical_id), None)
                if document is not None:
                    self.managed[logical_id] = document
        self._attach()
        for role in self.roles.values():
            self._classify(role)

    def _documents_at(self, logical_id: str, properties: Mapping, pattern: tuple[str, ...], kind: str) -> Iterator[PolicyNode]:
        base: PathTuple = ("Resources", logical_id, "Properties")
        child = properties.get(pattern[0])
        if child is not None:
            yield from self._walk(logical_id, child, pattern[1:], base + (pattern[0],), None)

    def _walk(self, logical_id: str, node: Node, rest: tuple[str, ...], path: PathTuple, condition: str | None) -> Iterator[PolicyNode]:
        # A method, not a recursive function nested in _documents_at: that would be a reference cycle holding
        # this view (and the document) until the garbage collector runs.
        for value, inner, extra in if_branches(node):
            if is_no_value(value):
                continue
            here = path + extra
            cond = condition or inner
            if not rest:
                if isinstance(value, Mapping) and value.intrinsic() is None and "Statement" in value:
                    label = self._label(logical_id, here)
                    yield PolicyNode(value, here, logical_id, label, cond, here[-1] == "AssumeRolePolicyDocument")
                continue
            step = rest[0]
            if step == "*":
                if isinstance(value, Sequence):
                    for index, item in enumerate(value.items):
                        yield from self._walk(logical_id, item, rest[1:], here + (index,), cond)
            elif isinstance(value, Mapping) and value.intrinsic() is None:
                child = value.get(step)
                if child is not None:
                    yield from self._walk(logical_id, child, rest[1:], here + (step,), cond)

    def _label(self, logical_id: str, path: PathTuple) -> str:
        """``Role policy NAME`` for an inline policy with a literal PolicyName, else the logical id and the
        property path (``Bucket.PolicyDocument`` reads as just ``Bucket``)."""
        if path[-1] == "PolicyDocument" and len(path) > 4:
            resource = self.resources.get(logical_id)
            parent = get_path(resource, *path[2:-1]) if resource is not None else None
            name = parent.get("PolicyName") if isinstance(parent, Mapping) else None
            if isinstance(name, Scalar) and isinstance(name.value, str) and name.value:
                return f"{logical_id} policy {name.value}"
        parts = [str(p) for p in path[3:] if p != "PolicyDocument"]
        return logical_id + ("." + ".".join(parts) if parts else "")

    def _sam_policies(self, logical_id: str, properties: Mapping) -> tuple[PolicySetView, Node | None]:
        """The policies SAM builds for a function from ``Policies`` (with the basic execution role)."""
        view = PolicySetView(hidden=[managed_policy("AWSLambdaBasicExecutionRole")])
        node = properties.get("Policies")
        if node is None:
            return view, None
        base: PathTuple = ("Resources", logical_id, "Properties", "Policies")
        entries = list(enumerate(node.items)) if isinstance(node, Sequence) else [(None, node)]
        for index, entry in entries:
            path = base + ((index,) if index is not None else ())
            for value, condition, extra in if_branches(entry):
                if is_no_value(value):
                    continue
                here = path + extra
                if isinstance(value, Scalar):
                    if isinstance(value.value, str) and value.value:
                        known = known_policy(value.value, condition)
                        if known is not None:
                            view.known.append(known)
                        else:
                            view.hidden.append(managed_policy(value.value))
                    continue
                if isinstance(value, Mapping) and value.intrinsic() is None and "Statement" in value:
                    label = f"{logical_id} Policies[{index}]" if index is not None else f"{logical_id} Policies"
                    view.documents.append(PolicyNode(value, here, logical_id, label, condition))
                elif isinstance(value, Mapping) and value.intrinsic() is None and len(value.entries) == 1:
                    name = next(iter(value.entries))
                    expanded = expand_policy_template(name, value.get(name))
                    if expanded is not None:
                        label = f"{logical_id} Policies[{index}] ({name})" if index is not None else f"{logical_id} Policies ({name})"
                        view.documents.append(PolicyNode(value, here, logical_id, label, condition, expanded=expanded))
                    else:
                        excluded = SAM_POLICY_TEMPLATES_NEVER_GRANT if name in EXPANDED_POLICY_TEMPLATES else OTHER_POLICY_TEMPLATES_NEVER_GRANT
                        view.hidden.append(HiddenPolicy(f"SAM policy template {name}", None, excluded))
                elif isinstance(value, Mapping) and value.intrinsic() is not None:
                    text = literal_text(value)
                    known = known_policy(text, condition) if text else None
                    if known is not None:
                        view.known.append(known)
                    else:
                        view.hidden.append(managed_policy(text) if text else HiddenPolicy("a policy given by an intrinsic function"))
                else:
                    view.hidden.append(HiddenPolicy("an unreadable Policies entry"))
        return view, node

    def _role(self, logical_id: str, resource: Mapping, properties: Mapping | None) -> Role:
        resources = get_path(self.root, "Resources")
        key = resources.key_node(logical_id) if isinstance(resources, Mapping) else None
        assert key is not None
        role = Role(logical_id, key, resource, properties)
        role.inline = [
            d for d in self.documents if d.resource == logical_id and not d.trust and len(d.path) > 3 and d.path[3] == "Policies"
        ]
        return role

    def role_names(self) -> dict[str, str]:
        """Literal ``RoleName`` -> logical id."""
        names: dict[str, str] = {}
        for logical_id, role in self.roles.items():
            name = get_path(role.properties, "RoleName") if role.properties is not None else None
            if isinstance(name, Scalar) and isinstance(name.value, str):
                names[name.value] = logical_id
        return names

    def _role_of(self, node: Node, names: dict[str, str]) -> list[str]:
        out = []
        for value, _, _ in if_branches(node):
            target = ref_target(value)
            if target in self.roles:
                out.append(target)
            elif isinstance(value, Scalar) and isinstance(value.value, str) and value.value in names:
                out.append(names[value.value])
        return out

    def _attach(self) -> None:
        names = self.role_names()
        for logical_id, resource in self.resources.items():
            kind = _type(resource)
            properties = _properties(resource)
            if properties is None or kind not in (POLICY_TYPE, MANAGED_POLICY_TYPE, ROLE_POLICY_TYPE):
                continue
            targets: list[str] = []
            if kind == ROLE_POLICY_TYPE:
                role_name = properties.get("RoleName")
                if role_name is not None:
                    targets = self._role_of(role_name, names)
            else:
                roles = properties.get("Roles")
                if isinstance(roles, Sequence):
                    for item in roles.items:
                        targets.extend(self._role_of(item, names))
            documents = [d for d in self.documents if d.resource == logical_id]
            for target in dict.fromkeys(targets):
                self.roles[target].attached.extend(documents)
        for role in self.roles.values():
            arns = get_path(role.properties, "ManagedPolicyArns") if role.properties is not None else None
            if not isinstance(arns, Sequence):
                if arns is not None:
                    role.hidden.append(HiddenPolicy("ManagedPolicyArns given by an intrinsic function"))
                continue
            for item in arns.items:
                for value, condition, _ in if_branches(item):
                    if is_no_value(value):
                        continue
                    policy_id = ref_target(value)
                    if policy_id is not None and policy_id in self.managed:
                        if self.managed[policy_id] not in role.attached:
                            role.attached.append(self.managed[policy_id])
                        continue
                    text = literal_text(value)
                    known = known_policy(text, condition) if text else None
                    if known is not None:
                        role.known.append(known)
                        continue
                    role.hidden.append(managed_policy(text) if text else HiddenPolicy("a managed policy given by an intrinsic function"))

    # ------------------------------------------------------------------------------------ deploy roles

    def _classify(self, role: Role) -> None:
        metadata = get_path(role.resource, "Metadata", METADATA_KEY, "profile")
        if metadata is not None:
            role.profile_node = metadata
            value = metadata.value if isinstance(metadata, Scalar) else None
            if value in (None, "", False) or (isinstance(value, str) and value.lower() == NO_PROFILE):
                return  # detection turned off
            role.profile = str(value)
            role.deploy_reason = f"Metadata {METADATA_KEY}.profile is {value}"
            return
        reason = self._trust_reason(role) or self._name_reason(role)
        if reason:
            role.deploy_reason = reason
            role.profile = DEPLOY_ROLE_PROFILE

    def _trust_reason(self, role: Role) -> str | None:
        for document in self.documents:
            if document.resource != role.logical_id or not document.trust:
                continue
            statements = document.node.get("Statement")
            items = statements.items if isinstance(statements, Sequence) else [statements] if statements is not None else []
            for item in items:
                for statement, _, _ in if_branches(item):
                    if not isinstance(statement, Mapping) or statement.intrinsic() is not None:
                        continue
                    effect = statement.get("Effect")
                    if not (isinstance(effect, Scalar) and effect.value == "Allow"):
                        continue
                    service = get_path(statement, "Principal", "Service")
                    values = service.items if isinstance(service, Sequence) else [service] if service is not None else []
                    for value in values:
                        for branch, _, _ in if_branches(value):
                            text = literal_text(branch, url_suffix=True)
                            if text in CLOUDFORMATION_PRINCIPALS:
                                return "CloudFormation may assume it"
        return None

    def _name_reason(self, role: Role) -> str | None:
        name = literal_text(get_path(role.properties, "RoleName")) if role.properties is not None else None
        for candidate, what in ((name, "its RoleName"), (role.logical_id, "its logical id")):
            if candidate and fnmatch.fnmatchcase(candidate, CODESTAR_ROLE_PATTERN):
                return f"{what} matches {CODESTAR_ROLE_PATTERN}"
        return None

    def role_referenced_by(self, node: Node) -> Role | None:
        """The in-template role a role value names: ``!GetAtt R.Arn``, ``!Ref R`` or ``!Sub '${R.Arn}'``."""
        target = getatt_target(node) or ref_target(node)
        if target is None:
            text = literal_text(node) if isinstance(node, Mapping) else None
            if text and text.startswith("${") and text.endswith("}") and text.count("${") == 1:
                target = text[2:-1].split(".", 1)[0]
        return self.roles.get(target) if target else None

    def trusts_service(self, role: Role, services: tuple[str, ...]) -> bool | None:
        """Does the role's trust policy let one of ``services`` assume it (an ``Allow`` of ``sts:AssumeRole``
        to ``Principal.Service`` or to ``*``; a statement's ``Condition`` does not count against it)? None
        when it cannot be told offline: the trust policy is missing or given by an intrinsic, or a statement
        that might allow it is not readable. Under ``Fn::If``, any branch that allows it counts."""
        documents = [d for d in self.documents if d.resource == role.logical_id and d.trust]
        if not documents:
            return None
        unknown = False
        for document in documents:
            statements = document.node.get("Statement")
            items = statements.items if isinstance(statements, Sequence) else [statements] if statements is not None else []
            if statements is not None and not isinstance(statements, (Sequence, Mapping)):
                unknown = True
            for item in items:
                for statement, _, _ in if_branches(item):
                    if is_no_value(statement):
                        continue
                    answer = _statement_trusts(statement, services)
                    if answer:
                        return True
                    unknown = unknown or answer is None
        return None if unknown else False

    def profiled_roles(self) -> list[Role]:
        """Roles whose policies are checked against a profile (deploy roles), in template order."""
        return [role for role in self.roles.values() if role.profile]

    # ------------------------------------------------------------------------------------ functions

    def function_policies(self, function: Function) -> tuple[PolicySetView, Role | None, Node | None]:
        """The policies a SAM function runs with, the in-template role behind ``Role`` (if any) and the
        ``Role`` node. Policies and Role are not merged from Globals."""
        local = function.local
        role_node = local.get("Role") if local is not None else None
        if role_node is not None and not (isinstance(role_node, Scalar) and role_node.value in (None, "")):
            target = getatt_target(role_node) or ref_target(role_node)
            if target in self.roles:
                role = self.roles[target]
                view = role.policies
                if local is not None and local.get("Policies") is not None:
                    view.note = "SAM ignores Policies when Role is set"
                return view, role, role_node
            return PolicySetView(hidden=[HiddenPolicy("a role defined outside the template")]), None, role_node
        if local is None:
            return PolicySetView(hidden=[managed_policy("AWSLambdaBasicExecutionRole")]), None, None
        view, _ = self._sam_policies(function.logical_id, local)
        return view, None, None


_IAM_VIEW_ATTRIBUTE = "_iam_view"


def role_replaces_policies(role: Node | None) -> bool:
    """Does a function's ``Role`` make SAM skip the execution role it would build from ``Policies``? Yes unless it
    is absent/null, or an ``Fn::If`` with an ``AWS::NoValue`` branch (SAM then builds the role for that branch,
    ``sam_resources.py::_make_lambda_role``)."""
    if role is None or (isinstance(role, Scalar) and role.value is None):
        return False
    intrinsic = role.intrinsic() if isinstance(role, Mapping) else None
    if intrinsic is not None and intrinsic[0] == "Fn::If" and isinstance(intrinsic[1], Sequence):
        return not any(is_no_value(branch) for branch in intrinsic[1].items[1:])
    return True


def ignored_policies(function: Function) -> tuple[Node, list[str]] | None:
    """The ``Policies`` SAM ignores because ``Role`` is set, and a short name for each entry (``Role`` and
    ``Policies`` cannot come from Globals)."""
    local = function.local
    if local is None or not role_replaces_policies(local.get("Role")):
        return None
    node = local.get("Policies")
    if node is None or (isinstance(node, Scalar) and node.value in (None, "")):
        return None
    entries = node.items if isinstance(node, Sequence) else [node]
    names = [_policy_entry_name(entry) for entry in entries]
    return (node, names) if names else None


def _policy_entry_name(entry: Node) -> str:
    if isinstance(entry, Scalar):
        return str(entry.value).rsplit("/", 1)[-1] if entry.value not in (None, "") else "an empty entry"
    if isinstance(entry, Mapping) and entry.intrinsic() is None:
        if "Statement" in entry:
            return "an inline policy document"
        if len(entry.entries) == 1:
            return next(iter(entry.entries))
    if isinstance(entry, Mapping) and entry.intrinsic() is not None:
        return f"a policy given by {entry.intrinsic()[0]}"  # type: ignore[index]
    return "an unreadable entry"


def iam_view(template: SamTemplate) -> IamView:
    """The template's IAM view (built on first use, then kept with the template)."""
    view = getattr(template, _IAM_VIEW_ATTRIBUTE, None)
    if not isinstance(view, IamView):
        view = IamView(template)
        try:
            setattr(template, _IAM_VIEW_ATTRIBUTE, view)
        except AttributeError:  # pragma: no cover
            pass
    return view


def wants_iam_checks(template: SamTemplate) -> bool:
    """A template the IAM rules look at even without functions: SAM, or one with a deploy role."""
    if template.is_sam():
        return True
    if not any(_type(r) == ROLE_TYPE for r in template.resources.values()):
        return False
    return bool(iam_view(template).profiled_roles())


def executed_hooks(template: SamTemplate) -> dict[str, Function]:
    """Hook functions CodeDeploy may run: named in the Hooks of a preference that may be enabled."""
    from sam_shift_lint.model.preference import preference_state

    hooks: dict[str, Function] = {}
    for function in template.functions.values():
        state = preference_state(template, function)
        if not (state.present and state.maybe_enabled and isinstance(state.node, Mapping)) or state.node.intrinsic():
            continue
        hook_map = state.node.get("Hooks")
        if not isinstance(hook_map, Mapping) or hook_map.intrinsic() is not None:
            continue
        for target in hook_targets(hook_map):
            for value, _, _ in if_branches(target):
                name = template.function_referenced_by(value)
                if name and name not in hooks:
                    hooks[name] = template.functions[name]
    return dict(sorted(hooks.items(), key=lambda item: item[1].key.span.start))


def with_condition(documents: list[PolicyDocument], conditions: dict[str, str | None]) -> list[PolicyDocument]:
    """Parsed documents whose statements carry the template condition of the document they come from."""
    out: list[PolicyDocument] = []
    for document in documents:
        condition = conditions.get(document.id)
        if condition:
            statements = tuple(
                replace(s, template_condition=s.template_condition or condition) for s in document.statements
            )
            document = replace(document, statements=statements)
        out.append(document)
    return out



def _values(node: Node | None) -> list[Node]:
    """The items of a list, or the value itself; each ``Fn::If`` branch."""
    items = node.items if isinstance(node, Sequence) else [node] if node is not None else []
    return [value for item in items for value, _, _ in if_branches(item) if not is_no_value(value)]


def _statement_trusts(statement: Node, services: tuple[str, ...]) -> bool | None:
    """Does one trust statement allow one of ``services`` to assume the role (None: cannot tell)?"""
    from sam_shift_lint.iam.matching import action_covers

    if not isinstance(statement, Mapping) or statement.intrinsic() is not None:
        return None
    effect = statement.get("Effect")
    if not isinstance(effect, Scalar) or not isinstance(effect.value, str):
        return None
    if effect.value != "Allow":
        return False
    if "NotPrincipal" in statement or "NotAction" in statement:
        return None
    principal = statement.get("Principal")
    unknown = False
    if isinstance(principal, Scalar):
        allowed = principal.value == "*"
    elif isinstance(principal, Mapping) and principal.intrinsic() is None:
        texts = [literal_text(value, url_suffix=True) for value in _values(principal.get("Service"))]
        everyone = [literal_text(value) for value in _values(principal.get("AWS"))]
        allowed = any(text in services for text in texts) or "*" in everyone
        unknown = None in texts
    else:
        return None
    if not allowed:
        return None if unknown else False
    actions = [literal_text(value) for value in _values(statement.get("Action"))]
    known = [text for text in actions if text is not None]
    if action_covers(known, ASSUME_ROLE_ACTION):
        return True
    return None if None in actions else False
