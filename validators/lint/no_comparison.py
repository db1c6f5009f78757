"""`lint/no-comparison`: an alert whose expression cannot come back empty fires forever."""

from __future__ import annotations

from collections.abc import Iterator

from validators.lint.base import Finding, LintCheck, LintContext, error


def run(ctx: LintContext) -> Iterator[Finding]:
    if ctx.alert is None or ctx.analysis.has_condition:
        return
    yield error(
        "the expression has no condition (no filtering comparison such as `> 0.05`, and no "
        "absent()), so the alert fires for every series it returns; add a threshold"
    )


CHECK = LintCheck(
    id="lint/no-comparison",
    reason="An alert without a comparison or absent() always fires while its series exist.",
    run=run,
)
