#!/usr/bin/env python3
"""The sizes of the policies ``sam-shift-lint permissions`` derives, one template at a time (README, Output), and
the resource types it found no handler data for (README, What it derives).

For each file under the given directories (the corpus: ``sam`` and ``sam_no_transform``), the policy of that
template alone with the default options, before splitting, counted as ``--size-limit`` counts it (no white
space; the pseudo parameters at their longest values). Prints how many translate, the median size, and how
many are over IAM's limits: 6,144 characters for a managed policy (split into several then) and 10,240 for all
of a role's inline policies together; then the types without handler data (``<service>:*`` assumed with a
warning, except the few that need nothing): how many, in how many templates and resources, the most frequent.

Usage::

    .venv/bin/python scripts/corpus_policy_sizes.py /work/shared/corpus/sam /work/shared/corpus/sam_no_transform
"""
from __future__ import annotations

import argparse
import statistics
import sys
from collections import Counter
from pathlib import Path

from sam_shift_lint.permissions import Deriver, Options, derive_files
from sam_shift_lint.permissions.policy import MANAGED_POLICY_LIMIT, size, split, statements

INLINE_LIMIT = 10240


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("directories", nargs="+", type=Path)
    args = parser.parse_args(argv)
    files = sorted(p for directory in args.directories for p in directory.rglob("*") if p.is_file())
    if not files:
        raise SystemExit("no files under " + ", ".join(map(str, args.directories)))
    options = Options()
    deriver = Deriver(options)
    sizes: list[int] = []
    refused = split_count = 0
    without_handlers: Counter[str] = Counter()  # type -> resources of it
    templates_with: Counter[str] = Counter()  # type -> templates holding it
    templates_with_any = 0
    for path in files:
        result, errors = derive_files([str(path)], options, deriver)
        if errors:
            refused += 1
            continue
        without_handlers.update(result.without_handlers)
        templates_with.update(result.without_handlers.keys())
        templates_with_any += bool(result.without_handlers)
        granted = statements(result.needs)
        sizes.append(size(granted))
        split_count += len(split(granted, MANAGED_POLICY_LIMIT)) > 1
    print(f"templates: {len(files)}, translated: {len(sizes)}, not usable: {refused}")
    if sizes:
        print(f"median: {statistics.median(sizes):,.0f} characters; over {MANAGED_POLICY_LIMIT:,}: {sum(s > MANAGED_POLICY_LIMIT for s in sizes)} "
              f"(split: {split_count}); over {INLINE_LIMIT:,}: {sum(s > INLINE_LIMIT for s in sizes)}")
    print(f"types without handler data: {len(without_handlers)} ({sum(without_handlers.values())} resources in "
          f"{templates_with_any} templates)")
    for kind, templates in templates_with.most_common(5):
        print(f"  {kind}: {templates} templates, {without_handlers[kind]} resources")
    return 0


if __name__ == "__main__":
    sys.exit(main())
