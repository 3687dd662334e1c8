"""The reviewed data tables agree with the data they are reviewed against: cfn-lint's provider schemas (types,
properties, handler permissions) and Policies.json (services, resource types). A table entry that names
something that does not exist can never take effect, so it fails here."""
from __future__ import annotations

from fnmatch import fnmatchcase

import pytest

from sam_shift_lint.iam.resource_types import resource_types
from sam_shift_lint.permissions.schemas import HANDLERS, ProviderSchemas
from sam_shift_lint.permissions.scope import fill, is_arn_pattern
from sam_shift_lint.permissions.tables import conditional_rules, deployment_rules, link_templates, resource_table

RESOURCE_ATTRIBUTES = {"UpdatePolicy", "DeletionPolicy", "UpdateReplacePolicy", "Condition", "Metadata", "DependsOn", "CreationPolicy"}


@pytest.fixture(scope="module")
def schemas() -> ProviderSchemas:
    return ProviderSchemas("us-east-1")


def _property_exists(schemas: ProviderSchemas, type_name: str, path: str) -> bool:
    import json
    import os

    from sam_shift_lint.permissions.schemas import cfnlint_dir

    if path.startswith("@"):
        return path[1:].split(".", 1)[0] in RESOURCE_ATTRIBUTES
    index = json.load(open(os.path.join(cfnlint_dir(), "data", "schemas", "providers", "us-east-1.json")))
    with open(os.path.join(cfnlint_dir(), "data", "schemas", "resources", f"{index[type_name]}.json")) as handle:
        properties = json.load(handle)["properties"]
    return path.split(".", 1)[0] in properties


def test_every_table_type_exists_with_handlers(schemas: ProviderSchemas) -> None:
    for type_name in resource_table():
        schema = schemas.get(type_name)
        assert schema is not None and schema.has_handlers, type_name


def test_every_scoped_resource_type_is_an_iam_resource_type() -> None:
    types = resource_types()
    keys = {key for entry in resource_table().values() for key in entry.arns} | set(link_templates())
    for key in sorted(keys):
        service, _, kind = key.partition(":")
        assert types.arn_patterns(service, kind), f"{key}: no such resource type in Policies.json"


def test_every_table_property_exists(schemas: ProviderSchemas) -> None:
    import re

    for type_name, entry in resource_table().items():
        paths = [entry.name_property] if entry.name_property else []
        paths += [p for spec in entry.passes_roles for p in spec.paths]
        for templates in entry.arns.values():
            for template in templates:
                paths += [t.split("->")[0].split("|")[0] for t in re.findall(r"\{([^{}]*)\}", template)]
        for path in paths:
            if path in ("partition", "region", "account", "name", "value"):
                continue
            assert _property_exists(schemas, type_name, path), f"{type_name}: {path}"


def test_arn_templates_make_arns() -> None:
    for type_name, entry in resource_table().items():
        for key, templates in entry.arns.items():
            for template in templates:
                if template.startswith("{"):
                    continue  # the ARN of what a property refers to
                assert is_arn_pattern(fill(template).replace("{name}", "x")), (type_name, key, template)
        for template in entry.own:
            assert is_arn_pattern(fill(template)), (type_name, template)


def test_every_conditional_rule_can_prune_something(schemas: ProviderSchemas) -> None:
    """Each rule names existing types and properties, and each of its action patterns matches a permission the
    named handlers of some of its types publish."""
    assert len(conditional_rules()) > 40
    for index, rule in enumerate(conditional_rules()):
        assert set(rule.handlers) <= set(HANDLERS), index
        for type_name in rule.types:
            schema = schemas.get(type_name)
            assert schema is not None and schema.has_handlers, (index, type_name)
            for path in rule.needed_if_any:
                assert _property_exists(schemas, type_name, path), (index, type_name, path)
        for pattern in rule.actions:
            published = {
                p.lower()
                for type_name in rule.types
                for handler in rule.handlers
                for p in (schemas.get(type_name).handlers.get(handler, ()) if schemas.get(type_name) else ())
            }
            assert any(fnmatchcase(p, pattern.lower()) for p in published), (index, pattern, rule.types)


def test_every_deployment_rule_names_update_only_permissions(schemas: ProviderSchemas) -> None:
    """Each action of data/deployments.json is one its types' update handler publishes and their create handler
    does not (what create lists is needed anyway: such an entry could never take effect)."""
    assert deployment_rules()
    for index, rule in enumerate(deployment_rules()):
        for type_name in rule.types:
            schema = schemas.get(type_name)
            assert schema is not None and schema.has_handlers, (index, type_name)
            update = {p.lower() for p in schema.handlers.get("update", ())}
            create = {p.lower() for p in schema.handlers.get("create", ())}
            for action in rule.actions:
                assert action.lower() in update - create, (index, type_name, action)


def test_handlers_are_kept_in_cfn_lints_schemas(schemas: ProviderSchemas) -> None:
    """cfn-lint 1.58 keeps the handlers section (the offline source of all of this): the gradual deployment types
    have it, with the permissions the seed's documentation lists."""
    alias = schemas.get("AWS::Lambda::Alias")
    assert alias is not None
    assert "codedeploy:CreateDeployment" in alias.handlers["update"]
    assert "lambda:CreateAlias" in alias.handlers["create"]
    group = schemas.get("AWS::CodeDeploy::DeploymentGroup")
    assert group is not None and "codedeploy:UpdateDeploymentGroup" in group.handlers["update"]
    assert group.tagging_permissions and group.tag_property == "Tags"
    assert schemas.get("AWS::CodeBuild::Project") is not None and not schemas.get("AWS::CodeBuild::Project").has_handlers  # type: ignore[union-attr]
    assert schemas.get("AWS::Not::AType") is None
