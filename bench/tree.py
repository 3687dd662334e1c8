#!/usr/bin/env python3
"""Build a large template tree for the ``--jobs`` benchmark: the corpus copied into a directory, copy after
copy (``copy-000/``, ``copy-001/`` ...), until it holds exactly COUNT template files (``*.yaml``, ``*.yml``,
``*.json``, ``*.template``; the corpus's licences, README and manifest are left out).

    .venv/bin/python bench/tree.py DEST [--count 10000] [--corpus DIR]

The copy order is the sorted order of the corpus files, so the same COUNT always gives the same tree.
Standard library only (``bench/benchmark.py`` imports it).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
DEFAULT_CORPUS = Path(os.environ.get("SAM_SHIFT_LINT_SHARED", Path(__file__).resolve().parent.parent.parent / "shared")) / "corpus"


def corpus_templates(corpus: Path) -> list[Path]:
    """The corpus's template files, relative to it, sorted."""
    found = [
        Path(root, name).relative_to(corpus)
        for root, _dirs, files in os.walk(corpus)
        for name in files
        if name.lower().endswith(TEMPLATE_SUFFIXES)
    ]
    return sorted(found)


def build_tree(corpus: Path, dest: Path, count: int) -> int:
    """Copy ``corpus``'s templates into ``dest`` until it has ``count`` of them; returns the number of copies
    (the last one may be partial). ``dest`` must not exist or be empty."""
    templates = corpus_templates(corpus)
    if not templates:
        raise ValueError(f"no templates in {corpus}")
    if dest.exists() and any(dest.iterdir()):
        raise ValueError(f"{dest} is not empty")
    written = 0
    copy = 0
    while written < count:
        for relative in templates[: count - written]:
            target = dest / f"copy-{copy:03d}" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(corpus / relative, target)
        written += min(len(templates), count - written)
        copy += 1
    return copy


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path, help="the directory to create (must not exist or be empty)")
    parser.add_argument("--count", type=int, default=10_000, help="template files in the tree (default 10000)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help=f"the corpus (default {DEFAULT_CORPUS})")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    try:
        copies = build_tree(args.corpus, args.dest, args.count)
    except (ValueError, OSError) as error:
        sys.exit(f"tree: {error}")
    print(f"{args.dest}: {args.count} template files ({copies} copies of {args.corpus})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
