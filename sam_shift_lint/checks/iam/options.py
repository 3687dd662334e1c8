"""What the IAM rules check against: the region, account and partition of ARN symbols (``--region`` /
``--account-id``, else what every ARN of the file agrees on) and requirement profiles by name or path."""
from __future__ import annotations

import functools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sam_shift_lint.parsing.nodes import Node, scalars
from sam_shift_lint.settings import LintSettings

if TYPE_CHECKING:  # sam_shift_lint.iam is imported only when a profile is loaded
    from sam_shift_lint.iam.profiles import Profile


@dataclass(frozen=True)
class Bindings:
    """Concrete values for the ARN symbols, and where each came from ("flag" or "file")."""

    region: str | None = None
    account: str | None = None
    partition: str = "aws"
    sources: dict[str, str] = field(default_factory=dict)


def _arn_texts(node: Node) -> Iterator[str]:
    for scalar in scalars(node):
        if isinstance(scalar.value, str) and "arn:" in scalar.value:
            yield scalar.value


def bindings_for(root: Node, settings: LintSettings) -> Bindings:
    from sam_shift_lint.iam.arns import agreed

    found = agreed(_arn_texts(root))
    sources: dict[str, str] = {}
    values: dict[str, str | None] = {}
    given_values = {"region": settings.region, "account": settings.account_id}
    for name in ("region", "account"):
        given = given_values[name]
        if given:
            values[name], sources[name] = given, "flag"
        elif found[name]:
            values[name], sources[name] = found[name], "file"
        else:
            values[name] = None
    return Bindings(values["region"], values["account"], found["partition"] or "aws", sources)


@functools.lru_cache(maxsize=32)
def _profile(spec: str, base: str) -> Profile:
    from sam_shift_lint.iam.profiles import load_profile

    looks_like_path = spec.endswith(".json") or "/" in spec or os.sep in spec
    if looks_like_path and not os.path.isabs(spec) and base:
        spec = os.path.join(base, spec)
    return load_profile(spec)


def load_profile_for(spec: str, document_path: str) -> Profile:
    """A profile by bundled name or JSON path (relative paths: from the file's directory, else the CWD)."""
    base = os.path.dirname(os.path.abspath(document_path)) if document_path not in ("", "-") else ""
    try:
        return _profile(spec, base)
    except Exception:  # the next attempt (the CWD) decides what is reported
        return _profile(spec, "")
