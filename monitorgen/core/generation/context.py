"""Context engineering shared by both generators: which metrics, examples and conventions fit.

`build_context(request)` ranks the catalog's metric families for the intent (`ranking`: over
names, help text, label values and types, with the ops vocabulary), retrieves the team's most
similar approved rules (knowledge inheritance) and the conventions they follow.

Help text and label values come from monitored systems and are untrusted: they are used for
ranking only. `prompt_safe_metrics` is the one way to show metrics to an LLM: names, types, units
and label names, plus label values that pass a strict allowlist.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from monitorgen.core.catalog import Catalog
from monitorgen.core.errors import SpecInvalid
from monitorgen.core.generation.naming import (
    effective_type,
    is_info_metric,
    is_timestamp_metric,
    metric_unit,
)
from monitorgen.core.generation.ranking import ScoredMetric, rank_metrics
from monitorgen.core.generation.result import GenerationRequest
from monitorgen.core.generation.slots import Slots, extract_slots, retrieval_text
from monitorgen.core.generation.vocabulary import split_identifier, stems
from monitorgen.core.promql import analyze_expr
from monitorgen.core.spec import AlertingRule

__all__ = ["Conventions", "GenerationContext", "ScoredMetric", "build_context",
           "catalog_label_names", "conventions_of", "effective_type", "is_info_metric",
           "is_timestamp_metric", "metric_unit", "metrics_in_expr", "prompt_safe_metrics",
           "rank_metrics", "retrieve_examples", "thresholds_in_use"]

DEFAULT_MAX_METRICS = 12
DEFAULT_MAX_EXAMPLES = 3

_METRIC_IN_EXPR_RE = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
# Label values safe to show a model: short identifiers, nothing that reads like an instruction.
_SAFE_VALUE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-/]{0,62}$")


@dataclass(frozen=True)
class Conventions:
    """What the team's approved rules usually do."""

    severity: str | None = None
    for_: str | None = None
    label_names: tuple[str, ...] = ()  # extra labels the team puts on alerts (team, owner, ...)
    labels: dict[str, str] = field(default_factory=dict)  # constant values used by every rule


@dataclass(frozen=True)
class GenerationContext:
    intent: str
    metrics: tuple[ScoredMetric, ...]
    examples: tuple[AlertingRule, ...]
    conventions: Conventions
    slots: Slots

    def metric_names(self) -> list[str]:
        return [m.name for m in self.metrics]

    def example_names(self) -> list[str]:
        return [r.alert for r in self.examples]


# --- examples and conventions ---------------------------------------------------------------------
def metrics_in_expr(expr: str) -> set[str]:
    """Identifiers in an expression that look like metric names (best effort, no parser)."""
    cleaned = re.sub(r'"(?:[^"\\]|\\.)*"|\[[^\]]*\]|\{[^}]*\}', " ", expr)
    cleaned = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", cleaned)
    names = set(_METRIC_IN_EXPR_RE.findall(cleaned))
    return {n for n in names if not n.isdigit() and ("_" in n or n == "up")}


def retrieve_examples(
    intent: str, rules: tuple[AlertingRule, ...], *, limit: int = DEFAULT_MAX_EXAMPLES,
    metric_names: set[str] | None = None,
) -> list[AlertingRule]:
    """The team's approved rules most similar to the intent (by words and shared metrics)."""
    intent_stems = set(stems(intent))
    ranked: list[tuple[float, str, AlertingRule]] = []
    for rule in rules:
        text = " ".join([" ".join(split_identifier(rule.alert)), rule.annotations.get("summary", ""),
                         rule.annotations.get("description", "")])
        rule_stems = set(stems(text))
        score = float(len(intent_stems & rule_stems))
        if metric_names:
            score += 2.0 * len(metrics_in_expr(rule.expr) & metric_names)
        if score > 0:
            ranked.append((score, rule.alert, rule))
    ranked.sort(key=lambda item: (-item[0], item[1]))
    return [rule for _, _, rule in ranked[:limit]]


# The condition that ends an expression: `... > 0.5` (its side of the comparison as written).
_FINAL_CONDITION_RE = re.compile(r"(>=|<=|==|!=|>|<)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$", re.I)
_SET_OPERATORS = frozenset({"and", "or", "unless"})


def thresholds_in_use(rules: tuple[AlertingRule, ...], metric: str) -> list[tuple[str, str]]:
    """(condition, rule name) for the approved rules that alert on `metric` with one plain
    final comparison, e.g. ("> 0.5", "CheckoutHighLatency"): the team's own numbers for a
    question. After `and`/`or`/`unless` a final number may belong to a guard: those are left out."""
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for rule in rules:
        try:
            analysis = analyze_expr(rule.expr)
        except SpecInvalid:
            continue
        match = _FINAL_CONDITION_RE.search(rule.expr.strip())
        if (match is None or metric not in analysis.families
                or any(op.op in _SET_OPERATORS for op in analysis.binary_ops)
                or len(analysis.top_level_comparisons) != 1):
            continue
        condition = f"{match.group(1)} {match.group(2)}"
        if condition not in seen:
            seen.add(condition)
            found.append((condition, rule.alert))
    return found


def conventions_of(rules: tuple[AlertingRule, ...]) -> Conventions:
    if not rules:
        return Conventions()
    severities = Counter(r.labels.get("severity") for r in rules if r.labels.get("severity"))
    fors = Counter(r.for_ for r in rules if r.for_)
    label_names: Counter[str] = Counter()
    for rule in rules:
        label_names.update(k for k in rule.labels if k != "severity")
    common = tuple(sorted(k for k, n in label_names.items() if n * 2 >= len(rules)))
    constant: dict[str, str] = {}
    for name in common:
        values = {r.labels.get(name) for r in rules}
        if len(values) == 1 and None not in values:
            value = next(iter(values))
            if value is not None and "{{" not in value:
                constant[name] = value
    return Conventions(
        severity=severities.most_common(1)[0][0] if severities else None,
        for_=fors.most_common(1)[0][0] if fors else None,
        label_names=common,
        labels=constant,
    )


# --- the context -------------------------------------------------------------------------------------
def catalog_label_names(catalog: Catalog) -> set[str]:
    names: set[str] = {"job", "instance"}
    for metric in catalog.metrics:
        names.update(metric.labels)
    return names


def _system_words(catalog: Catalog, labels: set[str]) -> set[str]:
    """The first words of metric names (`vault` of `vault_core_unsealed`): the systems the
    catalog monitors. "The vault cluster" names such a system, not a value of `cluster`, unless
    the catalog lists it as one."""
    listed = {v.lower() for metric in catalog.metrics for values in metric.label_values.values()
              for v in values}
    words = {split_identifier(metric.name)[0].lower() for metric in catalog.metrics
             if split_identifier(metric.name)}
    return words - listed - {label.lower() for label in labels}


def build_context(
    request: GenerationRequest,
    *,
    max_metrics: int = DEFAULT_MAX_METRICS,
    max_examples: int = DEFAULT_MAX_EXAMPLES,
) -> GenerationContext:
    scope = dict(request.scope.matchers)
    labels = catalog_label_names(request.catalog)
    if request.scope.service and "service" in labels:
        scope.setdefault("service", request.scope.service)
    if request.scope.environment:
        for name in ("environment", "env"):
            if name in labels:
                scope.setdefault(name, request.scope.environment)
                break
    slots = extract_slots(request.intent, label_names=labels, scope_matchers=scope,
                          system_words=_system_words(request.catalog, labels))
    # Rank on what the intent is about, not where ("in the payments namespace") or when.
    about = retrieval_text(request.intent, slots.matchers)
    ranked = rank_metrics(about, request.catalog, slots=replace(slots, text=about),
                          limit=max_metrics)
    names = {m.name for m in ranked}
    examples = retrieve_examples(request.intent, request.approved_rules, limit=max_examples,
                                 metric_names=names)
    return GenerationContext(
        intent=request.intent,
        metrics=tuple(ranked),
        examples=tuple(examples),
        conventions=conventions_of(request.approved_rules),
        slots=slots,
    )


def prompt_safe_metrics(
    metrics: list[ScoredMetric] | tuple[ScoredMetric, ...],
    *,
    allowed_label_values: dict[str, set[str]] | None = None,
    max_values: int = 20,
) -> list[dict[str, Any]]:
    """Metrics for an LLM prompt: names, types, units, label names; never help text.

    Label values are included only for labels in `allowed_label_values`, only when they are also
    in that allowlist (or, when the allowlist for a label is empty, when they look like plain
    identifiers), and at most `max_values` per label.
    """
    allowed = allowed_label_values or {}
    out: list[dict[str, Any]] = []
    for scored in metrics:
        metric = scored.metric
        entry: dict[str, Any] = {
            "name": metric.name,
            "type": effective_type(metric).value,
            "unit": metric_unit(metric),
            "labels": list(metric.labels),
        }
        values: dict[str, list[str]] = {}
        for label, label_values in metric.label_values.items():
            if label not in allowed:
                continue
            permitted = allowed[label]
            kept = [v for v in label_values if _SAFE_VALUE_RE.match(v)
                    and (v in permitted if permitted else True)]
            if kept:
                values[label] = kept[:max_values]
        if values:
            entry["label_values"] = values
        out.append(entry)
    return out
