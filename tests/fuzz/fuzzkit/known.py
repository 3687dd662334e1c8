"""Failures the fuzzer finds that are known and still open, each with a small reproducer.

The fuzz tests tolerate a failure whose signature matches an entry here (and list it), and fail on any other;
``tests/fuzz/test_known_open.py`` runs each entry's reproducer and fails once it no longer reproduces, so an entry
is removed as soon as its bug is fixed and the fuzz tests become strict about it again. ``scripts/fuzz.py``
labels its findings with these entries. Reproducers with their observed CLI output: ``/work/coord/fuzz-findings``.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

TEMPLATE = b"""Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: s3://bucket/key
"""


@dataclass(frozen=True)
class Known:
    name: str
    pattern: str  # a regular expression searched in the failure signature
    issue: str  # where it is tracked
    make: Callable[[], bytes]  # the reproducer's bytes
    file_name: str = "template.yaml"
    unsafe: bool = False
    placement: str = "auto"

    def matches(self, signature: str) -> bool:
        return re.search(self.pattern, signature) is not None


# A failure found and not fixed gets an entry here, with its reproducer (``TEMPLATE`` above is a minimal function to
# start one from); a fixed one leaves, with a regression test of its own.
KNOWN_OPEN: tuple[Known, ...] = ()


def known(signature: str) -> Known | None:
    """The open entry a failure signature belongs to, if any."""
    return next((entry for entry in KNOWN_OPEN if entry.matches(signature)), None)
