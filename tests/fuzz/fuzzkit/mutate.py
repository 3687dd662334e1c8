"""Mutations of parsed data (structure-aware), of a file's text in place (keeping its formatting, comments and
line endings) and of its bytes."""
from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from fuzzkit.choose import Chooser
from fuzzkit.emit import Raw, yaml_double_quoted
from fuzzkit.generate import (
    ALIASES,
    DEPLOYMENT_TYPES,
    ODD_DEPLOYMENT_TYPES,
    ODD_HOOK_KEYS,
    ODD_PREFERENCE_KEYS,
    WIDE_CHARS,
    Names,
    deep,
    deployment_preference,
    intrinsic,
    odd_scalar,
    odd_value,
    policy_document,
    stars,
)
from fuzzkit.oracle import plain_copy

Path = tuple[Any, ...]
# Keys whose value has a shape the rules depend on: wrong types there reach the most code.
TARGET_KEYS = (
    "Properties", "DeploymentPreference", "AutoPublishAlias", "Hooks", "Alarms", "Policies", "Globals", "Function", "Type",
    "Enabled", "PreTraffic", "PostTraffic", "Resources", "Statement", "Action", "Resource", "Effect", "Role", "Condition",
    "PassthroughCondition", "CodeUri", "ProvisionedConcurrencyConfig", "AssumeRolePolicyDocument", "PolicyDocument", "Metadata",
)
WRONG_TYPES: tuple[Any, ...] = (None, "", "x", 0, 1, True, [], {}, ["a"], {"a": 1}, [[]], [{}], Raw("~"), Raw(".nan"), Raw("!!bool maybe"))


def containers(data: Any, path: Path = ()) -> list[tuple[Path, Any]]:
    """Every mapping and list with its path (the root included)."""
    found: list[tuple[Path, Any]] = []
    stack: list[tuple[Path, Any]] = [(path, data)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, dict):
            found.append((here, node))
            stack.extend((here + (k,), v) for k, v in node.items())
        elif isinstance(node, list):
            found.append((here, node))
            stack.extend((here + (i,), v) for i, v in enumerate(node))
    return found


def slots(data: Any) -> list[tuple[Any, Any]]:
    """Every (container, key) holding a value."""
    result: list[tuple[Any, Any]] = []
    for _, node in containers(data):
        keys = list(node) if isinstance(node, dict) else range(len(node))
        result.extend((node, key) for key in keys)
    return result


def _set(choose: Chooser, data: Any, make: Callable[[Chooser, Any], Any], targeted: bool = False) -> Any:
    """Replace one value (chosen at random, or among the target keys) with ``make(choose, old)``."""
    candidates = slots(data)
    if targeted:
        candidates = [(c, k) for c, k in candidates if isinstance(c, dict) and k in TARGET_KEYS] or candidates
    if not candidates:
        return make(choose, data)
    container, key = choose.pick(candidates)
    container[key] = make(choose, container[key])
    return data


def _names(data: Any) -> tuple[str, ...]:
    resources = data.get("Resources") if isinstance(data, dict) else None
    names = tuple(k for k in resources if isinstance(k, str)) if isinstance(resources, dict) else ()
    return names or ("Fn",)


def mutate_data(choose: Chooser, data: Any, rounds: int | None = None) -> Any:
    """Apply one to four structure-aware mutations to a deep copy of ``data`` (parsed data: dicts, lists and
    scalars, no value shared by two places)."""
    data = plain_copy(data)
    for _ in range(rounds if rounds is not None else choose.pick((1, 1, 1, 2, 2, 3, 4))):
        data = _mutate_once(choose, data)
    return data


def _mutate_once(choose: Chooser, data: Any) -> Any:
    names = _names(data)
    kind = choose.int(0, 15)
    if kind == 0:  # delete a key or an item
        maps = [(c, k) for c, k in slots(data)]
        if maps:
            container, key = choose.pick(maps)
            del container[key]
        return data
    if kind == 1:  # duplicate a value under a near-miss key, or into a list
        found = [(c, k) for c, k in slots(data)]
        if found:
            container, key = choose.pick(found)
            if isinstance(container, dict):
                container[choose.pick((str(key).lower(), str(key) + "s", str(key)[:-1] or "x", str(key).upper(), str(key) + " "))] = copy.deepcopy(container[key])
            else:
                container.append(copy.deepcopy(container[key]))
        return data
    if kind == 2:  # swap two values
        found = slots(data)
        if len(found) >= 2:
            (c1, k1), (c2, k2) = choose.pick(found), choose.pick(found)
            v1, v2 = c1[k1], c2[k2]
            if not _contains(v1, v2) and not _contains(v2, v1):
                c1[k1], c2[k2] = copy.deepcopy(v2), copy.deepcopy(v1)
        return data
    if kind == 3:  # reverse a mapping's key order
        mappings = [node for _, node in containers(data) if isinstance(node, dict) and len(node) > 1]
        if mappings:
            node = choose.pick(mappings)
            items = list(node.items())[::-1]
            node.clear()
            node.update(items)
        return data
    if kind in (4, 5):
        return _set(choose, data, lambda c, _: odd_scalar(c), targeted=kind == 5)
    if kind == 6:
        return _set(choose, data, lambda c, _: copy.deepcopy(c.pick(WRONG_TYPES)), targeted=True)  # a copy: later mutations change it
    if kind == 7:
        return _set(choose, data, lambda c, old: intrinsic(c, names, leaf=old if not isinstance(old, (dict, list)) else None), targeted=choose.chance(0.5))
    if kind == 8:
        return _set(choose, data, lambda c, old: deep(c, old if not isinstance(old, (dict, list)) else "x"))
    if kind == 9:
        return _set(choose, data, lambda c, _: stars(c))
    if kind == 10:
        return _set(choose, data, lambda c, old: _with_wide_chars(c, old))
    if kind == 11:  # a deployment setting in a random function or in Globals
        return _add_deployment(choose, data)
    if kind == 12:
        return _set(choose, data, lambda c, _: odd_value(c), targeted=True)
    if kind == 13:  # rename a key to a near-miss spelling
        maps = [(c, k) for c, k in slots(data) if isinstance(c, dict) and isinstance(k, str)]
        if maps:
            container, key = choose.pick(maps)
            new = choose.pick(ODD_PREFERENCE_KEYS + ODD_HOOK_KEYS + (key.lower(), key.swapcase(), key + "x"))
            if new not in container:
                items = [(new if k == key else k, v) for k, v in container.items()]
                container.clear()
                container.update(items)
        return data
    if kind == 14:  # a policy statement somewhere
        return _set(choose, data, lambda c, _: policy_document(c, names), targeted=True)
    return _set(choose, data, lambda c, _: c.pick(DEPLOYMENT_TYPES + ODD_DEPLOYMENT_TYPES + ALIASES))


def _contains(outer: Any, inner: Any) -> bool:
    return outer is inner or (isinstance(outer, dict) and any(_contains(v, inner) for v in outer.values())) or (
        isinstance(outer, list) and any(_contains(v, inner) for v in outer)
    )


def _with_wide_chars(choose: Chooser, old: Any) -> Any:
    text = old if isinstance(old, str) else "x"
    where = choose.int(0, len(text))
    return text[:where] + choose.pick(WIDE_CHARS) + text[where:]


def _add_deployment(choose: Chooser, data: Any) -> Any:
    if not isinstance(data, dict):
        return data
    resources = data.get("Resources")
    functions = [v for v in resources.values() if isinstance(v, dict) and isinstance(v.get("Properties"), dict)] if isinstance(resources, dict) else []
    if functions and choose.chance(0.7):
        target = choose.pick(functions)["Properties"]
    else:
        globals_ = data.setdefault("Globals", {})
        if not isinstance(globals_, dict):
            return data
        target = globals_.setdefault("Function", {})
        if not isinstance(target, dict):
            return data
    names = Names(choose)
    names.functions += [str(n) for n in _names(data)]
    key = choose.pick(("AutoPublishAlias", "DeploymentPreference", "DeploymentPreference", "Policies"))
    if key == "AutoPublishAlias":
        target[key] = choose.pick(ALIASES)
    elif key == "DeploymentPreference":
        target[key] = deployment_preference(choose, names, names.all())
    else:
        target[key] = [policy_document(choose, names.all())]
    return data


# ---------------------------------------------------------------------------------------------- text


def mutate_text_in_place(choose: Chooser, text: str, spans: list[tuple[int, int, str]], is_json: bool) -> str:
    """Replace one node's source text (``spans``: (start, end, kind) of the file's nodes, kind "scalar" or
    "container" or "key") with an odd value, keeping everything else byte-identical."""
    if not spans:
        return text
    start, end, kind = choose.pick(spans)
    if kind == "key":
        replacement = choose.pick(ODD_PREFERENCE_KEYS + ODD_HOOK_KEYS + ("AutoPublishAlias", "DeploymentPreference", "Hooks", "Type"))
        if is_json:
            replacement = '"' + replacement + '"'
    elif is_json:
        value = odd_scalar(choose)
        replacement = value.json if isinstance(value, Raw) and value.json else _json_text(value)
    else:
        value = odd_scalar(choose)
        if isinstance(value, Raw):
            replacement = value.yaml
        elif isinstance(value, str):
            replacement = yaml_double_quoted(value)
        else:
            replacement = _json_text(value)
    return text[:start] + replacement + text[end:]


def _json_text(value: Any) -> str:
    import json

    try:
        return json.dumps(value.yaml if isinstance(value, Raw) else value)
    except (TypeError, ValueError):
        return '"x"'


def node_spans(root: Any) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every scalar, key and container of a parsed node tree."""
    from sam_shift_lint.parsing.nodes import Mapping, Scalar, Sequence

    result: list[tuple[int, int, str]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, Scalar):
            result.append((node.span.start, node.span.end, "scalar"))
        elif isinstance(node, Mapping):
            if node.short_tag is None:
                result.append((node.span.start, node.span.end, "container"))
                for key_node, value in node.entries.values():
                    result.append((key_node.span.start, key_node.span.end, "key"))
                    stack.append(value)
            else:
                stack.extend(node.values())
        elif isinstance(node, Sequence):
            result.append((node.span.start, node.span.end, "container"))
            stack.extend(node.items)
    return [span for span in result if span[0] < span[1]]


def mutate_lines(choose: Chooser, text: str) -> str:
    """Line-level edits: delete, duplicate, swap, re-indent a line, or join two."""
    lines = text.splitlines(keepends=True)
    if not lines:
        return text
    index = choose.int(0, len(lines) - 1)
    kind = choose.int(0, 4)
    if kind == 0:
        del lines[index]
    elif kind == 1:
        lines.insert(index, lines[index])
    elif kind == 2:
        other = choose.int(0, len(lines) - 1)
        lines[index], lines[other] = lines[other], lines[index]
    elif kind == 3:
        lines[index] = choose.pick((" ", "  ", "\t", "")) + (lines[index][1:] if choose.chance(0.5) else lines[index])
    else:
        lines[index] = lines[index].rstrip("\r\n")
    return "".join(lines)


def mutate_bytes(choose: Chooser, raw: bytes) -> bytes:
    """Byte-level damage: truncate, flip, insert tabs/CR/NUL/0xFF/BOM/line separators, change line endings."""
    kind = choose.int(0, 7)
    where = choose.int(0, len(raw))
    if kind == 0:
        return raw[:where]
    if kind == 1 and raw:
        index = min(where, len(raw) - 1)
        return raw[:index] + bytes([raw[index] ^ (1 << choose.int(0, 7))]) + raw[index + 1:]
    if kind == 2:
        insert = choose.pick((b"\t", b"\r", b"\x00", b"\xff", b"\xef\xbb\xbf", "\u2028".encode(), "\u0085".encode(), b"\x1b", b"\r\n", b"\n", b" ", b"#", b":", b"- "))
        return raw[:where] + insert + raw[where:]
    if kind == 3:
        return raw.replace(b"\r\n", b"\n").replace(b"\n", choose.pick((b"\r\n", b"\r", "\u2028".encode(), b"\n\n")))
    if kind == 4:
        return raw.rstrip(b"\r\n") if choose.chance(0.5) else raw + choose.pick((b"\n", b"\r\n", b"\r", b"\n\n", b"...\n", b"---\n"))
    if kind == 5:
        return choose.pick((b"\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf", b"\xff\xfe", b"")) + raw
    if kind == 6:
        return raw[:where] + raw[where:].replace(b"  ", b"\t", 1)
    return raw[:where] + raw[where: where + choose.int(0, 40)] + raw[where:]


YAML_1_1_BREAKS = ("\u2028", "\u2029", "\u0085")  # line breaks to libyaml (YAML 1.1) only
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def unicode_line_breaks(choose: Chooser, text: str) -> str:
    """NEL, U+2028 and U+2029 where libyaml and YAML 1.2 parsers may disagree about them: ending a comment (with
    a comment or the next line's text after it), inside a quoted value, inside a plain value (a second line), after
    a key or a flow comma, as the ending of a line or of every line (``scripts/fuzz.py --bias unicode-breaks``)."""
    lines = _LINE.findall(text)
    if not lines:
        return choose.pick(YAML_1_1_BREAKS)
    for _ in range(choose.pick((1, 1, 2, 3))):
        index = choose.int(0, len(lines) - 1)
        body = lines[index].rstrip("\r\n")
        ending = lines[index][len(body):]
        char = choose.pick(YAML_1_1_BREAKS)
        kind = choose.int(0, 6)
        quote = "'" if "'" in body else '"' if '"' in body else None
        if kind == 0:  # a comment ended by it, then a comment or the next line
            if choose.chance(0.5) or index + 1 == len(lines):
                lines[index] = body + " # note" + char + "# more" + ending
            else:
                lines[index] = body + " # note" + char
        elif kind == 1 and quote is not None:  # inside a quoted value
            position = body.index(quote) + 1
            lines[index] = body[:position] + char + body[position:] + ending
        elif kind in (1, 2) and ": " in body:  # a value written as a quoted one holding it
            key, _, value = body.partition(": ")
            quote = choose.pick(("'", '"'))
            lines[index] = f"{key}: {quote}{value.replace(quote, '')}{char}x{quote}" + ending
        elif kind == 3 and ": " in body:  # a plain value on two lines
            indent = len(body) - len(body.lstrip(" "))
            lines[index] = body + char + " " * (indent + 2) + "more" + ending
        elif kind == 4:  # the line's own ending
            lines[index] = body + char
        elif kind == 5:  # every line's ending
            return "".join(line.rstrip("\r\n") + char if line.endswith(("\n", "\r")) else line for line in lines)
        elif ", " in body and choose.chance(0.5):  # after a flow comma
            lines[index] = body.replace(", ", "," + char + " ", 1) + ending
        else:  # after a key
            lines[index] = body.replace(":", ":" + char + " " * 8, 1) + ending
    return "".join(lines)
