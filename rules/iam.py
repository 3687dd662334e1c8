"""sam-shift-lint's IAM rules for cfn-lint (E9201, W9202, E9203, W9204).

Loaded with the rest of the pack (``--append-rules=sam_shift_lint.rules`` or ``--append-rules=rules/``).
Each class only names its rule id; the logic lives in ``sam_shift_lint.checks.iam_*``. Standalone policy files
are not templates (cfn-lint rejects them with E1001): check those with the ``sam-shift-lint`` command.
"""
import os
import sys

try:
    from sam_shift_lint.cfnlint_rule import SamShiftLintRule
except ImportError:  # a checkout loaded with --append-rules=rules/ before `pip install`
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from sam_shift_lint.cfnlint_rule import SamShiftLintRule


class DeployRoleMissingPermissions(SamShiftLintRule):
    id = "E9201"


class PolicyArnPlaceholder(SamShiftLintRule):
    id = "W9202"


class HookCannotReportStatus(SamShiftLintRule):
    id = "E9203"


class UnknownIamAction(SamShiftLintRule):
    id = "W9204"
