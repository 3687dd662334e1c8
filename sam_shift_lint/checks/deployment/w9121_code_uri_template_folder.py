"""## What it does
Reports a function with an `AutoPublishAlias` whose `CodeUri` (after the Globals merge) is the folder the
template is in: `.`, `./`, or a relative path leading back to it such as `../<this folder>`. It is judged
from the strings alone; no file is opened. Functions packaged as images or with `InlineCode` are skipped.

## Why it breaks deployments
The code package then holds the template itself, its build output (`.aws-sam`) and every other file in the
folder, so any change to any of them (a README, a test, the template) gives the code a new hash: SAM
publishes a new version on every such deploy and, with a `DeploymentPreference`, shifts traffic to code
that did not change (aws-sam-cli issue #2890).

## Example
```yaml
Api:
  Type: AWS::Serverless::Function
  Properties:
    CodeUri: .                 # the template's own folder
    AutoPublishAlias: live
```
Use instead: keep the function's code in its own folder (`CodeUri: src/`).

## Fix safety
No fix: moving the code is a change to the project layout.
"""
from __future__ import annotations

from collections.abc import Iterator

from sam_shift_lint.checks.base import anchor, finding
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta, no_fix
from sam_shift_lint.findings import Finding
from sam_shift_lint.model.alias import alias_is_missing
from sam_shift_lint.model.sam import Function
from sam_shift_lint.model.values import describe
from sam_shift_lint.model.versions import packages_template_folder
from sam_shift_lint.parsing.nodes import Scalar

META = RuleMeta(
    id="W9121",
    name="code-uri-is-template-folder",
    summary="CodeUri is the template's folder: every file change publishes a version",
    tags=("sam", "codedeploy"),
    fix=FixAvailability.NONE,
)

fix = no_fix


def _packaged_from_code_uri(function: Function) -> bool:
    """The function's code comes from ``CodeUri`` (not an image, not inline code)."""
    package_type = function.get("PackageType")
    if isinstance(package_type, Scalar) and package_type.value == "Image":
        return False
    return function.get("ImageUri") is None and function.get("InlineCode") is None


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    for function in template.functions.values():
        if alias_is_missing(function) or not _packaged_from_code_uri(function):
            continue
        code_uri = function.get("CodeUri")
        if code_uri is None or not packages_template_folder(code_uri, ctx.file):
            continue
        assert isinstance(code_uri, Scalar)
        yield finding(
            template,
            META.id,
            anchor(code_uri, function.key_of("CodeUri")),
            f"Function '{function.logical_id}': CodeUri {describe(code_uri.value)} packages the folder the template is in, so "
            "any change to any file there (the template included) publishes a new version and, with a "
            "DeploymentPreference, shifts traffic",
            function,
            function.path("CodeUri"),
        )
