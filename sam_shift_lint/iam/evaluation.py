"""Does a set of policies allow an action on every resource matching a pattern?

Semantics (identity policies only; SCPs, boundaries and resource policies are not visible, so
"granted" means "allowed by the policies considered"):

* implicit deny; an explicit ``Deny`` overrides every ``Allow``;
* ``NotAction``/``NotResource`` reach everything their patterns do not match;
* a statement gated by a ``Condition`` (or a template ``Fn::If``) only counts conditionally.

The answer is a :class:`Status`, from best to worst:

``granted``      every matching resource is allowed, unconditionally, and no Deny can reach it;
``conditional``  allowed only if some Condition holds (a conditional Allow is needed), or a
                 conditional Deny reaches part of it;
``unknown``      the answer depends on values not known here: unresolvable intrinsics or policy
                 variables, an unresolved Effect, or symbols (``${AWS::Region}`` ...) the policy writes
                 as literals (pass ``region``/``account`` to decide); or the wildcard patterns are too
                 complex to decide within the work limit (:class:`.glob.TooComplex`);
``not_granted``  no (combination of) Allow statements covers it: implicit deny;
``denied``       an unconditional explicit Deny reaches at least one matching resource. When it reaches
                 only part of them ``partial_deny`` is True ("partially denied" is reported as denied).

A wildcard required action (``lambda:*``) means every action it matches: an Allow counts only when its
action patterns contain the required pattern (case-insensitive pattern containment, so ``lambda:Get*``
does not cover ``lambda:*``); a Deny counts when its patterns overlap it.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from enum import Enum

from sam_shift_lint.iam import glob, matching
from sam_shift_lint.iam.pattern import ACCOUNT, PARTITION, REGION, Pattern, Unknown, parse_template
from sam_shift_lint.iam.policy import ALLOW, DENY, Clause, Path, PolicyDocument, Statement
from sam_shift_lint.records import record

DEFAULT_PARTITION = "aws"


class Status(str, Enum):
    """The verdict on one (action, resource pattern) question."""

    GRANTED = "granted"
    CONDITIONAL = "conditional"
    UNKNOWN = "unknown"
    NOT_GRANTED = "not_granted"
    DENIED = "denied"

    @property
    def rank(self) -> int:
        """0 for granted up to 4 for denied (higher is worse)."""
        return list(Status).index(self)


def worst(statuses: Iterable[Status]) -> Status:
    """The worst of some statuses (granted for none)."""
    return max(statuses, key=lambda s: s.rank, default=Status.GRANTED)


@record(frozen=True)
class StatementRef:
    """Which statement: the caller's document id, the index in ``Statement``, its Sid and key path."""

    document: str
    index: int
    sid: str | None
    path: Path

    def __str__(self) -> str:
        sid = f" ({self.sid})" if self.sid else ""
        return f"{self.document} statement {self.index}{sid}"


@record(frozen=True)
class Verdict:
    """The answer for one action on one resource pattern.

    ``allowed_by``: the Allow statements the answer rests on (for ``not_granted``: those that grant
    part of it). ``denied_by``: the Deny statements that make it denied, conditional or unknown.
    """

    action: str
    resource: str
    status: Status
    allowed_by: tuple[StatementRef, ...] = ()
    denied_by: tuple[StatementRef, ...] = ()
    partial_deny: bool = False

    @property
    def statements(self) -> tuple[StatementRef, ...]:
        """Every responsible statement."""
        return self.allowed_by + self.denied_by


def bindings_for(
    region: str | None = None,
    account: str | None = None,
    partition: str | None = DEFAULT_PARTITION,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Symbol values from the usual keyword arguments (``None`` keeps a symbol symbolic)."""
    given = {REGION: region, ACCOUNT: account, PARTITION: partition}
    return {**(extra or {}), **{name: value for name, value in given.items() if value is not None}}


class PolicySet:
    """Policies with their symbols bound once, ready for many questions.

    ``region``/``account``/``partition`` and ``bindings`` (any other symbol) give symbols concrete
    values in both the policies and the required patterns; ``None`` keeps a symbol symbolic. ``work``: the
    allowance for hard wildcard questions (shared, e.g. by all the policy sets of one file; by default
    each set has its own): a question that needs more is answered ``unknown``.
    """

    def __init__(
        self,
        documents: Sequence[PolicyDocument],
        *,
        region: str | None = None,
        account: str | None = None,
        partition: str | None = DEFAULT_PARTITION,
        bindings: Mapping[str, str] | None = None,
        work: glob.WorkLimit | None = None,
    ) -> None:
        self.values = bindings_for(region, account, partition, bindings)
        self.work = work if work is not None else glob.WorkLimit()
        self.statements = [(doc.id, _bind(s, self.values)) for doc in documents for s in doc.statements]

    def evaluate(self, action: str, resource: str | Pattern) -> Verdict:
        """Is ``action`` allowed on every resource matching ``resource`` (text uses ``${Name}`` symbols)?"""
        pattern = parse_template(resource) if isinstance(resource, str) else resource
        required = pattern.substitute(self.values)
        try:
            return _Question(action, required, self.work).answer(self.statements)
        except glob.TooComplex:  # adversarial wildcards: not decided within the work limit
            return Verdict(action, required.text, Status.UNKNOWN)


def evaluate(
    documents: Sequence[PolicyDocument],
    action: str,
    resource: str | Pattern,
    *,
    region: str | None = None,
    account: str | None = None,
    partition: str | None = DEFAULT_PARTITION,
    bindings: Mapping[str, str] | None = None,
) -> Verdict:
    """Is ``action`` allowed on every resource matching ``resource``? (One question; see :class:`PolicySet`.)"""
    policies = PolicySet(documents, region=region, account=account, partition=partition, bindings=bindings)
    return policies.evaluate(action, resource)


# --- internals --------------------------------------------------------------------------------------

ALL, SOME, MAYBE, NONE = "all", "some", "maybe", "none"
_TIERS = (Status.GRANTED, Status.CONDITIONAL, Status.UNKNOWN)


def _bind(statement: Statement, values: Mapping[str, str]) -> Statement:
    clause = statement.resource
    if not values or clause is None:
        return statement
    bound = tuple(v.substitute(values) if isinstance(v, Pattern) else v for v in clause.values)
    return Statement(
        statement.index,
        statement.path,
        statement.sid,
        statement.effect,
        statement.action,
        Clause(bound, clause.negated),
        statement.condition,
        statement.template_condition,
    )


def _ref(doc_id: str, s: Statement) -> StatementRef:
    return StatementRef(doc_id, s.index, s.sid, s.path)


class _Question:
    """One (action, required resource pattern) question over bound statements."""

    def __init__(self, action: str, required: Pattern, work: glob.WorkLimit) -> None:
        self.action = action
        self.required = required
        self.work = work

    def action_relation(self, clause: Clause | None) -> str:
        """How much of the required action(s) the clause reaches."""
        if clause is None:
            return NONE
        known = [v for v in clause.known if isinstance(v, str)]
        unknown = clause.has_unknown or len(known) != len(clause.known)
        overlap = any(matching.action_overlaps(k, self.action) for k in known)
        if not clause.negated:
            if known and matching.action_covers(known, self.action, self.work):
                return ALL
            return SOME if overlap else MAYBE if unknown else NONE
        if not overlap:
            return MAYBE if unknown else ALL
        if matching.action_covers(known, self.action, self.work):
            return NONE
        return MAYBE if unknown else SOME

    def resource_relation(self, clause: Clause | None) -> str:
        """How much of the required resource pattern the clause reaches."""
        if clause is None:
            return NONE
        known = [v for v in clause.values if isinstance(v, Pattern)]
        unknown = clause.has_unknown
        req = self.required
        if not clause.negated:
            if known and matching.resource_covers(known, req, work=self.work):
                return ALL
            if any(matching.resource_overlaps(k, req) for k in known):
                return SOME
            may = unknown or any(matching.resource_may_overlap(k, req) for k in known)
            return MAYBE if may else NONE
        if known and matching.resource_covers(known, req, work=self.work):
            return NONE
        if not any(matching.resource_may_overlap(k, req) for k in known):
            return MAYBE if unknown else ALL
        if not matching.resource_covers(known, req, loose=True, work=self.work):
            return MAYBE if unknown else SOME
        return MAYBE

    def answer(self, stmts: list[tuple[str, Statement]]) -> Verdict:
        """Combine explicit denies and the best allow tier into a verdict."""
        denied: list[StatementRef] = []
        soft_denies: list[tuple[Status, StatementRef]] = []
        full_deny = False
        allows: list[tuple[Status, str, Statement]] = []
        partial_allows: list[StatementRef] = []
        for doc_id, s in stmts:
            a = self.action_relation(s.action)
            r = self.resource_relation(s.resource)
            if NONE in (a, r):
                continue
            definite = a != MAYBE and r != MAYBE
            if s.effect != ALLOW:
                if definite and s.effect == DENY and not s.conditional:
                    denied.append(_ref(doc_id, s))
                    full_deny = full_deny or (a == ALL and r == ALL)
                elif definite and s.effect == DENY:
                    soft_denies.append((Status.CONDITIONAL, _ref(doc_id, s)))
                else:
                    soft_denies.append((Status.UNKNOWN, _ref(doc_id, s)))
            if s.effect != DENY:
                if a == SOME:
                    partial_allows.append(_ref(doc_id, s))
                else:
                    allows.append((self._allow_tier(s, a), doc_id, s))
        text = self.required.text
        if denied:
            return Verdict(self.action, text, Status.DENIED, (), tuple(denied), not full_deny)
        for tier in _TIERS:
            chosen = [(d, s) for t, d, s in allows if t.rank <= tier.rank]
            if chosen and self._covered(chosen, loose=tier is Status.UNKNOWN):
                status = worst([tier] + [t for t, _ in soft_denies])
                refs = tuple(_ref(d, s) for d, s in chosen)
                return Verdict(self.action, text, status, refs, tuple(r for _, r in soft_denies))
        partial = tuple(_ref(d, s) for _, d, s in allows) + tuple(partial_allows)
        return Verdict(self.action, text, Status.NOT_GRANTED, partial, ())

    @staticmethod
    def _allow_tier(s: Statement, a: str) -> Status:
        """The best status an Allow statement can support on its own."""
        certain = s.effect == ALLOW and a == ALL
        if not certain or (s.resource is not None and s.resource.negated and s.resource.has_unknown):
            return Status.UNKNOWN
        return Status.CONDITIONAL if s.conditional else Status.GRANTED

    def _covered(self, chosen: list[tuple[str, Statement]], loose: bool) -> bool:
        include: list[Pattern] = []
        within: list[tuple[Pattern, ...]] = []
        for _, s in chosen:
            clause = s.resource
            assert clause is not None  # statements without a resource never get here
            known = tuple(v for v in clause.values if isinstance(v, Pattern))
            if clause.negated:
                within.append(known)
            else:
                include.extend(known)
                if loose and any(isinstance(v, Unknown) for v in clause.values):
                    include.append(Pattern((glob.STAR,)))
        return matching.resource_covers(include, self.required, within, loose, self.work)
