"""Checking and fixing leave no reference cycle behind: each file's parsed document, model and fix planner are
freed by reference counting as soon as the file is done. A cycle (a view that keeps its template, which keeps the
view; a recursive closure) keeps every file's node tree alive until the garbage collector runs, and that collector
then spent about a third of the CPU time of a corpus check (and kept that much more memory)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import argparse, contextlib, gc, io, json, sys
from sam_shift_lint.cli import main

def run(argv):
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            main(argv)
        except SystemExit:
            pass

files = sys.argv[1:]
run(["--jobs", "1", files[0]])  # imports and caches, before counting
gc.collect()
gc.set_debug(gc.DEBUG_SAVEALL)
run(["--jobs", "1", "--format", "json", *files])
run(["--jobs", "1", "--diff", *files])
run(["--jobs", "1", "--fix", *files])
gc.collect()
ours = sorted({  # argparse's help formatter is cyclic by design (and made once per run, not per file)
    type(o).__qualname__ for o in gc.garbage
    if type(o).__module__.startswith("sam_shift_lint") and not isinstance(o, argparse.HelpFormatter)
})
print(json.dumps({"cyclic": ours, "garbage": len(gc.garbage)}))
"""


def test_check_diff_and_fix_leave_no_reference_cycles(corpus_dir: Path, tmp_path: Path) -> None:
    sample = tmp_path / "sample"
    files = []
    for kind in ("sam", "policies"):
        for index, path in enumerate(sorted(p for p in (corpus_dir / kind).rglob("*") if p.is_file())):
            if index % 12 == 0:
                target = sample / kind / f"{index}-{path.name}"
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)  # a writable copy: --fix rewrites it
                files.append(str(target))
    completed = subprocess.run([sys.executable, "-c", SCRIPT, *files], capture_output=True, text=True, timeout=300)
    assert completed.returncode == 0, completed.stderr[-2000:]
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    assert result["cyclic"] == [], f"objects of these classes were freed only by the garbage collector: {result['cyclic']}"
