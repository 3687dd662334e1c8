"""Deploy permissions derived from templates (``sam-shift-lint permissions``).

The pipeline, one module per step:

- :mod:`.source` reads a template; :mod:`.translate` turns a SAM template into the CloudFormation resources
  CloudFormation will manage (aws-sam-translator, offline; imported only here);
- :mod:`.schemas` reads each resource type's handler permissions from the provider schemas cfn-lint ships;
- :mod:`.pruning` drops what the resource's properties do not use (reviewed table ``data/conditional.json``,
  tagging, retained resources);
- :mod:`.scope` and :mod:`.values` narrow each permission's Resource (``data/resources.json`` and cfn-lint's
  ``Policies.json``);
- :mod:`.extras` adds what no handler lists (transforms, nested applications, custom resources, images,
  types without handler data);
- :mod:`.derive` runs it per resource into :class:`~.needs.Need`\\ s; :mod:`.policy` groups them into
  statements within IAM's size limits; :mod:`.render` writes JSON, YAML or a CloudFormation snippet;
  :mod:`.diff` compares two derivations; :mod:`.explain` says why; :mod:`.necessity` tells what every
  deployment needs from what only some cases need (rules E9206 and W9207, ``data/deployments.json``).

This package never imports the command line. The check command imports it only for a file paired with the
templates it deploys (rules E9206/W9207, :mod:`sam_shift_lint.checks.deploy`), never for any other file.
"""
from __future__ import annotations

from collections.abc import Sequence

from sam_shift_lint.permissions.derive import Derivation, Deriver, Options
from sam_shift_lint.permissions.source import TemplateError, translated_template

__all__ = ["Derivation", "Deriver", "Options", "TemplateError", "derive_files"]


def derive_files(paths: Sequence[str], options: Options, deriver: Deriver | None = None) -> tuple[Derivation, list[tuple[str, str]]]:
    """The merged derivation of ``paths``, and ``(path, reason)`` for each template that could not be used."""
    deriver = deriver or Deriver(options)
    merged = Derivation()
    errors: list[tuple[str, str]] = []
    for path in paths:
        try:
            translated = translated_template(path, options.region, dict(options.parameters))
        except TemplateError as error:
            errors.append((path, str(error)))
            continue
        merged.extend(deriver.derive(path, translated))
    return merged, errors
