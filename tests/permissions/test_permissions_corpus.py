"""``permissions`` over every corpus template: no crash; each template gives a valid policy (split within the
managed-policy limit) or one clear reason why it cannot be used; types without handler data are warned about."""
from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from permissions_helpers import assert_valid_policy

from sam_shift_lint.permissions import Deriver, Options, derive_files
from sam_shift_lint.permissions.policy import MANAGED_POLICY_LIMIT, split, statements
from sam_shift_lint.permissions.render import render

KINDS = ("sam", "sam_no_transform")
CHUNKS = 4


def test_permissions_chunks_cover_the_corpus(corpus_dir: Path, corpus_partition, partition_check) -> None:  # type: ignore[no-untyped-def]
    partition_check(corpus_partition(KINDS, CHUNKS), [p for kind in KINDS for p in (corpus_dir / kind).rglob("*") if p.is_file()])


@pytest.mark.slow
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_permissions_over_the_corpus(
    chunk: int, corpus_partition: Callable[[Sequence[str], int], tuple[tuple[Path, ...], ...]], bin_path: Callable[[str], Path], corpus_dir: Path
) -> None:
    files = corpus_partition(KINDS, CHUNKS)[chunk]
    options = Options()
    deriver = Deriver(options)
    derived: list[Path] = []
    refused = 0
    without_handlers: dict[str, int] = {}
    for path in files:
        result, errors = derive_files([str(path)], options, deriver)
        if errors:
            ((_, reason),) = errors
            assert reason and "\n" not in reason and len(reason) <= 300, (path, reason)
            refused += 1
            continue
        for kind, count in result.without_handlers.items():
            without_handlers[kind] = without_handlers.get(kind, 0) + count
            assert any(kind in note.text for note in result.notes), (path, kind)  # said, never silently dropped
        granted = statements(result.needs)
        assert granted, path  # every template needs at least what its resources or transforms do
        policies = split(granted, MANAGED_POLICY_LIMIT)
        rendered = json.loads(render(policies, "json", {}))
        for policy in rendered if len(policies) > 1 else [rendered]:
            alone = len(policy["Statement"]) == 1  # a statement too large on its own is warned about, not cut
            try:
                assert_valid_policy(policy, None if alone else MANAGED_POLICY_LIMIT)
            except AssertionError as error:
                raise AssertionError(f"{path}: {error}") from None
        derived.append(path)
    assert len(derived) > refused, (len(derived), refused)  # most of the corpus translates
    # the real command on a few of them at once: one merged, valid policy
    sample = [str(p.relative_to(corpus_dir)) for p in derived[:: max(1, len(derived) // 6)]]
    run = subprocess.run(
        [str(bin_path("sam-shift-lint")), "permissions", "--format", "json", *sample],
        capture_output=True, text=True, cwd=corpus_dir, check=False, timeout=600,
    )
    assert run.returncode == 0, run.stderr
    output = json.loads(run.stdout)
    for policy in output if isinstance(output, list) else [output]:
        assert_valid_policy(policy)
