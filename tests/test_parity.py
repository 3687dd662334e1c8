"""Both front doors agree: ``sam-shift-lint`` and ``cfn-lint --append-rules=sam_shift_lint.rules`` report the
same (file, rule, line) set -- and the same column and message -- over the corpus (``/work/shared/corpus``) for
every rule id the cfn-lint pack exposes (which must include all of E91*/W91*).

Real processes only: the CLI once per corpus directory and cfn-lint once per chunk (one chunk per core) over
many files, with every built-in rule family ignored except ``E0`` so that parse errors (E0000), transform
errors (E0001) and rule crashes (E0002) stay visible. Ignoring only filters matches (cfn-lint still runs all
its rules, about 0.1 s per template). By default every parseable file is compared (about 2 minutes on 2
cores); ``SAM_SHIFT_LINT_PARITY=sample`` compares a deterministic subset for quick local runs: every file
that MANIFEST.tsv flags with DeploymentPreference, AutoPublishAlias or Globals, every JSON template, and 1 in
``SAMPLE_MODULUS`` of the rest (by sha256).

Files cfn-lint cannot process are excluded, each by a named reason, and counted:

* known crash categories (cfn-lint aborts the whole run, so they are excluded up front by a structural test
  and then proven to crash, one process each);
* E0000 (cfn-lint cannot parse what our parser accepted) and E0001 (a failed transform skips every rule).

An unknown crash is bisected down to the file(s) and fails the test.
"""
from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

DIRECTORIES = ("sam", "sam_no_transform")
OUR_RULE = re.compile(r"^[EWI]9\d\d\d$")
# Every built-in family but E0 (parse/transform/rule errors); our rules are E9/W9.
IGNORED_BUILTINS = ["E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "I"]
SAMPLE_MODULUS = 8
FULL = os.environ.get("SAM_SHIFT_LINT_PARITY", "full").lower() != "sample"
ERROR_LINE = re.compile(r"^(?P<path>.+?): error: (?P<reason>\S.*)$")
SERVERLESS_TRANSFORM = "AWS::Serverless-2016-10-31"

pytestmark = pytest.mark.slow

Key = tuple[str, str, int]  # (corpus-relative file, rule, line)


# ------------------------------------------------------------------------------------ known crash categories


def _transforms(root: object) -> list[object]:
    from sam_shift_lint.parsing.nodes import Mapping, Scalar, Sequence

    if not isinstance(root, Mapping):
        return []
    node = root.get("Transform")
    items = node.items if isinstance(node, Sequence) else [node] if node is not None else []
    return [item.value for item in items if isinstance(item, Scalar)]


def section_not_a_mapping(path: Path) -> bool:
    """``Resources:`` or ``Parameters:`` present but null (or a list/scalar): cfn-lint 1.58 crashes building its
    graph (``Graph._add_resources``/``_add_parameters``: ``AttributeError: 'NoneType' object has no attribute
    'items'``) and aborts the whole run."""
    from sam_shift_lint.parsing.document import load
    from sam_shift_lint.parsing.nodes import Mapping

    root = load(str(path)).root
    return isinstance(root, Mapping) and any(
        section in root and not isinstance(root.get(section), Mapping) for section in ("Resources", "Parameters")
    )


def yaml11_non_string_keys_in_sam_transform(path: Path) -> bool:
    """cfn-lint reads YAML 1.1: a key such as ``On``/``No``/``0`` becomes a bool/int. In a template with the SAM
    transform, a mapping that mixes such keys with string keys crashes cfn-lint while sorting keys
    (``TypeError: '<' not supported between instances of 'str_node' and 'bool'``; docs/cfn-lint.md §5).
    Our parser (and SAM) read those keys as strings."""
    import yaml

    from sam_shift_lint.parsing.document import load

    if SERVERLESS_TRANSFORM not in _transforms(load(str(path)).root):
        return False
    text = path.read_text(encoding="utf-8-sig")
    if text.lstrip().startswith(("{", "[")):
        return False  # JSON: keys are always strings
    node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    stack = [node]
    string = "tag:yaml.org,2002:str"
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            tags = {key.tag for key, _ in node.value}
            if string in tags and tags & {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}:
                return True
            stack.extend(value for _, value in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


CRASH_CATEGORIES: list[tuple[str, Callable[[Path], bool], str]] = [
    ("cfn-lint crash: Resources or Parameters is not a mapping", section_not_a_mapping, "AttributeError"),
    ("cfn-lint crash: YAML 1.1 bool/int keys mixed with string keys (SAM transform)",
     yaml11_non_string_keys_in_sam_transform, "TypeError"),
]


# ------------------------------------------------------------------------------------ running the tools


def cli_json(completed: dict[str, Any]) -> tuple[list[dict], dict[str, str]]:
    """The findings and the ``{file: reason}`` errors of one ``sam-shift-lint --format json <directory>`` run."""
    assert completed["returncode"] in (0, 1, 2) and "Traceback" not in completed["stderr"], completed["stderr"][-3000:]
    errors: dict[str, str] = {}
    for line in completed["stderr"].splitlines():
        match = ERROR_LINE.match(line)
        assert match, f"unexpected stderr line from sam-shift-lint: {line!r}"
        errors[str(Path(match["path"]).resolve())] = match["reason"]
    return json.loads(completed["stdout"] or "[]"), errors


class CfnLint:
    """cfn-lint subprocesses, isolated from any ``.cfnlintrc`` (CWD and HOME are a temporary directory)."""

    def __init__(self, exe: Path, workdir: Path) -> None:
        self.exe = exe
        self.workdir = workdir
        self.env = dict(os.environ, HOME=str(workdir))
        self.env.pop("PYTHONWARNINGS", None)
        self.processes = 0

    def command(self, files: Iterable[str]) -> list[str]:
        return [
            str(self.exe), "--format", "json", "--append-rules=sam_shift_lint.rules",
            "--ignore-checks", *IGNORED_BUILTINS, "--", *files,
        ]

    def start(self, files: list[str]) -> tuple[subprocess.Popen, tempfile._TemporaryFileWrapper, tempfile._TemporaryFileWrapper]:  # type: ignore[type-arg]
        out = tempfile.TemporaryFile(mode="w+", dir=self.workdir)
        err = tempfile.TemporaryFile(mode="w+", dir=self.workdir)
        self.processes += 1
        process = subprocess.Popen(self.command(files), stdout=out, stderr=err, cwd=self.workdir, env=self.env, text=True)
        return process, out, err

    @staticmethod
    def finish(started) -> tuple[int, list[dict] | None, str]:  # type: ignore[no-untyped-def]
        process, out, err = started
        returncode = process.wait(timeout=1800)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
        out.close()
        err.close()
        crashed = returncode == 1 or "Traceback (most recent call last)" in stderr
        if crashed:
            return returncode, None, stderr
        return returncode, json.loads(stdout or "[]"), stderr

    def run(self, files: list[str]) -> tuple[int, list[dict] | None, str]:
        return self.finish(self.start(files))

    def run_chunks(self, chunks: list[list[str]]) -> list[tuple[list[str], tuple[int, list[dict] | None, str]]]:
        started = [(chunk, self.start(chunk)) for chunk in chunks if chunk]
        return [(chunk, self.finish(handle)) for chunk, handle in started]

    def bisect_crashes(self, files: list[str]) -> list[tuple[str, str]]:
        """The files that crash cfn-lint on their own, with the last line of each traceback."""
        _returncode, matches, stderr = self.run(files)
        if matches is not None:
            return []
        if len(files) == 1:
            return [(files[0], _last_line(stderr))]
        middle = len(files) // 2
        return self.bisect_crashes(files[:middle]) + self.bisect_crashes(files[middle:])


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def balanced_chunks(files: list[str], count: int) -> list[list[str]]:
    """``count`` chunks of similar total size (largest files first, each to the lightest chunk)."""
    chunks: list[list[str]] = [[] for _ in range(count)]
    weights = [0] * count
    for path in sorted(files, key=lambda p: -os.path.getsize(p)):
        index = weights.index(min(weights))
        chunks[index].append(path)
        weights[index] += os.path.getsize(path)
    return [sorted(chunk) for chunk in chunks]


def pack_rule_ids() -> set[str]:
    """The rule ids cfn-lint gets from ``--append-rules=sam_shift_lint.rules``."""
    import importlib

    from sam_shift_lint.rulepack import SamShiftLintRule

    module = importlib.import_module("sam_shift_lint.rules")
    return {
        value.id
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, SamShiftLintRule) and value.id
    }


# ------------------------------------------------------------------------------------ cached cfn-lint


def lint_files(
    cfn_lint: CfnLint, files: list[str], oracle_cache: Any, relative: Callable[[str], str], processes: int
) -> tuple[dict[str, list[dict]], list[tuple[str, str]], int, int]:
    """cfn-lint's matches for each of ``files`` ({file: matches}), the files that crash it on their own
    (bisected, never cached), the number of matches on other files (nested templates cfn-lint followed; fresh
    runs only) and the number of files taken from the cache.

    A file's matches are cached only after the run that produced them passed every run-level check; the key
    holds the file's corpus path and sha256, the command, the installed distributions and the sam_shift_lint
    sources (cfn-lint runs our rule pack)."""
    import hashlib

    keys = {
        path: oracle_cache.key(
            "cfn-lint parity", cfn_lint.command([]), relative(path), hashlib.sha256(Path(path).read_bytes()).hexdigest(),
            our_code=True,
        )
        for path in files
    }
    by_file: dict[str, list[dict]] = {}
    for path in files:
        cached = oracle_cache.get(keys[path])
        if cached is not None:
            by_file[path] = [dict(match, Filename=path) for match in cached]
    from_cache = len(by_file)
    todo = set(files) - set(by_file)
    crashes: list[tuple[str, str]] = []
    foreign = 0
    for chunk, (returncode, matches, stderr) in cfn_lint.run_chunks(balanced_chunks(sorted(todo), processes)):
        if matches is None:
            culprits = cfn_lint.bisect_crashes(chunk)
            assert culprits, f"cfn-lint failed (rc {returncode}) but no single file crashes it:\n{stderr[-3000:]}"
            crashes += culprits
            continue
        assert returncode in (0, 2, 4, 6), (returncode, stderr[-2000:])
        fresh: dict[str, list[dict]] = {path: [] for path in chunk}
        for match in matches:
            filename = str(Path(match["Filename"]).resolve()) if match.get("Filename") else ""
            if filename in fresh:
                fresh[filename].append(match)
            else:
                foreign += 1
        for path, found in fresh.items():
            by_file[path] = found
            oracle_cache.put(keys[path], [{key: value for key, value in match.items() if key != "Filename"} for match in found])
    return by_file, crashes, foreign, from_cache


def prove_crashes(
    cfn_lint: CfnLint, predicted: list[tuple[str, str, str]], oracle_cache: Any, relative: Callable[[str], str]
) -> list[tuple[str, str, str, tuple[int, list[dict] | None, str]]]:
    """Each predicted crash, run on its own: (path, reason, exception, (returncode, matches, stderr))."""
    import hashlib

    results = []
    started = []
    for path, reason, exception in predicted:
        key = oracle_cache.key(
            "cfn-lint crash proof", cfn_lint.command([]), relative(path), hashlib.sha256(Path(path).read_bytes()).hexdigest(),
            our_code=True,
        )
        cached = oracle_cache.get(key)
        if cached is not None:
            results.append((path, reason, exception, tuple(cached)))
        else:
            started.append((path, reason, exception, key, cfn_lint.start([path])))
    for path, reason, exception, key, handle in started:
        outcome = cfn_lint.finish(handle)
        oracle_cache.put(key, list(outcome))
        results.append((path, reason, exception, outcome))
    return sorted(results, key=lambda result: result[0])


# ------------------------------------------------------------------------------------ the test

# The corpus is compared in CHUNKS parametrized chunks (conftest.py's corpus_partition) that xdist workers share.
CHUNKS = 8


def _select(manifest: dict[str, dict[str, str]], relative: str) -> bool:
    if FULL:
        return True
    row = manifest[relative]
    if row["format"] == "json":
        return True
    if "1" in (row["has_deployment_preference"], row["has_auto_publish_alias"], row["has_globals"]):
        return True
    return int(row["sha256"][:8], 16) % SAMPLE_MODULUS == 0


def test_parity_chunks_cover_the_corpus(corpus_dir: Path, corpus_partition, partition_check) -> None:  # type: ignore[no-untyped-def]
    """The union of the chunks below is every file of the corpus directories, each file in one chunk."""
    directories = [name for name in DIRECTORIES if (corpus_dir / name).is_dir()]
    partition_check(
        corpus_partition(DIRECTORIES, CHUNKS), [p for name in directories for p in (corpus_dir / name).rglob("*") if p.is_file()]
    )


@pytest.mark.parametrize("chunk", range(CHUNKS), ids=lambda index: f"chunk{index + 1}of{CHUNKS}")
def test_cli_and_cfn_lint_rule_pack_agree(
    chunk: int,
    corpus_dir: Path,
    bin_path: Callable[[str], Path],
    tmp_path: Path,
    corpus_cli_json: Callable[[str], dict[str, Any]],
    corpus_partition,  # type: ignore[no-untyped-def]
    oracle_cache,  # type: ignore[no-untyped-def]
) -> None:
    directories = [corpus_dir / name for name in DIRECTORIES if (corpus_dir / name).is_dir()]
    if not directories:
        pytest.skip(f"no corpus directories under {corpus_dir}")
    manifest_path = corpus_dir / "MANIFEST.tsv"
    if not manifest_path.is_file():
        pytest.skip(f"{manifest_path} is absent")
    with open(manifest_path, newline="", encoding="utf-8") as handle:
        manifest = {row["file"]: row for row in csv.DictReader(handle, delimiter="\t")}
    chunk_files = {str(path.resolve()) for path in corpus_partition(DIRECTORIES, CHUNKS)[chunk]}
    assert chunk_files, f"chunk {chunk + 1} of {CHUNKS} is empty"

    def relative(path: str) -> str:
        return Path(path).resolve().relative_to(corpus_dir.resolve()).as_posix()

    # 1. The CLI: one process per directory per session (shared with test_corpus.py and across workers).
    cli_findings: list[dict] = []
    cli_errors: dict[str, str] = {}
    all_files: list[str] = []
    for directory in directories:
        findings, errors = cli_json(corpus_cli_json(directory.name))
        cli_findings += findings
        cli_errors.update((path, reason) for path, reason in errors.items() if path in chunk_files)
        all_files += [
            str(p.resolve()) for p in sorted(directory.rglob("*"))
            if p.is_file() and str(p.resolve()) in chunk_files and b"AWS::Serverless" in p.read_bytes()
        ]
    assert all_files, f"chunk {chunk + 1} of {CHUNKS} has no SAM template"
    parseable = [path for path in all_files if path not in cli_errors]
    selected = [path for path in parseable if _select(manifest, relative(path))]

    # 2. Known crash categories: excluded up front, each proven to crash on its own below.
    excluded: dict[str, list[str]] = {}
    predicted_crashes: list[tuple[str, str, str]] = []
    to_lint: list[str] = []
    for path in selected:
        for reason, predicate, exception in CRASH_CATEGORIES:
            if predicate(Path(path)):
                excluded.setdefault(reason, []).append(relative(path))
                predicted_crashes.append((path, reason, exception))
                break
        else:
            to_lint.append(path)

    # Canaries: files our parser rejects must come back from cfn-lint as E0000 (E0 is not ignored).
    canaries = sorted(path for path in cli_errors if re.match(r"(\d+:\d+: )?(YAML syntax error|duplicate key)", cli_errors[path]))

    # 3. cfn-lint (cached per file; the uncached files in one process per core left to this worker), run
    #    alongside the single-file crash proofs.
    cfn_lint = CfnLint(bin_path("cfn-lint"), tmp_path)
    started = time.monotonic()
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    processes = max(1, min(2, (os.cpu_count() or 1) // workers))
    by_file, unknown_crashes, foreign, from_cache = lint_files(cfn_lint, to_lint + canaries, oracle_cache, relative, processes)
    crash_proofs = prove_crashes(cfn_lint, predicted_crashes[:6], oracle_cache, relative)
    elapsed = time.monotonic() - started

    assert not unknown_crashes, "cfn-lint crashes on files of no known category (classify them in CRASH_CATEGORIES):\n" + "\n".join(
        f"{relative(path)}: {line}" for path, line in unknown_crashes
    )
    for path, reason, exception, (returncode, matches, stderr) in crash_proofs:
        assert matches is None and exception in stderr, (
            f"{relative(path)} was excluded as '{reason}' but cfn-lint does not crash on it "
            f"(rc {returncode}): the category is too broad"
        )

    # 4. cfn-lint's answer per file.
    linted = set(to_lint)
    canary_misses = [relative(p) for p in canaries if not any(m["Rule"]["Id"] == "E0000" for m in by_file.get(p, []))]
    assert not canary_misses, f"cfn-lint reported no E0000 for files that do not parse: {canary_misses}"

    rule_errors: list[str] = []
    builtin_rule_errors: set[str] = set()
    compared: list[str] = []
    for path in sorted(linted):
        ids = {m["Rule"]["Id"]: m for m in by_file.get(path, [])}
        if "E0000" in ids:
            excluded.setdefault(f"cfn-lint E0000 (cannot parse): {ids['E0000']['Message'][:80]}", []).append(relative(path))
            continue
        if "E0001" in ids:
            excluded.setdefault("cfn-lint E0001 (transform failed; every rule skipped)", []).append(relative(path))
            continue
        for match in by_file.get(path, []):
            if match["Rule"]["Id"] == "E0002":
                if re.search(r"rule [EWI]9\d\d\d\b", match["Message"]):
                    rule_errors.append(f"{relative(path)}: {match['Message']}")
                else:
                    builtin_rule_errors.add(relative(path))
        compared.append(path)
    assert not rule_errors, "our rules crashed inside cfn-lint:\n" + "\n".join(rule_errors)
    assert compared, f"chunk {chunk + 1} of {CHUNKS}: no file compared"

    # 5. Compare, for the rule ids both front doors have.
    from sam_shift_lint.checks.registry import FILE_ERROR, all_rules

    # E9000 (a file the CLI cannot read) has no class in the pack: cfn-lint reports such a template as E0000
    cli_ids = {rule.id for rule in all_rules()} - {FILE_ERROR.META.id}
    pack_ids = pack_rule_ids()
    assert FILE_ERROR.META.id not in pack_ids
    assert cli_ids <= pack_ids, f"registered rules missing from the pack: {sorted(cli_ids - pack_ids)}"
    assert pack_ids <= cli_ids, f"pack rules unknown to the CLI: {sorted(pack_ids - cli_ids)}"
    shared_ids = pack_ids & cli_ids
    compared_set = set(compared)
    cli_keys: set[Key] = set()
    cli_detail: set[tuple[str, str, int, int, str]] = set()
    for finding in cli_findings:
        path = str(Path(finding["file"]).resolve())
        if path in compared_set and finding["rule"] in shared_ids:
            cli_keys.add((relative(path), finding["rule"], finding["line"]))
            cli_detail.add((relative(path), finding["rule"], finding["line"], finding["column"], finding["message"]))
    cfn_keys: set[Key] = set()
    cfn_detail: set[tuple[str, str, int, int, str]] = set()
    for path in compared:
        for match in by_file.get(path, []):
            rule = match["Rule"]["Id"]
            if OUR_RULE.match(rule):
                assert rule in shared_ids, f"cfn-lint reported {rule}, which is not in the pack"
                start = match["Location"]["Start"]
                cfn_keys.add((relative(path), rule, start["LineNumber"]))
                cfn_detail.add((relative(path), rule, start["LineNumber"], start["ColumnNumber"], match["Message"]))

    total_excluded = sum(len(files) for files in excluded.values())
    summary = (
        f"parity chunk {chunk + 1}/{CHUNKS} "
        f"({'full corpus' if FULL else f'manifest-flagged + JSON + 1/{SAMPLE_MODULUS} sample'}): "
        f"{len(parseable)} parseable of {len(all_files)}, {len(selected)} selected, {len(compared)} files compared, "
        f"{len(cli_keys)} findings compared (CLI {len(cli_keys)}, cfn-lint {len(cfn_keys)}), "
        f"rules compared: {','.join(sorted(shared_ids))}; "
        f"{total_excluded} excluded; {len(builtin_rule_errors)} files with built-in E0002 rule errors (compared anyway); "
        f"{len(canaries)} E0000 canaries; {foreign} matches on other files ignored; "
        f"cfn-lint: {cfn_lint.processes} processes, {from_cache} files from the cache, {elapsed:.1f}s"
    )
    print(f"\n[parity] {summary}")
    per_rule: dict[str, int] = {}
    for _, rule, _ in cli_keys:
        per_rule[rule] = per_rule.get(rule, 0) + 1
    print(f"[parity]   findings per rule: {', '.join(f'{rule} {count}' for rule, count in sorted(per_rule.items()))}")
    for reason, files in sorted(excluded.items()):
        print(f"[parity]   excluded {len(files)}: {reason}: {', '.join(sorted(files)[:3])}{' ...' if len(files) > 3 else ''}")

    assert cli_keys, "the CLI found nothing to compare"
    assert cfn_keys, "cfn-lint reported none of our rules: did --append-rules=sam_shift_lint.rules load?"
    only_cli = sorted(cli_keys - cfn_keys)
    only_cfn = sorted(cfn_keys - cli_keys)
    assert not only_cli and not only_cfn, (
        f"{summary}\nonly the CLI: {only_cli[:20]}\nonly cfn-lint: {only_cfn[:20]}"
    )
    # Same position to the column and the same message, too.
    assert cli_detail == cfn_detail, (
        f"{summary}\nonly the CLI: {sorted(cli_detail - cfn_detail)[:10]}\nonly cfn-lint: {sorted(cfn_detail - cli_detail)[:10]}"
    )
