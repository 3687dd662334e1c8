"""What the language server tests share: a large SAM template."""
from __future__ import annotations

import pytest


def big_template(lines: int) -> str:
    """A SAM template of about ``lines`` lines: functions of ten lines each, every other one without
    AutoPublishAlias and DeploymentPreference (two findings), and '#' characters inside quoted strings."""
    out = ["AWSTemplateFormatVersion: '2010-09-09'", "Transform: AWS::Serverless-2016-10-31", "Resources:"]
    number = 0
    while len(out) < lines - 10:
        out += [
            f"  Function{number}:",
            "    Type: AWS::Serverless::Function",
            "    Properties:",
            f"      Handler: app.handler{number}",
            "      Runtime: python3.12",
            "      MemorySize: 128",
            "      Timeout: 30",
            f'      Description: "function number {number} # not a comment"',
        ]
        if number % 2:
            out += ["      AutoPublishAlias: live", "      DeploymentPreference: {Type: AllAtOnce}"]
        else:
            out += ["      CodeUri: src/", "      Tags: {team: a}"]
        number += 1
    return "\n".join(out) + "\n"


@pytest.fixture(scope="session")
def five_thousand_lines() -> str:
    text = big_template(5000)
    assert 4990 <= text.count("\n") <= 5000
    return text
