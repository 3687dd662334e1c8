"""Each format's ``Writer`` (the report written file by file as the run goes) against the whole report at once.

JSON, SARIF and JUnit are rendered whole by their serializers (``json.dumps`` of the whole list or log,
ElementTree's ``indent`` and ``tostring`` of the whole tree); their writers frame each file's part by hand, so
the two must agree byte for byte. Text, parseable and GitHub are compared with the layout they promise
(sorted lines, GitHub's errors first, then the summary). The findings are real: every fixture of the
repository checked by the engine, E9000 for the broken ones, plus hostile file names and messages.
"""
from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from sam_shift_lint.checks.registry import RuleInfo, all_rules
from sam_shift_lint.cli.modes import Job, run_files
from sam_shift_lint.findings import Finding, Fix
from sam_shift_lint.output import FORMATS, OutputContext, open_writer, render, statistics
from sam_shift_lint.output import stream as stream_module
from sam_shift_lint.output.github import format_finding as github_line
from sam_shift_lint.output.parseable import format_finding as parseable_line
from sam_shift_lint.output.stream import by_file
from sam_shift_lint.output.summary import Tally, fix_hint, summary_line
from sam_shift_lint.output.text import format_finding as text_line
from sam_shift_lint.project import Project

REPO = Path(__file__).resolve().parents[2]
FIXTURES = ["examples", "tests/rules", "tests/iam_rules", "tests/fixes", "tests/iam_fixes", "tests/cli_fixtures", "tests/hostile"]
SEVERITY_RANK = {"error": 0, "warning": 1, "informational": 2}


@pytest.fixture(scope="module")
def real_findings(tmp_path_factory: pytest.TempPathFactory) -> list[Finding]:
    """What the engine finds in every fixture directory of the repository, and E9000 for two broken files."""
    broken = tmp_path_factory.mktemp("broken")
    (broken / "syntax.yaml").write_text("Transform: AWS::Serverless-2016-10-31\nResources: [\n")
    (broken / "duplicate.yaml").write_text("Transform: AWS::Serverless-2016-10-31\nResources: {}\nResources: {}\n")
    job = Job(Project(isolated=True))
    run = run_files([*(str(REPO / name) for name in FIXTURES), str(broken)], None, job, lambda: b"", 1)
    assert len(run.findings) > 500 and sum(finding.rule == "E9000" for finding in run.findings) == 2
    return run.findings


@pytest.fixture(scope="module")
def all_rule_infos() -> dict[str, RuleInfo]:
    return {rule.id: rule for rule in all_rules()}


def streamed(format_name: str, findings: list[Finding], rules: dict[str, RuleInfo], context: OutputContext) -> str:
    """The writer's output, fed file by file in report order as the command feeds it."""
    out = io.StringIO()
    writer = open_writer(format_name, rules, context, out)
    for group in by_file(findings):
        writer.write(group)
    writer.finish(context.files_checked, context.fixed)
    assert writer.tally.total == len(findings)
    return out.getvalue()


def hostile(finding: Callable[..., Finding], make_fix: Callable[[str], Fix]) -> list[Finding]:
    """Names and messages a serializer must escape: a non-UTF-8 byte of a file name (a lone surrogate), control
    characters, U+2028, quotes, XML specials; the same finding twice (fingerprint occurrences)."""
    odd = "odd\udcff\n\u2028<&>\".yaml"
    twice = finding("E3701", 2, 1, file=odd, message="same \x1b[31m <tag> & \"quoted\"", fix=make_fix("safe"))
    return [
        twice,
        twice,
        finding("W3702", 1, 1, file=odd, message="line\nbreak", fix=make_fix("unsafe")),
        finding("I3703", 5, 1, file="z.yaml", resource=None, path=(), fix=make_fix("display")),
        finding("E9000", 1, 1, file="a/broken.yaml", message="YAML syntax error: \ud800", resource=None, path=()),
    ]


@pytest.mark.parametrize("format_name", ["json", "sarif", "junit"])
@pytest.mark.parametrize("case", ["fixtures", "hostile", "none", "one"])
def test_structured_formats_stream_what_their_serializer_writes_whole(
    format_name: str, case: str, real_findings: list[Finding], all_rule_infos: dict[str, RuleInfo], finding: Callable[..., Finding],
    make_fix: Callable[[str], Fix], tmp_path: Path, assert_valid_sarif: Callable[[object], None],
) -> None:
    findings = {
        "fixtures": real_findings,
        "hostile": hostile(finding, make_fix),
        "none": [],
        "one": real_findings[:1],
    }[case]
    context = OutputContext(version="0.1.0", files_checked=len({f.file for f in findings}), fixed=3, cwd=str(REPO), root=str(tmp_path))
    whole = render(format_name, findings, all_rule_infos, context)
    assert streamed(format_name, findings, all_rule_infos, context) == whole
    if format_name == "junit":
        ET.fromstring(whole.encode("utf-8"))  # well-formed
    elif format_name == "sarif":
        assert_valid_sarif(json.loads(whole))
    else:
        json.loads(whole)


def test_sarif_results_before_the_rules_they_name(real_findings: list[Finding], all_rule_infos: dict[str, RuleInfo]) -> None:
    """The log is written results first, so the rules are listed in the order the results first name them;
    each ``ruleIndex`` points at its rule, each E9000 result has its notification."""
    log = json.loads(streamed("sarif", real_findings, all_rule_infos, OutputContext(version="0.1.0", cwd=str(REPO))))
    (run,) = log["runs"]
    assert list(run) == ["automationDetails", "originalUriBaseIds", "columnKind", "newlineSequences", "results", "tool", "invocations", "properties"]
    rules = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert rules == list(dict.fromkeys(result["ruleId"] for result in run["results"]))
    assert all(rules[result["ruleIndex"]] == result["ruleId"] for result in run["results"])
    errors = [result for result in run["results"] if result["ruleId"] == "E9000"]
    notifications = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"] for n in notifications] == [r["message"] for r in errors] and errors


@pytest.mark.parametrize("quiet", [False, True])
def test_line_formats_stream_their_layout(
    quiet: bool, real_findings: list[Finding], all_rule_infos: dict[str, RuleInfo], finding: Callable[..., Finding], make_fix: Callable[[str], Fix]
) -> None:
    findings = real_findings + hostile(finding, make_fix)
    context = OutputContext(version="0.1.0", fixed=2, cwd=str(REPO), quiet=quiet, unsafe_fixes_enabled=True)
    ordered = sorted(findings, key=Finding.sort_key)
    tally = Tally.of(findings, unsafe_fixes_enabled=True)
    summary = [] if quiet else [summary_line(tally, 2), fix_hint(tally)]
    expected = {
        "text": [text_line(f, context) for f in ordered] + summary,
        "parseable": [parseable_line(f) for f in ordered],
        "github": [github_line(f, context) for f in sorted(ordered, key=lambda f: SEVERITY_RANK[f.severity])]
        + ([] if quiet else [f"sam-shift-lint: {summary_line(tally, 2)}"]),
    }
    for format_name, lines in expected.items():
        text = streamed(format_name, findings, all_rule_infos, context)
        assert text == "".join(line + "\n" for line in lines), format_name
        assert render(format_name, findings, all_rule_infos, context) == text


def test_github_errors_first_across_files(finding: Callable[..., Finding], all_rule_infos: dict[str, RuleInfo]) -> None:
    """A warning of the first file waits until the error of the last file is out."""
    findings = [finding("W9101", 1, 1, file="a.yaml"), finding("E9000", 1, 1, file="b.yaml"), finding("I9001", 1, 1, file="c.yaml")]
    lines = streamed("github", findings, all_rule_infos, OutputContext(version="0.1.0")).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::error", "::warning", "::notice", "sam-shift-lint:"]


def test_spools_that_move_to_a_temporary_file(
    monkeypatch: pytest.MonkeyPatch, real_findings: list[Finding], all_rule_infos: dict[str, RuleInfo]
) -> None:
    """JUnit's suites and GitHub's later annotations wait in a spool; beyond its memory it is a temporary file,
    with the same result."""
    context = OutputContext(version="0.1.0", cwd=str(REPO))
    expected = {name: streamed(name, real_findings, all_rule_infos, context) for name in ("junit", "github")}
    monkeypatch.setattr(stream_module, "SPOOL_MEMORY", 100)
    rolled: list[int] = []
    temporary = stream_module._temporary_text_file
    monkeypatch.setattr(stream_module, "_temporary_text_file", lambda: rolled.append(1) or temporary())
    for name, text in expected.items():
        assert streamed(name, real_findings, all_rule_infos, context) == text
    assert len(rolled) >= 2


@pytest.mark.parametrize("format_name", ["text", "json"])
def test_statistics_from_the_counts(format_name: str, real_findings: list[Finding], all_rule_infos: dict[str, RuleInfo]) -> None:
    """``--statistics`` keeps counts only; the table is the same as from the whole list."""
    context = OutputContext(version="0.1.0", fixed=1)
    out = io.StringIO()
    writer = statistics.Writer(format_name, all_rule_infos, context, out)
    for group in by_file(real_findings):
        writer.write(group)
    writer.finish(0, 1)
    assert out.getvalue() == statistics.render(format_name, real_findings, all_rule_infos, context)
    if format_name == "json":
        counts = {row["code"]: row["count"] for row in json.loads(out.getvalue())}
        assert sum(counts.values()) == len(real_findings) and counts["E9000"] >= 1


def test_every_format_has_a_writer() -> None:
    out = io.StringIO()
    for format_name in FORMATS:
        open_writer(format_name, {}, OutputContext(version="0"), out).finish(0, 0)
    with pytest.raises(ValueError, match="unknown output format"):
        open_writer("yaml", {}, OutputContext(version="0"), out)
