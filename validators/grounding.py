"""Catalog grounding: every metric and label a rule uses must exist in the catalog.

Unknown names are errors that suggest the closest existing names. Allowed without a catalog
entry: recording-rule outputs of the same file, the synthetic `ALERTS`/`ALERTS_FOR_STATE`,
labels every scraped series has (`job`, `instance`), `le` on histogram buckets, `quantile` on
summaries, and labels the expression itself creates (label_replace, count_values).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from monitorgen.core.catalog import TARGET_LABELS, Catalog
from monitorgen.core.promql import ExprAnalysis, analyze_expr, template_label_refs
from monitorgen.core.spec import AlertingRule, AnyRule, RecordingRule, RuleFile
from validators.report import Level, Problem

CHECK_METRIC = "grounding/unknown-metric"
CHECK_LABEL = "grounding/unknown-label"
SYNTHETIC_METRICS = frozenset({"ALERTS", "ALERTS_FOR_STATE"})


def _closest(name: str, candidates: Iterable[str]) -> str:
    matches = difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.6)
    return f"; did you mean {', '.join(matches)}?" if matches else ""


def ground_rule(
    rule: AnyRule,
    catalog: Catalog,
    *,
    records: frozenset[str] = frozenset(),
    analysis: ExprAnalysis | None = None,
    group: str | None = None,
    source: str | None = None,
    line: int | None = None,
) -> list[Problem]:
    """Problems for names in one rule that the catalog does not know.

    `records` are recording-rule outputs valid as metric names (e.g. from the same file).
    """
    analysis = analysis if analysis is not None else analyze_expr(rule.expr, catalog)
    messages: list[tuple[str, str]] = []
    # Labels available to the expression as a whole; None once some input is not in the
    # catalog (a recording rule, ALERTS, an unknown metric), since we cannot know its labels.
    universe: set[str] | None = set(TARGET_LABELS) | set(analysis.created_labels)
    reported: set[str] = set()
    for selector in analysis.selectors:
        series = selector.metric
        if series is None:
            universe = None
            continue
        metric = catalog.family(series)
        if metric is None:
            if series in SYNTHETIC_METRICS:
                universe = None  # ALERTS carries every alert's labels, unknowable here
                continue
            universe = None
            if series not in records and series not in reported:
                reported.add(series)
                hint = _closest(series, [*catalog.series_names(), *records])
                messages.append((CHECK_METRIC, f"metric {series} is not in catalog {catalog.name!r}{hint}"))
            continue
        labels = metric.label_names_for(series)
        if universe is not None:
            universe |= labels
        for name in sorted(selector.label_names() - labels):
            key = f"{series}:{name}"
            if key not in reported:
                reported.add(key)
                messages.append((
                    CHECK_LABEL,
                    f"label {name!r} is not a label of {series} in catalog {catalog.name!r}"
                    f"{_closest(name, labels)}",
                ))
    if universe is not None:
        used = set(analysis.grouping_labels())
        if isinstance(rule, AlertingRule):
            for text in [*rule.annotations.values(), *rule.labels.values()]:
                used |= template_label_refs(text)
        for name in sorted(used - universe):
            messages.append((
                CHECK_LABEL,
                f"label {name!r} is used but none of {', '.join(analysis.metrics) or 'the metrics'}"
                f" has it in catalog {catalog.name!r}{_closest(name, universe)}",
            ))
    return [
        Problem(check=check, level=Level.ERROR, message=message, rule=rule.name, group=group,
                source=source, line=line)
        for check, message in messages
    ]


def record_names(rules: Iterable[AnyRule]) -> frozenset[str]:
    return frozenset(r.record for r in rules if isinstance(r, RecordingRule))


def ground_rule_file(rule_file: RuleFile, catalog: Catalog, *, source: str | None = None) -> list[Problem]:
    records = record_names(rule for _, rule in rule_file.iter_rules())
    problems: list[Problem] = []
    for group, rule in rule_file.iter_rules():
        problems.extend(ground_rule(rule, catalog, records=records, group=group.name, source=source))
    return problems


__all__ = ["CHECK_LABEL", "CHECK_METRIC", "ground_rule", "ground_rule_file", "record_names"]
