"""Fixture files map to their expectations by name: two fixtures must never share one ``.expected.json``."""
from __future__ import annotations

from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
SUFFIXES = (".yaml", ".yml", ".json")


def test_no_two_fixtures_share_an_expectation() -> None:
    owners: dict[Path, list[str]] = defaultdict(list)
    for family in ("rules", "iam_rules"):
        for path in sorted((TESTS / family).glob("*/*")):
            if path.suffix in SUFFIXES and not path.name.endswith((".expected.json", ".args.json")):
                owners[path.with_name(path.name.rsplit(".", 1)[0] + ".expected.json")].append(path.name)
    assert owners, "no fixtures found"
    shared = {str(k.relative_to(TESTS)): v for k, v in owners.items() if len(v) > 1}
    assert not shared, f"fixtures sharing one expectation file (rename one, e.g. json-<name>): {shared}"
