"""Files that are not ours never fail the hook: pre-commit names every changed YAML/JSON file, and a file that is
neither a SAM template, a template with a deploy role nor an IAM policy is skipped silently, before any size limit
or full parse, whether it is named or found in a walk. Only a file whose head clearly makes it ours
(``sam_shift_lint.parsing.sniff``) can give exit code 2.

Real examples: a Helm chart (``helm-chart/``: templates with ``{{ .Values }}`` and IAM policy ``Statement``s), an
8 MB ``package-lock.json`` and an 8 MB AWS Config snapshot (generated here as npm and AWS Config write them), a
JSON Schema of SAM templates (``sam-template.schema.json``, whose examples hold a template), a PNG named
``.yaml``."""
from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sam_shift_lint.parsing import sniff
from sam_shift_lint.parsing.errors import MAX_BYTES

HERE = Path(__file__).resolve().parent
HELM = HERE / "helm-chart"
SCHEMA = HERE / "sam-template.schema.json"
SAM_HEADER = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n"
SAM = SAM_HEADER + (
    "Resources:\n  Api:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n"
    "      Runtime: python3.12\n      CodeUri: src/\n"
)
EIGHT_MB = 8 * 1024 * 1024


def package_lock(size: int) -> bytes:
    """A package-lock.json (lockfileVersion 3) as npm writes it, grown to ``size`` bytes."""
    packages: dict[str, object] = {"": {"name": "orders-web", "version": "1.0.0", "license": "UNLICENSED",
                                        "dependencies": {"react": "^18.2.0"}, "devDependencies": {"jest": "^29.7.0"}}}
    index = 0
    text = b""
    while len(text) < size:
        for _ in range(2000):
            name = f"pkg-{index:06d}"
            digest = base64.b64encode(hashlib.sha512(name.encode()).digest()).decode()
            packages[f"node_modules/{name}"] = {
                "version": f"{index % 7}.{index % 13}.{index % 5}",
                "resolved": f"https://registry.npmjs.org/{name}/-/{name}-{index % 7}.{index % 13}.{index % 5}.tgz",
                "integrity": f"sha512-{digest}",
                "dev": index % 3 == 0,
                "license": "MIT",
                "dependencies": {f"pkg-{(index * 7) % 1000:06d}": "^1.0.0"},
                "engines": {"node": ">=14"},
            }
            index += 1
        text = json.dumps({"name": "orders-web", "version": "1.0.0", "lockfileVersion": 3, "requires": True,
                           "packages": packages}, indent=2).encode() + b"\n"
    return text


def config_snapshot(size: int) -> bytes:
    """An AWS Config snapshot (as delivered to S3) whose IAM items embed policy documents with a Statement."""
    items = []
    text = b""
    while len(text) < size:
        for _ in range(500):
            n = len(items)
            policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::b{n}/*"}]}
            items.append({
                "configurationItemVersion": "1.3", "resourceType": "AWS::IAM::Policy", "resourceId": f"ANPA{n:016d}",
                "awsRegion": "global", "configurationItemCaptureTime": "2024-05-01T10:00:00.000Z",
                "configuration": {"policyName": f"p{n}", "policyVersionList": [{"document": policy, "versionId": "v1"}]},
            })
        text = json.dumps({"fileVersion": "1.0", "configSnapshotId": "0b0f1a8c", "configurationItems": items}).encode()
    return text


@pytest.fixture(scope="module")
def big_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("big")
    lock = directory / "package-lock.json"
    lock.write_bytes(package_lock(EIGHT_MB))
    snapshot = directory / "config-snapshot.json"
    snapshot.write_bytes(config_snapshot(EIGHT_MB))
    schema = directory / "cloudformation.schema.json"  # a schema too large to be read whole, examples included
    data = json.loads(SCHEMA.read_text())
    for n in range(4000):
        data["definitions"][f"AWS::Service{n}::Resource"] = {"type": "object", "examples": [{"Type": "AWS::Serverless::Function"}],
                                                             "description": "x" * 1500}
    schema.write_text(json.dumps(data))
    return {"lock": lock, "snapshot": snapshot, "schema": schema}


def run(bin_path: Callable[[str], Path], *args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(bin_path("sam-shift-lint")), *args], cwd=cwd, capture_output=True, text=stdin is None, input=stdin, timeout=120)


# ------------------------------------------------------------------------------------------------ the real examples


def test_the_examples_are_what_they_claim(big_files: dict[str, Path]) -> None:
    assert os.path.getsize(big_files["lock"]) > EIGHT_MB and os.path.getsize(big_files["snapshot"]) > EIGHT_MB
    assert os.path.getsize(big_files["schema"]) > MAX_BYTES
    assert b"Statement" in big_files["snapshot"].read_bytes()[:MAX_BYTES]  # a candidate, so the head is asked
    assert b"AWS::Serverless" in SCHEMA.read_bytes() and b'"Type": "AWS::Serverless::Function"' in SCHEMA.read_bytes()
    assert b"Statement" in (HELM / "templates" / "iam-policy.yaml").read_bytes()
    assert b'"Statement"' in (HELM / "templates" / "policy.json").read_bytes()


def test_named_files_that_are_not_ours_pass_silently(bin_path: Callable[[str], Path], big_files: dict[str, Path], tmp_path: Path) -> None:
    png = tmp_path / "logo.yaml"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    named = [*sorted(str(p) for p in HELM.rglob("*") if p.is_file()), str(SCHEMA), *map(str, big_files.values()), str(png)]
    ran = run(bin_path, "--format", "json", *named, cwd=tmp_path)
    assert (ran.returncode, ran.stderr, json.loads(ran.stdout)) == (0, "", [])


def test_a_walk_over_them_passes_silently(bin_path: Callable[[str], Path], big_files: dict[str, Path], tmp_path: Path) -> None:
    ran = run(bin_path, "--format", "json", str(HERE), str(big_files["lock"].parent), cwd=tmp_path)
    assert (ran.returncode, ran.stderr, json.loads(ran.stdout)) == (0, "", [])


def test_the_big_files_are_skipped_by_their_head_without_a_parse(big_files: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """In process: the files are never parsed (the engine's loader would fail the test) and the decision is made
    from the first MAX_BYTES bytes."""
    from sam_shift_lint import engine
    from sam_shift_lint.cli.modes import Job, run_files
    from sam_shift_lint.project import Project

    def no_parse(*_args: object) -> None:
        raise AssertionError("a file that is not ours was parsed")

    monkeypatch.setattr(engine, "load", no_parse)
    result = run_files([str(path) for path in big_files.values()], None, Job(Project(isolated=True)), lambda: b"")
    assert (result.errors, result.findings, result.checked) == ([], [], 0)


def test_a_pre_commit_run_fails_only_on_the_sam_and_policy_files(bin_path: Callable[[str], Path], big_files: dict[str, Path], tmp_path: Path) -> None:
    """What the hook runs (`sam-shift-lint --force-exclude FILE...`) on a repository with a lock file, a Helm chart,
    a SAM app and a deploy policy: the findings are the SAM template's and the policy's; once they are fixed,
    the same run passes."""
    (tmp_path / ".sam-shift-lint.toml").write_text('region = "us-east-1"\naccount-id = "123456789012"\n')  # for the policy fix
    template = tmp_path / "app" / "template.yaml"
    template.parent.mkdir()
    template.write_text(SAM)
    policy = tmp_path / "iam" / "CodeStarWorkerCloudFormationRolePolicy.json"
    policy.parent.mkdir()
    policy.write_text(json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}))
    others = [*sorted(str(p) for p in HELM.rglob("*.yaml")), str(HELM / "templates" / "policy.json"), str(big_files["lock"]), str(SCHEMA)]
    ran = run(bin_path, "--format", "json", "--force-exclude", *others, str(template), str(policy), cwd=tmp_path)
    assert ran.returncode == 1 and ran.stderr == ""
    assert {(Path(item["file"]).name, item["rule"]) for item in json.loads(ran.stdout)} == {
        ("template.yaml", "W9101"), ("template.yaml", "W9102"), ("CodeStarWorkerCloudFormationRolePolicy.json", "E9201"),
    }
    fixed = run(bin_path, "--fix", "--force-exclude", *others, str(template), str(policy), cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert run(bin_path, "--force-exclude", *others, str(template), str(policy), cwd=tmp_path).returncode == 0


# ------------------------------------------------------------------------------------------------ clearly ours


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("big.yaml", (SAM + "#" + "x" * MAX_BYTES + "\n").encode(), "file too large"),
        ("broken.yaml", (SAM + "      Environment: {Variables: [\n").encode(), "YAML syntax error"),
        ("broken.json", b'{"Transform": "AWS::Serverless-2016-10-31", "Resources": {', "JSON syntax error"),
        ("policy.json", b'{"Version": "2012-10-17", "Statement": [{"Effect": "Allow" "Action": "s3:*"}]}', "JSON syntax error"),
        ("role.yaml", b"Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties: {AssumeRolePolicyDocument: {Statement: [{Principal: {Service: cloudformation.amazonaws.com}}]}\n  X: [\n", "YAML syntax error"),
        ("utf16.yaml", SAM.encode("utf-16"), "UTF-16"),
    ],
)
def test_files_that_are_clearly_ours_are_reported_named_or_walked(
    bin_path: Callable[[str], Path], tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / name).write_bytes(content)
    for target, display in ((f"d/{name}", f"d/{name}"), ("d", f"d/{name}")):
        ran = run(bin_path, target, cwd=tmp_path)
        assert ran.returncode == 2, ran.stdout
        [line] = ran.stderr.splitlines()
        assert line.startswith(f"{display}: error: ") and reason in line, line
        ignored = run(bin_path, "-b", target, cwd=tmp_path)  # cfn-lint's -b / --ignore-bad-template
        assert (ignored.returncode, ignored.stderr) == (0, "")
        assert run(bin_path, "--ignore-bad-template", target, cwd=tmp_path).returncode == 0


def test_ignore_bad_template_keeps_other_errors_and_findings(bin_path: Callable[[str], Path], tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(SAM + "  X: [\n")
    (tmp_path / "good.yaml").write_text(SAM)
    (tmp_path / ".sam-shift-lint.toml").write_text("ignore-bad-template = true\n")
    ran = run(bin_path, "broken.yaml", "good.yaml", cwd=tmp_path)
    assert ran.returncode == 1 and ran.stderr == "" and "good.yaml:4:3: W9101" in ran.stdout
    missing = run(bin_path, "missing.yaml", cwd=tmp_path)  # a file that cannot be read is no bad template
    assert missing.returncode == 2 and missing.stderr.startswith("missing.yaml: error: ")


def test_standard_input_is_handed_to_us_on_purpose(bin_path: Callable[[str], Path], tmp_path: Path) -> None:
    """Input piped in is reported when it does not parse, whatever its head claims (an editor's buffer)."""
    helm = (HELM / "templates" / "iam-policy.yaml").read_bytes()
    ran = run(bin_path, "-", cwd=tmp_path, stdin=helm)
    assert ran.returncode == 2 and ran.stderr.startswith(b"-: error: ")
    assert run(bin_path, "-", cwd=tmp_path, stdin=b"name: not a template\n").returncode == 0


# ------------------------------------------------------------------------------------------------ the sniff itself


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"Transform: AWS::Serverless-2016-10-31\n", sniff.SAM_TEMPLATE),
        (b'Transform: "AWS::Serverless-2016-10-31"  # SAM\n', sniff.SAM_TEMPLATE),
        (b"Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\n", sniff.SAM_TEMPLATE),
        (b"Transform:\n  - AWS::LanguageExtensions  # first\n\n  - 'AWS::Serverless-2016-10-31'\n", sniff.SAM_TEMPLATE),
        (b'{"Transform" : [\n "AWS::Serverless-2016-10-31"\n]}', sniff.SAM_TEMPLATE),
        (b"Resources:\n  F: {Type: AWS::Serverless::Function}\n", sniff.SAM_TEMPLATE),
        (b'\xef\xbb\xbf{"Resources": {"F": {"Type": "AWS::Serverless::Api"}}}', sniff.SAM_TEMPLATE),
        ("Transform: AWS::Serverless-2016-10-31\n".encode("utf-16-le"), sniff.SAM_TEMPLATE),
        (b"Resources:\n  R:\n    Type: AWS::IAM::Role\n    # Principal: cloudformation.amazonaws.com\n", sniff.DEPLOY_ROLE_TEMPLATE),
        (b"Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties: {}\n", None),
        (b'{"Version": "2012-10-17", "Statement": [', sniff.POLICY),
        (b"Version: '2012-10-17'\nStatement:\n  - Effect: Deny\n", sniff.POLICY),
        (b'{"Policy": {"Statement": []}}', None),  # nested: not a policy document
        (b"Resources:\n  Q: {Type: AWS::SQS::QueuePolicy}\nStatement: []\n", None),
        (b'{"$schema": "http://json-schema.org/draft-07/schema#", "examples": [{"Type": "AWS::Serverless::Function"}]}', None),
        (b"Transform: AWS::Serverless-2016-10-31\nname: {{ .Values.name }}\n", None),
        (b"Transform: AWS::Serverless-2016-10-31\nx: {{- include \"a\" . }}\n", None),
        # Jinja (cookiecutter, as `sam init` templates): a declared SAM template is still one; weaker claims go
        (b"Transform: AWS::Serverless-2016-10-31\nName: {{cookiecutter.project_name}}\n", sniff.SAM_TEMPLATE),
        (b"Resources:\n  F:\n    Type: AWS::Serverless::Function\n{%- if x %}\n", sniff.SAM_TEMPLATE),
        (b"Version: '2012-10-17'\nStatement:\n{%- for s in statements %}\n", None),
        (b"Resources:\n  R:\n    Type: AWS::IAM::Role\n    # cloudformation {{ cookiecutter.x }}\n", None),
        # not template-engine actions: a Docker log tag, a dynamic reference, JSONata
        (b"Transform: AWS::Serverless-2016-10-31\nTag: '{{.Name}}'\nP: '{{resolve:ssm:p}}'\nA: '{% $states.input %}'\n", sniff.SAM_TEMPLATE),
        (b'{"name": "x", "description": "AWS::Serverless and Statement in prose"}', None),
    ],
)
def test_claim(head: bytes, expected: str | None) -> None:
    assert sniff.claim(head) == expected


def test_the_claim_is_linear_in_the_head() -> None:
    """Hostile heads (what the patterns scan) take milliseconds, not seconds."""
    import time

    for head in (
        b"Transform:" + b" " * 200_000,
        b"Transform:\n" + b"  - AWS::X\n" * 100_000,
        b'{"a": "' + b"\\\\" * 300_000,
        b"{" * 200_000 + b'"Statement": 1',
        b'"Type": ' * 100_000,
        b"{{" + b" " * 300_000,
        b"Transform: [" + b"AWS::X , " * 100_000,
        b"Resources:\n" + b"  Type:   " * 100_000,
    ):
        started = time.process_time()
        sniff.claim(head)
        assert time.process_time() - started < 2.0, head[:40]


@pytest.mark.slow
def test_every_corpus_template_and_policy_is_claimed(corpus_dir: Path) -> None:
    """Why the sniff cannot skip a real template: every corpus file the engine checks (a SAM template, a policy, a
    template with a deploy role) is a candidate, and its head claims it, so a broken copy of any of them would
    be reported rather than skipped."""
    from sam_shift_lint.engine import applies, is_policy_document, new_context
    from sam_shift_lint.parsing.document import load
    from sam_shift_lint.parsing.errors import DocumentError

    counts = {"checked": 0}
    unclaimed = []
    for path in sorted(corpus_dir.rglob("*")):
        if not (path.is_file() and path.suffix in (".yaml", ".yml", ".json", ".template")):
            continue
        raw = path.read_bytes()
        try:
            document = load(str(path), raw)
        except DocumentError:
            continue
        ctx = new_context(document)
        if not (is_policy_document(document) or applies(ctx)):
            continue
        counts["checked"] += 1
        assert sniff.is_candidate(raw), path
        if sniff.claim(raw) is None:
            unclaimed.append(str(path))
    print(f"\n[sniff] {counts['checked']} corpus files checked by the engine, {len(unclaimed)} not claimed")
    assert counts["checked"] > 2000
    assert unclaimed == []


def test_module_is_importable_without_compiling_patterns() -> None:
    """The patterns are compiled only when a file that cannot be parsed is asked what it is (startup cost)."""
    code = "import sys; import sam_shift_lint.parsing.sniff as s; print(s._pattern.cache_info().currsize)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "0"


def test_the_utf16_markers_are_the_marker_encoded() -> None:
    assert sniff._WIDE_MARKERS == tuple(
        (sniff.SERVERLESS_MARKER.decode().encode(codec), codec) for codec in ("utf-16-le", "utf-16-be")
    )
