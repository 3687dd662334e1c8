#!/usr/bin/env python3
"""The language server's re-check of a large template after an edit, in process (issue 9's target: a
5,000-line template in <= 150 ms): what ``sam-shift-lint server`` does between the debounce and publishing.

    .venv/bin/python bench/server_recheck.py [--lines N] [--runs N]

Process time (not wall clock: the machine may be shared), best and median of N runs, split into parsing the
buffer (the engine's prepare: decode, libyaml, the node tree) and running the rules, both with the garbage
collector running as usual, then the server's path as it runs (collector paused), and the LSP diagnostics. Needs the ``lsp`` extra. The template is the one the tests use (tests/server/conftest.py).
"""
from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from pathlib import Path

from sam_shift_lint.engine import check_context, prepare
from sam_shift_lint.server import convert
from sam_shift_lint.server.analysis import analyze, collector_paused
from sam_shift_lint.server.settings import ServerSettings

CONFTEST = Path(__file__).resolve().parent.parent / "tests" / "server" / "conftest.py"


def big_template(lines: int) -> str:
    spec = importlib.util.spec_from_file_location("server_conftest", CONFTEST)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text: str = module.big_template(lines)
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    text = big_template(args.lines)
    resolved = ServerSettings().resolved_for("big.yaml")
    raw = text.encode("utf-8")
    phases: dict[str, list[float]] = {"parse": [], "rules": [], "diagnostics": [], "total (server path)": []}
    for _ in range(args.runs):
        started = time.process_time()
        prepared = prepare(raw, "big.yaml", "big.yaml", True, resolved.lint, resolved.fixes)
        parsed = time.process_time()
        assert prepared.context is not None
        findings = check_context(prepared.context, resolved.rules, fixes=False)
        checked = time.process_time()
        phases["parse"].append(parsed - started)
        phases["rules"].append(checked - parsed)
        with collector_paused():  # as the server does (the collector runs once the diagnostics are out)
            started = time.process_time()
            analysis = analyze("file:///big.yaml", 2, text, "big.yaml", resolved)
            analysed = time.process_time()
            convert.diagnostics(analysis)
            done = time.process_time()
        phases["diagnostics"].append(done - analysed)
        phases["total (server path)"].append(done - started)
    print(f"{text.count(chr(10))}-line template, {len(findings)} findings, {args.runs} runs (process time, ms):")
    for name, values in phases.items():
        print(f"  {name:<20} best {min(values) * 1000:6.1f}   median {statistics.median(values) * 1000:6.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
