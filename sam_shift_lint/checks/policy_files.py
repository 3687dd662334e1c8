"""Standalone IAM policy files (a JSON/YAML policy that is no template): W9204 and W9202 always, E9201 when
the file is a deploy-role policy (by its name or ``--policy-profile``)."""
from __future__ import annotations

import os
from typing import Any, Callable, List, Optional

from ..document import Document, Mapping
from ..findings import Finding
from ..roles import DEPLOY_ROLE_PROFILE
from .iam_actions import unknown_actions
from .iam_coverage import policy_file_coverage
from .iam_options import bindings_for, config_value
from .iam_placeholders import PlaceholderContext, placeholder_findings

POLICY_FILE_MARKER = "CloudFormationRolePolicy"


def is_policy_document(document: Document) -> bool:
    """A standalone IAM policy: a map with ``Statement`` that is no template."""
    root = document.root
    return (
        isinstance(root, Mapping)
        and root.intrinsic() is None
        and "Statement" in root
        and "Resources" not in root
        and "AWSTemplateFormatVersion" not in root
    )


def policy_file_profile(document: Document, config: Any) -> Optional[str]:
    """The profile a policy file is checked against: ``--policy-profile``, or deploy-role by its name."""
    given = config_value(config, "policy_profile")
    if given:
        return given
    if POLICY_FILE_MARKER in os.path.basename(document.path):
        return DEPLOY_ROLE_PROFILE
    return None


def check_policy_file(document: Document, config: Any = None, enabled: Optional[Callable[[str], bool]] = None) -> List[Finding]:
    """Findings for a standalone policy file (W9204 and W9202 always, E9201 against its profile)."""
    root = document.root
    assert isinstance(root, Mapping)
    file = document.path
    bindings = bindings_for(root, config)
    findings: List[Finding] = []
    findings.extend(unknown_actions(root, (), file, None))
    findings.extend(placeholder_findings(root, (), PlaceholderContext(file, document, None, False, bindings)))
    spec = policy_file_profile(document, config)
    if spec:
        findings.extend(policy_file_coverage(document, root, spec, bindings))
    if enabled is not None:
        findings = [f for f in findings if enabled(f.rule)]
    findings.sort(key=Finding.sort_key)
    return findings
