"""The language server (pygls 2, stdio): diagnostics on open, change (debounced, on the unsaved text) and save;
code actions (:mod:`.actions`); settings from ``initializationOptions``, ``workspace/didChangeConfiguration`` and
``workspace/configuration`` (:mod:`.settings`).

Documents are synchronised in full (the client sends the whole text on each change): pygls's incremental sync
splits lines with ``str.splitlines``, which breaks at characters LSP does not (U+2028, form feed ...), and a
template is small enough for full sync to cost nothing noticeable. Checking runs on the server's event loop,
one buffer at a time; every handler catches what the engine might raise, so no buffer can stop the server.
"""
from __future__ import annotations

import asyncio
import gc
import logging
import time
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from sam_shift_lint import __version__
from sam_shift_lint.server import actions, convert
from sam_shift_lint.server.analysis import Analysis, analyze, collector_paused
from sam_shift_lint.server.positions import UTF8, UTF16, UTF32
from sam_shift_lint.server.settings import SECTION, ServerSettings

DEBOUNCE_SECONDS = 0.2  # after the last keystroke
CONFIGURATION_FILES = ("pyproject.toml", ".sam-shift-lint.toml")
log = logging.getLogger("sam-shift-lint.server")
_ENCODINGS = {"utf-8": UTF8, "utf-16": UTF16, "utf-32": UTF32}


class SamShiftLintServer(LanguageServer):
    """The server's state: settings, the last analysis of each open buffer, pending debounced checks."""

    def __init__(self, settings: ServerSettings | None = None) -> None:
        super().__init__("sam-shift-lint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.settings = settings or ServerSettings()
        self.analyses: dict[str, Analysis] = {}
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.problems: list[str] = []

    # ------------------------------------------------------------------------------------------------ checking

    @property
    def encoding(self) -> str:
        return _ENCODINGS.get(str(self.workspace.position_encoding or "utf-16"), UTF16)

    def analysis(self, uri: str) -> Analysis | None:
        """The analysis of the buffer's current version (made now when the last one is older)."""
        try:
            document = self.workspace.get_text_document(uri)
        except Exception:  # pragma: no cover - pygls creates documents on demand
            return None
        current = self.analyses.get(uri)
        if current is not None and current.version == document.version and current.text == document.source:
            return current
        path = _path(uri)
        current = analyze(uri, document.version, document.source, path, self.settings.resolved_for(path), self.encoding)
        while self.settings.config_problems:
            problem = self.settings.config_problems.pop(0)
            log.warning("configuration: %s", problem)
            self.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"sam-shift-lint: {problem}"))
        if current.problem is not None and current.problem.details:
            log.error("checking %s failed:\n%s", uri, current.problem.details)
        self.analyses[uri] = current
        return current

    def check_now(self, uri: str) -> None:
        """Check the buffer and publish its diagnostics."""
        timer = self.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        if uri not in self.workspace.text_documents:
            return
        started = time.perf_counter()
        with collector_paused():  # the collector runs after the diagnostics are out (see analyze())
            try:
                analysis = self.analysis(uri)
                if analysis is None:
                    return
                found = convert.diagnostics(analysis)
            except Exception as error:  # pragma: no cover - analyze() catches the engine's errors already
                log.exception("publishing diagnostics for %s failed", uri)
                message = f"internal error: {error}"
                found = [types.Diagnostic(types.Range(types.Position(0, 0), types.Position(0, 0)), message, source=convert.SOURCE)]
                analysis = None
            version = analysis.version if analysis is not None else None
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=version))
        log.info("%s version %s: %d diagnostics in %.0f ms", uri, version, len(found), (time.perf_counter() - started) * 1000)

    def check_later(self, uri: str) -> None:
        timer = self.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        self.timers[uri] = asyncio.get_running_loop().call_later(DEBOUNCE_SECONDS, self.check_now, uri)

    def check_all(self) -> None:
        self.analyses.clear()
        for uri in list(self.workspace.text_documents):
            self.check_now(uri)

    # ------------------------------------------------------------------------------------------------ settings

    def apply_settings(self, payload: object) -> None:
        problems = self.settings.update(payload)
        for problem in problems:
            log.warning("settings: %s", problem)
            self.window_show_message(types.ShowMessageParams(types.MessageType.Warning, f"sam-shift-lint: {problem}"))

    async def pull_settings(self) -> None:
        """Ask the client for the ``sam-shift-lint`` section, when it answers ``workspace/configuration``."""
        capabilities = self.client_capabilities
        if not (capabilities.workspace and capabilities.workspace.configuration):
            return
        try:
            answer = await self.workspace_configuration_async(
                types.ConfigurationParams(items=[types.ConfigurationItem(section=SECTION)])
            )
        except Exception as error:
            log.warning("workspace/configuration failed: %s", error)
            return
        if answer and answer[0] is not None:
            self.apply_settings(answer[0])

    def lazy_actions(self) -> bool:
        """Can the client resolve a code action's edit later (``codeAction/resolve``)?"""
        document = self.client_capabilities.text_document
        support = document.code_action.resolve_support if document and document.code_action else None
        return support is not None and "edit" in support.properties

    def versioned_edits(self) -> bool:
        workspace = self.client_capabilities.workspace
        edit = workspace.workspace_edit if workspace else None
        return bool(edit and edit.document_changes)


def _path(uri: str) -> str:
    """The file name a buffer is reported as (the engine never opens it)."""
    path = to_fs_path(uri) if uri.startswith("file:") else None
    return path or uri.rsplit("/", 1)[-1] or "untitled"


def create_server(settings: ServerSettings | None = None) -> SamShiftLintServer:
    server = SamShiftLintServer(settings)
    gc.freeze()  # what is loaded by now (modules, rule tables) lives as long as the server: never scan it again

    @server.feature(types.INITIALIZE)
    def initialize(ls: SamShiftLintServer, params: types.InitializeParams) -> None:
        if params.initialization_options is not None:
            ls.problems = ls.settings.update(params.initialization_options)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: SamShiftLintServer, params: types.InitializedParams) -> None:
        for problem in ls.problems:
            ls.window_show_message(types.ShowMessageParams(types.MessageType.Warning, f"sam-shift-lint: {problem}"))
        ls.problems = []
        before = ls.settings.client
        await ls.pull_settings()
        if ls.settings.client != before:
            ls.check_all()

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(ls: SamShiftLintServer, params: types.DidChangeConfigurationParams) -> None:
        if params.settings is not None and params.settings != {}:
            ls.apply_settings(params.settings)
        else:  # the pull model: the notification only says "ask again"
            await ls.pull_settings()
        ls.check_all()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: SamShiftLintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.check_now(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: SamShiftLintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.check_later(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: SamShiftLintServer, params: types.DidSaveTextDocumentParams) -> None:
        if params.text_document.uri.rsplit("/", 1)[-1] in CONFIGURATION_FILES:  # it may change every buffer's result
            ls.check_all()
            return
        ls.check_now(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: SamShiftLintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        timer = ls.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        ls.analyses.pop(uri, None)
        ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL_KIND], resolve_provider=True),
    )
    def code_action(ls: SamShiftLintServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        try:
            analysis = ls.analysis(params.text_document.uri)
            if analysis is None:
                return None
            return actions.code_actions(analysis, params.range, params.context, ls.lazy_actions(), ls.versioned_edits()) or None
        except Exception:
            log.exception("code actions for %s failed", params.text_document.uri)
            return None

    @server.feature(types.CODE_ACTION_RESOLVE)
    def resolve_code_action(ls: SamShiftLintServer, action: types.CodeAction) -> types.CodeAction:
        data: Any = action.data
        uri = data.get("uri") if isinstance(data, dict) else None
        analysis = ls.analysis(uri) if isinstance(uri, str) and uri in ls.workspace.text_documents else None
        if analysis is None:
            raise actions.ActionError("the document is not open")
        return actions.resolve(analysis, action, ls.versioned_edits())

    return server
