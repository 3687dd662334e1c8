#!/usr/bin/env python3
"""Compare ``sam-shift-lint permissions`` with the deployment-tested service roles of iann0036/aws-leastprivilege.

aws-leastprivilege (``cfnlp``) publishes, for each of the 12 types it maps by hand, a test: ``tests/<Type>/``
holds ``create.yaml`` and ``update.yaml`` (one resource of the type), a ``support.yaml`` stack of what they
refer to, and ``role.yaml``: the CloudFormation service role its author built up by adding permissions and
exercised by creating, updating and deleting the stack with it (``tests/execute.sh``, 2020). This script runs ``sam-shift-lint permissions
create.yaml update.yaml`` in each test directory (create, update and delete: the default) and compares, per type:

- actions: the role's, ours, the same, only the role's (each is printed: what their deployments used that we
  do not list), only ours;
- Resource: for each action the widest Resource that grants it, counted as ``*`` (anything), ``type`` (every
  resource of its type in the account: ``function:*``, ``role/*``, ``arn:aws:s3:::*``) or ``named`` (an exact
  ARN, a name or stack pattern, or another stack's export);
- size: how many managed policies ours is (split at IAM's 6,144 characters) and its characters as IAM counts
  them (no white space; the placeholders at their longest values, as ``permissions`` counts them);
- with ``--severity``: how the deploy-role check would split our actions (E9206: needed on every deployment or
  for deletion; W9207: only to read state, to update a property, under a condition: see
  ``sam_shift_lint.permissions.necessity``), each against their role: E9206 actions their deployments did without,
  and W9207 actions their role holds (their update exercised the property) or not;
- ``cfn2iam``: what cfn2iam's method (mrlikl/cfn2iam ``source/app.py``: every create, update, read, list and
  delete handler permission of the type, all on ``*``; delete allowed as with ``-d``) gives on cfn-lint's copy of
  the same registry schemas. cfn2iam itself fetches its schemas from its web site and publishes no example
  output, so this column is its method on our data, not its output.

Usage (standard library and sam-shift-lint only; nothing is fetched)::

    git clone https://github.com/iann0036/aws-leastprivilege /tmp/aws-leastprivilege   # tested: 1b44df9
    .venv/bin/python scripts/compare_peers.py /tmp/aws-leastprivilege [--details] [--severity]
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from sam_shift_lint.parsing.document import load
from sam_shift_lint.parsing.errors import DocumentError
from sam_shift_lint.permissions.policy import document_size
from sam_shift_lint.permissions.schemas import ProviderSchemas, cfnlint_dir

WIDTH = {"*": 2, "type": 1, "named": 0}  # the widest Resource of an action decides its class
NAME_ONLY = {"s3", "sns", "sqs"}  # their ARNs have no resource type: the resource part is the name
CFN2IAM_HANDLERS = ("create", "update", "read", "list", "delete")


def resource_class(resource: Any) -> str:
    """``*``, ``type`` or ``named`` for one Resource entry (a string, or an intrinsic function)."""
    if isinstance(resource, dict):
        if set(resource) == {"Fn::Sub"} and isinstance(resource["Fn::Sub"], str):
            return resource_class(resource["Fn::Sub"])
        return "named"  # Fn::ImportValue, Ref, Fn::GetAtt: one resource of another stack or this one
    if not isinstance(resource, str) or resource == "*":
        return "*"
    parts = re.sub(r"\$\{[^}]*\}", "X", resource).split(":", 5)  # ${AWS::Region} holds colons
    if len(parts) < 6:
        return "named"
    # the resource part after the account: "function:*", "function:*:*", "role/*", "*" ... is the whole type
    segments = parts[5].replace("/", ":").split(":")
    literal = 0
    while literal < len(segments) and segments[literal] != "*" and "*" not in segments[literal]:
        literal += 1
    rest = segments[literal:]
    if rest and all(segment == "*" for segment in rest) and literal <= (0 if parts[2] in NAME_ONLY else 1):
        return "type"
    return "named"


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def statements_of(policy: Any) -> Iterator[dict[str, Any]]:
    for document in _as_list(policy):
        if isinstance(document, dict):
            yield from (s for s in _as_list(document.get("Statement")) if isinstance(s, dict) and s.get("Effect") == "Allow")


def widest(statements: Iterable[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """Lower-cased action -> (action as written, class of the widest Resource that grants it)."""
    found: dict[str, tuple[str, str]] = {}
    for statement in statements:
        classes = [resource_class(r) for r in _as_list(statement.get("Resource", "*"))]
        width = max(classes, key=WIDTH.__getitem__)
        for action in _as_list(statement.get("Action")):
            if not isinstance(action, str):
                continue
            key = action.lower()
            if key not in found or WIDTH[width] > WIDTH[found[key][1]]:
                found[key] = (action, width)
    return found


def role_statements(path: str) -> list[dict[str, Any]]:
    """The Allow statements of every inline policy of the role in the test's ``role.yaml``."""
    try:
        data = load(path).data()
    except DocumentError as error:
        raise SystemExit(f"{path}: {error}") from None
    found: list[dict[str, Any]] = []
    resources = data.get("Resources") if isinstance(data, dict) else None
    for resource in resources.values() if isinstance(resources, dict) else ():
        properties = resource.get("Properties") if isinstance(resource, dict) and resource.get("Type") == "AWS::IAM::Role" else None
        policies = properties.get("Policies") if isinstance(properties, dict) else None
        for policy in policies if isinstance(policies, list) else ():
            if isinstance(policy, dict):
                found += statements_of(policy.get("PolicyDocument"))
    return found


def ours(directory: str) -> Any:
    """Our policy for the test's templates: one document, or a list of them when it was split."""
    templates = [name for name in ("create.yaml", "update.yaml") if os.path.isfile(os.path.join(directory, name))]
    command = [sys.executable, "-m", "sam_shift_lint", "permissions", *templates]
    done = subprocess.run(command, cwd=directory, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{directory}: sam-shift-lint permissions exited {done.returncode}: {done.stderr.strip()}")
    return json.loads(done.stdout)


def policy_size(policy: Any) -> tuple[int, int]:
    """(managed policies, characters IAM counts over all of them) of a ``permissions`` output."""
    documents = _as_list(policy)
    return len(documents), sum(document_size(document) for document in documents)


def cfn2iam_method(type_name: str, region: str = "us-east-1") -> set[str]:
    """Every handler permission of ``type_name`` in cfn-lint's schemas, as cfn2iam collects them."""
    root = os.path.join(cfnlint_dir(), "data", "schemas")
    if not ProviderSchemas(region).known(type_name):
        return set()
    with open(os.path.join(root, "providers", f"{region}.json"), encoding="utf-8") as handle:
        digest = json.load(handle)[type_name]
    with open(os.path.join(root, "resources", f"{digest}.json"), encoding="utf-8") as handle:
        handlers = json.load(handle).get("handlers", {})
    return {p.lower() for name in CFN2IAM_HANDLERS for p in handlers.get(name, {}).get("permissions", [])}


def severity(directory: str, type_name: str, theirs: Iterable[str]) -> str:
    """One line: our actions as E9206 or W9207 would report them missing, each set split by their role."""
    from sam_shift_lint.permissions import Deriver, Options, derive_files
    from sam_shift_lint.permissions.necessity import when_needed

    templates = [os.path.join(directory, n) for n in ("create.yaml", "update.yaml") if os.path.isfile(os.path.join(directory, n))]
    deriver = Deriver(Options())
    derivation, _ = derive_files(templates, deriver.options, deriver)
    required: dict[str, bool] = {}
    for need in derivation.needs:
        if need.handler != "transform":  # the caller's, as in the check
            key = need.action.lower()
            required[key] = required.get(key, False) or when_needed(need) is None
    patterns = [t.lower() for t in theirs]

    def held(action: str) -> bool:
        return any(fnmatch.fnmatchcase(action, pattern) for pattern in patterns)

    def split(wanted: bool) -> tuple[list[str], list[str]]:
        chosen = sorted(a for a, r in required.items() if r is wanted)
        return [a for a in chosen if held(a)], [a for a in chosen if not held(a)]

    (e_in, e_out), (w_in, w_out) = split(True), split(False)
    return (f"{type_name}: E9206 {len(e_in)} in their role, {len(e_out)} not ({', '.join(e_out)}); "
            f"W9207 {len(w_in)} in their role ({', '.join(w_in)}), {len(w_out)} not ({', '.join(w_out)})")


def classes(actions: dict[str, tuple[str, str]]) -> list[int]:
    """How many actions have ``*``, a whole type, or named resources as their widest Resource."""
    return [sum(1 for _, width in actions.values() if width == name) for name in ("*", "type", "named")]


def row(name: str, numbers: list[int]) -> tuple[str, ...]:
    text = [str(n) for n in numbers]
    return (name, *text[:5], "/".join(text[5:8]), "/".join(text[8:11]), f"{text[12]} ({numbers[13]:,})", text[11])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("peer", help="a checkout of iann0036/aws-leastprivilege (or its tests/ directory)")
    parser.add_argument("--details", action="store_true", help="also list the actions only we grant")
    parser.add_argument("--severity", action="store_true", help="also split our actions as E9206/W9207 would, against their role")
    args = parser.parse_args(argv)
    tests = os.path.join(args.peer, "tests") if os.path.isdir(os.path.join(args.peer, "tests")) else args.peer
    names = sorted(n for n in os.listdir(tests) if n.startswith("AWS-") and os.path.isfile(os.path.join(tests, n, "role.yaml")))
    if not names:
        raise SystemExit(f"{tests}: no <Type>/role.yaml test directories")
    header = ("type", "theirs", "ours", "same", "only theirs", "only ours", "theirs */type/named", "ours */type/named", "ours: policies (characters)", "cfn2iam (on *)")
    rows: list[tuple[str, ...]] = []
    notes: list[str] = []
    totals = [0] * 14
    for name in names:
        directory = os.path.join(tests, name)
        type_name = name.replace("-", "::")
        policy = ours(directory)
        theirs, mine = widest(role_statements(os.path.join(directory, "role.yaml"))), widest(statements_of(policy))
        same, missing, extra = theirs.keys() & mine.keys(), theirs.keys() - mine.keys(), mine.keys() - theirs.keys()
        method = cfn2iam_method(type_name)
        numbers = [len(theirs), len(mine), len(same), len(missing), len(extra), *classes(theirs), *classes(mine), len(method), *policy_size(policy)]
        totals = [a + b for a, b in zip(totals, numbers)]
        rows.append(row(type_name, numbers))
        if missing:
            notes.append(f"{type_name}: only theirs: {', '.join(sorted(theirs[k][0] for k in missing))}")
        if args.details and extra:
            notes.append(f"{type_name}: only ours: {', '.join(sorted(mine[k][0] for k in extra))}")
        if args.severity:
            notes.append(severity(directory, type_name, theirs))
    rows.append(row("total", totals))
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join(" --- " for _ in header) + "|")
    for line in rows:
        print("| " + " | ".join(line) + " |")
    if notes:
        print()
        print("\n".join(notes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
