"""``--fix`` over every parseable template of the shared corpus (copied to a temporary directory).

One run of the real CLI fixes ``sam/`` and ``sam_no_transform/``; then, per file:

1. the fixed file parses;
2. its data equals the original data plus exactly the intended additions (checked independently of
   the fixer: every structural difference must be one of the documented fixes);
3. a second ``--fix`` changes nothing (bytes and mtime);
4. no W9101, W9102 or E9103 remains;
5. every line the fix did not edit is byte-identical (original lines appear in order; changed lines
   only gain text, or had a fixed Type/alias value replaced), with BOM, line endings and the final
   newline kept;
6. the SAM translator (offline; local CodeUri etc. replaced by s3:// URIs as cfn-lint did) accepts the
   fixed template whenever it accepted the original, and produces an AWS::Lambda::Alias and an
   AWS::CodeDeploy::DeploymentGroup for every non-hook function the fix touched.

Also: ``--diff`` of the pristine corpus (one run), applied with ``git apply`` to another pristine copy,
gives exactly the bytes ``--fix`` wrote. The counts are printed (run with ``-s``) and are part of the
assertion message.
"""
from __future__ import annotations

import copy
import difflib
import json
import logging
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from sam_shift_lint.checks.registry import rule_ids
from sam_shift_lint.engine import check_document
from sam_shift_lint.model import deployment_types
from sam_shift_lint.model.alias import alias_is_missing
from sam_shift_lint.model.preference import preference_state
from sam_shift_lint.model.sam import SamTemplate
from sam_shift_lint.parsing.document import Document, load
from sam_shift_lint.parsing.errors import DocumentError

KINDS = ("sam", "sam_no_transform")
TOUCHING_RULES = {"W9101", "W9102", "E9103"}
ALIAS = "live"
ADDED_PREFERENCE = {"Enabled": True, "Type": "AllAtOnce"}
HOOK_PREFERENCE = {"Enabled": False}
# The fixes this test is about (the deployment rules); fixes of other rule families are checked elsewhere.
SELECT = ("--select", ",".join(rule_ids("deployment")))


# ---------------------------------------------------------------------------------------- the run


class CorpusRun:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.before: dict[str, bytes] = {}
        self.after: dict[str, bytes] = {}
        self.documents: dict[str, Document] = {}  # parseable originals
        self.unparsable: dict[str, str] = {}
        self.first: subprocess.CompletedProcess | None = None
        self.second: subprocess.CompletedProcess | None = None
        self.second_changed: list[str] = []
        self.diff: subprocess.CompletedProcess | None = None
        self.git_apply: subprocess.CompletedProcess | None = None
        self.diff_mismatch: list[str] = []
        self.original_findings: dict[str, list[tuple[str, str | None]]] = {}
        self.seconds: dict[str, float] = {}
        self.executable: Path | None = None

    def cli(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        assert self.executable is not None
        return subprocess.run(
            [str(self.executable), *SELECT, *args], cwd=cwd or self.root, capture_output=True, timeout=900
        )


# The corpus is fixed in CHUNKS parametrized chunks (conftest.py's corpus_partition) that xdist workers share;
# each chunk is copied (relative paths kept) and fixed as directories, like the whole corpus.
CHUNKS = 4


def copy_chunk(files: tuple[Path, ...], corpus_dir: Path, root: Path) -> None:
    for kind in KINDS:
        (root / kind).mkdir(parents=True)
    for source in files:  # copyfile: the corpus is read-only, the copies must not be
        target = root / source.relative_to(corpus_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)


@pytest.fixture
def corpus_run(chunk: int, tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path, bin_path, corpus_partition) -> CorpusRun:  # type: ignore[no-untyped-def]
    files = corpus_partition(KINDS, CHUNKS)[chunk]
    assert files, f"chunk {chunk + 1} of {CHUNKS} is empty"
    root = tmp_path_factory.mktemp("corpus")
    copy_chunk(files, corpus_dir, root)
    run = CorpusRun(root)
    run.executable = bin_path("sam-shift-lint")
    for path in sorted(p for kind in KINDS for p in (root / kind).rglob("*") if p.is_file()):
        relative = path.relative_to(root).as_posix()
        raw = path.read_bytes()
        if b"AWS::Serverless" not in raw:
            continue
        run.before[relative] = raw
        try:
            run.documents[relative] = load(relative, raw)
        except DocumentError as error:
            run.unparsable[relative] = str(error)

    for relative, document in run.documents.items():
        run.original_findings[relative] = [(f.rule, f.resource) for f in check_document(document)]

    started = time.monotonic()
    run.diff = run.cli("--diff", *KINDS)
    run.seconds["diff"] = time.monotonic() - started

    started = time.monotonic()
    run.first = run.cli("--fix", *KINDS)
    run.seconds["fix"] = time.monotonic() - started
    for relative in run.before:
        run.after[relative] = (root / relative).read_bytes()

    past = time.time() - 3600
    for relative in run.before:
        os.utime(root / relative, (past, past))
    stamps = {relative: os.stat(root / relative).st_mtime_ns for relative in run.before}
    started = time.monotonic()
    run.second = run.cli("--fix", *KINDS)
    run.seconds["second fix"] = time.monotonic() - started
    for relative in run.before:
        if (root / relative).read_bytes() != run.after[relative] or os.stat(root / relative).st_mtime_ns != stamps[relative]:
            run.second_changed.append(relative)

    # the --diff of the pristine corpus, applied with git apply to another pristine copy, gives --fix's bytes
    applied = tmp_path_factory.mktemp("applied")
    copy_chunk(files, corpus_dir, applied)
    patch = applied / "fix.diff"
    patch.write_bytes(run.diff.stdout)
    run.git_apply = subprocess.run(["git", "apply", "--whitespace=nowarn", str(patch)], cwd=applied, capture_output=True)
    for relative in run.before:
        if (applied / relative).read_bytes() != run.after[relative]:
            run.diff_mismatch.append(relative)
    return run


# ---------------------------------------------------------------------------------------- (2) data


def structural_differences(old: Any, new: Any, path: tuple[Any, ...] = ()) -> list[tuple[str, tuple[Any, ...], Any, Any]]:
    """(kind, path, old, new) for every place ``new`` differs from ``old``: added/removed keys, changed values."""
    if isinstance(old, dict) and isinstance(new, dict):
        found = []
        for key in old:
            if key not in new:
                found.append(("removed", path + (key,), old[key], None))
            else:
                found.extend(structural_differences(old[key], new[key], path + (key,)))
        found.extend(("added", path + (key,), None, new[key]) for key in new if key not in old)
        if [k for k in old if k in new] != [k for k in new if k in old]:
            found.append(("reordered", path, list(old), list(new)))
        return found
    if type(old) is not type(new) or old != new:
        return [("changed", path, old, new)]
    return []


def _allowed_properties(value: Any, hook: bool) -> bool:
    """A mapping of added function properties the fixer may write."""
    if not isinstance(value, dict) or not value:
        return False
    for key, item in value.items():
        if key == "AutoPublishAlias" and item == ALIAS and not hook:
            continue
        if key == "DeploymentPreference" and item == (HOOK_PREFERENCE if hook else ADDED_PREFERENCE):
            continue
        if key == "AutoPublishAlias" and item == ALIAS and hook:  # a global alias is harmless on hooks
            continue
        return False
    return True


def unintended_changes(document: Document, new_data: Any) -> list[str]:
    """The differences between the original and fixed data that no fix intends."""
    template = SamTemplate(document)
    hooks = template.hook_functions
    functions = template.functions
    problems = []
    for kind, path, old, new in structural_differences(document.data(), new_data):
        ok = False
        if kind == "added":
            if path == ("Globals",):
                ok = isinstance(new, dict) and list(new) == ["Function"] and _allowed_properties(new["Function"], False)
            elif path == ("Globals", "Function"):
                ok = _allowed_properties(new, False)
            elif path[:2] == ("Globals", "Function") and len(path) == 3:
                ok = _allowed_properties({path[2]: new}, False)
            elif len(path) >= 3 and path[0] == "Resources" and path[1] in functions:
                hook = path[1] in hooks
                if path[2:] == ("Properties",):
                    ok = _allowed_properties(new, hook)
                elif path[2] == "Properties" and len(path) == 4:
                    ok = _allowed_properties({path[3]: new}, hook)
                elif path[2:] == ("Properties", "DeploymentPreference", "Enabled"):
                    ok = hook and new is False
        if _alias_reference_change(kind, path, old, new, new_data, functions) or _alarm_name_change(kind, path, old, new):
            ok = True
        elif kind == "changed":
            if path[-1:] == ("AutoPublishAlias",):
                ok = old in ("",) and new == ALIAS
            elif path[-2:] == ("DeploymentPreference", "Type"):
                ok = (
                    isinstance(old, str)
                    and new == deployment_types.case_match(old)
                    and old != new
                )
        if not ok:
            problems.append(f"{kind} {'.'.join(map(str, path))}: {old!r} -> {new!r}")
    return problems


def _alarm_name_change(kind: str, path: tuple[Any, ...], old: Any, new: Any) -> bool:
    """E9118's safe fixes on an alarm resource: ``MetricName: Error``/``Error Count`` -> ``Errors``, and a
    ``FunctionName`` dimension ``!GetAtt Fn.Arn`` -> ``!Ref Fn``."""
    if kind != "changed" or len(path) != 4 or path[0] != "Resources" or path[2] != "Properties":
        return False
    if path[3] == "MetricName":
        return isinstance(old, str) and old.replace(" ", "").lower() in ("error", "errorcount", "errors") and new == "Errors" != old
    if path[3] == "Dimensions" and isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        def same_or_fixed(before: Any, after: Any) -> bool:
            if before == after:
                return True
            value = before.get("Value") if isinstance(before, dict) else None
            getatt = value.get("Fn::GetAtt") if isinstance(value, dict) else None
            return (
                isinstance(getatt, list) and len(getatt) == 2 and getatt[1] == "Arn" and before.get("Name") == "FunctionName"
                and after == {**before, "Value": {"Ref": getatt[0]}}
            )
        return old != new and all(same_or_fixed(b, a) for b, a in zip(old, new))
    return False


def _alias_reference_change(kind: str, path: tuple[Any, ...], old: Any, new: Any, new_data: Any, functions: Any) -> bool:
    """An alias ARN written as a string replaced by ``!Ref Fn.Alias`` (a whole Sub/Join) or ``${Fn.Alias}``
    (inside a longer Sub text)."""
    from sam_shift_lint.model.alias_arn import arn_patterns

    arn_suffix, function_arn = arn_patterns()

    def alias_ref(value: Any) -> bool:
        return isinstance(value, dict) and list(value) == ["Ref"] and str(value["Ref"]).removesuffix(".Alias") in functions

    if kind == "removed" and path[-1:] in (("Fn::Sub",), ("Fn::Join",)):
        node = new_data
        for part in path[:-1]:
            node = node[part]
        return alias_ref(node)
    if kind == "added" and path[-1:] == ("Ref",):
        return alias_ref({"Ref": new}) and str(new).endswith(".Alias")
    if kind == "changed" and "Fn::Sub" in path[-2:] and isinstance(old, str) and isinstance(new, str):
        to_alias = [arn_suffix.sub(lambda m: "${" + m.group(1) + ".Alias}", old)]
        to_alias.append(function_arn.sub(lambda m: "${" + m.group(4) + ".Alias}", old))
        return new in to_alias and new != old
    return False


# ---------------------------------------------------------------------------------------- (5) lines


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True)


def _body(line: bytes) -> bytes:
    return line.rstrip(b"\r\n")


def _gained_text_only(old: bytes, new: bytes) -> bool:
    """``new`` is ``old`` with text inserted at one place (a flow-map entry, a JSON comma)."""
    if _ending(old) != _ending(new) and _ending(old) != b"":
        return False
    old_body, new_body = _body(old), _body(new)
    if len(new_body) <= len(old_body):
        return False
    prefix = 0
    while prefix < len(old_body) and old_body[prefix] == new_body[prefix]:
        prefix += 1
    suffix_length = len(old_body) - prefix
    if suffix_length and new_body[len(new_body) - suffix_length:] != old_body[prefix:]:
        return False
    gained = new_body[prefix:len(new_body) - suffix_length]
    # a JSON comma before the next member, or entries the fixes add (in a flow map or inline JSON object)
    return gained.strip() == b"," or bool(re.search(rb"AutoPublishAlias|DeploymentPreference|Globals", gained))


def _value_replaced(old: bytes, new: bytes) -> bool:
    """A line whose Type, AutoPublishAlias or MetricName value was replaced (the rest of the line kept), or an
    ``Fn::GetAtt X.Arn`` turned into ``Ref X`` (E9118)."""
    if _getatt_to_ref(old, new):
        return True
    match_old = re.match(rb'^(\s*["\']?(Type|AutoPublishAlias|MetricName)["\']?\s*:\s*)(.*?)(\s*,?\s*(#.*)?)$', _body(old))
    match_new = re.match(rb'^(\s*["\']?(Type|AutoPublishAlias|MetricName)["\']?\s*:\s*)(.*?)(\s*,?\s*(#.*)?)$', _body(new))
    if not (match_old and match_new):
        # flow mappings: {Type: x} on one line; allow one token to differ
        matcher = difflib.SequenceMatcher(None, _body(old), _body(new), autojunk=False)
        changes = [op for op in matcher.get_opcodes() if op[0] != "equal"]
        return len(changes) == 1 and (b"Type" in old or b"AutoPublishAlias" in old) and _ending(old) == _ending(new)
    return match_old.group(1) == match_new.group(1) and match_old.group(4) == match_new.group(4) and _ending(old) == _ending(new)


def _getatt_to_ref(old: bytes, new: bytes) -> bool:
    """``Fn::GetAtt: [X, Arn]`` / ``!GetAtt X.Arn`` replaced by ``Ref: X`` / ``!Ref X`` on the same line."""
    getatt = re.match(rb"^(\s*(?:-\s*)?(?:Value:\s*)?)(?:Fn::GetAtt:\s*\[\s*(\w+)\s*,\s*Arn\s*\]|!GetAtt\s+(\w+)\.Arn)\s*$", _body(old))
    if getatt is None or _ending(old) != _ending(new):
        return False
    name = getatt.group(2) or getatt.group(3)
    return _body(new) in (getatt.group(1) + b"Ref: " + name, getatt.group(1) + b"!Ref " + name)


def _ending(line: bytes) -> bytes:
    if line.endswith(b"\r\n"):
        return b"\r\n"
    if line.endswith(b"\n"):
        return b"\n"
    return b""


def line_problems(before: bytes, after: bytes) -> list[str]:
    problems = []
    bom = b"\xef\xbb\xbf"
    if before.startswith(bom) != after.startswith(bom):
        problems.append("BOM changed")
    if before.endswith(b"\n") != after.endswith(b"\n"):
        problems.append("final newline changed")
    old_lines, new_lines = _lines(before), _lines(after)
    crlf = before.count(b"\r\n")
    lf_only = before.count(b"\n") - crlf
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag == "delete":
            problems.append(f"lines {i1 + 1}-{i2} deleted")
            continue
        added = new_lines[j1:j2]
        if tag == "replace" and any(b".Alias" in line for line in added) and any(
            re.search(rb"Sub|Join", line) for line in old_lines[i1:i2]
        ):
            continue  # an alias ARN string (Sub or Join, on one or several lines) replaced by a reference
        if tag == "replace":
            # every old line must reappear, in order, as itself, with text gained, or with a fixed value
            position = 0
            for old in old_lines[i1:i2]:
                for index in range(position, len(added)):
                    new = added[index]
                    if new == old or _gained_text_only(old, new) or _value_replaced(old, new):
                        position = index + 1
                        break
                else:
                    problems.append(f"line {i1 + 1} changed: {old!r}")
                    break
        for new in added:
            # new lines end like the file's lines (the last line of a file without a final newline aside)
            ending = _ending(new)
            if ending == b"\r\n" and lf_only and not crlf:
                problems.append(f"CRLF line added to an LF file: {new!r}")
            if ending == b"\n" and crlf and not lf_only:
                problems.append(f"LF line added to a CRLF file: {new!r}")
    return problems


# ---------------------------------------------------------------------------------------- (6) translator

S3_URI = "s3://bucket/value"


def _to_s3(properties: dict, key: str) -> None:
    """A local path (or a ``Ref``/``Fn::Sub`` standing for one) becomes a fake S3 URI; S3 URIs and
    ``{Bucket, Key}`` maps stay."""
    value = properties.get(key, ".")
    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)) in ("Ref", "Fn::Sub"):
            properties[key] = S3_URI
        return
    if isinstance(value, str) and value.startswith("s3://"):
        return
    properties[key] = S3_URI


def prepare_for_translator(data: Any) -> tuple[Any, dict[str, Any]]:
    """Offline inputs for the translator, after cfn-lint's ``_replace_local_codeuri``: local CodeUri,
    ContentUri and DefinitionUri become ``s3://`` URIs, an intrinsic AutoPublishCodeSha256 a fake hash, an
    Application's Location an S3 URI (no Serverless Application Repository call), and a parameter used as
    AutoPublishAlias gets a value. Unlike cfn-lint, an inline DefinitionBody is kept (cfn-lint blanked it,
    which makes the translator reject every Api with Auth, Cors, Models or GatewayResponses)."""
    template = copy.deepcopy(data)
    parameters: dict[str, Any] = {}
    if not isinstance(template, dict) or not isinstance(template.get("Resources"), dict):
        return template, parameters
    declared = template.get("Parameters") if isinstance(template.get("Parameters"), dict) else {}
    template_globals = template.get("Globals") if isinstance(template.get("Globals"), dict) else {}
    globals_function = template_globals.get("Function") if isinstance(template_globals.get("Function"), dict) else {}

    def alias_parameter(value: Any) -> None:
        if isinstance(value, dict) and len(value) == 1 and "Ref" in value and value["Ref"] in declared:
            parameters[value["Ref"]] = "Alias"

    alias_parameter(globals_function.get("AutoPublishAlias"))
    if "CodeUri" in globals_function:
        _to_s3(globals_function, "CodeUri")
    for section in ("Api", "HttpApi"):
        if isinstance(template_globals.get(section), dict) and "DefinitionUri" in template_globals[section]:
            _to_s3(template_globals[section], "DefinitionUri")
    for resource in template["Resources"].values():
        if not isinstance(resource, dict):
            continue
        kind = resource.get("Type")
        properties = resource.get("Properties")
        if not isinstance(properties, dict):
            continue
        if kind == "AWS::Serverless::Function":
            if properties.get("PackageType") == "Image":
                _to_s3(properties, "ImageUri")
            elif "InlineCode" not in properties and ("CodeUri" in properties or "CodeUri" not in globals_function):
                _to_s3(properties, "CodeUri")
            alias_parameter(properties.get("AutoPublishAlias"))
            if isinstance(properties.get("AutoPublishCodeSha256"), dict):
                properties["AutoPublishCodeSha256"] = "fakesha"
        elif kind == "AWS::Serverless::LayerVersion" and properties.get("ContentUri"):
            _to_s3(properties, "ContentUri")
        elif kind == "AWS::Serverless::Application" and isinstance(properties.get("Location"), dict):
            properties["Location"] = ""
            _to_s3(properties, "Location")
        elif kind in ("AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::Serverless::StateMachine"):
            if properties.get("DefinitionUri"):
                _to_s3(properties, "DefinitionUri")
    return template, parameters


def _plain_json(value: Any) -> bool:
    """``value`` is exactly what JSON writes back (str keys, no tuples, no NaN), so its JSON text identifies it."""
    if isinstance(value, dict):
        return all(isinstance(key, str) and _plain_json(item) for key, item in value.items())
    if isinstance(value, list):
        return all(_plain_json(item) for item in value)
    if isinstance(value, float):
        return value == value and value not in (float("inf"), float("-inf"))
    return value is None or isinstance(value, (str, int, bool))


def translate(translator: Any, data: Any, cache: Any = None) -> tuple[dict | None, str | None]:
    """(output, None) when the translator (conftest.py's ``sam_translator``) accepts ``data``, else (None,
    reason). The output keeps what the checks below read: each resource's ``Type`` by logical id.

    ``cache`` (conftest.py's ``oracle_cache``): the answer is looked up by the exact translator input (the
    prepared template and parameters, in order) and the installed distributions (aws-sam-translator ...);
    an input that is not plain JSON data is always translated."""
    template, parameters = prepare_for_translator(data)
    key = None
    if cache is not None:
        material = None
        if _plain_json(template) and _plain_json(parameters):
            material = json.dumps([template, parameters, TRANSLATOR_SETUP], allow_nan=False)
        if material is not None:
            key = cache.key("sam translator", material, our_code=False)
            cached = cache.get(key)
            if cached is not None:
                return cached[0], cached[1]
    try:
        output = translator.transform(template, parameters=parameters)
        answer: tuple[dict | None, str | None] = (
            {"Resources": {name: {"Type": resource.get("Type")} for name, resource in output.get("Resources", {}).items()}},
            None,
        )
    except Exception as error:
        answer = (None, f"{type(error).__name__}: {str(error)[:300]}")
    if key is not None:
        cache.put(key, list(answer))
    return answer


def expected_resources(document: Document, touched: set) -> tuple[dict[str, tuple[bool, bool]], list[str]]:
    """For each touched non-hook function of the fixed template: (expect alias, expect group); and why
    any was left out."""
    template = SamTemplate(document)
    expected: dict[str, tuple[bool, bool]] = {}
    excluded = []
    for name in sorted(touched):
        function = template.functions.get(name)
        if function is None or name in template.hook_functions:
            continue
        alias = not alias_is_missing(function)
        state = preference_state(template, function)
        group = state.present and state.is_map and state.maybe_enabled and not state.maybe_disabled
        if state.present and not (state.maybe_enabled and not state.maybe_disabled):
            excluded.append(f"{name}: DeploymentPreference may be disabled (no group expected)")
        expected[name] = (alias, group)
    return expected, excluded


# ---------------------------------------------------------------------------------------- the test


class _Session:
    """What the translator asks boto3 for: the region (from AWS_DEFAULT_REGION, as boto3 would)."""

    region_name = "us-east-1"


# Part of the translator cache key: how fast_translator sets the translator up (change it with the fixture).
TRANSLATOR_SETUP = {"region": _Session.region_name, "managed_policies": {}, "logger": "CRITICAL"}


@pytest.fixture
def fast_translator(monkeypatch: pytest.MonkeyPatch) -> None:
    """Skip two constant costs of every ``transform`` call (85% of its time) that do not depend on the
    template: re-validating the bundled policy-templates JSON against its schema (validated once, here)
    and building a boto3 session just to read the region."""
    from samtranslator.policy_template_processor.processor import PolicyTemplatesProcessor
    from samtranslator.sdk.parameter import SamParameterValues

    PolicyTemplatesProcessor._is_valid_templates_dict(PolicyTemplatesProcessor.get_default_policy_templates_json())
    monkeypatch.setattr(PolicyTemplatesProcessor, "_is_valid_templates_dict", staticmethod(lambda *args, **kwargs: True))
    original = SamParameterValues.add_pseudo_parameter_values
    monkeypatch.setattr(
        SamParameterValues, "add_pseudo_parameter_values", lambda self, session=None: original(self, session or _Session())
    )
    logging.getLogger("samtranslator").setLevel(logging.CRITICAL)


def test_fix_chunks_cover_the_corpus(corpus_dir: Path, corpus_partition, partition_check) -> None:  # type: ignore[no-untyped-def]
    """The union of the chunks below is every file of the corpus directories, each file in one chunk."""
    partition_check(corpus_partition(KINDS, CHUNKS), [p for kind in KINDS for p in (corpus_dir / kind).rglob("*") if p.is_file()])


@pytest.mark.slow
@pytest.mark.parametrize("chunk", range(CHUNKS), ids=lambda index: f"chunk{index + 1}of{CHUNKS}")
def test_fix_corpus(chunk: int, corpus_run: CorpusRun, fast_translator: None, sam_translator, corpus_partition, oracle_cache) -> None:  # type: ignore[no-untyped-def]
    run = corpus_run
    # every SAM template of the corpus, for this chunk's share of the thresholds at the end
    corpus_templates = sum(1 for part in corpus_partition(KINDS, CHUNKS) for p in part if b"AWS::Serverless" in p.read_bytes())
    assert run.first is not None and run.second is not None
    errors = run.first.stderr.decode()
    assert "internal error" not in errors, errors
    reported = {line.split(": error: ")[0] for line in errors.splitlines() if ": error: " in line}
    assert reported == set(run.unparsable), (reported ^ set(run.unparsable))
    assert "internal error" not in run.second.stderr.decode()
    assert run.diff is not None and run.git_apply is not None
    # 2: unparsable files (the whole corpus has some; a chunk may not), else 1 when there are changes
    diff_exit = 2 if run.unparsable else 1 if any(run.before[r] != run.after[r] for r in run.before) else 0
    assert run.diff.returncode == diff_exit and "internal error" not in run.diff.stderr.decode()
    assert run.git_apply.returncode == 0, run.git_apply.stderr.decode()[:2000]
    assert not run.diff_mismatch, f"git apply of --diff differs from --fix: {run.diff_mismatch[:10]}"

    failures: dict[str, list[str]] = {}
    counts = dict.fromkeys(
        [
            "templates", "parseable", "unparsable", "fixed", "unchanged",
            "(1) parse after", "(2) data ok", "(3) stable", "(4) clean", "(5) lines ok",
            "(6) unchanged, not translated", "(6) accepted before (fixed files)", "(6) accepted after", "(6) accepted before, rejected after",
            "(6) rejected before, accepted after", "(6) functions checked", "(6) alias+group verified",
            "(6) alias only (disabled preference)",
        ],
        0,
    )
    counts["templates"] = len(run.before)
    counts["unparsable"] = len(run.unparsable)
    translator_seconds = 0.0
    exclusions: list[str] = []

    for relative, document in run.documents.items():
        counts["parseable"] += 1
        before, after = run.before[relative], run.after[relative]
        problems: list[str] = []
        changed = before != after
        counts["fixed" if changed else "unchanged"] += 1
        # (1)
        try:
            fixed = load(relative, after)
            counts["(1) parse after"] += 1
        except DocumentError as error:
            failures[relative] = [f"(1) does not parse after --fix: {error}"]
            continue
        # (2)
        unintended = unintended_changes(document, fixed.data())
        if unintended:
            problems += [f"(2) {p}" for p in unintended]
        else:
            counts["(2) data ok"] += 1
        # (3)
        if relative in run.second_changed:
            problems.append("(3) a second --fix changed the file")
        else:
            counts["(3) stable"] += 1
        # (4)
        remaining = [f"{f.rule} {f.message}" for f in check_document(fixed) if f.rule in TOUCHING_RULES]
        if remaining:
            problems += [f"(4) remains: {m}" for m in remaining]
        else:
            counts["(4) clean"] += 1
        # (5)
        lines = line_problems(before, after)
        if lines:
            problems += [f"(5) {p}" for p in lines]
        else:
            counts["(5) lines ok"] += 1
        # (6)
        if not changed:  # nothing to compare: the translator sees the same template
            counts["(6) unchanged, not translated"] += 1
            if problems:
                failures[relative] = problems
            continue
        started = time.monotonic()
        output_before, _ = translate(sam_translator, document.data(), oracle_cache)
        output_after, reason = translate(sam_translator, fixed.data(), oracle_cache)
        translator_seconds += time.monotonic() - started
        counts["(6) accepted before (fixed files)"] += output_before is not None
        counts["(6) accepted after"] += output_after is not None
        if output_before is not None and output_after is None:
            counts["(6) accepted before, rejected after"] += 1
            problems.append(f"(6) translator accepted the original but rejects the fix: {reason}")
        if output_before is None and output_after is not None:
            counts["(6) rejected before, accepted after"] += 1
        touched = {resource for rule, resource in run.original_findings[relative] if rule in TOUCHING_RULES}
        if output_after is not None and changed and touched:
            expected, excluded = expected_resources(fixed, touched)
            exclusions += [f"{relative}: {e}" for e in excluded]
            resources = output_after.get("Resources", {})
            template = SamTemplate(fixed)
            for name, (want_alias, want_group) in expected.items():
                if resources.get(name, {}).get("Type") != "AWS::Lambda::Function":
                    # the translator replaced the function with a generated resource of the same logical id
                    # (a function named ServerlessRestApi collides with the implicit API)
                    exclusions.append(f"{relative}: {name}: the translation has no function {name} "
                                      f"(replaced by a {resources.get(name, {}).get('Type')})")
                    continue
                counts["(6) functions checked"] += 1
                alias_ok = not want_alias or any(
                    key.startswith(f"{name}Alias") and value.get("Type") == "AWS::Lambda::Alias"
                    for key, value in resources.items()
                )
                group = resources.get(f"{name}DeploymentGroup", {})
                group_ok = not want_group or group.get("Type") == "AWS::CodeDeploy::DeploymentGroup"
                if not (want_alias and alias_ok):
                    problems.append(f"(6) {name}: no AWS::Lambda::Alias in the translation")
                elif not group_ok:
                    problems.append(f"(6) {name}: no AWS::CodeDeploy::DeploymentGroup in the translation")
                elif want_group:
                    counts["(6) alias+group verified"] += 1
                else:
                    counts["(6) alias only (disabled preference)"] += 1
            for hook in template.hook_functions:
                if f"{hook}DeploymentGroup" in resources and f"{hook}DeploymentGroup" not in (output_before or {}).get("Resources", {}):
                    problems.append(f"(6) hook {hook} became traffic-shifted")
        if problems:
            failures[relative] = problems

    timing = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in run.seconds.items())
    summary = "\n".join(f"  {name}: {value}" for name, value in counts.items())
    print(f"\ncorpus --fix, chunk {chunk + 1}/{CHUNKS}: {timing}, translator {translator_seconds:.1f}s\n{summary}")
    if exclusions:
        print(f"  (6) exclusions ({len(exclusions)}):")
        for line in exclusions[:20]:
            print(f"    {line}")
    detail = "\n".join(f"{file}:\n    " + "\n    ".join(items[:8]) for file, items in list(failures.items())[:30])
    assert not failures, f"{len(failures)} files failed\n{summary}\n{detail}"
    # The whole corpus: more than 1000 of each. Each chunk its share (so the chunks together: more than 1000).
    share = 1000 * len(run.before) / corpus_templates
    assert counts["fixed"] > share and counts["(6) alias+group verified"] > share, f"{summary}\n  share of 1000: {share:.1f}"


# ---------------------------------------------------------------------------------------- the checks themselves

SMALL = b"""\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
"""
SMALL_FIXED = SMALL.replace(
    b"Resources:\n",
    b"Globals:\n  Function:\n    AutoPublishAlias: live\n    DeploymentPreference:\n      Enabled: true\n"
    b"      Type: AllAtOnce\nResources:\n",
)


def test_the_corpus_checks_catch_what_they_should(fast_translator: None, sam_translator) -> None:  # type: ignore[no-untyped-def]
    """The per-file checks above are not vacuous: each rejects a plausible wrong fix."""
    original = load("t.yaml", SMALL)
    assert unintended_changes(original, load("t.yaml", SMALL_FIXED).data()) == []
    assert unintended_changes(original, load("t.yaml", SMALL_FIXED.replace(b"live", b"prod")).data())
    assert unintended_changes(original, load("t.yaml", SMALL_FIXED.replace(b"Enabled: true", b"Enabled: 'true'")).data())
    assert unintended_changes(original, load("t.yaml", SMALL_FIXED.replace(b"CodeUri: src/", b"CodeUri: src")).data())
    assert unintended_changes(original, load("t.yaml", SMALL_FIXED + b"      Timeout: 3\n").data())

    assert line_problems(SMALL, SMALL_FIXED) == []
    assert line_problems(SMALL, SMALL_FIXED.replace(b"Runtime: python3.12", b"Runtime:  python3.12"))
    assert line_problems(SMALL, SMALL_FIXED[:-1])  # final newline lost
    assert line_problems(b"\xef\xbb\xbf" + SMALL, SMALL_FIXED)  # BOM lost
    crlf = SMALL.replace(b"\n", b"\r\n")
    assert line_problems(crlf, SMALL_FIXED.replace(b"\n", b"\r\n")) == []
    assert line_problems(crlf, crlf.replace(b"Resources:\r\n", b"Globals:\n  Function: {}\nResources:\r\n"))
    assert line_problems(b'{"a": 1}\n', b'{"a": 1, "Globals": {}}\n') == []
    assert line_problems(b'{"a": 1}\n', b'{"a": 2, "Globals": {}}\n')
    assert line_problems(b"  Type: allatonce\n", b"  Type: AllAtOnce\n") == []
    assert line_problems(b"  Handler: app\n", b"  Handler: App\n")

    accepted, _ = translate(sam_translator, load("t.yaml", SMALL_FIXED).data())
    assert accepted is not None
    assert any(k.startswith("FnAlias") for k in accepted["Resources"]) and "FnDeploymentGroup" in accepted["Resources"]
    rejected, reason = translate(sam_translator, load("t.yaml", SMALL_FIXED.replace(b"    AutoPublishAlias: live\n", b"")).data())
    assert rejected is None and "AutoPublishAlias" in (reason or "")
