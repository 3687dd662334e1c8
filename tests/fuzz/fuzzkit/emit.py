"""Write generated data as YAML or JSON text, in many of the styles real templates use (block or flow, 2 or 4
spaces, indented or indentless sequences, short-form tags, quoting styles, comments, CRLF/CR/U+2028 line
breaks, a missing final newline, BOMs).

Besides plain data (dicts, lists, str, int, float, bool, None) the writer takes :class:`Raw` (a scalar written
exactly as given: ``.nan``, ``!!bool maybe``, 5,000 digits) and intrinsic functions in their long form
(``{"Ref": "X"}``), which YAML output may write as short-form tags (``!Ref X``).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from fuzzkit.choose import Chooser

_ENCODE_ASCII = json.encoder.encode_basestring_ascii
_ENCODE = json.encoder.encode_basestring

SHORT_TAGS = {
    "Ref": "!Ref", "Condition": "!Condition", "Fn::Sub": "!Sub", "Fn::GetAtt": "!GetAtt", "Fn::If": "!If",
    "Fn::Join": "!Join", "Fn::Select": "!Select", "Fn::Split": "!Split", "Fn::FindInMap": "!FindInMap",
    "Fn::Base64": "!Base64", "Fn::ImportValue": "!ImportValue", "Fn::GetAZs": "!GetAZs", "Fn::Equals": "!Equals",
    "Fn::And": "!And", "Fn::Or": "!Or", "Fn::Not": "!Not", "Fn::ToJsonString": "!ToJsonString",
    "Fn::Length": "!Length",
}


@dataclass(frozen=True)
class Raw:
    """A scalar written verbatim: ``yaml`` in YAML output, ``json`` (or ``yaml`` as a JSON string) in JSON."""

    yaml: str
    json: str | None = None


@dataclass
class Style:
    """How a document is written. ``newline``: the line break (``\\n``, ``\\r\\n``, ``\\r``, ``\\u2028``)."""

    json: bool = False
    indent: int = 2
    indentless: bool = False  # YAML: "- item" at the key's indentation
    flow_below: int = 99  # YAML: mappings/sequences deeper than this are written in flow style
    short_tags: float = 0.5  # YAML: probability of writing an intrinsic as a short-form tag
    quote: str = "plain"  # YAML strings: "plain" when possible, "single", "double"
    comments: float = 0.0  # YAML: probability of a comment line before a mapping entry
    newline: str = "\n"
    final_newline: bool = True
    bom: int = 0  # number of U+FEFF at the start
    document_start: bool = False  # YAML "---"
    json_indent: int | str | None = 2  # JSON: spaces, "\t", or None (minified)
    json_space: bool = True  # JSON: a space after ":" when minified
    trailing_spaces: bool = False
    ascii_only: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def random_style(choose: Chooser, json_document: bool | None = None) -> Style:
    """A style drawn from the kinds real templates use, with now and then a hostile detail."""
    style = Style()
    style.json = choose.chance(0.25) if json_document is None else json_document
    style.indent = choose.pick((2, 2, 2, 4, 3, 1))
    style.indentless = choose.chance(0.4)
    style.flow_below = choose.pick((99, 99, 99, 3, 2, 1, 0))
    style.short_tags = choose.pick((0.0, 0.5, 1.0, 1.0))
    style.quote = choose.pick(("plain", "plain", "plain", "single", "double"))
    style.comments = choose.pick((0.0, 0.0, 0.1, 0.5))
    style.newline = choose.pick(("\n",) * 12 + ("\r\n",) * 4 + ("\r", "\u2028", "\u0085"))
    style.final_newline = not choose.chance(0.2)
    style.bom = choose.pick((0,) * 12 + (1, 1, 2))
    style.document_start = choose.chance(0.1)
    style.json_indent = choose.pick((2, 2, 4, "\t", None, 1))
    style.json_space = choose.chance(0.5)
    style.trailing_spaces = choose.chance(0.05)
    style.ascii_only = choose.chance(0.2)
    return style


def dump(data: Any, style: Style, choose: Chooser) -> str:
    """The document as text (BOMs included as U+FEFF characters; encode with UTF-8)."""
    if style.json:
        text = _json(data, style, 0)
    else:
        lines = _YamlWriter(style, choose).document(data)
        text = "\n".join(lines)
    if style.trailing_spaces:
        text = text.replace("\n", " \n")
    text += "\n" if style.final_newline else ""
    if style.newline != "\n":
        text = text.replace("\n", style.newline)
    return "\ufeff" * style.bom + text


# ---------------------------------------------------------------------------------------------- JSON


def _json_string(value: str, ascii_only: bool) -> str:
    """``json.dumps(value, ensure_ascii=ascii_only)`` without its per-call set-up (the same text)."""
    return _ENCODE_ASCII(value) if ascii_only else _ENCODE(value)


def _json_scalar(value: Any, style: Style) -> str:
    if isinstance(value, Raw):
        return value.json if value.json is not None else _json_string(value.yaml, style.ascii_only)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    return _json_string(str(value), style.ascii_only)


def _json(value: Any, style: Style, depth: int) -> str:
    indent = style.json_indent
    colon = ": " if indent is not None or style.json_space else ":"
    if isinstance(value, dict) and value:
        items = [f"{_json_string(str(k), style.ascii_only)}{colon}{_json(v, style, depth + 1)}" for k, v in value.items()]
        return _json_container("{", "}", items, indent, depth)
    if isinstance(value, list) and value:
        return _json_container("[", "]", [_json(v, style, depth + 1) for v in value], indent, depth)
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _json_scalar(value, style)


def _json_container(open_: str, close: str, items: list[str], indent: int | str | None, depth: int) -> str:
    if indent is None:
        return open_ + ",".join(items) + close
    unit = indent if isinstance(indent, str) else " " * indent
    inner = unit * (depth + 1)
    return open_ + "\n" + ",\n".join(inner + item for item in items) + "\n" + unit * depth + close


# ---------------------------------------------------------------------------------------------- YAML

_PLAIN = re.compile(r"[A-Za-z_/$][A-Za-z0-9_\-./:${}@+ ]*\Z")
# Plain scalars that YAML 1.1 (libyaml, cfn-lint) or 1.2 would read as something other than a string.
_RESOLVES = re.compile(
    r"""(?ix)
    (y|n|yes|no|true|false|on|off|null|~|)\Z
    | [-+]?(\.inf|\.nan|[0-9][0-9_:]*(\.[0-9_]*)?(e[-+]?[0-9]+)?|0x[0-9a-f_]+|0o[0-7]+|0b[01_]+|\.[0-9]+)\Z
    | \d{4}-\d\d?-\d\d?
    """
)


def _plain_ok(text: str) -> bool:
    known = _PLAIN_OK.get(text)
    if known is None:
        known = _PLAIN_OK[text] = (
            bool(_PLAIN.match(text))
            and not _RESOLVES.match(text)
            and not text.endswith((" ", ":"))
            and ": " not in text
            and " #" not in text
        )
        if len(_PLAIN_OK) > 50_000:  # generated keys and values repeat a lot; odd ones need not be kept
            _PLAIN_OK.clear()
    return known


_PLAIN_OK: dict[str, bool] = {}
_FLOW_INDICATOR = re.compile(r"[,\[\]{}]")


_ESCAPE = re.compile("[\\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_ESCAPE_ASCII = re.compile("[\\\\\"\x00-\x1f\x7f-\U0010ffff]")
_UNPRINTABLE = re.compile("[^\t -~\xa0-\ud7ff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in "\\\"":
        return "\\" + char
    code = ord(char)
    if code <= 0x1F or 0x7F <= code <= 0x9F:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def yaml_double_quoted(text: str, ascii_only: bool = False) -> str:
    """A YAML double-quoted scalar: backslash, quote, C0/C1 controls, line separators, BOM, surrogates escaped
    (and everything past ASCII when ``ascii_only``)."""
    return '"' + (_ESCAPE_ASCII if ascii_only else _ESCAPE).sub(_escape, text) + '"'


def _printable(text: str) -> bool:
    return _UNPRINTABLE.search(text) is None


def yaml_float(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    if "e" in text and "." not in text:  # PyYAML's float pattern needs a dot
        mantissa, exponent = text.split("e")
        text = f"{mantissa}.0e{exponent}"
    return text


class _YamlWriter:
    def __init__(self, style: Style, choose: Chooser) -> None:
        self.style = style
        self.choose = choose

    def document(self, data: Any) -> list[str]:
        lines = ["---"] if self.style.document_start else []
        if isinstance(data, (dict, list)) and data and self.style.flow_below > 0:
            lines += self.block(data, 0, 0)
        else:
            lines.append(self.flow(data))
        return lines

    # scalars

    def scalar(self, value: Any, key: bool = False) -> str:
        if type(value) is str:  # the common case first (the checks below all fail for a str)
            return self._string(value)
        if isinstance(value, Raw):
            return value.yaml
        if value is None:
            return self.choose.pick(("null", "~", "null", "Null")) if not key else "null"
        if value is True:
            return "true"
        if value is False:
            return "false"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return yaml_float(value)
        return self._string(str(value))

    def _string(self, text: str) -> str:
        quote = self.style.quote
        if quote == "plain" and _plain_ok(text):
            return text
        if quote in ("plain", "single") and _printable(text) and "\n" not in text and not text.startswith(" ") and text:
            return "'" + text.replace("'", "''") + "'"
        return yaml_double_quoted(text, self.style.ascii_only)

    def key(self, key: Any) -> str:
        return self.scalar(key, key=True)

    # flow

    def flow(self, value: Any, allow_tag: bool = True) -> str:
        if type(value) is str:  # the common case first
            text = self._string(value)
            if text == value and _FLOW_INDICATOR.search(value):
                return yaml_double_quoted(value, self.style.ascii_only)  # plain scalars end at flow indicators
            return text
        tagged = self.short_form(value) if allow_tag else None
        if tagged is not None:
            tag, argument = tagged
            return f"{tag} {self.flow(argument, allow_tag=False)}"  # "!Base64 !Sub x" is not YAML
        if isinstance(value, dict):
            return "{" + ", ".join(f"{self.key(k)}: {self.flow(v)}" for k, v in value.items()) + "}"
        if isinstance(value, list):
            return "[" + ", ".join(self.flow(v) for v in value) + "]"
        text = self.scalar(value)
        if isinstance(value, str) and not isinstance(value, Raw) and text == value and _FLOW_INDICATOR.search(value):
            return yaml_double_quoted(value, self.style.ascii_only)  # plain scalars end at flow indicators
        return text

    def short_form(self, value: Any) -> tuple[str, Any] | None:
        if not (isinstance(value, dict) and len(value) == 1 and self.style.short_tags):
            return None
        (name, argument), = value.items()
        tag = SHORT_TAGS.get(name) if isinstance(name, str) else None
        if tag is None or not self.choose.chance(self.style.short_tags):
            return None
        if name == "Fn::GetAtt" and isinstance(argument, list) and len(argument) == 2 and all(
            isinstance(part, str) and _plain_ok(part) for part in argument
        ) and self.choose.chance(0.7):
            return tag, Raw(f"{argument[0]}.{argument[1]}")
        return tag, argument

    # block

    def block(self, value: Any, indent: int, depth: int) -> list[str]:
        """Lines of a non-empty mapping or sequence written in block style at ``indent``."""
        pad = " " * indent
        lines: list[str] = []
        if isinstance(value, dict):
            for key, item in value.items():
                if self.style.comments and self.choose.chance(self.style.comments):
                    lines.append(f"{pad}# {self.choose.pick(('note', 'TODO: check', 'key: value', '- x'))}")
                lines += self.entry(f"{pad}{self.key(key)}:", item, indent, depth)
            return lines
        for item in value:
            if isinstance(item, dict) and len(item) == 1 and next(iter(item)) in SHORT_TAGS and self.style.short_tags:
                lines.append(f"{pad}- {self.flow(item)}")  # "- !Ref X" (or a flow mapping)
                continue
            inner = self.block_or_none(item, indent + 2, depth + 1)
            if inner is None:
                lines.append(f"{pad}- {self.inline(item)}")
            else:
                first = inner[0]
                lines.append(pad + "- " + first[indent + 2:])
                lines += inner[1:]
        return lines

    def entry(self, head: str, item: Any, indent: int, depth: int) -> list[str]:
        tagged = self.short_form(item)
        if tagged is not None:
            tag, argument = tagged
            if isinstance(argument, (dict, list)) and argument and depth + 1 < self.style.flow_below and self.choose.chance(0.5):
                child = indent + (0 if isinstance(argument, list) and self.style.indentless else self.style.indent)
                inner = self.block_or_none(argument, child if isinstance(argument, dict) else max(child, indent + 1), depth + 1)
                if inner is not None:
                    return [f"{head} {tag}", *inner]
            return [f"{head} {tag} {self.flow(argument, allow_tag=False)}"]
        if isinstance(item, str) and "\n" in item and self.choose.chance(0.5):
            literal = self.literal(item, indent + self.style.indent)
            if literal is not None:
                return [f"{head} {literal[0]}", *literal[1:]]
        child = indent if isinstance(item, list) and self.style.indentless else indent + self.style.indent
        inner = self.block_or_none(item, child, depth + 1)
        if inner is None:
            return [f"{head} {self.inline(item)}" if not (item is None and self.choose.chance(0.3)) else head]
        return [head, *inner]

    def block_or_none(self, item: Any, indent: int, depth: int) -> list[str] | None:
        if isinstance(item, (dict, list)) and item and depth < self.style.flow_below:
            return self.block(item, indent, depth)
        return None

    def inline(self, item: Any) -> str:
        return self.flow(item)

    def literal(self, text: str, indent: int) -> list[str] | None:
        """``|`` block scalar lines for ``text`` (None when the text cannot be written as one)."""
        body = text.rstrip("\n")
        if not body or not _printable(body.replace("\n", "")) or body[0] in " \t" or any(
            line.startswith((" ", "\t")) or line.endswith((" ", "\t")) for line in body.split("\n")
        ):
            return None
        trailing = len(text) - len(body)
        chomp = "-" if trailing == 0 else "" if trailing == 1 else "+"
        pad = " " * indent
        lines = [f"|{chomp}"] + [pad + line if line else "" for line in body.split("\n")]
        lines += [""] * (trailing - 1 if trailing > 1 else 0)
        return lines
