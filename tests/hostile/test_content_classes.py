"""Files whose content is the attack, through every entry point: the command on named files (check, ``--fix``,
``--diff``), on a directory walk, on standard input (check and ``--fix``), and the cfn-lint rule pack.

Each gives one short error line naming the file (never a traceback, an internal error or the whole offending
value), exit 2, nothing written, and the other files are still reported. The classes are in
``hostile_inputs.CONTENT_CLASSES``: alias bomb, 100,000-deep nesting (JSON and YAML), oversized, binary, UTF-16,
explicit YAML tags with values cfn-lint and the SAM CLI reject or that hold no CloudFormation value, integers
beyond Python's 4,300-digit limit (JSON, plain YAML, ``!!int``, hexadecimal) and a 100,000-character invalid
value (the error quotes a short piece of it).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile_inputs import (
    CFN_LINT_ACCEPTS,
    CFN_LINT_CRASHES,
    CFN_LINT_SAYS,
    CONTENT_CLASSES,
    SKIPPED_IN_WALK,
    Result,
    assert_errors_in_report,
    assert_no_crash,
    assert_one_error_line,
    cfn_lint_matches,
    checked_resources,
    run_cfn_lint,
    run_cli,
    sam_function,
    write_content_classes,
)

NAMES = sorted(CONTENT_CLASSES)
GOOD = "good.yaml"


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("hostile")
    write_content_classes(directory)
    (directory / GOOD).write_text(sam_function("Good"))
    return directory


def reported_resources(result: Result) -> set[str]:
    assert_errors_in_report(result)
    return checked_resources(result)


@pytest.fixture(scope="module")
def named_run(hostile_dir: Path) -> Result:
    """One process over every hostile file named on the command line, and a good one."""
    return run_cli("--format", "json", *NAMES, GOOD, cwd=hostile_dir, timeout=120)


@pytest.mark.parametrize("name", NAMES)
def test_named_file_one_error_line(name: str, named_run: Result) -> None:
    assert_one_error_line(named_run, name, CONTENT_CLASSES[name][1])


def test_named_files_exit_2_and_the_good_file_is_reported(named_run: Result) -> None:
    assert_no_crash(named_run)
    assert named_run.returncode == 2
    assert len(named_run.error_lines) == len(NAMES), named_run.stderr
    assert reported_resources(named_run) == {"Good"}


@pytest.mark.parametrize("mode", ["--fix", "--diff"])
def test_fix_and_diff_write_nothing(mode: str, hostile_dir: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    for name in NAMES:
        (work / name).write_bytes(CONTENT_CLASSES[name][0])
    result = run_cli(mode, *NAMES, cwd=work, timeout=120)
    assert result.returncode == 2
    for name in NAMES:
        assert_one_error_line(result, name, CONTENT_CLASSES[name][1])
        assert (work / name).read_bytes() == CONTENT_CLASSES[name][0], name
    assert sorted(path.name for path in work.iterdir()) == NAMES  # no temporary file left behind
    if mode == "--diff":
        assert result.stdout == ""


@pytest.fixture(scope="module")
def walk_run(hostile_dir: Path) -> Result:
    return run_cli("--format", "json", ".", cwd=hostile_dir, timeout=120)


@pytest.mark.parametrize("name", NAMES)
def test_walked_file_one_error_line(name: str, walk_run: Result) -> None:
    display = f"./{name}"
    if name in SKIPPED_IN_WALK:  # skipped silently, as any file that is not clearly ours
        assert_no_crash(walk_run)
        assert walk_run.lines_for(display) == []
    else:
        assert_one_error_line(walk_run, display, CONTENT_CLASSES[name][1])


def test_walk_exits_2_and_the_good_file_is_reported(walk_run: Result) -> None:
    assert_no_crash(walk_run)
    assert walk_run.returncode == 2
    assert len(walk_run.error_lines) == len(NAMES) - len(SKIPPED_IN_WALK), walk_run.stderr
    assert reported_resources(walk_run) == {"Good"}


@pytest.mark.parametrize("name", NAMES)
def test_stdin(name: str) -> None:
    content, reason = CONTENT_CLASSES[name]
    checked = run_cli("-", "--stdin-filename", f"in/{name}", stdin=content)
    assert checked.returncode == 2
    assert_one_error_line(checked, f"in/{name}", reason)
    assert "All checks passed" not in checked.stdout


# --fix on standard input echoes what it cannot fix, unchanged: one class per way of failing (read, decode,
# parse) is enough, the echo does not depend on why.
FIX_STDIN = ["binary.yaml", "utf16.yaml", "oversized.yaml", "deep.yaml", "bool-maybe.yaml", "huge-int.json"]


@pytest.mark.parametrize("name", FIX_STDIN)
def test_fix_on_stdin_echoes_the_input_unchanged(name: str) -> None:
    content, reason = CONTENT_CLASSES[name]
    fixed = run_cli("--fix", "-", "--stdin-filename", f"in/{name}", stdin=content)
    assert fixed.returncode == 2
    assert_one_error_line(fixed, f"in/{name}", reason)
    assert fixed.stdout_bytes == content


@pytest.mark.slow
def test_rule_pack(hostile_dir: Path) -> None:
    """cfn-lint with the rule pack over every hostile file: no traceback, no rule crash (E0002), and cfn-lint's
    own clear message (E0000 or E1002 naming the file) where it rejects the file; our rules report nothing on a file
    our parser refuses, and the good file gets their findings."""
    names = [name for name in NAMES if name not in CFN_LINT_CRASHES]
    result = run_cfn_lint([*names, GOOD], hostile_dir, "--format", "json")
    assert b"Traceback" not in result.stderr_bytes, result.stderr[-3000:]
    matches = cfn_lint_matches(result)
    by_file: dict[str, set[str]] = {}
    for match in matches:
        by_file.setdefault(str(match["Filename"]), set()).add(match["Rule"]["Id"])  # type: ignore[index]
    assert not any("E0002" in ids for ids in by_file.values()), matches
    for name in names:
        ids = by_file.get(name, set())
        assert not any(rule.startswith(("E91", "W91", "I91", "E92", "W92")) for rule in ids), (name, ids)
        if name not in CFN_LINT_ACCEPTS:
            assert CFN_LINT_SAYS.get(name, "E0000") in ids, (name, ids)
    assert {"W9101", "W9102"} <= by_file[GOOD]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CFN_LINT_CRASHES))
def test_rule_pack_where_cfn_lint_itself_crashes(name: str, hostile_dir: Path) -> None:
    """cfn-lint's own crash on this input involves no code of ours (if cfn-lint is fixed, this test says so)."""
    result = run_cfn_lint([name], hostile_dir, "--format", "json")
    if b"Traceback" not in result.stderr_bytes:
        pytest.fail(f"cfn-lint no longer crashes on {name}: move it out of CFN_LINT_CRASHES", pytrace=False)
    assert b"sam_shift_lint" not in result.stderr_bytes, result.stderr[-3000:]


def test_a_finding_quotes_a_long_value_shortened(tmp_path: Path) -> None:
    """A finding's message quotes at most 200 characters of a template value (E9105 on a 100,000-character Type)."""
    long_type = "Linear" + "x" * 100_000
    (tmp_path / "t.yaml").write_text(sam_function(extra=f"      AutoPublishAlias: live\n      DeploymentPreference:\n        Type: {long_type}\n"))
    result = run_cli("--format", "json", "t.yaml", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    [finding] = [item for item in json.loads(result.stdout) if item["rule"] == "E9105"]
    assert f"'{long_type[:197]}...'" in finding["message"] and len(finding["message"]) < 1000
