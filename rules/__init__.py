"""The cfn-lint rule pack, importable as ``sam_shift_lint.rules`` (cfn-lint instantiates every rule class in
this namespace, so each one is re-exported here)."""
from .deployment import (
    AutoPublishAliasInvalid,
    DeploymentPreferenceShape,
    DeploymentPreferenceTypeMissing,
    DeploymentPreferenceTypeUnknown,
    DeploymentPreferenceWithoutAlias,
    FunctionWithoutAutoPublishAlias,
    FunctionWithoutDeploymentPreference,
)
from .iam import (
    DeployRoleMissingPermissions,
    HookCannotReportStatus,
    PolicyArnPlaceholder,
    UnknownIamAction,
)

__all__ = [
    "AutoPublishAliasInvalid",
    "DeployRoleMissingPermissions",
    "HookCannotReportStatus",
    "PolicyArnPlaceholder",
    "UnknownIamAction",
    "DeploymentPreferenceShape",
    "DeploymentPreferenceTypeMissing",
    "DeploymentPreferenceTypeUnknown",
    "DeploymentPreferenceWithoutAlias",
    "FunctionWithoutAutoPublishAlias",
    "FunctionWithoutDeploymentPreference",
]
