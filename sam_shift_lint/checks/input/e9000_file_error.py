"""## What it does
Reports a file that could not be checked: it cannot be read (missing, permission denied, a directory that cannot
be listed, a FIFO, socket or device, larger than 5 MB, binary or UTF-16), it is not valid YAML or JSON (syntax
errors, duplicate keys, anchors and aliases, nesting deeper than 200 levels, an integer of more than 4,300
digits, an explicit tag with no CloudFormation value), or checking or fixing it failed (an internal error, or
`--fix` could not write it). The message says which; the position is where the parser stopped, or 1:1.

Like cfn-lint's `E0000`, it is a finding in every output format (text, JSON, SARIF, JUnit, GitHub annotations,
parseable) besides the error line on stderr, and the run exits with code 2.

## Why it breaks deployments
CloudFormation rejects a template it cannot parse, so the deploy fails late, in the pipeline. And a file the
linter could not check is a file nobody checked: a report that left it out (a passing JUnit test case, a SARIF
log without it, no annotation) would read as "no problems".

## Example
```yaml
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
  Api:                          # the same logical id twice: YAML and CloudFormation reject the file
    Type: AWS::Serverless::Function
```
Use instead: one key per logical id (rename or merge the second `Api`).

## Fix safety
No fix: correct the file by hand. This finding cannot be turned off: it is reported whatever `--select` says,
a `--select` or `--ignore` prefix that matches other rules (`E`, `E9`) does not remove it, and `--ignore E9000`
is a usage error (exit 2), because ignoring it would make an unchecked file pass. A file the command should not
look at is better left out of the paths it is given.
"""
from __future__ import annotations

from collections.abc import Iterator

from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta, Target, no_fix
from sam_shift_lint.findings import Finding
from sam_shift_lint.parsing.lines import line_starts
from sam_shift_lint.parsing.nodes import Span

META = RuleMeta(
    id="E9000",
    name="file-error",
    summary="File could not be read, parsed or processed",
    tags=("input",),
    fix=FixAvailability.NONE,
    targets=frozenset({Target.TEMPLATE, Target.POLICY_FILE}),
)


def check(ctx: CheckContext) -> Iterator[Finding]:
    """Nothing to check in a file that was read and parsed: the front doors report E9000 (:func:`finding`) for
    the files they could not read, parse or process."""
    return iter(())


fix = no_fix

def finding(file: str, message: str, line: int = 0, column: int = 0, raw: bytes | None = None) -> Finding:
    """The E9000 finding for ``file``: at the parser's position (1:1 when there is none). A position at the very
    end of ``raw`` after its last line break (where parsers report "end of stream") becomes the end of the last
    line, as SARIF counts it, so the finding never points past the end of the file."""
    line, column = end_of_file_position(raw, line, column) if raw is not None and line else (line, column)
    line, column = max(1, line), max(1, column)
    return Finding(META.id, message, file, Span(line, column, line, column, 0, 0))


def end_of_file_position(raw: bytes, line: int, column: int) -> tuple[int, int]:
    """``(line, column)`` unchanged, unless it lies past the last line of ``raw``: then the position just after
    the last character of the last line, its line break included (SARIF's "end of file" insertion point)."""
    text = raw.decode("utf-8-sig", errors="replace")
    if not text:
        return 1, 1
    starts = line_starts(text)  # lines as YAML (and so the parsers' positions) count them
    if starts[-1] == len(text):  # a final line break starts no line of its own
        starts = starts[:-1]
    if line <= len(starts):
        return line, column
    return len(starts), len(text) - starts[-1] + 1
