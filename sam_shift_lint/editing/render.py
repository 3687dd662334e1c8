"""Values turned into YAML or JSON text in a file's own :class:`Style` (the file is never re-dumped).

Values are scalars, dicts, lists, :class:`FlowList` (a list written ``[a, b]`` even in block YAML) and
:class:`Intrinsic` functions. Strings follow one of two quoting rules, chosen by the style:

* ``strict_plain`` (keys added to a map by :meth:`TextEditor.add_entries`): quoted like every key / string
  value of the map when they are all quoted alike, else plain unless :func:`needs_quotes`, else ``"..."``;
* otherwise (the IAM fixes): plain whenever the text reads back unchanged (and the file writes ``a:b``
  plain), else in the file's majority quote style.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

from sam_shift_lint.lazy_pattern import lazy_compile
from sam_shift_lint.memo import small_key_cache
from sam_shift_lint.parsing.lines import YAML_LINE_BREAKS
from sam_shift_lint.parsing.pyyaml import import_pyyaml
from sam_shift_lint.records import record

Value = Any  # str | bool | int | Dict[str, Value] | List[Value] | Intrinsic

QUOTES = ("'", '"')
# Characters YAML 1.1 (libyaml) reads as line breaks are never written raw inside a plain or single-quoted scalar.
LINE_BREAKS = YAML_LINE_BREAKS
# What a YAML parser accepts raw in a scalar on one line, as both YAML 1.1 (libyaml) and YAML 1.2 (ruamel.yaml)
# read it: tab, printable ASCII, and the printable rest of Unicode (no C1 controls, surrogates, U+FEFF, U+FFFE,
# U+FFFF). Anything else (C0 controls such as ESC and BEL, DEL, NEL and the other line breaks) can only be
# written as an escape, inside double quotes.
_RAW_CLASS = "[\t\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*"
# Compiled on first use: this class spans all of Unicode, and compiling it costs about 7 % of a check run that
# writes nothing.
_raw: re.Pattern[str] | None = None


class Intrinsic:
    """An intrinsic function to write, e.g. ``Intrinsic("Fn::Sub", "arn:${AWS::Partition}:...")``.

    YAML gets the short form (``!Sub '...'``) when the file already uses short-form tags, else the long
    form (``Fn::Sub: ...``); JSON gets ``{"Fn::Sub": ...}``."""

    __slots__ = ("argument", "name")

    def __init__(self, name: str, argument: Any) -> None:
        self.name = name
        self.argument = argument

    @property
    def short_tag(self) -> str:
        return "!" + (self.name[4:] if self.name.startswith("Fn::") else self.name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Intrinsic) and (self.name, self.argument) == (other.name, other.argument)

    def __hash__(self) -> int:
        return hash((self.name, repr(self.argument)))

    def __repr__(self) -> str:
        return f"Intrinsic({self.name!r}, {self.argument!r})"


class FlowList(list[Any]):
    """A list written in flow style (``[a, b]``) even inside block YAML."""


def plain_data(value: Value) -> Any:
    """The parsed form of a value (what the re-parsed file must contain)."""
    if isinstance(value, Intrinsic):
        return {value.name: plain_data(value.argument)}
    if isinstance(value, dict):
        return {k: plain_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_data(v) for v in value]
    return value


@record(frozen=True)
class Style:
    """How the file writes things: line ending, indentation, ``- `` under a key (indented or flush),
    short-form tags, quoting, JSON separators (member, key)."""

    newline: str = "\n"
    unit: str = "  "
    sequence_indent: str | None = None  # None: one ``unit``
    short_tags: bool = True
    plain_colons: bool = True  # the file writes strings holding ``:`` plain
    quote: str = "'"  # for strings that cannot be plain
    separators: tuple[str, str] = (", ", ": ")
    colon_quote: str | None = None  # every "a:b" string nearby is quoted so: quote new ones alike
    key_quote: str | None = None  # every key beside is quoted so
    value_quote: str | None = None  # every string value beside is quoted so
    strict_plain: bool = False  # plain only when :func:`needs_quotes` says so, not whenever it reads back

    def __post_init__(self) -> None:
        if self.sequence_indent is None:
            object.__setattr__(self, "sequence_indent", self.unit)


# ------------------------------------------------------------------------------------ scalars


def printable(text: str) -> bool:
    """Can ``text`` be written raw (plain or in single quotes) on one line? Else only with escapes."""
    global _raw
    if text.isascii():  # the class's ASCII part is tab and the printable characters: no pattern needed
        return text.isprintable() or text.replace("\t", "").isprintable()
    if _raw is None:
        _raw = re.compile(_RAW_CLASS)
    return _raw.fullmatch(text) is not None


def quoted(text: str, quote: str) -> str:
    """``text`` in single (``'``, quotes doubled) or double quotes (escapes). Text that cannot be written raw
    (:func:`printable`) is always double-quoted: a single-quoted scalar has no escapes."""
    if quote == "'" and printable(text):
        return "'" + text.replace("'", "''") + "'"
    return double_quoted(text)


def double_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar: JSON's escapes (all of them are YAML escapes too), except that a
    character beyond U+FFFF is one ``\\UXXXXXXXX`` escape, not a surrogate pair (libyaml rejects those)."""
    import json  # in the functions that use it: a check of a YAML file that writes no quoted text needs none

    return _SURROGATE_PAIR.sub(_astral, json.dumps(text))


_SURROGATE_PAIR = lazy_compile(r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})")


def _astral(match: re.Match[str]) -> str:
    high, low = int(match.group(2), 16), int(match.group(3), 16)
    return f"{match.group(1)}\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08x}"


def needs_quotes(text: str) -> bool:
    """True when ``text`` written plain could read back otherwise: it holds a YAML indicator character or
    resolves to another type (YAML 1.1 rules)."""
    import_pyyaml()
    import yaml

    if not text or text != text.strip() or any(char in text for char in ":#{}[],&*!|>'\"%@`\t" + LINE_BREAKS):
        return True
    if not printable(text):
        return True
    # types-PyYAML leaves BaseResolver.resolve untyped: (node kind, value, (implicit plain, implicit quoted)) -> tag
    resolve = cast("Callable[[type[yaml.Node], str, tuple[bool, bool]], str]", yaml.resolver.Resolver().resolve)
    tag = resolve(yaml.ScalarNode, text, (True, False))
    return tag != "tag:yaml.org,2002:str"


@small_key_cache(maxsize=1024, max_weight=1024)  # a value's text comes from the template: keep only short ones
def _reads_back(text: str, flow: bool) -> bool:
    """Does ``text`` written plain read back as itself? (Remembered: fixes write the same strings again and
    again, and PyYAML's pure-Python loader takes a millisecond to say.)"""
    import_pyyaml()
    import yaml

    source = f"[{text}]" if flow else f"- {text}\n"
    try:
        return bool(yaml.safe_load(source) == [text])
    except yaml.YAMLError:
        return False


def _can_be_plain(text: str, style: Style, flow: bool) -> bool:
    if style.strict_plain:
        return not needs_quotes(text)
    return (
        bool(text)
        and printable(text)
        and text == text.strip()
        and not any(char in text for char in "\t#'\"" + LINE_BREAKS)
        and (style.plain_colons or ":" not in text)
        and _reads_back(text, flow)
    )


def render_scalar(value: Value, style: Style, flow: bool = False, key: bool = False) -> str:
    """A scalar (``key``: a map key) as YAML text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    quote = style.key_quote if key else style.value_quote
    if quote is None and style.colon_quote and ":" in text:
        quote = style.colon_quote
    if quote is not None:
        return quoted(text, quote)
    if _can_be_plain(text, style, flow):
        return text
    return quoted(text, style.quote)


def yaml_scalar(value: Value, quote: str | None = None) -> str:
    """A scalar as YAML text; a string in ``quote`` style when given, else plain unless :func:`needs_quotes`."""
    return render_scalar(value, Style(value_quote=quote, strict_plain=True, quote='"'))


# ------------------------------------------------------------------------------------ YAML


# Intrinsics whose argument is a logical id (or ``Id.Attribute``): written plain when it reads back unchanged.
NAME_ARGUMENTS = ("Ref", "Fn::GetAtt")


def _intrinsic_argument(value: Intrinsic, style: Style, short: bool = False) -> str:
    """The argument of ``value`` as YAML text. ``Ref`` names are plain (``!Ref Fn``); a two-name ``Fn::GetAtt``
    in short form is written dotted (``!GetAtt Fn.Version.Version``, which reads back as the same two names);
    other strings (``Fn::Sub`` texts) are quoted."""
    argument = value.argument
    if short and value.name == "Fn::GetAtt" and isinstance(argument, (list, tuple)) and len(argument) == 2:
        if all(isinstance(part, str) for part in argument) and "." not in argument[0]:
            argument = f"{argument[0]}.{argument[1]}"
    if isinstance(argument, str):
        if value.name in NAME_ARGUMENTS and not needs_quotes(argument):
            return argument
        return quoted(argument, style.quote)
    return render_flow(argument, style)


def render_flow_entries(entries: dict[str, Value], style: Style) -> str:
    """``k: v, k2: v2``: the inside of a flow map."""
    return ", ".join(f"{render_scalar(k, style, flow=True, key=True)}: {render_flow(v, style)}" for k, v in entries.items())


def render_flow(value: Value, style: Style) -> str:
    """``value`` in YAML flow style."""
    if isinstance(value, Intrinsic):
        if style.short_tags:
            return f"{value.short_tag} {_intrinsic_argument(value, style, short=True)}"
        return "{" + f"{value.name}: {_intrinsic_argument(value, style)}" + "}"
    if isinstance(value, dict):
        return "{" + render_flow_entries(value, style) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(render_flow(v, style) for v in value) + "]"
    return render_scalar(value, style, flow=True)


def render_block_entry(key: str, value: Value, indent: str, style: Style) -> str:
    """``key: value`` in block style at ``indent`` (no trailing newline)."""
    head = f"{indent}{render_scalar(key, style, key=True)}:"
    if isinstance(value, Intrinsic):
        if style.short_tags:
            return f"{head} {render_flow(value, style)}"
        return head + style.newline + f"{indent}{style.unit}{value.name}: {_intrinsic_argument(value, style)}"
    if isinstance(value, dict):
        if not value:
            return f"{head} {{}}"
        return head + style.newline + style.newline.join(
            render_block_entry(k, v, indent + style.unit, style) for k, v in value.items()
        )
    if isinstance(value, FlowList):
        return f"{head} {render_flow(value, style)}"
    if isinstance(value, (list, tuple)):
        if not value:
            return f"{head} []"
        dash = indent + str(style.sequence_indent)
        return head + style.newline + style.newline.join(render_block_item(v, dash, style) for v in value)
    return f"{head} {render_scalar(value, style)}"


def render_block_item(value: Value, dash_indent: str, style: Style, gap: str = " ") -> str:
    """``- value`` in block style with its dash at ``dash_indent`` (no trailing newline)."""
    prefix = f"{dash_indent}-{gap}"
    if isinstance(value, Intrinsic):
        if style.short_tags:
            return prefix + render_flow(value, style)
        return f"{prefix}{value.name}: {_intrinsic_argument(value, style)}"
    if isinstance(value, dict) and value:
        content = " " * len(prefix)
        text = style.newline.join(render_block_entry(k, v, content, style) for k, v in value.items())
        return prefix + text[len(content):]
    if isinstance(value, (dict, list, tuple)):
        return prefix + render_flow(value, style)
    return prefix + render_scalar(value, style)


# ------------------------------------------------------------------------------------ JSON


def render_json_member(key: str, value: Value, indent: str | None, style: Style) -> str:
    """``"key": value`` (see :func:`render_json` for ``indent``)."""
    import json

    return f"{json.dumps(key)}{style.separators[1]}{render_json(value, indent, style)}"


def render_json(value: Value, indent: str | None, style: Style) -> str:
    """JSON text; maps and lists laid out one member per line under ``indent`` (None: on one line with the
    file's separators)."""
    if isinstance(value, Intrinsic):
        value = {value.name: value.argument}
    comma = style.separators[0]
    if isinstance(value, dict):
        if indent is None or not value:
            return "{" + comma.join(render_json_member(k, v, None, style) for k, v in value.items()) + "}"
        inner = indent + style.unit
        members = [inner + render_json_member(k, v, inner, style) for k, v in value.items()]
        return "{" + style.newline + ("," + style.newline).join(members) + style.newline + indent + "}"
    if isinstance(value, (list, tuple)):
        if indent is None or not value:
            return "[" + comma.join(render_json(v, None, style) for v in value) + "]"
        inner = indent + style.unit
        items = [inner + render_json(v, inner, style) for v in value]
        return "[" + style.newline + ("," + style.newline).join(items) + style.newline + indent + "]"
    import json

    return json.dumps(value)
