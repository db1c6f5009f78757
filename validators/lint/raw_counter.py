"""`lint/raw-counter`: a counter compared as-is only says it has counted that far since restart."""

from __future__ import annotations

from collections.abc import Iterator

from monitorgen.core.catalog import MetricType
from validators.lint.base import Finding, LintCheck, LintContext, warning

# Functions and aggregations that read a counter meaningfully without rate().
COUNTER_SAFE = frozenset({
    "rate", "irate", "increase", "resets", "changes", "absent", "absent_over_time",
    "present_over_time", "count_over_time", "timestamp", "count", "group", "count_values",
})


def _is_counter(ctx: LintContext, series: str) -> bool:
    if ctx.catalog is not None:
        metric = ctx.metric(series)
        if metric is None:
            return False
        if metric.type is MetricType.COUNTER:
            return True
        # Classic histogram and summary sub-series are counters too.
        return metric.type in (MetricType.HISTOGRAM, MetricType.SUMMARY) and series != metric.name
    return series.endswith("_total")


def run(ctx: LintContext) -> Iterator[Finding]:
    if ctx.alert is None or not ctx.analysis.has_condition:
        return
    reported: set[str] = set()
    for selector in ctx.analysis.selectors:
        series = selector.metric
        if not series or series in reported or not _is_counter(ctx, series):
            continue
        if COUNTER_SAFE.intersection(selector.functions) or COUNTER_SAFE.intersection(
            selector.aggregations
        ):
            continue
        reported.add(series)
        yield warning(
            f"{series} is a counter compared without rate() or increase(); its raw value only "
            "grows and resets on restart, so compare rate(...) or increase(...) instead"
        )


CHECK = LintCheck(
    id="lint/raw-counter",
    reason="A raw counter value depends on process uptime, not on current behaviour.",
    run=run,
)
