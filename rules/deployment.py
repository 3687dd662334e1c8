"""sam-shift-lint's gradual-deployment rules for cfn-lint.

Load from an installed package with ``cfn-lint t.yaml --append-rules=sam_shift_lint.rules`` or from a
checkout with ``cfn-lint t.yaml --append-rules=rules/``. Each class only names its rule id; the logic
lives in ``sam_shift_lint.checks``.
"""
import os
import sys

try:
    from sam_shift_lint.cfnlint_rule import SamShiftLintRule
except ImportError:  # a checkout loaded with --append-rules=rules/ before `pip install`
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from sam_shift_lint.cfnlint_rule import SamShiftLintRule


class FunctionWithoutAutoPublishAlias(SamShiftLintRule):
    id = "W9101"


class FunctionWithoutDeploymentPreference(SamShiftLintRule):
    id = "W9102"


class DeploymentPreferenceWithoutAlias(SamShiftLintRule):
    id = "E9103"


class DeploymentPreferenceTypeMissing(SamShiftLintRule):
    id = "E9104"


class DeploymentPreferenceTypeUnknown(SamShiftLintRule):
    id = "E9105"


class AutoPublishAliasInvalid(SamShiftLintRule):
    id = "E9106"


class DeploymentPreferenceShape(SamShiftLintRule):
    id = "E9107"
