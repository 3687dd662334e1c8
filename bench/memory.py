#!/usr/bin/env python3
"""Peak memory of a command and every process it starts (its ``--jobs`` workers), on Linux.

    .venv/bin/python bench/memory.py [--interval 0.01] -- COMMAND ...

While the command runs, its process tree is sampled every INTERVAL seconds from ``/proc``:

- ``sum_rss``: the largest sampled sum of the resident set sizes of all its processes at one moment. Pages
  a forked worker shares with its parent count once per process, so this overstates what the tree uses;
- ``sum_pss``: the same with proportional set sizes (shared pages divided among the processes sharing them;
  ``/proc/PID/smaps_rollup``): what the tree really occupies;
- ``max_process_hwm``: the largest peak RSS (``VmHWM``) of any one process (what ``/usr/bin/time`` reports
  as maximum resident set size), and ``sum_hwm``, the sum of every process's own peak (an upper bound for
  ``sum_rss``, as if all peaked at once).

Sampling can miss a peak shorter than the interval; the high-water marks cannot. Standard library only
(``bench/benchmark.py`` imports it). All figures are in MiB.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
MIB = 1024 * 1024


@dataclass
class Memory:
    sum_rss: float = 0.0
    sum_pss: float = 0.0
    max_process_hwm: float = 0.0
    sum_hwm: float = 0.0
    processes: int = 0  # distinct processes seen
    samples: int = 0
    hwm: dict[int, float] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict[str, float]:
        data = asdict(self)
        data.pop("hwm")
        return {key: round(value, 1) if isinstance(value, float) else value for key, value in data.items()}


def _read(path: str) -> str:
    try:
        with open(path) as handle:
            return handle.read()
    except OSError:  # the process is gone
        return ""


def _children(pid: int) -> list[int]:
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    return [int(child) for task in tasks for child in _read(f"/proc/{pid}/task/{task}/children").split()]


def _tree(root: int) -> list[int]:
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo += _children(pid)
    return pids


def _status_kib(pid: int, *keys: str) -> dict[str, int]:
    values: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                name, _, rest = line.partition(":")
                if name in keys:
                    values[name] = int(rest.split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return values


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def sample(root: int, memory: Memory) -> None:
    rss = pss = 0
    for pid in _tree(root):
        status = _status_kib(pid, "VmRSS", "VmHWM")
        if not status:
            continue  # gone meanwhile, or a zombie
        rss += status.get("VmRSS", 0)
        pss += _pss_kib(pid)
        memory.hwm[pid] = max(memory.hwm.get(pid, 0.0), status.get("VmHWM", 0) / 1024)
    memory.samples += 1
    memory.sum_rss = max(memory.sum_rss, rss / 1024)
    memory.sum_pss = max(memory.sum_pss, pss / 1024)


def measure(
    argv: Sequence[str], interval: float = 0.01, **popen: object
) -> tuple[subprocess.CompletedProcess[bytes], float, Memory]:
    """Run ``argv`` (``stdout``/``stderr``/``cwd``/``env`` as for :class:`subprocess.Popen`), sampling its process
    tree; returns the completed process (stderr captured if asked), the wall time and the memory figures."""
    memory = Memory()
    start = time.perf_counter()
    with subprocess.Popen(list(argv), **popen) as process:  # type: ignore[call-overload]
        linux = os.path.isdir(f"/proc/{process.pid}")
        while process.poll() is None:
            if linux:
                sample(process.pid, memory)
            time.sleep(interval)
        stderr = process.stderr.read() if process.stderr else b""
    elapsed = time.perf_counter() - start
    memory.processes = len(memory.hwm)
    memory.max_process_hwm = max(memory.hwm.values(), default=0.0)
    memory.sum_hwm = sum(memory.hwm.values())
    return subprocess.CompletedProcess(process.args, process.returncode, b"", stderr), elapsed, memory


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--interval", type=float, default=0.01, help="seconds between samples (default 0.01)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND ...")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    completed, elapsed, memory = measure(command, args.interval, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    figures = ", ".join(f"{key} {value}" for key, value in memory.as_dict().items())
    print(f"exit {completed.returncode}, {elapsed:.2f} s; MiB: {figures}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
