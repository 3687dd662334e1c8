"""Caches keyed by untrusted input keep only small keys (a fuzzer's worker died of memory after about 66,000
inputs: the IAM wildcard caches had filled with patterns of thousands of stars, seed 20261129 input 132673)."""
from __future__ import annotations

import gc
import json
import tracemalloc
from pathlib import Path

from sam_shift_lint.engine import check_document
from sam_shift_lint.memo import small_key_cache
from sam_shift_lint.parsing.document import load


def test_only_calls_with_small_arguments_are_remembered() -> None:
    calls: list[str] = []

    @small_key_cache(maxsize=8, max_weight=5)
    def shout(text: str) -> str:
        calls.append(text)
        return text.upper()

    assert shout("abc") == shout("abc") == "ABC"
    assert shout("abcdef") == shout("abcdef") == "ABCDEF"
    assert calls == ["abc", "abcdef", "abcdef"]  # the short one computed once, the long one each time
    assert shout.cache_info().currsize == 1  # type: ignore[attr-defined]


def test_a_custom_weight_counts_nested_patterns() -> None:
    @small_key_cache(maxsize=8, max_weight=4, weigh=lambda groups: sum(map(len, groups)))
    def count(groups: tuple[tuple[str, ...], ...]) -> int:
        return sum(map(len, groups))

    count((("a", "b"), ("c",)))
    count((("a", "b", "c"), ("d", "e")))
    assert count.cache_info().currsize == 1  # type: ignore[attr-defined]


def _policy_file(tmp_path: Path, index: int) -> Path:
    action = "codedeploy:" + "*a" * 2_000 + str(index)
    resource = "arn:aws:lambda:*:*:function:" + "*b" * 2_000 + str(index)
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [action, "lambda:*"], "Resource": resource}]}
    path = tmp_path / f"deploy-role-{index}.json"
    path.write_text(json.dumps(policy), encoding="utf-8")
    return path


def test_checking_hostile_policies_keeps_no_memory(tmp_path: Path) -> None:
    """Policies with 2,000-star actions and resources, checked one after another in one process as the language
    server would: what stays allocated afterwards does not grow with them (each one left about 200 KB in the
    wildcard matcher's caches before)."""
    paths = [_policy_file(tmp_path, index) for index in range(21)]
    check_document(load(str(paths[0])))  # warm up: imports, the IAM catalog, regex caches
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for path in paths[1:]:
            assert check_document(load(str(path)))  # the deploy-role profile reports what the policy lacks
        gc.collect()
        retained = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert retained < 500_000, f"{retained} bytes kept after checking 20 policies"
