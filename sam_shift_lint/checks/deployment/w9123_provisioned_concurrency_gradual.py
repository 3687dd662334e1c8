"""## What it does
Reports a function with `ProvisionedConcurrencyConfig` (after the Globals merge) whose `DeploymentPreference`
may be enabled with a gradual type: a `Canary…`/`Linear…` built-in type, or an in-template
`AWS::CodeDeploy::DeploymentConfig` with `TimeBasedCanary`/`TimeBasedLinear` routing.

## Why it breaks deployments
SAM puts the provisioned concurrency on the alias, and during a canary or linear deployment the alias
splits traffic between the old and the new version by weight. The provisioned environments are then shared
between the two versions: the new version starts on few of them (cold starts on exactly the traffic you are
testing), both versions' environments are billed, and Lambda has in the past refused weighted aliases with
provisioned concurrency altogether ("Alias with weights can not be used with Provisioned Concurrency",
SAM issues #1296, #1298). What Lambda does today for each weight was not verified offline.

## Example
```yaml
Api:
  Type: AWS::Serverless::Function
  Properties:
    AutoPublishAlias: live
    ProvisionedConcurrencyConfig:
      ProvisionedConcurrentExecutions: 50
    DeploymentPreference:
      Type: Linear10PercentEvery1Minute
```
Use instead: `Type: AllAtOnce` with a `PreTraffic` hook to test the new version, or no provisioned
concurrency during the shift.

## Fix safety
No fix: which to give up is a decision about cost and latency.
"""
from __future__ import annotations

from collections.abc import Iterator

from sam_shift_lint.checks.base import finding
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta, no_fix
from sam_shift_lint.findings import Finding
from sam_shift_lint.model.alias import alias_is_missing
from sam_shift_lint.model.preference import preference_state
from sam_shift_lint.model.traffic import gradual_types
from sam_shift_lint.model.values import describe
from sam_shift_lint.parsing.nodes import Mapping, Scalar

META = RuleMeta(
    id="W9123",
    name="provisioned-concurrency-with-gradual-deployment",
    summary="Provisioned concurrency on an alias that canary/linear deployments split",
    tags=("sam", "codedeploy"),
    fix=FixAvailability.NONE,
)

fix = no_fix


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    for function in template.functions.values():
        config = function.get("ProvisionedConcurrencyConfig")
        if config is None or (isinstance(config, Scalar) and config.value is None) or alias_is_missing(function):
            continue
        state = preference_state(template, function)
        if not (state.present and state.maybe_enabled and isinstance(state.node, Mapping)):
            continue
        types = gradual_types(template, state.node.get("Type"))
        if not types:
            continue
        yield finding(
            template,
            META.id,
            function.key_of("ProvisionedConcurrencyConfig") or function.key,
            f"Function '{function.logical_id}' has ProvisionedConcurrencyConfig and a gradual DeploymentPreference "
            f"({describe(types[0])}): during the shift the alias splits traffic, and its provisioned concurrency, between two "
            "versions, so the new version meets cold starts and both are billed",
            function,
            function.path("ProvisionedConcurrencyConfig"),
        )
