"""Resolving ``deploy-roles`` globs on a real tree: what the walk finds, skips and refuses."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from sam_shift_lint.config import ConfigError
from sam_shift_lint.config.layouts import AUTOMATIC, PIPELINE, automatic_source
from sam_shift_lint.config.pairing import automatic, parse_key, parse_template_glob, resolve
from sam_shift_lint.project import Project


def tree(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("Resources: {}\n")


def fail(problem: str) -> ConfigError:
    return ConfigError("pyproject.toml", "deploy-roles.x", problem)


def found(root: Path, *patterns: str, skip=lambda path, is_dir: False) -> list[str]:
    globs = tuple(parse_template_glob(p) for p in patterns)
    return [os.path.relpath(p, root) for p in resolve(globs, str(root), str(root), fail, skip)]


def test_globs_are_gitignores_relative_to_the_configuration(tmp_path: Path) -> None:
    tree(tmp_path, "template.yaml", "services/a/template.yaml", "services/b/template.yaml", "services/b/deep/template.yaml")
    assert found(tmp_path, "services/*/template.yaml") == ["services/a/template.yaml", "services/b/template.yaml"]
    assert found(tmp_path, "services/**/template.yaml") == [
        "services/a/template.yaml", "services/b/deep/template.yaml", "services/b/template.yaml"
    ]
    assert found(tmp_path, "/template.yaml") == ["template.yaml"]
    assert len(found(tmp_path, "template.yaml")) == 4  # no slash: that name anywhere below
    assert found(tmp_path, "services/a/") == ["services/a/template.yaml"]


def test_the_walk_skips_what_the_caller_excludes_and_symlinked_directories(tmp_path: Path) -> None:
    tree(tmp_path, "app/template.yaml", "node_modules/x/template.yaml", "outside/template.yaml")
    (tmp_path / "app" / "linked").symlink_to(tmp_path / "outside", target_is_directory=True)
    skip = lambda path, is_dir: is_dir and os.path.basename(path) == "node_modules"  # noqa: E731
    assert found(tmp_path, "template.yaml", skip=skip) == ["app/template.yaml", "outside/template.yaml"]
    assert found(tmp_path, "app/**/template.yaml") == ["app/template.yaml"]  # app/linked is not followed


def test_a_glob_matching_nothing_is_an_error(tmp_path: Path) -> None:
    tree(tmp_path, "template.yaml")
    with pytest.raises(ConfigError, match=re.escape("'stacks/*.yaml' matches no file")):
        found(tmp_path, "template.yaml", "stacks/*.yaml")


@pytest.mark.parametrize(
    ("key", "glob", "role"),
    [("iam/deploy.json", "iam/deploy.json", ""), ("ci/toolchain.yml#DeployRole", "ci/toolchain.yml", "DeployRole"),
     ("weird#name.json", None, None)],
)
def test_keys(key: str, glob: str | None, role: str | None) -> None:
    if glob is None:
        with pytest.raises(ValueError, match="not a logical id"):
            parse_key(key)
        return
    parsed = parse_key(key)
    assert (parsed.glob.pattern, parsed.role) == (glob, role)


def test_automatic_pairing_is_by_name_in_one_directory_and_inside_the_project(tmp_path: Path) -> None:
    project = tmp_path / "project"
    tree(project, "template.yml", "iam/CodeStarWorkerCloudFormationRolePolicy.json")
    policy = project / "CodeStarWorkerCloudFormationRolePolicy.json"
    policy.write_text("{}")
    assert automatic(str(policy), str(project)) == (("", (str(project / "template.yml"),)),)
    assert automatic(str(project / "iam" / "CodeStarWorkerCloudFormationRolePolicy.json"), str(project)) == ()
    assert automatic(str(project / "deploy-policy.json"), str(project)) == ()
    (project / "template.yml").unlink()
    tree(tmp_path, "elsewhere.yml")
    (project / "template.yml").symlink_to(tmp_path / "elsewhere.yml")
    assert automatic(str(policy), str(project)) == ()  # leads outside the project
    (project / "template.yml").unlink()
    os.mkfifo(project / "template.yml")
    assert automatic(str(policy), str(project)) == ()  # not a regular file: never opened
    tree(project, "template.yaml")
    assert automatic(str(project / "toolchain.yml"), str(project)) == (("", (str(project / "template.yaml"),)),)


def test_a_checked_in_sam_pipeline_bootstrap_template_deploys_the_template_yaml_beside_it(tmp_path: Path) -> None:
    project = tmp_path / "project"
    tree(project, "template.yml", "stage_resources.yaml", "bootstrap/stage_resources.yml", "stage-resources.yaml")
    bootstrap = str(project / "stage_resources.yaml")
    assert automatic(bootstrap, str(project)) == (("", (str(project / "template.yml"),)),)
    tree(project, "template.yaml")  # sam pipeline init's default SAM_TEMPLATE comes first (CodeStar's: template.yml)
    assert automatic(bootstrap, str(project)) == (("", (str(project / "template.yaml"),)),)
    assert automatic(str(project / "toolchain.yml"), str(project)) == (("", (str(project / "template.yml"),)),)
    assert automatic(str(project / "bootstrap" / "stage_resources.yml"), str(project)) == ()  # one directory only
    assert automatic(str(project / "stage-resources.yaml"), str(project)) == ()  # SAM CLI's name only
    assert automatic_source("stage_resources.yml") == PIPELINE
    assert automatic_source("CodeStarWorkerCloudFormationRolePolicy.json") == automatic_source("toolchain.yaml") == AUTOMATIC


@pytest.mark.parametrize(
    ("name", "paired"),
    [("stage_resources.yaml", True), ("stage_resources.yml", True), ("stage_resources.json", False), ("toolchain.yml", True),
     ("toolchain.yaml", True), ("toolchain.json", False), ("CodeStarWorkerCloudFormationRolePolicy.json", True),
     ("CloudFormationRolePolicy", True), ("template.yaml", False), ("codepipeline.yaml", False), ("pipelineconfig.toml", False),
     ("Stage_Resources.yaml", False)],
)
def test_the_cheap_name_test_says_which_files_the_pairing_may_pair(name: str, paired: bool) -> None:
    """project.py tests names without importing config.pairing (unpaired files load nothing of it)."""
    assert bool(automatic_source(name)) is paired  # the name test project.py asks of every file


def test_a_policy_file_matching_its_own_template_glob_is_not_its_own_template(tmp_path: Path) -> None:
    tree(tmp_path, "stack.json")
    (tmp_path / "policy.json").write_text('{"Statement": []}')
    (tmp_path / ".sam-shift-lint.toml").write_text('[deploy-roles]\n"policy.json" = "*.json"\n')
    settings = Project().settings_for(str(tmp_path / "policy.json"))
    assert settings.lint.deploys == (("", (str(tmp_path / "stack.json"),)),)
    assert settings.lint.deploys_source == 'deploy-roles."policy.json"'


def test_a_passed_role_condition_is_read_with_iams_wildcards() -> None:
    """StringLike has ``*`` and ``?`` only (no character classes, unlike fnmatch), matched in linear time."""
    from sam_shift_lint.checks.deploy.deploy_needs import _condition_holds

    request = (("StringEquals", "iam:PassedToService", ("lambda.amazonaws.com",)),)
    assert _condition_holds({"StringLike": {"iam:PassedToService": "lambda.*"}}, request)
    assert _condition_holds({"StringLike": {"iam:PassedToService": "lambda.amazonaws.co?"}}, request)
    assert not _condition_holds({"StringLike": {"iam:PassedToService": "lambda.[a]mazonaws.com"}}, request)
    assert _condition_holds({"StringLike": {"iam:PassedToService": "[a]*"}}, (("StringEquals", "iam:PassedToService", ("[a]x",)),))
    assert not _condition_holds({"StringLike": {"iam:PassedToService": "*" * 1000 + "b"}}, (("StringEquals", "iam:PassedToService", ("a" * 5000,)),))
