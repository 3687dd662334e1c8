"""Needs that no resource handler lists: the template's transforms, nested applications and stacks,
custom resources, container images, alarms with EC2 actions, and resource types without handler data.

Each is reviewed here, with where it comes from; what could not be checked offline says so.
"""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from sam_shift_lint.iam.resource_types import ResourceTypes
from sam_shift_lint.permissions.needs import Need, Note, camel, plural, type_service
from sam_shift_lint.permissions.translate import SAM_TRANSFORM, SENTINEL_SAR_URL, Application, Translated
from sam_shift_lint.permissions.values import ACCOUNT, ARTIFACT_BUCKET, PARTITION, REGION, SENTINEL_BUCKET, Resolver, sanitize

# Types CloudFormation handles itself: nothing to grant (AWS CloudFormation User Guide, each type's page).
NOTHING_NEEDED = {
    "AWS::CloudFormation::WaitCondition": "CloudFormation waits for a signal itself",
    "AWS::CloudFormation::WaitConditionHandle": "CloudFormation makes the presigned URL itself",
    "AWS::CDK::Metadata": "CDK metadata is not provisioned",
}


def transform_needs(path: str, translated: Translated) -> Iterator[Need]:
    """``cloudformation:CreateChangeSet`` on each AWS transform the template names: the caller that creates the
    change set needs it (the SAM transform: AWS SAM docs, "Managing permissions"; others alike)."""
    for name in translated.transforms:
        if not name.startswith("AWS::"):
            continue
        transform = sanitize(name[len("AWS::"):])
        purpose = "SamTransform" if name == SAM_TRANSFORM else "CloudFormationTransforms"
        resource = f"arn:{PARTITION}:cloudformation:{REGION}:aws:transform/{transform}"
        yield Need("cloudformation:CreateChangeSet", resource, (), purpose, path, "", "Transform", "transform")


def transform_notes(path: str, translated: Translated) -> Iterator[Note]:
    for name in translated.transforms:
        if name == SAM_TRANSFORM:
            continue
        yield Note(path, "", "warning", f"transform {sanitize(name)}: not applied offline; what it adds to the template is not included")


def application_needs(path: str, application: Application, resolver: Resolver) -> Iterator[Need]:
    """A Serverless Application Repository application: the SAM transform copies its template
    (``serverlessrepo:CreateCloudFormationTemplate``, ``GetCloudFormationTemplate``: aws-sam-translator's
    serverless_app_plugin calls both)."""
    if application.application_id is None:
        return
    arn = resolver.value(application.application_id) or "*"
    if not arn.startswith("arn:"):
        arn = f"arn:{PARTITION}:serverlessrepo:*:*:applications/*"
    for action in ("serverlessrepo:CreateCloudFormationTemplate", "serverlessrepo:GetCloudFormationTemplate"):
        yield Need(action, arn, (), "ServerlessRepoApplications", path, application.logical_id, "AWS::Serverless::Application", "transform")


def application_note(path: str, application: Application) -> Note:
    where = "a Serverless Application Repository application" if application.application_id is not None else "a nested template"
    return Note(
        path,
        application.logical_id,
        "warning",
        f"nested application ({where}): its resources are deployed by the same role but are not known offline; "
        "run permissions on its template too (several templates merge into one policy)",
    )


_S3_URL = (
    re.compile(r"https://([a-z0-9.\-]+)\.s3(?:[.\-][a-z0-9\-]+)?\.amazonaws\.com(?:\.cn)?/(.+)"),
    re.compile(r"https://s3(?:[.\-][a-z0-9\-]+)?\.amazonaws\.com(?:\.cn)?/([a-z0-9.\-]+)/(.+)"),
)


def s3_object_of_url(url: str) -> str:
    """The S3 object ARN pattern of a template URL (``${ArtifactBucket}`` for the translator's stand-in)."""
    for pattern in _S3_URL:
        match = pattern.fullmatch(url)
        if match:
            bucket, key = match.groups()
            if bucket == SENTINEL_BUCKET:
                return f"arn:{PARTITION}:s3:::{ARTIFACT_BUCKET}/*"
            return f"arn:{PARTITION}:s3:::{sanitize(bucket)}/{sanitize(key)}"
    return f"arn:{PARTITION}:s3:::*"


def nested_stack_needs(path: str, logical_id: str, resource: Mapping[str, Any], resolver: Resolver) -> Iterator[Need]:
    """A nested stack's template is read from S3 with the deployer's permissions (inferred: CloudFormation
    reads ``TemplateURL`` as the caller; a Serverless Application Repository URL is presigned and needs none)."""
    properties = resource.get("Properties")
    url = properties.get("TemplateURL") if isinstance(properties, dict) else None
    if url == SENTINEL_SAR_URL:
        return
    text = url if isinstance(url, str) else resolver.value(url) or "*"
    yield Need("s3:GetObject", s3_object_of_url(text), (), "ReadDeploymentArtifacts", path, logical_id, "AWS::CloudFormation::Stack", "nested")


def image_needs(path: str, logical_id: str, resource: Mapping[str, Any], resolver: Resolver) -> Iterator[Need]:
    """A container image function: Lambda pulls the image with the deployer's permissions
    (``ecr:BatchGetImage``, ``ecr:GetDownloadUrlForLayer``: AWS Lambda Developer Guide, "Amazon ECR
    permissions"), unless the repository policy grants Lambda itself."""
    properties = resource.get("Properties")
    code = properties.get("Code") if isinstance(properties, dict) else None
    image = code.get("ImageUri") if isinstance(code, dict) else None
    if image is None:
        return
    text = resolver.value(image) or "*"
    match = re.fullmatch(r"(\d{12})\.dkr\.ecr\.([a-z0-9\-]+)\.amazonaws\.com(?:\.cn)?/([^:@]+)(?:[:@].*)?", text)
    if match and match.group(1) != "123456789012":
        account, region, repository = match.groups()
        arn = f"arn:{PARTITION}:ecr:{region}:{account}:repository/{repository}"
    else:
        arn = f"arn:{PARTITION}:ecr:{REGION}:{ACCOUNT}:repository/*"
    for action in ("ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"):
        for handler in ("create", "update"):
            yield Need(action, arn, (), "EcrForLambdaFunctions", path, logical_id, "AWS::Lambda::Function", handler)


def custom_resource_needs(path: str, logical_id: str, resource: Mapping[str, Any], resolver: Resolver, handlers: tuple[str, ...]) -> Iterator[Need]:
    """A custom resource: CloudFormation sends the request to its ``ServiceToken`` with the deployer's
    permissions (``lambda:InvokeFunction`` on a function, ``sns:Publish`` on a topic). Not verifiable
    offline; the AWS CloudFormation User Guide documents the service token, not the permission."""
    properties = resource.get("Properties")
    token = properties.get("ServiceToken") if isinstance(properties, dict) else None
    text = resolver.value(token) or "*"
    kind = str(resource.get("Type"))
    if ":sns:" in text:
        action, arn = "sns:Publish", text
    elif ":lambda:" in text:
        action, arn = "lambda:InvokeFunction", text
    else:
        return
    for handler in handlers:
        yield Need(action, arn, (), "InvokeCustomResourceHandlers", path, logical_id, kind, handler)


_ALARM_ACTION_KEYS = ("AlarmActions", "OKActions", "InsufficientDataActions")
_EC2_ALARM_ACTION = re.compile(r":automate:(?:\$\{[^}]*\}|[^:$])*:ec2:")  # arn:aws:automate:${AWS::Region}:ec2:stop, ...
CLOUDWATCH_EVENTS_ROLE = "role/aws-service-role/events.amazonaws.com/AWSServiceRoleForCloudWatchEvents"


def _texts(value: Any, under_if: bool = False) -> Iterator[tuple[str, bool]]:
    """Every string in a property value (``Fn::Sub`` text included), and whether it is inside an ``Fn::If``."""
    if isinstance(value, str):
        yield value, under_if
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, under_if or key == "Fn::If")
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item, under_if)


def alarm_needs(path: str, logical_id: str, resource: Mapping[str, Any], handlers: tuple[str, ...]) -> tuple[list[Need], list[Note]]:
    """An alarm with an EC2 action (stop, terminate, reboot, recover): ``PutMetricAlarm`` creates CloudWatch's
    service-linked role ``AWSServiceRoleForCloudWatchEvents`` when the account does not have it yet, and needs
    the caller's ``iam:CreateServiceLinkedRole`` for it (Amazon CloudWatch User Guide, "Using service-linked roles
    for CloudWatch"; AWS What's New, 2017-12-18). The alarm's schema does not list it; iann0036/aws-leastprivilege's
    deployment-tested role for an alarm with EC2 actions has it."""
    properties = resource.get("Properties")
    if not isinstance(properties, dict):
        return [], []
    found = [under_if for key in _ALARM_ACTION_KEYS for text, under_if in _texts(properties.get(key)) if _EC2_ALARM_ACTION.search(text)]
    if not found:
        return [], []
    conditional = "Condition" in resource or all(found)
    arn = f"arn:{PARTITION}:iam::{ACCOUNT}:{CLOUDWATCH_EVENTS_ROLE}"
    condition = (("StringEquals", "iam:AWSServiceName", ("events.amazonaws.com",)),)
    needs = [
        Need("iam:CreateServiceLinkedRole", arn, condition, "CloudWatchAlarmsServiceLinkedRole", path, logical_id, "AWS::CloudWatch::Alarm", handler, conditional)
        for handler in handlers
        if handler in ("create", "update")  # the handlers that call PutMetricAlarm
    ]
    note = Note(path, logical_id, "kept", "iam:CreateServiceLinkedRole: an EC2 alarm action; PutMetricAlarm creates "
                "AWSServiceRoleForCloudWatchEvents when the account does not have it yet")
    return needs, [note] if needs else []


def assumed_needs(path: str, logical_id: str, kind: str, types: ResourceTypes, handlers: tuple[str, ...]) -> tuple[list[Need], Note]:
    """A type without handler data: ``<service>:*`` is assumed, and said so (never silently dropped)."""
    if kind in NOTHING_NEEDED:
        return [], Note(path, logical_id, "kept", f"{kind}: nothing to grant ({NOTHING_NEEDED[kind]})")
    service = type_service(kind)
    if service and types.services.get(service) is not None:
        action = f"{service}:*"
        parts = kind.split("::")
        purpose = "AssumedFor" + (camel(parts[1]) + plural(camel(parts[2])) if len(parts) > 2 else camel(kind))
        needs = [Need(action, "*", (), purpose, path, logical_id, kind, handler) for handler in handlers]
        return needs, Note(path, logical_id, "warning", f"{sanitize(kind)} has no handler permissions in cfn-lint's schemas: assumed {action} on * (review it)")
    return [], Note(path, logical_id, "warning", f"{sanitize(kind)} has no handler permissions in cfn-lint's schemas and no IAM service: nothing assumed, add what it needs by hand")
