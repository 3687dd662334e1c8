"""One ``pyproject.toml``, three front doors, one result: the command (``sam-shift-lint --format json``), the
cfn-lint rule pack (real ``cfn-lint --append-rules=sam_shift_lint.rules``) and the language server (started
over stdio, driven by pytest-lsp) report the same findings, at the same positions, with the same messages, for
two templates governed by the same configuration: ``ignore``, ``per-file-ignores`` and ``region`` (which decides
E9201 on the deploy role). The fix settings of the configuration (``alias-name``) reach the command's ``--fix``
and the server's quick fixes alike.

Slow: it starts cfn-lint and the server."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

pytestmark = pytest.mark.slow

BIN = Path(os.path.dirname(os.path.abspath(sys.executable)))  # not resolved: a venv's python is a symlink
REGIONAL = Path(__file__).resolve().parent.parent / "iam_rules" / "settings" / "regional-deploy-role.yaml"
# The deploy role grants CodeDeploy in us-west-2 only: with region eu-west-1 it is E9201. Worker has neither alias
# nor preference (W9101, W9102); the Globals preference misspells Alarms (W9110).
WORKER = """\
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Handler: worker.handler
      Runtime: python3.12
      CodeUri: s3://bucket/key.zip
      DeploymentPreference:
        Enabled: false
        Type: AllAtOnce
        Alarm: [x]
"""
PYPROJECT = """\
[project]
name = "orders"
version = "1.0.0"

[tool.sam-shift-lint]
ignore = ["W9102"]
region = "eu-west-1"
alias-name = "prod"

[tool.sam-shift-lint.per-file-ignores]
"legacy/**" = ["W91"]
"""
Finding = tuple[str, int, int, str]  # rule, 1-based line and column, message


@pytest.fixture
def project(tmp_path: Path) -> Path:
    template = REGIONAL.read_text(encoding="utf-8").replace("Resources:\n", "Resources:\n" + WORKER, 1)
    (tmp_path / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (tmp_path / "template.yaml").write_text(template, encoding="utf-8")
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "template.yaml").write_text(template, encoding="utf-8")
    return tmp_path


NAMES = ("template.yaml", "legacy/template.yaml")


def command(project: Path) -> dict[str, list[Finding]]:
    ran = subprocess.run([str(BIN / "sam-shift-lint"), "--format", "json", *NAMES], cwd=project, capture_output=True,
                         text=True, timeout=120, check=False)
    assert ran.returncode == 1 and ran.stderr == "", ran.stderr
    found: dict[str, list[Finding]] = {name: [] for name in NAMES}
    for item in json.loads(ran.stdout):
        found[item["file"]].append((item["rule"], item["line"], item["column"], item["message"]))
    return {name: sorted(items) for name, items in found.items()}


def rule_pack(project: Path) -> dict[str, list[Finding]]:
    ran = subprocess.run([str(BIN / "cfn-lint"), "--format", "json", "--append-rules=sam_shift_lint.rules", "--", *NAMES],
                         cwd=project, capture_output=True, text=True, timeout=300, check=False)
    assert "Traceback" not in ran.stderr, ran.stderr
    found: dict[str, list[Finding]] = {name: [] for name in NAMES}
    for match in json.loads(ran.stdout):
        rule = match["Rule"]["Id"]
        if rule[1:3] in ("91", "92"):
            start = match["Location"]["Start"]
            found[match["Filename"]].append((rule, start["LineNumber"], start["ColumnNumber"], match["Message"]))
    return {name: sorted(items) for name, items in found.items()}


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[str(BIN / "sam-shift-lint"), "server"]))
async def client(lsp_client: LanguageClient, tmp_path: Path) -> AsyncIterator[None]:
    await lsp_client.initialize_session(
        types.InitializeParams(capabilities=client_capabilities("visual-studio-code"), root_uri=tmp_path.as_uri())
    )
    yield
    await lsp_client.shutdown_session()


@pytest_asyncio.fixture
async def published(client: LanguageClient) -> dict[str, list[types.Diagnostic]]:
    """The diagnostics the server published, by document URI (the latest for each)."""
    received: dict[str, list[types.Diagnostic]] = {}

    def record(params: types.PublishDiagnosticsParams) -> None:
        received[params.uri] = list(params.diagnostics)

    client.protocol.fm.features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = record
    return received


async def language_server(client: LanguageClient, published: dict[str, list[types.Diagnostic]], project: Path) -> dict[str, list[Finding]]:
    import asyncio
    import time

    found: dict[str, list[Finding]] = {}
    for name in NAMES:
        path = project / name
        uri = path.as_uri()
        client.text_document_did_open(types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=path.read_text(encoding="utf-8"))
        ))
        deadline = time.monotonic() + 30
        while uri not in published:
            assert time.monotonic() < deadline, f"no diagnostics for {name}"
            await asyncio.sleep(0.01)
        # ASCII text: LSP's UTF-16 columns are the command's columns less one
        found[name] = sorted(
            (str(d.code), d.range.start.line + 1, d.range.start.character + 1, d.message) for d in published[uri]
        )
    return found


@pytest.mark.asyncio
async def test_the_same_configuration_gives_the_same_result_in_every_front_door(
    client: LanguageClient, published: dict[str, list[types.Diagnostic]], project: Path
) -> None:
    expected = command(project)
    rules = {name: [rule for rule, *_ in items] for name, items in expected.items()}
    # ignore = W9102 everywhere, legacy/** loses W91 (W9101, W9110); region eu-west-1 makes the role E9201
    assert rules == {"template.yaml": ["E9201", "W9101", "W9110"], "legacy/template.yaml": ["E9201"]}, expected
    assert rule_pack(project) == expected
    assert await language_server(client, published, project) == expected

    # the fix settings too: alias-name = "prod" in the server's quick fix and in the command's --fix
    uri = (project / "template.yaml").as_uri()
    [w9101] = [d for d in published[uri] if d.code == "W9101"]
    actions = await client.text_document_code_action_async(types.CodeActionParams(
        types.TextDocumentIdentifier(uri), w9101.range, types.CodeActionContext(diagnostics=[w9101])
    ))
    titles = [action.title for action in actions or [] if isinstance(action, types.CodeAction)]
    assert "Fix W9101: Add AutoPublishAlias: prod" in titles, titles
    diff = subprocess.run([str(BIN / "sam-shift-lint"), "--diff", "template.yaml"], cwd=project, capture_output=True,
                          text=True, timeout=120, check=False)
    assert "+      AutoPublishAlias: prod" in diff.stdout, diff.stdout + diff.stderr
