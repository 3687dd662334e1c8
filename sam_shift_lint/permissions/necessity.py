"""How surely a template needs one of its derived permissions: on every deployment, or only in some cases.

The deploy-role check reports the first kind as an error (E9206) and the second as a warning (W9207). A need
is only sometimes needed (:func:`when_needed` says when) if

- it is needed only under a template condition, or assumed for a type without handler data;
- only the **read** handler lists it: CloudFormation invokes read during a stack update when it needs the
  resource's current state in detail (the CloudFormation CLI's handler documentation), not to create, update
  or delete it;
- only the **update** handler lists it, and ``data/deployments.json`` does not name it: the update handler
  runs only when a property changes, and its list covers every property it can change
  (``iam:UpdateAssumeRolePolicy`` for a changed trust policy). What deploying new code changes (the function's
  ``lambda:UpdateFunctionCode``, the alias's ``lambda:UpdateAlias`` and its CodeDeploy deployment) is in the
  table and stays needed;
- the **delete** handler lists it and it only reads (``Get*``, ``List*``, ``Describe*``, API Gateway's
  ``GET``): delete handlers read to wait for the deletion or to find what to remove first, and whether they
  do depends on the implementation (CloudFormation provisions older types natively; the published lists are
  the registry handlers').

Everything else is needed: what the create handler lists (after pruning), what the delete handler writes (a
stack must be deletable, and a failed create rolls back through it), and what no handler lists (``iam:PassRole``,
reads of the packaged code, nested applications, custom resources, container images).
"""
from __future__ import annotations

import re
from functools import lru_cache

from sam_shift_lint.permissions.needs import Need
from sam_shift_lint.permissions.tables import deployment_rules

TEMPLATE_CONDITION = "under a template condition"
ASSUMED = "assumed for a type without handler data"
READING = "to read its state"
UPDATING = "to update a property"
_READS = re.compile(r"(Get|List|Describe)([A-Z]|$)")


def reads_only(action: str) -> bool:
    """Does the action only read (by the AWS naming of read and list APIs)?"""
    service, _, name = action.partition(":")
    if service.lower() == "apigateway":
        return name.upper() in ("GET", "HEAD")
    return bool(_READS.match(name))


@lru_cache(maxsize=1)
def _every_deployment() -> frozenset[tuple[str, str]]:
    return frozenset((kind, action.lower()) for rule in deployment_rules() for kind in rule.types for action in rule.actions)


def every_deployment(resource_type: str, action: str) -> bool:
    """Does deploying new code call this update-handler permission of the type (``data/deployments.json``)?"""
    return (resource_type, action.lower()) in _every_deployment()


def when_needed(need: Need) -> str | None:
    """None when the templates need it on every deployment (or its deletion); else when they need it."""
    if need.conditional:
        return TEMPLATE_CONDITION
    if need.purpose.startswith("AssumedFor"):
        return ASSUMED
    if need.handler == "read" or (need.handler == "delete" and reads_only(need.action)):
        return READING
    if need.handler == "update" and not every_deployment(need.resource_type, need.action):
        return UPDATING
    return None
