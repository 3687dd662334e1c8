"""``sam-shift-lint permissions TEMPLATE...``: the IAM policy that deploying the templates needs.

Exit codes: 0 the policy was written (warnings may be on stderr); 1 with ``--diff``, when the change adds
permissions (0 when it adds none); 2 usage error, or a template that cannot be read, parsed or translated
(one line each on stderr, and no policy: a policy without one of the templates would be wrong).
"""
from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence

from sam_shift_lint import __version__
from sam_shift_lint.cli.parser import HelpFormatter
from sam_shift_lint.output.escape import escape

EXIT_OK = 0
EXIT_ADDED = 1
EXIT_ERROR = 2
_STACK_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,127}")
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]")
_PARAMETER = re.compile(r"([A-Za-z0-9]+)=(.*)", re.DOTALL)


class UsageError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sam-shift-lint permissions",
        formatter_class=HelpFormatter,
        description="Derive, offline, the IAM permissions that deploying the templates with CloudFormation needs "
        "(SAM templates are translated first). Several templates merge into one policy.",
        epilog="Exit codes: 0 policy written; 1 --diff found added permissions; 2 usage error or a template that "
        "cannot be used. Handler permissions are AWS's published data, not a proof: see --explain.",
    )
    parser.add_argument("templates", nargs="*", metavar="TEMPLATE", help="SAM or CloudFormation templates (YAML or JSON files)")
    parser.add_argument("--diff", nargs=2, metavar=("OLD", "NEW"), help="print only the permissions NEW needs that OLD does not")
    parser.add_argument("--format", default="json", choices=("json", "yaml", "cfn"), help="IAM policy JSON (default), YAML, or a "
                        "CloudFormation snippet of AWS::IAM::ManagedPolicy resources (cfn)")
    parser.add_argument("--operations", default="create,update,delete", metavar="OPS",
                        help="which stack operations to allow, comma-separated (default: create,update,delete; the read "
                        "handler is always included)")
    parser.add_argument("--explain", action="store_true", help="say on stderr, per resource, what is needed and what was pruned and why")
    values = parser.add_argument_group("values for placeholders")
    values.add_argument("--stack-name", metavar="NAME", help="the stack's name (fills ${StackName}; S3 bucket names need it)")
    values.add_argument("--region", metavar="REGION", help="the region (fills ${AWS::Region}; also the provider schemas' "
                        "region, default us-east-1)")
    values.add_argument("--account-id", metavar="ID", help="the 12-digit account id (fills ${AWS::AccountId})")
    values.add_argument("--partition", metavar="PARTITION", help="the partition (fills ${AWS::Partition}, e.g. aws)")
    values.add_argument("--artifact-bucket", metavar="BUCKET", help="where sam deploy uploads local code (fills ${ArtifactBucket})")
    values.add_argument("--parameter", action="append", default=[], metavar="NAME=VALUE",
                        help="a template parameter's value, for names built from it (repeatable)")
    values.add_argument("--stack-tags", action="store_true", help="the stack is deployed with stack-level tags: keep every "
                        "tagging permission (CloudFormation copies stack tags onto resources)")
    values.add_argument("--size-limit", type=int, default=6144, metavar="N",
                        help="split the policy so that each part has at most N characters (default 6144, a managed policy)")
    parser.add_argument("--version", action="version", version=f"sam-shift-lint {__version__}")
    return parser


def _placeholder_values(args: argparse.Namespace) -> dict[str, str]:
    from sam_shift_lint.iam.arns import ACCOUNT_FORMAT, PARTITION_FORMAT, REGION_FORMAT
    from sam_shift_lint.permissions.values import ACCOUNT, ARTIFACT_BUCKET, PARTITION, REGION, STACK

    checks = (
        ("stack-name", args.stack_name, _STACK_NAME, STACK),
        ("region", args.region, REGION_FORMAT, REGION),
        ("account-id", args.account_id, ACCOUNT_FORMAT, ACCOUNT),
        ("partition", args.partition, PARTITION_FORMAT, PARTITION),
        ("artifact-bucket", args.artifact_bucket, _BUCKET, ARTIFACT_BUCKET),
    )
    out = {}
    for name, value, pattern, placeholder in checks:
        if value is None:
            continue
        if not pattern.fullmatch(value):
            raise UsageError(f"--{name}: not a valid value: {value[:60]!r}")
        out[placeholder] = value
    return out


def _options(args: argparse.Namespace) -> object:
    from sam_shift_lint.permissions import Options
    from sam_shift_lint.permissions.schemas import DEFAULT_REGION, OPERATIONS

    operations = tuple(op.strip() for op in args.operations.split(",") if op.strip())
    unknown = [op for op in operations if op not in OPERATIONS]
    if unknown or not operations:
        raise UsageError(f"--operations: expected some of {', '.join(OPERATIONS)}, got {args.operations[:60]!r}")
    parameters = {}
    for item in args.parameter:
        match = _PARAMETER.fullmatch(item)
        if not match:
            raise UsageError(f"--parameter: expected NAME=VALUE, got {item[:60]!r}")
        parameters[match.group(1)] = match.group(2)
    if args.size_limit < 200:
        raise UsageError("--size-limit: at least 200 characters")
    return Options(
        operations=tuple(op for op in OPERATIONS if op in operations),
        region=args.region or DEFAULT_REGION,
        parameters=parameters,
        stack_name=args.stack_name,
        stack_tags=args.stack_tags,
    )


def main(argv: Sequence[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv))
    try:
        if bool(args.diff) == bool(args.templates):
            raise UsageError("give TEMPLATE... or --diff OLD NEW (not both)")
        values = _placeholder_values(args)
        options = _options(args)
    except UsageError as error:
        print(f"sam-shift-lint permissions: error: {escape(str(error))}", file=sys.stderr)
        return EXIT_ERROR
    return _run(args, options, values)


def _run(args: argparse.Namespace, options: object, values: dict[str, str]) -> int:
    from sam_shift_lint.iam.actions import CatalogUnavailable
    from sam_shift_lint.permissions import Deriver, Options, derive_files
    from sam_shift_lint.permissions.diff import added
    from sam_shift_lint.permissions.explain import explain
    from sam_shift_lint.permissions.policy import size, split, statements
    from sam_shift_lint.permissions.render import render
    from sam_shift_lint.permissions.schemas import SchemaUnavailable

    assert isinstance(options, Options)
    try:
        deriver = Deriver(options)
        if args.diff:
            old, old_errors = derive_files([args.diff[0]], options, deriver)
            new, new_errors = derive_files([args.diff[1]], options, deriver)
            errors = old_errors + new_errors
            needs = added(old.needs, new.needs)
            derivation = new
        else:
            derivation, errors = derive_files(args.templates, options, deriver)
            needs = derivation.needs
    except (SchemaUnavailable, CatalogUnavailable) as error:
        print(f"sam-shift-lint permissions: error: {escape(str(error))}", file=sys.stderr)
        return EXIT_ERROR
    for path, reason in errors:
        print(f"{escape(path)}: error: {escape(reason)}", file=sys.stderr)
    if errors:
        return EXIT_ERROR
    for note in derivation.warnings:
        where = f"{note.logical_id}: " if note.logical_id else ""
        print(f"{escape(note.template)}: warning: {escape(where + note.text)}", file=sys.stderr)
    if args.explain:
        sys.stderr.write("".join(escape(line) + "\n" for line in explain(needs, derivation.notes).splitlines()))
    granted = statements(needs)
    if not granted:  # an IAM policy needs a statement: print none
        print(f"sam-shift-lint permissions: {'the change adds' if args.diff else 'the templates need'} no permissions", file=sys.stderr)
        return EXIT_OK
    policies = split(granted, args.size_limit, values)
    if len(policies) > 1:
        print(f"sam-shift-lint permissions: warning: the policy is larger than {args.size_limit} characters: "
              f"split into {len(policies)} policies", file=sys.stderr)
    for policy in policies:
        if size(policy, values) > args.size_limit:
            print(f"sam-shift-lint permissions: warning: a statement alone is larger than {args.size_limit} characters", file=sys.stderr)
    names = args.diff or args.templates
    description = f"Deploy permissions for {', '.join(names)} (sam-shift-lint permissions)"
    sys.stdout.write(render(policies, args.format, values, description[:1000]))
    return EXIT_ADDED if args.diff else EXIT_OK
