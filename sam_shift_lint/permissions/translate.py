"""SAM templates translated offline into the CloudFormation CloudFormation will actually manage.

aws-sam-translator (imported here only, on first use: it takes 1.5–2 s to import) does the work.
Offline means:

- Local code locations (``CodeUri: src/``, a missing ``CodeUri``, ``ContentUri``, ``DefinitionUri``, an
  application ``Location`` on disk) become a stand-in S3 location (``values.SENTINEL_BUCKET``), as
  ``sam package`` would upload them; scoping maps it back to ``${ArtifactBucket}``.
- Managed policy names resolve through the translator's bundled map (``aws_managed_policies.json``, what the
  SAM CLI uses offline); a name it does not know stays as written. No IAM call is made.
- Serverless Application Repository applications are never fetched: their ``Location`` becomes a stand-in
  template URL and the application is recorded (its template is not known offline).
- The region comes from the caller (no boto3 session, no environment lookup).

The translator mutates its input, so it works on a deep copy.
"""
from __future__ import annotations

import copy
import logging
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from sam_shift_lint.permissions.values import SENTINEL_BUCKET, SENTINEL_KEY, is_absent
from sam_shift_lint.records import field, record

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
SENTINEL_URI = f"s3://{SENTINEL_BUCKET}/{SENTINEL_KEY}"
SENTINEL_URL = f"https://{SENTINEL_BUCKET}.s3.amazonaws.com/{SENTINEL_KEY}"
SENTINEL_SAR_URL = "https://sam-shift-lint-application.s3.amazonaws.com/template.yaml"  # its template is presigned
SENTINEL_IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/sam-shift-lint-artifact:latest"


class TranslationError(Exception):
    """SAM rejects the template (one line)."""


@record(frozen=True)
class Application:
    """A nested application (``AWS::Serverless::Application``)."""

    logical_id: str
    application_id: Any  # the SAR application ARN (a value of the template), or None for a template URL/path
    location: Any


@record
class Translated:
    template: dict[str, Any]
    sam: bool
    transforms: list[str]
    applications: list[Application] = field(default_factory=list)
    source_ids: frozenset[str] = frozenset()  # logical ids written in the source template


def transforms_of(data: Mapping[str, Any]) -> list[str]:
    value = data.get("Transform")
    items = value if isinstance(value, list) else [value] if value is not None else []
    names = []
    for item in items:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict) and isinstance(item.get("Name"), str):
            names.append(item["Name"])
    return names


def is_sam(data: Mapping[str, Any]) -> bool:
    """Does the template need the SAM transform (it names it, or it uses ``AWS::Serverless::`` types)?"""
    if SAM_TRANSFORM in transforms_of(data):
        return True
    resources = data.get("Resources")
    return isinstance(resources, dict) and any(
        isinstance(r, dict) and isinstance(r.get("Type"), str) and r["Type"].startswith("AWS::Serverless::") for r in resources.values()
    )


def translate(data: Mapping[str, Any], region: str, parameters: Mapping[str, str] | None = None) -> Translated:
    """The template as CloudFormation will manage it (plain CloudFormation templates are returned as they are)."""
    resources = data.get("Resources")
    source_ids = frozenset(resources) if isinstance(resources, dict) else frozenset()
    names = transforms_of(data)
    if not is_sam(data):
        return Translated(dict(data), False, names, [], source_ids)
    template = copy.deepcopy(dict(data))
    applications = _prepare(template)
    values = dict(parameters or {})
    values.update(_alias_parameters(template, values))
    translated = _run_translator(template, region, values)
    return Translated(translated, True, names, applications, source_ids)


def _run_translator(template: dict[str, Any], region: str, parameters: dict[str, Any]) -> dict[str, Any]:
    try:
        import samtranslator  # noqa: F401
    except ImportError:
        raise TranslationError(
            "a SAM template needs aws-sam-translator to be translated: pip install 'sam-shift-lint[permissions]'"
        ) from None
    from samtranslator.model.exceptions import InvalidDocumentException
    from samtranslator.parser.parser import Parser
    from samtranslator.plugins.application.serverless_app_plugin import ServerlessAppPlugin
    from samtranslator.translator.translator import Translator

    logging.getLogger("samtranslator").setLevel(logging.CRITICAL)  # metrics and feature-toggle chatter
    _reuse_policy_template_plugin()
    plugin = ServerlessAppPlugin(sar_client_creator=_no_network, parameters=parameters)
    translator = Translator(managed_policy_map=None, sam_parser=Parser(), plugins=[plugin], boto_session=_Session(region))
    try:
        result = translator.translate(sam_template=template, parameter_values=parameters, passthrough_metadata=True)
    except InvalidDocumentException as error:
        causes = [str(getattr(cause, "message", cause)) for cause in error.causes] or [str(error)]
        more = f" (and {len(causes) - 1} more)" if len(causes) > 1 else ""
        raise TranslationError(f"SAM cannot translate it: {causes[0]}{more}") from None
    except Exception as error:  # the translator's own bugs on odd input must not crash the command
        raise TranslationError(f"SAM cannot translate it: {type(error).__name__}: {error}") from None
    if not isinstance(result, dict) or not isinstance(result.get("Resources"), dict):
        raise TranslationError("SAM cannot translate it: no Resources")
    return result


def _reuse_policy_template_plugin() -> None:
    """Build the translator's policy-template plugin once per process, not once per template.

    ``Translator.translate`` makes a new ``PolicyTemplatesForResourcePlugin`` every time, and with it validates
    the bundled policy templates against their JSON schema again: about 90 ms, three times the translation of a
    small template. The plugin keeps nothing of a template (only the processor of the bundled data), so one
    instance serves them all. Done only when the translator still has that factory (else nothing changes)."""
    import samtranslator.translator.translator as module

    factory = getattr(module, "make_policy_template_for_function_plugin", None)
    if factory is None or getattr(factory, "cache_info", None) is not None:
        return
    module.make_policy_template_for_function_plugin = lru_cache(maxsize=1)(factory)


class _Session:
    """What the translator reads of a boto3 session: the region, and nothing that reaches the network."""

    def __init__(self, region: str) -> None:
        self.region_name = region


def _no_network() -> Any:
    raise TranslationError("a Serverless Application Repository application would have to be fetched")


def _set_s3(properties: dict[str, Any], key: str, image: bool = False) -> None:
    """A local (or missing, or intrinsic) code location becomes the stand-in S3 location."""
    value = properties.get(key)
    if isinstance(value, str) and (value.startswith("s3://") or (image and "dkr.ecr" in value)):
        return
    if isinstance(value, dict) and not any(k.startswith("Fn::") or k == "Ref" for k in value):
        return  # {Bucket, Key[, Version]}
    properties[key] = SENTINEL_IMAGE if image else SENTINEL_URI


def _prepare(template: dict[str, Any]) -> list[Application]:
    """Make the template translatable offline (see the module docstring); returns its applications."""
    applications: list[Application] = []
    globals_ = template.get("Globals")
    function_globals = globals_.get("Function") if isinstance(globals_, dict) else None
    global_code = isinstance(function_globals, dict) and not is_absent(function_globals.get("CodeUri"))
    if global_code and isinstance(function_globals, dict):
        _set_s3(function_globals, "CodeUri")
    resources = template.get("Resources")
    for logical_id, resource in (resources.items() if isinstance(resources, dict) else ()):
        if not isinstance(resource, dict) or not isinstance(resource.get("Properties"), dict):
            continue
        kind, properties = resource.get("Type"), resource["Properties"]
        if kind == "AWS::Serverless::Function":
            if properties.get("PackageType") == "Image":
                _set_s3(properties, "ImageUri", image=True)
            elif "InlineCode" not in properties and ("CodeUri" in properties or not global_code):
                _set_s3(properties, "CodeUri")  # no CodeUri at all: sam package uploads the template's folder
            if isinstance(properties.get("AutoPublishCodeSha256"), dict):
                properties["AutoPublishCodeSha256"] = "sam-shift-lint"
        elif kind == "AWS::Serverless::LayerVersion":
            _set_s3(properties, "ContentUri")
        elif kind in ("AWS::Serverless::Api", "AWS::Serverless::HttpApi"):
            if isinstance(properties.get("DefinitionUri"), str) and not properties["DefinitionUri"].startswith("s3://"):
                properties["DefinitionUri"] = SENTINEL_URI
        elif kind == "AWS::Serverless::StateMachine":
            if isinstance(properties.get("DefinitionUri"), str) and not properties["DefinitionUri"].startswith("s3://"):
                properties["DefinitionUri"] = SENTINEL_URI
        elif kind == "AWS::Serverless::GraphQLApi":
            if isinstance(properties.get("SchemaUri"), str) and not properties["SchemaUri"].startswith("s3://"):
                properties["SchemaUri"] = SENTINEL_URI
        elif kind == "AWS::Serverless::Application":
            location = properties.get("Location")
            app_id = location.get("ApplicationId") if isinstance(location, dict) else None
            applications.append(Application(logical_id, app_id, location))
            if app_id is not None:
                properties["Location"] = SENTINEL_SAR_URL
            elif not (isinstance(location, str) and location.startswith("https://")):
                properties["Location"] = SENTINEL_URL
    return applications


def _alias_parameters(template: dict[str, Any], given: Mapping[str, Any]) -> dict[str, Any]:
    """A value for each parameter an ``AutoPublishAlias`` refers to (SAM needs one to name the alias)."""
    out: dict[str, Any] = {}
    declared = template.get("Parameters")
    params: dict[str, Any] = declared if isinstance(declared, dict) else {}
    sections = []
    globals_ = template.get("Globals")
    if isinstance(globals_, dict) and isinstance(globals_.get("Function"), dict):
        sections.append(globals_["Function"])
    resources = template.get("Resources")
    sections += [r.get("Properties") for r in (resources.values() if isinstance(resources, dict) else ()) if isinstance(r, dict)]
    for properties in sections:
        alias = properties.get("AutoPublishAlias") if isinstance(properties, dict) else None
        if isinstance(alias, dict) and isinstance(alias.get("Ref"), str):
            name = alias["Ref"]
            if name in params and name not in given:
                default = params[name].get("Default") if isinstance(params[name], dict) else None
                out[name] = default if isinstance(default, str) and default else "live"
    return out
