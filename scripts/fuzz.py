#!/usr/bin/env python3
"""Long-run fuzzing of sam-shift-lint: check, ``--fix`` and ``--diff`` over generated and mutated templates and
policies, in-process, in parallel, with failures deduplicated and a reproducer written for each.

    .venv/bin/python scripts/fuzz.py --inputs 1000000 --jobs 2 --seed 1 --out fuzz-out

Input ``i`` of seed ``S`` is always the same input (given the same corpus and generator code): ``--replay I``
runs just that one with every extra check and prints what it found. The inputs and properties are those of the CI
fuzz tests (``tests/fuzz/fuzzkit``): generated SAM templates (44 %, most with one or two functions) and IAM
policies (6 %), hostile documents (2 %: alias bombs, deep nesting, UTF-16, ...), corpus files of up to 2,500 bytes
(parsed once per worker) mutated by structure, in place or by lines (48 %), and 12 % of all with byte-level damage
on top. ``--bias unicode-breaks`` adds NEL, U+2028 or U+2029 to three inputs of four (in comments, quoted and
plain values, as line endings: where libyaml and YAML 1.2 parsers disagree); the input's index and seed still make
it (``--replay`` with the same bias).

What every input gets, in-process (``fuzzkit/oracle.py``): check (no exception, no file opened because the input
names it, findings as check mode reports them), one report format rendered and checked (the input's own), and,
when a fix applies, ``--fix`` and ``--diff`` with their core properties: the fix is not refused, the fixed text
parses to the original data plus exactly the intended changes (replayed independently of the fixer) with line
endings, final newline and BOMs kept, JSON still read the same by ``json``, nothing fixable left, and the diff
applied in Python gives the fixed text. What a sample gets, by input index (the option sets the rate):

    every report format ............................ 1 in 10    --render-all-every
    the fixer's own ruamel.yaml verification ....... 1 in 10    --second-parser-every
    a second fix (idempotence from the fixed bytes)  1 in 8     --refix-every
    ruamel.yaml re-parse of both texts (oracle) .... 1 in 100   --ruamel-every
    cli.main in-process (check, --fix, --diff) ..... 1 in 100   --cli-every
    the real ``git apply`` of the diff ............. 1 in 400   --git-every

On the other inputs the fixer's ruamel.yaml step (step 4 of ``sam_shift_lint/fixer.py``) is a stub that accepts;
everything else of the fixer runs, the excerpt it would ask about included. That step alone was a third of the
CPU time (ruamel.yaml is pure Python; fuzz inputs often leave it no excerpt but the whole text). A ``cli.main``
sample runs the real step too. Where the time goes now (about 4.5 ms of CPU per input on average, about 1 ms per
KB of input): the tool's own parse, check and fix, about 70 % (of it E9201's IAM profile evaluation alone a
quarter, parsing a third); making the input, a tenth; the oracle's own checks and rendering, the rest.
``--fix-every N`` fixes only every Nth fixable input, to trade depth for speed (not for runs that count towards a
goal: they fix every fixable input).

Each worker process runs inputs under a per-input CPU-time limit (a ``hang`` finding, signed by where it was
interrupted) and an address-space limit (a ``memory`` finding); a worker stuck past three limits of wall-clock
time or killed by the kernel is replaced by the parent, which records the input as ``hang`` or ``worker-died`` and
goes on. Findings are deduplicated by signature (exception type + innermost sam_shift_lint frame, or the kind of
wrong result with the input's telling traits); for each the smallest input seen is written to
``OUT/findings/<signature>/`` with a README (how it was made, the commands, the observed CLI output, run under
CPU and memory limits). ``OUT/summary.json`` holds the counts and throughput (per wall-clock second and per
CPU-second of the workers, the figure that does not depend on what else the machine runs). SIGTERM or Ctrl-C
stops the run and writes what was found. Standard library and the test dependencies only.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import queue
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "fuzz"))

from fuzzkit.cases import corpus_files, load_seeds, make_case  # noqa: E402
from fuzzkit.choose import RandomChooser  # noqa: E402
from fuzzkit.known import known  # noqa: E402
from fuzzkit.mutate import unicode_line_breaks  # noqa: E402
from fuzzkit.oracle import Case, Failure, Options, run_with_timeout  # noqa: E402

BATCH = 100
SAMPLED = ("fix", "render_all", "second_parser", "refix", "ruamel", "cli", "git")  # the --X-every options
DEFAULT_CORPUS = Path(os.environ.get("SAM_SHIFT_LINT_SHARED", REPO.parent / "shared")) / "corpus"


# ---------------------------------------------------------------------------------------------- one input


BIASES = ("none", "unicode-breaks")


def case_for(seed: int, index: int, seeds: list[Any], bias: str = "none") -> Case:
    """Input ``index`` of ``seed``; ``--bias unicode-breaks`` puts NEL/U+2028/U+2029 into three of four inputs
    (``fuzzkit.mutate.unicode_line_breaks``), after the input is made as without it."""
    case = make_case(RandomChooser(f"{seed}:{index}"), seeds)
    if bias == "unicode-breaks":
        choose = RandomChooser(f"{seed}:{index}:{bias}")
        if choose.chance(0.75):
            text = unicode_line_breaks(choose, case.raw.decode("utf-8", "surrogateescape"))
            raw = text.encode("utf-8", "surrogateescape")
            case = Case(raw, case.name, case.unsafe, case.alias, case.deployment_type, case.placement, case.format, case.origin + "+unicode-breaks")
    return case


def options_for(index: int, args: argparse.Namespace) -> Options:
    return Options(
        ruamel=index % args.ruamel_every == 0,
        git=index % args.git_every == 0,
        cli=index % args.cli_every == 0,
        render_all=index % args.render_all_every == 0,
        idempotence=index % args.refix_every == 0,
        fix=index % args.fix_every == 0,
        second_parser=index % args.second_parser_every == 0,
    )


def run_one(index: int, seeds: list[Any], args: argparse.Namespace, workdir: str) -> tuple[Case, list[str], list[Failure]]:
    case = case_for(args.seed, index, seeds, args.bias)
    try:
        report = run_with_timeout(case, workdir, options_for(index, args), args.timeout)
        return case, report.paths, report.failures
    except MemoryError:
        return case, ["check"], [Failure("memory", "memory", f"MemoryError under a {args.memory_mb} MB address-space allowance", "memory")]
    except RecursionError as error:
        return case, ["check"], [Failure("crash", "oracle:RecursionError", str(error), "oracle")]


# ---------------------------------------------------------------------------------------------- workers


def _limit_memory(megabytes: int) -> None:
    """An address-space limit: what the process uses now plus ``megabytes``."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[0])
    limit = pages * resource.getpagesize() + megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def worker(number: int, args: argparse.Namespace, tasks: Any, results: Any, current: Any, started: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    scratch = tempfile.mkdtemp(prefix=f"fuzz-worker{number}-")
    os.chdir(scratch)  # relative names an input holds (profiles) resolve in an empty directory
    tempfile.tempdir = scratch  # the fixer's refusal reports
    workdir = os.path.join(scratch, "work")
    os.mkdir(workdir)
    seeds = load_seeds(corpus_files(args.corpus, args.max_seed_bytes), args.corpus) if args.corpus.is_dir() else []
    run_one(0, seeds, args, workdir)  # warm up (imports, caches) before the memory limit
    _limit_memory(args.memory_mb)
    smallest: dict[str, int] = {}
    parent = os.getppid()
    while os.getppid() == parent:  # an orphan stops (the parent was killed)
        try:
            task = tasks.get(timeout=5)
        except queue.Empty:
            continue
        if task is None:
            break
        start, end = task
        cpu = time.process_time()
        paths: Counter[str] = Counter()
        found: list[dict[str, Any]] = []
        for index in range(start, end):
            current[number] = index
            started[number] = time.monotonic()
            case, ran, failures = run_one(index, seeds, args, workdir)
            paths.update(ran)
            for failure in failures:
                size = len(case.raw)
                keep = size < smallest.get(failure.signature, sys.maxsize)
                if keep:
                    smallest[failure.signature] = size
                found.append(_failure_record(index, case, failure, keep))
        current[number] = -1
        results.put(("batch", number, start, end, dict(paths), found, time.process_time() - cpu))
        for name in os.listdir(scratch):  # refusal reports the oracle did not remove
            if name.startswith("sam-shift-lint-refused-"):
                os.unlink(os.path.join(scratch, name))
    shutil.rmtree(scratch, ignore_errors=True)


def _failure_record(index: int, case: Case, failure: Failure, with_input: bool) -> dict[str, Any]:
    record: dict[str, Any] = {
        "index": index, "kind": failure.kind, "signature": failure.signature, "where": failure.where,
        "message": failure.message[:6000] if with_input else failure.message[:200], "size": len(case.raw),
    }
    if with_input:
        record["case"] = {
            "raw": case.raw.hex(), "name": case.name, "unsafe": case.unsafe, "alias": case.alias,
            "deployment_type": case.deployment_type, "placement": case.placement, "format": case.format, "origin": case.origin,
        }
    return record


# ---------------------------------------------------------------------------------------------- parent


class Findings:
    def __init__(self, out: Path, seed: int, bias: str = "none") -> None:
        self.out = out
        self.seed = seed
        self.bias = bias
        self.by_signature: dict[str, dict[str, Any]] = {}

    def add(self, record: dict[str, Any]) -> bool:
        """Record one failure; True when its signature is new."""
        entry = self.by_signature.get(record["signature"])
        new = entry is None
        if entry is None:
            entry = self.by_signature[record["signature"]] = {"kind": record["kind"], "count": 0, "first": record["index"], "where": record["where"]}
        entry["count"] += 1
        if "case" in record and record["size"] < entry.get("size", sys.maxsize):
            entry.update(size=record["size"], index=record["index"], case=record["case"], message=record["message"])
        elif "message" not in entry:
            entry["message"] = record["message"]
        return new

    def write(self, observe: bool) -> None:
        directory = self.out / "findings"
        directory.mkdir(parents=True, exist_ok=True)
        for signature, entry in sorted(self.by_signature.items()):
            write_reproducer(directory / slug(signature), signature, entry, self.seed, observe, self.bias)


def slug(signature: str) -> str:
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", signature).strip("-")[:60]
    return f"{text}-{hashlib.sha1(signature.encode()).hexdigest()[:8]}"


def write_reproducer(directory: Path, signature: str, entry: dict[str, Any], seed: int, observe: bool, bias: str = "none") -> None:
    directory.mkdir(parents=True, exist_ok=True)
    case = entry.get("case")
    lines = [
        f"signature: {signature} ({label(signature)})",
        f"kind: {entry['kind']} (in {entry['where']})",
        f"occurrences: {entry['count']} (first at input {entry['first']} of seed {seed})",
    ]
    if case:
        name = os.path.basename(case["name"]) or "input"
        raw = bytes.fromhex(case["raw"])
        (directory / name).write_bytes(raw)
        options = []
        if case["unsafe"]:
            options.append("--unsafe-fixes")
        if case["alias"] != "live":
            options += ["--alias-name", case["alias"]]
        if case["deployment_type"] != "AllAtOnce":
            options += ["--deployment-type", case["deployment_type"]]
        if case["placement"] != "auto":
            options += ["--placement", case["placement"]]
        commands = [
            ["sam-shift-lint", "--format", case["format"], *options, name],
            ["sam-shift-lint", *options, "--diff", name],
            ["sam-shift-lint", *options, "--fix", name],
        ]
        lines += [
            f"input: {name} ({len(raw)} bytes; smallest seen: input {entry['index']}), made as {case['origin']}",
            f"replay: .venv/bin/python scripts/fuzz.py --seed {seed}{'' if bias == 'none' else ' --bias ' + bias} --replay {entry['index']}",
            "commands (run in this directory; --fix changes the file, so it comes last):",
            *(f"  {' '.join(command)}" for command in commands),
        ]
        if observe:
            (directory / "output.txt").write_text(_observe(directory, name, raw, commands), encoding="utf-8", errors="replace")
            lines.append("observed output of the commands: output.txt")
    lines += ["", "what the fuzzer saw:", entry.get("message", "")[:6000]]
    (directory / "README.txt").write_text("\n".join(lines) + "\n", encoding="utf-8", errors="replace")


def _child_limits() -> None:
    """A reproducer may make the CLI read /dev/zero or loop: 2 GB of address space and 30 s of CPU at most."""
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    resource.setrlimit(resource.RLIMIT_CPU, (30, 30))


def _observe(directory: Path, name: str, raw: bytes, commands: list[list[str]]) -> str:
    """Run the real CLI on a scratch copy of the reproducer (the input file itself stays as it is)."""
    executable = Path(sys.executable).parent / "sam-shift-lint"
    parts = []
    with tempfile.TemporaryDirectory(prefix="fuzz-observe-") as scratch:
        (Path(scratch) / name).write_bytes(raw)
        for command in commands:
            try:
                completed = subprocess.run(
                    [str(executable), *command[1:]], cwd=scratch, capture_output=True, timeout=30, preexec_fn=_child_limits
                )
                result = f"exit {completed.returncode}\n--- stdout\n{completed.stdout.decode('utf-8', 'backslashreplace')[:4000]}\n--- stderr\n{completed.stderr.decode('utf-8', 'backslashreplace')[:4000]}"
            except subprocess.TimeoutExpired:
                result = "no answer within 30 s (killed)"
            parts.append(f"$ {' '.join(command)}\n{result}\n")
    return "\n".join(parts)


def run(args: argparse.Namespace) -> int:
    args.out.mkdir(parents=True, exist_ok=True)
    context = multiprocessing.get_context("fork")
    tasks: Any = context.Queue()
    results: Any = context.Queue()
    current: Any = context.Array("q", [-1] * args.jobs, lock=False)
    started: Any = context.Array("d", [0.0] * args.jobs, lock=False)
    batches = [(start, min(start + BATCH, args.start + args.inputs)) for start in range(args.start, args.start + args.inputs, BATCH)]
    for batch in batches:
        tasks.put(batch)
    outstanding = {batch for batch in batches}
    findings = Findings(args.out, args.seed, args.bias)
    paths: Counter[str] = Counter()
    done = 0
    cpu_seconds = 0.0  # the workers' CPU time for the inputs done (load-independent throughput)
    processes: list[Any] = [None] * args.jobs

    def start_worker(number: int) -> None:
        current[number] = -1
        process = context.Process(target=worker, args=(number, args, tasks, results, current, started), daemon=True)
        process.start()
        processes[number] = process

    for number in range(args.jobs):
        start_worker(number)
    signal.signal(signal.SIGTERM, _terminate)  # like Ctrl-C: stop the workers, write what was found
    begun = time.monotonic()
    last_print = begun
    print(f"fuzzing {args.inputs} inputs (seed {args.seed}, from input {args.start}) with {args.jobs} worker(s); findings in {args.out}", flush=True)
    try:
        while outstanding:
            try:
                message = results.get(timeout=1.0)
            except queue.Empty:
                message = None
            if message is not None:
                _, number, start, end, counts, found, seconds = message
                if (start, end) in outstanding:
                    outstanding.discard((start, end))
                    done += end - start
                    cpu_seconds += seconds
                    paths.update(counts)
                    for record in found:
                        if findings.add(record):
                            print(f"  new signature: [{record['kind']}] {record['signature']} (input {record['index']}; {label(record['signature'])})", flush=True)
            _watch(args, processes, current, started, outstanding, tasks, findings, paths, start_worker)
            now = time.monotonic()
            if now - last_print >= args.report_every or not outstanding:
                rate = done / (now - begun) if now > begun else 0.0
                per_cpu = done / cpu_seconds if cpu_seconds else 0.0
                print(f"{done} inputs, {rate:.0f}/s ({per_cpu:.0f} per CPU-second); {_counts(paths)}; "
                      f"{len(findings.by_signature)} distinct failure(s)", flush=True)
                last_print = now
    except KeyboardInterrupt:
        print("interrupted: writing what was found so far", flush=True)
        _drain(tasks)  # the workers stop after their current batch
    finally:
        for _ in processes:
            tasks.put(None)
        for process in processes:
            if process is not None:
                process.join(timeout=5)
                if process.is_alive():
                    process.kill()
    elapsed = time.monotonic() - begun
    findings.write(observe=not args.no_observe)
    summary = {
        "seed": args.seed, "bias": args.bias, "start": args.start, "inputs_requested": args.inputs, "inputs_run": done, "seconds": round(elapsed, 1),
        "inputs_per_second": round(done / elapsed, 1) if elapsed else None, "cpu_seconds": round(cpu_seconds, 1),
        "inputs_per_cpu_second": round(done / cpu_seconds, 1) if cpu_seconds else None, "jobs": args.jobs, "paths": dict(paths),
        "every": {name: getattr(args, f"{name}_every") for name in SAMPLED},  # 1 in N inputs gets that extra
        "failures": {
            s: {**{k: v for k, v in e.items() if k not in ("case", "message")}, "label": label(s)} for s, e in sorted(findings.by_signature.items())
        },
    }
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"\ninputs run: {done} in {elapsed:.0f} s ({summary['inputs_per_second']}/s with {args.jobs} worker(s); "
          f"{summary['inputs_per_cpu_second']} per CPU-second of the workers)")
    print(f"per path: {_counts(paths)}")
    print(f"distinct failures: {len(findings.by_signature)} (reproducers in {args.out / 'findings'})")
    for signature, entry in sorted(findings.by_signature.items(), key=lambda item: -item[1]["count"]):
        print(f"  {entry['count']:>7}  [{entry['kind']}] {signature}  ({label(signature)})")
    return 1 if findings.by_signature else 0


def label(signature: str) -> str:
    """"known: <where it is tracked>" for a known open bug (tests/fuzz/fuzzkit/known.py), else "NEW"."""
    entry = known(signature)
    return f"known: {entry.issue}" if entry is not None else "NEW"


def _drain(tasks: Any) -> None:
    try:
        while True:
            tasks.get_nowait()
    except queue.Empty:
        pass


def _terminate(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _counts(paths: Counter[str]) -> str:
    order = ("check", "render", "fix", "diff", "second-parser", "refix", "ruamel", "cli", "git")
    return ", ".join(f"{name} {paths.get(name, 0)}" for name in order)


def _watch(args: argparse.Namespace, processes: list[Any], current: Any, started: Any, outstanding: set[tuple[int, int]],
           tasks: Any, findings: Findings, paths: Counter[str], start_worker: Any) -> None:
    """Replace a worker stuck on one input (past three timeouts: the alarm did not get through) or dead."""
    now = time.monotonic()
    for number, process in enumerate(processes):
        index = current[number]
        stuck = index >= 0 and now - started[number] > 3 * args.timeout + 30  # wall clock: blocked, or the timer ignored
        dead = process is not None and not process.is_alive()
        if not (stuck or dead):
            continue
        if process.is_alive():
            process.kill()  # a worker this script started, by its own handle
        process.join(timeout=5)
        kind = "hang" if stuck else "worker-died"
        if index >= 0:
            batch = next((b for b in outstanding if b[0] <= index < b[1]), None)
            seeds: list[Any] = []
            corpus = args.corpus if args.corpus.is_dir() else None
            if corpus is not None:
                seeds = load_seeds(corpus_files(corpus, args.max_seed_bytes), corpus)
            case = case_for(args.seed, index, seeds, args.bias)
            message = f"worker exit code {process.exitcode}" if dead else f"no answer within {3 * args.timeout + 30:.0f} s of wall-clock time (the CPU timer did not interrupt it)"
            findings.add(_failure_record(index, case, Failure(kind, f"{kind}-hard" if stuck else kind, message, "worker"), True))
            print(f"  worker {number}: [{kind}] at input {index}", flush=True)
            if batch is not None:  # the rest of its batch, and what it had done of it, runs again
                outstanding.discard(batch)
                paths["check"] += 1
                for part in ((batch[0], index), (index + 1, batch[1])):
                    if part[0] < part[1]:
                        outstanding.add(part)
                        tasks.put(part)
        start_worker(number)


def replay(args: argparse.Namespace) -> int:
    seeds = load_seeds(corpus_files(args.corpus, args.max_seed_bytes), args.corpus) if args.corpus.is_dir() else []
    with tempfile.TemporaryDirectory(prefix="fuzz-replay-") as scratch:
        args.ruamel_every = args.git_every = args.cli_every = args.render_all_every = args.refix_every = args.fix_every = args.second_parser_every = 1
        case, ran, failures = run_one(args.replay, seeds, args, scratch)
    print(f"input {args.replay} of seed {args.seed}: {case.name} ({len(case.raw)} bytes), made as {case.origin}")
    print(f"options: unsafe={case.unsafe} alias={case.alias} type={case.deployment_type} placement={case.placement} format={case.format}")
    print(f"paths: {', '.join(ran)}")
    for failure in failures:
        print(f"[{failure.kind}] {failure.signature}\n{failure.message}\n")
    findings = Findings(args.out, args.seed, args.bias)
    for failure in failures:
        findings.add(_failure_record(args.replay, case, failure, True))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / os.path.basename(case.name)).write_bytes(case.raw)
    findings.write(observe=not args.no_observe)
    print(f"input written to {args.out / os.path.basename(case.name)}")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=10_000, help="how many inputs (default 10000)")
    parser.add_argument("--start", type=int, default=0, help="first input index (default 0)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: the CPUs)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--bias", choices=BIASES, default="none", help="unicode-breaks: NEL/U+2028/U+2029 in 3 of 4 inputs")
    parser.add_argument("--out", type=Path, default=Path("fuzz-out"), help="where findings and summary.json go")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus to mutate (default ../shared/corpus)")
    parser.add_argument("--max-seed-bytes", type=int, default=2500, help="corpus files up to this size are mutated")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds of CPU time per input before it is a hang")
    parser.add_argument("--memory-mb", type=int, default=1024, help="address space a worker may add after start-up")
    parser.add_argument("--git-every", type=int, default=400, help="git apply for every Nth input (when it is fixed)")
    parser.add_argument("--cli-every", type=int, default=100, help="cli.main in-process for every Nth input")
    parser.add_argument("--ruamel-every", type=int, default=100, help="ruamel.yaml re-parse for every Nth fixed input")
    parser.add_argument("--fix-every", type=int, default=1, help="--fix and --diff for every Nth input that has a fix (default: all)")
    parser.add_argument("--second-parser-every", type=int, default=10,
                        help="the fixer's own ruamel.yaml verification for every Nth input (else a stub accepts)")
    parser.add_argument("--refix-every", type=int, default=8, help="second fix (idempotence) for every Nth fixed input")
    parser.add_argument("--render-all-every", type=int, default=10, help="every report format for every Nth input")
    parser.add_argument("--report-every", type=float, default=15.0, help="seconds between progress lines")
    parser.add_argument("--no-observe", action="store_true", help="do not run the real CLI on each reproducer at the end")
    parser.add_argument("--replay", type=int, help="run only this input index, verbosely, and write it to --out")
    args = parser.parse_args(argv)
    if args.replay is not None:
        return replay(args)
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
