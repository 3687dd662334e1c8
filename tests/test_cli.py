"""The ``sam-shift-lint`` command, run for real: the installed executable and ``python -m sam_shift_lint``.

Exit codes (0 clean, 1 findings, 2 usage/unreadable/unparsable/internal error), rule selection, every output
format, stdin, directory discovery, bad input (one stderr line per bad file naming it; other files still
checked) and cfn-lint-compatible Metadata suppression.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from sam_shift_lint.checks.registry import FILE_ERROR, rule_ids

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "cli_fixtures"
CLEAN = FIXTURES / "clean.yaml"
FINDINGS = FIXTURES / "findings.yaml"
RULE_IDS = list(rule_ids("deployment"))
FILE_ERROR_ID = FILE_ERROR.META.id
JSON_KEYS = {"rule", "severity", "message", "file", "line", "column", "end_line", "end_column", "resource", "path", "fix"}
SAM_HEADER = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n"
FINDINGS_IN_FINDINGS_YAML = [("E9103", 10, 7), ("E9105", 11, 15), ("W9101", 12, 3), ("W9102", 12, 3)]


def executable(name: str) -> str:
    """An executable of the environment running the tests (never one found on PATH)."""
    local = Path(os.path.dirname(os.path.abspath(sys.executable))) / name
    if not local.exists():  # pragma: no cover
        pytest.fail(f"{name} is not installed next to {sys.executable}", pytrace=False)
    return str(local)


def run(
    *args: str, stdin: bytes | None = None, module: bool = False, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """One real process; stdout/stderr decoded as UTF-8."""
    command = [sys.executable, "-m", "sam_shift_lint"] if module else [executable("sam-shift-lint")]
    process = subprocess.run(
        command + list(args), input=stdin, capture_output=True, timeout=60, cwd=str(cwd) if cwd else None
    )
    return subprocess.CompletedProcess(
        process.args, process.returncode, process.stdout.decode("utf-8"), process.stderr.decode("utf-8")
    )


def json_findings(*args: str, **kwargs: Any) -> tuple[subprocess.CompletedProcess, list[dict[str, Any]]]:
    process = run("--format", "json", *args, **kwargs)
    return process, json.loads(process.stdout)


def file_errors(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The E9000 findings: files that could not be read, parsed or processed."""
    return [item for item in items if item["rule"] == FILE_ERROR_ID]


def checks(items: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings of the checks (all but E9000)."""
    return [item for item in items if item["rule"] != FILE_ERROR_ID]


def triples(items: Sequence[dict[str, Any]]) -> list[tuple[str, int, int]]:
    return sorted((item["rule"], item["line"], item["column"]) for item in items)


def stderr_lines(process: subprocess.CompletedProcess) -> list[str]:
    return [line for line in process.stderr.splitlines() if line.strip()]


def sam_function(name: str = "Fn", extra: str = "") -> str:
    """A minimal SAM template with one function lacking alias and preference (W9101 + W9102)."""
    return (
        SAM_HEADER
        + f"Resources:\n  {name}:\n    Type: AWS::Serverless::Function\n"
        + "    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n"
        + extra
    )


# ------------------------------------------------------------------------------------------------ exit codes


def test_clean_file_exits_0() -> None:
    process = run(str(CLEAN))
    assert (process.returncode, process.stderr) == (0, "")
    assert "All checks passed!" in process.stdout


def test_findings_exit_1() -> None:
    process, items = json_findings(str(FINDINGS))
    assert (process.returncode, process.stderr) == (1, "")
    assert triples(items) == FINDINGS_IN_FINDINGS_YAML


def test_exit_zero_keeps_the_report() -> None:
    process = run("--exit-zero", str(FINDINGS))
    assert process.returncode == 0
    assert "W9102" in process.stdout


@pytest.mark.parametrize(
    "args",
    [
        [],  # no PATH
        ["--select", "X9", "PATH"],  # unknown selector
        ["--ignore", "E9199", "PATH"],  # matches no rule
        ["--select", "W91,nope", "PATH"],
        ["--format", "xml", "PATH"],  # argparse: invalid choice
        ["--no-such-option", "PATH"],
        ["-", "-"],  # stdin twice
    ],
    ids=["no-path", "unknown-select", "unknown-ignore", "unknown-in-list", "bad-format", "bad-option", "stdin-twice"],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    process = run(*[str(FINDINGS) if arg == "PATH" else arg for arg in args], stdin=b"")
    assert process.returncode == 2
    assert process.stdout == ""
    assert "error" in process.stderr


def test_unknown_selector_is_named() -> None:
    process = run("--select", "X9", str(FINDINGS))
    assert "unknown rule selector 'X9'" in process.stderr


# ------------------------------------------------------------------------------------------------ selection


@pytest.mark.parametrize(
    "args,rules",
    [
        (["--select", "W91"], {"W9101", "W9102"}),
        (["--select", "E9103,E9105"], {"E9103", "E9105"}),
        (["--select", "E9103", "--select", "W9102"], {"E9103", "W9102"}),
        (["--select", "E"], {"E9103", "E9105"}),
        (["--ignore", "W"], {"E9103", "E9105"}),
        (["--ignore", "W9101", "--ignore", "E91"], {"W9102"}),
        (["--select", "W", "--ignore", "W9102"], {"W9101"}),
        (["--select", "E9104"], set()),
    ],
)
def test_select_and_ignore_take_prefixes(args: list[str], rules: set) -> None:
    process, items = json_findings(*args, str(FINDINGS))
    assert {item["rule"] for item in items} == rules
    assert process.returncode == (1 if rules else 0)


def test_list_rules() -> None:
    process = run("--list-rules")
    assert (process.returncode, process.stderr) == (0, "")
    lines = process.stdout.splitlines()
    listed = [line.split()[0] for line in lines]
    assert listed == sorted(listed)
    assert set(RULE_IDS) <= set(listed)
    for line in lines:
        assert line.split()[1] == {"E": "error", "W": "warning", "I": "informational"}[line[0]]


# ------------------------------------------------------------------------------------------------ formats


def test_json_format_has_exactly_the_documented_keys() -> None:
    _process, items = json_findings(str(FINDINGS))
    assert isinstance(items, list) and len(items) == 4
    for item in items:
        assert set(item) == JSON_KEYS
        assert item["file"] == str(FINDINGS)
        assert isinstance(item["line"], int) and isinstance(item["column"], int)
        assert item["path"][:2] == ["Resources", item["resource"]]
        assert item["fix"] is None or {"applicability", "description", "edits"} <= set(item["fix"])


def test_json_format_without_findings_is_an_empty_list() -> None:
    process, items = json_findings(str(CLEAN))
    assert (process.returncode, items) == (0, [])


def test_sarif_format(assert_valid_sarif: Callable[[Any], None]) -> None:
    process = run("--format", "sarif", str(FINDINGS))
    assert process.returncode == 1
    sarif = json.loads(process.stdout)
    assert_valid_sarif(sarif)
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert sorted(result["ruleId"] for result in results) == ["E9103", "E9105", "W9101", "W9102"]
    region = next(r for r in results if r["ruleId"] == "E9105")["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (11, 15)


def test_sarif_format_without_findings(assert_valid_sarif: Callable[[Any], None]) -> None:
    process = run("--format", "sarif", str(CLEAN))
    assert process.returncode == 0
    sarif = json.loads(process.stdout)
    assert_valid_sarif(sarif)
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"] == []


@pytest.mark.parametrize("path", [FINDINGS, CLEAN], ids=["findings", "clean"])
def test_junit_format_is_xml(path: Path) -> None:
    process = run("--format", "junit", str(path))
    root = ElementTree.fromstring(process.stdout)
    assert root.tag == "testsuites"
    failures = root.findall(".//failure")
    assert len(failures) == (4 if path == FINDINGS else 0)


def test_github_format_lines_are_workflow_commands() -> None:
    process = run("--format", "github", str(FINDINGS))
    *lines, summary = process.stdout.splitlines()
    assert len(lines) == 4
    assert all(line.startswith("::") for line in lines)
    assert summary == "sam-shift-lint: Found 4 problems (2 errors, 2 warnings)."
    assert any(line.startswith("::error ") and "line=11" in line and "col=15" in line for line in lines)
    assert any(line.startswith("::warning ") for line in lines)


def test_parseable_format() -> None:
    process = run("--format", "parseable", str(FINDINGS))
    first = process.stdout.splitlines()[0]
    assert first.startswith(f"{FINDINGS}:10:7:")
    assert "E9103" in first


def test_text_format() -> None:
    process = run(str(FINDINGS))
    assert f"{FINDINGS}:11:15: E9105" in process.stdout
    assert "Found 4 problems" in process.stdout


def test_python_dash_m_matches_the_executable() -> None:
    via_module = run("--format", "json", str(FINDINGS), module=True)
    via_script = run("--format", "json", str(FINDINGS))
    assert via_module.returncode == via_script.returncode == 1
    assert json.loads(via_module.stdout) == json.loads(via_script.stdout)
    assert run("--list-rules", module=True).stdout == run("--list-rules").stdout


@pytest.mark.parametrize("module", [False, True], ids=["sam-shift-lint", "python-m"])
def test_exit_codes_both_entry_points(module: bool, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(SAM_HEADER + "Resources: {\n")
    assert run(str(CLEAN), module=module).returncode == 0
    assert run(str(FINDINGS), module=module).returncode == 1
    assert run(str(bad), module=module).returncode == 2
    assert run("--select", "Z", str(CLEAN), module=module).returncode == 2


# ------------------------------------------------------------------------------------------------ stdin


def test_stdin_with_stdin_filename() -> None:
    process, items = json_findings("-", "--stdin-filename", "stacks/api.yaml", stdin=FINDINGS.read_bytes())
    assert process.returncode == 1
    assert {item["file"] for item in items} == {"stacks/api.yaml"}
    assert triples(items) == FINDINGS_IN_FINDINGS_YAML


def test_stdin_without_a_name_is_dash() -> None:
    _process, items = json_findings("-", stdin=FINDINGS.read_bytes())
    assert {item["file"] for item in items} == {"-"}


def test_stdin_clean() -> None:
    process = run("-", "--stdin-filename", "t.yaml", stdin=CLEAN.read_bytes())
    assert process.returncode == 0


def test_stdin_bad_input_names_the_stdin_filename() -> None:
    process = run("-", "--stdin-filename", "broken.yaml", stdin=(SAM_HEADER + "Resources: [\n").encode())
    assert process.returncode == 2
    assert len(stderr_lines(process)) == 1
    assert stderr_lines(process)[0].startswith("broken.yaml: ")


def test_stdin_together_with_files() -> None:
    process, items = json_findings(str(CLEAN), "-", "--stdin-filename", "in.yaml", stdin=FINDINGS.read_bytes())
    assert process.returncode == 1
    assert {item["file"] for item in items} == {"in.yaml"}


# ------------------------------------------------------------------------------------------------ discovery


def test_directory_discovery_picks_templates_by_content(tmp_path: Path) -> None:
    (tmp_path / "nested" / "deeper").mkdir(parents=True)
    (tmp_path / "node_modules" / "pkg").mkdir(parents=True)
    (tmp_path / ".aws-sam" / "build").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "template.yaml").write_text(sam_function("Root"))
    (tmp_path / "nested" / "deeper" / "stack.json").write_text(
        json.dumps({"Transform": "AWS::Serverless-2016-10-31", "Resources": {"J": {"Type": "AWS::Serverless::Function"}}})
    )
    (tmp_path / "nested" / "service.template").write_text(sam_function("Tpl"))
    (tmp_path / "nested" / "other.yml").write_text(sam_function("Yml"))
    # Not SAM: plain CloudFormation, and YAML that would not even parse as a template (anchors, custom tags).
    (tmp_path / "cfn.yaml").write_text("Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n")
    (tmp_path / "compose.yaml").write_text("x: &base {image: a}\ny: *base\nz: !reference [a, b]\n")
    (tmp_path / "workflow.yml").write_text("on: [push]\njobs: {build: {runs-on: ubuntu-latest}}\n")
    (tmp_path / "notes.json").write_text("not json at all {")
    # SAM content in places discovery skips.
    (tmp_path / "README.md").write_text(sam_function("Readme"))
    (tmp_path / "node_modules" / "pkg" / "template.yaml").write_text(sam_function("Vendored"))
    (tmp_path / ".aws-sam" / "build" / "template.yaml").write_text(sam_function("Built"))
    (tmp_path / ".hidden" / "template.yaml").write_text(sam_function("Hidden"))
    process, items = json_findings(str(tmp_path))
    assert (process.returncode, process.stderr) == (1, "")
    assert {item["resource"] for item in items} == {"Root", "J", "Tpl", "Yml"}
    assert {Path(item["file"]).name for item in items} == {"template.yaml", "stack.json", "service.template", "other.yml"}


def test_directory_with_nothing_to_check_exits_0(tmp_path: Path) -> None:
    (tmp_path / "cfn.yaml").write_text("Resources: {}\n")
    process = run(str(tmp_path))
    assert (process.returncode, process.stderr) == (0, "")


def test_broken_sam_template_found_in_a_directory_is_reported(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(sam_function())
    (tmp_path / "bad.yaml").write_text(SAM_HEADER + "Resources:\n  Fn: [\n")
    process, items = json_findings(str(tmp_path))
    assert process.returncode == 2
    assert [line.split(":")[0] for line in stderr_lines(process)] == [str(tmp_path / "bad.yaml")]
    assert {item["file"] for item in checks(items)} == {str(tmp_path / "good.yaml")}
    assert [(item["file"], item["line"]) for item in file_errors(items)] == [(str(tmp_path / "bad.yaml"), 4)]


def test_explicit_non_sam_file_is_skipped(tmp_path: Path) -> None:
    other = tmp_path / "docker-compose.yml"
    other.write_text("x: &base {image: a}\ny: *base\n")
    process = run(str(other))
    assert (process.returncode, process.stderr) == (0, "")


# ------------------------------------------------------------------------------------------------ bad input


def _billion_laughs() -> str:
    lines = [SAM_HEADER.rstrip("\n"), 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghij":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    return "\n".join(lines) + "\nResources: {}\n"


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """name -> (path, text the error line must contain)."""
    cases: dict[str, tuple[bytes, str]] = {
        "malformed.yaml": ((SAM_HEADER + "Resources:\n  Fn: {Type: [\n").encode(), "YAML syntax error"),
        "malformed.json": (b'{"Transform": "AWS::Serverless-2016-10-31", "Resources": {"Fn": {"Type": 1}', "JSON syntax error"),
        "unknown-tag.yaml": (sam_function(extra="      Environment: !Foo bar\n").encode(), "unknown tag !Foo"),
        "duplicate-key.yaml": (sam_function(extra="      Runtime: python3.11\n").encode(), "duplicate key 'Runtime'"),
        "two-documents.yaml": ((sam_function() + "---\n" + sam_function()).encode(), "YAML"),
        "binary-with-marker.yaml": (SAM_HEADER.encode() + b"\x00\x01\x02\xff", "binary"),
        "huge.yaml": ((SAM_HEADER + "#" + "x" * (5 * 1024 * 1024) + "\n").encode(), "too large"),
        "bomb.yaml": (_billion_laughs().encode(), "aliases"),
        "latin1.yaml": (sam_function(extra="      Description: caf\u00e9\n").encode("latin-1"), "UTF-8"),
        "utf16.yaml": (sam_function().encode("utf-16"), "UTF-16"),
        "utf16-no-bom.json": (
            json.dumps({"Transform": "AWS::Serverless-2016-10-31", "Resources": {}}).encode("utf-16-le"),
            "UTF-16",
        ),
        "surrogate.json": (
            b'{"Transform": "AWS::Serverless-2016-10-31", "Resources": {"F": {"Type": "AWS::Serverless::Function",'
            b' "Properties": {"AutoPublishAlias": "a\\ud800"}}}}',
            "surrogate",
        ),
        "deep.json": (
            b'{"Transform": "AWS::Serverless-2016-10-31", "X": ' + b"[" * 5000 + b"]" * 5000 + b"}",
            "nesting too deep",
        ),
        "deep.yaml": ((SAM_HEADER + "X: " + "[" * 900 + "]" * 900 + "\n").encode(), "nesting too deep"),
    }
    result = {}
    for name, (data, reason) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        result[name] = (path, reason)
    return result


BAD_INPUT_NAMES = [
    "malformed.yaml",
    "malformed.json",
    "unknown-tag.yaml",
    "duplicate-key.yaml",
    "two-documents.yaml",
    "binary-with-marker.yaml",
    "huge.yaml",
    "bomb.yaml",
    "latin1.yaml",
    "utf16.yaml",
    "utf16-no-bom.json",
    "surrogate.json",
    "deep.json",
    "deep.yaml",
]


@pytest.fixture(scope="module")
def bad_inputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, str]]:
    return _bad_inputs(tmp_path_factory.mktemp("bad"))


def assert_one_error_line(process: subprocess.CompletedProcess, path: str, reason: str = "") -> None:
    lines = stderr_lines(process)
    assert len(lines) == 1, process.stderr
    assert lines[0].startswith(f"{path}: "), lines[0]
    assert "Traceback" not in process.stderr and "internal error" not in lines[0], lines[0]
    assert reason.lower() in lines[0].lower(), lines[0]


def test_bad_inputs_are_all_covered(bad_inputs: dict[str, tuple[Path, str]]) -> None:
    assert sorted(bad_inputs) == sorted(BAD_INPUT_NAMES)


@pytest.fixture(scope="module")
def bad_batch(bad_inputs: dict[str, tuple[Path, str]]) -> tuple[subprocess.CompletedProcess, list[dict[str, Any]]]:
    """One process over a good file, every bad input and a clean file (one run keeps the suite fast)."""
    paths = [str(bad_inputs[name][0]) for name in BAD_INPUT_NAMES]
    return json_findings(str(FINDINGS), *paths, str(CLEAN))


@pytest.mark.parametrize("name", BAD_INPUT_NAMES)
def test_bad_input_one_line_naming_the_file(
    name: str, bad_inputs: dict[str, tuple[Path, str]], bad_batch: tuple[subprocess.CompletedProcess, Any]
) -> None:
    path, reason = bad_inputs[name]
    process, _ = bad_batch
    lines = [line for line in stderr_lines(process) if line.startswith(f"{path}: ")]
    assert len(lines) == 1, process.stderr
    assert "internal error" not in lines[0] and reason.lower() in lines[0].lower(), lines[0]


def test_bad_inputs_in_one_process_the_others_still_reported(
    bad_inputs: dict[str, tuple[Path, str]], bad_batch: tuple[subprocess.CompletedProcess, Any]
) -> None:
    process, items = bad_batch
    assert process.returncode == 2
    assert "Traceback" not in process.stderr
    lines = stderr_lines(process)
    assert sorted(line.split(": ", 1)[0] for line in lines) == sorted(str(bad_inputs[n][0]) for n in BAD_INPUT_NAMES)
    assert triples(checks(items)) == FINDINGS_IN_FINDINGS_YAML
    # every bad input is also in the report (E9000), with the stderr line's reason
    assert sorted(item["file"] for item in file_errors(items)) == sorted(str(bad_inputs[n][0]) for n in BAD_INPUT_NAMES)
    for item in file_errors(items):
        assert any(line.startswith(f"{item['file']}: error: ") and line.endswith(item["message"]) for line in lines), item


# (A binary file that names no template marker, a PNG called x.yaml, is not ours: skipped, tests/test_not_ours.py.)
@pytest.mark.parametrize("name", ["malformed.yaml", "malformed.json", "binary-with-marker.yaml", "huge.yaml", "utf16.yaml"])
def test_single_bad_input_exits_2(name: str, bad_inputs: dict[str, tuple[Path, str]]) -> None:
    path, reason = bad_inputs[name]
    process = run(str(path))
    assert process.returncode == 2
    assert_one_error_line(process, str(path), reason)
    assert "All checks passed" not in process.stdout


def test_one_bad_file_among_good_ones(tmp_path: Path) -> None:
    first = tmp_path / "first.yaml"
    first.write_text(sam_function("First"))
    bad = tmp_path / "bad.json"
    bad.write_text('{"Transform": "AWS::Serverless-2016-10-31", "Resources": [}')
    last = tmp_path / "last.yaml"
    last.write_text(sam_function("Last"))
    process, items = json_findings(str(first), str(bad), str(last))
    assert process.returncode == 2
    assert_one_error_line(process, str(bad), "JSON syntax error")
    assert {item["resource"] for item in checks(items)} == {"First", "Last"}
    assert [item["file"] for item in file_errors(items)] == [str(bad)]


def test_billion_laughs_finishes_fast(bad_inputs: dict[str, tuple[Path, str]]) -> None:
    started = time.monotonic()
    process = run(str(bad_inputs["bomb.yaml"][0]))
    assert process.returncode == 2
    assert time.monotonic() - started < 5


def test_nonexistent_path(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    process = run(str(missing), str(FINDINGS))
    assert process.returncode == 2
    assert_one_error_line(process, str(missing), "no such file")
    assert "E9103" in process.stdout


def test_dangling_symlink(tmp_path: Path) -> None:
    link = tmp_path / "template.yaml"
    link.symlink_to(tmp_path / "gone.yaml")
    process = run(str(link))
    assert process.returncode == 2
    assert_one_error_line(process, str(link), "no such file")


def test_path_through_a_file(tmp_path: Path) -> None:
    """A special path: a file used as a directory (ENOTDIR)."""
    file = tmp_path / "file.yaml"
    file.write_text(sam_function())
    special = f"{file}{os.sep}template.yaml"
    process = run(special)
    assert process.returncode == 2
    assert_one_error_line(process, special)


def test_directory_named_like_a_template_is_walked(tmp_path: Path) -> None:
    odd = tmp_path / "template.yaml"
    odd.mkdir()
    (odd / "inner.yaml").write_text(sam_function("Inner"))
    process, items = json_findings(str(odd))
    assert process.returncode == 1
    assert {item["resource"] for item in items} == {"Inner"}


# Unreadable files and directories, run unprivileged even as root: tests/hostile/test_file_system.py.


def test_unreadable_directory_entry_as_root_alternative(tmp_path: Path) -> None:
    """Runs everywhere (also as root): a directory entry that cannot be read is reported, the rest is checked."""
    (tmp_path / "good.yaml").write_text(sam_function("Good"))
    (tmp_path / "broken-link.yaml").symlink_to(tmp_path / "nowhere.yaml")
    process, items = json_findings(str(tmp_path))
    assert process.returncode == 2
    assert_one_error_line(process, str(tmp_path / "broken-link.yaml"))
    assert {item["resource"] for item in checks(items)} == {"Good"}
    assert [item["file"] for item in file_errors(items)] == [str(tmp_path / "broken-link.yaml")]


# ------------------------------------------------------------------------------------------------ encodings


def test_bom_and_crlf_positions(tmp_path: Path) -> None:
    text = FINDINGS.read_text().replace("\n", "\r\n")
    path = tmp_path / "windows.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    process, items = json_findings(str(path))
    assert process.returncode == 1
    assert triples(items) == FINDINGS_IN_FINDINGS_YAML


# ------------------------------------------------------------------------------------------------ suppression


def test_template_level_suppression_matches_prefixes() -> None:
    process, items = json_findings(str(FIXTURES / "suppressed-template.yaml"))
    assert process.returncode == 1
    assert triples(items) == [("E9104", 28, 7)]


def test_resource_level_suppression_matches_exact_ids() -> None:
    _process, items = json_findings(str(FIXTURES / "suppressed-resource.yaml"))
    found = sorted((item["resource"], item["rule"]) for item in items)
    assert found == [
        ("NotSuppressed", "E9106"),
        ("NotSuppressed", "W9102"),
        ("PrefixDoesNotCount", "E9106"),
        ("PrefixDoesNotCount", "W9102"),
        ("StringIsNotAList", "E9106"),
        ("StringIsNotAList", "W9102"),
    ]


def test_template_level_string_is_not_a_list() -> None:
    _process, items = json_findings(str(FIXTURES / "suppressed-template-string.yaml"))
    assert triples(items) == [("W9102", 9, 3)]


def test_everything_suppressed_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "quiet.yaml"
    path.write_text(
        FINDINGS.read_text().replace(
            "Resources:\n", "Metadata:\n  cfn-lint:\n    config:\n      ignore_checks: [E91, W91]\nResources:\n", 1
        )
    )
    process = run(str(path))
    assert (process.returncode, process.stderr) == (0, "")


SUPPRESSION_FIXTURES = ["suppressed-template.yaml", "suppressed-resource.yaml", "suppressed-template-string.yaml"]


def test_cli_and_cfn_lint_suppress_identically(tmp_path: Path) -> None:
    paths = [str(FIXTURES / name) for name in SUPPRESSION_FIXTURES]
    cfn_lint = subprocess.run(
        [executable("cfn-lint"), "--format", "json", *paths, "--append-rules=sam_shift_lint.rules"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(tmp_path),
    )
    ours: dict[str, list[tuple[str, int, int]]] = {path: [] for path in paths}
    theirs: dict[str, list[tuple[str, int, int]]] = {path: [] for path in paths}
    for match in json.loads(cfn_lint.stdout):
        if match["Rule"]["Id"] in RULE_IDS:
            start = match["Location"]["Start"]
            theirs[match["Filename"]].append((match["Rule"]["Id"], start["LineNumber"], start["ColumnNumber"]))
    _, items = json_findings(*paths)
    for item in items:
        ours[item["file"]].append((item["rule"], item["line"], item["column"]))
    assert {k: sorted(v) for k, v in ours.items()} == {k: sorted(v) for k, v in theirs.items()}
    assert any(ours.values())
