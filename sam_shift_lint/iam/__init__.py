"""IAM evaluation for sam-shift-lint: policy model, matching, evaluation and requirement profiles.

Independent of the SAM code. cfn-lint is never imported: its ``Policies.json`` is read (located through
``importlib.util.find_spec``) when the action catalog is first used.

Typical use::

    docs = [parse_policy(data, "DeployRole")]
    result = check_profile(docs, "deploy-role", region="us-east-1", account="123456789012")
    for group in result.failing:
        print(group.group.name, group.status.value, group.missing, group.statements)
"""
from sam_shift_lint.iam.actions import canonical_name, closest_action, expand, is_known_action
from sam_shift_lint.iam.evaluate import DEFAULT_PARTITION, PolicySet, StatementRef, Status, Verdict, evaluate, worst
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
