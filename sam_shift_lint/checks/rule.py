"""What a rule is: one module holding its metadata (``META``), its documentation (the module docstring, in
four sections), ``check(ctx)`` and ``fix(ctx, finding)``.

The registry (:mod:`sam_shift_lint.checks.registry`) lists the rule modules explicitly and checks each against
:class:`Rule`; the cfn-lint classes, the README's rule reference, ``--list-rules`` and SARIF rule metadata are
all derived from it, so a rule id is written once, in its module's ``META``.
"""
from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from sam_shift_lint.findings import Finding, Fix, severity_of
from sam_shift_lint.records import record

if TYPE_CHECKING:  # pragma: no cover
    from sam_shift_lint.checks.context import CheckContext

DOCS_URL = "https://github.com/sam-shift-lint/sam-shift-lint#"
DOC_SECTIONS = ("What it does", "Why it breaks deployments", "Example", "Fix safety")


class Target(enum.Enum):
    """What kind of file a rule looks at."""

    TEMPLATE = "template"
    POLICY_FILE = "policy-file"


class FixAvailability(enum.Enum):
    """Whether the rule offers a fix (ruff's ``FixAvailability``)."""

    NONE = "none"
    SOMETIMES = "sometimes"
    ALWAYS = "always"


@record(frozen=True)
class RuleMeta:
    """A rule's identity. ``name`` is kebab-case (the cfn-lint class name is its CamelCase); ``summary`` is the
    one line shown by ``--list-rules`` and as cfn-lint's ``shortdesc``; ``settings`` are the lint settings the
    rule reads (they become its cfn-lint rule configuration); ``fix_adds`` are the function properties its fix
    adds, where ``Globals.Function`` may take them (a function whose finding of the rule is suppressed must not
    get them through ``Globals``, see :attr:`CheckContext.declined`)."""

    id: str
    name: str
    summary: str
    tags: tuple[str, ...]
    fix: FixAvailability
    targets: frozenset[Target] = frozenset({Target.TEMPLATE})
    default_on: bool = True
    settings: tuple[str, ...] = ()
    fix_adds: tuple[str, ...] = ()

    @property
    def severity(self) -> str:
        return severity_of(self.id)

    @property
    def class_name(self) -> str:
        return "".join(part[:1].upper() + part[1:] for part in self.name.split("-"))

    @property
    def anchor(self) -> str:
        """The README heading anchor of the rule's section."""
        return f"{self.id.lower()}-{self.name}"

    @property
    def source_url(self) -> str:
        return DOCS_URL + self.anchor


class Rule(Protocol):
    """A rule module. Rules without a fix set ``fix = no_fix``."""

    __name__: str
    __doc__: str | None
    META: RuleMeta

    def check(self, ctx: CheckContext) -> Iterable[Finding]: ...

    def fix(self, ctx: CheckContext, finding: Finding) -> Fix | None: ...


def no_fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    """The ``fix`` of a rule that has none."""
    return None


@record(frozen=True)
class RuleDocs:
    """A rule's documentation, parsed from its module docstring (``## What it does`` ... ``## Fix safety``)."""

    sections: dict[str, str]

    @classmethod
    def parse(cls, docstring: str | None, where: str) -> RuleDocs:
        text = (docstring or "").strip("\n")
        parts = re.split(r"^## +(.+?) *$", text, flags=re.MULTILINE)
        sections = {title.strip(): body.strip("\n") for title, body in zip(parts[1::2], parts[2::2])}
        if list(sections) != list(DOC_SECTIONS):
            raise ValueError(f"{where}: the docstring must have exactly the sections {', '.join(DOC_SECTIONS)} (has {list(sections)})")
        return cls(sections)

    @property
    def what(self) -> str:
        return self.sections["What it does"]

    @property
    def why(self) -> str:
        return self.sections["Why it breaks deployments"]

    @property
    def example(self) -> str:
        return self.sections["Example"]

    @property
    def fix_safety(self) -> str:
        return self.sections["Fix safety"]

    def plain(self) -> str:
        """The first paragraphs of what and why as one line of plain text (cfn-lint's ``description``, SARIF
        ``fullDescription``); the full text is in :meth:`markdown`."""
        return _plain(_first_paragraph(self.what) + " " + _first_paragraph(self.why))

    def markdown(self) -> str:
        """All four sections, as markdown (SARIF ``help.markdown``)."""
        return "\n\n".join(f"**{title}**\n\n{body}" for title, body in self.sections.items())

    def text(self) -> str:
        """All four sections as plain text (SARIF ``help.text``): each title on its own line, code blocks kept
        line by line and indented, inline markup dropped."""
        return "\n\n".join(f"{title}:\n{_plain_block(body)}" for title, body in self.sections.items())


def _first_paragraph(markdown: str) -> str:
    return markdown.split("\n\n", 1)[0]


def _plain_block(markdown: str) -> str:
    """Markdown to plain text keeping its lines: fenced code indented by four spaces, markup dropped elsewhere."""
    lines: list[str] = []
    in_code = False
    for line in markdown.split("\n"):
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        lines.append("    " + line if in_code else _inline_plain(line))
    return "\n".join(lines)


def _inline_plain(markdown: str) -> str:
    text = re.sub(r"`([^`]*)`", r"\1", markdown)
    text = re.sub(r"\*\*([^*]*)\*\*", r"\1", text)
    return re.sub(r"\[([^\]]*)\]\(([^)]*)\)", r"\1 (\2)", text)


def _plain(markdown: str) -> str:
    """Markdown to one line of plain text: code marks, bold and link targets dropped, whitespace collapsed."""
    text = re.sub(r"`([^`]*)`", r"\1", markdown)
    text = re.sub(r"\*\*([^*]*)\*\*", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return " ".join(text.split())
