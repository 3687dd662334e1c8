"""What the IAM rules check against: the region, account and partition of ARN symbols (``--region`` /
``--account-id``, else what every ARN of the file agrees on) and requirement profiles: by bundled name for what
a template names, by name or path for what the user names."""
from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.findings import Applicability, Fix
from sam_shift_lint.parsing.nodes import Node, scalars
from sam_shift_lint.records import field, record
from sam_shift_lint.settings import LintSettings

if TYPE_CHECKING:  # sam_shift_lint.iam is imported only when a profile is loaded
    from sam_shift_lint.iam.profiles import Profile


@record(frozen=True)
class Bindings:
    """Concrete values for the ARN symbols, and where each came from ("flag" or "file")."""

    region: str | None = None
    account: str | None = None
    partition: str = "aws"
    sources: dict[str, str] = field(default_factory=dict)


def _arn_texts(node: Node) -> Iterator[str]:
    for scalar in scalars(node):
        if isinstance(scalar.value, str) and "arn:" in scalar.value:
            yield scalar.value


def bindings_for(root: Node, settings: LintSettings) -> Bindings:
    from sam_shift_lint.iam.arns import agreed

    found = agreed(_arn_texts(root))
    sources: dict[str, str] = {}
    values: dict[str, str | None] = {}
    given_values = {"region": settings.region, "account": settings.account_id}
    for name in ("region", "account"):
        given = given_values[name]
        if given:
            values[name], sources[name] = given, "flag"
        elif found[name]:
            values[name], sources[name] = found[name], "file"
        else:
            values[name] = None
    return Bindings(values["region"], values["account"], found["partition"] or "aws", sources)


def file_bindings(ctx: CheckContext) -> Bindings:
    """:func:`bindings_for` the checked file, found once per file however many rules ask
    (``ctx.shared(file_bindings)``): it reads every ARN of the file."""
    return bindings_for(ctx.document.root, ctx.lint)


# The pseudo parameters a policy file's ARNs are bound to, and the flag that gives each when they do not agree.
BINDING_FLAGS = {"AWS::Region": "--region", "AWS::AccountId": "--account-id"}
STATEMENT_NOT_A_LIST = "Make Statement a list, then add the missing statements"


def bound_values(bindings: Bindings) -> dict[str, str]:
    """The pseudo parameters ``bindings`` give a value (the partition always), by name (``AWS::Region``)."""
    values = {"AWS::Partition": bindings.partition}
    if bindings.region:
        values["AWS::Region"] = bindings.region
    if bindings.account:
        values["AWS::AccountId"] = bindings.account
    return values


def unbound_flags(patterns: Iterable[str], bindings: Bindings) -> list[str]:
    """What to pass for the ``${...}`` symbols the patterns use and ``bindings`` leave unknown, which a fix for a
    policy file cannot write: ``--region``, then ``--account-id``, then any other symbol by its name."""
    from sam_shift_lint.iam.pattern import parse_template

    used = {symbol for pattern in patterns for symbol in parse_template(pattern).symbols}
    order = list(BINDING_FLAGS)
    unbound = sorted(used - bound_values(bindings).keys(), key=lambda s: (order.index(s) if s in order else len(order), s))
    return [BINDING_FLAGS.get(symbol, symbol) for symbol in unbound]


def with_bound_values(pattern: str, bindings: Bindings) -> str:
    """The ``${...}`` pattern with the pseudo parameters ``bindings`` give written out."""
    from sam_shift_lint.iam.pattern import parse_template

    return parse_template(pattern).substitute(bound_values(bindings)).text


def pass_flags_fix(flags: list[str]) -> Fix:
    """The fix a policy file gets when its statements would need values only flags can give."""
    return Fix(Applicability.DISPLAY, f"Pass {' and '.join(flags)}: the file's ARNs do not agree on them")


@functools.lru_cache(maxsize=32)
def bundled_profile(name: str) -> Profile:
    """A bundled profile by name: all that untrusted input (a template's Metadata) may name. Never a file."""
    from sam_shift_lint.iam.profiles import load_bundled_profile

    return load_bundled_profile(name)


@functools.lru_cache(maxsize=8)
def user_profile(spec: str) -> Profile:
    """The profile the user named (``--policy-profile``): a bundled name or a JSON file (relative paths from
    the current directory), read once per process: the command line validates it with this same call."""
    from sam_shift_lint.iam.profiles import load_profile

    return load_profile(spec)


@functools.lru_cache(maxsize=16)
def declared_profile(path: str) -> Profile:
    """A profile file the configuration declares (``[tool.sam-shift-lint.profiles]``; its path was resolved and
    checked when the configuration was read: inside the repository, a regular file, not too large), read as
    every user-named profile file is (:func:`~sam_shift_lint.iam.profiles.load_profile_file`: a regular file
    only, opened non-blocking, checked with ``fstat``, at most 1 MB), once per process."""
    from sam_shift_lint.iam.profiles import load_profile_file

    return load_profile_file(path)


def template_profile(name: str, settings: LintSettings) -> Profile | None:
    """The profile a role's Metadata names when the configuration declares it (None: not declared)."""
    declared = settings.declared_profile(name)
    return declared_profile(declared) if declared is not None else None


def profile_for(spec: str, settings: LintSettings) -> Profile:
    """The profile ``spec`` names for a policy file: one the configuration declares, else a bundled name or the
    JSON file ``--policy-profile`` gave (read once: the command line validated it with the same call)."""
    declared = settings.declared_profile(spec)
    if declared is not None:
        return declared_profile(declared)
    return user_profile(spec)
