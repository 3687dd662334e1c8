"""SARIF from real runs of the command: valid against the official schema, every region inside its file, fixes
that are exactly what ``--fix`` writes, and URIs relative to the repository root."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from reporting_helpers import (
    DEFAULT_NEWLINE_SEQUENCES,
    FILE_ERROR_ID,
    apply_replacements,
    artifact_path,
    decoded,
    region_problems,
    run_cli,
    sam_function,
)

REPO = Path(__file__).resolve().parents[2]
# Fixture directories of the repository with templates and policies of every shape the rules look at.
FIXTURE_DIRECTORIES = ["examples", "tests/rules", "tests/iam_rules", "tests/fixes", "tests/iam_fixes", "tests/cli_fixtures"]


def sarif_of(*args: str, cwd: Path | str, check: Callable[[Any], None]) -> dict[str, Any]:
    process = run_cli("--format", "sarif", *args, cwd=cwd)
    assert process.returncode in (0, 1, 2), process.stderr
    log = json.loads(process.stdout)
    check(log)
    return log


def assert_regions_inside_their_files(log: dict[str, Any], cwd: Path) -> int:
    """Every result's region, and every fix's replacement, lies inside its file; returns how many results."""
    (run,) = log["runs"]
    bases = run["originalUriBaseIds"]
    newline_sequences = run.get("newlineSequences", DEFAULT_NEWLINE_SEQUENCES)
    problems = []
    for result in run["results"]:
        physical = result["locations"][0]["physicalLocation"]
        path = artifact_path(physical["artifactLocation"], bases, cwd)
        if result["ruleId"] == FILE_ERROR_ID and not path.is_file():
            continue  # a file that cannot be read has no lines to be inside of
        text, _ = decoded(path)
        for problem in region_problems(physical["region"], text, newline_sequences):
            problems.append(f"{result['ruleId']} {path}: {physical['region']}: {problem}")
        for fix in result.get("fixes", []):
            for change in fix["artifactChanges"]:
                assert artifact_path(change["artifactLocation"], bases, cwd) == path
                for replacement in change["replacements"]:
                    region = replacement["deletedRegion"]
                    if not 0 <= region["charOffset"] <= region["charOffset"] + region["charLength"] <= len(text):
                        problems.append(f"{result['ruleId']} {path}: replacement {region} past {len(text)} characters")
    assert not problems, "\n".join(problems[:30])
    return len(run["results"])


def test_regions_of_the_repository_fixtures_are_inside_their_files(assert_valid_sarif: Callable[[Any], None]) -> None:
    log = sarif_of(*FIXTURE_DIRECTORIES, cwd=REPO, check=assert_valid_sarif)
    assert assert_regions_inside_their_files(log, REPO) > 500
    assert any("fixes" in result for result in log["runs"][0]["results"])


@pytest.mark.slow  # the whole corpus in one process (about 10 s)
def test_regions_of_the_corpus_are_inside_their_files(corpus_dir: Path, assert_valid_sarif: Callable[[Any], None]) -> None:
    log = sarif_of(str(corpus_dir), cwd=corpus_dir, check=assert_valid_sarif)
    assert assert_regions_inside_their_files(log, corpus_dir) > 1000


def test_a_block_node_that_ends_the_file_ends_on_its_last_line(assert_valid_sarif: Callable[[Any], None]) -> None:
    """The E9201 region that used to end on a line after the last one: the deploy role's policy statements are
    the last block of the file, and the parser ends a block node at the start of the next token."""
    path = REPO / "tests/iam_rules/E9201/codestar-role.fail.yaml"
    log = sarif_of("--select", "E9201", str(path.relative_to(REPO)), cwd=REPO, check=assert_valid_sarif)
    (result,) = log["runs"][0]["results"]
    region = result["locations"][0]["physicalLocation"]["region"]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert region["endLine"] == len(lines) and region["endColumn"] == len(lines[-1]) + 1, region


def test_a_block_node_ends_before_the_blank_lines_and_comments_that_follow_it(tmp_path: Path) -> None:
    """The same policy statements followed by a blank line, a comment and another resource: the region still ends
    at the last statement's last character, not at the next resource."""
    source = REPO / "tests/iam_rules/E9201/codestar-role.fail.yaml"
    template = tmp_path / "t.yaml"
    template.write_text(source.read_text(encoding="utf-8") + "\n  # the topic\n\n  Topic:\n    Type: AWS::SNS::Topic\n")
    process = run_cli("--format", "json", "--select", "E9201", str(template))
    (item,) = json.loads(process.stdout)
    last = source.read_text(encoding="utf-8").splitlines()
    assert (item["end_line"], item["end_column"]) == (len(last), len(last[-1]) + 1), item


FIX_CASES = {
    # name: (source file, name to check it as, arguments)
    "bom": ("tests/fixes/bom/input.yaml", "template.yaml", ["--select", "W9101"]),
    "crlf": ("tests/fixes/crlf_globals/input.yaml", "template.yaml", ["--select", "W9102"]),
    "block-scalar-last": ("tests/fixes/block_scalar_last/input.yaml", "template.yaml", ["--select", "W9101", "--placement", "function"]),
    "unsafe": ("tests/fixes/e9104_unsafe/input.yaml", "template.yaml", ["--select", "E9104", "--unsafe-fixes"]),
    "policy-json-tabs-crlf-bom": (
        "tests/iam_fixes/policy_tabs_crlf_bom/input.json",
        "Pipeline-CloudFormationRolePolicy.json",
        ["--select", "E9201"],
    ),
}


@pytest.mark.parametrize("case", sorted(FIX_CASES))
def test_fixes_are_exactly_what_fix_writes(case: str, tmp_path: Path, assert_valid_sarif: Callable[[Any], None]) -> None:
    """Applying the SARIF fixes of a run to the file gives, byte for byte, what ``--fix`` writes with the same
    flags (unsafe fixes only with --unsafe-fixes, and labelled so)."""
    source, name, args = FIX_CASES[case]
    checked, fixed = tmp_path / "checked", tmp_path / "fixed"
    for directory in (checked, fixed):
        directory.mkdir()
        shutil.copyfile(REPO / source, directory / name)
    log = sarif_of(*args, name, cwd=checked, check=assert_valid_sarif)
    unsafe = "--unsafe-fixes" in args
    fixes = [fix for result in log["runs"][0]["results"] for fix in result.get("fixes", [])]
    assert fixes, log["runs"][0]["results"]
    applied = [fix for fix in fixes if fix["properties"]["applicability"] == "safe" or unsafe]
    assert applied
    for fix in fixes:
        is_unsafe = fix["properties"]["applicability"] == "unsafe"
        assert ("(unsafe fix:" in fix["description"]["text"]) == is_unsafe
        assert is_unsafe == unsafe  # each case's fixes are of one kind
    text, bom = decoded(checked / name)
    replacements = [replacement for fix in applied for change in fix["artifactChanges"] for replacement in change["replacements"]]
    expected = ("\ufeff" if bom else "") + apply_replacements(text, replacements)
    process = run_cli("--fix", *args, name, cwd=fixed)
    assert process.returncode in (0, 1), process.stderr
    assert (fixed / name).read_bytes() == expected.encode("utf-8")
    assert (fixed / name).read_bytes() != (checked / name).read_bytes()


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_uris_relative_to_the_repository_root(tmp_path: Path, assert_valid_sarif: Callable[[Any], None]) -> None:
    """Run from a subdirectory of a git work tree: URIs are relative to its top level (under %SRCROOT%, which
    originalUriBaseIds maps to it), a file outside it keeps an absolute file:// URI; GitHub annotations use the
    same root-relative paths."""
    repo, outside = tmp_path / "repo", tmp_path / "outside"
    for directory in (repo / "app", repo / "infra", outside):
        directory.mkdir(parents=True)
    _git(repo, "init", "-q")
    (repo / "app" / "template.yaml").write_text(sam_function("App"))
    (repo / "infra" / "stack.yaml").write_text(sam_function("Infra"))
    (outside / "other.yaml").write_text(sam_function("Other"))
    paths = ["template.yaml", "../infra/stack.yaml", str(outside / "other.yaml")]
    log = sarif_of("--select", "W9101", *paths, cwd=repo / "app", check=assert_valid_sarif)
    (run,) = log["runs"]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": repo.resolve().as_uri() + "/"}}
    locations = sorted(json.dumps(r["locations"][0]["physicalLocation"]["artifactLocation"], sort_keys=True) for r in run["results"])
    assert [json.loads(location) for location in locations] == [
        {"uri": "app/template.yaml", "uriBaseId": "%SRCROOT%"},
        {"uri": (outside / "other.yaml").resolve().as_uri()},
        {"uri": "infra/stack.yaml", "uriBaseId": "%SRCROOT%"},
    ]
    github = run_cli("--format", "github", "--select", "W9101", *paths, cwd=repo / "app").stdout
    files = sorted(line.split("file=", 1)[1].split(",", 1)[0] for line in github.splitlines() if line.startswith("::"))
    assert files == sorted(["app/template.yaml", "infra/stack.yaml", str(outside / "other.yaml")])
    # not in a work tree: relative to the current directory
    plain = sarif_of("--select", "W9101", "other.yaml", cwd=outside, check=assert_valid_sarif)["runs"][0]
    assert plain["originalUriBaseIds"] == {"%SRCROOT%": {"uri": outside.resolve().as_uri() + "/"}}
    assert plain["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "other.yaml", "uriBaseId": "%SRCROOT%"}
