"""What a user can set: lint settings change findings, fix settings change only what ``--fix`` writes.

Both front doors fill the same types, from the configuration file that applies to the file
(:mod:`sam_shift_lint.project`) and then from their own options: the CLI from its flags, the cfn-lint rule pack
from cfn-lint's rule configuration (``-x E9201:region=us-east-1`` or ``configure_rules`` in ``.cfnlintrc``).
"""
from __future__ import annotations

from typing import Literal

from sam_shift_lint.records import record

Placement = Literal["auto", "globals", "function"]
PLACEMENTS: tuple[Placement, ...] = ("auto", "globals", "function")
FAIL_ON = ("error", "warning", "info")  # the severities ``fail-on`` can name, highest first


@record(frozen=True)
class LintSettings:
    """``region`` / ``account_id``: what policy ARNs belong to (None: what every ARN of the file agrees on).
    ``policy_profile``: the requirement profile a standalone policy file is checked against (None: by name).
    ``profiles``: the profile files the configuration declares, (name, absolute path), checked when the
    configuration was read: the only files a name in a template's Metadata can make the linter open.
    ``deploys``: what the file deploys, as ``(role, templates)``: ``role`` is "" for the file itself (a policy
    file's policy, or each deploy role of a template) or a role's logical id; ``templates`` are absolute paths
    the configuration (``deploy-roles``) or an obvious layout paired with it, checked when resolved: the only
    templates rules E9206/W9207 read. ``deploys_source``: where the pairing comes from (for messages)."""

    region: str | None = None
    account_id: str | None = None
    policy_profile: str | None = None
    profiles: tuple[tuple[str, str], ...] = ()
    deploys: tuple[tuple[str, tuple[str, ...]], ...] = ()
    deploys_source: str = ""

    def declared_profile(self, name: str) -> str | None:
        """The file of the profile the configuration declares under ``name``."""
        return next((path for declared, path in self.profiles if declared == name), None)


# The lint settings a cfn-lint rule accepts as rule configuration (``-x RULE:NAME=VALUE``).
CFN_LINT_SETTINGS: tuple[str, ...] = ("region", "account_id")


@record(frozen=True)
class FixSettings:
    """The alias and deployment type the fixes write, and where additions go."""

    alias: str = "live"
    deployment_type: str = "AllAtOnce"
    placement: Placement = "auto"
