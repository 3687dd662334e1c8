"""IAM evaluation for sam-shift-lint: policy model, matching, evaluation and requirement profiles.

Independent of the SAM code. cfn-lint is never imported: its ``Policies.json`` is read (located through
``importlib.util.find_spec``) when the action catalog is first used.

Typical use::

    docs = [parse_policy(data, "DeployRole")]
    result = check_profile(docs, "deploy-role", region="us-east-1", account="123456789012")
    for group in result.failing:
        print(group.group.name, group.status.value, group.missing, group.statements)
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names below, for type checkers; at run time they load on first use
    from sam_shift_lint.iam.actions import canonical_name, closest_action, expand, is_known_action
    from sam_shift_lint.iam.evaluation import (
        DEFAULT_PARTITION,
        PolicySet,
        StatementRef,
        Status,
        Verdict,
        evaluate,
        worst,
    )
    from sam_shift_lint.iam.intrinsics import Context
    from sam_shift_lint.iam.matching import (
        action_covers,
        action_matches,
        action_overlaps,
        resource_covers,
        resource_matches,
        resource_may_overlap,
        resource_overlaps,
    )
    from sam_shift_lint.iam.pattern import Pattern, Unknown, parse_glob, parse_template
    from sam_shift_lint.iam.policy import Clause, PolicyDocument, Statement, parse_policy
    from sam_shift_lint.iam.profiles import (
        ActionResult,
        GroupResult,
        Profile,
        ProfileError,
        ProfileResult,
        RequirementGroup,
        available_profiles,
        check_profile,
        load_profile,
        load_profile_file,
        profile_from_data,
    )

_EXPORTS = {
    "canonical_name": "sam_shift_lint.iam.actions",
    "closest_action": "sam_shift_lint.iam.actions",
    "expand": "sam_shift_lint.iam.actions",
    "is_known_action": "sam_shift_lint.iam.actions",
    "DEFAULT_PARTITION": "sam_shift_lint.iam.evaluation",
    "PolicySet": "sam_shift_lint.iam.evaluation",
    "StatementRef": "sam_shift_lint.iam.evaluation",
    "Status": "sam_shift_lint.iam.evaluation",
    "Verdict": "sam_shift_lint.iam.evaluation",
    "evaluate": "sam_shift_lint.iam.evaluation",
    "worst": "sam_shift_lint.iam.evaluation",
    "Context": "sam_shift_lint.iam.intrinsics",
    "action_covers": "sam_shift_lint.iam.matching",
    "action_matches": "sam_shift_lint.iam.matching",
    "action_overlaps": "sam_shift_lint.iam.matching",
    "resource_covers": "sam_shift_lint.iam.matching",
    "resource_matches": "sam_shift_lint.iam.matching",
    "resource_may_overlap": "sam_shift_lint.iam.matching",
    "resource_overlaps": "sam_shift_lint.iam.matching",
    "Pattern": "sam_shift_lint.iam.pattern",
    "Unknown": "sam_shift_lint.iam.pattern",
    "parse_glob": "sam_shift_lint.iam.pattern",
    "parse_template": "sam_shift_lint.iam.pattern",
    "Clause": "sam_shift_lint.iam.policy",
    "PolicyDocument": "sam_shift_lint.iam.policy",
    "Statement": "sam_shift_lint.iam.policy",
    "parse_policy": "sam_shift_lint.iam.policy",
    "ActionResult": "sam_shift_lint.iam.profiles",
    "GroupResult": "sam_shift_lint.iam.profiles",
    "Profile": "sam_shift_lint.iam.profiles",
    "ProfileError": "sam_shift_lint.iam.profiles",
    "ProfileResult": "sam_shift_lint.iam.profiles",
    "RequirementGroup": "sam_shift_lint.iam.profiles",
    "available_profiles": "sam_shift_lint.iam.profiles",
    "check_profile": "sam_shift_lint.iam.profiles",
    "load_profile": "sam_shift_lint.iam.profiles",
    "load_profile_file": "sam_shift_lint.iam.profiles",
    "profile_from_data": "sam_shift_lint.iam.profiles",
}

__all__ = [
    "DEFAULT_PARTITION",
    "ActionResult",
    "Clause",
    "Context",
    "GroupResult",
    "Pattern",
    "PolicyDocument",
    "PolicySet",
    "Profile",
    "ProfileError",
    "ProfileResult",
    "RequirementGroup",
    "Statement",
    "StatementRef",
    "Status",
    "Unknown",
    "Verdict",
    "action_covers",
    "action_matches",
    "action_overlaps",
    "available_profiles",
    "canonical_name",
    "check_profile",
    "closest_action",
    "evaluate",
    "expand",
    "is_known_action",
    "load_profile",
    "load_profile_file",
    "parse_glob",
    "parse_policy",
    "parse_template",
    "profile_from_data",
    "resource_covers",
    "resource_matches",
    "resource_may_overlap",
    "resource_overlaps",
    "worst",
]


def __getattr__(name: str) -> Any:
    """Load the submodule that defines ``name`` on first use (PEP 562): importing one submodule, such as
    :mod:`.managed` from the template model, must not load the whole evaluation engine."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
