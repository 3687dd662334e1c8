"""Corpus files mutated by structure (parsed, changed, re-written in a random YAML or JSON style), in place (one
node's source text replaced, everything else byte-identical), by lines and by bytes, through check, every report
format, ``--fix`` and ``--diff`` in-process. Seeded: the same inputs every run (``RandomChooser("corpus-<chunk>-<i>")``)."""
from __future__ import annotations

from pathlib import Path

import pytest
from fuzzkit.cases import Seed, corpus_files, load_seeds, make_case, mutated_seed
from fuzzkit.choose import RandomChooser
from fuzzkit.mutate import mutate_bytes
from fuzzkit.oracle import Case, Options
from helpers import check_case

CHUNKS = 4
PER_CHUNK = 60
SEED_FILES = 160  # corpus files (of those up to 2,500 bytes) the inputs are made from, spread over the corpus


@pytest.fixture(scope="module")
def seeds(corpus_dir: Path) -> list[Seed]:
    files = corpus_files(corpus_dir, 2500)
    step = max(1, len(files) // SEED_FILES)
    return load_seeds(files[::step], corpus_dir)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-corpus")


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_mutated_corpus_files(chunk: int, seeds: list[Seed], workdir: Path) -> None:
    assert len(seeds) > SEED_FILES // 2, "too few corpus files to mutate"
    for index in range(PER_CHUNK):
        choose = RandomChooser(f"corpus-{chunk}-{index}")
        case = mutated_seed(choose, choose.pick(seeds))
        if choose.chance(0.15):
            case = Case(mutate_bytes(choose, case.raw), case.name, case.unsafe, case.alias, case.deployment_type, case.placement, case.format, case.origin + "+bytes")
        check_case(case, str(workdir), Options(ruamel=index % 10 == 0, render_all=index % 5 == 0, cli=index % 20 == 0))


def test_the_long_run_mix(seeds: list[Seed], workdir: Path) -> None:
    """The inputs ``scripts/fuzz.py`` makes (generated templates and policies, mutated corpus files, byte damage)."""
    for index in range(PER_CHUNK):
        case = make_case(RandomChooser(f"mix-{index}"), seeds)
        check_case(case, str(workdir), Options(ruamel=index % 10 == 0, cli=index % 10 == 0))
