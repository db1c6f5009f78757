"""Intent families: builders from (slots, chosen metrics) to a complete alerting rule.

Each builder returns a `Candidate` or None when the family does not fit the metrics. Families:
gauge threshold, counter rate/increase, error ratio, saturation ratio (used/limit, free/total),
latency percentile (histogram or summary), target down (`up == 0`) and absent series, fill-up
prediction, staleness, certificate expiry, traffic change vs an earlier period, restarts/changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from monitorgen.core.catalog import Catalog, Metric, MetricType
from monitorgen.core.durations import (
    format_duration_seconds,
    humanize_duration_ms,
    parse_duration_ms,
)
from monitorgen.core.generation.context import (
    effective_type,
    is_timestamp_metric,
    metric_unit,
)
from monitorgen.core.generation.slots import Slots, Threshold, format_number, to_base_unit
from monitorgen.core.generation.vocabulary import concepts, split_identifier, stem, stems

# Name words that make a gauge a count of problems: any value above zero is worth an alert.
_PROBLEM_WORDS = frozenset(
    stem(w)
    for w in [
        "restart",
        "restarts",
        "retries",
        "retry",
        "resets",
        "aborted",
        "discarded",
        "skipped",
        "missed",
        "exceptions",
        "exception",
        "rejections",
        "denied",
        "refused",
        "unroutable",
        "corruptions",
        "overflows",
        "exceeded",
        "slow",
        "error",
        "errors",
        "failed",
        "failure",
        "failures",
        "failing",
        "pending",
        "missing",
        "unhealthy",
        "down",
        "lost",
        "stuck",
        "rejected",
        "dropped",
        "incomplete",
        "degraded",
        "inconsistent",
        "unavailable",
        "corrupt",
        "corrupted",
        "orphaned",
        "blocked",
        "toofull",
        "full",
        "offline",
        "unassigned",
        "deadlocks",
        "conflicts",
        "timeouts",
        "evicted",
        "throttled",
        "panic",
        "invalid",
        "unreachable",
        "broken",
        "crashed",
        "backlog",
        "unsynced",
        "outofsync",
        "abandoned",
        "killed",
        "oom",
        "unschedulable",
        "pressure",
        "overflow",
        "mismatch",
        "split",
        "lag",
        "behind",
        "critical",
        "firing",
        "alerts",
        "undersized",
        "stale",
        "dead",
        "disconnected",
        "faulty",
        "bad",
        "expired",
        "violations",
    ]
)
# Name words of a 0/1 health gauge: 0 (or != 1) is the problem.
_HEALTH_WORDS = frozenset(
    stem(w)
    for w in [
        "up",
        "healthy",
        "health",
        "ready",
        "live",
        "alive",
        "success",
        "successful",
        "leader",
        "synced",
        "sync",
        "running",
        "enabled",
        "available",
        "connected",
        "active",
        "ok",
        "online",
        "reachable",
        "is",
        "has",
        "status",
        "valid",
        "stable",
    ]
)
_LIMIT_WORDS = frozenset(
    stem(w)
    for w in [
        "max",
        "maximum",
        "limit",
        "limits",
        "capacity",
        "total",
        "size",
        "quota",
        "allocated",
        "allowed",
        "configured",
        "all",
        "hard",
        "soft",
        "target",
        "desired",
        "spec",
        "available_total",
    ]
)
_FREE_WORDS = frozenset(
    stem(w) for w in ["free", "available", "avail", "remaining", "left", "idle", "unused"]
)
_ERROR_CODE_LABELS = (
    "code",
    "status_code",
    "status",
    "response_code",
    "http_code",
    "http_status",
    "grpc_code",
    "status_class",
    "code_class",
    "response_code_class",
    "result",
    "outcome",
)
_DEFAULT_FOR = {
    "threshold": "5m",
    "problem-count": "5m",
    "health": "2m",
    "target-down": "2m",
    "absent": "5m",
    "rate": "5m",
    "increase": "0s",
    "error-ratio": "5m",
    "saturation": "5m",
    "latency": "10m",
    "predict": "15m",
    "stale": "5m",
    "expiry": "1h",
    "traffic-change": "15m",
    "changes": "0s",
}


@dataclass(frozen=True)
class Candidate:
    family: str
    expr: str
    metrics: tuple[str, ...]
    score: float
    value_format: str = (
        "humanize"  # humanize | humanizePercentage | humanizeDuration | humanize1024
    )
    kept_labels: tuple[str, ...] = ()
    default_for: str | None = None
    default_severity: str = "warning"
    what: str = ""  # plain words for the annotations, e.g. "p99 latency of checkout requests"
    condition: str = ""  # e.g. "is above 500ms"
    notes: tuple[str, ...] = field(default_factory=tuple)
    # The intent's "for N hours" was used as the threshold (staleness), not as the rule's `for`.
    consumes_for: bool = False


# --- small PromQL builders --------------------------------------------------------------------------
def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def selector(
    series: str, metric: Metric, matchers: dict[str, str], extra: tuple[str, ...] = ()
) -> str:
    """`series{label="value",...}` with only the matchers this metric has labels for."""
    allowed = metric.label_names_for(series)
    parts = [f'{k}="{_escape(v)}"' for k, v in sorted(matchers.items()) if k in allowed]
    parts.extend(extra)
    return f"{series}{{{', '.join(parts)}}}" if parts else series


def _agg(inner: str, by: tuple[str, ...] | None, op: str = "sum") -> str:
    if by is None:
        return inner
    if not by:
        return f"{op}({inner})"
    return f"{op} by ({', '.join(by)}) ({inner})"


def _labels_of(metric: Metric) -> set[str]:
    return set(metric.labels) | {"job", "instance"}


def _kept_after_agg(metrics: list[Metric], by: tuple[str, ...] | None) -> tuple[str, ...]:
    if by is not None:
        return by
    common = set.intersection(*(_labels_of(m) for m in metrics)) if metrics else set()
    return tuple(sorted(common))


def _window(slots: Slots, default: str = "5m") -> str:
    return slots.window or default


def _name_stems(metric: Metric) -> list[str]:
    return [stem(w) for w in split_identifier(metric.name)]


def _threshold_text(threshold: Threshold | None) -> str:
    if threshold is None:
        return ""
    words = {
        ">": "above",
        ">=": "at or above",
        "<": "below",
        "<=": "at or below",
        "==": "equal to",
        "!=": "not equal to",
    }[threshold.comparator]
    unit = {"percent": "%", "seconds": "s", "bytes": " bytes", "celsius": "°C"}.get(
        threshold.kind, ""
    )
    if threshold.kind == "seconds":
        return f"{words} {humanize_duration_ms(round(threshold.base_value * 1000))}"
    if threshold.kind == "bytes":
        return f"{words} {format_number(threshold.value)} {threshold.text.split()[-1]}"
    per = f" per {threshold.per}" if threshold.per else ""
    return f"{words} {format_number(threshold.value)}{unit}{per}"


def _value_format(unit: str, as_ratio: bool) -> str:
    if as_ratio or unit == "ratio":
        return "humanizePercentage"
    if unit in ("seconds",):
        return "humanizeDuration"
    if unit == "bytes":
        return "humanize1024"
    return "humanize"


def _good_by(slots: Slots, metrics: list[Metric]) -> tuple[str, ...] | None:
    """Grouping for aggregations: what the user said, else the target labels all metrics share."""
    if slots.by is not None:
        labels = set.intersection(*(_labels_of(m) for m in metrics))
        return tuple(label for label in slots.by if label in labels)
    return None


# --- families ------------------------------------------------------------------------------------------
def target_down(slots: Slots, catalog: Catalog, intent_stems: set[str]) -> Candidate | None:
    """`up == 0` (a target is down) or `absent(up{job=...})` (a whole job is missing)."""
    up = catalog.family("up")
    if up is None:
        return None
    job_missing = bool(intent_stems & {stem("absent"), stem("disappeared"), stem("missing")}) and (
        "job" in slots.matchers or stem("job") in intent_stems
    )
    if job_missing and "job" in slots.matchers:
        expr = f"absent({selector('up', up, slots.matchers)})"
        return Candidate(
            "absent",
            expr,
            ("up",),
            1.0,
            kept_labels=(),
            default_for=_DEFAULT_FOR["absent"],
            default_severity="critical",
            what=f"job {slots.matchers['job']}",
            condition="has no targets",
        )
    if stem("all") in intent_stems or stem("job") in intent_stems and job_missing:
        by = ("job",)
        expr = f"sum by (job) ({selector('up', up, slots.matchers)}) == 0"
        return Candidate(
            "target-down",
            expr,
            ("up",),
            1.0,
            kept_labels=by,
            default_for=_DEFAULT_FOR["target-down"],
            default_severity="critical",
            what="every target of job {{ $labels.job }}",
            condition="is down",
        )
    expr = f"{selector('up', up, slots.matchers)} == 0"
    return Candidate(
        "target-down",
        expr,
        ("up",),
        1.0,
        kept_labels=("instance", "job"),
        default_for=_DEFAULT_FOR["target-down"],
        default_severity="critical",
        what="target {{ $labels.instance }} of job {{ $labels.job }}",
        condition="is down (the scrape failed)",
    )


def absent_series(metric: Metric, slots: Slots) -> Candidate:
    expr = f"absent({selector(metric.name, metric, slots.matchers)})"
    return Candidate(
        "absent",
        expr,
        (metric.name,),
        0.0,
        kept_labels=(),
        default_for=_DEFAULT_FOR["absent"],
        default_severity="warning",
        what=f"metric {metric.name}",
        condition="is absent",
    )


def health_gauge(metric: Metric, slots: Slots) -> Candidate:
    sel = selector(metric.name, metric, slots.matchers)
    by = _good_by(slots, [metric])
    expr = f"{_agg(sel, by, 'min')} == 0" if by is not None else f"{sel} == 0"
    return Candidate(
        "health",
        expr,
        (metric.name,),
        0.0,
        kept_labels=_kept_after_agg([metric], by),
        default_for=_DEFAULT_FOR["health"],
        default_severity="critical",
        what=_metric_words(metric),
        condition="is 0 (unhealthy)",
    )


def gauge_threshold(metric: Metric, slots: Slots, *, problem_count: bool) -> Candidate | None:
    unit = metric_unit(metric)
    sel = selector(metric.name, metric, slots.matchers)
    by = _good_by(slots, [metric])
    value = _agg(sel, by, "max" if slots.direction != "low" else "min")
    threshold = slots.threshold
    if threshold is None:
        if not (problem_count or slots.zero):
            return None
        if slots.zero and not problem_count:
            expr, condition, family = f"{value} == 0", "is 0", "threshold"
        else:
            expr, condition, family = f"{value} > 0", "is above 0", "problem-count"
    else:
        if threshold.kind == "percent" and unit not in ("percent", "ratio") and not _percentish(
            metric
        ):
            return None  # a percentage of a count, bytes or seconds needs a ratio of two metrics
        number = to_base_unit(threshold, unit, as_ratio=unit == "ratio")
        expr = f"{value} {threshold.comparator} {format_number(number)}"
        condition, family = _threshold_text(threshold), "threshold"
    return Candidate(
        family,
        expr,
        (metric.name,),
        0.0,
        value_format=_value_format(unit, False),
        kept_labels=_kept_after_agg([metric], by),
        default_for=_DEFAULT_FOR[family],
        what=_metric_words(metric),
        condition=condition,
    )


def _percentish(metric: Metric) -> bool:
    parts = set(split_identifier(metric.name))
    return bool(
        parts
        & {
            "percent",
            "percentage",
            "pct",
            "utilization",
            "utilisation",
            "usage",
            "ratio",
            "load",
            "cpuutilization",
            "util",
            "cpu",
        }
    ) or metric.name.endswith("_pct")


def counter_rate(metric: Metric, slots: Slots, *, intent_is_problem: bool) -> Candidate | None:
    """rate() against a per-second threshold; increase() against a count or any occurrence."""
    series = (
        metric.name + "_count"
        if effective_type(metric) in (MetricType.HISTOGRAM, MetricType.SUMMARY)
        else metric.name
    )
    sel = selector(series, metric, slots.matchers)
    threshold = slots.threshold
    by = _good_by(slots, [metric])
    window = _window(slots)
    kept = _kept_after_agg([metric], by)
    if threshold is not None and threshold.per is not None:
        number = to_base_unit(threshold, "")
        expr = (
            f"{_agg(f'rate({sel}[{window}])', by)} {threshold.comparator} {format_number(number)}"
        )
        return Candidate(
            "rate",
            expr,
            (metric.name,),
            0.0,
            kept_labels=kept,
            default_for=_DEFAULT_FOR["rate"],
            what=f"the rate of {_metric_words(metric)}",
            condition=_threshold_text(threshold) + " per second"
            if threshold.per == "second"
            else _threshold_text(threshold),
        )
    if threshold is not None and threshold.kind == "count":
        expr = (
            f"{_agg(f'increase({sel}[{window}])', by)} {threshold.comparator} "
            f"{format_number(threshold.value)}"
        )
        return Candidate(
            "increase",
            expr,
            (metric.name,),
            0.0,
            kept_labels=kept,
            default_for=_DEFAULT_FOR["increase"],
            what=f"the increase of {_metric_words(metric)} over {window}",
            condition=_threshold_text(threshold),
        )
    if threshold is None and slots.zero and not intent_is_problem:
        window = slots.window or slots.for_ or "10m"
        expr = f"{_agg(f'increase({sel}[{window}])', by)} == 0"
        return Candidate(
            "increase",
            expr,
            (metric.name,),
            0.0,
            kept_labels=kept,
            default_for="0s",
            what=f"the increase of {_metric_words(metric)}",
            condition=f"is zero over {window}",
        )
    if threshold is None and intent_is_problem:
        expr = f"{_agg(f'increase({sel}[{window}])', by)} > 0"
        return Candidate(
            "increase",
            expr,
            (metric.name,),
            0.0,
            kept_labels=kept,
            default_for=_DEFAULT_FOR["increase"],
            what=f"{_metric_words(metric)} over the last {window}",
            condition="increased",
        )
    return None


def changes(metric: Metric, slots: Slots) -> Candidate:
    """Restarts and flapping: increase() of a restart counter, changes() of a gauge."""
    sel = selector(metric.name, metric, slots.matchers)
    window = slots.window or "15m"
    by = _good_by(slots, [metric])
    counter = effective_type(metric) is MetricType.COUNTER
    fn = "increase" if counter else "changes"
    threshold = slots.threshold
    op, number = (
        (">", "0")
        if threshold is None or threshold.kind != "count"
        else (threshold.comparator, format_number(threshold.value))
    )
    expr = f"{_agg(f'{fn}({sel}[{window}])', by)} {op} {number}"
    return Candidate(
        "changes",
        expr,
        (metric.name,),
        0.0,
        kept_labels=_kept_after_agg([metric], by),
        default_for=_DEFAULT_FOR["changes"],
        what=f"{_metric_words(metric)} over the last {window}",
        condition="changed" if op == ">" and number == "0" else f"{op} {number}",
    )


def ratio(numerator: Metric, denominator: Metric, slots: Slots, *, family: str) -> Candidate | None:
    """used/limit, free/total or errors/all as a 0..1 ratio compared with a percentage."""
    threshold = slots.threshold
    if threshold is None or threshold.kind not in ("percent", "count"):
        return None
    counters = all(
        effective_type(m) in (MetricType.COUNTER, MetricType.HISTOGRAM, MetricType.SUMMARY)
        for m in (numerator, denominator)
    )
    window = _window(slots)
    by = _good_by(slots, [numerator, denominator])
    if counters:
        by = (
            by
            if by is not None
            else tuple(
                sorted({"job", "instance"} & _labels_of(numerator) & _labels_of(denominator))
            )
        )
        num = _agg(
            f"rate({selector(_rate_series(numerator), numerator, slots.matchers)}[{window}])", by
        )
        den = _agg(
            f"rate({selector(_rate_series(denominator), denominator, slots.matchers)}[{window}])",
            by,
        )
    else:
        num = selector(numerator.name, numerator, slots.matchers)
        den = selector(denominator.name, denominator, slots.matchers)
        if by is not None:
            num, den = _agg(num, by), _agg(den, by)
    shared = set(by) if by is not None else (_labels_of(numerator) & _labels_of(denominator))
    on = (
        f" on ({', '.join(sorted(shared))})"
        if (not counters and by is None and set(numerator.labels) != set(denominator.labels))
        else ""
    )
    ratio_expr = f"{num} /{on} {den}"
    free_numerator = bool(set(_name_stems(numerator)) & _FREE_WORDS)
    if family == "saturation" and free_numerator != slots.remaining:
        ratio_expr = f"(1 - {ratio_expr})" if not counters else f"1 - ({ratio_expr})"
    else:
        ratio_expr = f"({ratio_expr})"
    number = (
        to_base_unit(threshold, "ratio", as_ratio=True)
        if threshold.kind == "percent"
        else (threshold.value)
    )
    expr = f"{ratio_expr} {threshold.comparator} {format_number(number)}"
    kept = tuple(sorted(shared)) if by is None else by
    what = "the share of " + _metric_words(numerator) + " in " + _metric_words(denominator)
    return Candidate(
        family,
        expr,
        (numerator.name, denominator.name),
        0.0,
        value_format="humanizePercentage",
        kept_labels=kept,
        default_for=_DEFAULT_FOR[family],
        default_severity="warning",
        what=what,
        condition=_threshold_text(threshold),
    )


def busy_time(metric: Metric, slots: Slots, mode: str | None) -> Candidate | None:
    """A seconds counter's rate is the busy fraction (CPU, disk IO, GC): compare it as a ratio.

    With a `mode` label (CPU time), a named mode is measured directly, and plain usage is
    `1 - idle`, averaged over the CPUs.
    """
    threshold = slots.threshold
    if threshold is None or threshold.kind != "percent":
        return None
    window = _window(slots)
    number = format_number(to_base_unit(threshold, "ratio", as_ratio=True))
    has_mode = "mode" in metric.labels
    over = tuple(label for label in ("cpu", "core") if label in metric.labels)
    by = _good_by(slots, [metric])
    if has_mode:
        wanted = mode or "idle"
        sel = selector(metric.name, metric, slots.matchers, extra=(f'mode="{wanted}"',))
        inner = f"rate({sel}[{window}])"
        averaged = (
            f"avg without ({', '.join(over)}) ({inner})"
            if over and by is None
            else _agg(inner, by, "avg")
            if by is not None
            else inner
        )
        busy = f"1 - {averaged}" if mode is None else averaged
        what = "CPU usage" if mode is None else f"CPU time in {wanted} mode"
    else:
        sel = selector(metric.name, metric, slots.matchers)
        busy = _agg(f"rate({sel}[{window}])", by)
        what = f"the share of time spent in {_metric_words(metric)}"
    kept = by if by is not None else tuple(sorted(_labels_of(metric) - set(over) - {"mode"}))
    return Candidate(
        "busy-time",
        f"{busy} {threshold.comparator} {number}",
        (metric.name,),
        0.0,
        value_format="humanizePercentage",
        kept_labels=kept,
        default_for=_DEFAULT_FOR["saturation"],
        what=what,
        condition=_threshold_text(threshold),
    )


def _rate_series(metric: Metric) -> str:
    if effective_type(metric) in (MetricType.HISTOGRAM, MetricType.SUMMARY):
        return metric.name + "_count"
    return metric.name


def error_ratio_by_label(metric: Metric, slots: Slots, error_class: str) -> Candidate | None:
    """5xx over all requests of one counter, split by its status-code label."""
    label = next((name for name in _ERROR_CODE_LABELS if name in metric.labels), None)
    threshold = slots.threshold
    if label is None or threshold is None or threshold.kind != "percent":
        return None
    series = _rate_series(metric)
    window = _window(slots)
    by = _good_by(slots, [metric])
    by = by if by is not None else ("job", "instance")
    bad = selector(series, metric, slots.matchers, extra=(_code_matcher(label, error_class),))
    all_ = selector(series, metric, slots.matchers)
    number = to_base_unit(threshold, "ratio", as_ratio=True)
    expr = (
        f"({_agg(f'rate({bad}[{window}])', by)} / {_agg(f'rate({all_}[{window}])', by)}) "
        f"{threshold.comparator} {format_number(number)}"
    )
    return Candidate(
        "error-ratio",
        expr,
        (metric.name,),
        0.0,
        value_format="humanizePercentage",
        kept_labels=by,
        default_for=_DEFAULT_FOR["error-ratio"],
        what=f"the share of {error_class} responses in {_metric_words(metric)}",
        condition=_threshold_text(threshold),
    )


def _code_matcher(label: str, error_class: str) -> str:
    digit = error_class[0]
    if "class" in label:
        return f'{label}=~"{digit}.*"'
    return f'{label}=~"{digit}.."'


def latency(metric: Metric, slots: Slots) -> Candidate | None:
    """A latency percentile (histogram_quantile / summary quantile) or an average."""
    threshold = slots.threshold
    kind = effective_type(metric)
    if threshold is None or threshold.kind != "seconds":
        return None
    unit = metric_unit(metric) or "seconds"
    number = format_number(to_base_unit(threshold, unit))
    window = _window(slots)
    q = slots.percentile if slots.percentile is not None else 0.99
    if kind is MetricType.HISTOGRAM:
        by = _good_by(slots, [metric]) or ()
        group = ", ".join(("le", *by))
        sel = selector(metric.name + "_bucket", metric, slots.matchers)
        expr = (
            f"histogram_quantile({format_number(q)}, sum by ({group}) (rate({sel}[{window}]))) "
            f"{threshold.comparator} {number}"
        )
        kept = by
    elif kind is MetricType.SUMMARY and slots.percentile is not None:
        sel = selector(
            metric.name, metric, slots.matchers, extra=(f'quantile="{format_number(q)}"',)
        )
        expr = f"{sel} {threshold.comparator} {number}"
        kept = tuple(sorted(_labels_of(metric)))
    elif kind is MetricType.SUMMARY:
        by = _good_by(slots, [metric]) or ("job", "instance")
        s = selector(metric.name + "_sum", metric, slots.matchers)
        c = selector(metric.name + "_count", metric, slots.matchers)
        expr = (
            f"({_agg(f'rate({s}[{window}])', by)} / {_agg(f'rate({c}[{window}])', by)}) "
            f"{threshold.comparator} {number}"
        )
        kept = by
        q = 0.0
    else:
        return None
    what = (
        f"p{format_number(q * 100)} of {_metric_words(metric)}"
        if q
        else f"average {_metric_words(metric)}"
    )
    return Candidate(
        "latency",
        expr,
        (metric.name,),
        0.0,
        value_format="humanizeDuration" if unit == "seconds" else "humanize",
        kept_labels=kept,
        default_for=_DEFAULT_FOR["latency"],
        what=what,
        condition=_threshold_text(threshold),
    )


def predict_fill(metric: Metric, slots: Slots, horizon_seconds: float) -> Candidate | None:
    """`predict_linear(free[6h], horizon) < 0`: will run out within the horizon."""
    if effective_type(metric) is not MetricType.GAUGE:
        return None
    if not set(_name_stems(metric)) & _FREE_WORDS:
        return None
    sel = selector(metric.name, metric, slots.matchers)
    lookback = "6h" if horizon_seconds >= 6 * 3600 else "1h"
    expr = f"predict_linear({sel}[{lookback}], {format_number(horizon_seconds)}) < 0"
    return Candidate(
        "predict",
        expr,
        (metric.name,),
        0.0,
        value_format="humanize1024",
        kept_labels=tuple(sorted(_labels_of(metric))),
        default_for=_DEFAULT_FOR["predict"],
        what=_metric_words(metric),
        condition=f"is predicted to run out within "
        f"{humanize_duration_ms(round(horizon_seconds * 1000))}",
    )


def staleness(metric: Metric, slots: Slots) -> Candidate | None:
    """`time() - last_success_timestamp > age`: something has not happened for too long."""
    threshold = slots.threshold
    if not is_timestamp_metric(metric) or threshold is None or threshold.kind != "seconds":
        return None
    sel = selector(metric.name, metric, slots.matchers)
    expr = f"time() - {sel} > {format_number(threshold.base_value)}"
    return Candidate(
        "stale",
        expr,
        (metric.name,),
        0.0,
        value_format="humanizeDuration",
        kept_labels=tuple(sorted(_labels_of(metric))),
        default_for=_DEFAULT_FOR["stale"],
        what=f"time since {_metric_words(metric)}",
        condition=_threshold_text(threshold),
    )


def expiry(metric: Metric, slots: Slots) -> Candidate | None:
    """`expiry_timestamp - time() < N days`: a certificate (or token, license) expires soon."""
    threshold = slots.threshold
    if threshold is None or threshold.kind != "seconds" or not is_timestamp_metric(metric):
        return None
    sel = selector(metric.name, metric, slots.matchers)
    expr = f"{sel} - time() < {format_number(threshold.base_value)}"
    return Candidate(
        "expiry",
        expr,
        (metric.name,),
        0.0,
        value_format="humanizeDuration",
        kept_labels=tuple(sorted(_labels_of(metric))),
        default_for=_DEFAULT_FOR["expiry"],
        what=f"time left until {_metric_words(metric)}",
        condition=f"is less than {humanize_duration_ms(round(threshold.base_value * 1000))}",
    )


def traffic_change(metric: Metric, slots: Slots, offset: str) -> Candidate | None:
    """Traffic now vs the same time an earlier period ago (drop or spike by a percentage)."""
    threshold = slots.threshold
    if threshold is None or threshold.kind != "percent":
        return None
    counter = effective_type(metric) in (
        MetricType.COUNTER,
        MetricType.HISTOGRAM,
        MetricType.SUMMARY,
    )
    series = _rate_series(metric) if counter else metric.name
    sel = selector(series, metric, slots.matchers)
    by = _good_by(slots, [metric]) or ("job",)
    now = _agg(f"rate({sel}[{_window(slots)}])" if counter else sel, by)
    before = _agg(
        f"rate({sel}[{_window(slots)}] offset {offset})" if counter else f"{sel} offset {offset}",
        by,
    )
    change = threshold.value / 100
    if slots.direction == "low":
        expr = f"{now} < {format_number(round(1 - change, 6))} * {before}"
        condition = f"dropped by more than {format_number(threshold.value)}% vs {offset} ago"
    else:
        expr = f"{now} > {format_number(round(1 + change, 6))} * {before}"
        condition = f"grew by more than {format_number(threshold.value)}% vs {offset} ago"
    return Candidate(
        "traffic-change",
        expr,
        (metric.name,),
        0.0,
        kept_labels=by,
        default_for=_DEFAULT_FOR["traffic-change"],
        what=_metric_words(metric),
        condition=condition,
    )


# --- naming and annotations ----------------------------------------------------------------------
def _metric_words(metric: Metric) -> str:
    parts = [
        p for p in split_identifier(metric.name) if p not in ("total", "count", "sum", "bucket")
    ]
    return " ".join(parts) or metric.name


def alert_name(intent: str, candidate: Candidate, matchers: dict[str, str]) -> str:
    """CamelCase name: a short title the user gave ("Title: details"), else subject + problem."""
    title = intent.split(":", 1)[0] if ":" in intent[:80] else ""
    words = re.findall(r"[A-Za-z0-9]+", title) if 0 < len(title.split()) <= 8 else []
    if not words:
        words = [*(v for v in matchers.values()), *_concept_words(intent, candidate)]
    name = "".join(w[:1].upper() + w[1:] for w in words if w)[:80]
    if not name or not name[0].isalpha():
        name = "Alert" + name
    return name


def _concept_words(intent: str, candidate: Candidate) -> list[str]:
    suffix = {
        "target-down": ["Target", "Down"],
        "absent": ["Absent"],
        "latency": ["High", "Latency"],
        "error-ratio": ["High", "Error", "Rate"],
        "saturation": ["Saturation"],
        "predict": ["Filling", "Up"],
        "stale": ["Stale"],
        "expiry": ["Expiring", "Soon"],
        "traffic-change": ["Traffic", "Change"],
        "changes": ["Changes"],
        "health": ["Unhealthy"],
    }.get(candidate.family)
    subject = [
        w
        for w in split_identifier(candidate.metrics[0])
        if w not in ("total", "count", "sum", "bucket", "seconds", "bytes")
    ][:4]
    if suffix is None:
        intent_concepts = concepts(stems(intent))
        suffix = ["Low"] if candidate.expr.split()[-2:-1] in (["<"], ["<="]) else ["High"]
        if "error" in intent_concepts:
            suffix = ["Errors"]
    return [*subject, *suffix]


def rule_annotations(candidate: Candidate, intent: str) -> dict[str, str]:
    kept = set(candidate.kept_labels)
    where = ""
    for label in (
        "service",
        "namespace",
        "job",
        "instance",
        "pod",
        "device",
        "mountpoint",
        "route",
    ):
        if label in kept:
            where += f" {label} {{{{ $labels.{label} }}}}"
            if len(where) > 60:
                break
    where = f" on{where}" if where else ""
    value = f"{{{{ $value | {candidate.value_format} }}}}"
    condition = candidate.condition or "crossed its threshold"
    summary = f"{candidate.what[:1].upper()}{candidate.what[1:]} {condition}{where}."
    description = (
        f"{candidate.what[:1].upper()}{candidate.what[1:]} is {value}{where}"
        f" ({condition}). Intent: {_safe_intent(intent)}"
    )
    return {"summary": summary, "description": description}


def _safe_intent(intent: str) -> str:
    # The user's own words, minus template syntax that Prometheus would try to expand.
    text = re.sub(r"\{\{|\}\}|\$", "", intent).strip()
    return (text[:300] + "...") if len(text) > 300 else text


def default_for(candidate: Candidate) -> str | None:
    value = candidate.default_for
    if value is None or parse_duration_ms(value) == 0:
        return None
    return format_duration_seconds(parse_duration_ms(value) / 1000)
