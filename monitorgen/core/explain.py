"""Plain-English explanations of rules, for reviewers to read beside the YAML.

The explanation is built from the rule spec and a walk of its PromQL AST. It is deterministic
(the same rule always gives the same text), never raises and is never empty: any construct it
does not recognise is quoted in backticks instead. Label values from matchers are kept as they
are; escaping is the template layer's job. Annotation text is left out on purpose: it is written
by the author (so it would only repeat their claim) and can be long.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Any

import promql_parser

from monitorgen.core.catalog import Catalog, family_name_of
from monitorgen.core.durations import DurationError, humanize_duration_ms, parse_duration_ms
from monitorgen.core.promql import SWAPPED_COMPARISON
from monitorgen.core.spec import AlertingRule, AnyRule, RuleFile

__all__ = ["explain_rule", "explain_rule_file", "format_value"]


class _Unit(Enum):
    NONE = "none"
    SECONDS = "seconds"
    MILLISECONDS = "milliseconds"
    BYTES = "bytes"
    BYTES_PER_SECOND = "bytes per second"
    RATIO = "ratio"
    PERCENT = "percent"
    CELSIUS = "celsius"
    TIMESTAMP = "timestamp"


# Catalog `unit` spellings (OpenMetrics units and common variants).
_CATALOG_UNITS = {
    "seconds": _Unit.SECONDS,
    "second": _Unit.SECONDS,
    "s": _Unit.SECONDS,
    "milliseconds": _Unit.MILLISECONDS,
    "ms": _Unit.MILLISECONDS,
    "bytes": _Unit.BYTES,
    "byte": _Unit.BYTES,
    "ratio": _Unit.RATIO,
    "percent": _Unit.PERCENT,
    "celsius": _Unit.CELSIUS,
}

# Multiplying or dividing by these is almost always a unit conversion (s→ms, B→MiB, ratio→%),
# after which the metric's own unit no longer describes the number.
_CONVERSION_FACTORS = frozenset(
    {8.0, 60.0, 100.0, 1000.0, 1024.0, 3600.0, 86400.0, 1e6, 1024.0**2, 1e9, 1024.0**3}
)

_COMPARISONS = frozenset({">", ">=", "<", "<=", "==", "!="})
_SET_OPS = frozenset({"and", "or", "unless"})
_IS = {
    ">": "is above",
    ">=": "is at or above",
    "<": "is below",
    "<=": "is at or below",
    "==": "equals",
    "!=": "does not equal",
}
_STAYS = {
    ">": "stays above",
    ">=": "stays at or above",
    "<": "stays below",
    "<=": "stays at or below",
    "==": "stays equal to",
    "!=": "stays different from",
}
_PREDICTED = {
    ">": "rise above",
    ">=": "rise to or above",
    "<": "drop below",
    "<=": "drop to or below",
    "==": "reach",
    "!=": "differ from",
}

# Functions over a range: the phrase before the series, and what they do to its unit.
_KEEP, _DROP, _PER_SECOND, _DIFFERENCE = "keep", "drop", "per_second", "difference"
_RANGE_FUNCTIONS: dict[str, tuple[str, str]] = {
    "rate": ("the per-second rate of ", _PER_SECOND),
    "irate": ("the instant per-second rate of ", _PER_SECOND),
    "increase": ("the increase in ", _DIFFERENCE),
    "delta": ("the change in ", _DIFFERENCE),
    "idelta": ("the change between the last two samples of ", _DIFFERENCE),
    "deriv": ("the per-second slope of ", _PER_SECOND),
    "changes": ("the number of changes in ", _DROP),
    "resets": ("the number of counter resets of ", _DROP),
    "avg_over_time": ("the average of ", _KEEP),
    "min_over_time": ("the lowest value of ", _KEEP),
    "max_over_time": ("the highest value of ", _KEEP),
    "sum_over_time": ("the sum of ", _KEEP),
    "count_over_time": ("the number of samples of ", _DROP),
    "last_over_time": ("the latest value of ", _KEEP),
    "first_over_time": ("the earliest value of ", _KEEP),
    "present_over_time": ("1 wherever there is data for ", _DROP),
    "stddev_over_time": ("the standard deviation of ", _KEEP),
    "stdvar_over_time": ("the variance of ", _DROP),
    "mad_over_time": ("the median absolute deviation of ", _KEEP),
}
_SIMPLE_FUNCTIONS: dict[str, tuple[str, str]] = {
    "abs": ("the absolute value of ", _KEEP),
    "ceil": ("", _KEEP),
    "floor": ("", _KEEP),
    "round": ("", _KEEP),
    "sqrt": ("the square root of ", _DROP),
    "exp": ("e to the power of ", _DROP),
    "ln": ("the natural logarithm of ", _DROP),
    "log2": ("the base-2 logarithm of ", _DROP),
    "log10": ("the base-10 logarithm of ", _DROP),
    "sgn": ("the sign of ", _DROP),
    "timestamp": ("the time of the latest sample of ", _DROP),
    "histogram_count": ("the number of observations in ", _DROP),
    "histogram_sum": ("the sum of observations in ", _KEEP),
    "histogram_avg": ("the average observation in ", _KEEP),
    "histogram_stddev": ("the standard deviation of observations in ", _KEEP),
    "histogram_stdvar": ("the variance of observations in ", _DROP),
}
_ROUNDING_SUFFIX = {"ceil": ", rounded up", "floor": ", rounded down", "round": ", rounded"}
_CLOCK_FUNCTIONS = {
    "day_of_week": "the UTC day of the week (Sunday is 0)",
    "day_of_month": "the UTC day of the month",
    "day_of_year": "the UTC day of the year",
    "days_in_month": "the number of days in the UTC month",
    "hour": "the UTC hour of the day",
    "minute": "the UTC minute of the hour",
    "month": "the UTC month",
    "year": "the UTC year",
}
_PASS_THROUGH = frozenset({"sort", "sort_desc", "sort_by_label", "sort_by_label_desc"})

# Aggregations: the phrase before a bare series, the adjective before a "the ..." phrase
# ("the total per-second rate of ..."), and whether the result keeps the series' unit.
_AGGREGATIONS: dict[str, tuple[str, str | None, bool]] = {
    "sum": ("the sum of ", "the total ", True),
    "avg": ("the average of ", "the average ", True),
    "max": ("the maximum of ", "the highest ", True),
    "min": ("the minimum of ", "the lowest ", True),
    "count": ("the number of series in ", None, False),
    "group": ("1 for each group of ", None, False),
    "stddev": ("the standard deviation of ", None, True),
    "stdvar": ("the variance of ", None, False),
}

_SEVERITY_NOTES = {
    "critical": "Severity: critical (pages).",
    "warning": "Severity: warning (notifies, does not page).",
    "info": "Severity: info (for information only).",
}
_WORD_RE = re.compile(r"^[A-Za-z0-9_\-/]+$")
_STATUS_CLASS_RE = re.compile(r"^([1-5])(?:\.\.|\[0-9\]\[0-9\]|\\d\\d|xx)$")
_MAX_QUOTE = 200


@dataclass(frozen=True)
class _Phrase:
    """A noun phrase for a PromQL value, with what is known about its unit."""

    text: str
    unit: _Unit = _Unit.NONE
    # ", per service" / ", across all series": kept apart so that a ratio of two sides with the
    # same grouping says it once, after the ratio, instead of twice.
    group: str = ""
    # The numerator and denominator of a division of two vectors: worded "as a fraction of"
    # only when the threshold shows it really is a fraction.
    ratio: tuple[str, str] | None = None

    @property
    def full(self) -> str:
        return self.text + self.group


# --- formatting ----------------------------------------------------------------------------------
def _num(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == int(value) and abs(value) < 1e15:
        whole = int(value)
        return f"{whole:,}" if abs(whole) >= 10_000 else str(whole)
    return f"{value:.6g}"


def _percent_text(fraction: float) -> str:
    return f"{_num(round(fraction * 100, 6))}%"


def _seconds_text(seconds: float) -> str:
    magnitude = abs(seconds)
    if magnitude < 1:
        # Tenths read fine in seconds (0.5 s); anything finer reads better in milliseconds.
        if magnitude >= 0.1 and round(seconds * 10, 9) == int(round(seconds * 10, 9)):
            return f"{_num(seconds)} s"
        return f"{_num(round(seconds * 1000, 6))} ms"
    if magnitude < 60:
        return f"{_num(round(seconds, 6))} s"
    ms = seconds * 1000
    if ms == int(ms) and seconds > 0:
        return humanize_duration_ms(int(ms))
    return f"{_num(round(seconds, 3))} s"


def _bytes_text(value: float) -> str:
    magnitude = abs(value)
    for base, names in (
        (1024, ("B", "KiB", "MiB", "GiB", "TiB", "PiB")),
        (1000, ("B", "kB", "MB", "GB", "TB", "PB")),
    ):
        power = 0
        while power + 1 < len(names) and magnitude >= base ** (power + 1):
            power += 1
        scaled = value / base**power
        if round(scaled, 2) == round(scaled, 9):  # exact to two decimals in this base
            return f"{_num(round(scaled, 2))} {names[power]}"
    power = 0
    while power + 1 < 6 and magnitude >= 1024 ** (power + 1):
        power += 1
    names = ("B", "KiB", "MiB", "GiB", "TiB", "PiB")
    return f"{_num(round(value / 1024**power, 2))} {names[power]}"


def _threshold_text(value: float, unit: _Unit) -> str:
    if value == 0 or math.isnan(value) or math.isinf(value):
        return _num(value)
    if unit is _Unit.SECONDS:
        return _seconds_text(value)
    if unit is _Unit.MILLISECONDS:
        return _seconds_text(value / 1000)
    if unit is _Unit.BYTES:
        return _bytes_text(value)
    if unit is _Unit.BYTES_PER_SECOND:
        return f"{_bytes_text(value)}/s"
    if unit is _Unit.RATIO:
        return _percent_text(value) if abs(value) <= 1 else f"{_num(value)} times"
    if unit is _Unit.PERCENT:
        return f"{_num(value)}%"
    if unit is _Unit.CELSIUS:
        return f"{_num(value)} °C"
    return _num(value)


def _percentile(q: float) -> str:
    if q == 0.5:
        return "median"
    if not 0 <= q <= 1:
        return f"{_num(q)} quantile"
    pct = _num(round(q * 100, 4))
    if "." in pct:
        return f"{pct}th percentile"
    last_two = int(pct) % 100
    suffix = "th" if 11 <= last_two <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(last_two % 10, "th")
    return f"{pct}{suffix} percentile"


def _ms(value: Any) -> int | None:
    if not isinstance(value, timedelta):
        return None
    return round(value / timedelta(milliseconds=1))


def _last(ms: int) -> str:
    human = humanize_duration_ms(abs(ms))
    single = re.fullmatch(r"1 (\w+)", human)
    return f"the last {single.group(1)}" if single else f"the last {human}"


def _ago(ms: int) -> str:
    human = humanize_duration_ms(abs(ms))
    single = re.fullmatch(r"1 (\w+)", human)
    if single:
        human = f"one {single.group(1)}"
    return f"{human} later" if ms < 0 else f"{human} ago"


def _join(words: list[str], conjunction: str = "and") -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def _code(node: Any) -> str:
    """The sub-expression itself, in backticks: the fallback for anything not worded."""
    try:
        text = str(node.prettify())
    except Exception:  # noqa: BLE001 - quoting must never be the thing that fails
        text = str(node)
    return _quote(text)


def _quote(text: str) -> str:
    # prettify() spreads long expressions over lines; one line reads better inside a sentence.
    text = re.sub(r"\(\s*\n\s*", "(", text)
    text = re.sub(r"\s*\n\s*\)", ")", text)
    text = re.sub(r"\s*\n\s*", " ", text).strip() or "(empty expression)"
    if len(text) > _MAX_QUOTE:
        text = text[: _MAX_QUOTE - 1] + "…"
    return f"`{text}`"


def _strip_parens(node: Any) -> Any:
    while isinstance(node, promql_parser.ParenExpr):
        node = node.expr
    return node


def _const(node: Any) -> float | None:
    """The value of a constant number expression (`4 * 3600`, `-(1)`), else None."""
    node = _strip_parens(node)
    if isinstance(node, promql_parser.NumberLiteral):
        return float(node.val)
    if isinstance(node, promql_parser.UnaryExpr):
        inner = _const(node.expr)
        return None if inner is None else -inner
    if isinstance(node, promql_parser.BinaryExpr):
        lhs, rhs = _const(node.lhs), _const(node.rhs)
        if lhs is None or rhs is None:
            return None
        return _arith(str(node.op), lhs, rhs)
    return None


def _arith(op: str, lhs: float, rhs: float) -> float | None:
    try:
        if op == "+":
            return lhs + rhs
        if op == "-":
            return lhs - rhs
        if op == "*":
            return lhs * rhs
        if op == "/":
            return lhs / rhs
        if op == "%":
            return math.fmod(lhs, rhs)
        if op == "^":
            return float(lhs**rhs)
    except (ArithmeticError, ValueError):
        return None
    return None


def _unit_from_name(name: str) -> _Unit:
    base = name
    if ":" in name:
        # Recording-rule names are level:metric:operations (job:errors:ratio_rate5m).
        parts = name.split(":")
        if "ratio" in parts[-1].split("_"):
            return _Unit.RATIO
        base = parts[1] if len(parts) == 3 and parts[1] else parts[-1]
    if base.endswith(("_bucket", "_count")):
        return _Unit.NONE
    base = base.removesuffix("_sum").removesuffix("_total")
    if base.endswith(("_timestamp_seconds", "_timestamp", "_time_seconds")):
        return _Unit.TIMESTAMP
    for suffixes, unit in (
        (("_seconds",), _Unit.SECONDS),
        (("_milliseconds",), _Unit.MILLISECONDS),
        (("_bytes",), _Unit.BYTES),
        (("_ratio",), _Unit.RATIO),
        (("_percent", "_percentage"), _Unit.PERCENT),
        (("_celsius",), _Unit.CELSIUS),
    ):
        if base.endswith(suffixes):
            return unit
    return _Unit.NONE


def _apply(effect: str, unit: _Unit) -> _Unit:
    if effect == _KEEP:
        return unit
    if effect == _PER_SECOND:
        return _Unit.BYTES_PER_SECOND if unit is _Unit.BYTES else _Unit.NONE
    if effect == _DIFFERENCE:
        return _Unit.SECONDS if unit is _Unit.TIMESTAMP else unit
    return _Unit.NONE


def _matching_text(modifier: Any) -> str:
    """How two vectors are matched (`on (job)`), in words; empty for the default matching."""
    matching = getattr(modifier, "matching", None)
    if matching is None:
        return ""
    labels = [str(label) for label in matching.labels]
    if matching.type == promql_parser.LabelModifierType.Include:
        return f" (matched on {_join(labels)})" if labels else " (matched as single series)"
    return f" (matched ignoring {_join(labels)})" if labels else ""


# --- the walk ------------------------------------------------------------------------------------
class _Explainer:
    def __init__(self, catalog: Catalog | None) -> None:
        self.catalog = catalog
        # Set while comparing `x` with `x offset 1w`, so both sides are worded alike.
        self.hide_offsets = False

    # Values (noun phrases) -----------------------------------------------------------------------
    def value(self, node: Any) -> _Phrase:
        try:
            phrase = self._value(node)
        except Exception:  # noqa: BLE001 - an unexpected construct is quoted, never fatal
            return _Phrase(_code(node))
        return phrase if phrase.text.strip() else _Phrase(_code(node))

    def _value(self, node: Any) -> _Phrase:
        p = promql_parser
        if isinstance(node, p.ParenExpr):
            return self.value(node.expr)
        if isinstance(node, p.NumberLiteral):
            return _Phrase(_num(float(node.val)))
        if isinstance(node, p.StringLiteral):
            return _Phrase(f'"{node.val}"')
        if isinstance(node, p.VectorSelector):
            return self._selector(node)
        if isinstance(node, p.MatrixSelector | p.SubqueryExpr):
            inner, window, suffix = self._range(node)
            text = inner.full + (f"{_sep(inner.full)}over {_last(window)}" if window else "")
            return _Phrase(text + suffix, inner.unit)
        if isinstance(node, p.UnaryExpr):
            inner = self.value(node.expr)
            return _Phrase(f"minus {inner.full}", inner.unit)
        if isinstance(node, p.Call):
            return self._call(node)
        if isinstance(node, p.AggregateExpr):
            return self._aggregate(node)
        if isinstance(node, p.BinaryExpr):
            return self._binary(node)
        return _Phrase(_code(node))

    def _unit(self, name: str | None) -> _Unit:
        if not name:
            return _Unit.NONE
        if self.catalog is not None:
            metric = self.catalog.family(name)
            unit = _CATALOG_UNITS.get(metric.unit.strip().lower()) if metric else None
            if metric is not None and unit is not None:
                # A histogram's _bucket and _count series count observations, whatever its unit.
                counts = name != metric.name and name.endswith(("_bucket", "_count"))
                return _Unit.NONE if counts else unit
        return _unit_from_name(name)

    def _selector(self, node: Any, *, with_offset: bool = True) -> _Phrase:
        name = _selector_name(node)
        matchers = list(node.matchers.matchers)
        if name is not None and not node.name:
            matchers = [m for m in matchers if m.name != "__name__"]
        by_name = [self._matcher(m) for m in matchers if m.name == "__name__"]
        words = [self._matcher(m) for m in matchers if m.name != "__name__"]
        alternatives = [
            " and ".join(self._matcher(m) for m in group) for group in node.matchers.or_matchers
        ]
        text = name or (f"series with {' and '.join(by_name)}" if by_name else "all series")
        if words:
            text += " for " + " and ".join(words)
        elif alternatives:
            text += " for " + " or ".join(a for a in alternatives if a)
        if with_offset:
            text += self._offset_suffix(node)
        if node.at is not None:
            text += " (at a fixed evaluation time)"
        return _Phrase(text, self._unit(name))

    def _offset_suffix(self, selector: Any) -> str:
        offset = _ms(selector.offset)
        if not offset or self.hide_offsets:
            return ""
        return f", as of {_ago(offset)}"

    @staticmethod
    def _matcher(matcher: Any) -> str:
        label = "name" if matcher.name == "__name__" else str(matcher.name)
        value = str(matcher.value)
        op = matcher.op
        # `5..` on a status code label is the 5xx class.
        alternatives = [_STATUS_CLASS_RE.sub(r"\1xx", a) for a in value.split("|")]
        plain = all(_WORD_RE.match(a) for a in alternatives)
        # An empty value means the label is absent: `x=""` matches series without it.
        if op == promql_parser.MatchOp.Equal:
            return f"{label} unset" if value == "" else f"{label} {value}"
        if op == promql_parser.MatchOp.NotEqual:
            return f"{label} set" if value == "" else f"{label} other than {value}"
        if op == promql_parser.MatchOp.Re:
            if value == ".+":
                return f"{label} set"
            if value == ".*":
                return f"any {label}"
            if plain:
                return f"{label} {_join(alternatives, 'or')}"
            return f"{label} matching {value}"
        if plain:
            return f"{label} other than {_join(alternatives, 'or')}"
        return f"{label} not matching {value}"

    def _range(self, node: Any) -> tuple[_Phrase, int | None, str]:
        """A range argument as (what is sampled, window in ms, trailing offset/step words)."""
        node = _strip_parens(node)
        if isinstance(node, promql_parser.MatrixSelector):
            selector = node.vector_selector
            inner = self._selector(selector, with_offset=False)
            return inner, _ms(node.range), self._offset_suffix(selector)
        if isinstance(node, promql_parser.SubqueryExpr):
            inner = self.value(node.expr)
            step = _ms(node.step)
            suffix = f", sampled every {humanize_duration_ms(step)}" if step else ""
            offset = _ms(node.offset)
            if offset and not self.hide_offsets:
                suffix += f", as of {_ago(offset)}"
            return inner, _ms(node.range), suffix
        return self.value(node), None, ""

    def _windowed(self, prefix: str, node: Any, effect: str) -> _Phrase:
        inner, window, suffix = self._range(node)
        text = prefix + inner.full
        if window:
            text += f"{_sep(inner.full)}over {_last(window)}"
        return _Phrase(text + suffix, _apply(effect, inner.unit))

    def _call(self, node: Any) -> _Phrase:
        name = str(node.func.name)
        args = list(node.args)
        if name in _RANGE_FUNCTIONS and args:
            prefix, effect = _RANGE_FUNCTIONS[name]
            return self._windowed(prefix, args[-1], effect)
        if name == "quantile_over_time" and len(args) == 2:
            q = _const(args[0])
            what = (
                f"the {_percentile(q)} of "
                if q is not None
                else f"the {_code(args[0])} quantile of "
            )
            return self._windowed(what, args[1], _KEEP)
        if name == "histogram_quantile" and len(args) == 2:
            return self._histogram_quantile(args[0], args[1])
        if name == "predict_linear" and len(args) == 2:
            inner, window, suffix = self._range(args[0])
            horizon = _const(args[1])
            ahead = humanize_duration_ms(round(horizon * 1000)) if horizon and horizon > 0 else None
            text = f"{inner.full}{_sep(inner.full)}predicted "
            text += f"{ahead} ahead" if ahead else f"{_code(args[1])} seconds ahead"
            if window:
                text += f" based on {_last(window)}"
            return _Phrase(text + suffix, inner.unit)
        if name in ("holt_winters", "double_exponential_smoothing") and args:
            return self._windowed("the smoothed value of ", args[0], _KEEP)
        if name in ("absent", "absent_over_time") and args:
            return _Phrase(f"1 when {self._absence(name, args[0])}")
        if name == "time" and not args:
            return _Phrase("the current time", _Unit.TIMESTAMP)
        if name == "vector" and args:
            inner = self.value(args[0])
            return _Phrase(
                inner.full if inner.full.startswith("the ") else f"the constant {inner.full}"
            )
        if name == "scalar" and args:
            return _Phrase(f"{self.value(args[0]).full} (as a single number)")
        if name in _SIMPLE_FUNCTIONS and args:
            prefix, effect = _SIMPLE_FUNCTIONS[name]
            inner = self.value(args[0])
            return _Phrase(
                prefix + inner.full + _ROUNDING_SUFFIX.get(name, ""), _apply(effect, inner.unit)
            )
        if name in ("clamp", "clamp_min", "clamp_max") and args:
            return self._clamp(node, name, args)
        if name in ("label_replace", "label_join") and len(args) >= 2:
            inner = self.value(args[0])
            target = self.value(args[1]).full.strip('"')
            return _Phrase(f"{inner.full} (with label {target} rewritten)", inner.unit, inner.group)
        if name in _PASS_THROUGH and args:
            return self.value(args[0])
        if name in _CLOCK_FUNCTIONS:
            text = _CLOCK_FUNCTIONS[name]
            if args:
                text += f" of {self.value(args[0]).full}"
            return _Phrase(text)
        if name == "histogram_fraction" and len(args) == 3:
            low, high, histogram = (self.value(a).full for a in args)
            return _Phrase(
                f"the fraction of observations in {histogram} between {low} and {high}", _Unit.RATIO
            )
        return _Phrase(_code(node))

    def _clamp(self, node: Any, name: str, args: list[Any]) -> _Phrase:
        inner = self.value(args[0])
        bounds = [_const(a) for a in args[1:]]
        words = [
            _threshold_text(b, inner.unit) if b is not None else _code(a)
            for a, b in zip(args[1:], bounds, strict=True)
        ]
        if name == "clamp" and len(words) == 2:
            text = f"{inner.full}, kept between {words[0]} and {words[1]}"
        elif name == "clamp_min" and words:
            text = f"{inner.full}, at least {words[0]}"
        elif name == "clamp_max" and words:
            text = f"{inner.full}, at most {words[0]}"
        else:
            return _Phrase(_code(node))
        return _Phrase(text, inner.unit)

    def _absence(self, name: str, arg: Any) -> str:
        if name == "absent":
            return f"there is no data for {self.value(arg).full}"
        inner, window, suffix = self._range(arg)
        over = f"{_sep(inner.full)}over {_last(window)}" if window else ""
        return f"there has been no data for {inner.full}{over}{suffix}"

    def _histogram_quantile(self, q_node: Any, buckets: Any) -> _Phrase:
        q = _const(q_node)
        what = f"the {_percentile(q)} of " if q is not None else f"the {_code(q_node)} quantile of "
        inner = _strip_parens(buckets)
        group = ""
        if isinstance(inner, promql_parser.AggregateExpr) and str(inner.op) == "sum":
            # `sum by (le, ...)`: `le` only carries the buckets, the other labels are the groups.
            modifier = inner.modifier
            labels = [str(x) for x in modifier.labels if str(x) != "le"] if modifier else []
            if modifier is not None and labels:
                by = modifier.type == promql_parser.AggModifierType.By
                group = f", per {_join(labels)}" if by else f", across every {_join(labels)}"
            inner = _strip_parens(inner.expr)
        if (
            isinstance(inner, promql_parser.Call)
            and str(inner.func.name) in ("rate", "irate", "increase")
            and inner.args
            and isinstance(_strip_parens(inner.args[0]), promql_parser.MatrixSelector)
        ):
            matrix = _strip_parens(inner.args[0])
            selector = self._selector(matrix.vector_selector, with_offset=False)
            family = family_name_of(str(matrix.vector_selector.name or ""), self.catalog)
            name = str(matrix.vector_selector.name or "")
            text = what + (family + selector.text[len(name) :] if name else selector.text)
            window = _ms(matrix.range)
            if window:
                text += f"{_sep(text[len(what) :])}over {_last(window)}"
            text += self._offset_suffix(matrix.vector_selector)
            return _Phrase(text, self._unit(family), group)
        described = self.value(inner)
        unit = _Unit.NONE
        if isinstance(inner, promql_parser.VectorSelector) and inner.name:
            # A recorded bucket rate (job:x_seconds_bucket:rate5m) keeps the family's unit.
            unit = self._unit(str(inner.name).replace("_bucket", ""))
        return _Phrase(what + f"the histogram {described.full}", unit, group)

    def _aggregate(self, node: Any) -> _Phrase:
        op = str(node.op)
        inner = self.value(node.expr)
        group = self._grouping(node.modifier)
        param = _const(node.param) if node.param is not None else None
        if param is not None:
            param_text = _num(param)
        elif isinstance(node.param, promql_parser.StringLiteral):
            param_text = str(node.param.val)
        else:
            param_text = _code(node.param) if node.param is not None else ""
        if op in _AGGREGATIONS:
            of, adjective, keeps_unit = _AGGREGATIONS[op]
            if adjective and inner.full.startswith("the "):
                text = adjective + inner.full[len("the ") :]
            else:
                text = of + inner.full
            return _Phrase(text, inner.unit if keeps_unit else _Unit.NONE, group)
        if op in ("topk", "bottomk", "limitk"):
            which = {"topk": "the top", "bottomk": "the bottom", "limitk": "up to"}[op]
            # Without by/without, topk picks across all series: saying so adds nothing.
            group = "" if node.modifier is None else group
            return _Phrase(f"{which} {param_text} series of {inner.full}", inner.unit, group)
        if op == "quantile":
            what = (
                f"the {_percentile(param)}" if param is not None else f"the {param_text} quantile"
            )
            return _Phrase(f"{what} of {inner.full}", inner.unit, group)
        if op == "limit_ratio":
            share = _percent_text(param) if param is not None else param_text
            return _Phrase(f"a {share} sample of the series in {inner.full}", inner.unit, group)
        if op == "count_values":
            return _Phrase(
                f"the number of series with each value of {inner.full} (as label {param_text})",
                group=group,
            )
        return _Phrase(_code(node))

    @staticmethod
    def _grouping(modifier: Any) -> str:
        if modifier is None:
            return ", across all series"
        labels = [str(label) for label in modifier.labels]
        if modifier.type == promql_parser.AggModifierType.By:
            return f", per {_join(labels)}" if labels else ", across all series"
        return f", across every {_join(labels)}" if labels else ", per series"

    def _binary(self, node: Any) -> _Phrase:
        op = str(node.op)
        if op in _COMPARISONS:
            if node.modifier is not None and node.modifier.return_bool:
                return _Phrase(f"1 where {self._comparison(node, _IS)} and 0 elsewhere")
            subject, verb, threshold = self._comparison_parts(node, _IS)
            return _Phrase(f"{subject}, only where it {verb} {threshold}")
        lhs_node, rhs_node = node.lhs, node.rhs
        matching = _matching_text(node.modifier)
        if op in _SET_OPS:
            a, b = self.value(lhs_node), self.value(rhs_node)
            condition = self.clause(rhs_node)
            if op == "and":
                tail = condition or f"{b.full} also has data"
                return _Phrase(f"{a.full}, only where {tail}{matching}", a.unit)
            if op == "or":
                return _Phrase(f"{a.full}, or else {b.full}{matching}", a.unit)
            tail = condition or f"{b.full} has data"
            return _Phrase(f"{a.full}, except where {tail}{matching}", a.unit)
        return self._arithmetic(op, lhs_node, rhs_node, matching)

    def _arithmetic(self, op: str, lhs_node: Any, rhs_node: Any, matching: str) -> _Phrase:
        lc, rc = _const(lhs_node), _const(rhs_node)
        if lc is not None and rc is not None:
            value = _arith(op, lc, rc)
            if value is not None:
                return _Phrase(_num(value))
        lhs_call = _strip_parens(lhs_node)
        if (
            op == "-"
            and isinstance(lhs_call, promql_parser.Call)
            and str(lhs_call.func.name) == "time"
            and rc is None
        ):
            since = self.value(rhs_node)
            return _Phrase(f"the time since {since.full}", _Unit.SECONDS)
        if op in ("/", "-") and lc is None and rc is None:
            compared = self._compared_with_past(op, lhs_node, rhs_node)
            if compared is not None:
                return compared
        a, b = self.value(lhs_node), self.value(rhs_node)
        if op == "/":
            if rc is not None:
                return self._scaled(a, rc, f"{a.full} divided by {b.full}", dividing=True)
            if lc is not None:
                return _Phrase(f"{a.full} divided by {b.full}")
            if a.group and a.group == b.group:
                num, den, group = a.text, b.text, a.group
            else:
                num, den, group = a.full, b.full, ""
            den += matching
            unit = _Unit.NONE
            text = f"the ratio of {num}{_comma(num)} to {den}"
            return _Phrase(text, unit, group, ratio=(num, den))
        if op == "*":
            if rc is not None:
                return self._scaled(a, rc, f"{a.full} times {b.full}")
            if lc is not None:
                return self._scaled(b, lc, f"{b.full} times {a.full}")
            return _Phrase(f"{a.full} multiplied by {b.full}{matching}")
        if op in ("+", "-"):
            word = "plus" if op == "+" else "minus"
            if op == "-" and a.unit is _Unit.TIMESTAMP and b.unit is _Unit.TIMESTAMP:
                unit = _Unit.SECONDS
            elif lc is not None and (b.ratio or b.unit is _Unit.RATIO):
                unit = _Unit.RATIO  # `1 - ratio` is the complementary fraction
            elif lc is not None or rc is not None:
                unit = b.unit if lc is not None else a.unit
            else:
                unit = a.unit if a.unit is b.unit else _Unit.NONE
            return _Phrase(f"{a.full} {word} {b.full}{matching}", unit)
        words = {"%": "modulo", "^": "to the power of"}
        if op in words:
            return _Phrase(f"{a.full} {words[op]} {b.full}{matching}")
        if op == "atan2":
            return _Phrase(f"the arctangent of {a.full} and {b.full}{matching}")
        return _Phrase(f"{a.full} {op} {b.full}{matching}")

    @staticmethod
    def _scaled(phrase: _Phrase, factor: float, text: str, *, dividing: bool = False) -> _Phrase:
        if not dividing and factor == 100 and (phrase.ratio or phrase.unit is _Unit.RATIO):
            if phrase.ratio:
                num, den = phrase.ratio
                text = f"{num}{_comma(num)} as a percent of {den}"
                return _Phrase(text, _Unit.PERCENT, phrase.group)
            return _Phrase(f"{phrase.full} as a percent", _Unit.PERCENT)
        if dividing and factor == 100 and phrase.unit is _Unit.PERCENT:
            return _Phrase(f"{phrase.full} as a fraction", _Unit.RATIO)
        if not dividing and factor == 1000 and phrase.unit is _Unit.SECONDS:
            return _Phrase(f"{phrase.full} in milliseconds", _Unit.MILLISECONDS)
        unit = _Unit.NONE if abs(factor) in _CONVERSION_FACTORS else phrase.unit
        return _Phrase(text, unit)

    def _compared_with_past(self, op: str, lhs_node: Any, rhs_node: Any) -> _Phrase | None:
        """`x / x offset 1w` and `x - x offset 1w`: the same series now and in the past."""
        past = _common_offset(rhs_node)
        if not past or _common_offset(lhs_node):
            return None
        self.hide_offsets = True
        try:
            now, then = self.value(lhs_node), self.value(rhs_node)
        finally:
            self.hide_offsets = False
        if now.full != then.full:
            return None
        if op == "/":
            return _Phrase(f"{now.text} compared with {_ago(past)}", _Unit.RATIO, now.group)
        return _Phrase(
            f"the change in {now.text} since {_ago(past)}", _apply(_DIFFERENCE, now.unit), now.group
        )

    # Conditions (clauses) ------------------------------------------------------------------------
    def clause(self, node: Any) -> str | None:
        """The node as a condition ("x is above 5"), or None if it is a plain value."""
        try:
            return self._clause(node)
        except Exception:  # noqa: BLE001 - an unexpected construct is quoted, never fatal
            return None

    def _clause(self, node: Any) -> str | None:
        node = _strip_parens(node)
        if isinstance(node, promql_parser.Call):
            name = str(node.func.name)
            if name in ("absent", "absent_over_time") and node.args:
                return self._absence(name, node.args[0])
            return None
        if not isinstance(node, promql_parser.BinaryExpr):
            return None
        op = str(node.op)
        if op in _COMPARISONS:
            if node.modifier is not None and node.modifier.return_bool:
                return None
            return self._comparison(node, _IS)
        if op not in _SET_OPS:
            return None
        first = self.clause(node.lhs)
        if first is None:
            return None
        second = self.clause(node.rhs)
        other = self.value(node.rhs).full
        matching = _matching_text(node.modifier)
        if op == "and":
            return (
                f"{first} and {second}{matching}"
                if second
                else (f"{first}, where {other} also has data{matching}")
            )
        if op == "or":
            return (
                f"{first}, or {second}{matching}"
                if second
                else (f"{first}, or {other} has any data{matching}")
            )
        return (
            f"{first}, unless {second}{matching}"
            if second
            else (f"{first}, unless {other} has data{matching}")
        )

    def _comparison(self, node: Any, verbs: dict[str, str]) -> str:
        predicted = self._prediction(node)
        if predicted is not None:
            return predicted
        subject, verb, threshold = self._comparison_parts(node, verbs)
        text = f"{subject}{_comma(subject)} {verb} {threshold}"
        target = _strip_parens(node.lhs)
        if (
            str(node.op) == "=="
            and threshold == "0"
            and isinstance(target, promql_parser.VectorSelector)
            and _selector_name(target) == "up"
        ):
            text += " (the target is down)"
        return text

    def _oriented(self, node: Any) -> tuple[Any, str, Any, float | None]:
        """(series side, operator, other side, threshold) with any constant on the right."""
        op = str(node.op)
        lhs, rhs = node.lhs, node.rhs
        if _const(lhs) is not None and _const(rhs) is None:
            lhs, rhs, op = rhs, lhs, SWAPPED_COMPARISON[op]
        return lhs, op, rhs, _const(rhs)

    def _comparison_parts(self, node: Any, verbs: dict[str, str]) -> tuple[str, str, str]:
        lhs, op, rhs, threshold = self._oriented(node)
        subject = self.value(lhs)
        if threshold is None:
            return subject.full, verbs[op], self.value(rhs).full + _matching_text(node.modifier)
        if subject.ratio and subject.unit is _Unit.NONE and abs(threshold) <= 1:
            num, den = subject.ratio
            text = f"{num}{_comma(num)} as a fraction of {den}{subject.group}"
            return text, verbs[op], _percent_text(threshold) if threshold else "0"
        return subject.full, verbs[op], _threshold_text(threshold, subject.unit)

    def _prediction(self, node: Any) -> str | None:
        lhs, op, _, threshold = self._oriented(node)
        call = _strip_parens(lhs)
        if (
            threshold is None
            or not isinstance(call, promql_parser.Call)
            or str(call.func.name) != "predict_linear"
            or len(call.args) != 2
        ):
            return None
        inner, window, suffix = self._range(call.args[0])
        horizon = _const(call.args[1])
        ahead = (
            humanize_duration_ms(round(horizon * 1000))
            if horizon and horizon > 0
            else f"{_code(call.args[1])} seconds"
        )
        text = (
            f"{inner.full}{_comma(inner.full)} is predicted to "
            f"{_PREDICTED[op]} {_threshold_text(threshold, inner.unit)} within {ahead}"
        )
        if window:
            text += f" based on {_last(window)}"
        return text + suffix

    # Rules ---------------------------------------------------------------------------------------
    def alert(self, rule: AlertingRule) -> list[str]:
        node = _strip_parens(promql_parser.parse(rule.expr))
        lasting = _human_duration(rule.for_)
        sentences: list[str] = []
        is_comparison = isinstance(node, promql_parser.BinaryExpr) and str(node.op) in _COMPARISONS
        returns_bool = is_comparison and node.modifier is not None and node.modifier.return_bool
        condition: str | None = None
        if lasting and is_comparison and not returns_bool and self._prediction(node) is None:
            condition = f"{self._comparison(node, _STAYS)} for {lasting}"
        else:
            condition = self.clause(node)
            if condition and lasting:
                condition += f", continuously for {lasting}"
        if condition:
            lead = "Fires when" if lasting else "Fires as soon as"
            sentences.append(f"{lead} {condition}.")
        else:
            text = f"Fires for every series in {self.value(node).full}"
            if lasting:
                text += f", once that series has been present for {lasting}"
            sentences.append(text + ".")
            if returns_bool:
                sentences.append(
                    "Note: with `bool` the comparison returns 0 or 1 instead of filtering, "
                    "so this fires for every series whether or not the condition holds."
                )
        keep = _human_duration(rule.keep_firing_for)
        if keep:
            sentences.append(f"Once firing, it keeps firing for {keep} after the condition clears.")
        severity = rule.labels.get("severity")
        if severity is None:
            sentences.append("No severity is set.")
        else:
            sentences.append(_SEVERITY_NOTES.get(severity, f"Severity: {severity}."))
        sentences.extend(_labels_sentence(rule.labels, "It adds"))
        return sentences

    def record(self, name: str, expr: str, labels: dict[str, str]) -> list[str]:
        node = promql_parser.parse(expr)
        return [f"Records {name} as {self.value(node).full}.", *_labels_sentence(labels, "It adds")]


def _sep(text: str) -> str:
    # "rate of x over ..." but "rate of x for job api, over ...": the comma closes the qualifier.
    return ", " if " " in text else " "


def _selector_name(selector: Any) -> str | None:
    """The metric name, written either way (`up` or `{__name__="up"}`)."""
    if selector.name:
        return str(selector.name)
    for matcher in selector.matchers.matchers:
        if matcher.name == "__name__" and matcher.op == promql_parser.MatchOp.Equal:
            return str(matcher.value)
    return None


def _comma(text: str) -> str:
    # A part that already holds a comma ("x for job a, over 5m") needs one to close it.
    return "," if "," in text else ""


def _common_offset(node: Any) -> int | None:
    """The offset shared by every selector under `node` (None if none or they differ)."""
    offsets: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, promql_parser.VectorSelector):
            offsets.add(_ms(current.offset) or 0)
        elif isinstance(current, promql_parser.MatrixSelector):
            stack.append(current.vector_selector)
        elif isinstance(current, promql_parser.BinaryExpr):
            stack.extend((current.lhs, current.rhs))
        elif isinstance(current, promql_parser.Call):
            stack.extend(current.args)
        elif isinstance(
            current,
            promql_parser.ParenExpr
            | promql_parser.UnaryExpr
            | promql_parser.AggregateExpr
            | promql_parser.SubqueryExpr,
        ):
            stack.append(current.expr)
    if len(offsets) != 1:
        return None
    return offsets.pop() or None


def _human_duration(text: str | None) -> str | None:
    if not text:
        return None
    try:
        ms = parse_duration_ms(text)
    except DurationError:
        return text
    return humanize_duration_ms(ms) if ms else None


def _labels_sentence(labels: dict[str, str], lead: str) -> list[str]:
    extra = [f"{name}={value}" for name, value in sorted(labels.items()) if name != "severity"]
    if not extra:
        return []
    noun = "label" if len(extra) == 1 else "labels"
    return [f"{lead} the {noun} {_join(extra)}."]


# --- entry points --------------------------------------------------------------------------------
def explain_rule(rule: AnyRule, *, catalog: Catalog | None = None) -> str:
    """A plain-English explanation of an alerting or recording rule."""
    explainer = _Explainer(catalog)
    try:
        if isinstance(rule, AlertingRule):
            sentences = explainer.alert(rule)
        else:
            sentences = explainer.record(rule.record, rule.expr, rule.labels)
    except Exception:  # noqa: BLE001 - the reviewer still gets the expression itself
        if isinstance(rule, AlertingRule):
            sentences = [f"Fires for every series of {_quote(rule.expr)}."]
        else:
            sentences = [f"Records {rule.name} as {_quote(rule.expr)}."]
    return " ".join(sentences)


def explain_rule_file(
    rule_file: RuleFile, *, catalog: Catalog | None = None
) -> list[tuple[str, str]]:
    """(rule name, explanation) for every rule in the file, in file order."""
    return [(rule.name, explain_rule(rule, catalog=catalog)) for _, rule in rule_file.iter_rules()]


def format_value(node: Any, value: float, *, catalog: Catalog | None = None) -> str:
    """`value` written in the unit of the PromQL value `node` (a parsed AST): 0.5 s, 5%, 2 GiB.

    Used to name synthesised unit-test cases ("p99 is 0.6 s, above 0.5 s").
    """
    try:
        unit = _Explainer(catalog).value(node).unit
    except Exception:  # noqa: BLE001 - a number without its unit is still right
        unit = _Unit.NONE
    return _threshold_text(value, unit)
