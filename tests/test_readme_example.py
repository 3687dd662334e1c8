"""The README's first command: what it installs, and the output it shows is what the command prints."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def _first_command() -> str:
    return re.findall(r"```sh\n(.+?)\n```", README, re.DOTALL)[0]


def _shown_output() -> list[str]:
    after = README.split("The first command ends with exit code 1", 1)[1]
    return re.findall(r"```text\n(.+?)\n```", after, re.DOTALL)[0].splitlines()


def test_the_first_command_installs_what_its_shown_output_needs() -> None:
    """The example's W9207 line comes from the deploy-role pairing, which needs the permissions extra."""
    command = _first_command()
    assert "install -e '.[permissions]'" in command and command.endswith("sam-shift-lint examples/codestar-project")
    assert any(" W9207 " in line for line in _shown_output())


def test_the_shown_output_is_what_the_example_gives() -> None:
    """Run as the README runs it: from the checkout, on the bundled example (this environment has the extra)."""
    run = subprocess.run(
        [sys.executable, "-m", "sam_shift_lint", "examples/codestar-project"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert run.returncode == 1, run.stderr
    assert run.stdout.splitlines() == _shown_output()
