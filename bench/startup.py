#!/usr/bin/env python3
"""Wall-clock and CPU time of short whole processes, interleaved round-robin (medians and minimums).

    .venv/bin/python bench/startup.py [--runs N] NAME=COMMAND [NAME=COMMAND ...]

For questions :mod:`benchmark` (a) leaves open: how much of a one-template run is the interpreter
(``pass=".venv/bin/python -c pass"``), whether the command that ran before matters (``sleep=sleep 1`` between
two runs), or one checkout against another (``old="env PYTHONPATH=../old .venv/bin/sam-shift-lint FILE"``).
CPU time is the process's user + system time (``os.wait4``). Commands are split like a shell would
(:func:`shlex.split`), run from a temporary directory with a private ``PYTHONPYCACHEPREFIX`` (filled by one
untimed warm-up of each), output discarded. Standard library only.
"""
from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import tempfile
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("commands", nargs="+", metavar="NAME=COMMAND")
    args = parser.parse_args(argv)
    commands = {}
    for item in args.commands:
        name, separator, command = item.partition("=")
        if not separator or not command:
            parser.error(f"{item!r}: give NAME=COMMAND")
        commands[name] = shlex.split(command)
    with tempfile.TemporaryDirectory() as cwd:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = os.path.join(cwd, "pycache")
        for argv_ in commands.values():
            subprocess.run(argv_, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        wall: dict[str, list[float]] = {name: [] for name in commands}
        cpu: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, argv_ in commands.items():
                start = time.perf_counter()
                process = subprocess.Popen(argv_, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                _, status, usage = os.wait4(process.pid, 0)
                process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
                wall[name].append(time.perf_counter() - start)
                cpu[name].append(usage.ru_utime + usage.ru_stime)
    width = max(map(len, commands))
    for name in commands:
        print(
            f"{name:<{width}}  wall median {statistics.median(wall[name]) * 1000:7.1f} ms  min {min(wall[name]) * 1000:7.1f}"
            f"  | cpu median {statistics.median(cpu[name]) * 1000:7.1f} ms  min {min(cpu[name]) * 1000:7.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
