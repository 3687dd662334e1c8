"""The configuration file, through the real command: where it is found, what each key does, how the command
line overrides it, and one clear error (file and key, exit 2) for anything wrong in it."""
from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from confkit import SAM_HEADER, Ran, files_reported, git_repo, sam_template, write

Cli = Callable[..., Ran]


# ------------------------------------------------------------------------------------------------ discovery


def test_pyproject_table_applies(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "app"\n\n[tool.sam-shift-lint]\nignore = ["W9102"]\n')
    write(tmp_path / "template.yaml", sam_template("Api"))
    ran = cli("--format", "json", "template.yaml", cwd=tmp_path)
    assert (ran.returncode, ran.rules_by_file()) == (1, {"template.yaml": ["W9101"]}), ran.stderr


def test_dotfile_takes_precedence_over_pyproject_in_the_same_directory(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.sam-shift-lint]\nignore = ["W9102"]\n')
    write(tmp_path / ".sam-shift-lint.toml", 'ignore = ["W9101"]\n')
    write(tmp_path / "template.yaml", sam_template("Api"))
    ran = cli("--format", "json", "template.yaml", cwd=tmp_path)
    assert ran.rules_by_file() == {"template.yaml": ["W9102"]}


def test_pyproject_without_the_table_does_not_count(cli: Cli, tmp_path: Path) -> None:
    """The walk up goes on past a pyproject.toml that has no [tool.sam-shift-lint] (even one naming the tool)."""
    write(tmp_path / ".sam-shift-lint.toml", 'ignore = ["W9101"]\n')
    write(tmp_path / "app" / "pyproject.toml", '[project]\nname = "app"\ndependencies = ["sam-shift-lint>=0.1"]\n')
    write(tmp_path / "app" / "template.yaml", sam_template("Api"))
    ran = cli("--format", "json", "app/template.yaml", cwd=tmp_path)
    assert ran.rules_by_file() == {"app/template.yaml": ["W9102"]}


def test_closest_configuration_wins_alone(cli: Cli, tmp_path: Path) -> None:
    """No merging: the nested file does not inherit the outer file's ignore (as ruff without `extend`)."""
    write(tmp_path / ".sam-shift-lint.toml", 'ignore = ["W9101"]\n')
    write(tmp_path / "outer.yaml", sam_template("Outer"))
    write(tmp_path / "service" / ".sam-shift-lint.toml", 'ignore = ["W9102"]\n')
    write(tmp_path / "service" / "inner.yaml", sam_template("Inner"))
    write(tmp_path / "service" / "deeper" / "deep.yaml", sam_template("Deep"))
    ran = cli("--format", "json", ".", cwd=tmp_path)
    assert ran.rules_by_file() == {
        "./outer.yaml": ["W9102"],
        "./service/deeper/deep.yaml": ["W9101"],
        "./service/inner.yaml": ["W9101"],
    }


def test_config_flag_overrides_discovery_and_paths_are_from_the_current_directory(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / ".sam-shift-lint.toml", 'ignore = ["W9101", "W9102"]\n')  # would hide everything
    write(tmp_path / "ci" / "lint.toml", 'per-file-ignores = {"legacy/**" = ["W9101"]}\n')
    write(tmp_path / "legacy" / "old.yaml", sam_template("Old"))
    write(tmp_path / "new.yaml", sam_template("New"))
    ran = cli("--format", "json", "--config", "ci/lint.toml", ".", cwd=tmp_path)
    assert ran.rules_by_file() == {"./legacy/old.yaml": ["W9102"], "./new.yaml": ["W9101", "W9102"]}


def test_isolated_ignores_every_configuration(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / ".sam-shift-lint.toml", 'select = ["E"]\n')
    write(tmp_path / "t.yaml", sam_template())
    assert cli("--format", "json", "t.yaml", cwd=tmp_path).rules_by_file() == {}
    assert cli("--format", "json", "--isolated", "t.yaml", cwd=tmp_path).rules_by_file() == {"t.yaml": ["W9101", "W9102"]}


def test_standard_input_uses_the_configuration_of_its_name_or_the_current_directory(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / ".sam-shift-lint.toml", 'ignore = ["W9101"]\n')
    write(tmp_path / "sub" / ".sam-shift-lint.toml", 'ignore = ["W9102"]\n')
    text = sam_template().encode()
    assert cli("--format", "json", "-", cwd=tmp_path, stdin=text).rules_by_file() == {"-": ["W9102"]}
    named = cli("--format", "json", "-", "--stdin-filename", "sub/t.yaml", cwd=tmp_path, stdin=text)
    assert named.rules_by_file() == {"sub/t.yaml": ["W9101"]}


# ------------------------------------------------------------------------------------------------ keys


def test_select_extend_select_and_ignore(cli: Cli, tmp_path: Path) -> None:
    """extend-select turns on an opt-in rule (I9125 runs only when named by its full id)."""
    template = SAM_HEADER + (
        "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n"
        "      Runtime: python3.12\n      CodeUri: src/\n      AutoPublishAlias: live\n"
        "      DeploymentPreference: {Type: AllAtOnce}\n      Tags: {team: a}\n"
    )
    write(tmp_path / "t.yaml", template)
    assert "I9125" not in str(cli("--format", "json", "t.yaml", cwd=tmp_path).rules_by_file())
    write(tmp_path / ".sam-shift-lint.toml", 'extend-select = ["I9125"]\n')
    assert cli("--format", "json", "t.yaml", cwd=tmp_path).rules_by_file() == {"t.yaml": ["I9125"]}
    write(tmp_path / ".sam-shift-lint.toml", 'extend-select = ["I9125"]\nignore = ["I"]\n')
    assert cli("--format", "json", "t.yaml", cwd=tmp_path).rules_by_file() == {}


def test_per_file_ignores(cli: Cli, tmp_path: Path) -> None:
    """Globs relative to the configuration's directory; a name matches a directory at any depth; '!' negates."""
    write(
        tmp_path / "pyproject.toml",
        "[tool.sam-shift-lint.per-file-ignores]\n"
        '"legacy" = ["W9101"]\n'
        '"services/*/template.yaml" = ["W9102"]\n'
        '"!services/**" = ["E"]\n',
    )
    for relative in ("legacy/a.yaml", "apps/legacy/b.yaml", "services/api/template.yaml", "services/api/deep/template.yaml", "top.yaml"):
        write(tmp_path / relative, sam_template())
    ran = cli("--format", "json", ".", cwd=tmp_path)
    assert ran.rules_by_file() == {
        "./apps/legacy/b.yaml": ["W9102"],
        "./legacy/a.yaml": ["W9102"],
        "./services/api/deep/template.yaml": ["W9101", "W9102"],  # '*' stops at '/'
        "./services/api/template.yaml": ["W9101"],
        "./top.yaml": ["W9101", "W9102"],
    }


def test_fix_defaults_from_the_configuration_and_flags_over_them(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / ".sam-shift-lint.toml", 'alias-name = "prod"\ndeployment-type = "Canary10Percent5Minutes"\nplacement = "function"\n')
    target = write(tmp_path / "t.yaml", sam_template("Api"))
    ran = cli("--fix", "t.yaml", cwd=tmp_path)
    assert "Found 3 problems (2 fixed, 1 remaining" in ran.stdout and "W9117" in ran.stdout, ran.stdout + ran.stderr
    text = target.read_text()
    assert "AutoPublishAlias: prod" in text and "Type: Canary10Percent5Minutes" in text and "Globals" not in text
    target.write_text(sam_template("Api"))
    cli("--fix", "--alias-name", "live", "t.yaml", cwd=tmp_path)
    assert "AutoPublishAlias: live" in target.read_text() and "AutoPublishAlias: prod" not in target.read_text()


def test_region_and_account_from_the_configuration(cli: Cli, tmp_path: Path) -> None:
    """The deploy role grants CodeDeploy only in us-west-2 / 111111111111 (tests/iam_rules/settings)."""
    fixture = Path(__file__).resolve().parent.parent / "iam_rules" / "settings" / "regional-deploy-role.yaml"
    write(tmp_path / "template.yaml", fixture.read_text())
    assert cli("--format", "json", "template.yaml", cwd=tmp_path).rules_by_file() == {}
    write(tmp_path / ".sam-shift-lint.toml", 'region = "eu-west-1"\n')
    assert cli("--format", "json", "template.yaml", cwd=tmp_path).rules_by_file() == {"template.yaml": ["E9201"]}
    assert cli("--format", "json", "--region", "us-west-2", "template.yaml", cwd=tmp_path).rules_by_file() == {}
    write(tmp_path / ".sam-shift-lint.toml", 'account-id = "222222222222"\n')
    assert cli("--format", "json", "template.yaml", cwd=tmp_path).rules_by_file() == {"template.yaml": ["E9201"]}


def test_command_line_select_replaces_the_configuration_selection(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / ".sam-shift-lint.toml", 'select = ["E"]\nignore = ["W9102"]\n')
    write(tmp_path / "t.yaml", sam_template())
    assert cli("--format", "json", "t.yaml", cwd=tmp_path).rules_by_file() == {}
    assert cli("--format", "json", "--select", "W91", "t.yaml", cwd=tmp_path).rules_by_file() == {"t.yaml": ["W9101", "W9102"]}
    # --ignore alone adds to the configuration's
    write(tmp_path / ".sam-shift-lint.toml", 'ignore = ["W9102"]\n')
    assert cli("--format", "json", "--ignore", "W9101", "t.yaml", cwd=tmp_path).rules_by_file() == {}


# ------------------------------------------------------------------------------------------------ fail-on


@pytest.mark.parametrize(
    ("where", "fail_on", "expected"),
    [("default", None, 1), ("config", "error", 0), ("config", "warning", 1), ("config", "info", 1), ("flag", "error", 0)],
)
def test_fail_on(cli: Cli, tmp_path: Path, where: str, fail_on: str | None, expected: int) -> None:
    write(tmp_path / "t.yaml", sam_template())  # two warnings
    args = ["t.yaml"]
    if where == "config":
        write(tmp_path / ".sam-shift-lint.toml", f'fail-on = "{fail_on}"\n')
    elif where == "flag":
        write(tmp_path / ".sam-shift-lint.toml", 'fail-on = "info"\n')
        args = ["--fail-on", str(fail_on), *args]
    ran = cli(*args, cwd=tmp_path)
    assert ran.returncode == expected, ran.stdout
    assert "W9101" in ran.stdout  # the findings are reported whatever the exit code


def test_fail_on_counts_each_file_by_its_own_configuration(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "strict" / ".sam-shift-lint.toml", 'fail-on = "warning"\n')
    write(tmp_path / "lenient" / ".sam-shift-lint.toml", 'fail-on = "error"\n')
    write(tmp_path / "lenient" / "t.yaml", sam_template())
    assert cli("lenient", cwd=tmp_path).returncode == 0
    write(tmp_path / "strict" / "t.yaml", sam_template())
    assert cli("lenient", "strict", cwd=tmp_path).returncode == 1


def test_info_findings_do_not_fail_by_default(cli: Cli, tmp_path: Path) -> None:
    template = SAM_HEADER + (
        "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n"
        "      Runtime: python3.12\n      CodeUri: src/\n      AutoPublishAlias: live\n"
        "      DeploymentPreference: {Type: AllAtOnce}\n      Tags: {team: a}\n"
    )
    write(tmp_path / "t.yaml", template)
    ran = cli("--select", "I9125", "t.yaml", cwd=tmp_path)
    assert (ran.returncode, "I9125" in ran.stdout) == (0, True)
    assert cli("--select", "I9125", "--fail-on", "info", "t.yaml", cwd=tmp_path).returncode == 1


# ------------------------------------------------------------------------------------------------ errors


BAD_VALUES = [
    ('selct = ["E"]\n', "selct", "unknown key (did you mean 'select'?)"),
    ('select = "E"\n', "select", "must be a list of strings, not a string"),
    ('select = ["W99"]\n', "select", "'W99' matches no rule id or prefix"),
    ('extend-select = ["X1"]\n', "extend-select", "'X1' matches no rule id or prefix"),
    ('fail-on = "warnings"\n', "fail-on", "'warnings' is not one of error, warning, info"),
    ('placement = "top"\n', "placement", "'top' is not one of auto, globals, function"),
    ('alias-name = "123"\n', "alias-name", "is purely numeric"),
    ('deployment-type = "Canary"\n', "deployment-type", "'Canary' is not a Lambda deployment type"),
    ('region = "Europe"\n', "region", "'Europe' is not a region name such as us-east-1"),
    ('account-id = "12345"\n', "account-id", "'12345' is not a 12-digit AWS account id"),
    ("respect-gitignore = 1\n", "respect-gitignore", "must be true or false, not an integer"),
    ('exclude = ["build", ""]\n', "exclude", "holds an empty string"),
    ('exclude = ["!build"]\n', "exclude", "pattern '!build' starts with '!': negation is not supported here"),
    ('per-file-ignores = {"a/**" = "W9101"}\n', 'per-file-ignores."a/**"', "must be a list of strings"),
    ('per-file-ignores = {"a/**" = ["X9"]}\n', 'per-file-ignores."a/**"', "'X9' matches no rule id or prefix"),
    ('policy-profiles = {"iam/*.json" = "nope"}\n', 'policy-profiles."iam/*.json"', "'nope' is neither a bundled profile"),
    ("[profiles]\nteam = 3\n", "profiles.team", "must be a string, not an integer"),
    ('[profiles]\n"x.json" = "p.json"\n', 'profiles."x.json"', "a profile name is a plain name"),
]


@pytest.mark.parametrize("report", ["json", "junit"])
def test_an_unusable_configuration_is_an_e9000_finding_in_the_report(cli: Cli, tmp_path: Path, report: str) -> None:
    """Every report format says why the run exits 2 (JUnit showed a passing "No problems found"): the
    configuration is an E9000 finding, as a file that cannot be parsed is."""
    config = write(tmp_path / "pyproject.toml", "[tool.sam-shift-lint]\nbogus = 1\n")
    write(tmp_path / "t.yaml", sam_template())
    ran = cli("--format", report, "t.yaml", cwd=tmp_path)
    assert ran.returncode == 2, ran.stdout + ran.stderr
    if report == "json":
        [finding] = json.loads(ran.stdout)
        assert (finding["rule"], finding["file"]) == ("E9000", str(config)) and "bogus: unknown key" in finding["message"]
    else:
        assert 'failures="1"' in ran.stdout and "E9000" in ran.stdout and "No problems found" not in ran.stdout


@pytest.mark.parametrize(("text", "key", "problem"), BAD_VALUES, ids=[key for _, key, _ in BAD_VALUES])
@pytest.mark.parametrize("kind", ["dotfile", "pyproject"])
def test_a_bad_value_is_one_line_naming_file_and_key(cli: Cli, tmp_path: Path, text: str, key: str, problem: str, kind: str) -> None:
    if kind == "dotfile":
        config, full_key = write(tmp_path / ".sam-shift-lint.toml", text), key
    else:
        if text.startswith("["):  # a sub-table
            text = text.replace("[profiles]", "[tool.sam-shift-lint.profiles]")
        else:
            text = "[tool.sam-shift-lint]\n" + text
        config, full_key = write(tmp_path / "pyproject.toml", text), "tool.sam-shift-lint." + key
    write(tmp_path / "t.yaml", sam_template())
    ran = cli("t.yaml", cwd=tmp_path)
    assert ran.returncode == 2, ran.stdout + ran.stderr
    assert len(ran.error_lines) == 1, ran.stderr
    line = ran.error_lines[0]
    assert line.startswith(f"{config}: error: {full_key}: "), line
    assert problem in line, line
    assert "W9101" not in ran.stdout  # what it governs is not checked with a configuration it cannot read


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('"\\u001b[2J' + "k" * 5000 + '" = 1\n', "unknown key"),
        ('select = ["' + "W" * 5000 + '"]\n', "matches no rule id or prefix"),
        ('[per-file-ignores]\n"' + "a/" * 3000 + '" = ["X1"]\n', "matches no rule id or prefix"),
    ],
    ids=["key", "value", "glob"],
)
def test_what_the_file_says_is_quoted_short_and_escaped(cli: Cli, tmp_path: Path, text: str, problem: str) -> None:
    """A key or value of the file quoted in the message is cut short, and its control characters escaped."""
    config = write(tmp_path / ".sam-shift-lint.toml", text)
    write(tmp_path / "t.yaml", sam_template())
    ran = cli("t.yaml", cwd=tmp_path)
    assert ran.returncode == 2
    [line] = ran.error_lines
    assert line.startswith(f"{config}: error: ") and problem in line and "..." in line, line
    assert len(line) < len(str(config)) + 600 and "\x1b" not in line, line
    if "u001b" in text:
        assert "\\x1b[2J" in line  # escaped, visible


def test_invalid_toml_names_the_file_and_the_line(cli: Cli, tmp_path: Path) -> None:
    config = write(tmp_path / "pyproject.toml", "[tool.sam-shift-lint]\nselect = [\"E\"\nignore = 3\n")
    write(tmp_path / "t.yaml", sam_template())
    ran = cli("t.yaml", cwd=tmp_path)
    assert ran.returncode == 2
    assert ran.error_lines == [ran.error_lines[0]] and ran.error_lines[0].startswith(f"{config}: error: invalid TOML: ")
    assert "line 2" in ran.error_lines[0] or "line 3" in ran.error_lines[0]


def test_a_bad_configuration_is_reported_once_and_the_other_files_are_checked(cli: Cli, tmp_path: Path) -> None:
    config = write(tmp_path / "broken" / ".sam-shift-lint.toml", "fail-on = 3\n")
    for name in ("a.yaml", "b.yaml", "sub/c.yaml"):
        write(tmp_path / "broken" / name, sam_template())
    write(tmp_path / "good" / "t.yaml", sam_template("Good"))
    ran = cli("--format", "json", ".", "broken/a.yaml", cwd=tmp_path)
    assert ran.returncode == 2
    assert ran.error_lines == [f"{config}: error: fail-on: must be a string, not an integer"], ran.stderr
    assert files_reported(ran) == [str(config), "good/t.yaml"]  # the configuration once, as an E9000 finding


def test_config_flag_errors(cli: Cli, tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    write(tmp_path / "t.yaml", sam_template())
    ran = cli("--config", "pyproject.toml", "t.yaml", cwd=tmp_path)
    assert ran.returncode == 2 and ran.error_lines == [f"{tmp_path / 'pyproject.toml'}: error: has no [tool.sam-shift-lint] table"]
    ran = cli("--config", "missing.toml", "t.yaml", cwd=tmp_path)
    assert ran.returncode == 2 and ran.error_lines == [f"{tmp_path / 'missing.toml'}: error: cannot read: no such file or directory"]
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    ran = cli("--config", "fifo.toml", "t.yaml", cwd=tmp_path, timeout=20)  # never opened for reading: no hang
    assert ran.returncode == 2 and "not a regular file" in ran.stderr
    assert cli("--config", "x.toml", "--isolated", "t.yaml", cwd=tmp_path).returncode == 2


# ------------------------------------------------------------------------------------------------ profiles


PROFILE = """{"name": "team-deploy", "groups": [
  {"name": "queues", "actions": ["sqs:SendMessage"], "resource": "*"}
]}
"""
ROLE_TEMPLATE = SAM_HEADER + """Resources:
  DeployRole:
    Type: AWS::IAM::Role
    Metadata:
      sam-shift-lint: {profile: team-deploy}
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - {Effect: Allow, Principal: {Service: cloudformation.amazonaws.com}, Action: sts:AssumeRole}
      Policies:
        - PolicyName: p
          PolicyDocument:
            Statement:
              - {Effect: Allow, Action: "s3:*", Resource: "*"}
"""


def test_declared_profile_for_template_metadata_and_policy_files_by_glob(cli: Cli, tmp_path: Path) -> None:
    git_repo(tmp_path)
    write(tmp_path / "profiles" / "team.json", PROFILE)
    write(
        tmp_path / "pyproject.toml",
        '[tool.sam-shift-lint.profiles]\nteam-deploy = "profiles/team.json"\n\n'
        '[tool.sam-shift-lint.policy-profiles]\n"iam/deploy-*.json" = "team-deploy"\n',
    )
    write(tmp_path / "stack.yaml", ROLE_TEMPLATE)
    policy = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}\n'
    write(tmp_path / "iam" / "deploy-app.json", policy)
    write(tmp_path / "iam" / "other.json", policy)
    ran = cli("--format", "json", ".", cwd=tmp_path)
    assert ran.returncode == 1, ran.stderr
    messages = {(item["file"], item["rule"]): item["message"] for item in ran.findings()}
    assert set(messages) == {("./stack.yaml", "E9201"), ("./iam/deploy-app.json", "E9201")}
    assert "queues: sqs:SendMessage" in messages[("./stack.yaml", "E9201")]
    assert "profile 'team-deploy' requires: queues: sqs:SendMessage" in messages[("./iam/deploy-app.json", "E9201")]


@pytest.mark.parametrize("case", ["outside", "symlink-out", "fifo", "directory", "too-large", "invalid-json", "missing"])
def test_declared_profile_files_are_checked(cli: Cli, tmp_path: Path, case: str) -> None:
    repo = git_repo(tmp_path / "repo")
    write(repo / "t.yaml", sam_template())
    outside = write(tmp_path / "elsewhere.json", PROFILE)
    location = "p.json"
    if case == "outside":
        location = "../elsewhere.json"
    elif case == "symlink-out":
        os.symlink(outside, repo / "p.json")
    elif case == "fifo":
        os.mkfifo(repo / "p.json")
    elif case == "directory":
        (repo / "p.json").mkdir()
    elif case == "too-large":
        write(repo / "p.json", PROFILE + " " * (1024 * 1024))
    elif case == "invalid-json":
        write(repo / "p.json", "{")
    config = write(repo / ".sam-shift-lint.toml", f'[profiles]\nteam = "{location}"\n')
    ran = cli("t.yaml", cwd=repo, timeout=30)
    assert ran.returncode == 2, ran.stdout + ran.stderr
    assert len(ran.error_lines) == 1 and ran.error_lines[0].startswith(f"{config}: error: profiles.team: "), ran.stderr
    expected = {
        "outside": "is outside the repository",
        "symlink-out": "is outside the repository",
        "fifo": "is not a regular file",
        "directory": "is not a regular file",
        "too-large": "is too large",
        "invalid-json": "is not valid JSON",
        "missing": "cannot read 'p.json'",
    }[case]
    assert expected in ran.error_lines[0]


def test_a_template_cannot_name_a_profile_file_the_configuration_does_not_declare(cli: Cli, tmp_path: Path) -> None:
    """Only declared names (and bundled ones) reach a file: a name the configuration does not declare is no file."""
    git_repo(tmp_path)
    write(tmp_path / "profiles" / "team.json", PROFILE)
    write(tmp_path / "stack.yaml", ROLE_TEMPLATE.replace("profile: team-deploy", "profile: undeclared"))
    ran = cli("--format", "json", "stack.yaml", cwd=tmp_path)
    [finding] = ran.findings()
    assert finding["rule"] == "E9201" and "cannot check its policies against profile 'undeclared'" in finding["message"]


# ------------------------------------------------------------------------------------------------ --show-settings


def test_show_settings(cli: Cli, tmp_path: Path) -> None:
    git_repo(tmp_path)
    write(tmp_path / "profiles" / "team.json", PROFILE)
    write(
        tmp_path / "pyproject.toml",
        '[tool.sam-shift-lint]\nextend-select = ["I9125"]\nfail-on = "error"\nregion = "eu-west-1"\n'
        'per-file-ignores = {"legacy/**" = ["W9101", "W9102"]}\n'
        '[tool.sam-shift-lint.profiles]\nteam-deploy = "profiles/team.json"\n'
        '[tool.sam-shift-lint.policy-profiles]\n"iam/deploy-*.json" = "team-deploy"\n',
    )
    write(tmp_path / "legacy" / "t.yaml", sam_template())
    ran = cli("--show-settings", "--alias-name", "prod", "legacy/t.yaml", "iam/deploy-app.json", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    out = ran.stdout
    assert f"# Configuration: {tmp_path / 'pyproject.toml'} [tool.sam-shift-lint]; relative paths from {tmp_path}" in out
    assert 'extend-select = ["I9125"]  # pyproject.toml' in out
    assert 'fail-on = "error"  # pyproject.toml' in out
    assert 'alias-name = "prod"  # --alias-name' in out
    assert 'placement = "auto"  # default' in out
    assert "# account-id: not set" in out
    assert f'profiles = {{"team-deploy" = "{tmp_path / "profiles" / "team.json"}"}}  # pyproject.toml' in out
    assert "#   taken away by per-file-ignores: W9101, W9102" in out
    assert "I9125" in out.split("rules that run")[1].splitlines()[0]
    assert 'policy profile (if it is a policy file): team-deploy (tool.sam-shift-lint.policy-profiles."iam/deploy-*.json")' in out
    tomllib = pytest.importorskip("tomllib")
    block = out.split("# Settings for iam/deploy-app.json")[0]
    data = tomllib.loads("\n".join(line for line in block.splitlines() if not line.startswith("#")))
    assert data["per-file-ignores"] == {"legacy/**": ["W9101", "W9102"]} and data["respect-gitignore"] is True
