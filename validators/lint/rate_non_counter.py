"""`lint/rate-on-non-counter`: rate/irate/increase only make sense on counters.

With a catalog the metric type decides (a gauge is an error), except a gauge whose name or help
read as a count of events ("Total number of refused connections"): some exporters declare every
value a gauge, so that is a warning to check the exporter's type. Without a catalog, the naming
convention is a hint only: series not ending in `_total`, `_count`, `_sum` or `_bucket` get a
warning.
"""

from __future__ import annotations

from collections.abc import Iterator

from monitorgen.core.catalog import MetricType
from monitorgen.core.generation.naming import gauge_counts_events
from validators.lint.base import Finding, LintCheck, LintContext, error, warning

COUNTER_FUNCTIONS = frozenset({"rate", "irate", "increase"})
COUNTER_SUFFIXES = ("_total", "_count", "_sum", "_bucket")


def run(ctx: LintContext) -> Iterator[Finding]:
    for call in ctx.analysis.calls:
        if call.name not in COUNTER_FUNCTIONS:
            continue
        for series in call.arg_metrics:
            if ctx.catalog is not None:
                metric = ctx.metric(series)
                if metric is None or metric.type in (MetricType.COUNTER, MetricType.UNKNOWN):
                    continue  # unknown metrics are grounding's business
                # `_sum`/`_count`/`_bucket` are counters; a bare histogram may be native.
                if metric.type is MetricType.HISTOGRAM or (
                    metric.type is MetricType.SUMMARY and series != metric.name
                ):
                    continue
                if gauge_counts_events(metric):
                    yield warning(
                        f"{call.name}() is applied to {series}, declared a gauge whose name or "
                        "help reads as a count of events; check that the exporter only counts "
                        "it up"
                    )
                    continue
                yield error(
                    f"{call.name}() is applied to {series}, a {metric.type.value}; it is only "
                    "meaningful on counters (for gauges use deriv() or delta())"
                )
            elif not series.endswith(COUNTER_SUFFIXES):
                yield warning(
                    f"{call.name}() is applied to {series}, whose name does not look like a "
                    "counter (_total, _count, _sum, _bucket); check that it is one"
                )


CHECK = LintCheck(
    id="lint/rate-on-non-counter",
    reason="rate(), irate() and increase() give wrong results on gauges.",
    run=run,
)
