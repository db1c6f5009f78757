"""`lint/short-range`: a range window under 4× the scrape interval holds too few samples.

rate() needs two samples; with 4× the interval a window survives one missed scrape and jitter.
"""

from __future__ import annotations

from collections.abc import Iterator

from validators.lint.base import Finding, LintCheck, LintContext, seconds_text, warning

FACTOR = 4


def run(ctx: LintContext) -> Iterator[Finding]:
    minimum = FACTOR * ctx.scrape_interval_seconds
    seen: set[float] = set()
    for window in ctx.analysis.range_windows:
        if window.subquery or window.seconds >= minimum or window.seconds in seen:
            continue
        seen.add(window.seconds)
        where = f" in {window.function}()" if window.function else ""
        yield warning(
            f"range window [{seconds_text(window.seconds)}]{where} is shorter than {FACTOR}× the "
            f"scrape interval ({seconds_text(ctx.scrape_interval_seconds)}); use at least "
            f"[{seconds_text(minimum)}] so it always holds enough samples"
        )


CHECK = LintCheck(
    id="lint/short-range",
    reason="Windows shorter than 4× the scrape interval give gaps and noisy results.",
    run=run,
)
