"""Make fuzz inputs (:class:`~fuzzkit.oracle.Case`): generated templates and policies, hostile documents, and corpus
files mutated by structure, in place or byte by byte, each written in a random style and checked with random
options."""
from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fuzzkit.choose import Chooser
from fuzzkit.emit import dump, random_style
from fuzzkit.generate import hostile_document, policy_document, sam_template
from fuzzkit.mutate import mutate_bytes, mutate_data, mutate_lines, mutate_text_in_place, node_spans
from fuzzkit.oracle import FORMATS, Case

TEMPLATE_NAMES = ("template.yaml", "template.yml", "template.json", "infra/template.yaml", "sam.template")
POLICY_NAMES = ("policy.json", "AppCloudFormationRolePolicy.json", "hook-policy.yaml", "policies/deploy.json", "CodeStarWorkerCloudFormationRolePolicy.yaml")
ALIASES = ("live", "live", "live", "prod", "v2")
TYPES = ("AllAtOnce", "AllAtOnce", "Canary10Percent5Minutes", "CodeDeployDefault.LambdaLinear10PercentEvery1Minute")
PLACEMENTS = ("auto", "auto", "auto", "globals", "function")


@dataclass
class Seed:
    """A corpus file, parsed once: its bytes, text, data and node spans."""

    name: str
    raw: bytes
    text: str
    is_json: bool
    data: Any
    spans: list[tuple[int, int, str]]


def load_seeds(paths: Iterable[Path], root: Path | None = None) -> list[Seed]:
    """The files the tool parses (others are still usable as raw bytes, with an empty data/spans)."""
    from sam_shift_lint.parsing.document import load
    from sam_shift_lint.parsing.errors import DocumentError

    seeds = []
    for path in paths:
        raw = path.read_bytes()
        name = path.relative_to(root).as_posix() if root is not None else path.name
        try:
            document = load(str(path), raw)
        except (DocumentError, ValueError):
            seeds.append(Seed(name, raw, raw.decode("utf-8", "replace"), False, None, []))
            continue
        seeds.append(Seed(name, raw, document.text, document.format == "json", document.data(), node_spans(document.root)))
    return seeds


def corpus_files(corpus: Path, max_bytes: int = 4096) -> list[Path]:
    """Corpus templates and policies no bigger than ``max_bytes`` (small files keep the fuzzer fast)."""
    files = []
    for kind in ("sam", "sam_no_transform", "policies"):
        directory = corpus / kind
        if directory.is_dir():
            files += [p for p in sorted(directory.rglob("*")) if p.is_file() and p.stat().st_size <= max_bytes]
    return files


def _options(choose: Chooser, raw: bytes, name: str, origin: str) -> Case:
    return Case(
        raw=raw,
        name=name,
        unsafe=choose.chance(0.3),
        alias=choose.pick(ALIASES),
        deployment_type=choose.pick(TYPES),
        placement=choose.pick(PLACEMENTS),
        format=choose.pick(FORMATS),
        origin=origin,
    )


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _template_name(choose: Chooser, is_json: bool) -> str:
    name = choose.pick(TEMPLATE_NAMES)
    return os.path.splitext(name)[0] + ".json" if is_json and choose.chance(0.8) else name


def generated_template(choose: Chooser, hostile: float = 1.0, small: bool = False) -> Case:
    data = sam_template(choose, hostile, small)
    style = random_style(choose)
    return _options(choose, _encode(dump(data, style, choose)), _template_name(choose, style.json), "generated-template")


def generated_policy(choose: Chooser) -> Case:
    data = policy_document(choose, ("Fn",))
    name = choose.pick(POLICY_NAMES)
    style = random_style(choose, json_document=name.endswith(".json") and choose.chance(0.9))
    return _options(choose, _encode(dump(data, style, choose)), name, "generated-policy")


def mutated_seed(choose: Chooser, seed: Seed) -> Case:
    """A corpus file mutated: by structure (re-written in a random style), in place, or by lines."""
    kind = choose.int(0, 9)
    if seed.data is not None and kind <= 5:
        data = mutate_data(choose, seed.data)
        style = random_style(choose, json_document=seed.is_json if choose.chance(0.7) else None)
        return _options(choose, _encode(dump(data, style, choose)), _seed_name(seed, style.json), f"mutated:{seed.name}")
    if seed.spans and kind <= 8:
        text = mutate_text_in_place(choose, seed.text, seed.spans, seed.is_json)
        prefix = seed.raw[:3] if seed.raw.startswith(b"\xef\xbb\xbf") else b""
        return _options(choose, prefix + _encode(text), seed.name.rsplit("/", 1)[-1], f"in-place:{seed.name}")
    return _options(choose, _encode(mutate_lines(choose, seed.text)), seed.name.rsplit("/", 1)[-1], f"lines:{seed.name}")


def _seed_name(seed: Seed, is_json: bool) -> str:
    base = seed.name.rsplit("/", 1)[-1]
    stem = os.path.splitext(base)[0]
    return stem + (".json" if is_json else ".yaml")


def make_case(choose: Chooser, seeds: list[Seed]) -> Case:
    """One input from the mix the long run and the tests use."""
    try:
        return _make_case(choose, seeds)
    except RecursionError:  # nesting piled on nesting: too deep for the writer; make a fresh template
        return generated_template(choose, hostile=0.0, small=True)


def _make_case(choose: Chooser, seeds: list[Seed]) -> Case:
    kind = choose.int(0, 99)
    if kind < 44 or not seeds:
        case = generated_template(choose, hostile=choose.pick((0.0, 0.5, 1.0)), small=choose.chance(0.85))
    elif kind < 50:  # policy files cost the most to check (the requirement profiles): fewer of them
        case = generated_policy(choose)
    elif kind < 52:
        case = _options(choose, hostile_document(choose), choose.pick(TEMPLATE_NAMES), "hostile-document")
    else:
        case = mutated_seed(choose, choose.pick(seeds))
    if choose.chance(0.12):
        raw = case.raw
        for _ in range(choose.pick((1, 1, 2))):
            raw = mutate_bytes(choose, raw)
        case = Case(raw, case.name, case.unsafe, case.alias, case.deployment_type, case.placement, case.format, case.origin + "+bytes")
    return case
