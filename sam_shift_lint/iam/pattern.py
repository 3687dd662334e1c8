"""Resource patterns (with symbolic placeholders) and the Unknown value.

Three text forms are read:

* :func:`parse_template` - profile/required patterns and ``Fn::Sub`` text: ``${Name}`` is a symbol,
  ``${!Name}`` the literal text ``${Name}``.
* :func:`parse_policy_string` - a plain string in a policy: IAM's escapes ``${*}``, ``${?}``, ``${$}``
  are literal characters; ``${AWS::Region}``-style pseudo parameters are accepted as symbols (text
  copied from a template); any other ``${...}`` is an IAM policy variable (``${aws:username}``), which
  depends on the request and makes the value Unknown. Policies of an older ``Version`` have no
  variables, so there ``${...}`` is literal text.
* :func:`parse_glob` - plain IAM glob text, no placeholders.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping

from sam_shift_lint.iam import glob
from sam_shift_lint.iam.glob import Symbol, Tokens
from sam_shift_lint.records import record

PSEUDO_PARAMETERS = frozenset(
    {
        "AWS::AccountId",
        "AWS::NotificationARNs",
        "AWS::Partition",
        "AWS::Region",
        "AWS::StackId",
        "AWS::StackName",
        "AWS::URLSuffix",
    }
)
REGION = "AWS::Region"
ACCOUNT = "AWS::AccountId"
PARTITION = "AWS::Partition"

POLICY_VERSION = "2012-10-17"
_POLICY_ESCAPES = {"*": "*", "?": "?", "$": "$"}


def iter_variables(text: str) -> Iterator[tuple[int, int, str]]:
    """``(start, end, name)`` of each ``${name}`` in ``text``, left to right: the matches of the regular
    expression ``\\$\\{([^}]*)\\}``, found in O(len(text)). (A regex search costs O(n^2) on ``${${${...``
    without a ``}``: it rescans the rest of the text from every ``${``.)"""
    pos = 0
    while True:
        start = text.find("${", pos)
        if start < 0:
            return
        end = text.find("}", start + 2)
        if end < 0:
            return  # no later ${ has a } either
        yield start, end + 1, text[start + 2 : end]
        pos = end + 1


def replace_variables(text: str, replace: Callable[[str, str], str]) -> str:
    """``text`` with each ``${name}`` (see :func:`iter_variables`) replaced by ``replace(name, whole)``."""
    out: list[str] = []
    pos = 0
    for start, end, name in iter_variables(text):
        out.append(text[pos:start])
        out.append(replace(name, text[start:end]))
        pos = end
    out.append(text[pos:])
    return "".join(out)


@record(frozen=True)
class Unknown:
    """A value that cannot be turned into a pattern (an unresolvable intrinsic, a policy variable)."""

    reason: str

    def __str__(self) -> str:
        return f"<unknown: {self.reason}>"


@record(frozen=True)
class Pattern:
    """A wildcard pattern whose tokens may include symbols (see :mod:`.glob`)."""

    tokens: Tokens

    @property
    def text(self) -> str:
        """The pattern as text, symbols written ``${Name}``."""
        return glob.render(self.tokens)

    @property
    def symbols(self) -> frozenset[str]:
        """Names of the symbols used."""
        return frozenset(s.name for s in glob.symbols_of(self.tokens))

    def __str__(self) -> str:
        return self.text

    def __add__(self, other: Pattern) -> Pattern:
        return Pattern(self.tokens + other.tokens)

    def substitute(self, values: Mapping[str, str]) -> Pattern:
        """Replace the symbols named in ``values`` by their literal text."""
        if not values or not self.symbols & values.keys():
            return self
        out: list[glob.Token] = []
        for t in self.tokens:
            if isinstance(t, Symbol) and t.name in values:
                out.extend(values[t.name])
            else:
                out.append(t)
        return Pattern(tuple(out))


Value = Pattern | Unknown


def parse_glob(text: str) -> Pattern:
    """``*`` and ``?`` are wildcards, the rest literal."""
    return Pattern(glob.from_glob(text))


def symbol(name: str) -> Pattern:
    """A pattern made of one symbol."""
    return Pattern((Symbol(name),))


def parse_template(text: str) -> Pattern:
    """Glob text with ``${Name}`` symbols (``Fn::Sub`` syntax, including ``${!Literal}``)."""
    out: list[glob.Token] = []
    pos = 0
    for start, end, name in iter_variables(text):
        out.extend(glob.from_glob(text[pos:start]))
        if name.startswith("!"):
            out.extend("${" + name[1:] + "}")
        else:
            out.append(Symbol(name.strip()))
        pos = end
    out.extend(glob.from_glob(text[pos:]))
    return Pattern(tuple(out))


def parse_policy_string(text: str, version: str | None = POLICY_VERSION) -> Value:
    """A plain policy string (see the module docstring for ``${...}``)."""
    if version != POLICY_VERSION:
        return parse_glob(text)
    out: list[glob.Token] = []
    pos = 0
    for start, end, raw in iter_variables(text):
        out.extend(glob.from_glob(text[pos:start]))
        name = raw.strip()
        if name in _POLICY_ESCAPES:
            out.append(_POLICY_ESCAPES[name])
        elif name in PSEUDO_PARAMETERS:
            out.append(Symbol(name))
        else:
            return Unknown(f"policy variable ${{{name}}}")
        pos = end
    out.extend(glob.from_glob(text[pos:]))
    return Pattern(tuple(out))


def join(parts: Iterable[Value]) -> Value:
    """Concatenate values; Unknown if any part is."""
    tokens: list[glob.Token] = []
    for part in parts:
        if isinstance(part, Unknown):
            return part
        tokens.extend(part.tokens)
    return Pattern(tuple(tokens))
