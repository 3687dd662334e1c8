"""Every hostile content class through the language server's path (an editor buffer, checked in process): one
error diagnostic saying what the command says, never an exception. The end-to-end tests (tests/server) show
the same for a few of them over stdio."""
from __future__ import annotations

import pytest
from hostile_inputs import CONTENT_CLASSES

from sam_shift_lint.server import convert
from sam_shift_lint.server.analysis import analyze
from sam_shift_lint.server.settings import ServerSettings

# An editor decodes a UTF-16 file before sending it: the buffer is then text, and a NUL-riddled one only when
# the editor guessed wrong (as here, decoding it as UTF-8). What matters is one error, whatever its wording.
REWORDED = {"utf16.yaml"}


@pytest.mark.parametrize("name", sorted(CONTENT_CLASSES))
def test_one_error_diagnostic(name: str) -> None:
    content, reason = CONTENT_CLASSES[name]
    text = content.decode("utf-8", "replace")  # what an editor holds for bytes that are not UTF-8
    analysis = analyze(f"file:///{name}", 1, text, name, ServerSettings().resolved_for(name))
    found = convert.diagnostics(analysis)
    assert len(found) == 1, [d.message for d in found]
    [diagnostic] = found
    assert diagnostic.severity == 1 and diagnostic.source == "sam-shift-lint"
    assert not diagnostic.message.startswith("internal error"), diagnostic.message
    if name not in REWORDED:
        assert reason in diagnostic.message, diagnostic.message
    assert len(diagnostic.message) < 400
