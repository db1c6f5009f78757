"""Context engineering shared by both generators: which metrics, examples and conventions fit.

`build_context(request)` ranks the catalog's metric families for the intent (lexically, over
names, help text and units, with the ops vocabulary, aware of metric types), retrieves the team's
most similar approved rules (knowledge inheritance) and the conventions they follow.

Help text and label values come from monitored systems and are untrusted: they are used for
ranking only. `prompt_safe_metrics` is the one way to show metrics to an LLM: names, types, units
and label names, plus label values that pass a strict allowlist.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from monitorgen.core.catalog import Catalog, Metric, MetricType
from monitorgen.core.generation.result import GenerationRequest
from monitorgen.core.generation.slots import Slots, extract_slots
from monitorgen.core.generation.vocabulary import (
    concepts,
    concepts_of_stem,
    split_identifier,
    stem,
    stems,
    unit_of_name,
)
from monitorgen.core.spec import AlertingRule

DEFAULT_MAX_METRICS = 12
DEFAULT_MAX_EXAMPLES = 3

# Name parts that say how a series is shaped, not what it is about: weak evidence for ranking.
_SHAPE_WORDS = frozenset({"total", "count", "sum", "bucket", "created", "seconds", "bytes", "info",
                          "ratio", "value", "gauge", "counter", "current", "number", "average",
                          "avg", "state", "status"})
_METRIC_IN_EXPR_RE = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
# Label values safe to show a model: short identifiers, nothing that reads like an instruction.
_SAFE_VALUE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-/]{0,62}$")


@dataclass(frozen=True)
class ScoredMetric:
    metric: Metric
    score: float
    reasons: tuple[str, ...] = ()
    # Share of the name's informative words the intent mentions (exactly or by concept), and
    # how many it mentions exactly: the evidence behind the score, used to decide to ask.
    coverage: float = 0.0
    exact: int = 0

    @property
    def name(self) -> str:
        return self.metric.name

    @property
    def kind(self) -> MetricType:
        return effective_type(self.metric)


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


# --- metric types ---------------------------------------------------------------------------------
def effective_type(metric: Metric) -> MetricType:
    """The declared type, or one inferred from Prometheus naming conventions when unknown."""
    if metric.type is not MetricType.UNKNOWN:
        return metric.type
    name = metric.name
    if name.endswith(("_total", "_count", "_sum")):
        return MetricType.COUNTER
    if name.endswith("_bucket"):
        return MetricType.HISTOGRAM
    return MetricType.GAUGE


def metric_unit(metric: Metric) -> str:
    return unit_of_name(metric.name, metric.unit)


def is_info_metric(metric: Metric) -> bool:
    return metric.name.endswith("_info")


def is_timestamp_metric(metric: Metric) -> bool:
    parts = split_identifier(metric.name)
    return "timestamp" in parts or metric.name.endswith(("_created", "_time_seconds", "_time")) and (
        "last" in parts or "timestamp" in parts or metric.name.endswith("_created")
    ) or ("expiry" in parts or "expiration" in parts or "notafter" in parts or "expire" in parts)


# --- metric ranking -------------------------------------------------------------------------------
@dataclass(frozen=True)
class _MetricTerms:
    name_stems: tuple[str, ...]
    help_stems: frozenset[str]
    concepts: frozenset[str]


@lru_cache(maxsize=8192)
def _terms(name: str, help_text: str, unit: str) -> _MetricTerms:
    name_stems = tuple(stem(w) for w in stems(" ".join(split_identifier(name)), keep_stopwords=True))
    help_stems = frozenset(stems(help_text))
    return _MetricTerms(
        name_stems=name_stems,
        help_stems=help_stems,
        concepts=frozenset(concepts(list(name_stems)) | concepts(stems(unit))),
    )


def _idf(catalog: Catalog) -> dict[str, float]:
    return _idf_cached(catalog.name, tuple((m.name, m.help, m.unit) for m in catalog.metrics))


@lru_cache(maxsize=256)
def _idf_cached(_name: str, items: tuple[tuple[str, str, str], ...]) -> dict[str, float]:
    df: Counter[str] = Counter()
    for name, help_text, unit in items:
        df.update(set(_terms(name, help_text, unit).name_stems))
    n = max(len(items), 1)
    return {s: math.log(1 + n / count) for s, count in df.items()}


def _type_fit(metric: Metric, slots: Slots, intent_concepts: set[str]) -> tuple[float, str | None]:
    kind = effective_type(metric)
    wants_percentile = slots.percentile is not None or (
        "latency" in intent_concepts and slots.threshold is not None
        and slots.threshold.kind == "seconds"
    )
    if wants_percentile and kind in (MetricType.HISTOGRAM, MetricType.SUMMARY):
        return 1.5, "a histogram/summary fits a percentile"
    if slots.threshold is not None and slots.threshold.per is not None and kind is MetricType.COUNTER:
        return 1.0, "a counter fits a rate"
    if is_info_metric(metric):
        return -1.5, None
    return 0.0, None


def rank_metrics(
    intent: str, catalog: Catalog, *, slots: Slots | None = None, limit: int | None = None
) -> list[ScoredMetric]:
    """Catalog metric families ordered by how well they fit the intent (best first)."""
    slots = slots if slots is not None else extract_slots(intent)
    intent_stems = [s for s in stems(slots.text or intent) if len(s) > 1]
    intent_set = set(intent_stems)
    intent_concepts = concepts(intent_stems)
    bigrams = {(a, b) for a, b in zip(intent_stems, intent_stems[1:], strict=False)}
    idf = _idf(catalog)
    max_idf = max(idf.values(), default=1.0)
    # Words in half the catalog's names or more (the exporter's prefix) say nothing specific.
    common_idf = math.log(1 + 2.0) if len(catalog) > 2 else 0.0
    scored: list[ScoredMetric] = []
    for metric in catalog.metrics:
        terms = _terms(metric.name, metric.help, metric.unit)
        score = 0.0
        reasons: list[str] = []
        matched: set[str] = set()
        for s in dict.fromkeys(terms.name_stems):
            weight = idf.get(s, max_idf) / max_idf
            if s in _SHAPE_WORDS:
                weight *= 0.35
            if s in intent_set:
                score += 3.0 * weight
                matched.add(s)
            elif concepts_of_stem(s) & intent_concepts:
                score += 1.2 * weight
                matched.add(s)
        if matched:
            reasons.append("name matches " + ", ".join(sorted(matched)))
        # Consecutive words in both: "pending tasks" in the intent and `pending_tasks` in the name.
        name_bigrams = set(zip(terms.name_stems, terms.name_stems[1:], strict=False))
        shared_bigrams = bigrams & name_bigrams
        score += 1.0 * len(shared_bigrams)
        help_hits = (intent_set & terms.help_stems) - _SHAPE_WORDS
        if help_hits:
            score += 0.4 * len(help_hits)
            reasons.append("help mentions " + ", ".join(sorted(help_hits)[:4]))
        if score <= 0:
            continue
        # Prefer names the intent explains fully over long names with one matching word.
        informative = [s for s in dict.fromkeys(terms.name_stems) if s not in _SHAPE_WORDS
                       and idf.get(s, max_idf) >= common_idf] or list(terms.name_stems)
        coverage = sum(1 for s in informative if s in matched) / len(informative)
        exact = sum(1 for s in informative if s in intent_set)
        score += 1.5 * coverage
        if "error" in terms.concepts and "error" not in intent_concepts:
            score -= 1.0  # an error metric does not answer a question that is not about errors
        bonus, why = _type_fit(metric, slots, intent_concepts)
        score += bonus
        if why:
            reasons.append(why)
        scored.append(ScoredMetric(metric, round(score, 4), tuple(reasons), round(coverage, 3),
                                   exact))
    scored.sort(key=lambda m: (-m.score, len(m.name), m.name))
    return scored[:limit] if limit else scored


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
    slots = extract_slots(request.intent, label_names=labels, scope_matchers=scope)
    ranked = rank_metrics(request.intent, request.catalog, slots=slots, limit=max_metrics)
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
