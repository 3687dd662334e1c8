"""The test loop's own machinery (tests/conftest.py): the oracle cache keys, the snapshot writer's refusals,
the corpus partition check and ``shared_once``."""
from __future__ import annotations

from pathlib import Path

import pytest


def test_oracle_cache_keys_hold_every_input(oracle_cache, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cache = type(oracle_cache)(tmp_path)
    key = cache.key("tool", "sam/a.yaml", "sha-1", our_code=False)
    assert key != cache.key("tool", "sam/a.yaml", "sha-2", our_code=False)  # other bytes
    assert key != cache.key("tool", "sam/b.yaml", "sha-1", our_code=False)  # other file
    assert key != cache.key("other tool", "sam/a.yaml", "sha-1", our_code=False)
    assert key != cache.key("tool", "sam/a.yaml", "sha-1", our_code=True)  # + the sam_shift_lint sources
    assert key == cache.key("tool", "sam/a.yaml", "sha-1", our_code=False)
    assert cache.get(key) is None
    cache.put(key, [{"Rule": {"Id": "E9103"}}])
    assert cache.get(key) == [{"Rule": {"Id": "E9103"}}]
    stored = next(tmp_path.rglob(f"{key}.json"))
    stored.write_text(stored.read_text().replace(key, "0" * 64))  # an entry that is not this key's: ignored
    assert cache.get(key) is None
    stored.write_text("{not json")
    assert cache.get(key) is None


def test_oracle_cache_environment_names_the_tool_versions(oracle_cache) -> None:  # type: ignore[no-untyped-def]
    import importlib.metadata

    environment = oracle_cache.environment()
    versions = dict(environment["distributions"])
    for name in ("cfn-lint", "aws-sam-translator", "sam-shift-lint"):
        assert versions[name] == importlib.metadata.version(name), name
    assert environment["python"]


def test_snapshot_writer_never_rewrites_hand_written_outputs(snapshots, repo_root: Path) -> None:  # type: ignore[no-untyped-def]
    writer = type(snapshots)(snapshots.config)
    writer.enabled = True
    for hand_written in (
        repo_root / "tests" / "fixes" / "bom" / "expected.yaml",
        repo_root / "tests" / "fixes" / "bom" / "expected.diff",
        repo_root / "tests" / "iam_fixes" / "hook_no_policies" / "expected.yaml",
    ):
        before = hand_written.read_bytes()
        with pytest.raises(AssertionError, match="hand-written"):
            writer.write(hand_written, "rewritten\n")
        assert hand_written.read_bytes() == before
    with pytest.raises(AssertionError, match="not under tests/"):
        writer.write(repo_root / "README.md", "rewritten\n")
    disabled = type(snapshots)(snapshots.config)
    disabled.enabled = False
    with pytest.raises(AssertionError, match="SAM_SHIFT_LINT_UPDATE_SNAPSHOTS"):
        disabled.write(repo_root / "tests" / "rules" / "E9103" / "no-alias.fail.expected.json", "[]\n")


def test_partition_check_rejects_gaps_overlaps_and_empty_chunks(partition_check) -> None:  # type: ignore[no-untyped-def]
    a, b, c = Path("a"), Path("b"), Path("c")
    partition_check([[a, c], [b]], [a, b, c])
    for chunks, everything in (
        ([[a], [b]], [a, b, c]),  # c in no chunk
        ([[a, b], [b, c]], [a, b, c]),  # b twice
        ([[a, b, c], []], [a, b, c]),  # an empty chunk
        ([[]], []),  # nothing at all
    ):
        with pytest.raises(AssertionError):
            partition_check(chunks, everything)


def test_shared_once_computes_once(shared_once) -> None:  # type: ignore[no-untyped-def]
    calls = []

    def compute() -> dict:
        calls.append(1)
        return {"answer": [1, 2]}

    name = f"test_shared_once_computes_once {id(calls)}"
    assert shared_once(name, compute) == {"answer": [1, 2]}
    assert shared_once(name, compute) == {"answer": [1, 2]}
    assert len(calls) == 1
