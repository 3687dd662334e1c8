"""## What it does
Informational, and off unless selected by its full id (`--select I9125`; in cfn-lint, `--include-checks
I9125`, or the id in `include_checks` of `.cfnlintrc`: a prefix such as `I` does not turn it on, as `--select
I` does not in the CLI). Reports a function with an alias and a `DeploymentPreference` that may be enabled,
without `AutoPublishAliasAllProperties` or `AutoPublishCodeSha256`, that sets configuration SAM leaves out of
its version hash: `Runtime`, `Handler`, `Timeout`, `Layers`, `Architectures`, `VpcConfig`,
`EphemeralStorage`, `FileSystemConfigs`, `ImageConfig`, `Tracing`, `DeadLetterQueue`, `KmsKeyArn`,
`LoggingConfig`, `RuntimeManagementConfig` (after the Globals merge). `Environment`, `MemorySize` and
`SnapStart` are in the hash already.

## Why it breaks deployments
SAM publishes a new version only when the hash of the code location, `Environment`, `MemorySize` and
`SnapStart` changes. A deploy that changes only, say, `Timeout` or `Layers` updates the unpublished function
but publishes no version: the alias, and all traffic, stay on the old version with the old configuration,
and no gradual deployment or hook runs (SAM issues #413, #876, #3622).

## Example
```yaml
Api:
  Type: AWS::Serverless::Function
  Properties:
    AutoPublishAlias: live
    Timeout: 30               # changing it alone publishes no version
    DeploymentPreference:
      Type: Canary10Percent5Minutes
```
Use instead: `AutoPublishAliasAllProperties: true` (SAM then hashes every property of the function).

## Fix safety
Unsafe. Adds `AutoPublishAliasAllProperties: true` to the function. The version hash changes, so the next
deploy publishes a new version and shifts traffic even without a code change; afterwards a change to a
property Lambda does not version (such as `Tags` alone) makes CloudFormation fail with "A version for this
Lambda function exists" (SAM issue #3281), and parameter values are still not part of the hash (#3820).
"""
from __future__ import annotations

from collections.abc import Iterator

from sam_shift_lint.checks.base import finding
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.deployment.placement import function_of
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta
from sam_shift_lint.editing.builder import FixBuilder
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.model.alias import alias_is_missing
from sam_shift_lint.model.preference import preference_state
from sam_shift_lint.model.versions import ALL_PROPERTIES, CODE_SHA256, unhashed_properties

META = RuleMeta(
    id="I9125",
    name="configuration-change-publishes-no-version",
    summary="Configuration outside the version hash: changing it alone shifts no traffic",
    tags=("sam", "codedeploy"),
    fix=FixAvailability.SOMETIMES,
    default_on=False,
)


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    for function in template.functions.values():
        if alias_is_missing(function) or function.get(ALL_PROPERTIES) is not None or function.get(CODE_SHA256) is not None:
            continue
        state = preference_state(template, function)
        if not (state.present and state.maybe_enabled):
            continue
        names = unhashed_properties(function)
        if not names:
            continue
        listed = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        yield finding(
            template,
            META.id,
            function.key_of("AutoPublishAlias") or function.key,
            f"Function '{function.logical_id}' sets {listed}, which SAM leaves out of the version hash: a deploy that "
            f"changes only them publishes no version and shifts no traffic (set {ALL_PROPERTIES}: true)",
            function,
            function.path("AutoPublishAlias"),
        )


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    function = function_of(ctx, finding.resource)
    if function is None or function.local is None:
        return None
    changes = FixBuilder(ctx.document)
    changes.add_at(function.path(), ALL_PROPERTIES, True)
    return changes.build(Applicability.UNSAFE, f"Add {ALL_PROPERTIES}: true")
