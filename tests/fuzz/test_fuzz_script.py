"""``scripts/fuzz.py`` as the long run uses it (a real process with a worker): every input is checked, every
fixable one fixed and diffed, the costly extras go to the sample the options ask for, and the summary says so."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "fuzz.py"
INPUTS = 200


def test_the_long_run_checks_every_input_and_samples_the_extras(corpus_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), "--inputs", str(INPUTS), "--jobs", "1", "--seed", "3", "--out", str(out),
         "--corpus", str(corpus_dir), "--no-observe", "--second-parser-every", "5"],
        capture_output=True, text=True, timeout=120,
    )
    assert completed.returncode in (0, 1), completed.stderr[-2000:]  # 1: it found something (listed in the summary)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    paths = summary["paths"]
    assert summary["inputs_run"] == INPUTS and paths["check"] == INPUTS
    assert summary["every"] == {"fix": 1, "render_all": 10, "second_parser": 5, "refix": 8, "ruamel": 100, "cli": 100, "git": 400}
    assert INPUTS // 4 < paths["fix"] < INPUTS and paths["diff"] <= paths["fix"]  # about half the mix has a fix
    assert 0 < paths["second-parser"] < paths["fix"] // 2  # the fixer's ruamel.yaml step: 1 in 5 (and the cli sample)
    assert 0 < paths["refix"] < paths["fix"] // 4 and 0 < paths["cli"] <= INPUTS // 100 + 1
    assert summary["inputs_per_cpu_second"] > 0
