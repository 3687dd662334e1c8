"""Shared helpers for the IAM tests (imported by name: pytest puts this folder on sys.path)."""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from sam_shift_lint.iam import PolicyDocument, parse_policy

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(os.environ.get("SAM_SHIFT_LINT_SHARED", Path(__file__).resolve().parents[3] / "shared"))
CORPUS = SHARED / "corpus" / "policies"

LAMBDA_FN = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:*"


def stmt(effect: str = "Allow", action: Any = "lambda:*", resource: Any = "*", **extra: Any) -> dict[str, Any]:
    """A statement dict; pass ``NotAction=``/``NotResource=`` via ``action=None``/``resource=None``."""
    out: dict[str, Any] = {"Effect": effect}
    if action is not None:
        out["Action"] = action
    if resource is not None:
        out["Resource"] = resource
    out.update(extra)
    return out


def doc(*statements: dict[str, Any], doc_id: str = "P", as_map: bool = False) -> PolicyDocument:
    """A parsed policy from statements (a map when ``as_map`` and there is one)."""
    body: Any = statements[0] if as_map and len(statements) == 1 else list(statements)
    return parse_policy({"Version": "2012-10-17", "Statement": body}, doc_id)


def load_fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def fixture_doc(name: str, doc_id: str | None = None) -> PolicyDocument:
    return parse_policy(load_fixture(name), doc_id or name)


def corpus_files() -> list[Path]:
    return sorted(CORPUS.rglob("*.json")) if CORPUS.is_dir() else []


def examples(default: int) -> int:
    """Hypothesis example count; ``IAM_HYPOTHESIS_SCALE=20`` runs twenty times as many."""
    return default * int(os.environ.get("IAM_HYPOTHESIS_SCALE", "1"))
