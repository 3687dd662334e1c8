#!/usr/bin/env python3
"""Wall-clock benchmark of whole processes: ``sam-shift-lint`` vs ``cfn-lint`` on the same files.

    .venv/bin/python bench/benchmark.py [--runs N] [--template FILE] [--corpus DIR] [--skip-directory]
                                        [--no-bytecode-cache] [--save]

Scenarios (each command: one untimed warm-up, then N timed runs, interleaved round-robin so that background
load hits every command alike; median, min and max are reported):

(a) one small SAM template: ``sam-shift-lint FILE`` vs plain ``cfn-lint FILE`` (default rules, as a user runs
    it) and ``cfn-lint FILE --append-rules=sam_shift_lint.rules``;
(b) the corpus ``sam/`` directory: ``sam-shift-lint --format json DIR`` vs ``cfn-lint --format json -- FILES``
    in one process over the files the CLI checks (those containing ``AWS::Serverless``), minus the files
    that make cfn-lint 1.58 abort the whole run (``Resources:``/``Parameters:`` null), which are listed.

Bytecode: pip compiles an installed package's modules, but an editable install's modules are compiled on first
import and cached in ``__pycache__``, unless ``PYTHONDONTWRITEBYTECODE`` is set (as on some CI machines), when
every run recompiles them (~50 ms for sam-shift-lint). By default every command runs with a private
``PYTHONPYCACHEPREFIX`` (a temporary directory, filled by the warm-up), so both tools run from cached bytecode
as in a normal installation and nothing is written into the checkout; ``--no-bytecode-cache`` keeps the
environment as it is.

Targets: (a) >= 5x, (b) >= 10x faster than cfn-lint. Executables are taken from the directory of the
running interpreter (the venv), never from PATH. Standard library only. ``--save`` writes JSON to
bench/results/ (gitignored).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(os.path.dirname(os.path.abspath(sys.executable)))
DEFAULT_CORPUS = Path(os.environ.get("SAM_SHIFT_LINT_SHARED", REPO.parent / "shared")) / "corpus"
DEFAULT_TEMPLATE = "sam/aws-lambda-developer-guide/aws-lambda-developer-guide__sample-apps__blank-python__template.yml"
TARGETS = {"single": 5.0, "directory": 10.0}

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


class Command:
    def __init__(self, label: str, argv: list[str], ok_codes: Sequence[int]) -> None:
        self.label = label
        self.argv = argv
        self.ok_codes = tuple(ok_codes)
        self.times: list[float] = []
        self.returncodes: list[int] = []

    def shown(self, limit: int = 160) -> str:
        text = " ".join(self.argv)
        return text if len(text) <= limit else f"{text[:limit]} ... ({len(self.argv)} arguments)"

    def run(self, cwd: str, env: dict[str, str], record: bool = True) -> None:
        start = time.perf_counter()
        completed = subprocess.run(self.argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd, env=env)
        elapsed = time.perf_counter() - start
        if completed.returncode not in self.ok_codes or b"Traceback (most recent call last)" in completed.stderr:
            tail = completed.stderr.decode("utf-8", "replace")[-2000:]
            sys.exit(f"benchmark: {self.label} failed (rc {completed.returncode}):\n{self.shown()}\n{tail}")
        if record:
            self.times.append(elapsed)
            self.returncodes.append(completed.returncode)

    def stats(self) -> dict[str, float]:
        return {"median": statistics.median(self.times), "min": min(self.times), "max": max(self.times)}


def measure(commands: list[Command], runs: int, cwd: str, env: dict[str, str], warm_up: Sequence[Command]) -> None:
    for command in warm_up:
        print(f"  warm-up: {command.label}", file=sys.stderr, flush=True)
        command.run(cwd, env, record=False)
    for index in range(runs):
        for command in commands:
            print(f"  run {index + 1}/{runs}: {command.label}", file=sys.stderr, flush=True)
            command.run(cwd, env)


def table(title: str, commands: list[Command], baseline: Command) -> list[str]:
    lines = [title, f"  {'command':<34} {'median':>8} {'min':>8} {'max':>8}  {'CLI faster by':>13}"]
    base = baseline.stats()["median"]
    for command in commands:
        s = command.stats()
        ratio = s["median"] / base
        speed = "(reference)" if command is baseline else f"{ratio:.1f}x"
        lines.append(f"  {command.label:<34} {s['median']:>7.3f}s {s['min']:>7.3f}s {s['max']:>7.3f}s  {speed:>13}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="timed runs per command (default 5)")
    parser.add_argument("--template", help=f"the single template (default: <corpus>/{DEFAULT_TEMPLATE})")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"corpus directory (default {DEFAULT_CORPUS})")
    parser.add_argument("--skip-directory", action="store_true", help="only scenario (a)")
    parser.add_argument("--directory-with-pack", action="store_true", help="(b) also times cfn-lint with the rule pack")
    parser.add_argument(
        "--no-bytecode-cache",
        action="store_true",
        help="run with the environment as it is (no private PYTHONPYCACHEPREFIX; PYTHONDONTWRITEBYTECODE kept)",
    )
    parser.add_argument("--save", action="store_true", help="write the results as JSON to bench/results/")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")

    cli, cfn_lint = executable("sam-shift-lint"), executable("cfn-lint")
    template = Path(args.template) if args.template else args.corpus / DEFAULT_TEMPLATE
    if not template.is_file():
        sys.exit(f"benchmark: no template at {template} (pass --template or --corpus)")
    template_str = str(template.resolve())
    pack = "--append-rules=sam_shift_lint.rules"
    results: dict[str, object] = {
        "runs": args.runs,
        "python": platform.python_version(),
        "machine": {"cpus": os.cpu_count(), "load_average_before": os.getloadavg() if hasattr(os, "getloadavg") else None},
        "versions": {
            "sam-shift-lint": subprocess.run([cli, "--version"], capture_output=True, text=True).stdout.strip(),
            "cfn-lint": subprocess.run([cfn_lint, "--version"], capture_output=True, text=True).stdout.strip(),
        },
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
        # (a) one template
        single = [
            Command("sam-shift-lint", [cli, template_str], (0, 1)),
            Command("cfn-lint (default rules)", [cfn_lint, template_str], (0, 2, 4, 6, 8, 10, 12, 14)),
            Command("cfn-lint + sam_shift_lint.rules", [cfn_lint, template_str, pack], (0, 2, 4, 6, 8, 10, 12, 14)),
        ]
        print(f"(a) {template_str}", file=sys.stderr)
        measure(single, args.runs, cwd, env, warm_up=single)
        report += table(f"(a) one template: {template_str} ({template.stat().st_size} bytes)", single, single[0])
        ratio = single[1].stats()["median"] / single[0].stats()["median"]
        ratio_pack = single[2].stats()["median"] / single[0].stats()["median"]
        verdicts.append(
            f"(a) cfn-lint / sam-shift-lint = {ratio:.1f}x, with rule pack {ratio_pack:.1f}x "
            f"(target >= {TARGETS['single']:.0f}x: {'met' if ratio >= TARGETS['single'] else 'MISSED'})"
        )
        results["single"] = {
            "template": template_str,
            "commands": {c.label: {"argv": c.argv, **c.stats(), "times": c.times} for c in single},
            "speedup": ratio,
            "speedup_vs_pack": ratio_pack,
        }

        # (b) the sam/ directory
        if not args.skip_directory:
            directory = args.corpus / "sam"
            if not directory.is_dir():
                sys.exit(f"benchmark: no corpus directory {directory}")
            files = checked_files(directory)
            aborting = [f for f in files if aborts_cfn_lint(f)]
            cfn_files = [f for f in files if f not in aborting]
            many = [
                Command("sam-shift-lint DIR", [cli, "--format", "json", str(directory)], (0, 1, 2)),
                Command(f"cfn-lint {len(cfn_files)} files", [cfn_lint, "--format", "json", "--", *cfn_files], (0, 2, 4, 6, 8, 10, 12, 14)),
            ]
            if args.directory_with_pack:
                many.append(
                    Command(
                        f"cfn-lint + pack, {len(cfn_files)} files",
                        [cfn_lint, "--format", "json", pack, "--", *cfn_files],
                        (0, 2, 4, 6, 8, 10, 12, 14),
                    )
                )
            print(f"(b) {directory}: {len(files)} files", file=sys.stderr)
            measure(many, args.runs, cwd, env, warm_up=many[:1])
            report.append("")
            report += table(f"(b) directory {directory}: {len(files)} files with AWS::Serverless", many, many[0])
            if aborting:
                report.append(f"  not given to cfn-lint (null Resources/Parameters aborts its whole run): {', '.join(Path(a).name for a in aborting)}")
            ratio_dir = many[1].stats()["median"] / many[0].stats()["median"]
            verdicts.append(
                f"(b) cfn-lint / sam-shift-lint = {ratio_dir:.1f}x "
                f"(target >= {TARGETS['directory']:.0f}x: {'met' if ratio_dir >= TARGETS['directory'] else 'MISSED'})"
            )
            results["directory"] = {
                "directory": str(directory),
                "files": len(files),
                "cfn_lint_files": len(cfn_files),
                "not_given_to_cfn_lint": aborting,
                "commands": {c.label: {"argv": c.argv[:6], **c.stats(), "times": c.times} for c in many},
                "speedup": ratio_dir,
            }

    print("\n".join(report))
    print()
    print("\n".join(verdicts))
    print(f"medians of {args.runs} runs each (after one warm-up); bytecode {results['bytecode']}")
    print(f"versions: {results['versions']}; load average before: {results['machine']['load_average_before']}")
    if args.save:
        out_dir = REPO / "bench" / "results"
        out_dir.mkdir(parents=True, exist_ok=True)
        out = out_dir / f"benchmark-{time.strftime('%Y%m%d-%H%M%S')}.json"
        out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
