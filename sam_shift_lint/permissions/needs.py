"""What a template needs: one :class:`Need` per (action, resource pattern, condition), with why.

``purpose`` is the stem of the statement ``Sid`` the need lands in: alphanumeric, saying what it is for
(``LambdaAliasesForGradualDeployment``, ``PassRoleToCodeDeploy``, ``ReadDeploymentArtifacts``).
"""
from __future__ import annotations

import re

from sam_shift_lint.records import record

Condition = tuple[tuple[str, str, tuple[str, ...]], ...]  # ((operator, key, values), ...)

GRADUAL = "GradualDeployment"
_SERVICE_NAMES = {
    "apigateway": "ApiGateway",
    "cloudformation": "CloudFormation",
    "cloudwatch": "CloudWatch",
    "codedeploy": "CodeDeploy",
    "dynamodb": "DynamoDb",
    "ec2": "Ec2",
    "ecr": "Ecr",
    "elasticfilesystem": "Efs",
    "events": "EventBridge",
    "iam": "Iam",
    "kms": "Kms",
    "lambda": "Lambda",
    "logs": "Logs",
    "s3": "S3",
    "serverlessrepo": "ServerlessRepo",
    "sns": "Sns",
    "sqs": "Sqs",
    "states": "StepFunctions",
}


@record(frozen=True)
class Need:
    action: str
    resource: str
    condition: Condition
    purpose: str
    template: str
    logical_id: str  # "" for what the template as a whole needs (its transforms)
    resource_type: str
    handler: str  # create | read | update | delete | transform | nested
    conditional: bool = False

    @property
    def key(self) -> tuple[str, str, Condition]:
        return (self.action.lower(), self.resource, self.condition)


@record(frozen=True)
class Note:
    """One line of ``--explain`` (``kind``: kept, pruned, dropped, assumed, skipped, warning)."""

    template: str
    logical_id: str
    kind: str
    text: str


def camel(text: str) -> str:
    """``code signing-config`` -> ``CodeSigningConfig``; only letters and digits."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", text) if part)


def service_name(service: str) -> str:
    return _SERVICE_NAMES.get(service.lower(), camel(service.lower()))


def plural(noun: str) -> str:
    if noun.endswith(("s", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in tuple("aeiou"):
        return noun[:-1] + "ies"
    return noun + "s"


def type_service(resource_type: str) -> str:
    """The IAM service of a CloudFormation type, as far as a Sid needs it (``AWS::StepFunctions::X`` -> states)."""
    parts = resource_type.split("::")
    namespace = parts[1].lower() if len(parts) > 2 else ""
    return {"stepfunctions": "states", "apigatewayv2": "apigateway", "elasticloadbalancingv2": "elasticloadbalancing"}.get(namespace, namespace)


def purpose(resource_type: str, action: str, gradual: bool = False) -> str:
    """The Sid stem for an action a resource of ``resource_type`` needs."""
    parts = resource_type.split("::")
    base = camel(parts[1]) + plural(camel(parts[2])) if len(parts) > 2 else camel(resource_type)
    base = base.replace("Apigatewayv2", "ApiGatewayV2")
    service = action.split(":", 1)[0].lower()
    stem = base if service == type_service(resource_type) else f"{service_name(service)}For{base}"
    if gradual:
        stem += ("In" if "For" in stem else "For") + GRADUAL
    return stem


def pass_role_purpose(principal: str) -> str:
    service = principal.split(".", 1)[0]
    return "PassRoleTo" + service_name(service)


def sid(text: str) -> str:
    """A valid Sid (ASCII letters and digits)."""
    return re.sub(r"[^A-Za-z0-9]", "", text) or "Statement"
