"""The file names of the layouts whose deploy-role pairing is automatic (a CodeStar project, a checked-in
``sam pipeline`` bootstrap template): what :mod:`.pairing` pairs, and the cheap name test
:mod:`sam_shift_lint.project` asks of every file (no imports: a file of another name loads nothing for it)."""
from __future__ import annotations

POLICY_MARKER = "CloudFormationRolePolicy"
TOOLCHAIN_NAMES = ("toolchain.yml", "toolchain.yaml")
TEMPLATE_NAMES = ("template.yml", "template.yaml")  # CodeStar's name first
BOOTSTRAP_NAMES = ("stage_resources.yaml", "stage_resources.yml")  # SAM CLI's bootstrap template, checked in
PIPELINE_TEMPLATE_NAMES = ("template.yaml", "template.yml")  # sam init's and sam pipeline init's default first
AUTOMATIC = "automatic: CodeStar layout"
PIPELINE = "automatic: sam pipeline bootstrap template"
AUTOMATIC_SOURCES = (AUTOMATIC, PIPELINE)


def automatic_source(name: str) -> str:
    """The layout a file of this name is paired by (:data:`AUTOMATIC`, :data:`PIPELINE`), or "" (a name test)."""
    if POLICY_MARKER in name or name in TOOLCHAIN_NAMES:
        return AUTOMATIC
    if name in BOOTSTRAP_NAMES:
        return PIPELINE
    return ""
