"""What ``--fix`` refuses to do, and what it never does: write a file it cannot prove, write through a
symlink or into a read-only file, change a file's mode, touch a file that needs no change, leave
temporary files behind. Tests run as root in CI, so read-only is a matter of mode bits, not os.access."""
from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from sam_shift_lint import cli, fixer
from sam_shift_lint.editing import textedit
from sam_shift_lint.editing.builder import FixBuilder
from sam_shift_lint.findings import DataChange, Edit
from sam_shift_lint.parsing.document import load

NEEDS_FIX = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
"""
FIXED = """\
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    AutoPublishAlias: live
    DeploymentPreference:
      Enabled: true
      Type: AllAtOnce
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
"""
UNPARSABLE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: [unclosed
"""
PAST = 1_000_000_000


EXECUTABLE: list[Path] = []  # the venv's sam-shift-lint (tests/conftest.py: never the one on PATH)


@pytest.fixture(autouse=True, scope="module")
def _sam_shift_lint(bin_path) -> None:  # type: ignore[no-untyped-def]
    EXECUTABLE[:] = [bin_path("sam-shift-lint")]


def run_cli(cwd: Path, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(EXECUTABLE[0]), *args], cwd=cwd, input=stdin, capture_output=True, timeout=60
    )


def write(path: Path, text: str, mode: int = 0o644) -> Path:
    path.write_text(text)
    os.chmod(path, mode)
    os.utime(path, (PAST, PAST))
    return path


def snapshot(path: Path) -> tuple[bytes, int, int, int]:
    info = os.lstat(path)
    return path.read_bytes(), stat.S_IMODE(info.st_mode), info.st_mtime_ns, info.st_ino


def error_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.decode().splitlines() if ": error: " in line or "internal error" in line]


# ---------------------------------------------------------------------------------------------- refusals


def test_read_only_file_is_refused_and_others_are_fixed(tmp_path: Path) -> None:
    locked = write(tmp_path / "locked.yaml", NEEDS_FIX, 0o444)
    other = write(tmp_path / "other.yaml", NEEDS_FIX)
    before = snapshot(locked)
    result = run_cli(tmp_path, "--fix", "locked.yaml", "other.yaml")
    assert result.returncode == 2
    assert error_lines(result) == ["locked.yaml: error: cannot fix: the file is read-only; nothing written"]
    assert snapshot(locked) == before
    assert other.read_text() == FIXED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["locked.yaml", "other.yaml"]


def test_read_only_file_needing_no_change_is_not_an_error(tmp_path: Path) -> None:
    clean = write(tmp_path / "clean.yaml", FIXED, 0o444)
    before = snapshot(clean)
    result = run_cli(tmp_path, "--fix", "clean.yaml")
    assert result.returncode == 0, result.stderr.decode()
    assert snapshot(clean) == before


def test_owner_without_write_bit_is_read_only_even_for_root(tmp_path: Path) -> None:
    locked = write(tmp_path / "locked.yaml", NEEDS_FIX, 0o464)  # group may write, the owner may not
    with pytest.raises(fixer.NotWritable, match="read-only"):
        fixer.check_writable(str(locked))


def test_symlink_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    target_dir = tmp_path / "real"
    target_dir.mkdir()
    target = write(target_dir / "template.yaml", NEEDS_FIX)
    work = tmp_path / "work"
    work.mkdir()
    (work / "link.yaml").symlink_to(target)
    other = write(work / "other.yaml", NEEDS_FIX)
    before = snapshot(target)
    result = run_cli(work, "--fix", "link.yaml", "other.yaml")
    assert result.returncode == 2
    [line] = error_lines(result)
    assert line.startswith("link.yaml: error: cannot fix: it is a symbolic link")
    assert line.endswith("nothing written")
    assert snapshot(target) == before
    assert (work / "link.yaml").is_symlink()
    assert other.read_text() == FIXED


def test_symlink_found_in_a_directory_is_refused_too(tmp_path: Path) -> None:
    target = write(tmp_path / "elsewhere.yaml.txt", NEEDS_FIX)
    work = tmp_path / "work"
    work.mkdir()
    (work / "a.yaml").symlink_to(target)
    write(work / "b.yaml", NEEDS_FIX)
    result = run_cli(tmp_path, "--fix", "work")
    assert result.returncode == 2
    assert [line.split(":")[0] for line in error_lines(result)] == [os.path.join("work", "a.yaml")]
    assert target.read_text() == NEEDS_FIX
    assert (work / "b.yaml").read_text() == FIXED


def test_unparsable_file_is_reported_and_others_are_fixed(tmp_path: Path) -> None:
    broken = write(tmp_path / "broken.yaml", UNPARSABLE)
    good = write(tmp_path / "good.yaml", NEEDS_FIX)
    before = snapshot(broken)
    result = run_cli(tmp_path, "--fix", "broken.yaml", "good.yaml")
    assert result.returncode == 2
    [line] = error_lines(result)
    assert line.startswith("broken.yaml: error: ") and "YAML syntax error" in line
    assert snapshot(broken) == before
    assert good.read_text() == FIXED


def test_stdin_that_cannot_be_fixed_is_echoed_unchanged(tmp_path: Path) -> None:
    result = run_cli(tmp_path, "--fix", "-", stdin=UNPARSABLE.encode())
    assert result.returncode == 2
    assert result.stdout == UNPARSABLE.encode()
    plain = b"key: value\r\nno final newline"
    result = run_cli(tmp_path, "--fix", "-", stdin=plain)
    assert (result.returncode, result.stdout) == (0, plain)


def test_stdin_keeps_bom_and_reports_on_stderr(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + NEEDS_FIX.replace("\n", "\r\n").encode()
    result = run_cli(tmp_path, "--fix", "-", stdin=data)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout == b"\xef\xbb\xbf" + FIXED.replace("\n", "\r\n").encode()
    assert "2 fixed" in result.stderr.decode()


def test_fix_and_diff_together_is_a_usage_error(tmp_path: Path) -> None:
    write(tmp_path / "t.yaml", NEEDS_FIX)
    result = run_cli(tmp_path, "--fix", "--diff", "t.yaml")
    assert result.returncode == 2
    assert (tmp_path / "t.yaml").read_text() == NEEDS_FIX


# ---------------------------------------------------------------------------------------------- writing


@pytest.mark.parametrize("mode", [0o640, 0o600, 0o755, 0o664])
def test_mode_is_kept(tmp_path: Path, mode: int) -> None:
    path = write(tmp_path / "t.yaml", NEEDS_FIX, mode)
    result = run_cli(tmp_path, "--fix", "t.yaml")
    assert result.returncode == 0, result.stderr.decode()
    assert path.read_text() == FIXED
    assert stat.S_IMODE(os.stat(path).st_mode) == mode


def test_files_needing_no_change_are_not_touched(tmp_path: Path) -> None:
    clean = write(tmp_path / "clean.yaml", FIXED)
    not_sam = write(tmp_path / "other.yaml", "key: value\n")
    dirty = write(tmp_path / "dirty.yaml", NEEDS_FIX)
    before = {p: snapshot(p) for p in (clean, not_sam)}
    result = run_cli(tmp_path, "--fix", ".")
    assert result.returncode == 0, result.stderr.decode()
    assert {p: snapshot(p) for p in (clean, not_sam)} == before
    assert dirty.read_text() == FIXED
    assert os.stat(dirty).st_mtime_ns != PAST * 10**9
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.yaml", "dirty.yaml", "other.yaml"]


def test_diff_writes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path / "t.yaml", NEEDS_FIX)
    before = snapshot(path)
    result = run_cli(tmp_path, "--diff", "t.yaml")
    assert result.returncode == 1
    assert result.stdout.startswith(b"diff --git a/t.yaml b/t.yaml\n")
    assert snapshot(path) == before
    assert [p.name for p in tmp_path.iterdir()] == ["t.yaml"]


def test_write_atomically_replaces_and_keeps_mode(tmp_path: Path) -> None:
    path = write(tmp_path / "t.yaml", "old\n", 0o640)
    inode = os.stat(path).st_ino
    fixer.write_atomically(str(path), b"new\n")
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert os.stat(path).st_ino != inode, "written to a new file and renamed over the old one"
    assert [p.name for p in tmp_path.iterdir()] == ["t.yaml"]


def test_failed_rename_leaves_original_and_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    path = write(tmp_path / "t.yaml", NEEDS_FIX)
    before = snapshot(path)

    def refuse(source: str, destination: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fixer.os, "replace", refuse)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--fix", "t.yaml"]) == 2
    err = capsys.readouterr().err
    assert "t.yaml: error: cannot write: No space left on device; nothing written" in err
    assert snapshot(path) == before
    assert [p.name for p in tmp_path.iterdir()] == ["t.yaml"]


# ---------------------------------------------------------------------------------------------- verification


def test_verified_accepts_the_intended_change() -> None:
    document = load("t.yaml", NEEDS_FIX.encode())
    change = DataChange(
        "add", ("Globals",), {"Function": {"AutoPublishAlias": "live", "DeploymentPreference": {"Enabled": True, "Type": "AllAtOnce"}}}
    )
    assert fixer._verified(document, FIXED, [change]).data()["Globals"]["Function"]["AutoPublishAlias"] == "live"


@pytest.mark.parametrize(
    "changes",
    [
        [DataChange("add", ("Globals",), {"Function": {"AutoPublishAlias": "prod"}})],  # a different value
        [],  # an unannounced change
        [DataChange("add", ("Globals",), {"Function": {"AutoPublishAlias": "live", "DeploymentPreference": {"Enabled": "true", "Type": "AllAtOnce"}}})],
    ],
    ids=["wrong-value", "unannounced", "string-not-bool"],
)
def test_verified_rejects_anything_else(changes: list[DataChange]) -> None:
    document = load("t.yaml", NEEDS_FIX.encode())
    with pytest.raises(fixer.FixError, match="intended change"):
        fixer._verified(document, FIXED, changes)


def test_verified_rejects_text_that_does_not_parse() -> None:
    document = load("t.yaml", NEEDS_FIX.encode())
    broken = NEEDS_FIX.replace("Resources:\n", "Resources:\nAutoPublishAlias: live\n  x: [\n")
    with pytest.raises(fixer.FixError, match="does not parse"):
        fixer._verified(document, broken, [])


def _corrupt_add_entries(monkeypatch: pytest.MonkeyPatch, victim: str, how: str) -> None:
    """Make the editor emit a wrong edit for one file (the planner still states the intended change)."""
    original = textedit.TextEditor.add_entries

    def add_entries(self, mapping, entries, before=None):  # type: ignore[no-untyped-def]
        edit = original(self, mapping, entries, before)
        if not self.document.path.endswith(victim):
            return edit
        if how == "wrong value":
            content = edit.content.replace("AllAtOnce", "Canary10Percent5Minutes")
        elif how == "wrong indentation":  # parses, but the alias lands in Globals instead of Globals.Function
            content = edit.content.replace("    AutoPublishAlias:", "  AutoPublishAlias:")
        else:  # the text no longer parses
            content = edit.content.replace("Globals:", "Globals: [")
        return Edit(edit.start, edit.end, content, edit.line, edit.column, edit.end_line, edit.end_column)

    monkeypatch.setattr(textedit.TextEditor, "add_entries", add_entries)


@pytest.mark.parametrize("how", ["wrong value", "wrong indentation", "broken syntax"])
def test_fix_document_raises_on_a_corrupted_edit(monkeypatch: pytest.MonkeyPatch, how: str) -> None:
    _corrupt_add_entries(monkeypatch, "victim.yaml", how)
    document = load("victim.yaml", NEEDS_FIX.encode())
    with pytest.raises(fixer.FixError):
        fixer.fix_document(document)


@pytest.mark.parametrize("how", ["wrong value", "wrong indentation", "broken syntax"])
@pytest.mark.parametrize("mode", ["--fix", "--diff"])
def test_cli_reports_internal_error_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, how: str, mode: str  # type: ignore[no-untyped-def]
) -> None:
    victim = write(tmp_path / "victim.yaml", NEEDS_FIX)
    bystander = write(tmp_path / "bystander.yaml", NEEDS_FIX)
    before = snapshot(victim)
    _corrupt_add_entries(monkeypatch, "victim.yaml", how)
    monkeypatch.chdir(tmp_path)
    code = cli.main([mode, "victim.yaml", "bystander.yaml"])
    captured = capsys.readouterr()
    assert code == 2
    [line] = [text for text in captured.err.splitlines() if "victim.yaml" in text]
    assert line.startswith("victim.yaml: internal error: fix refused, nothing written: ")
    assert snapshot(victim) == before
    assert "a/victim.yaml" not in captured.out
    if mode == "--fix":
        assert bystander.read_text() == FIXED
    else:
        assert "a/bystander.yaml" in captured.out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bystander.yaml", "victim.yaml"]


def test_fixes_that_never_settle_are_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """An edit that changes text but not data passes verification yet fixes nothing: the loop must stop
    (idempotence) and nothing may be written."""

    def render(self):  # type: ignore[no-untyped-def]
        return [Edit(0, 0, "# again\n", 1, 1, 1, 1)], []

    monkeypatch.setattr(FixBuilder, "_render", render)
    path = write(tmp_path / "t.yaml", NEEDS_FIX)
    before = snapshot(path)
    with pytest.raises(fixer.FixError, match="did not settle"):
        fixer.fix_document(load("t.yaml", NEEDS_FIX.encode()))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--fix", "t.yaml"]) == 2
    assert "t.yaml: internal error: fix refused, nothing written: fixes did not settle" in capsys.readouterr().err
    assert snapshot(path) == before


def test_corrupted_render_through_the_fix_builder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """The planner's rendered edit and its stated data change disagree (FixBuilder._render patched)."""
    original = FixBuilder._render

    def render(self):  # type: ignore[no-untyped-def]
        edits, changes = original(self)
        return edits, [DataChange(c.op, c.path, "something else") for c in changes]

    monkeypatch.setattr(FixBuilder, "_render", render)
    path = write(tmp_path / "t.yaml", NEEDS_FIX)
    before = snapshot(path)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--fix", "t.yaml"]) == 2
    err = capsys.readouterr().err
    assert "t.yaml: internal error: fix refused, nothing written: the fixed text does not hold exactly the intended change" in err
    assert snapshot(path) == before


def test_a_refused_fix_leaves_a_reproducer(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    """As black does: the refusal names a file holding the candidate text and the expected-vs-actual data diff."""
    original = FixBuilder._render

    def render(self):  # type: ignore[no-untyped-def]
        edits, changes = original(self)
        return edits, [DataChange(c.op, c.path, "something else") for c in changes]

    monkeypatch.setattr(FixBuilder, "_render", render)
    monkeypatch.setenv("TMPDIR", str(tmp_path / "reports"))
    (tmp_path / "reports").mkdir()
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    path = write(tmp_path / "t.yaml", NEEDS_FIX)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--fix", "t.yaml"]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("t.yaml: internal error: fix refused, nothing written: the fixed text does not hold exactly")
    [report] = list((tmp_path / "reports").iterdir())
    assert f"(details to report: {report})" in line
    text = report.read_text()
    assert "refused to write a fix to t.yaml: the fixed text does not hold exactly the intended change" in text
    assert "  - [safe] Add DeploymentPreference (Enabled: true, Type: AllAtOnce)\n" in text
    assert '--- expected\n+++ candidate\n' in text and '\n-  "Globals": "something else",\n' in text
    assert "\n+    AutoPublishAlias: live\n" in text  # the candidate text's own diff
    assert "--- original text ---\n" + NEEDS_FIX in text
    assert path.read_text() == NEEDS_FIX
