"""Failures the fuzzer finds that are known and still open, each with a small reproducer.

The fuzz tests tolerate a failure whose signature matches an entry here (and list it), and fail on any other;
``tests/fuzz/test_known_open.py`` runs each entry's reproducer and fails once it no longer reproduces, so an entry
is removed as soon as its bug is fixed and the fuzz tests become strict about it again. ``scripts/fuzz.py``
labels its findings with these entries. Reproducers with their observed CLI output: ``/work/coord/fuzz-findings``.
"""
from __future__ import annotations

import json
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


_ALARMS = b"".join(
    b"  %s:\n    Type: AWS::CloudWatch::Alarm\n    Properties: {Namespace: AWS/Lambda, MetricName: Errors, Statistic: Sum, Period: 60, "
    b"EvaluationPeriods: 1, Threshold: 0, ComparisonOperator: GreaterThanThreshold, Dimensions: [{Name: FunctionName, Value: !Ref Fn}]}\n" % name
    for name in (b"AlarmA", b"AlarmB")
)


KNOWN_OPEN: tuple[Known, ...] = (
    Known("fix-writes-raw-control-characters", r"^fix-refused:the fixed text does not parse: YAML error: unacceptable character .*\{W9117\}$",
          "fuzzing: a fix renders control characters raw in single quotes (W9117's !Sub of an alias holding ESC)",
          lambda: TEMPLATE.replace(b": ", b": '").replace(b"\n", b"'\n").replace(b":'\n", b":\n")
          + b"      'AutoPublishAlias': \"\\e]0;x\\a\"\n      'DeploymentPreference':\n        'Type': 'Canary10Percent5Minutes'\n",
          unsafe=True),
    Known("iam-messages-quote-whole-values", r"^long-message:(W9202|W9204)$",
          "fuzzing: W9202 and W9204 quote ARNs and actions whole (other rules cut values at 200 characters)",
          lambda: json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:" + "y" * 3000],
                                                                     "Resource": "arn:aws:lambda:REGION:ACCOUNT_ID:function:" + "f" * 3000}]}).encode(),
          "policy.json"),
    # Found by fuzzing, not in the issue's list (reproducers and causes in /work/coord/fuzz-findings):
    Known("rename-and-add-same-key", r"^fix-refused:the fixed text does not parse: duplicate key .*\{E9104\+W9110\}$",
          "fuzzing: --unsafe-fixes renames 'TYPE' to 'Type' and adds 'Type' in one pass",
          lambda: TEMPLATE + b"      AutoPublishAlias: live\n      DeploymentPreference:\n        TYPE: AllAtOnce\n", unsafe=True),
    Known("index-changes-on-one-list", r"^fix-refused:(intended change at … is outside the list|the fixed text does not hold exactly the "
          r"intended change)\{(.*\+)?E9118\+E9119(\+.*)?\}$", "fuzzing: E9118 and E9119 fixes on one Alarms list in one pass",
          lambda: TEMPLATE + b"      AutoPublishAlias: live\n      DeploymentPreference:\n        Type: Linear10PercentEvery1Minute\n"
          b"        Alarms: [!Ref AlarmA, !Ref AlarmA, !GetAtt AlarmB.Arn]\n" + _ALARMS),

)


def known(signature: str) -> Known | None:
    """The open entry a failure signature belongs to, if any."""
    return next((entry for entry in KNOWN_OPEN if entry.matches(signature)), None)
