"""The shape of a lint check: a stable id, a one-line reason, and a function over one rule."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from monitorgen.core.catalog import Catalog, Metric
from monitorgen.core.promql import ExprAnalysis
from monitorgen.core.spec import AlertingRule, AnyRule
from validators.report import Level


@dataclass(frozen=True)
class LintContext:
    rule: AnyRule
    analysis: ExprAnalysis
    catalog: Catalog | None
    scrape_interval_seconds: float

    @property
    def alert(self) -> AlertingRule | None:
        return self.rule if isinstance(self.rule, AlertingRule) else None

    def metric(self, series: str) -> Metric | None:
        return self.catalog.family(series) if self.catalog is not None else None


@dataclass(frozen=True)
class Finding:
    level: Level
    message: str


@dataclass(frozen=True)
class LintCheck:
    id: str  # stable, e.g. `lint/no-comparison`; shown to users and used to filter
    reason: str  # one line: why the check exists
    run: Callable[[LintContext], Iterable[Finding]]


def error(message: str) -> Finding:
    return Finding(Level.ERROR, message)


def warning(message: str) -> Finding:
    return Finding(Level.WARNING, message)


def seconds_text(seconds: float) -> str:
    from monitorgen.core.durations import format_duration_seconds

    return format_duration_seconds(seconds)
