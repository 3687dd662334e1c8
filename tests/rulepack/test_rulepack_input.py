"""The rule pack lints the template cfn-lint gives it, with the configuration next to that template.

Real cfn-lint in every test (``cfn-lint --append-rules=sam_shift_lint.rules`` on a file and on standard input,
``cfnlint.api.lint(text)`` with a rules collection and with ``ManualArgs(append_rules=...)``, in fresh processes),
compared with what ``sam-shift-lint`` reports for the same text. Slow: each test starts cfn-lint."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SAM_HEADER = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n"
# W9110 at the misspelled key in Globals (8:7), E9103 at the function that inherits the preference without an
# alias (21:7), E9105 at its misspelled Type (22:15).
TEMPLATE = SAM_HEADER + """\
Globals:
  Function:
    Runtime: python3.12
    DeploymentPreference:
      Type: AllAtOnce
      Alarm: [x]
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      CodeUri: src/
      AutoPublishAlias: live
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: worker.handler
      CodeUri: src/
      DeploymentPreference:
        Type: Canary10Percent5Minute
"""
WITH_LANGUAGE_EXTENSIONS = TEMPLATE.replace(
    "Transform: AWS::Serverless-2016-10-31", "Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]"
)


def ours(bin_path: Callable[[str], Path], path: Path, *flags: str) -> list[tuple[str, int, int]]:
    ran = subprocess.run([str(bin_path("sam-shift-lint")), "--format", "json", *flags, path.name], cwd=path.parent,
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode in (0, 1), ran.stderr
    return sorted((item["rule"], item["line"], item["column"]) for item in json.loads(ran.stdout))


def cfn_lint(bin_path: Callable[[str], Path], cwd: Path, *args: str, stdin: str | None = None) -> list[dict]:
    ran = subprocess.run([str(bin_path("cfn-lint")), "--format", "json", "--append-rules=sam_shift_lint.rules", *args],
                         cwd=cwd, input=stdin, capture_output=True, text=True, timeout=300)
    assert "Traceback" not in ran.stderr, ran.stderr
    return json.loads(ran.stdout or "[]")


def pack_matches(matches: list[dict]) -> list[tuple[str, int, int]]:
    return sorted(
        (m["Rule"]["Id"], m["Location"]["Start"]["LineNumber"], m["Location"]["Start"]["ColumnNumber"])
        for m in matches if m["Rule"]["Id"][1:3] in ("91", "92")
    )


def api(script: str, cwd: Path) -> list[list[tuple[str, int, int]]]:
    """Run ``script`` (which prints one JSON list of [rule, line, column] per line) in a fresh interpreter."""
    ran = subprocess.run([sys.executable, "-c", textwrap.dedent(script)], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert ran.returncode == 0, ran.stderr
    return [sorted(tuple(item) for item in json.loads(line)) for line in ran.stdout.splitlines()]


API_PRELUDE = """
import json, sys
from cfnlint.api import lint, ManualArgs
def show(matches):
    print(json.dumps([[m.rule.id, m.linenumber, m.columnnumber] for m in matches if m.rule.id[1:3] in ("91", "92")]))
text = open("template.yaml", encoding="utf-8").read()
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    return tmp_path


def test_file_stdin_and_api_agree_with_the_command(bin_path: Callable[[str], Path], project: Path) -> None:
    expected = ours(bin_path, project / "template.yaml")
    assert expected == [("E9103", 21, 7), ("E9105", 22, 15), ("W9110", 8, 7)]
    assert pack_matches(cfn_lint(bin_path, project, "--", "template.yaml")) == expected
    assert pack_matches(cfn_lint(bin_path, project, stdin=TEMPLATE)) == expected
    first, second = api(API_PRELUDE + """
show(lint(text, config=ManualArgs(append_rules=["sam_shift_lint.rules"])))  # decoded before the pack is loaded
show(lint(text, config=ManualArgs(append_rules=["sam_shift_lint.rules"])))  # decoded with the pack loaded
""", project)
    assert first == expected and second == expected
    [with_collection] = api(API_PRELUDE + """
from cfnlint.rules import RulesCollection
rules = RulesCollection()
rules.create_from_module("sam_shift_lint.rules")
show(lint(text, rules=rules))
""", project)
    assert with_collection == expected


def test_language_extensions_and_tab_indented_json(bin_path: Callable[[str], Path], project: Path) -> None:
    """A transform that replaces cfn-lint's data keeps the text (it is kept on the template object); JSON that
    cfn-lint's YAML reader refuses (tabs) goes through its JSON decoder, whose text is kept too."""
    (project / "template.yaml").write_text(WITH_LANGUAGE_EXTENSIONS)
    expected = ours(bin_path, project / "template.yaml")
    assert expected
    assert pack_matches(cfn_lint(bin_path, project, stdin=WITH_LANGUAGE_EXTENSIONS)) == expected
    data = {
        "AWSTemplateFormatVersion": "2010-09-09", "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {"Fn": {"Type": "AWS::Serverless::Function", "Properties": {"Handler": "a.b", "Runtime": "python3.12", "CodeUri": "s3://b/k"}}},
    }
    (project / "tabs.json").write_text(json.dumps(data, indent="\t"))
    expected = ours(bin_path, project / "tabs.json")
    assert [rule for rule, _, _ in expected] == ["W9101", "W9102"]
    assert pack_matches(cfn_lint(bin_path, project, "--", "tabs.json")) == expected


def test_the_file_is_not_read_again(bin_path: Callable[[str], Path], project: Path) -> None:
    """With every way the package reads a file disabled, cfn-lint on a file still gets our findings: the rule
    pack lints the text cfn-lint read."""
    [found] = api("""
import json
import sam_shift_lint.parsing.document as document
def refuse(*args, **kwargs):
    raise AssertionError("the rule pack read a file")
document.read_prefix = document.read_bytes = document.load = document.read_text = refuse
from cfnlint.config import ConfigMixIn
from cfnlint.runner import Runner
runner = Runner(ConfigMixIn(["--append-rules=sam_shift_lint.rules", "--", "template.yaml"]))
matches = list(runner.run())
print(json.dumps([[m.rule.id, m.linenumber, m.columnnumber] for m in matches if m.rule.id[1:3] in ("91", "92")]))
""", project)
    assert found == ours(bin_path, project / "template.yaml")


def test_the_configuration_next_to_the_template_reaches_the_rule_pack(bin_path: Callable[[str], Path], project: Path) -> None:
    (project / "legacy").mkdir()
    (project / "legacy" / "template.yaml").write_text(TEMPLATE)
    (project / "pyproject.toml").write_text(
        '[tool.sam-shift-lint]\nignore = ["E9103"]\nper-file-ignores = {"legacy/**" = ["W91"]}\n'
    )
    both = cfn_lint(bin_path, project, "--", "template.yaml", "legacy/template.yaml")
    top = pack_matches([m for m in both if m["Filename"] == "template.yaml"])
    assert top == ours(bin_path, project / "template.yaml") == [("E9105", 22, 15), ("W9110", 8, 7)]
    legacy = pack_matches([m for m in both if m["Filename"] == "legacy/template.yaml"])
    assert legacy == ours(bin_path, project / "legacy" / "template.yaml") == [("E9105", 22, 15)]  # W91 taken away there
    from_legacy = pack_matches(cfn_lint(bin_path, project / "legacy", "--", "template.yaml"))  # found from the file, not the cwd
    assert from_legacy == [("E9105", 22, 15)]
    # standard input: the current directory's configuration
    assert pack_matches(cfn_lint(bin_path, project, stdin=TEMPLATE)) == [("E9105", 22, 15), ("W9110", 8, 7)]


def test_region_from_the_configuration_and_cfn_lint_rule_configuration_over_it(bin_path: Callable[[str], Path], tmp_path: Path) -> None:
    fixture = Path(__file__).resolve().parent.parent / "iam_rules" / "settings" / "regional-deploy-role.yaml"
    (tmp_path / "template.yaml").write_text(fixture.read_text())
    (tmp_path / ".sam-shift-lint.toml").write_text('region = "eu-west-1"\n')
    assert [m[0] for m in pack_matches(cfn_lint(bin_path, tmp_path, "--", "template.yaml"))] == ["E9201"]
    assert pack_matches(cfn_lint(bin_path, tmp_path, "-x", "E9201:region=us-west-2", "--", "template.yaml")) == []


def test_a_declared_profile_reaches_the_rule_pack(bin_path: Callable[[str], Path], tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / "team.json").write_text('{"name": "team", "groups": [{"name": "queues", "actions": ["sqs:SendMessage"], "resource": "*"}]}')
    (tmp_path / ".sam-shift-lint.toml").write_text('[profiles]\nteam-deploy = "team.json"\n')
    (tmp_path / "template.yaml").write_text(SAM_HEADER + textwrap.dedent("""\
        Resources:
          DeployRole:
            Type: AWS::IAM::Role
            Metadata:
              sam-shift-lint: {profile: team-deploy}
            Properties:
              AssumeRolePolicyDocument:
                Statement: [{Effect: Allow, Principal: {Service: cloudformation.amazonaws.com}, Action: sts:AssumeRole}]
              Policies:
                - PolicyName: p
                  PolicyDocument:
                    Statement: [{Effect: Allow, Action: "s3:*", Resource: "*"}]
        """))
    matches = [m for m in cfn_lint(bin_path, tmp_path, "--", "template.yaml") if m["Rule"]["Id"] == "E9201"]
    assert len(matches) == 1 and "queues: sqs:SendMessage" in matches[0]["Message"]


def test_an_unusable_configuration_is_one_e0002_naming_file_and_key(bin_path: Callable[[str], Path], project: Path) -> None:
    (project / ".sam-shift-lint.toml").write_text('select = ["W99"]\n')
    matches = cfn_lint(bin_path, project, "--", "template.yaml")
    ours_reported = [m for m in matches if m["Rule"]["Id"][1:3] in ("91", "92") or "sam-shift-lint" in m["Message"]]
    [error] = ours_reported
    assert error["Rule"]["Id"] == "E0002"
    assert f"{project / '.sam-shift-lint.toml'}: select: 'W99' matches no rule id or prefix" in error["Message"]
