"""The template cfn-lint gives the rule pack: the text cfn-lint itself decoded, whatever it came from (a file,
standard input, ``cfnlint.api.lint(text)``), never the file re-read from disk.

cfn-lint keeps no text: its decoders return the data, and its SAM ``Globals`` merge rewrites that data in place
before any rule runs (so the positions of inherited values and the original shape are lost). When the rule pack
is imported (cfn-lint imports it before it decodes any template, and so does building a rules collection for
``cfnlint.api.lint(text, rules=...)``), :func:`install` wraps cfn-lint's YAML and JSON decoders to attach the
text they decode to the data they return, and ``Template.__init__`` to keep it on the template object (a
transform such as ``AWS::LanguageExtensions`` replaces the data later). The wrappers return exactly what
cfn-lint's own functions return.

One case has no text: a template decoded before the rule pack was imported (``cfnlint.api.lint(text,
config=ManualArgs(append_rules=[...]))`` decodes first, then loads the rules). Then the data cfn-lint holds
when the template object is made, before its Globals merge, is written out as JSON and checked, and each
finding is put at the position cfn-lint's own decoder recorded for the value at its path: the same findings,
without suppression comments (JSON has none) and without fixes (their edits would be for the JSON text).
"""
from __future__ import annotations

import json
from typing import Any, NamedTuple

from sam_shift_lint.findings import Finding
from sam_shift_lint.parsing.document import Document, parse
from sam_shift_lint.parsing.errors import MAX_BYTES, DocumentError
from sam_shift_lint.parsing.nodes import Mapping, Node, PathItem, Sequence

SOURCE = "_sam_shift_lint_source"  # the decoded text, on cfn-lint's data and on its Template
SNAPSHOT = "_sam_shift_lint_snapshot"  # the fallback: (JSON text, marks by path), on the Template
_WRAPPED = "_sam_shift_lint_wrapped"


class Marks(NamedTuple):
    """Where cfn-lint's decoder saw the values of a template: 0-based (line, column) pairs by path; a key's
    own position under ``(path, "key")``."""

    values: dict[tuple[PathItem, ...], tuple[int, int, int, int]]
    keys: dict[tuple[PathItem, ...], tuple[int, int, int, int]]


def install() -> None:
    """Wrap cfn-lint's decoders and ``Template.__init__`` (once per process; see the module docstring)."""
    try:
        from cfnlint.decode import cfn_json, cfn_yaml
        from cfnlint.template import template as template_module
    except ImportError:  # pragma: no cover - cfn-lint is a dependency
        return
    if getattr(cfn_yaml.loads, _WRAPPED, False):
        return
    yaml_loads = cfn_yaml.loads
    json_loads = cfn_json.loads
    json_load = cfn_json.load

    def loads(yaml_string: Any, fname: Any = None) -> Any:
        return _attach(yaml_loads(yaml_string, fname), yaml_string)

    def loads_json(json_string: Any) -> Any:
        return _attach(json_loads(json_string), json_string)

    def load_json(filename: Any) -> Any:
        if filename is None or filename == "-":  # standard input: cfn-lint's own reading (nothing to re-read)
            return json_load(filename)
        with open(filename, encoding="utf-8") as handle:  # what cfn_json.load does, keeping the text
            content = handle.read()
        return loads_json(content)

    template_class = template_module.Template
    original_init = template_class.__init__

    def init(self: Any, filename: Any, template: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, filename, template, *args, **kwargs)
        text = getattr(template, SOURCE, None)
        try:
            if isinstance(text, str):
                setattr(self, SOURCE, text)
            elif isinstance(template, dict):
                setattr(self, SNAPSHOT, snapshot(template))
        except Exception:  # pragma: no cover - never break cfn-lint: the rule pack then reports nothing
            pass

    for function in (loads, loads_json, load_json, init):
        setattr(function, _WRAPPED, True)
    cfn_yaml.loads = loads
    cfn_json.loads = loads_json
    cfn_json.load = load_json
    template_class.__init__ = init


def _attach(data: Any, text: Any) -> Any:
    if isinstance(text, str):
        try:
            setattr(data, SOURCE, text)
        except (AttributeError, TypeError):  # a plain value (not a template): nothing for the rules
            pass
    return data


def source_of(cfn: Any) -> str | None:
    """The text cfn-lint decoded for this template, if it was captured."""
    text = getattr(cfn, SOURCE, None)
    if not isinstance(text, str):
        text = getattr(getattr(cfn, "template", None), SOURCE, None)
    return text if isinstance(text, str) else None


def document_from_text(name: str, text: str) -> Document | None:
    """Our document for the text cfn-lint decoded (None when it is too large or does not parse: cfn-lint reports
    such templates itself). cfn-lint reads files as UTF-8 with universal newlines, so a BOM is still there and
    CR LF line ends are already LF: positions are the same as in the file."""
    bom = text.startswith("\ufeff")
    if bom:
        text = text[1:]
    if len(text) > MAX_BYTES or "\x00" in text:
        return None
    try:
        return parse(name, text, bom)
    except DocumentError:
        return None


# ---------------------------------------------------------------------------------------------- the fallback


def snapshot(template: dict[str, Any]) -> tuple[str, Marks]:
    """The data as JSON text, and the positions cfn-lint recorded for it (taken before any transform)."""
    marks = Marks({}, {})
    _record(template, (), marks)
    return json.dumps(template, indent=1, default=str, ensure_ascii=False), marks


def _span(node: Any) -> tuple[int, int, int, int] | None:
    start, end = getattr(node, "start_mark", None), getattr(node, "end_mark", None)
    if start is None or end is None:
        return None
    return (int(start.line), int(start.column), int(end.line), int(end.column))


def _record(node: Any, path: tuple[PathItem, ...], marks: Marks) -> None:
    stack: list[tuple[Any, tuple[PathItem, ...]]] = [(node, path)]
    while stack:
        current, where = stack.pop()
        span = _span(current)
        if span is not None:
            marks.values[where] = span
        if isinstance(current, dict):
            for key, value in current.items():
                key_span = _span(key)
                if key_span is not None:
                    marks.keys[where + (str(key),)] = key_span
                stack.append((value, where + (str(key),)))
        elif isinstance(current, list):
            stack.extend((item, where + (index,)) for index, item in enumerate(current))


def location(document: Document, marks: Marks, finding: Finding) -> tuple[int, int, int, int] | None:
    """Where cfn-lint's decoder saw what ``finding`` points at in the JSON written from its data: the value (or
    key) at the deepest path whose node holds the finding's start, or the closest enclosing one that has a
    position."""
    path, on_key = _path_at(document.root, finding.span.start)
    if on_key and path in marks.keys:
        return marks.keys[path]
    while True:
        if path in marks.values:
            return marks.values[path]
        if path in marks.keys:
            return marks.keys[path]
        if not path:
            return None
        path = path[:-1]


def _path_at(root: Node, offset: int) -> tuple[tuple[PathItem, ...], bool]:
    path: tuple[PathItem, ...] = ()
    node = root
    while True:
        if isinstance(node, Mapping):
            for key, (key_node, value) in node.entries.items():
                if key_node.span.start <= offset < key_node.span.end:
                    return path + (key,), True
                if value.span.start <= offset < value.span.end:
                    path, node = path + (key,), value
                    break
            else:
                return path, False
        elif isinstance(node, Sequence):
            for index, item in enumerate(node.items):
                if item.span.start <= offset < item.span.end:
                    path, node = path + (index,), item
                    break
            else:
                return path, False
        else:
            return path, False
