"""One entry point for both front doors: parse a file once, build the SAM view, run the checks."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, List, Optional

from . import checks, suppression
from .document import Document, DocumentError, load
from .findings import Finding
from .sam import SamTemplate

if TYPE_CHECKING:  # pragma: no cover
    from .fixes.plan import FixConfig


@dataclass
class Result:
    path: str
    findings: List[Finding] = field(default_factory=list)
    error: Optional[str] = None  # one-line reason when the file could not be checked
    document: Optional[Document] = None
    checked: bool = False


def check_document(
    document: Document,
    enabled: Optional[Callable[[str], bool]] = None,
    honour_metadata: bool = True,
    fix_config: Optional["FixConfig"] = None,
) -> List[Finding]:
    """Findings for one parsed template (or standalone IAM policy), each with the fix it would get under
    ``fix_config``."""
    from .checks.policy_files import check_policy_file, is_policy_document
    from .roles import wants_iam_checks

    if is_policy_document(document):
        return check_policy_file(document, fix_config, enabled)
    template = SamTemplate(document)
    if not template.functions and not wants_iam_checks(template):
        return []
    template.config = fix_config  # type: ignore[attr-defined]  # --region/--account-id for the IAM rules
    findings = checks.run(template, enabled)
    if honour_metadata:
        findings = suppression.apply(document.root, findings)
    if findings:
        from .fixes.plan import FixConfig, attach_fixes

        findings = attach_fixes(template, findings, fix_config or FixConfig())
    return findings


def check_file(
    path: str,
    raw: Optional[bytes] = None,
    enabled: Optional[Callable[[str], bool]] = None,
    display_path: Optional[str] = None,
) -> Result:
    name = display_path or path
    try:
        document = load(path, raw)
    except DocumentError as error:
        return Result(name, error=str(error))
    document.path = name
    return Result(name, check_document(document, enabled), document=document, checked=True)

