"""ARN text: its fields, placeholders left in the region or account field, and the partition, region and
account a document's ARNs agree on.

A placeholder is what documentation and samples put where a real value belongs: ``region``, ``REGION``,
``id``, ``account-id``, ``ACCOUNT_ID`` (and a few spellings of those, case-insensitive, ``_`` read as
``-``), anything in angle brackets or single braces (``<account>``, ``{region}``), a run of ``x``
(``xxxxxxxxxxxx``), and a ``${...}`` that nobody substitutes: ``${AWS::Region}`` outside ``Fn::Sub``, or
``${Region}``/``${AccountId}`` in a standalone policy. IAM policy variables (``${aws:PrincipalAccount}``)
are real values.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from sam_shift_lint.records import record

FIELDS = ("arn", "partition", "service", "region", "account")
REGION_FORMAT = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")
ACCOUNT_FORMAT = re.compile(r"\d{12}")
PARTITION_FORMAT = re.compile(r"aws(-[a-z]+)*")

PLACEHOLDER_WORDS = frozenset(
    {
        "region", "aws-region", "awsregion", "region-name", "regionname", "region-code", "your-region",
        "yourregion", "my-region", "id", "account", "account-id", "accountid", "account-number",
        "accountnumber", "account-no", "aws-account", "awsaccount", "aws-account-id", "awsaccountid",
        "your-account", "your-account-id", "youraccountid", "my-account-id", "acct", "acct-id", "acctid",
    }
)


@record(frozen=True)
class ArnField:
    """One field of an ARN: its name, text and offsets within the whole string."""

    name: str
    text: str
    start: int
    end: int


def arn_fields(text: str) -> dict[str, ArnField] | None:
    """The ``partition``, ``service``, ``region`` and ``account`` fields of an ARN (a ``${...}`` counts as
    one piece of text, colons included), or None when ``text`` is no ARN."""
    if not text.startswith("arn:"):
        return None
    bounds: list[tuple[int, int]] = []
    start = 0
    index = 0
    while index < len(text) and len(bounds) < 5:
        if text.startswith("${", index):
            close = text.find("}", index)
            if close == -1:
                return None
            index = close + 1
            continue
        if text[index] == ":":
            bounds.append((start, index))
            start = index + 1
        index += 1
    if len(bounds) < 5:
        return None
    return {name: ArnField(name, text[a:b], a, b) for name, (a, b) in zip(FIELDS, bounds) if name != "arn"}


def _normal(text: str) -> str:
    return text.strip().lower().replace("_", "-").replace(" ", "-")


def is_placeholder(field: str, substituted: bool = False) -> bool:
    """Is the text of a region or account field a placeholder? ``substituted``: the string is an
    ``Fn::Sub`` text, whose ``${Name}`` variables CloudFormation fills in."""
    text = field.strip()
    if not text:
        return False
    if text.startswith("${") and text.endswith("}") and text.count("${") == 1:
        name = text[2:-1].strip()
        if substituted and not name.startswith("!"):
            return False
        name = name.lstrip("!")
        if "::" in name:
            return True  # ${AWS::Region} that nobody substitutes
        return _normal(name) in PLACEHOLDER_WORDS
    if "${" in text:
        return False
    if (text[0], text[-1]) in (("<", ">"), ("{", "}"), ("[", "]")) and len(text) > 2:
        return True
    if set(text) <= {"x", "X"} and len(text) >= 3:
        return True
    return _normal(text) in PLACEHOLDER_WORDS


def placeholders(text: str, substituted: bool = False) -> tuple[ArnField, ...]:
    """The region and account fields of the ARN ``text`` that hold placeholders."""
    fields = arn_fields(text)
    if fields is None:
        return ()
    return tuple(fields[name] for name in ("region", "account") if is_placeholder(fields[name].text, substituted))


def agreed(texts: Iterable[str]) -> dict[str, str | None]:
    """``{"partition", "region", "account"}``: the value every ARN among ``texts`` that names one agrees
    on (None when none does or they disagree). Wildcards, variables, placeholders and ``aws`` (the account
    of AWS managed policies) do not count."""
    seen: dict[str, set[str]] = {"partition": set(), "region": set(), "account": set()}
    formats = {"partition": PARTITION_FORMAT, "region": REGION_FORMAT, "account": ACCOUNT_FORMAT}
    for text in texts:
        fields = arn_fields(text)
        if fields is None:
            continue
        for name, pattern in formats.items():
            value = fields[name].text
            if pattern.fullmatch(value):
                seen[name].add(value)
    return {name: (next(iter(values)) if len(values) == 1 else None) for name, values in seen.items()}


def replace_fields(text: str, values: dict[str, str]) -> str:
    """``text`` with the named ARN fields (``region``/``account``) replaced."""
    fields = arn_fields(text)
    if fields is None:
        return text
    out = text
    for name in sorted(values, key=lambda n: fields[n].start, reverse=True):
        field = fields[name]
        out = out[: field.start] + values[name] + out[field.end:]
    return out


def valid_region(text: str) -> bool:
    return bool(REGION_FORMAT.fullmatch(text))


def valid_account(text: str) -> bool:
    return bool(ACCOUNT_FORMAT.fullmatch(text))
