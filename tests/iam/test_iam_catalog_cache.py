"""The compact cache of cfn-lint's IAM data: built on first use, reused, rebuilt when cfn-lint or its data
changes or the cache is damaged, skipped when it cannot be written, and never changing an answer."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sam_shift_lint.iam import actions, catalog_cache
from sam_shift_lint.iam.actions import Catalog, compact_from_policies, is_known_action, policies_json_path

POLICIES = {
    "lambda": {
        "Actions": {"createfunction": {}, "getfunction": {}},
        "Resources": {"function": {"ARNFormats": ["arn:${Partition}:lambda:${Region}:${Account}:function:${FunctionName}"]}},
    },
    "s3": {"Actions": {"getobject": {}}, "Resources": {"bucket": {"ARNFormats": ["arn:${Partition}:s3:::${BucketName}"]}}},
    "odd": {"Actions": {"with space": {}, "": {}}},
}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(catalog_cache.ENV, str(folder))
    return folder


@pytest.fixture
def fake_cfn_lint(tmp_path: Path) -> Path:
    """A stand-in for an installed cfn-lint: ``cfnlint/version.py`` and ``cfnlint/data/AdditionalSpecs/Policies.json``."""
    data = tmp_path / "site" / "cfnlint" / "data" / "AdditionalSpecs"
    data.mkdir(parents=True)
    (tmp_path / "site" / "cfnlint" / "version.py").write_text('"""Version"""\n__version__ = "1.58.0"\n')
    path = data / "Policies.json"
    path.write_text(json.dumps(POLICIES))
    return path


class Builds:
    """A ``build`` callable for :func:`catalog_cache.load` that counts its calls."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.count = 0

    def __call__(self) -> dict[str, list[Any]]:
        self.count += 1
        return compact_from_policies(json.loads(self.source.read_text()))


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("iam-catalog-*.json"))


def test_built_on_first_use_then_reused(cache: Path, fake_cfn_lint: Path) -> None:
    build = Builds(fake_cfn_lint)
    first = catalog_cache.load(str(fake_cfn_lint), build)
    [entry] = entries(cache)
    assert entry.name.startswith("iam-catalog-1.58.0-")
    assert oct(entry.stat().st_mode & 0o777) == "0o600"
    assert catalog_cache.load(str(fake_cfn_lint), build) == first
    assert build.count == 1
    stored = json.loads(entry.read_text())
    assert stored["key"] == catalog_cache.source_key(str(fake_cfn_lint))
    assert stored["key"]["cfn_lint"] == "1.58.0"
    assert not list(cache.glob("*.tmp"))


def test_a_new_cfn_lint_version_or_edited_data_makes_a_new_entry(cache: Path, fake_cfn_lint: Path) -> None:
    build = Builds(fake_cfn_lint)
    catalog_cache.load(str(fake_cfn_lint), build)
    version = fake_cfn_lint.parents[2] / "version.py"
    version.write_text('__version__ = "1.59.0"\n')
    catalog_cache.load(str(fake_cfn_lint), build)
    assert build.count == 2
    assert [e.name.split("-")[2] for e in entries(cache)] == ["1.58.0", "1.59.0"]

    edited = dict(POLICIES, sqs={"Actions": {"sendmessage": {}}})
    fake_cfn_lint.write_text(json.dumps(edited))
    compact = catalog_cache.load(str(fake_cfn_lint), build)
    assert build.count == 3 and "sqs" in compact

    stat = fake_cfn_lint.stat()  # same size, another modification time: rebuilt too
    os.utime(fake_cfn_lint, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    catalog_cache.load(str(fake_cfn_lint), build)
    assert build.count == 4


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),  # truncated
        lambda p: p.write_bytes(b"\x00\xff garbage"),
        lambda p: p.write_text("[" * 100_000),  # nested deeper than the JSON parser goes
        lambda p: p.write_text(json.dumps({"key": json.loads(p.read_text())["key"], "services": {"lambda": ["x", 1, None]}})),
        lambda p: p.write_text(json.dumps({"key": "another", "services": {}})),
        lambda p: p.write_text(json.dumps([1, 2, 3])),
        lambda p: (p.unlink(), os.mkfifo(p)),  # must not block
        lambda p: (p.unlink(), p.mkdir()),
    ],
    ids=["truncated", "garbage", "deep", "wrong-shape", "foreign-key", "not-an-object", "fifo", "directory"],
)
def test_a_damaged_cache_is_rebuilt(cache: Path, fake_cfn_lint: Path, damage: Any) -> None:
    build = Builds(fake_cfn_lint)
    good = catalog_cache.load(str(fake_cfn_lint), build)
    [entry] = entries(cache)
    damage(entry)
    assert catalog_cache.load(str(fake_cfn_lint), build) == good
    assert build.count == 2
    if entry.is_file() and not entry.is_symlink():
        assert json.loads(entry.read_text())["services"] == good  # repaired for the next run


@pytest.mark.parametrize("setting", ["file", "empty"])
def test_without_a_usable_cache_directory_the_data_is_computed_in_memory(
    setting: str, tmp_path: Path, fake_cfn_lint: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv(catalog_cache.ENV, str(blocker / "cache") if setting == "file" else "")
    build = Builds(fake_cfn_lint)
    first = catalog_cache.load(str(fake_cfn_lint), build)
    assert catalog_cache.load(str(fake_cfn_lint), build) == first
    assert build.count == 2  # nothing stored, nothing raised


def test_the_cache_directory_follows_xdg_and_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(catalog_cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert catalog_cache.cache_dir() == str(tmp_path / "xdg" / "sam-shift-lint")
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert catalog_cache.cache_dir() == str(tmp_path / "home" / ".cache" / "sam-shift-lint")
    monkeypatch.setenv(catalog_cache.ENV, str(tmp_path / "mine"))
    assert catalog_cache.cache_dir() == str(tmp_path / "mine")


@pytest.fixture
def fresh_catalog() -> Iterator[None]:
    actions.catalog.cache_clear()
    yield
    actions.catalog.cache_clear()


def test_the_catalog_reads_the_cache_instead_of_policies_json(
    cache: Path, fake_cfn_lint: Path, monkeypatch: pytest.MonkeyPatch, fresh_catalog: None
) -> None:
    monkeypatch.setattr(actions, "policies_json_path", lambda: str(fake_cfn_lint))
    assert is_known_action("lambda:GetFunction", actions.catalog())
    assert actions.catalog().arn_fields("s3") == (False, False)

    def no_parsing(path: str) -> Any:
        raise AssertionError("Policies.json parsed although the cache holds it")

    monkeypatch.setattr(actions, "_compact_from_file", no_parsing)
    actions.catalog.cache_clear()
    assert is_known_action("s3:GetObject", actions.catalog())
    assert actions.catalog().arn_fields("lambda") == (True, True)


def _everything(cat: Catalog) -> tuple[dict[str, dict[str, str]], dict[str, tuple[bool, bool] | None]]:
    return {s: dict(a) for s, a in cat.services.items()}, {s: cat.arn_fields(s) for s in cat.services}


def test_the_cached_catalog_equals_the_one_parsed_from_cfn_lint(cache: Path, fresh_catalog: None) -> None:
    with open(policies_json_path(), encoding="utf-8") as handle:
        parsed = json.load(handle)
    direct = _everything(Catalog.from_policies(parsed))
    assert _everything(actions.catalog()) == direct  # built now
    actions.catalog.cache_clear()
    assert _everything(actions.catalog()) == direct  # read back from the cache
    assert len(direct[0]) > 400 and sum(len(a) for a in direct[0].values()) > 15_000
    odd = Catalog.from_policies(POLICIES)
    assert dict(odd.services["odd"]) == {"with space": "odd:with space", "": "odd:"}
    assert odd.arn_fields("odd") is None


def test_a_run_builds_the_cache_and_the_next_one_uses_it(tmp_path: Path) -> None:
    """Through whole processes: the first run writes the entry, the second parses no Policies.json."""
    folder = tmp_path / "cache"
    env = {**os.environ, catalog_cache.ENV: str(folder)}
    code = (
        "import json, sys\n"
        "from sam_shift_lint.iam import actions\n"
        "parsed = []\n"
        "original = json.load\n"
        "json.load = lambda *a, **k: parsed.append(1) or original(*a, **k)\n"
        "assert actions.is_known_action('lambda:GetFunction')\n"
        "print(len(parsed))\n"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60, check=True)
    assert first.stdout.strip() == "1" and len(entries(folder)) == 1
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60, check=True)
    assert second.stdout.strip() == "0"
