"""Output injection: logical ids, keys, values and file names holding line breaks, ESC, C1 controls, U+2028/2029,
bidi overrides or invisible format characters (U+FEFF, zero-width) cannot forge report lines (``::error file=...`` for GitHub) or terminal escapes in any human-readable
output; structured outputs (JSON, SARIF) keep the exact text, escaped by their serializer, and stay valid;
a file name that is not UTF-8 (byte 0xFF) works in every format.
"""
from __future__ import annotations

import json
import os
import subprocess
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote_to_bytes

import pytest
from hostile_inputs import SAM_HEADER, UNSAFE, Result, assert_one_error_line, cfn_lint_matches, run_cfn_lint, run_cli, sam_function

# Each hostile character, in a logical id of its own (so every finding message quotes one).
HOSTILE_CHARACTERS = {
    "Newline": "\n::error file=forged.yaml,line=1::forged\n",
    "Return": "\r::warning::overwritten",
    "Escape": "\x1b[2J\x1b]0;title\x07",
    "Bell": "\x07",
    "Delete": "\x7f",
    "CsiC1": "\x9b31m",
    "NextLine": "\x85::error::nel",
    "LineSeparator": "\u2028::error::ls",
    "ParagraphSeparator": "\u2029::error::ps",
    "RightToLeftOverride": "\u202egnp.exe",
    "Isolate": "\u2066x\u2069",
    "Tab": "\tx",
    "ZeroWidth": "\u200bx\u200cx\u200dx\u2060",
    "ByteOrderMark": "\ufeffx",
    "SoftHyphen": "\xadx",
    "InvisibleOperators": "\u2061x\u2064",  # (tag characters, beyond U+FFFF, are in DISGUISED_TYPE: cfn-lint's JSON
    # reader rejects the surrogate-pair escapes json.dumps writes for them)
}
FORMATS = ["text", "github", "parseable", "junit", "json", "sarif"]
HUMAN_READABLE = ["text", "github", "parseable", "junit"]


def hostile_template() -> str:
    """A SAM template (JSON, so every character can be written as an escape) with one function per hostile
    character, each lacking alias and preference."""
    resources = {
        f"Fn{label}{text}": {
            "Type": "AWS::Serverless::Function",
            "Properties": {"Runtime": "python3.12", "Handler": "app.handler", "CodeUri": "src/"},
        }
        for label, text in HOSTILE_CHARACTERS.items()
    }
    return json.dumps({"Transform": "AWS::Serverless-2016-10-31", "Resources": resources}, indent=2)


NAMES = {f"Fn{label}{text}" for label, text in HOSTILE_CHARACTERS.items()}
FINDINGS = 2 * len(NAMES)  # W9101 + W9102 each


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("injection")
    (directory / "hostile.json").write_text(hostile_template())
    return directory


@pytest.fixture(scope="module")
def outputs(work: Path) -> dict[str, Result]:
    return {name: run_cli("--format", name, "hostile.json", cwd=work) for name in FORMATS}


def assert_no_raw_control_characters(text: str) -> None:
    found = UNSAFE.search(text)
    assert found is None, f"raw {found.group()!r} in output: {text[max(0, found.start() - 80) : found.end() + 80]!r}"


@pytest.mark.parametrize("name", HUMAN_READABLE)
def test_human_readable_output_has_no_raw_control_characters(name: str, outputs: dict[str, Result]) -> None:
    result = outputs[name]
    assert result.returncode == 1, result.stderr
    assert_no_raw_control_characters(result.stdout)


def test_text_one_line_per_finding(outputs: dict[str, Result]) -> None:
    lines = outputs["text"].stdout.splitlines()
    findings = [line for line in lines if line.startswith("hostile.json:")]
    assert len(findings) == FINDINGS and len(lines) == FINDINGS + 2  # + summary and fix hint
    assert "Function 'FnNewline\\n::error file=forged.yaml,line=1::forged\\n' has no AutoPublishAlias" in outputs["text"].stdout
    assert "FnEscape\\x1b[2J\\x1b]0;title\\x07'" in outputs["text"].stdout
    assert "FnRightToLeftOverride\\u202egnp.exe'" in outputs["text"].stdout


def test_github_cannot_forge_an_annotation(outputs: dict[str, Result]) -> None:
    *lines, summary = outputs["github"].stdout.splitlines()
    assert len(lines) == FINDINGS
    assert all(line.startswith("::warning file=hostile.json,") for line in lines), lines
    assert summary == f"sam-shift-lint: Found {FINDINGS} problems (0 errors, {FINDINGS} warnings)."


def test_parseable_one_line_per_finding(outputs: dict[str, Result]) -> None:
    lines = outputs["parseable"].stdout.splitlines()
    assert len(lines) == FINDINGS and all(line.startswith("hostile.json:") for line in lines)


def test_junit_is_valid_xml_with_escaped_messages(outputs: dict[str, Result]) -> None:
    root = ElementTree.fromstring(outputs["junit"].stdout_bytes)
    messages = [failure.get("message", "") for failure in root.iter("failure")]
    assert len(messages) == FINDINGS
    for message in messages:
        assert_no_raw_control_characters(message)


def test_json_keeps_the_exact_names(outputs: dict[str, Result]) -> None:
    items = json.loads(outputs["json"].stdout)
    assert {item["resource"] for item in items} == NAMES


def test_sarif_keeps_the_exact_names(outputs: dict[str, Result], assert_valid_sarif: Callable[[Any], None]) -> None:
    log = json.loads(outputs["sarif"].stdout)
    assert_valid_sarif(log)
    texts = [result["message"]["text"] for result in log["runs"][0]["results"]]
    assert len(texts) == FINDINGS
    assert all(any(f"'{name}'" in text for name in NAMES) for text in texts)


def test_stdin_filename_and_stdin_content(work: Path) -> None:
    result = run_cli("-", "--stdin-filename", "in\x1b[31m\n.json", stdin=(work / "hostile.json").read_bytes())
    assert result.returncode == 1
    assert_no_raw_control_characters(result.stdout)
    assert result.stdout.startswith("in\\x1b[31m\\n.json:")


def test_show_fixes_escapes_file_names(tmp_path: Path) -> None:
    name = "fix\x1b[31m\nme.yaml"
    (tmp_path / name).write_text(sam_function())
    result = run_cli("--fix", "--show-fixes", name, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "- fix\\x1b[31m\\nme.yaml:" in result.stdout
    assert_no_raw_control_characters(result.stdout)


def test_error_lines_escape_file_names_and_quoted_input(tmp_path: Path) -> None:
    name = "bad\x1b]0;x\x07\n.yaml"
    (tmp_path / name).write_text(SAM_HEADER + 'Resources:\n  "A\\e\\u2028": 1\n  "A\\e\\u2028": 2\n')
    result = run_cli(name, "missing\r.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert_no_raw_control_characters(result.stderr)
    assert_one_error_line(result, "bad\\x1b]0;x\\x07\\n.yaml", "duplicate key 'A\\x1b\\u2028'")
    assert_one_error_line(result, "missing\\r.yaml", "no such file")


# ------------------------------------------------------------------------------------------- invisible text

# A resource name and a value that look like ``FnSafe`` and ``Canary10Percent5Minute`` in an editor or a terminal:
# U+202E reverses what follows it, U+FEFF, U+200B and the tag U+E0041 are invisible. Written raw in the YAML file, as an attacker would.
DISGUISED_NAME = "Fn\u202eefaS\ufeff"
DISGUISED_TYPE = "Canary10Percent5Minute\ufeff\u202e\u200b\U000e0041"
DISGUISED_TEMPLATE = (
    SAM_HEADER
    + f"Resources:\n  {DISGUISED_NAME}:\n    Type: AWS::Serverless::Function\n    Properties:\n"
    + "      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n      AutoPublishAlias: live\n"
    + f"      DeploymentPreference:\n        Type: {DISGUISED_TYPE}\n"
)
NAME_SHOWN = "Fn\\u202eefaS\\ufeff"
TYPE_SHOWN = "Canary10Percent5Minute\\ufeff\\u202e\\u200b\\U000e0041"


@pytest.fixture(scope="module")
def disguised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("disguised")
    (directory / "template.yaml").write_bytes(DISGUISED_TEMPLATE.encode())
    return directory


@pytest.mark.parametrize("fmt", HUMAN_READABLE)
def test_bidi_and_zero_width_characters_in_a_name_and_a_value_are_escaped(fmt: str, disguised: Path) -> None:
    result = run_cli("--format", fmt, "template.yaml", cwd=disguised)
    assert result.returncode == 1, result.stderr
    assert_no_raw_control_characters(result.stdout)
    shown = result.stdout
    if fmt == "junit":
        root = ElementTree.fromstring(result.stdout_bytes)
        shown = "\n".join(failure.get("message", "") for failure in root.iter("failure"))
    assert f"Function '{NAME_SHOWN}'" in shown
    assert f"'{TYPE_SHOWN}'" in shown  # E9105 quotes the deployment type
    if fmt == "github":
        assert shown.startswith("::error file=template.yaml,")


def test_structured_formats_keep_the_invisible_characters(disguised: Path) -> None:
    items = json.loads(run_cli("--format", "json", "template.yaml", cwd=disguised).stdout)
    assert {item["resource"] for item in items} == {DISGUISED_NAME}
    assert any(DISGUISED_TYPE in item["message"] for item in items)
    log = json.loads(run_cli("--format", "sarif", "template.yaml", cwd=disguised).stdout)
    assert any(DISGUISED_TYPE in result["message"]["text"] for result in log["runs"][0]["results"])


def test_show_fixes_and_error_lines_escape_invisible_characters(tmp_path: Path) -> None:
    (tmp_path / "t\u202e\ufeff.yaml").write_bytes(DISGUISED_TEMPLATE.encode())
    fixed = run_cli("--fix", "--unsafe-fixes", "--show-fixes", "t\u202e\ufeff.yaml", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert "- t\\u202e\\ufeff.yaml:" in fixed.stdout
    assert_no_raw_control_characters(fixed.stdout)
    (tmp_path / "dup.yaml").write_bytes((SAM_HEADER + f"Resources:\n  {DISGUISED_NAME}: 1\n  {DISGUISED_NAME}: 2\n").encode())
    broken = run_cli("dup.yaml", cwd=tmp_path)
    assert broken.returncode == 2
    assert_one_error_line(broken, "dup.yaml", f"duplicate key '{NAME_SHOWN}'")


@pytest.mark.parametrize(
    "source",
    [
        'Resources:\n  "A\\n::error::x\\u202e": 1\n  "A\\n::error::x\\u202e": 2\n',  # a duplicate key
        'Resources:\n  A:\n    Timeout: !!int "1\\ufeff\\u2029"\n',  # a value its tag rejects
        "Resources:\n  A: !x%E2%80%8B%1B 1\n",  # an unknown tag (percent-encoded: U+200B, ESC)
    ],
)
def test_parse_errors_quote_input_printably(source: str) -> None:
    """The parser's error message is printable itself (one line, no raw control or format character), whoever
    prints it: the command line, the language server's diagnostics (found by fuzzing with --bias unicode-breaks:
    ``invalid value for !!bool: '<U+2029>'``)."""
    from sam_shift_lint.parsing.document import parse
    from sam_shift_lint.parsing.errors import DocumentError

    with pytest.raises(DocumentError) as caught:
        parse("t.yaml", SAM_HEADER + source)
    message = str(caught.value)
    assert "\n" not in message
    assert_no_raw_control_characters(message)
    assert "\\" in message  # the characters are shown as escapes


# ------------------------------------------------------------------------------------------------ file names

ODD_NAMES = {
    "newline-escape": "odd\n\x1b[31m.yaml",
    "not-utf8": os.fsdecode(b"caf\xff.yaml"),
    "bidi": "x\u202eyaml.json",
}


@pytest.fixture(scope="module")
def odd_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("odd-names")
    for name in ODD_NAMES.values():
        (directory / name).write_text(sam_function())
    return directory


@pytest.mark.parametrize("fmt", FORMATS)
def test_odd_file_names_in_every_format(fmt: str, odd_files: Path, assert_valid_sarif: Callable[[Any], None]) -> None:
    names = [ODD_NAMES[label] for label in sorted(ODD_NAMES)]
    result = run_cli("--format", fmt, *names, cwd=odd_files)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    if fmt in HUMAN_READABLE:
        assert_no_raw_control_characters(result.stdout)
    if fmt == "json":
        files = {item["file"] for item in json.loads(result.stdout)}
        # exact names, but the non-UTF-8 byte shown escaped (JSON text must be valid Unicode)
        assert files == {ODD_NAMES["newline-escape"], ODD_NAMES["bidi"], "caf\\xff.yaml"}
    elif fmt == "sarif":
        log = json.loads(result.stdout)
        assert_valid_sarif(log)
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
        assert uris == {quote(os.fsencode(name), safe="/") for name in names}  # RFC 3986, from the name's bytes
        assert {unquote_to_bytes(uri) for uri in uris} == {os.fsencode(name) for name in names}
    elif fmt == "junit":
        root = ElementTree.fromstring(result.stdout_bytes)
        assert {suite.get("name") for suite in root.iter("testsuite")} == {"caf\\xff.yaml", "odd\\n\\x1b[31m.yaml", "x\\u202eyaml.json"}
    elif fmt == "text":
        assert {line.split(":", 1)[0] for line in result.stdout.splitlines()[:-2]} == {
            "caf\\xff.yaml", "odd\\n\\x1b[31m.yaml", "x\\u202eyaml.json"
        }


def test_odd_file_names_found_while_walking(odd_files: Path, assert_valid_sarif: Callable[[Any], None]) -> None:
    result = run_cli("--format", "sarif", ".", cwd=odd_files)
    assert result.returncode == 1, result.stderr
    log = json.loads(result.stdout)
    assert_valid_sarif(log)
    assert len(log["runs"][0]["results"]) == 2 * len(ODD_NAMES)


@pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0, reason="needs git")
def test_diff_headers_quote_odd_names_and_git_applies_them(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    for name in ODD_NAMES.values():
        (repo / name).write_text(sam_function())
    result = run_cli("--diff", *ODD_NAMES.values(), cwd=repo)
    assert result.returncode == 1, result.stderr
    assert_no_raw_control_characters(result.stdout.replace("\n", ""))
    headers = [line for line in result.stdout.splitlines() if line.startswith(("diff --git", "---", "+++"))]
    assert 'diff --git "a/odd\\n\\033[31m.yaml" "b/odd\\n\\033[31m.yaml"' in headers
    assert '--- "a/caf\\377.yaml"' in headers
    git = ["git", "-c", "core.quotePath=true", "-C", str(repo)]
    subprocess.run([*git, "init", "-q"], check=True)
    patch = tmp_path / "fix.patch"
    patch.write_bytes(result.stdout_bytes)
    subprocess.run([*git, "apply", str(patch)], check=True, capture_output=True)
    fixed = run_cli("--format", "json", *ODD_NAMES.values(), cwd=repo)
    assert (fixed.returncode, fixed.stdout) == (0, "[]\n")  # the patch fixed every file it named


# ------------------------------------------------------------------------------------------------ rule pack


@pytest.mark.slow
def test_rule_pack_messages_are_escaped(work: Path) -> None:
    result = run_cfn_lint(["hostile.json"], work, "--format", "json")
    assert b"Traceback" not in result.stderr_bytes, result.stderr[-3000:]
    ours = [m for m in cfn_lint_matches(result) if str(m["Rule"]["Id"]).startswith("W91")]  # type: ignore[index]
    assert len(ours) == FINDINGS
    for match in ours:
        assert_no_raw_control_characters(str(match["Message"]))
    text = run_cfn_lint(["hostile.json"], work)
    our_lines = [line for line in text.stdout.splitlines() if line.startswith(("W9101", "W9102"))]
    assert len(our_lines) == FINDINGS
    for line in our_lines:
        assert_no_raw_control_characters(line)
