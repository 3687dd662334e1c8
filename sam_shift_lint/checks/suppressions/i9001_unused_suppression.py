"""## What it does
Informational, and off unless selected by its full id (`--select I9001`, or `--report-unused-suppressions`; in
cfn-lint, `--include-checks I9001`). Reports a suppression comment (`# sam-shift-lint: disable=...` or
`disable-file=...`) with ids that suppress nothing: no finding of the rules an id names is where the comment
applies, or the id names no rule; and a comment that mentions `sam-shift-lint:` but holds no directive. An id is
judged by running the rules it names, whether or not they are selected, before any suppression applies.

## Why it breaks deployments
A suppression outlives the problem it was written for. Once the function behind a `disable=W9101` gets its
alias the comment does nothing, until someone copies the function or edits the line, and a function without an
alias deploys all at once again without a warning. A misspelt directive (`disable W9101`, `disable=W9011`)
never suppressed anything, so the warning it was meant to silence is still being ignored by hand.

## Example
```yaml
Resources:
  Api:  # sam-shift-lint: disable=W9101,W9102
    Type: AWS::Serverless::Function
    Properties:
      AutoPublishAlias: live       # W9101 has nothing to report: its id is unused
      Handler: app.handler
```
Use instead: `# sam-shift-lint: disable=W9102`.

## Fix safety
Safe. Removes the unused ids; a directive with none left is removed, and so is its comment (with its line, when
the comment was alone on it) when nothing else is in it. Comments hold no data, so the template does not change.
A comment that holds no directive is not changed.
"""
from __future__ import annotations

from collections.abc import Iterator

from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta, Target
from sam_shift_lint.editing.directives import remove_entries
from sam_shift_lint.editing.positions import SourceText
from sam_shift_lint.findings import Applicability, Finding, Fix, Span
from sam_shift_lint.model.directives import MALFORMED, Directive, Entry, Usage, directives_of, suppressed_by

META = RuleMeta(
    id="I9001",
    name="unused-suppression",
    summary="Suppression comment that suppresses nothing",
    tags=("suppression",),
    fix=FixAvailability.SOMETIMES,
    targets=frozenset({Target.TEMPLATE, Target.POLICY_FILE}),
    default_on=False,
)


def check(ctx: CheckContext) -> Iterator[Finding]:
    directives = directives_of(ctx.document)
    if not directives:
        return
    from sam_shift_lint.checks.registry import RULES  # the registry imports this module

    usage = Usage()
    for rule_id, rule in RULES.items():
        if rule_id != META.id and ctx.target in rule.META.targets and any(d.names(rule_id) for d in directives):
            for found in rule.check(ctx):
                suppressed_by(directives, found, usage)
    source = SourceText(ctx.document.text)
    for directive in directives:
        if directive.kind == MALFORMED:
            message = "Comment mentions sam-shift-lint: but holds no directive (write disable=IDS or disable-file=IDS)"
            yield _finding(ctx, source, directive, message, [])
            continue
        unknown = [entry for entry in directive.entries if not any(rule_id.startswith(entry.code) for rule_id in RULES)]
        unused = [
            entry
            for entry in usage.unused(directive)
            if entry not in unknown and not META.id.startswith(entry.code)  # this rule's own id is not judged
        ]
        if unknown or unused:
            parts = [f"{entry.code} matches no finding here" for entry in unused]
            parts += [f"{entry.code} is no rule id or prefix" for entry in unknown]
            yield _finding(ctx, source, directive, "Unused suppression: " + "; ".join(parts), sorted(unknown + unused))


def _finding(ctx: CheckContext, source: SourceText, directive: Directive, message: str, unused: list[Entry]) -> Finding:
    line, column = source.position(directive.start)
    end_line, end_column = source.position(directive.end)
    span = Span(line, column, end_line, end_column, directive.start, directive.end)
    return Finding(META.id, message, ctx.file, span, data=(directive, unused))


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    directive, unused = finding.data
    edit = remove_entries(ctx.document, directive, unused)
    if edit is None:
        return None
    codes = ", ".join(entry.code for entry in unused)
    return Fix(Applicability.SAFE, f"Remove unused suppression of {codes}", (edit,))
