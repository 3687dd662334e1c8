"""What the groups of a requirement profile lack in a set of policies, evaluated as IAM does (explicit Deny
wins; a statement under ``Fn::If`` or an IAM Condition grants only conditionally), and how to say it."""
from __future__ import annotations

from collections.abc import Mapping as AbstractMapping
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sam_shift_lint.checks.iam.options import Bindings
from sam_shift_lint.model.iam_view import KnownPolicy, PolicyNode, PolicySetView, with_condition
from sam_shift_lint.model.values import MAX_DESCRIBED
from sam_shift_lint.parsing.errors import shorten
from sam_shift_lint.parsing.nodes import Mapping, Scalar
from sam_shift_lint.records import field, record

if TYPE_CHECKING:  # sam_shift_lint.iam is imported only when a check evaluates policies
    from sam_shift_lint.checks.context import CheckContext
    from sam_shift_lint.iam.evaluation import StatementRef
    from sam_shift_lint.iam.glob import WorkLimit
    from sam_shift_lint.iam.intrinsics import Context
    from sam_shift_lint.iam.policy import Path, PolicyDocument, Statement
    from sam_shift_lint.iam.profiles import Profile, RequirementGroup


@record
class Gap:
    """What one requirement group lacks."""

    group: RequirementGroup
    missing: list[str] = field(default_factory=list)
    denied: dict[str, str] = field(default_factory=dict)  # action -> by which statement
    conditional: list[str] = field(default_factory=list)
    conditions: dict[str, str] = field(default_factory=dict)  # action -> what it depends on

    def without(self, actions: set[str]) -> Gap:
        """The gap less the ``actions`` (lower case) another rule reports."""
        return Gap(
            self.group,
            [a for a in self.missing if a.lower() not in actions],
            {a: by for a, by in self.denied.items() if a.lower() not in actions},
            [a for a in self.conditional if a.lower() not in actions],
            {a: what for a, what in self.conditions.items() if a.lower() not in actions},
        )

    def describe(self) -> str:
        """``group: a, b; group: c (denied by X); group: d (only conditional)`` in the profile's order."""
        ordered = [a for a in self.group.actions]
        kind, _, label = self.group.name.partition(" ")  # "<group> <label>": the label is the template's text
        name = f"{kind} {shorten(label, MAX_DESCRIBED)}" if label else kind
        parts = []
        if self.missing:
            parts.append(f"{name}: {', '.join(a for a in ordered if a in self.missing)}")
        for by in dict.fromkeys(self.denied.values()):
            actions = ", ".join(a for a in ordered if self.denied.get(a) == by)
            parts.append(f"{name}: {actions} (denied by {by})")
        if self.conditional:
            parts.append(f"{name}: {', '.join(a for a in ordered if a in self.conditional)} (only conditional)")
        return "; ".join(parts)


def statement_name(ref: StatementRef) -> str:
    sid = f" ({shorten(ref.sid, MAX_DESCRIBED)})" if ref.sid else ""  # the policy's own text
    return f"{ref.document} Statement[{ref.index}]{sid}"


def parse_documents(
    documents: Sequence[PolicyNode | KnownPolicy], holds: str | None = None, context: Context | None = None
) -> list[PolicyDocument]:
    """The documents parsed for evaluation (a policy set's ``readable`` ones: the template's and the known
    managed policies); a document under ``Fn::If`` has conditional statements, unless its condition is
    ``holds`` (the condition of the resource being checked, true whenever it exists). ``context``: how to read
    intrinsics (names standing for patterns)."""
    from sam_shift_lint.iam import parse_policy

    parsed: list[PolicyDocument] = []
    conditions: dict[str, str | None] = {}
    seen: dict[str, int] = {}
    for document in documents:
        label = document.label
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            label = f"{label} ({seen[label]})"
        parsed.append(parse_policy(document.data(), label, context))
        conditions[label] = document.condition if document.condition != holds else None
    return with_condition(parsed, conditions)


def resource_condition(resource: Mapping) -> str | None:
    """The template ``Condition`` a resource is created under, if any."""
    node = resource.get("Condition")
    return node.value if isinstance(node, Scalar) and isinstance(node.value, str) else None


def file_work(ctx: CheckContext) -> WorkLimit:
    """The allowance for hard wildcard questions that every IAM rule shares for one file (use it through
    ``ctx.shared(file_work)``): adversarial patterns cost a bounded time per file, not per question."""
    from sam_shift_lint.iam.glob import WorkLimit

    return WorkLimit()


def coverage_gaps(
    parsed: Sequence[PolicyDocument],
    policies: PolicySetView,
    profile: Profile,
    bindings: Bindings,
    symbols: AbstractMapping[str, str] | None = None,
    work: WorkLimit | None = None,
) -> list[Gap]:
    """The groups of ``profile`` the policies do not fully grant (unknowable answers are left out).
    ``symbols``: known text of other symbols (a resource's literal name for its ``Ref``). ``work``: the
    file's allowance for hard wildcard questions (:func:`file_work`)."""
    from sam_shift_lint.iam import Status, check_profile

    statements: dict[tuple[str, Path], Statement] = {(doc.id, s.path): s for doc in parsed for s in doc.statements}
    result = check_profile(
        parsed,
        profile,
        region=bindings.region,
        account=bindings.account,
        partition=bindings.partition,
        bindings=symbols,
        work=work,
    )
    gaps: list[Gap] = []
    for group in result.groups:
        gap = Gap(group.group)
        for item in group.actions:
            verdict = item.verdict
            if verdict.status is Status.NOT_GRANTED and not policies.may_be_granted_elsewhere(item.action):
                gap.missing.append(item.action)
            elif verdict.status is Status.DENIED:
                gap.denied[item.action] = statement_name(verdict.denied_by[0]) if verdict.denied_by else "a Deny statement"
            elif verdict.status is Status.CONDITIONAL:
                refs = [statements.get((ref.document, ref.path)) for ref in verdict.allowed_by]
                gated = [s for s in refs if s is not None and s.conditional]
                if gated:
                    gap.conditional.append(item.action)
                    names = sorted({s.template_condition for s in gated if s.template_condition})
                    gap.conditions[item.action] = (
                        f"the template condition {', '.join(names)}" if names else "an IAM Condition"
                    )
        if gap.missing or gap.denied or gap.conditional:
            gaps.append(gap)
    return gaps


def gaps_text(gaps: list[Gap]) -> str:
    return "; ".join(gap.describe() for gap in gaps)


def missing_count(gaps: list[Gap]) -> int:
    return sum(len(g.missing) for g in gaps)
