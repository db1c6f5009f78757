"""`lint/histogram-no-le`: histogram_quantile over classic buckets needs the `le` label kept."""

from __future__ import annotations

from collections.abc import Iterator

from validators.lint.base import Finding, LintCheck, LintContext, error


def run(ctx: LintContext) -> Iterator[Finding]:
    # Only classic histograms (`_bucket` series) carry `le`; native histograms do not need it.
    if not any(s.metric and s.metric.endswith("_bucket") for s in ctx.analysis.selectors):
        return
    for call in ctx.analysis.calls:
        if call.name == "histogram_quantile" and call.arg_labels and not call.arg_labels.keeps("le"):
            yield error(
                "histogram_quantile() gets buckets aggregated without `le`; keep it, e.g. "
                "`sum by (le, job) (rate(x_bucket[5m]))`, or the result is always NaN"
            )


CHECK = LintCheck(
    id="lint/histogram-no-le",
    reason="Without `le` in the inner aggregation histogram_quantile returns nothing useful.",
    run=run,
)
