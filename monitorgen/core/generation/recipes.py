"""Intent families: builders from (slots, chosen metrics) to a complete alerting rule.

Each builder returns a `Candidate` or None when the family does not fit the metrics. Families:
gauge threshold, problem count, health flag, series in a named state, counter rate/increase,
error ratio, saturation ratio (used/limit, free/total, used/(used+free)), busy time, latency
percentile (histogram or summary) or average, target down (`up == 0`) and absent series, fill-up
prediction, staleness, expiry, traffic change vs an earlier period, restarts/changes,
mismatched versions, and a value against its own limit metric (`temp > temp_max`, a forecast
against a quota). Selectors carry the scope matchers and the label values the intent implies
(`Slots.value_matchers`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from monitorgen.core.catalog import Catalog, Metric, MetricType
from monitorgen.core.durations import (
    format_duration_seconds,
    humanize_duration_ms,
    parse_duration_ms,
    parse_duration_seconds,
)
from monitorgen.core.generation.labelvalues import (
    GRPC_SERVER_ERRORS,
    NO_ERROR_RCODE,
    ValueMatcher,
    failure_matcher,
)
from monitorgen.core.generation.naming import (
    FREE_WORDS,
    HEALTH_WORDS,
    LIMIT_WORDS,
    PROBLEM_WORDS,
    STRONG_LIMIT_WORDS,
    USED_WORDS,
    effective_type,
    is_countdown,
    is_counter_like,
    is_free,
    is_observation_part,
    is_problem_name,
    is_timestamp_metric,
    is_uptime,
    metric_unit,
)
from monitorgen.core.generation.pairing import Pair
from monitorgen.core.generation.slots import (
    Slots,
    Threshold,
    format_number,
    says_none,
    to_base_unit,
)
from monitorgen.core.generation.vocabulary import concepts, split_identifier, stem, stems
from monitorgen.core.promql import SWAPPED_COMPARISON

# Kept under their old names for callers of this module.
_PROBLEM_WORDS = PROBLEM_WORDS
_HEALTH_WORDS = HEALTH_WORDS
_LIMIT_WORDS = LIMIT_WORDS
_FREE_WORDS = FREE_WORDS
_ERROR_CODE_LABELS = (
    "code",
    "status_code",
    "status",
    "response_code",
    "http_code",
    "http_status",
    "grpc_code",
    "rcode",
    "status_class",
    "code_class",
    "response_code_class",
    "result",
    "outcome",
    "classification",
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
    "link-utilisation": "5m",
    "latency": "10m",
    "predict": "15m",
    "stale": "5m",
    "expiry": "1h",
    "traffic-change": "15m",
    "changes": "0s",
    "state": "5m",
    "mismatch": "15m",
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
    # How naturally the family answers the intent (added to the metric's score), and what the
    # rule assumes that the intent did not say (shown to the reviewer).
    fit: float = 0.0
    assumptions: tuple[str, ...] = ()


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


def select(series: str, metric: Metric, slots: Slots, *, without: tuple[str, ...] = (),
           extra: tuple[str, ...] = ()) -> str:
    """A selector with the scope matchers and the label values the intent implies."""
    allowed = metric.label_names_for(series)
    implied = tuple(v.render() for v in slots.value_matchers
                    if v.label in allowed and v.label not in without
                    and v.label not in slots.matchers)
    return selector(series, metric, slots.matchers, extra=(*implied, *extra))


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
        # The unit as written ("200MB" and "200 MB" alike), never the number a second time.
        written = re.search(r"([A-Za-z]+)\W*$", threshold.text)
        return f"{words} {format_number(threshold.value)} {written.group(1) if written else 'bytes'}"
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


def _share_by(slots: Slots, labels: set[str]) -> tuple[str, ...]:
    """Grouping of a share the user gave none for: per target, and per each label the alert's
    text shows ("for database <datname>"): summed over it, one database's misses would hide
    among the others' hits, and the alert could not name it."""
    return tuple(label for label in ("job", "instance", *slots.shown_labels) if label in labels)


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
    expr = f"absent({select(metric.name, metric, slots)})"
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


def failed_samples(metric: Metric, slots: Slots, window: str) -> Candidate | None:
    """A 0/1 success flag said to fail N times within a window ("a probe fails 3 times in 10
    minutes"): the samples at 0 in the window, `count_over_time - sum_over_time`."""
    threshold = slots.threshold
    if threshold is None or threshold.kind != "count":
        return None
    sel = select(metric.name, metric, slots)
    zeros = f"count_over_time({sel}[{window}]) - sum_over_time({sel}[{window}])"
    return Candidate(
        "problem-count",
        f"({zeros}) {threshold.comparator} {format_number(threshold.value)}",
        (metric.name,),
        0.0,
        kept_labels=tuple(sorted(_labels_of(metric))),
        default_for=None,
        what=f"samples of {_metric_words(metric)} at 0 over the last {window}",
        condition=_threshold_text(threshold),
    )


def health_gauge(metric: Metric, slots: Slots, *, flags_counted: bool = False,
                 group_by: tuple[str, ...] = ()) -> Candidate:
    """A 0/1 health flag (`_up`, `_ready`, `_success`) that is 0, or below a stated level;
    with `flags_counted` the flags are summed first ("less than 3 nodes running", "no node is
    the leader"), per `group_by` unless the intent groups itself."""
    series = select(metric.name, metric, slots)
    by = _good_by(slots, [metric])
    if flags_counted:
        by = by or group_by
        value = _agg(series, by, "sum")
    else:
        value = _agg(series, by, "min")
    threshold = slots.threshold
    if threshold is not None and threshold.kind == "count" and threshold.comparator in (
        "<", "<=", "==", "!="
    ):
        expr = f"{value} {threshold.comparator} {format_number(threshold.value)}"
        condition = _threshold_text(threshold)
    else:
        expr, condition = f"{value} == 0", "is 0 (unhealthy)"
    return Candidate(
        "health",
        expr,
        (metric.name,),
        0.0,
        kept_labels=_kept_after_agg([metric], by),
        default_for=_DEFAULT_FOR["health"],
        default_severity="critical",
        what=_metric_words(metric),
        condition=condition,
    )


def state_gauge(metric: Metric, slots: Slots) -> Candidate | None:
    """Series in a named state (`state="failed"`, `condition="Ready", status!="true"`) exist."""
    implied = [v for v in slots.value_matchers if v.label in metric.labels]
    if not implied:
        return None
    series = select(metric.name, metric, slots)
    threshold = slots.threshold
    by = _good_by(slots, [metric])
    if threshold is not None and threshold.kind == "count" and not threshold.per:
        value = _agg(series, by if by is not None else (), "sum")
        expr = f"{value} {threshold.comparator} {format_number(threshold.value)}"
        condition = _threshold_text(threshold)
        kept = _kept_after_agg([metric], by if by is not None else ())
    elif _denied_without_status(implied):
        # "not ready" selects the Ready condition to deny it; with no status label to carry
        # the denial, the condition's own value is 0.
        expr = f"{_agg(series, by, 'min')} == 0"
        condition = "is 0 (does not hold)"
        kept = _kept_after_agg([metric], by)
    elif threshold is None and says_none(slots.text):
        # "no consumers on the orders queue": the count of the series picked is 0, not "any".
        expr = f"{_agg(series, by, 'sum')} == 0"
        condition = "is 0"
        kept = _kept_after_agg([metric], by)
    else:
        expr = f"{_agg(series, by, 'max')} > 0"
        condition = "is reported"
        kept = _kept_after_agg([metric], by)
    states = ", ".join(v.render() for v in implied)
    return Candidate(
        "state",
        expr,
        (metric.name,),
        0.0,
        kept_labels=kept,
        default_for=_DEFAULT_FOR["state"],
        what=f"{_metric_words(metric)} with {states}",
        condition=condition,
    )


# Values of state labels that mean all is well, by common exporter conventions.
GOOD_STATES = ("ok", "healthy", "running", "online", "active", "ready", "available", "bound",
               "up", "true", "normal", "passing", "green", "enabled")


def bad_states(metric: Metric, slots: Slots, label: str) -> Candidate:
    """A gauge split by a state label (`state`, `health_type`, `operating_status`) that is "not
    ok": series in any state but the good ones are reported. A flag's `== 0` would fire for
    every other state of each thing."""
    good = "|".join(GOOD_STATES)
    series = select(metric.name, metric, slots, extra=(f'{label}!~"(?i)({good})"',))
    by = _good_by(slots, [metric])
    return Candidate(
        "state",
        f"{_agg(series, by, 'max')} > 0",
        (metric.name,),
        0.0,
        kept_labels=_kept_after_agg([metric], by),
        default_for=_DEFAULT_FOR["state"],
        what=f"{_metric_words(metric)} in a state other than {', '.join(GOOD_STATES[:4])}",
        condition="is reported",
    )


# How exporters spell a false boolean label value: Go's "false", Python's "False", a 0.
FALSE_SPELLINGS = ("0", "false", "False", "no")


def false_label(metric: Metric, slots: Slots, label: str, values: tuple[str, ...]) -> Candidate:
    """An info metric whose boolean label is named for the state the intent says is lost
    (`cluster_info{quorate="0"}`): its series with that label false exist."""
    pattern = values[0] if len(values) == 1 else "|".join(values)
    op = "=" if len(values) == 1 else "=~"
    series = select(metric.name, metric, slots, extra=(f'{label}{op}"{pattern}"',))
    return Candidate(
        "state",
        f"{series} == 1",
        (metric.name,),
        0.0,
        kept_labels=tuple(sorted(_labels_of(metric))),
        default_for=_DEFAULT_FOR["state"],
        what=_metric_words(metric),
        condition=f"has {label} false",
    )


def _denied_without_status(implied: list[ValueMatcher]) -> bool:
    """A selected state the intent denies ("not ready") with no other matcher saying so."""
    denied = any(v.negated and v.op in ("=", "=~") for v in implied)
    carried = any(v.family == "condition status" for v in implied)
    return denied and not carried


_EXTREME_FOR = {">": "max", ">=": "max", "<": "min", "<=": "min"}


def _extreme_for(slots: Slots, problem_count: bool) -> str:
    """The aggregation that keeps the series the comparison is about: the largest for "above"
    (any pool with inconsistent PGs is `max(...) > 0`; `min` would need all of them), the
    smallest for "below"."""
    if slots.threshold is not None and slots.threshold.comparator in _EXTREME_FOR:
        return _EXTREME_FOR[slots.threshold.comparator]
    if problem_count and not slots.zero:
        return "max"  # compared `> 0`
    return "max" if slots.direction != "low" else "min"


def gauge_threshold(metric: Metric, slots: Slots, *, problem_count: bool,
                    flags_counted: bool = False, group_by: tuple[str, ...] = ()
                    ) -> Candidate | None:
    """`x > N`; with `flags_counted`, a 0/1 flag summed over its series, per `group_by` unless
    the intent groups itself, is compared with a count ("3 nodes are leader":
    `sum by (job) (is_leader) > 1`)."""
    unit = metric_unit(metric) or _unit_inside_name(metric)
    series = select(metric.name, metric, slots)
    by = _good_by(slots, [metric])
    assumptions: tuple[str, ...] = ()
    if flags_counted:
        by = group_by if by is None else by
        value = _agg(series, by, "sum")
    else:
        value = _agg(series, by, _extreme_for(slots, problem_count))
    threshold = slots.threshold
    if threshold is not None and threshold.comparator in (">", ">=") and _signed_offset(metric):
        # A clock offset is as wrong ahead as behind: "off by more than 50ms" is its size.
        value = f"abs({value})"
    if threshold is None:
        if not (problem_count or slots.zero) or problem_count and is_countdown(metric):
            return None  # time left above 0 is the healthy state
        if slots.zero and not problem_count:
            expr, condition, family = f"{value} == 0", "is 0", "threshold"
        else:
            expr, condition, family = f"{value} > 0", "is above 0", "problem-count"
    else:
        if threshold.kind == "percent" and unit not in ("percent", "ratio") and not _percentish(
            metric
        ):
            return None  # a percentage of a count, bytes or seconds needs a ratio of two metrics
        if threshold.kind == "seconds" and unit not in (
            "seconds", "milliseconds", "minutes", "hours", "days") and not (
            unit == "" and set(split_identifier(metric.name)) & _TIME_WORDS
            and not bucket_count(metric)
        ):
            return None  # a duration compared with a count says nothing
        if threshold.kind == "bytes" and unit not in ("bytes", ""):
            return None
        said = threshold
        threshold = _bare_number_as_percent(metric, threshold, unit) or threshold
        if threshold is not said:
            assumptions = (f"the number {format_number(said.value)} is read as "
                           f"{format_number(threshold.value)}%: {metric.name} runs "
                           f"{'0..1' if unit == 'ratio' or _zero_to_one(metric) else '0..100'}",)
        number = to_base_unit(threshold, unit, as_ratio=unit == "ratio" or _zero_to_one(metric))
        if threshold.kind == "seconds" and unit == "" and threshold.factor == 0.001:
            # A duration whose name carries no unit, given in milliseconds ("request_time
            # above 500ms"): an exporter that does not name units in seconds commonly reports
            # milliseconds, and 0.5 against such a value would fire on every request.
            number = threshold.value
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
        assumptions=assumptions,
    )


# Name words of a share of a resource in use, where a threshold below 1% (or above 100%) makes
# no sense: "CPU usage above 0.9" of a 0..100 gauge means 90%, not 0.9%.
_USE_SHARE_WORDS = frozenset({"usage", "used", "utilization", "utilisation", "util", "busy",
                              "full", "fill", "saturation"})


# Help that fixes a share's scale: "share of lookups served from cache (0-1)", "fraction of".
_SHARE_HELP_RE = re.compile(r"\b(?:fraction|share|percentage) of\b|\(0 ?(?:-|to|\.\.) ?1\)"
                            r"|\bbetween 0 and 1\b", re.I)


def _bare_number_as_percent(metric: Metric, threshold: Threshold, unit: str) -> Threshold | None:
    """A bare number out of the scale of a share in use whose scale is known, read as the
    percentage it must mean: "disk usage above 80" of a 0..1 ratio (80 is never reached) is
    80%, "CPU usage above 0.9" of a 0..100 percentage (0.9% is always exceeded) is 90%."""
    if threshold.kind != "count" or threshold.per is not None or threshold.value <= 0:
        return None
    words_ = {w.lower() for w in split_identifier(metric.name)}
    if not (words_ & _USE_SHARE_WORDS or _SHARE_HELP_RE.search(metric.help)):
        return None
    percent_scale = unit == "percent" or bool(words_ & {"percent", "percentage", "pct"})
    if percent_scale and threshold.value < 1:
        return replace(threshold, kind="percent", value=threshold.value * 100, factor=1.0)
    if not percent_scale and (unit == "ratio" or _zero_to_one(metric)) and (
        1 < threshold.value <= 100
    ):
        return replace(threshold, kind="percent", factor=1.0)
    return None


# Name words of a signed difference between two clocks.
_OFFSET_WORDS = frozenset({"offset", "skew", "drift"})


def _signed_offset(metric: Metric) -> bool:
    """A time offset that may be negative (`timex_offset_seconds`, `clock_skew_seconds`);
    a counter's `offset` (a position in a log) is no time."""
    return metric_unit(metric) == "seconds" and bool(
        set(split_identifier(metric.name)) & _OFFSET_WORDS)


def _unit_inside_name(metric: Metric) -> str:
    """A unit the name states before its last words (`seconds_behind_master`)."""
    words = split_identifier(metric.name)
    found = {w for w in words[:-1] if w in ("seconds", "milliseconds")}
    return found.pop() if len(found) == 1 else ""


def bucket_count(metric: Metric) -> bool:
    """`write_latency_le_overflow`, `latency_le_10`: how many operations fell in a latency
    bucket. A count, not a duration, whatever the latency bound the intent mentions."""
    words = [w.lower() for w in split_identifier(metric.name)]
    return any(w == "le" and (after == "overflow" or after.isdigit())
               for w, after in zip(words, words[1:], strict=False))


_TIME_WORDS = frozenset({"time", "uptime", "age", "lag", "delay", "duration", "latency", "wait",
                         "elapsed", "ttl"})


_PERCENT_HELP_RE = re.compile(
    r"\b(?:percent(?:age)?|ratio|fraction|utili[sz]ation|0 ?(?:to|-|and) ?1|0 ?(?:to|-) ?100)\b",
    re.I)


_ZERO_TO_ONE_HELP_RE = re.compile(
    r"\b(?:ratio|fraction|(?:between |from )?0(?:\.0)? ?(?:to|-|and) ?1(?:\.0)?(?!\d|\.\d))\b", re.I)
_PERCENT_WORDS_RE = re.compile(r"\b(?:percent(?:age)?|pct|0 ?(?:to|-|and) ?100)\b|%", re.I)


def _zero_to_one(metric: Metric) -> bool:
    """A share kept as 0..1 (`busy_fraction`, help "between 0 and 1"): 90% is 0.9 there.
    A name or help that speaks of percent keeps the 0..100 scale."""
    words_ = set(split_identifier(metric.name))
    if words_ & {"percent", "percentage", "pct"} or _PERCENT_WORDS_RE.search(metric.help):
        return False
    return bool(words_ & {"fraction", "ratio"}) or bool(_ZERO_TO_ONE_HELP_RE.search(metric.help))


def _percentish(metric: Metric) -> bool:
    """A gauge whose value is itself a percentage or a 0..1 share (by name, unit or help)."""
    if metric_unit(metric) in ("percent", "ratio") or _PERCENT_HELP_RE.search(metric.help):
        return True
    words_ = split_identifier(metric.name)
    parts = set(words_)
    if any(a == "load" and b.isdigit() for a, b in zip(words_, words_[1:], strict=False)):
        parts.discard("load")  # `load15`: the 15-minute load average, a count of processes
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
            "fraction",
            "score",
            "pressure",
        }
    ) or metric.name.endswith("_pct") or any(
        # Run-together words that end in a share word (`nodecpuutilization`, `memusage`).
        part.endswith(_SHARE_SUFFIXES) and part not in _SHARE_SUFFIXES for part in parts)


_SHARE_SUFFIXES = ("utilization", "utilisation", "percent", "percentage", "usage")


def scale_unstated(metric: Metric) -> bool:
    """A share gauge (`_percentish`) whose unit, name and help leave open whether it runs
    0..100 or 0..1 (`node_cpu_utilization`): exporters do both, so the reviewer is told which
    one the rule assumes."""
    if metric_unit(metric) in ("percent", "ratio") or not _percentish(metric):
        return False
    words_ = set(split_identifier(metric.name))
    return not (words_ & {"percent", "percentage", "pct", "fraction", "ratio"}
                or metric.name.endswith("_pct") or _PERCENT_WORDS_RE.search(metric.help)
                or _ZERO_TO_ONE_HELP_RE.search(metric.help))


# "no successful reads", "reads are not succeeding", "none succeeded": what is missing is a
# success, which a counter of all attempts does not tell apart from a failure.
_NO_SUCCESS_RE = re.compile(
    r"\b(?:no|zero|without)\s+(?:\w+\s+)?(?:successful|succeeded|succeeding|ok)\b|"
    r"\b(?:not|n't|never)\s+(?:\w+\s+)?succe(?:ed|eding|eded|ssful)\b|"
    r"\bnone\s+(?:\w+\s+)?succeed\w*\b|\bno\s+(?:\w+\s+){0,2}succeeding\b", re.I)
_SUCCESS_HELP_RE = re.compile(r"\bsuccess(?:ful(?:ly)?)?\b|\bsucceeded\b", re.I)
_SUCCESS_NAME_WORDS = frozenset({"success", "successful", "succeeded", "ok", "completed",
                                 "accepted", "sent", "delivered", "processed"})


def _names_success(metric: Metric, slots: Slots) -> bool:
    """The counter counts successes only: by its name or help ("Successful logins"), or by a
    listed outcome the rule selects."""
    if set(split_identifier(metric.name)) & _SUCCESS_NAME_WORDS or _SUCCESS_HELP_RE.search(
            metric.help):
        return True
    return any(v.label in metric.labels for v in slots.value_matchers)


def counter_rate(metric: Metric, slots: Slots, *, intent_is_problem: bool) -> Candidate | None:
    """rate() against a per-second threshold; increase() against a count or any occurrence."""
    series = _rate_series(metric)
    sel = select(series, metric, slots)
    threshold = slots.threshold
    by = _good_by(slots, [metric])
    if by is None and threshold is not None and threshold.comparator in ("<", "<=") and (
            set(metric.labels) - set(slots.matchers)):
        # "checkout requests per second drop below 10": the traffic of what the intent names,
        # summed over its other labels; one route's or one status code's share of it is low
        # all the time.
        by = tuple(label for label in ("job", *sorted(slots.matchers))
                   if label in _labels_of(metric))
    window = _window(slots)
    kept = _kept_after_agg([metric], by)
    if threshold is not None and threshold.per == "hour" and threshold.kind == "count" and (
            slots.window is None):
        # "more than 5 deadlocks per hour": the count over the last hour, as said (a rate of
        # 0.0014 per second is the same number no reviewer can read).
        slots = replace(slots, window="1h", threshold=replace(threshold, per=None))
        return counter_rate(metric, slots, intent_is_problem=intent_is_problem)
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
            condition=_threshold_text(threshold),  # it says "per second" itself
        )
    if threshold is not None and threshold.kind in ("count", "bytes"):
        expr = (
            f"{_agg(f'increase({sel}[{window}])', by)} {threshold.comparator} "
            f"{format_number(threshold.base_value)}"
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
    if threshold is None and slots.zero and not is_problem_name(metric) and not (
            _NO_SUCCESS_RE.search(slots.text) and not _names_success(metric, slots)):
        # ("No successful reads" of a counter of all reads: failing reads still count, so the
        # rule would stay silent when every read fails.)
        return none_counted(metric, slots)
    if threshold is None and intent_is_problem and not is_uptime(metric) and not (
            is_observation_part(metric)):
        # (Uptime increases all the time, and so does the count of observed durations: their
        # increase is no occurrence of anything.)
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


def none_counted(metric: Metric, slots: Slots) -> Candidate:
    """The counter counted nothing over the stated period (else 10m): `increase(...) == 0`.
    Of a counter of problems only when the intent says none of them happened, plainly."""
    by = _good_by(slots, [metric])
    window = slots.window or slots.for_ or "10m"
    expr = f"{_agg(f'increase({select(_rate_series(metric), metric, slots)}[{window}])', by)} == 0"
    return Candidate(
        "increase",
        expr,
        (metric.name,),
        0.0,
        kept_labels=_kept_after_agg([metric], by),
        default_for="0s",
        what=f"the increase of {_metric_words(metric)}",
        condition=f"is zero over {window}",
        # "none for 1h" is one hour without any, not two.
        consumes_for=slots.window is None and slots.for_ == window,
        # Work done every few hours (uploads, backups) is "none" in most 10m windows.
        assumptions=() if slots.window or slots.for_ else (
            f"no period is given: assumed nothing in {window} is a problem; use a window "
            "longer than the usual interval of this work",),
    )


def changes(metric: Metric, slots: Slots) -> Candidate:
    """Restarts and flapping: increase() of a restart counter, changes() of a gauge."""
    sel = select(metric.name, metric, slots)
    threshold = slots.threshold
    # "more than 3 times per hour" counts over an hour.
    per_hour = threshold is not None and threshold.per == "hour"
    window = slots.window or ("1h" if per_hour else "15m")
    by = _good_by(slots, [metric])
    if is_uptime(metric):
        # Uptime grows all the time, so any increase or change fires always.
        started = recently_started(metric, slots)
        if started is not None:
            return started
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



def parity(metric: Metric, slots: Slots, problem: str, *, per_member: bool = False) -> Candidate:
    """A count of members that is odd or even ("an even number of voters loses quorum"):
    `members % 2 == 0` when even is the problem, `== 1` when odd is. With `per_member` the
    metric has one series per member (`server_id`), so its series are what is counted."""
    series = select(metric.name, metric, slots)
    by = _good_by(slots, [metric])
    value = _agg(series, by or (), "count") if per_member else _agg(series, by, "max")
    return Candidate(
        "parity",
        f"{value} % 2 == {0 if problem == 'even' else 1}",
        (metric.name,),
        0.0,
        kept_labels=_kept_after_agg([metric], by) if not per_member else by or (),
        default_for=_DEFAULT_FOR["state"],
        what=f"the number of {metric.name} series (one per member)" if per_member else (
            _metric_words(metric)),
        condition=f"is an {problem} number",
    )


# SNMP TimeTicks and the like: an unsuffixed uptime the help text says counts hundredths.
_CENTISECONDS_RE = re.compile(r"\b(?:hundredths? of a second|centiseconds?|timeticks)\b", re.I)


def _ticks_per_second(metric: Metric, unit: str) -> float:
    if unit == "milliseconds":
        return 1000.0
    if not unit and _CENTISECONDS_RE.search(metric.help):
        return 100.0
    return 1.0


def recently_started(metric: Metric, slots: Slots) -> Candidate | None:
    """A restart seen on an uptime metric: the uptime is shorter than the window looked at
    ("restarted in the last 15 minutes" -> `uptime < 900`), or than a stated age."""
    unit = metric_unit(metric)
    if unit not in ("seconds", "milliseconds", ""):
        return None
    threshold = slots.threshold
    if threshold is not None and threshold.kind == "seconds":
        seconds = threshold.base_value
    else:
        seconds = parse_duration_seconds(slots.window or "15m")
    number = format_number(seconds * _ticks_per_second(metric, unit))
    sel = select(metric.name, metric, slots)
    by = _good_by(slots, [metric])
    return Candidate(
        "changes",
        f"{_agg(sel, by, 'min')} < {number}",
        (metric.name,),
        0.0,
        kept_labels=_kept_after_agg([metric], by),
        default_for=_DEFAULT_FOR["changes"],
        what=_metric_words(metric),
        condition=f"< {number} (started again recently)",
    )


def distinct_values(metric: Metric, slots: Slots, label: str | None) -> Candidate:
    """More than one value of `label` (or of the metric, for a hash) at once: versions differ."""
    sel = select(metric.name, metric, slots)
    by = _good_by(slots, [metric])
    outer = f"count by ({', '.join(by)}) " if by else "count"
    if label is None:
        inner = f'count_values{" by (" + ", ".join(by) + ")" if by else ""} ("value", {sel})'
        expr = f"{outer}({inner}) > 1"
        label = "value"
    else:
        expr = f"{outer}(count by ({', '.join((*(by or ()), label))}) ({sel})) > 1"
    return Candidate(
        "mismatch",
        expr,
        (metric.name,),
        0.0,
        kept_labels=by or (),
        default_for=_DEFAULT_FOR["mismatch"],
        what=f"the number of distinct {label} values of {_metric_words(metric)}",
        condition="is above 1",
    )


def differs_across(metric: Metric, slots: Slots, group_by: tuple[str, ...]) -> Candidate:
    """Members of a group that should agree on a value do not ("inconsistent member counts
    across instances"): `max by (job) (x) != min by (job) (x)`."""
    sel = _per_member(select(metric.name, metric, slots), metric, group_by)
    return Candidate(
        "mismatch",
        f"{_agg(sel, group_by, 'max')} != {_agg(sel, group_by, 'min')}",
        (metric.name,),
        0.0,
        kept_labels=group_by,
        default_for=_DEFAULT_FOR["mismatch"],
        what=f"the highest {_metric_words(metric)} of the group",
        condition="differs from the lowest of the group",
    )


def _per_member(sel: str, metric: Metric, group_by: tuple[str, ...]) -> str:
    """One value per member before members are compared. A catalog that lists no labels may
    still split the gauge by kind (`state`: peers alive, peers leaving): compared as they are,
    its parts would differ on every healthy member, so each member's series are summed first."""
    if metric.labels:
        return sel
    return _agg(sel, tuple(sorted({*group_by, "instance"})))


def ratio(pair: Pair, slots: Slots, *, family: str, success: bool = False) -> Candidate | None:
    """used/limit, free/total, used/(used+free) or errors/all, compared as a 0..1 share.

    With `success` an error ratio is turned into the share of good outcomes (1 - errors/all).
    """
    threshold = slots.threshold
    if threshold is None or threshold.kind not in ("percent", "count"):
        return None
    if threshold.kind == "count" and not (0 < threshold.value <= 1 or slots.ratio):
        return None  # "more than 5" is not a share
    numerator, denominator = pair.numerator, pair.denominator
    metrics = list(pair.metrics)
    counters = pair.rates if pair.rates is not None else all(is_counter_like(m) for m in metrics)
    window = _window(slots)
    by = _good_by(slots, metrics)
    common = tuple(sorted(set.intersection(*(_labels_of(m) for m in metrics))))
    if counters:
        by = by if by is not None else _share_by(slots, set(common))
        num = _agg(f"rate({select(_rate_series(numerator), numerator, slots)}[{window}])", by)
        den = " + ".join(
            _agg(f"rate({select(_rate_series(m), m, slots)}[{window}])", by)
            for m in (denominator, *pair.whole_also))
    else:
        num = " + ".join(select(m.name, m, slots) for m in (numerator, *pair.part_also))
        dens = [select(m.name, m, slots) for m in (denominator, *pair.whole_also)]
        same_labels = len({frozenset(m.labels) for m in metrics}) == 1
        if by is None and (not same_labels or pair.part_also):
            # Line the series up on the labels both sides have; parts are summed to the
            # limit's labels: one limit bounds every pool's share.
            by = common
        if by is not None:
            num, dens = _agg(num, by), [_agg(d, by) for d in dens]
        den = " + ".join(dens)
    if pair.whole_also:
        den = f"({den})"  # the parts of the whole, summed before the comparison with zero
    # A whole that is a sum of parts: used / (used + free). A whole of zero (no limit set, no
    # traffic) would make the share infinite: such series are left out (`den > 0` filters).
    complement = family == "saturation" and is_free(numerator) != _share_left(slots) or (
        family == "error-ratio" and success)
    shown = numerator
    assumptions: tuple[str, ...] = ()
    if pair.kind == "part-of-sum":
        # Of two parts, the share of the other one is read directly (used / (used + free)),
        # which also names it rightly in the annotations.
        shown = denominator if complement else numerator
        ratio_expr = f"({num if shown is numerator else den} / ({num} + {den}))"
        free = next((m for m in (numerator, denominator) if is_free(m)), None)
        if free is not None:
            other = denominator if free is numerator else numerator
            assumptions = (f"{free.name} is read as what is left, so the whole is it plus "
                           f"{other.name}",)
    elif complement:
        ratio_expr = f"(1 - {num} / ({den} > 0))"
    else:
        ratio_expr = f"({num} / ({den} > 0))"
    number = (
        to_base_unit(threshold, "ratio", as_ratio=True)
        if threshold.kind == "percent"
        else threshold.value
    )
    expr = f"{ratio_expr} {threshold.comparator} {format_number(number)}"
    kept = by if by is not None else common
    part = " plus ".join(_metric_words(m) for m in (shown, *pair.part_also))
    whole = "all of " + " plus ".join(_metric_words(m) for m in (denominator, *pair.whole_also)) \
        if pair.kind != "part-of-sum" else (
            f"{_metric_words(numerator)} plus {_metric_words(denominator)}")
    what = f"the share of {part} in {whole}"
    if complement and pair.kind != "part-of-sum":
        # `1 - free/size` is the share in use, not the free share the names would say.
        rest = ("in use" if is_free(numerator) else "left") if family == "saturation" else (
            f"without {_metric_words(numerator)}")
        what = f"the share of {whole.removeprefix('all of ')} {rest}"
    return Candidate(
        family,
        expr,
        tuple(m.name for m in metrics),
        0.0,
        value_format="humanizePercentage",
        kept_labels=tuple(kept),
        default_for=_DEFAULT_FOR[family],
        default_severity="warning",
        what=what,
        condition=_threshold_text(threshold),
        assumptions=assumptions,
    )


# Values of a kind label naming the whole, the part in use and the part left of one capacity
# (`type="hard"` / `type="used"`, `item="max"` / `item="used"`, `conn_type="available"`).
_WHOLE_VALUE_STEMS = STRONG_LIMIT_WORDS | frozenset(stem(w) for w in ("total", "size"))
_USED_VALUE_STEMS = USED_WORDS
_FREE_VALUE_STEMS = FREE_WORDS | frozenset({stem("usable")})
# Words beside the role word that leave it the role (`totalSpace`, `drive_trip`); any other
# (`totalCreated`, `max_used`) makes the value something else.
_VALUE_FILLER_STEMS = frozenset(stem(w) for w in ("space", "bytes", "value", "drive", "device",
                                                   "memory", "disk", "count", "number"))
# The plain spelling of the part in use, preferred when several values are in use
# (`used` beside `committed`).
_PLAIN_USED_VALUES = frozenset({"used", "usage", "inuse", "in_use", "current"})


def _value_role(value: str) -> str | None:
    found = {stem(w) for w in split_identifier(value)}
    roles = {role for role, stems_ in (("whole", _WHOLE_VALUE_STEMS), ("used", _USED_VALUE_STEMS),
                                       ("free", _FREE_VALUE_STEMS)) if found & stems_}
    if len(roles) != 1:
        return None
    role = roles.pop()
    own = {"whole": _WHOLE_VALUE_STEMS, "used": _USED_VALUE_STEMS, "free": _FREE_VALUE_STEMS}[role]
    return role if found - own <= _VALUE_FILLER_STEMS else None


def split_roles(metric: Metric, slots: Slots) -> tuple[str, dict[str, str]] | None:
    """(label, {role: value}) when one label of the metric lists one value for each of two of
    the roles whole, used and free, and no matcher pins that label: the parts and the whole of
    a capacity kept as series of one metric."""
    pinned = set(slots.matchers)
    for label in sorted(metric.label_values):
        if label in pinned:
            continue
        roles: dict[str, list[str]] = {}
        for value in metric.label_values[label]:
            role = _value_role(value)
            if role is not None:
                roles.setdefault(role, []).append(value)
        plain = [v for v in roles.get("used", []) if v.lower() in _PLAIN_USED_VALUES]
        if len(roles.get("used", [])) > 1 and len(plain) == 1:
            roles["used"] = plain
        if any(len(values) > 1 for values in roles.values()):
            continue  # `max` and `total` both: which one bounds the part is unclear
        found = {role: values[0] for role, values in roles.items()}
        if len(found) >= 2:
            return label, found
    return None


def _all_parts(metric: Metric, label: str) -> bool:
    """The label's values beside the used and the free one are further parts of one whole
    (`cached`, `buffers`, `reserved_for_root`): plain words, none a whole or a tally of its own
    (`totalCreated` counts every connection ever made)."""
    others = [v for v in metric.label_values.get(label, ()) if _value_role(v) is None]
    return bool(others) and all(
        re.fullmatch(r"[a-z]+(?:_[a-z]+)*", v) is not None
        and not {stem(w) for w in split_identifier(v)} & (_WHOLE_VALUE_STEMS | _TALLY_STEMS)
        for v in others)


# Words of a value that counts on its own rather than holding a part (`totalCreated`).
_TALLY_STEMS = frozenset(stem(w) for w in ("created", "opened", "closed", "rejected", "failed",
                                           "count", "ever"))
def split_limit(metric: Metric, slots: Slots, limits: frozenset[str]
                ) -> tuple[str, str, str] | None:
    """(label, value, limit) when one label of the metric lists the limit the intent names
    (`drive_trip` for "over the trip value", `max` for "below its max speed") and the value
    in use beside it (`current`; the other one when the label lists just two)."""
    pinned = set(slots.matchers)
    found: list[tuple[str, str, str]] = []
    for label in sorted(metric.label_values):
        values = metric.label_values[label]
        if label in pinned or len(values) < 2:
            continue
        named = [v for v in values if {stem(w) for w in split_identifier(v)} & limits
                 and _value_role(v) == "whole"]
        if len(named) != 1:
            continue
        rest = [v for v in values if v != named[0]]
        used = [v for v in rest if _value_role(v) == "used"]
        plain = [v for v in used if v.lower() in _PLAIN_USED_VALUES]
        value = (rest if len(rest) == 1 else plain if len(plain) == 1 else
                 used if len(used) == 1 else [])
        if len(value) == 1 and _value_role(value[0]) != "free":
            found.append((label, value[0], named[0]))
    return found[0] if len(found) == 1 else None


def _times(factor: float) -> str:
    """The multiple of a limit a value is compared with, as a prefix ("2 * "), or nothing."""
    return "" if factor == 1.0 else f"{format_number(factor)} * "


def compare_split_limit(metric: Metric, split: tuple[str, str, str], slots: Slots,
                        comparator: str, *, factor: float = 1.0) -> Candidate:
    """A value against its limit kept as another series of the same metric:
    `temperature{type="current"} > ignoring(type) temperature{type="drive_trip"}`."""
    label, value, limit = split

    def part(listed: str) -> str:
        return select(metric.name, metric, slots, without=(label,),
                      extra=(f'{label}="{_escape(listed)}"',))

    return Candidate(
        "versus-limit",
        f"{part(value)} {comparator} ignoring({label}) {_times(factor)}{part(limit)}",
        (metric.name,),
        0.0,
        value_format=_value_format(metric_unit(metric), False),
        kept_labels=tuple(sorted(_labels_of(metric) - {label})),
        default_for=_DEFAULT_FOR["threshold"],
        what=f"{_metric_words(metric)} ({label} {value})",
        condition=f"{_CONDITION_WORDS[comparator]} {_times(factor)}the {limit} {label} value",
    )


def split_share(metric: Metric, slots: Slots) -> Candidate | None:
    """The share of a capacity whose part and whole are series of one metric, told apart by a
    label: `x{type="used"} / ignoring(type) (x{type="hard"} > 0)`, or used / (used + free)
    without a whole. The series are matched on all other labels."""
    threshold = slots.threshold
    split = split_roles(metric, slots)
    if threshold is None or threshold.kind != "percent" or split is None:
        return None
    label, values = split

    def part(role: str) -> str:
        return select(metric.name, metric, slots, without=(label,),
                      extra=(f'{label}="{_escape(values[role])}"',))

    ignoring = f" ignoring({label}) "
    left = _share_left(slots)
    if "whole" in values:
        # What is in use of the whole, or what is left of it when only that is listed.
        shown = "used" if "used" in values else "free"
        share = f"{part(shown)} /{ignoring}({part('whole')} > 0)"
        what = f"{values[shown]} of {values['whole']}"
        complement = left != (shown == "free")
    elif _all_parts(metric, label):
        # `dimension` lists used, free, cached, buffers: the whole is all of them, not used
        # plus free (which would count cached memory as no memory at all).
        every = select(metric.name, metric, slots, without=(label,))
        share = f"{part('used')} /{ignoring}(sum without ({label}) ({every}) > 0)"
        what = f"{values['used']} of all {label} values"
        complement = left
    else:
        share = f"{part('used')} /{ignoring}({part('used')} +{ignoring}{part('free')})"
        what = f"{values['used']} of {values['used']} plus {values['free']}"
        complement = left
    share = f"(1 - {share})" if complement else f"({share})"
    number = format_number(to_base_unit(threshold, "ratio", as_ratio=True))
    return Candidate(
        "saturation",
        f"{share} {threshold.comparator} {number}",
        (metric.name,),
        0.0,
        value_format="humanizePercentage",
        kept_labels=tuple(sorted(_labels_of(metric) - {label})),
        default_for=_DEFAULT_FOR["saturation"],
        what=f"the share of {_metric_words(metric)} {what}",
        condition=_threshold_text(threshold),
    )


def share_of_stated_limit(metric: Metric, slots: Slots, limit: float) -> Candidate | None:
    """A count against a share of a limit the catalog does not have, given as a number ("above
    80% of the 65535 identity limit": `x > 0.8 * 65535`)."""
    threshold = slots.threshold
    if threshold is None or threshold.kind != "percent" or limit <= 0:
        return None
    by = _good_by(slots, [metric])
    value = _agg(select(metric.name, metric, slots), by, _extreme_for(slots, False))
    share = format_number(to_base_unit(threshold, "ratio", as_ratio=True))
    return Candidate(
        "saturation",
        f"{value} {threshold.comparator} {share} * {format_number(limit)}",
        (metric.name,),
        0.0,
        kept_labels=_kept_after_agg([metric], by),
        default_for=_DEFAULT_FOR["saturation"],
        what=_metric_words(metric),
        condition=f"{_threshold_text(threshold)} of {format_number(limit)}",
    )


def link_utilisation(counter: Metric, speed: Metric, slots: Slots, *,
                     bits: int = 1) -> Candidate | None:
    """The rate of a bytes counter over the link's speed: "receive bandwidth above 80%".
    `bits` is 8 when the speed is in bits per second."""
    threshold = slots.threshold
    if threshold is None or threshold.kind != "percent":
        return None
    window = _window(slots)
    by = _good_by(slots, [counter, speed])
    num = _agg(f"rate({select(counter.name, counter, slots)}[{window}])", by)
    if bits != 1:
        num = f"{num} * {bits}"
    den = _agg(select(speed.name, speed, slots), by)
    number = format_number(to_base_unit(threshold, "ratio", as_ratio=True))
    kept = by if by is not None else tuple(sorted(_labels_of(counter) & _labels_of(speed)))
    return Candidate(
        "link-utilisation",
        # A speed of zero (a link that is down or does not report it) leaves the series out.
        f"({num} / ({den} > 0)) {threshold.comparator} {number}",
        (counter.name, speed.name),
        0.0,
        value_format="humanizePercentage",
        kept_labels=kept,
        default_for=_DEFAULT_FOR["link-utilisation"],
        what=f"{_metric_words(counter)} per second as a share of {_metric_words(speed)}",
        condition=_threshold_text(threshold),
    )


def _share_left(slots: Slots) -> bool:
    """The number is the share left ("less than 10% left"), not the share used. "Running out
    of memory (> 90%)" speaks of what is left but its number is the share used."""
    threshold = slots.threshold
    if threshold is not None and threshold.kind == "percent" and threshold.comparator in (
            "<", "<=") and _SPACE_LOW_RE.search(slots.text) and not _USAGE_RE.search(slots.text):
        return True  # "disk space is below 20%": the space there still is
    return slots.remaining and not (threshold is not None and threshold.kind == "percent"
                                    and threshold.comparator in (">", ">=")
                                    and threshold.value >= 50)


# "Disk space is below 20%", "space is critically low": the space is what is left. Said of
# its usage, it is the share used.
_SPACE_LOW_RE = re.compile(r"\bspace\b", re.I)
_USAGE_RE = re.compile(r"\b(?:usage|used|use|utili[sz]\w*|consum\w*|occupied|full)\b", re.I)


_MODES_HELP_RE = re.compile(r"\b(?:different|each|per|by|in) modes?\b|\bidle\b", re.I)


def _modes_unlisted(metric: Metric) -> bool:
    """Time the help says is split by mode ("spent in different modes (idle, user)") while
    the catalog lists no `mode` label: the rate of all of it counts idle time as busy, and the
    label to leave idle out by is unknown."""
    return mode_label(metric) is None and bool(_MODES_HELP_RE.search(metric.help))


def mode_label(metric: Metric) -> str | None:
    """The label splitting time by mode: `mode`, or one whose listed values include idle."""
    if "mode" in metric.labels:
        return "mode"
    return next((label for label in metric.labels
                 if "idle" in metric.label_values.get(label, ())), None)


# "Time that processor spent in different modes (dpc, idle, interrupt, privileged, user)".
_HELP_MODES_RE = re.compile(r"\bmodes?\b[^()]{0,40}\(([^)]{3,120})\)", re.I)


def help_listed_modes(metric: Metric) -> tuple[str, ...]:
    """The modes the help lists in parentheses, when idle is among them (so usage can leave it
    out): the values of a label the catalog does not name."""
    found = _HELP_MODES_RE.search(metric.help)
    if found is None:
        return ()
    values = tuple(v.strip() for v in re.split(r",|/|\bor\b|\band\b", found.group(1))
                   if v.strip())
    if len(values) < 2 or "idle" not in values or not all(
            re.fullmatch(r"[a-z][a-z0-9_]*", v) for v in values):
        return ()
    return values


def busy_time(metric: Metric, slots: Slots, mode: str | None) -> Candidate | None:
    """A seconds counter's rate is the busy fraction (CPU, disk IO, GC): compare it as a ratio.

    With a `mode` label (CPU time), a named mode is measured directly, and plain usage is
    `1 - idle`, averaged over the CPUs.
    """
    threshold = slots.threshold
    if threshold is None or threshold.kind != "percent" or _modes_unlisted(metric):
        return None
    window = _window(slots)
    number = format_number(to_base_unit(threshold, "ratio", as_ratio=True))
    label = mode_label(metric)
    over = tuple(name for name in ("cpu", "core") if name in metric.labels)
    by = _good_by(slots, [metric])
    # Seconds summed by a summary or histogram (GC pauses) are busy time too: rate(x_sum).
    series = metric.name + "_sum" if effective_type(metric) in (
        MetricType.HISTOGRAM, MetricType.SUMMARY) else metric.name
    if label is not None:
        wanted = mode or "idle"
        if wanted not in metric.label_values.get(label, (wanted,)):
            return None  # a mode the listed values do not have
        sel = select(series, metric, slots, without=(label,), extra=(f'{label}="{wanted}"',))
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
        sel = select(series, metric, slots)
        busy = _agg(f"rate({sel}[{window}])", by)
        what = f"the share of time spent in {_metric_words(metric)}"
    kept = by if by is not None else tuple(sorted(_labels_of(metric) - set(over) - {label or ""}))
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


def cpu_quota_share(usage: Metric, quota: Metric, period: Metric, slots: Slots) -> Candidate | None:
    """CPU time used as a share of a cgroup's CPU quota: `rate(usage_seconds) / (quota /
    period)`. The quota over the period is how many CPUs the container may use; a quota of 0
    or below (none set) leaves the series out. Labels the quota does not have (`cpu`) are
    summed away so the two sides line up."""
    threshold = slots.threshold
    if threshold is None or threshold.kind != "percent":
        return None
    if set(quota.labels) != set(period.labels) or not set(quota.labels) <= set(usage.labels):
        return None
    window = _window(slots)
    by = _good_by(slots, [usage, quota])
    used = f"rate({select(usage.name, usage, slots)}[{window}])"
    allowed = f"{select(quota.name, quota, slots)} / {select(period.name, period, slots)}"
    extra = sorted(set(usage.labels) - set(quota.labels))
    if by is not None:
        used, allowed = _agg(used, by), _agg(allowed, by)
    elif extra:
        used = f"sum without ({', '.join(extra)}) ({used})"
    number = format_number(to_base_unit(threshold, "ratio", as_ratio=True))
    return Candidate(
        "busy-time",
        f"({used} / ({allowed} > 0)) {threshold.comparator} {number}",
        (usage.name, quota.name, period.name),
        0.0,
        value_format="humanizePercentage",
        kept_labels=by if by is not None else tuple(sorted(_labels_of(quota))),
        default_for=_DEFAULT_FOR["saturation"],
        what="CPU time used as a share of the CPU quota",
        condition=_threshold_text(threshold),
    )


def cores_used(metric: Metric, slots: Slots) -> Candidate | None:
    """CPU seconds per second are CPUs in use: "above 2 cores" is the rate of the CPU time,
    summed over the CPUs (and over the modes but idle, when time is split by mode)."""
    threshold = slots.threshold
    if threshold is None or threshold.kind != "count":
        return None
    summed = tuple(label for label in ("cpu", "core", "mode") if label in metric.labels)
    extra = ('mode!="idle"',) if "mode" in metric.labels else ()
    sel = select(metric.name, metric, slots, without=("mode",), extra=extra)
    by = _good_by(slots, [metric])
    rate = f"rate({sel}[{_window(slots)}])"
    if by is not None:
        used = _agg(rate, by)
    elif summed:
        used = f"sum without ({', '.join(summed)}) ({rate})"
    else:
        used = rate
    return Candidate(
        "busy-time",
        f"{used} {threshold.comparator} {format_number(threshold.value)}",
        (metric.name,),
        0.0,
        kept_labels=by if by is not None else tuple(sorted(_labels_of(metric) - set(summed))),
        default_for=_DEFAULT_FOR["saturation"],
        what=f"CPUs in use by {_metric_words(metric)}",
        condition=_threshold_text(threshold) + " CPUs",
    )


def per_core(value: Metric, cpu: Metric, slots: Slots, comparator: str,
             number: float) -> Candidate:
    """A value per CPU core ("load per core above 2", "more than twice the number of cores"):
    the value over the number of CPUs, counted as the series of a CPU time counter (one per CPU
    in the idle mode, when time is split by mode)."""
    extra = ('mode="idle"',) if "mode" in cpu.labels else ()
    shared = tuple(sorted(_labels_of(value) & _labels_of(cpu) - {"cpu", "core", "mode"}))
    cores = _agg(select(cpu.name, cpu, slots, without=("mode",), extra=extra), shared, "count")
    return Candidate(
        "saturation",
        f"{select(value.name, value, slots)} / {cores} {comparator} {format_number(number)}",
        (value.name, cpu.name),
        0.0,
        value_format=_value_format("", False),
        kept_labels=shared,
        default_for=_DEFAULT_FOR["saturation"],
        what=f"{_metric_words(value)} per CPU core",
        condition=f"{_CONDITION_WORDS[comparator]} {format_number(number)}",
    )


def outside_range(metric: Metric, slots: Slots, low: float, high: float) -> Candidate:
    """A value outside the range the intent calls normal ("status code is not 200-399",
    "outside 10-35"): below its low end or above its high end."""
    series = select(metric.name, metric, slots)
    lo, hi = format_number(low), format_number(high)
    return Candidate(
        "threshold",
        f"{series} < {lo} or {series} > {hi}",
        (metric.name,),
        0.0,
        value_format=_value_format(metric_unit(metric), False),
        kept_labels=tuple(sorted(_labels_of(metric))),
        default_for=_DEFAULT_FOR["threshold"],
        what=_metric_words(metric),
        condition=f"is outside {lo} to {hi}",
    )


def _rate_series(metric: Metric) -> str:
    if effective_type(metric) in (MetricType.HISTOGRAM, MetricType.SUMMARY):
        return metric.name + "_count"
    return metric.name


# Status labels named after their exporter or convention (`http_response_status_code`,
# `proxy_response_code_class`).
_PREFIXED_CODE_LABEL_RE = re.compile(r"\w+_(?:status_code|response_code|response_code_class|"
                                     r"code_class|status_class|http_code|http_status|rcode)")
_HTTP_CLASS_RE = re.compile(r"\b[45](?:xx|\d\d)\b", re.I)


def _error_code_label(metric: Metric) -> str | None:
    return next((name for name in _ERROR_CODE_LABELS if name in metric.labels), None) or next(
        (name for name in metric.labels if _PREFIXED_CODE_LABEL_RE.fullmatch(name)), None)


def error_ratio_by_label(metric: Metric, slots: Slots, error_class: str, *,
                         success: bool = False, whole: Metric | None = None) -> Candidate | None:
    """Bad responses over all of one counter, split by its status-code (or result) label.

    With `success` the share of good ones is compared ("success rate below 95%"): 1 - bad/all.
    With `whole`, the bad responses of `metric` (a family of status codes) are divided by that
    separate counter of all requests instead.
    """
    code_label = _error_code_label(metric)
    # A listed value of another label ("the api ingress") scopes both sides; only an outcome
    # (`status=~"5.."`, `result="error"`) tells the bad requests from all of them.
    implied = next((v for v in slots.value_matchers
                    if v.label in metric.labels and v.label not in slots.matchers
                    and (v.family != "listed value" or v.label == code_label)), None)
    label = implied.label if implied is not None else code_label
    threshold = slots.threshold
    if label is None or threshold is None or threshold.kind != "percent":
        return None
    if ("grpc" in label or "rcode" in label) and _HTTP_CLASS_RE.search(slots.text):
        return None  # an HTTP status class says nothing about gRPC or DNS codes
    series = _rate_series(metric)
    window = _window(slots)
    sides = [metric] if whole is None else [metric, whole]
    by = _good_by(slots, sides)
    shared = set.intersection(*(_labels_of(m) for m in sides))
    by = by if by is not None else _share_by(slots, shared - {label})
    grounded = True
    if implied is not None:
        bad_matcher = implied.render()
        grounded = implied.grounded
    elif metric.label_values.get(label):
        # Listed values: the failing ones as the catalog spells them, or no rule at all.
        listed = failure_matcher(metric, label, error_class)
        if listed is None:
            return None
        bad_matcher = listed.render()
    else:
        bad_matcher = _code_matcher(label, error_class)
        grounded = False
    # Unlisted values are matched as exporters usually spell them; the reviewer should know.
    assumed = () if grounded else (
        f"the catalog lists no values of {label}: {bad_matcher} matches the failing ones as "
        "exporters usually spell them",)
    bad = select(series, metric, slots, without=(label,), extra=(bad_matcher,))
    all_ = select(series, metric, slots, without=(label,)) if whole is None else select(
        _rate_series(whole), whole, slots)
    number = to_base_unit(threshold, "ratio", as_ratio=True)
    share = f"{_agg(f'rate({bad}[{window}])', by)} / ({_agg(f'rate({all_}[{window}])', by)} > 0)"
    # "success rate below 99%" whose words picked the good outcome (`outcome="success"`): that
    # share is the success rate itself; 1 minus it is the failure rate, which is below 99%
    # whenever all is well.
    invert = success and not (implied is not None and _selects_good(implied))
    expr = f"({'1 - ' if invert else ''}{share}) {threshold.comparator} {format_number(number)}"
    return Candidate(
        "error-ratio",
        expr,
        tuple(m.name for m in sides),
        0.0,
        value_format="humanizePercentage",
        kept_labels=by,
        default_for=_DEFAULT_FOR["error-ratio"],
        what=(f"the share of {_metric_words(metric)} without {bad_matcher}" if invert
              else f"the share of {bad_matcher} in {_metric_words(whole or metric)}"),
        condition=_threshold_text(threshold),
        assumptions=assumed,
    )


def _selects_good(matcher: ValueMatcher) -> bool:
    """A matcher picking the good outcomes (`outcome="success"`, `code=~"2.."`)."""
    if matcher.op not in ("=", "=~") or matcher.negated:
        return False
    if matcher.family == "http code class":
        return bool(re.match(r"(?:\(\?i\))?2", matcher.value))
    return "success" in concepts(stems(matcher.value))


def _code_matcher(label: str, error_class: str) -> str:
    digit = error_class[0]
    if "class" in label:
        return f'{label}=~"{digit}.*"'
    if label in ("result", "outcome", "classification"):
        return f'{label}=~"(?i)err(or)?|fail(ed|ure)?"'
    if "grpc" in label:
        return f'{label}=~"{GRPC_SERVER_ERRORS}"'
    if "rcode" in label:
        return f'{label}!~"{NO_ERROR_RCODE}"'
    return f'{label}=~"{digit}.."'


_MAXIMUM_RE = re.compile(r"\b(?:max|maximum|longest|worst)\b", re.I)
_TIME_LEFT_WORDS = frozenset({"expiration", "expiry", "expires", "expiring", "remaining", "left",
                              "until"})


def _default_quantile(metric: Metric, slots: Slots) -> float:
    """The quantile an intent means without naming one: the tail (0.99) of a latency; the
    maximum (a summary's quantile="1") when it says "max"; the low tail (0.01) of time left
    until something expires, where the soonest is the problem."""
    if _MAXIMUM_RE.search(slots.text) and effective_type(metric) is MetricType.SUMMARY:
        return 1.0
    threshold = slots.threshold
    low = threshold is not None and threshold.comparator in ("<", "<=")
    if low and set(split_identifier(metric.name.lower())) & _TIME_LEFT_WORDS:
        return 0.01
    return 0.99


def latency(metric: Metric, slots: Slots, *, average: bool = False) -> Candidate | None:
    """A latency percentile (histogram_quantile / summary quantile) or an average: a summary
    without a percentile, or either kind when the intent says "average"."""
    threshold = slots.threshold
    kind = effective_type(metric)
    if threshold is None or threshold.kind != "seconds":
        return None
    unit = metric_unit(metric) or "seconds"
    number = format_number(to_base_unit(threshold, unit))
    window = _window(slots)
    q = slots.percentile if slots.percentile is not None else _default_quantile(metric, slots)
    mean = average and slots.percentile is None
    if threshold.per is not None and slots.percentile is None and kind in (MetricType.SUMMARY,
                                                                  MetricType.HISTOGRAM):
        # "GC pauses take more than 500ms per second": the time spent per unit of time is the
        # rate of the observations' sum, not the length of one of them.
        by = _good_by(slots, [metric]) or ("job", "instance")
        s = select(metric.name + "_sum", metric, slots)
        limit = format_number(to_base_unit(threshold, unit))  # per minute, per hour: divided
        return Candidate(
            "latency",
            f"{_agg(f'rate({s}[{window}])', by)} {threshold.comparator} {limit}",
            (metric.name,),
            0.0,
            kept_labels=by,
            default_for=_DEFAULT_FOR["latency"],
            what=f"the time spent in {_metric_words(metric)}",
            condition=f"{_threshold_text(threshold)} per {threshold.per}",
        )
    if kind is MetricType.HISTOGRAM and not mean:
        by = _good_by(slots, [metric]) or ()
        group = ", ".join(("le", *by))
        sel = select(metric.name + "_bucket", metric, slots)
        expr = (
            f"histogram_quantile({format_number(q)}, sum by ({group}) (rate({sel}[{window}]))) "
            f"{threshold.comparator} {number}"
        )
        kept = by
    elif kind is MetricType.SUMMARY and (slots.percentile is not None or q == 1.0):
        sel = select(metric.name, metric, slots, extra=(f'quantile="{format_number(q)}"',))
        expr = f"{sel} {threshold.comparator} {number}"
        kept = tuple(sorted(_labels_of(metric)))
    elif kind in (MetricType.SUMMARY, MetricType.HISTOGRAM):
        # Both kinds sum their observations: the sum's rate over the count's is the mean.
        by = _good_by(slots, [metric]) or ("job", "instance")
        s = select(metric.name + "_sum", metric, slots)
        c = select(metric.name + "_count", metric, slots)
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


def average_time(counter_seconds: Metric, count: Metric, slots: Slots) -> Candidate | None:
    """Time spent per operation: rate(seconds_total) / rate(operations_total) above a duration."""
    threshold = slots.threshold
    if threshold is None or threshold.kind != "seconds":
        return None
    window = _window(slots)
    by = _good_by(slots, [counter_seconds, count])
    common = tuple(sorted(_labels_of(counter_seconds) & _labels_of(count)))
    if by is None and set(counter_seconds.labels) != set(count.labels):
        by = tuple(label for label in ("job", "instance") if label in common)
    num = _agg(f"rate({select(counter_seconds.name, counter_seconds, slots)}[{window}])", by)
    den = _agg(f"rate({select(_rate_series(count), count, slots)}[{window}])", by)
    unit = metric_unit(counter_seconds) or "seconds"
    # Series lined up one to one (per disk) keep their labels; no operations, no average.
    expr = (f"({num} / ({den} > 0)) {threshold.comparator} "
            f"{format_number(to_base_unit(threshold, unit))}")
    by = by if by is not None else common
    return Candidate(
        "latency",
        expr,
        (counter_seconds.name, count.name),
        0.0,
        value_format="humanizeDuration" if unit == "seconds" else "humanize",
        kept_labels=by,
        default_for=_DEFAULT_FOR["latency"],
        what=f"average {_metric_words(counter_seconds)} per {_metric_words(count)}",
        condition=_threshold_text(threshold),
    )


def down_share(metric: Metric, slots: Slots) -> Candidate | None:
    """The share of 0/1 health flags at 0: "more than 10% of OSDs are down"."""
    threshold = slots.threshold
    if threshold is None or threshold.kind != "percent":
        return None
    series = select(metric.name, metric, slots)
    by = _good_by(slots, [metric])
    count_by = f"count by ({', '.join(by)}) " if by else "count"
    number = format_number(to_base_unit(threshold, "ratio", as_ratio=True))
    return Candidate(
        "saturation",
        f"({count_by}({series} == 0) / {count_by}({series})) {threshold.comparator} {number}",
        (metric.name,),
        0.0,
        value_format="humanizePercentage",
        kept_labels=by or (),
        default_for=_DEFAULT_FOR["saturation"],
        what=f"the share of {_metric_words(metric)} at 0",
        condition=_threshold_text(threshold),
    )


def availability(metric: Metric, slots: Slots, window: str) -> Candidate | None:
    """The share of time a 0/1 health flag was 1 over a window: "uptime below 99.9% over the
    last 30 days" is `avg_over_time(up[30d]) < 0.999`."""
    threshold = slots.threshold
    if threshold is None or threshold.kind != "percent":
        return None
    series = select(metric.name, metric, slots)
    by = _good_by(slots, [metric])
    number = format_number(to_base_unit(threshold, "ratio", as_ratio=True))
    return Candidate(
        "availability",
        f"{_agg(f'avg_over_time({series}[{window}])', by, 'avg')} {threshold.comparator} {number}",
        (metric.name,),
        0.0,
        value_format="humanizePercentage",
        kept_labels=_kept_after_agg([metric], by),
        default_for="0s",
        what=f"the share of the last {window} {_metric_words(metric)} was 1",
        condition=_threshold_text(threshold),
        # "over the last 30 days" is the averaging window, not also a `for` to wait out.
        consumes_for=slots.for_ == window,
    )


def coded_state(metric: Metric, slots: Slots, value: float, meaning: str) -> Candidate:
    """A gauge whose value encodes a state its help text explains ("0=nominal, 1=warning")."""
    series = select(metric.name, metric, slots)
    return Candidate(
        "state",
        f"{series} == {format_number(value)}",
        (metric.name,),
        0.0,
        kept_labels=tuple(sorted(_labels_of(metric))),
        default_for=_DEFAULT_FOR["state"],
        what=_metric_words(metric),
        condition=f"is {format_number(value)} ({meaning})",
    )


def differ(pair: Pair, slots: Slots) -> Candidate:
    """What is and what should be disagree: `status_replicas != spec_replicas`."""
    actual, wanted = pair.numerator, pair.denominator
    same_labels = set(actual.labels) == set(wanted.labels)
    common = tuple(sorted(_labels_of(actual) & _labels_of(wanted)))
    left = select(actual.name, actual, slots)
    right = select(wanted.name, wanted, slots)
    on = "" if same_labels else f" on ({', '.join(common)})"
    return Candidate(
        "mismatch",
        f"{left} !={on} {right}",
        (actual.name, wanted.name),
        0.0,
        kept_labels=tuple(sorted(_labels_of(actual))) if same_labels else common,
        default_for=_DEFAULT_FOR["mismatch"],
        what=_metric_words(actual),
        condition=f"differs from {_metric_words(wanted)}",
    )


def moved(metric: Metric, slots: Slots, direction: str) -> Candidate:
    """A gauge went down (or up) over the window: `delta(x[w]) < 0`."""
    series = select(metric.name, metric, slots)
    window = slots.window or "5m"
    op = "<" if direction == "down" else ">"
    return Candidate(
        "changes",
        f"delta({series}[{window}]) {op} 0",
        (metric.name,),
        0.0,
        kept_labels=tuple(sorted(_labels_of(metric))),
        default_for=_DEFAULT_FOR["changes"],
        what=f"{_metric_words(metric)} over the last {window}",
        condition="decreased" if direction == "down" else "increased",
    )


def trend(metric: Metric, slots: Slots, direction: str) -> Candidate:
    """A gauge growing (or shrinking) steadily: its per-second slope over a long window,
    `deriv(x[1h]) > 0`, which one spike or dip does not move much."""
    series = select(metric.name, metric, slots)
    window = slots.window or "1h"
    op = "<" if direction == "down" else ">"
    return Candidate(
        "changes",
        f"deriv({series}[{window}]) {op} 0",
        (metric.name,),
        0.0,
        kept_labels=tuple(sorted(_labels_of(metric))),
        default_for="15m",
        what=f"the trend of {_metric_words(metric)} over the last {window}",
        condition="decreasing" if direction == "down" else "increasing",
    )


def growth(metric: Metric, slots: Slots, direction: str) -> Candidate | None:
    """A gauge that grew (or shrank) by more than an amount: `delta(x[w]) > N` over the window,
    or its slope `deriv(x[w]) > N/s` when the amount is per unit of time ("100 per minute")."""
    threshold = slots.threshold
    if threshold is None or threshold.kind not in ("count", "bytes"):
        return None
    series = select(metric.name, metric, slots)
    # "increased more than 100 in 10m": a duration after the amount is its window, not a `for`.
    window = slots.window or slots.for_ or "1h"
    number = to_base_unit(threshold, metric_unit(metric))
    fn = "deriv" if threshold.per else "delta"
    if direction == "down":
        if threshold.comparator in ("==", "!="):
            return None
        op = SWAPPED_COMPARISON[threshold.comparator]
        expr = f"{fn}({series}[{window}]) {op} -{format_number(number)}"
    else:
        expr = f"{fn}({series}[{window}]) {threshold.comparator} {format_number(number)}"
    return Candidate(
        "changes",
        expr,
        (metric.name,),
        0.0,
        value_format=_value_format(metric_unit(metric), False),
        kept_labels=tuple(sorted(_labels_of(metric))),
        default_for=_DEFAULT_FOR["changes"],
        what=f"the change of {_metric_words(metric)} over the last {window}",
        condition=("dropped by " if direction == "down" else "grew by ") + _threshold_text(
            threshold),
        consumes_for=slots.for_ == window,
    )


def predict_fill(metric: Metric, slots: Slots, horizon_seconds: float) -> Candidate | None:
    """`predict_linear(free[6h], horizon) < 0`: will run out within the horizon."""
    if effective_type(metric) is not MetricType.GAUGE:
        return None
    if not is_free(metric):
        return None
    sel = select(metric.name, metric, slots)
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


def predict_threshold(metric: Metric, slots: Slots, horizon_seconds: float) -> Candidate | None:
    """`predict_linear(x[1h], 3600) > 100`: a gauge forecast to cross the stated number within
    the horizon ("the queue will exceed 100 within 1 hour")."""
    if effective_type(metric) is not MetricType.GAUGE or slots.threshold is None:
        return None
    plain = gauge_threshold(metric, slots, problem_count=False)
    if plain is None or plain.family != "threshold":
        return None
    series = select(metric.name, metric, slots)
    lookback = slots.window or ("6h" if horizon_seconds >= 6 * 3600 else "1h")
    ahead = humanize_duration_ms(round(horizon_seconds * 1000))
    forecast = f"predict_linear({series}[{lookback}], {format_number(horizon_seconds)})"
    return replace(plain, family="predict", expr=plain.expr.replace(series, forecast, 1),
                   default_for=_DEFAULT_FOR["predict"],
                   condition=f"is predicted to be {plain.condition.removeprefix('is ')} "
                   f"within {ahead}")


_OPPOSITE_AGG = {">": "min", ">=": "min", "<": "max", "<=": "max"}
_CONDITION_WORDS = {">": "is above", ">=": "has reached", "<": "is below", "<=": "is at or below",
                    "!=": "does not match"}


def compare_to_metric(value: Metric, limit: Metric, slots: Slots, comparator: str, *,
                      horizon_seconds: float | None = None,
                      also: tuple[Metric, ...] = (), factor: float = 1.0) -> Candidate:
    """A value against its own limit metric: `temp_celsius > temp_max_celsius`,
    `last_duration_seconds > interval_seconds`, or with a horizon
    `predict_linear(size[4h], 14400) > quota_bytes`. With `also`, the value is the sum of
    parts, one metric per state: `sum by (instance, job) (active + waiting) >= max_conn`.

    Series are matched on the labels the two metrics share; a limit with labels the value has
    not is reduced to the strictest limit per shared label set first."""
    left = select(value.name, value, slots)
    right = select(limit.name, limit, slots)
    times = _times(factor)
    if also:
        # The parts are summed to the limit's labels: one limit bounds every pool's share.
        parts = " + ".join([left, *(select(m.name, m, slots) for m in also)])
        shared_all = set.intersection(*(_labels_of(m) for m in (value, *also, limit)))
        by = tuple(sorted(shared_all))
        left = _agg(parts, by)
        return Candidate(
            "versus-limit",
            f"{left} {comparator} {times}{right}",
            (value.name, *(m.name for m in also), limit.name),
            0.0,
            value_format=_value_format(metric_unit(value), False),
            kept_labels=by,
            default_for=_DEFAULT_FOR["threshold"],
            what=" plus ".join(_metric_words(m) for m in (value, *also)),
            condition=f"{_CONDITION_WORDS[comparator]} {times}{_metric_words(limit)}",
        )
    condition = f"{_CONDITION_WORDS[comparator]} {times}{_metric_words(limit)}"
    if horizon_seconds is not None:
        lookback = slots.window or ("6h" if horizon_seconds >= 6 * 3600 else "1h")
        left = f"predict_linear({left}[{lookback}], {format_number(horizon_seconds)})"
        condition = (f"is predicted to be {_CONDITION_WORDS[comparator].split()[-1]} {times}"
                     f"{_metric_words(limit)} within "
                     f"{humanize_duration_ms(round(horizon_seconds * 1000))}")
    mine, theirs = _labels_of(value), _labels_of(limit)
    shared = tuple(sorted(mine & theirs))
    if not theirs <= mine:
        right = f"{_OPPOSITE_AGG[comparator]} by ({', '.join(shared)}) ({right})"
    matching = "" if set(shared) == mine else f" on({', '.join(shared)}) group_left()"
    return Candidate(
        "versus-limit",
        f"{left} {comparator}{matching} {times}{right}",
        (value.name, limit.name),
        0.0,
        value_format=_value_format(metric_unit(value), False),
        kept_labels=tuple(sorted(mine)),
        default_for=_DEFAULT_FOR["threshold"],
        what=_metric_words(value),
        condition=condition,
        consumes_for=horizon_seconds is not None and slots.for_ == slots.window,
    )


def behind(leader: Metric, follower: Metric, slots: Slots, threshold: Threshold) -> Candidate:
    """How far one position trails another: `chain_head - on (network) group_right()
    deployment_head > 100`, one series per follower. A leader with labels the follower has
    not is reduced to its furthest position per shared label set first."""
    ahead = select(leader.name, leader, slots)
    trailing = select(follower.name, follower, slots)
    mine, theirs = _labels_of(follower), _labels_of(leader)
    shared = tuple(sorted(mine & theirs))
    if not theirs <= mine:
        ahead = _agg(ahead, shared, "max")
    matching = "" if set(shared) == mine else f" on({', '.join(shared)}) group_right()"
    return Candidate(
        "versus-limit",
        f"{ahead} -{matching} {trailing} {threshold.comparator} "
        f"{format_number(to_base_unit(threshold, metric_unit(follower), as_ratio=False))}",
        (leader.name, follower.name),
        0.0,
        value_format=_value_format(metric_unit(follower), False),
        kept_labels=tuple(sorted(mine)),
        default_for=_DEFAULT_FOR["threshold"],
        what=f"{_metric_words(follower)} behind {_metric_words(leader)}",
        condition=_threshold_text(threshold),
    )


def rate_versus_rate(left: Metric, right: Metric, slots: Slots, comparator: str) -> Candidate:
    """One counter's rate against another's ("published faster than delivered"):
    `sum(rate(published[5m])) > sum(rate(delivered[5m]))`, matched on the labels both have."""
    window = _window(slots)
    shared = tuple(sorted(_labels_of(left) & _labels_of(right)))
    by = _good_by(slots, [left, right])
    group = by if by is not None else shared
    lhs = _agg(f"rate({select(_rate_series(left), left, slots)}[{window}])", group)
    rhs = _agg(f"rate({select(_rate_series(right), right, slots)}[{window}])", group)
    return Candidate(
        "versus-rate",
        f"{lhs} {comparator} {rhs}",
        (left.name, right.name),
        0.0,
        kept_labels=tuple(group),
        default_for=_DEFAULT_FOR["rate"],
        what=f"the rate of {_metric_words(left)}",
        condition=f"{'exceeds' if comparator == '>' else 'is below'} the rate of "
                  f"{_metric_words(right)}",
    )


def none_succeed(failures: Metric, successes: Metric, slots: Slots, *,
                 failures_shown: bool) -> Candidate:
    """"Completely failing", "only failing tasks (0 completed)": failures happen and nothing
    succeeds. `rate(failed[5m]) > 0 and rate(completed[5m]) == 0`, series by series (summed
    over the labels only one of them has); a share of failures would need a number the intent
    never says. The alert's value is the side the intent shows: the failures when it reports
    their number ("<value> failed"), else the successes that stopped ("all spans are refused":
    none accepted), with the failures as the sign that there were attempts at all."""
    window = _window(slots)
    shared = tuple(sorted(_labels_of(failures) & _labels_of(successes)))
    by = _good_by(slots, [failures, successes])
    # Siblings with the same labels match series by series: one receiver (or executor) failing
    # all its attempts fires even where another one on the same target succeeds.
    same = set(failures.labels) == set(successes.labels)
    group: tuple[str, ...] | None = by if by is not None or same else shared
    bad = _agg(f"rate({select(_rate_series(failures), failures, slots)}[{window}])", group)
    good = _agg(f"rate({select(_rate_series(successes), successes, slots)}[{window}])", group)
    return Candidate(
        "none-succeed",
        f"{bad} > 0 and {good} == 0" if failures_shown else f"{good} == 0 and {bad} > 0",
        (failures.name, successes.name) if failures_shown else (successes.name, failures.name),
        0.0,
        kept_labels=tuple(group if group is not None else shared),
        default_for=_DEFAULT_FOR["rate"],
        what=f"the rate of {_metric_words(failures if failures_shown else successes)}",
        condition=(f"is above zero while {_metric_words(successes)} stay at zero"
                   if failures_shown else
                   f"is zero while {_metric_words(failures)} keep happening"),
        assumptions=(f"every attempt failing means {_metric_words(failures)} grow while "
                     f"{_metric_words(successes)} do not, over {window}",),
    )


def none_of_flags(flags: tuple[Metric, ...], group: tuple[str, ...], slots: Slots) -> Candidate:
    """"Neither primary nor standby leader": in each group no member holds any of the roles,
    `max by (scope) (primary) < 1 and max by (scope) (standby_leader) < 1`."""
    sides = [f"{_agg(select(flag.name, flag, slots), group, 'max')} < 1" for flag in flags]
    return Candidate(
        "none-of-roles",
        " and ".join(sides),
        tuple(flag.name for flag in flags),
        0.0,
        kept_labels=group,
        default_for=_DEFAULT_FOR["health"],
        what=f"the {' and '.join(_metric_words(flag) for flag in flags)} flags",
        condition="are 0 on every member",
    )


_MILLISECONDS_HELP_RE = re.compile(r"\b(?:milliseconds?|millis|in ms|epoch ms)\b", re.I)
_MILLISECOND_NAME_WORDS = frozenset({"ms", "msec", "millis", "milliseconds"})


def _timestamp_in_milliseconds(metric: Metric) -> bool:
    """A Unix time kept in milliseconds (`last_sync_timestamp_ms`, help "... in milliseconds
    since epoch"): against `time()` in seconds it would look far in the future, never stale."""
    named = {w.lower() for w in split_identifier(metric.name)} & _MILLISECOND_NAME_WORDS
    return bool(named) or bool(_MILLISECONDS_HELP_RE.search(metric.help or ""))


def staleness(metric: Metric, slots: Slots) -> Candidate | None:
    """`time() - last_success_timestamp > age`: something has not happened for too long."""
    threshold = slots.threshold
    if not is_timestamp_metric(metric) or threshold is None or threshold.kind != "seconds":
        return None
    sel = select(metric.name, metric, slots)
    if _timestamp_in_milliseconds(metric):
        sel = f"{sel} / 1000"  # `time()` is in seconds
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


def running_too_long(start: Metric, end: Metric, slots: Slots) -> Candidate | None:
    """"The job is taking more than 1h to complete": the age of a start time whose run has no
    completion time yet, `time() - start > 3600 unless on (...) completion`. A start time set
    once only ages, so its age alone would fire for every run that ever finished."""
    threshold = slots.threshold
    if threshold is None or threshold.kind != "seconds" or threshold.comparator not in (">", ">="):
        return None
    shared = sorted(set(start.labels) & set(end.labels))
    if not shared:
        return None  # nothing tells which completion belongs to which start
    sel = select(start.name, start, slots)
    on = ", ".join(shared)
    expr = (f"time() - {sel} {threshold.comparator} {format_number(threshold.base_value)} "
            f"unless on ({on}) {select(end.name, end, slots)}")
    return Candidate(
        "stale",
        expr,
        (start.name,),
        0.0,
        value_format="humanizeDuration",
        kept_labels=tuple(sorted(_labels_of(start))),
        default_for=_DEFAULT_FOR["stale"],
        what=f"time since {_metric_words(start)} of runs not yet completed",
        condition=_threshold_text(threshold),
        assumptions=(f"a run is still going while it has no {end.name}; runs that failed "
                     "without one keep firing until they are cleaned up",),
    )


def never_happened(metric: Metric, slots: Slots) -> Candidate | None:
    """A last-time timestamp still at 0: the thing never happened since the process started."""
    if not is_timestamp_metric(metric):
        return None
    sel = select(metric.name, metric, slots)
    return Candidate(
        "stale",
        f"{sel} == 0",
        (metric.name,),
        0.0,
        kept_labels=tuple(sorted(_labels_of(metric))),
        default_for=_DEFAULT_FOR["stale"],
        what=_metric_words(metric),
        condition="is 0 (never happened)",
    )


def expiry(metric: Metric, slots: Slots) -> Candidate | None:
    """`expiry_timestamp - time() < N days`: a certificate (or token, license) expires soon."""
    threshold = slots.threshold
    if not is_timestamp_metric(metric):
        return None
    sel = select(metric.name, metric, slots)
    if _timestamp_in_milliseconds(metric):
        sel = f"{sel} / 1000"  # `time()` is in seconds
    if threshold is None or threshold.kind != "seconds":
        if not slots.zero and not (threshold is not None and threshold.value == 0):
            return None
        # "has expired": no time left.
        return Candidate(
            "expiry",
            f"{sel} - time() < 0",
            (metric.name,),
            0.0,
            value_format="humanizeDuration",
            kept_labels=tuple(sorted(_labels_of(metric))),
            default_for=_DEFAULT_FOR["expiry"],
            what=f"time left until {_metric_words(metric)}",
            condition="is below zero (expired)",
        )
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


def ahead_of_now(metric: Metric, slots: Slots) -> Candidate | None:
    """`max_timestamp - time() > 3600`: a time point too far in the future (samples stamped
    by a skewed clock)."""
    threshold = slots.threshold
    if not is_timestamp_metric(metric) or threshold is None or threshold.kind != "seconds":
        return None
    sel = select(metric.name, metric, slots)
    if _timestamp_in_milliseconds(metric):
        sel = f"{sel} / 1000"  # `time()` is in seconds
    return Candidate(
        "ahead",
        f"{sel} - time() {threshold.comparator} {format_number(threshold.base_value)}",
        (metric.name,),
        0.0,
        value_format="humanizeDuration",
        kept_labels=tuple(sorted(_labels_of(metric))),
        default_for=_DEFAULT_FOR["stale"],
        what=f"how far {_metric_words(metric)} is ahead of now",
        condition=_threshold_text(threshold),
    )


# "drops by more than 50%": the threshold is the size of a fall, whatever its comparator.
_DROP_RE = re.compile(r"\b(?:drop|dropp|fall|fell|decreas|declin|shrink|shrank|dip|plummet)\w*\s+"
                      r"(?:by\s+)?(?:more than|over|at least|>)", re.I)


def traffic_change(metric: Metric, slots: Slots, offset: str) -> Candidate | None:
    """Traffic now vs the same time an earlier period ago (drop or spike by a percentage)."""
    threshold = slots.threshold
    if threshold is None or threshold.kind != "percent" or is_timestamp_metric(metric):
        return None  # a timestamp always grows: comparing it with last week says nothing
    counter = is_counter_like(metric)
    series = _rate_series(metric) if counter else metric.name
    sel = select(series, metric, slots)
    by = _good_by(slots, [metric]) or ("job",)
    now = _agg(f"rate({sel}[{_window(slots)}])" if counter else sel, by)
    before = _agg(
        f"rate({sel}[{_window(slots)}] offset {offset})" if counter else f"{sel} offset {offset}",
        by,
    )
    change = threshold.value / 100
    if slots.direction == "low" or _DROP_RE.search(slots.text):
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

def versus_average(metric: Metric, slots: Slots, factor: float, period: str) -> Candidate:
    """Now against a multiple of the same measure's average over a longer period ("twice the
    daily average"): `rate(x[15m]) / rate(x[1d]) > 2`, `x / avg_over_time(x[1d]) > 2`. A
    period without any traffic leaves the series out instead of dividing by zero."""
    counter = is_counter_like(metric)
    series = _rate_series(metric) if counter else metric.name
    sel = select(series, metric, slots)
    now = f"rate({sel}[{_window(slots)}])" if counter else sel
    usual = f"rate({sel}[{period}])" if counter else f"avg_over_time({sel}[{period}])"
    comparator = "<" if factor < 1 else ">"
    return Candidate(
        "traffic-change",
        f"{now} / ({usual} > 0) {comparator} {format_number(factor)}",
        (metric.name,),
        0.0,
        kept_labels=tuple(sorted(_labels_of(metric))),
        default_for=_DEFAULT_FOR["traffic-change"],
        # The value is the multiple, not the measure: say so where $value is shown.
        what=f"{_metric_words(metric)} as a multiple of its average over {period}",
        condition=f"is {'below' if factor < 1 else 'above'} {format_number(factor)}",
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
        scope = [w for v in matchers.values() for w in re.findall(r"[A-Za-z0-9]+", v)]
        words = [*scope, *_concept_words(intent, candidate)]
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
        "link-utilisation": ["Bandwidth", "Saturation"],
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


def rule_annotations(
    candidate: Candidate, *, for_: str | None = None, matchers: dict[str, str] | None = None
) -> dict[str, str]:
    """Summary and description written for the on-call engineer.

    The description says what is wrong, where (the scope the rule filters on and the labels the
    expression keeps) and the current value in human units. It does not repeat the intent: that
    is stored with the version, and user text in an annotation would be expanded as a template.
    """
    where = _where(candidate.kept_labels, matchers or {})
    value = f"{{{{ $value | {candidate.value_format} }}}}"
    condition = candidate.condition or "crossed its threshold"
    if condition.split(" ", 1)[0] in _BARE_COMPARISONS:
        condition = f"is {condition}"
    what = f"{candidate.what[:1].upper()}{candidate.what[1:]}" or "The watched value"
    summary = f"{what} {condition}{where}."
    lasting = f" for at least {for_}" if for_ else ""
    description = f"{what}{where} is {value}. The alert fires when it {condition}{lasting}."
    return {"summary": summary, "description": description}


# `_threshold_text` gives "above 5"; the sentences need "is above 5".
_BARE_COMPARISONS = {"above", "below", "at", "equal", "not"}
# Labels that locate a problem, most telling first; other kept labels follow in name order.
_WHERE_LABELS = ("service", "namespace", "job", "instance", "pod", "device", "mountpoint", "route")


def _where(kept_labels: tuple[str, ...], matchers: dict[str, str]) -> str:
    kept = set(kept_labels)
    ordered = [label for label in _WHERE_LABELS if label in kept]
    ordered += sorted(kept - set(_WHERE_LABELS))
    parts = [f"{label} {{{{ $labels.{label} }}}}" for label in ordered]
    for label, value in sorted(matchers.items()):
        if label not in kept:
            # A fixed scope is written out; template syntax is stripped so it stays literal.
            parts.append(f"{label} {re.sub(r'[{}$]', '', value)}")
    # Enough to find the thing; more makes the summary unreadable.
    return f" on {', '.join(parts[:4])}" if parts else ""


def default_for(candidate: Candidate) -> str | None:
    value = candidate.default_for
    if value is None or parse_duration_ms(value) == 0:
        return None
    return format_duration_seconds(parse_duration_ms(value) / 1000)


def status_code_is(metric: Metric, slots: Slots, code: str) -> Candidate:
    """A gauge holding the last status code (`probe_http_status_code`) against the code or
    class the intent says: "returns HTTP 500" is `== 500`, "returns 5xx" is 500 to 599."""
    sel = select(metric.name, metric, slots)
    if code.endswith("xx"):
        low = int(code[0]) * 100
        expr = f"{sel} >= {low} and {sel} < {low + 100}"
        condition = f"is a {code} code"
    else:
        expr = f"{sel} == {code}"
        condition = f"is {code}"
    return Candidate(
        "threshold",
        expr,
        (metric.name,),
        0.0,
        kept_labels=tuple(sorted(_labels_of(metric))),
        default_for=_DEFAULT_FOR["threshold"],
        what=_metric_words(metric),
        condition=condition,
    )


# --- one measure of several siblings ----------------------------------------------------------------
# The rule's value and the comparison that ends it: `rate(x[5m]) > 10`, `x_servers == 0`.
_COMPARED_RE = re.compile(r"^(?P<value>.+?)\s+(?P<op>==|!=|>=|<=|>|<)\s+(?P<number>[0-9.e+-]+)$")
_SET_OPERATOR_RE = re.compile(r"\b(?:or|and|unless)\b")


def _has_set_operator(expr: str) -> bool:
    # (Not inside a label value: `result=~"err(or)?"`.)
    return bool(_SET_OPERATOR_RE.search(re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)))


def split_comparison(expr: str) -> tuple[str, str, float] | None:
    """(value, comparator, number) of a rule that compares one value with a number."""
    match = _COMPARED_RE.match(expr)
    if match is None or _has_set_operator(match.group("value")):
        return None
    try:
        return match.group("value"), match.group("op"), float(match.group("number"))
    except ValueError:
        return None


def any_of(parts: list[Candidate], metrics: list[Metric], *, summed: bool) -> Candidate:
    """One rule over sibling metrics that each answer the intent for one kind of it (OS and
    process CPU, active and backup servers, user and system exceptions). `summed`: the total
    of the parts is compared (`active + backup == 0`, `rate(user) + rate(system) > 10`), summed
    to the labels they share when their labels differ; else each part on its own
    (`os_cpu > 90 or process_cpu > 90`: `or` matches series on their labels, not names, so
    a target over the threshold on both alerts once)."""
    first = parts[0]
    words = [_metric_words(m) for m in metrics]
    if summed:
        compared = [split_comparison(p.expr) for p in parts]
        values = [c[0] for c in compared if c is not None]
        labels = [_labels_of(m) for m in metrics]
        kept = first.kept_labels
        if any(lab != labels[0] for lab in labels):
            shared = tuple(sorted(set.intersection(*labels)))
            kept = tuple(label for label in shared if not kept or label in kept)
            values = [_agg(v, kept) for v in values]
        _, op, number = compared[0] or ("", "", 0.0)
        expr = f"{' + '.join(values)} {op} {format_number(number)}"
        what = " plus ".join(words)
    else:
        expr = " or ".join(f"({p.expr})" if _has_set_operator(p.expr) else p.expr
                           for p in parts)
        what = " or ".join(words)
        kept = first.kept_labels
    return replace(first, expr=expr, metrics=tuple(m.name for m in metrics), what=what,
                   kept_labels=kept)
