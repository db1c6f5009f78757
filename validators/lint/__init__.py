"""Static lint of single rules: a registry of checks, one module each, with stable ids.

`lint_rule(rule, ...)` runs every registered check (or the ones named) and returns Problems.
"""

from __future__ import annotations

from collections.abc import Iterable

from monitorgen.core.catalog import Catalog
from monitorgen.core.promql import ExprAnalysis, analyze_expr
from monitorgen.core.spec import AnyRule
from validators.lint import (
    absent_for,
    histogram_le,
    lost_label,
    nan_division,
    needless_regex,
    no_comparison,
    rate_non_counter,
    raw_counter,
    short_range,
    value_in_labels,
)
from validators.lint.base import Finding, LintCheck, LintContext
from validators.report import Problem

REGISTRY: dict[str, LintCheck] = {
    module.CHECK.id: module.CHECK
    for module in (
        no_comparison,
        rate_non_counter,
        raw_counter,
        short_range,
        histogram_le,
        nan_division,
        absent_for,
        needless_regex,
        value_in_labels,
        lost_label,
    )
}
DEFAULT_SCRAPE_INTERVAL_SECONDS = 30.0


def lint_rule(
    rule: AnyRule,
    *,
    catalog: Catalog | None = None,
    scrape_interval_seconds: float = DEFAULT_SCRAPE_INTERVAL_SECONDS,
    analysis: ExprAnalysis | None = None,
    checks: Iterable[str] | None = None,
    group: str | None = None,
    source: str | None = None,
    line: int | None = None,
) -> list[Problem]:
    """Problems found by the lint checks in one rule (all checks unless `checks` names some)."""
    ctx = LintContext(
        rule=rule,
        analysis=analysis if analysis is not None else analyze_expr(rule.expr, catalog),
        catalog=catalog,
        scrape_interval_seconds=scrape_interval_seconds,
    )
    selected = REGISTRY.values() if checks is None else [REGISTRY[c] for c in checks]
    problems: list[Problem] = []
    for check in selected:
        for finding in check.run(ctx):
            problems.append(
                Problem(
                    check=check.id,
                    level=finding.level,
                    message=finding.message,
                    rule=rule.name,
                    group=group,
                    source=source,
                    line=line,
                )
            )
    return problems


__all__ = ["REGISTRY", "Finding", "LintCheck", "LintContext", "lint_rule"]
