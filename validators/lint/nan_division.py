"""`lint/nan-division`: a division inside sum/avg/stddev/stdvar can poison the aggregate.

Precisely: a `/` or `%` whose result flows (at any depth) into sum, avg, stddev or stdvar,
and whose divisor is not guarded. A divisor is guarded when it is a non-zero number, a
filtering comparison that excludes zero (`(b > 0)`, `b >= 1`, `b != 0`, or a comparison with
another vector), `... and ...` whose left side is such a filter, or `clamp_min(b, c)` with
c > 0. One zero divisor makes that series NaN or ±Inf, and sum/avg/stddev/stdvar of a set
containing NaN/Inf is NaN/Inf, so the whole aggregate is lost, not one series. min, max and
count are left alone: min/max ignore NaN and count does not read values.
"""

from __future__ import annotations

from collections.abc import Iterator

from validators.lint.base import Finding, LintCheck, LintContext, warning

POISONED_AGGREGATIONS = frozenset({"sum", "avg", "stddev", "stdvar"})


def run(ctx: LintContext) -> Iterator[Finding]:
    for division in ctx.analysis.divisions:
        hit = next((a for a in division.aggregations if a in POISONED_AGGREGATIONS), None)
        if hit is None or division.divisor_guarded:
            continue
        yield warning(
            f"`{division.op}` inside {hit}() can divide by zero, and one NaN/Inf series turns "
            f"the whole {hit}() into NaN/Inf; guard the divisor, e.g. `a / (b > 0)`, or "
            "aggregate first and divide after"
        )


CHECK = LintCheck(
    id="lint/nan-division",
    reason="Division by zero inside sum/avg makes the whole aggregate NaN or Inf.",
    run=run,
)
