"""What the fuzz tests share: running a case and failing with a readable account of what went wrong (imported by
name: conftest.py puts this folder on sys.path)."""
from __future__ import annotations

from fuzzkit.known import known
from fuzzkit.oracle import Case, Failure, Options, Report, run_with_timeout

TIMEOUT = 2.0  # seconds of CPU time per input before it counts as a hang (most take under 0.1 s)


def unknown_failures(report: Report) -> list[Failure]:
    """The failures that are not known open bugs (fuzzkit/known.py)."""
    return [failure for failure in report.failures if known(failure.signature) is None]


def describe(case: Case, failures: list[Failure]) -> str:
    lines = [f"{case.name} ({case.origin}; unsafe={case.unsafe} alias={case.alias} type={case.deployment_type} "
             f"placement={case.placement} format={case.format}):"]
    for failure in failures:
        lines.append(f"  [{failure.kind}] {failure.signature}\n    {failure.message[:1500]}")
    text = case.raw.decode("utf-8", "backslashreplace")
    lines.append("input:\n" + (text if len(text) < 3000 else text[:1500] + f"... ({len(case.raw)} bytes)"))
    return "\n".join(lines)


def check_case(case: Case, workdir: str, options: Options | None = None) -> Report:
    """Run ``case`` through the oracle; fail on any failure that is not a known open bug."""
    report = run_with_timeout(case, workdir, options or Options(), TIMEOUT)
    failures = unknown_failures(report)
    assert not failures, describe(case, failures)
    return report
