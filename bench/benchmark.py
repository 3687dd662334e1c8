#!/usr/bin/env python3
"""Wall-clock benchmark of whole processes: ``sam-shift-lint`` vs ``cfn-lint`` on the same files.

    .venv/bin/python bench/benchmark.py [--runs N] [--only a,b,c,d,e] [--quick] [--template FILE] [--corpus DIR]
                                        [--tree-files N] [--memory-runs N] [--no-bytecode-cache] [--save]

Scenarios (each command: one untimed warm-up, then N timed runs, interleaved round-robin so that background
load hits every command alike; median, min and max are reported):

(a) one small SAM template: ``sam-shift-lint FILE`` vs plain ``cfn-lint FILE`` (default rules, as a user runs
    it) and ``cfn-lint FILE --append-rules=sam_shift_lint.rules``; the verdict is on the venv's own
    ``sam-shift-lint`` (this README's editable install), and the same checkout installed as a wheel, as pre-commit
    installs a hook (``bench/installed.py``: built in a throwaway venv, a few seconds before the clock starts), is
    timed beside it;
(b) the corpus ``sam/`` directory: ``sam-shift-lint --format json DIR`` (default ``--jobs``: one worker per CPU
    for that many files; ``--jobs 1`` is shown too) vs ``cfn-lint --format json -- FILES`` in one process over
    the files the CLI checks (those containing ``AWS::Serverless``), minus the files that make cfn-lint 1.58
    abort the whole run (``Resources:``/``Parameters:`` null), which are listed;
(c) ``--fix`` over the whole corpus vs checking it: ``sam-shift-lint --fix --format json COPY`` on a fresh copy
    of the corpus for every run (the copy is made before the clock starts) vs ``sam-shift-lint --format json
    COPY`` on an unchanged copy (no cfn-lint: it fixes nothing);
(d) a tree of 10,000 templates (``bench/tree.py``: the corpus copied until it has that many) checked with
    ``--jobs 1`` and ``--jobs 2`` (default text report to /dev/null). Then ``--memory-runs`` more runs of each,
    untimed, sample the memory of the command and its workers (``bench/memory.py``): the verdict uses the
    largest sum of the resident set sizes of all its processes at one moment; the largest single process,
    the proportional (shared pages split) sum and the sum of every process's own peak (an upper bound) are
    reported beside it.

(e) (only with ``--only e``) where ``--jobs`` starts to pay: ``--jobs 1`` vs ``--jobs 2`` on the first 16, 32, 64
    and 128 corpus ``sam/`` files (the default ``--jobs`` starts workers from 64 files on).

``--quick`` is a sanity check, not a measurement: one run each, (b) and (c) on every 10th corpus file, (d) on
1,000 files.

Bytecode: pip compiles an installed package's modules, but an editable install's modules are compiled on first
import and cached in ``__pycache__``, unless ``PYTHONDONTWRITEBYTECODE`` is set (as on some CI machines), when
every run recompiles them (~50 ms for sam-shift-lint). By default every command runs with a private
``PYTHONPYCACHEPREFIX`` (a temporary directory, filled by the warm-up), so both tools run from cached bytecode
as in a normal installation and nothing is written into the checkout; ``--no-bytecode-cache`` keeps the
environment as it is.

Targets (issue 9): (a) <= 0.10 s and >= 12x faster than cfn-lint; (b) >= 30x; (c) fix <= 3x the check; (d) <= 10 s
with ``--jobs 2`` and <= 150 MiB. Executables are taken from the directory of the running interpreter (the
venv), never from PATH. Standard library only. ``--save`` writes JSON to bench/results/ (gitignored).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from installed import install_wheel
from memory import Memory
from memory import measure as measure_memory
from tree import build_tree

REPO = Path(__file__).resolve().parent.parent
BIN = Path(os.path.dirname(os.path.abspath(sys.executable)))
DEFAULT_CORPUS = Path(os.environ.get("SAM_SHIFT_LINT_SHARED", REPO.parent / "shared")) / "corpus"
DEFAULT_TEMPLATE = "sam/aws-lambda-developer-guide/aws-lambda-developer-guide__sample-apps__blank-python__template.yml"
TARGETS = {
    "single_seconds": 0.10,  # (a) sam-shift-lint on one template, median
    "single": 12.0,  # (a) times faster than cfn-lint
    "directory": 30.0,  # (b) times faster than cfn-lint
    "fix_vs_check": 3.0,  # (c) --fix at most this many times the check
    "tree_seconds": 10.0,  # (d) --jobs 2, median
    "tree_mib": 150.0,  # (d) the process tree's peak memory (sum of RSS at one moment)
}
SCENARIOS = ("a", "b", "c", "d", "e")
DEFAULT_SCENARIOS = ("a", "b", "c", "d")
BREAK_EVEN_FILES = (16, 32, 64, 128)
TREE_FILES = 10_000
CFN_LINT_OK = (0, 2, 4, 6, 8, 10, 12, 14)

# The CLI's discovery rules (sam_shift_lint/discover.py), restated so that this script needs only the stdlib.
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
SKIPPED_DIRECTORIES = {"node_modules", ".aws-sam", "__pycache__", "cdk.out", ".venv", "venv"}
MARKER = b"AWS::Serverless"
MAX_BYTES = 5 * 1024 * 1024


def executable(name: str) -> str:
    path = BIN / name
    if not path.is_file():
        sys.exit(f"benchmark: {name} is not installed in {BIN} (run pip install -e . in the venv)")
    return str(path)


def checked_files(directory: Path) -> list[str]:
    """The files ``sam-shift-lint DIR`` checks."""
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRECTORIES)
        for name in sorted(files):
            path = os.path.join(root, name)
            if name.lower().endswith(TEMPLATE_SUFFIXES) and os.path.getsize(path) <= MAX_BYTES:
                with open(path, "rb") as handle:
                    if MARKER in handle.read():
                        found.append(path)
    return found


_NULL_SECTION = re.compile(r"^(?:Resources|Parameters):[ \t]*(?:#.*)?\r?\n(?:(?:[ \t]*(?:#.*)?)?\r?\n)*(?=[^\s#]|\Z)", re.MULTILINE)


def aborts_cfn_lint(path: str) -> bool:
    """``Resources:`` or ``Parameters:`` with nothing under it: cfn-lint 1.58 raises AttributeError and abandons
    every file of the run."""
    with open(path, "rb") as handle:
        text = handle.read().decode("utf-8", "replace")
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
            return isinstance(data, dict) and any(k in data and data[k] is None for k in ("Resources", "Parameters"))
        except ValueError:
            return False
    return bool(_NULL_SECTION.search(text))


def sample_corpus(corpus: Path, dest: Path, every: int) -> Path:
    """Every ``every``-th corpus file (sorted), with its path, into ``dest`` (``--quick``)."""
    files = sorted(path for path in corpus.rglob("*") if path.is_file())
    for path in files[::every]:
        target = dest / path.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return dest


class Command:
    """One command line to time. ``prepare`` runs before each run, outside the clock (e.g. a fresh copy)."""

    def __init__(self, label: str, argv: list[str], ok_codes: Sequence[int], prepare: Callable[[], None] | None = None) -> None:
        self.label = label
        self.argv = argv
        self.ok_codes = tuple(ok_codes)
        self.prepare = prepare
        self.times: list[float] = []
        self.returncodes: list[int] = []
        self.memory: list[Memory] = []

    def shown(self, limit: int = 160) -> str:
        text = " ".join(self.argv)
        return text if len(text) <= limit else f"{text[:limit]} ... ({len(self.argv)} arguments)"

    def _check(self, completed: subprocess.CompletedProcess[bytes]) -> None:
        if completed.returncode not in self.ok_codes or b"Traceback (most recent call last)" in completed.stderr:
            tail = completed.stderr.decode("utf-8", "replace")[-2000:]
            sys.exit(f"benchmark: {self.label} failed (rc {completed.returncode}):\n{self.shown()}\n{tail}")

    def run(self, cwd: str, env: dict[str, str], record: bool = True) -> None:
        if self.prepare:
            self.prepare()
        start = time.perf_counter()
        completed = subprocess.run(self.argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd, env=env)
        elapsed = time.perf_counter() - start
        self._check(completed)
        if record:
            self.times.append(elapsed)
            self.returncodes.append(completed.returncode)

    def run_sampled(self, cwd: str, env: dict[str, str]) -> None:
        """An untimed run with the process tree's memory sampled."""
        if self.prepare:
            self.prepare()
        completed, _, memory = measure_memory(
            self.argv, 0.02, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd, env=env
        )
        self._check(completed)
        self.memory.append(memory)

    def stats(self) -> dict[str, float]:
        return {"median": statistics.median(self.times), "min": min(self.times), "max": max(self.times)}

    def peak_memory(self) -> dict[str, float]:
        """Each figure's largest value over the sampled runs (MiB)."""
        figures = [memory.as_dict() for memory in self.memory]
        return {key: max(figure[key] for figure in figures) for key in figures[0]} if figures else {}


def measure(commands: list[Command], runs: int, cwd: str, env: dict[str, str], warm_up: Sequence[Command]) -> None:
    for command in warm_up:
        print(f"  warm-up: {command.label}", file=sys.stderr, flush=True)
        command.run(cwd, env, record=False)
    for index in range(runs):
        for command in commands:
            print(f"  run {index + 1}/{runs}: {command.label}", file=sys.stderr, flush=True)
            command.run(cwd, env)


def table(title: str, commands: list[Command], baseline: Command, heading: str = "CLI faster by") -> list[str]:
    """Medians; the last column is each command's median over the baseline's."""
    lines = [title, f"  {'command':<34} {'median':>8} {'min':>8} {'max':>8}  {heading:>13}"]
    base = baseline.stats()["median"]
    for command in commands:
        s = command.stats()
        speed = "(reference)" if command is baseline else f"{s['median'] / base:.1f}x"
        lines.append(f"  {command.label:<34} {s['median']:>7.3f}s {s['min']:>7.3f}s {s['max']:>7.3f}s  {speed:>13}")
    return lines


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (default 5; --quick: 1)")
    parser.add_argument("--only", default=",".join(DEFAULT_SCENARIOS), help="scenarios to run, e.g. a,d or e (default a,b,c,d)")
    parser.add_argument("--quick", action="store_true", help="a sanity check: 1 run, small samples (see above)")
    parser.add_argument("--template", help=f"the single template (default: <corpus>/{DEFAULT_TEMPLATE})")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"corpus directory (default {DEFAULT_CORPUS})")
    parser.add_argument("--skip-directory", action="store_true", help="skip (b) (kept for old command lines)")
    parser.add_argument("--directory-with-pack", action="store_true", help="(b) also times cfn-lint with the rule pack")
    parser.add_argument("--tree-files", type=int, help=f"(d) templates in the tree (default {TREE_FILES}; --quick: 1000)")
    parser.add_argument("--memory-runs", type=int, default=1, help="(d) sampled runs per command for memory (default 1)")
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="run with the environment as it is (no private PYTHONPYCACHEPREFIX; PYTHONDONTWRITEBYTECODE kept)",
    )
    parser.add_argument("--save", action="store_true", help="write the results as JSON to bench/results/")
    args = parser.parse_args(argv)
    runs = 1 if args.quick and "--runs" not in (argv if argv is not None else sys.argv) else args.runs
    only = {item.strip() for item in args.only.split(",") if item.strip()}
    if runs < 1:
        parser.error("--runs must be at least 1")
    if not only <= set(SCENARIOS):
        parser.error(f"--only takes scenarios from {','.join(SCENARIOS)}")
    if args.skip_directory:
        only.discard("b")
    tree_files = args.tree_files or (1000 if args.quick else TREE_FILES)

    cli, cfn_lint = executable("sam-shift-lint"), executable("cfn-lint")
    template = Path(args.template) if args.template else args.corpus / DEFAULT_TEMPLATE
    if not template.is_file():
        sys.exit(f"benchmark: no template at {template} (pass --template or --corpus)")
    if not (args.corpus / "sam").is_dir():
        sys.exit(f"benchmark: no corpus at {args.corpus} (pass --corpus)")
    template_str = str(template.resolve())
    pack = "--append-rules=sam_shift_lint.rules"
    results: dict[str, object] = {
        "runs": runs,
        "quick": args.quick,
        "python": platform.python_version(),
        "machine": {
            "cpus": os.cpu_count(),
            "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
            "load_average_before": os.getloadavg() if hasattr(os, "getloadavg") else None,
        },
        "versions": {
            "sam-shift-lint": subprocess.run([cli, "--version"], capture_output=True, text=True).stdout.strip(),
            "cfn-lint": subprocess.run([cfn_lint, "--version"], capture_output=True, text=True).stdout.strip(),
        },
        "targets": TARGETS,
    }
    report: list[str] = []
    verdicts: list[str] = []

    with tempfile.TemporaryDirectory() as cwd:  # no project .cfnlintrc can interfere
        env = dict(os.environ)
        if args.no_bytecode_cache:
            bytecode = f"as the environment has it (PYTHONDONTWRITEBYTECODE={env.get('PYTHONDONTWRITEBYTECODE', '')!r})"
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = os.path.join(cwd, "pycache")
            bytecode = "cached (private PYTHONPYCACHEPREFIX, filled by the warm-up)"
        results["bytecode"] = bytecode
        corpus = sample_corpus(args.corpus, Path(cwd, "sample"), 10) if args.quick else args.corpus

        if "a" in only:  # (a) one template
            single = [
                Command("sam-shift-lint", [cli, template_str], (0, 1)),
                Command("cfn-lint (default rules)", [cfn_lint, template_str], CFN_LINT_OK),
                Command("cfn-lint + sam_shift_lint.rules", [cfn_lint, template_str, pack], CFN_LINT_OK),
            ]
            try:  # what a pre-commit hook runs: a wheel, not this README's editable install
                wheel_cli = str(install_wheel(REPO, Path(cwd, "installed")))
                single.append(Command("sam-shift-lint (installed wheel)", [wheel_cli, template_str], (0, 1)))
            except (subprocess.CalledProcessError, OSError, StopIteration) as error:
                print(f"(a) no installed-wheel row: {error}", file=sys.stderr)
            print(f"(a) {template_str}", file=sys.stderr)
            measure(single, runs, cwd, env, warm_up=single)
            report += table(f"(a) one template: {template_str} ({template.stat().st_size} bytes)", single, single[0])
            seconds = single[0].stats()["median"]
            ratio = single[1].stats()["median"] / seconds
            ratio_pack = single[2].stats()["median"] / seconds
            met = seconds <= TARGETS["single_seconds"] and ratio >= TARGETS["single"]
            verdicts.append(
                f"(a) sam-shift-lint {seconds:.3f} s, cfn-lint / sam-shift-lint = {ratio:.1f}x, with rule pack {ratio_pack:.1f}x "
                f"(target <= {TARGETS['single_seconds']:.2f} s and >= {TARGETS['single']:.0f}x: {verdict(met)})"
            )
            if len(single) > 3:
                wheel_seconds = single[3].stats()["median"]
                wheel_ratio = single[1].stats()["median"] / wheel_seconds
                verdicts.append(
                    f"    installed wheel (as pre-commit installs it): {wheel_seconds:.3f} s, {wheel_ratio:.1f}x "
                    f"({verdict(wheel_seconds <= TARGETS['single_seconds'] and wheel_ratio >= TARGETS['single'])})"
                )
            results["single"] = {
                "template": template_str,
                "commands": {c.label: {"argv": c.argv, **c.stats(), "times": c.times} for c in single},
                "speedup": ratio,
                "speedup_vs_pack": ratio_pack,
            }

        if "b" in only:  # (b) the sam/ directory
            directory = corpus / "sam"
            files = checked_files(directory)
            aborting = [f for f in files if aborts_cfn_lint(f)]
            cfn_files = [f for f in files if f not in aborting]
            many = [
                Command("sam-shift-lint DIR", [cli, "--format", "json", str(directory)], (0, 1, 2)),
                Command(f"cfn-lint {len(cfn_files)} files", [cfn_lint, "--format", "json", "--", *cfn_files], CFN_LINT_OK),
                Command("sam-shift-lint --jobs 1 DIR", [cli, "--jobs", "1", "--format", "json", str(directory)], (0, 1, 2)),
            ]
            if args.directory_with_pack:
                many.append(
                    Command(f"cfn-lint + pack, {len(cfn_files)} files", [cfn_lint, "--format", "json", pack, "--", *cfn_files], CFN_LINT_OK)
                )
            print(f"(b) {directory}: {len(files)} files", file=sys.stderr)
            measure(many, runs, cwd, env, warm_up=[many[0], many[2]])
            report.append("")
            report += table(f"(b) directory {directory}: {len(files)} files with AWS::Serverless", many, many[0])
            if aborting:
                report.append(f"  not given to cfn-lint (null Resources/Parameters aborts its whole run): {', '.join(Path(a).name for a in aborting)}")
            ratio_dir = many[1].stats()["median"] / many[0].stats()["median"]
            verdicts.append(
                f"(b) cfn-lint / sam-shift-lint = {ratio_dir:.1f}x "
                f"(target >= {TARGETS['directory']:.0f}x: {verdict(ratio_dir >= TARGETS['directory'])})"
            )
            results["directory"] = {
                "directory": str(directory),
                "files": len(files),
                "cfn_lint_files": len(cfn_files),
                "not_given_to_cfn_lint": aborting,
                "commands": {c.label: {"argv": c.argv[:6], **c.stats(), "times": c.times} for c in many},
                "speedup": ratio_dir,
            }

        if "c" in only:  # (c) --fix over a fresh copy of the whole corpus vs checking an unchanged copy
            pristine = Path(cwd, "check-copy")
            shutil.copytree(corpus, pristine)
            fix_copy = Path(cwd, "fix-copy")

            def fresh_copy() -> None:
                shutil.rmtree(fix_copy, ignore_errors=True)
                shutil.copytree(corpus, fix_copy)

            fixing = [
                Command("sam-shift-lint (check)", [cli, "--format", "json", str(pristine)], (0, 1, 2)),
                Command("sam-shift-lint --fix", [cli, "--fix", "--format", "json", str(fix_copy)], (0, 1, 2), prepare=fresh_copy),
            ]
            count = sum(1 for path in pristine.rglob("*") if path.is_file())
            print(f"(c) --fix over {corpus}: {count} files", file=sys.stderr)
            measure(fixing, runs, cwd, env, warm_up=fixing)
            report.append("")
            report += table(f"(c) --fix vs check, the whole corpus {corpus} ({count} files, a fresh copy per fix run)", fixing, fixing[0], "x the check")
            ratio_fix = fixing[1].stats()["median"] / fixing[0].stats()["median"]
            verdicts.append(
                f"(c) --fix / check = {ratio_fix:.1f}x (target <= {TARGETS['fix_vs_check']:.0f}x: {verdict(ratio_fix <= TARGETS['fix_vs_check'])})"
            )
            results["fix"] = {
                "corpus": str(corpus),
                "files": count,
                "commands": {c.label: {"argv": c.argv, **c.stats(), "times": c.times} for c in fixing},
                "fix_vs_check": ratio_fix,
            }

        if "d" in only:  # (d) the 10,000-template tree, --jobs 1 and --jobs 2, time and memory
            tree = Path(cwd, "tree")
            print(f"(d) building a tree of {tree_files} templates from {args.corpus}", file=sys.stderr, flush=True)
            build_tree(args.corpus, tree, tree_files)
            jobs = [
                Command("sam-shift-lint --jobs 1 TREE", [cli, "--jobs", "1", str(tree)], (0, 1, 2)),
                Command("sam-shift-lint --jobs 2 TREE", [cli, "--jobs", "2", str(tree)], (0, 1, 2)),
            ]
            measure(jobs, runs, cwd, env, warm_up=jobs[1:])
            for index in range(args.memory_runs):
                for command in jobs:
                    print(f"  memory {index + 1}/{args.memory_runs}: {command.label}", file=sys.stderr, flush=True)
                    command.run_sampled(cwd, env)
            report.append("")
            report += table(f"(d) a tree of {tree_files} templates (the corpus copied)", jobs, jobs[0], "x --jobs 1")
            report.append(f"  peak memory (MiB; largest of {args.memory_runs} sampled run(s); sum = the command and its workers at one moment)")
            report.append(f"  {'command':<34} {'sum RSS':>8} {'sum PSS':>8} {'max 1 proc':>10} {'sum of peaks':>12} {'procs':>6}")
            for command in jobs:
                m = command.peak_memory()
                report.append(
                    f"  {command.label:<34} {m['sum_rss']:>8.1f} {m['sum_pss']:>8.1f} {m['max_process_hwm']:>10.1f} {m['sum_hwm']:>12.1f} {m['processes']:>6}"
                )
            seconds_2 = jobs[1].stats()["median"]
            peak = max(command.peak_memory()["sum_rss"] for command in jobs)
            verdicts.append(
                f"(d) {tree_files} templates: --jobs 2 {seconds_2:.2f} s ({jobs[0].stats()['median'] / seconds_2:.2f}x --jobs 1), "
                f"peak {peak:.0f} MiB (targets <= {TARGETS['tree_seconds']:.0f} s: {verdict(seconds_2 <= TARGETS['tree_seconds'])}, "
                f"<= {TARGETS['tree_mib']:.0f} MiB: {verdict(peak <= TARGETS['tree_mib'])})"
            )
            results["tree"] = {
                "files": tree_files,
                "commands": {
                    c.label: {"argv": c.argv, **c.stats(), "times": c.times, "memory_mib": c.peak_memory()} for c in jobs
                },
            }

        if "e" in only:  # (e) --jobs 1 vs --jobs 2 on a few dozen files
            sam_files = sorted(path for path in (args.corpus / "sam").rglob("*") if path.is_file())
            pairs = []
            for count in BREAK_EVEN_FILES:
                directory = Path(cwd, f"first-{count}")
                for path in sam_files[:count]:
                    target = directory / path.relative_to(args.corpus / "sam")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target)
                pairs.append(
                    (
                        Command(f"--jobs 1, {count} files", [cli, "--jobs", "1", str(directory)], (0, 1, 2)),
                        Command(f"--jobs 2, {count} files", [cli, "--jobs", "2", str(directory)], (0, 1, 2)),
                    )
                )
            flat = [command for pair in pairs for command in pair]
            print(f"(e) --jobs 1 vs 2 on {', '.join(map(str, BREAK_EVEN_FILES))} files", file=sys.stderr)
            measure(flat, runs, cwd, env, warm_up=flat[:2])
            report += [""] if report else []
            report.append("(e) where --jobs starts to pay: the first N corpus sam/ files (default --jobs: workers from 64 on)")
            report.append(f"  {'files':>6} {'--jobs 1':>9} {'--jobs 2':>9}  {'2 vs 1':>7}")
            for count, (one, two) in zip(BREAK_EVEN_FILES, pairs):
                first, second = one.stats()["median"], two.stats()["median"]
                report.append(f"  {count:>6} {first:>8.3f}s {second:>8.3f}s  {second / first:>6.2f}x")
            results["break_even"] = {
                c.label: {"argv": c.argv[:3], **c.stats(), "times": c.times} for c in flat
            }

    print("\n".join(report))
    print()
    print("\n".join(verdicts))
    if args.quick:
        print("--quick: a sanity check on samples, not a measurement (the targets are for the full run)")
    print(f"medians of {runs} runs each (after one warm-up); bytecode {results['bytecode']}")
    print(f"versions: {results['versions']}; load average before: {results['machine']['load_average_before']}")  # type: ignore[index]
    if args.save:
        out_dir = REPO / "bench" / "results"
        out_dir.mkdir(parents=True, exist_ok=True)
        out = out_dir / f"benchmark-{time.strftime('%Y%m%d-%H%M%S')}.json"
        out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
