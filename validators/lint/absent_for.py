"""`lint/absent-for`: absent() alerts need `for` ≥ 2× scrape interval to survive restarts."""

from __future__ import annotations

from collections.abc import Iterator

from monitorgen.core.durations import parse_duration_seconds
from validators.lint.base import Finding, LintCheck, LintContext, seconds_text, warning

FACTOR = 2


def run(ctx: LintContext) -> Iterator[Finding]:
    alert = ctx.alert
    if alert is None or not ctx.analysis.uses_absent:
        return
    minimum = FACTOR * ctx.scrape_interval_seconds
    held = parse_duration_seconds(alert.for_) if alert.for_ else 0.0
    if held < minimum:
        yield warning(
            f"absent() alert has `for: {alert.for_ or 'none'}`, shorter than {FACTOR}× the scrape "
            f"interval; one missed scrape or a restart fires it: use `for: {seconds_text(minimum)}`"
            " or more"
        )


CHECK = LintCheck(
    id="lint/absent-for",
    reason="absent() is briefly true after restarts and missed scrapes.",
    run=run,
)
