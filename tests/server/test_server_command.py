"""``sam-shift-lint server``: the subcommand, its optional dependencies, and the cost it must not add to checking."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BIN = Path(os.path.dirname(os.path.abspath(sys.executable)))  # not resolved: a venv's python is a symlink
REPO = Path(__file__).resolve().parent.parent.parent


def python(code: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=cwd)


def test_checking_files_never_imports_the_server_libraries() -> None:
    process = python(
        "import sys\n"
        "from sam_shift_lint.cli import main\n"
        "code = main(['examples/codestar-project'])\n"
        "print(code, sorted(m for m in ('pygls', 'lsprotocol', 'cattrs', 'sam_shift_lint.server') if m in sys.modules))\n"
    )
    assert process.stdout.splitlines()[-1] == "1 []", process.stdout + process.stderr


def test_without_the_lsp_extra_the_command_says_what_to_install() -> None:
    process = python(
        "import sys\n"
        "sys.modules['pygls'] = None  # as if not installed\n"
        "from sam_shift_lint.cli import main\n"
        "sys.exit(main(['server']))\n"
    )
    assert process.returncode == 2
    assert "install them with: pip install 'sam-shift-lint[lsp]'" in process.stderr


def test_server_help_and_a_folder_named_server(tmp_path: Path) -> None:
    helped = subprocess.run([str(BIN / "sam-shift-lint"), "server", "--help"], capture_output=True, text=True, timeout=60)
    assert helped.returncode == 0 and "language server" in helped.stdout
    (tmp_path / "server").mkdir()
    (tmp_path / "server" / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {Handler: a.b, Runtime: python3.12, AutoPublishAlias: live, DeploymentPreference: {Type: AllAtOnce}}\n"
    )
    checked = subprocess.run([str(BIN / "sam-shift-lint"), "./server"], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert (checked.returncode, checked.stdout.strip()) == (0, "All checks passed!")


def test_the_server_exits_when_its_client_goes_away() -> None:
    """End of input (the editor closed the pipe) ends the server: no orphan process."""
    process = subprocess.run([str(BIN / "sam-shift-lint"), "server"], input="", capture_output=True, text=True, timeout=60)
    assert process.returncode == 0, process.stderr
