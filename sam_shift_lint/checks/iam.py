"""The IAM rules, one module each: E9201 :mod:`.iam_coverage`, W9202 :mod:`.iam_placeholders`, E9203
:mod:`.iam_hooks`, W9204 :mod:`.iam_actions`; standalone policy files :mod:`.policy_files`.

Evaluation is :mod:`sam_shift_lint.iam`: explicit Deny wins, wildcards and ``NotAction``/``NotResource`` as IAM
reads them, "granted" meaning "allowed by the policies considered" (SCPs, boundaries and resource policies are
not visible). Region, account and partition: ``--region``/``--account-id`` when given, else the values every
ARN of the file agrees on; otherwise they stay symbolic (``${AWS::Region}`` in a template matches itself).

This module only keeps the names other code imported from it before the split.
"""
from __future__ import annotations

from .policy_files import check_policy_file, is_policy_document

__all__ = ["check_policy_file", "is_policy_document"]
