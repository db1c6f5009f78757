"""A small PromQL evaluator over synthetic series (pure), for synthesising rule unit tests.

`Evaluator(series).evaluate(node, t)` computes a promql-parser AST at one instant `t` (seconds)
over series given as sample lists, the way Prometheus does for the subset alerting rules use:
selectors with lookback and offsets, range functions (`rate`/`increase` with Prometheus'
extrapolation, `changes`, `resets`, `deriv`, `predict_linear`, `*_over_time`), aggregations,
vector matching (`on`/`ignoring`, `group_left`/`group_right`, `and`/`or`/`unless`),
`histogram_quantile`, `absent`, `time()` and the common maths functions. Anything outside that
subset raises `EvalUnsupported`, so a caller never builds on a guess.

Prometheus 2.x includes a sample lying exactly on a range's left edge (or exactly `lookback`
old); 3.x leaves it out. `left_open=True` evaluates the 3.x way, so callers can keep only the
conclusions both agree on.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import promql_parser as pp

NAME = "__name__"
LOOKBACK_SECONDS = 300.0

Labels = tuple[tuple[str, str], ...]  # sorted by name; a missing label and "" are the same
Sample = tuple[Labels, float]
Vector = list[Sample]
Value = float | Vector

_COMPARISONS = frozenset({"==", "!=", ">", "<", ">=", "<="})
_ARITHMETIC = frozenset({"+", "-", "*", "/", "%", "^", "atan2"})
_SET_OPS = frozenset({"and", "or", "unless"})


class EvalUnsupported(Exception):
    """The expression uses something this evaluator does not model; `reason` says what."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Series:
    labels: Labels  # including __name__
    times: tuple[float, ...]  # ascending, seconds
    values: tuple[float, ...]

    @property
    def name(self) -> str:
        return dict(self.labels).get(NAME, "")


@dataclass(frozen=True)
class _Matrix:
    rows: list[tuple[Labels, list[float], list[float]]]  # labels, times, values
    range_seconds: float
    start: float
    end: float
    selector: Any


def make_labels(mapping: dict[str, str]) -> Labels:
    return tuple(sorted((k, v) for k, v in mapping.items() if v != ""))


def without_name(labels: Labels) -> Labels:
    return tuple(item for item in labels if item[0] != NAME)


@lru_cache(maxsize=1024)
def _regex(pattern: str) -> re.Pattern[str]:
    try:
        # Prometheus anchors label regexes at both ends; fullmatch does the same.
        return re.compile(pattern, re.DOTALL)
    except re.error as exc:
        raise EvalUnsupported(f"label regex {pattern!r} is not understood: {exc}") from None


def matcher_accepts(op: str, expected: str, actual: str) -> bool:
    """Whether a label value satisfies one matcher; `op` is =, !=, =~ or !~."""
    if op == "=":
        return actual == expected
    if op == "!=":
        return actual != expected
    found = _regex(expected).fullmatch(actual) is not None
    return found if op == "=~" else not found


_MATCH_OPS = {"MatchOp.Equal": "=", "MatchOp.NotEqual": "!=", "MatchOp.Re": "=~",
              "MatchOp.NotRe": "!~"}


def selector_matchers(node: Any) -> tuple[str | None, list[tuple[str, str, str]]]:
    """The metric name and (label, op, value) matchers of a VectorSelector node."""
    if node.matchers.or_matchers:
        raise EvalUnsupported("selectors with `or` matchers are not modelled")
    matchers: list[tuple[str, str, str]] = []
    name: str | None = node.name or None
    for m in node.matchers.matchers:
        op = _MATCH_OPS.get(str(m.op))
        if op is None:
            raise EvalUnsupported(f"matcher operator {m.op} is not modelled")
        if m.name == NAME:
            if op != "=":
                raise EvalUnsupported("selecting metrics by a __name__ pattern is not modelled")
            if name is not None and name != m.value:
                return name, [(NAME, "=", m.value)]  # selects nothing
            name = m.value
            continue
        matchers.append((m.name, op, m.value))
    return name, matchers


def _seconds(value: Any) -> float:
    return 0.0 if value is None else float(value.total_seconds())


def _strip(node: Any) -> Any:
    while isinstance(node, pp.ParenExpr):
        node = node.expr
    return node


def _arith(op: str, lhs: float, rhs: float) -> float:
    try:
        if op == "+":
            return lhs + rhs
        if op == "-":
            return lhs - rhs
        if op == "*":
            return lhs * rhs
        if op == "/":
            if rhs == 0:
                if lhs == 0 or math.isnan(lhs):
                    return math.nan
                return math.copysign(math.inf, lhs) * math.copysign(1.0, rhs)
            return lhs / rhs
        if op == "%":
            return math.fmod(lhs, rhs) if rhs != 0 else math.nan
        if op == "^":
            return math.pow(lhs, rhs)
        if op == "atan2":
            return math.atan2(lhs, rhs)
    except OverflowError:
        return math.inf
    except ValueError:
        return math.nan
    raise EvalUnsupported(f"operator {op} is not modelled")


def _compare(op: str, lhs: float, rhs: float) -> bool:
    if op == "==":
        return lhs == rhs
    if op == "!=":
        return lhs != rhs
    if op == ">":
        return lhs > rhs
    if op == "<":
        return lhs < rhs
    if op == ">=":
        return lhs >= rhs
    return lhs <= rhs


def _kahan_free_mean(values: list[float]) -> float:
    # Prometheus keeps a running mean for avg(); plain sum/n differs only in the last bits.
    return math.fsum(values) / len(values)


def _regression(times: list[float], values: list[float], intercept_time: float) -> tuple[float, float]:
    first = values[0]
    if all(v == first for v in values):
        return 0.0, first
    n = float(len(values))
    sum_x = sum_y = sum_xy = sum_x2 = 0.0
    for t, y in zip(times, values, strict=True):
        x = t - intercept_time
        sum_x += x
        sum_y += y
        sum_xy += x * y
        sum_x2 += x * x
    cov = sum_xy - sum_x * sum_y / n
    var = sum_x2 - sum_x * sum_x / n
    slope = cov / var if var != 0 else math.nan
    return slope, sum_y / n - slope * sum_x / n


def bucket_quantile(q: float, buckets: list[tuple[float, float]]) -> float:
    """Prometheus' histogram_quantile over (upper bound, cumulative count) pairs."""
    if math.isnan(q):
        return math.nan
    if q < 0:
        return -math.inf
    if q > 1:
        return math.inf
    ordered = sorted(buckets)
    if not ordered or not math.isinf(ordered[-1][0]):
        return math.nan
    merged: list[list[float]] = []
    for bound, count in ordered:  # buckets with the same bound are summed
        if merged and merged[-1][0] == bound:
            merged[-1][1] += count
        else:
            merged.append([bound, count])
    for i in range(1, len(merged)):  # counts must not decrease
        if merged[i][1] < merged[i - 1][1]:
            merged[i][1] = merged[i - 1][1]
    if len(merged) < 2:
        return math.nan
    observations = merged[-1][1]
    if observations == 0:
        return math.nan
    rank = q * observations
    b = next((i for i in range(len(merged) - 1) if merged[i][1] >= rank), len(merged) - 1)
    if b == len(merged) - 1:
        return merged[-2][0]
    if b == 0 and merged[0][0] <= 0:
        return merged[0][0]
    start, end, count = 0.0, merged[b][0], merged[b][1]
    if b > 0:
        start = merged[b - 1][0]
        count -= merged[b - 1][1]
        rank -= merged[b - 1][1]
    return start + (end - start) * (rank / count)


def _parse_le(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


_SIMPLE: dict[str, Callable[[float], float]] = {
    "abs": abs,
    "ceil": lambda v: float(math.ceil(v)) if math.isfinite(v) else v,
    "floor": lambda v: float(math.floor(v)) if math.isfinite(v) else v,
    "exp": lambda v: math.exp(v) if v < 709 else math.inf,
    "sqrt": lambda v: math.sqrt(v) if v >= 0 else math.nan,
    "ln": lambda v: math.log(v) if v > 0 else (-math.inf if v == 0 else math.nan),
    "log2": lambda v: math.log2(v) if v > 0 else (-math.inf if v == 0 else math.nan),
    "log10": lambda v: math.log10(v) if v > 0 else (-math.inf if v == 0 else math.nan),
    "sgn": lambda v: float((v > 0) - (v < 0)) if not math.isnan(v) else v,
}
_COUNTER_RANGE = frozenset({"rate", "increase", "irate", "resets"})
_OVER_TIME = frozenset({"avg_over_time", "min_over_time", "max_over_time", "sum_over_time",
                        "count_over_time", "last_over_time", "present_over_time",
                        "stddev_over_time", "stdvar_over_time", "quantile_over_time"})


class Evaluator:
    """Evaluates expressions over a fixed set of series."""

    def __init__(self, series: Sequence[Series], *, lookback: float = LOOKBACK_SECONDS,
                 left_open: bool = False) -> None:
        self.lookback = lookback
        self.left_open = left_open
        self._by_name: dict[str, list[Series]] = {}
        for item in series:
            self._by_name.setdefault(item.name, []).append(item)

    # --- entry point -------------------------------------------------------------------------
    def evaluate(self, node: Any, t: float) -> Value:
        value = self._eval(node, t)
        if isinstance(value, float | list):
            return value
        raise EvalUnsupported("a range vector or string is not a rule result")

    def instant_vector(self, node: Any, t: float) -> Vector:
        value = self.evaluate(node, t)
        if not isinstance(value, list):
            raise EvalUnsupported("the expression returns a scalar, not series")
        seen: set[Labels] = set()
        for labels, _ in value:
            key = without_name(labels)
            if key in seen:
                raise EvalUnsupported("the result holds two series with the same labels")
            seen.add(key)
        return value

    # --- dispatch ------------------------------------------------------------------------------
    def _eval(self, node: Any, t: float) -> Any:
        kind = type(node)
        if kind is pp.ParenExpr:
            return self._eval(node.expr, t)
        if kind is pp.NumberLiteral:
            return float(node.val)
        if kind is pp.StringLiteral:
            return str(node.val)
        if kind is pp.VectorSelector:
            return self._instant(node, t)
        if kind is pp.MatrixSelector:
            return self._range(node, t)
        if kind is pp.UnaryExpr:
            inner = self._eval(node.expr, t)
            if isinstance(inner, float):
                return -inner
            if isinstance(inner, list):
                return [(without_name(labels), -value) for labels, value in inner]
            raise EvalUnsupported("unary minus on a range vector")
        if kind is pp.Call:
            return self._call(node, t)
        if kind is pp.AggregateExpr:
            return self._aggregate(node, t)
        if kind is pp.BinaryExpr:
            return self._binary(node, t)
        raise EvalUnsupported(f"{kind.__name__} (e.g. subqueries) is not modelled")

    # --- selectors -----------------------------------------------------------------------------
    def _select(self, node: Any) -> list[Series]:
        if getattr(node, "at", None) is not None:
            raise EvalUnsupported("the @ modifier is not modelled")
        name, matchers = selector_matchers(node)
        if name is None:
            raise EvalUnsupported("a selector without a metric name is not modelled")
        chosen = []
        for series in self._by_name.get(name, []):
            labels = dict(series.labels)
            if all(matcher_accepts(op, value, labels.get(label, ""))
                   for label, op, value in matchers):
                chosen.append(series)
        return chosen

    def _instant(self, node: Any, t: float) -> Vector:
        ref = t - _seconds(node.offset)
        out: Vector = []
        for series in self._select(node):
            i = bisect.bisect_right(series.times, ref) - 1
            if i < 0:
                continue
            age = ref - series.times[i]
            if age > self.lookback or (self.left_open and age == self.lookback):
                continue
            out.append((series.labels, series.values[i]))
        return out

    def _range(self, node: Any, t: float) -> _Matrix:
        selector = node.vector_selector
        end = t - _seconds(selector.offset)
        span = _seconds(node.range)
        start = end - span
        rows: list[tuple[Labels, list[float], list[float]]] = []
        for series in self._select(selector):
            lo = (bisect.bisect_right if self.left_open else bisect.bisect_left)(series.times, start)
            hi = bisect.bisect_right(series.times, end)
            if hi > lo:
                rows.append((series.labels, list(series.times[lo:hi]), list(series.values[lo:hi])))
        return _Matrix(rows, span, start, end, selector)

    # --- functions -----------------------------------------------------------------------------
    def _call(self, node: Any, t: float) -> Any:
        name: str = node.func.name
        args = list(node.args)
        if name == "time":
            return float(t)
        if name == "vector":
            value = self._scalar(args[0], t)
            return [((), value)]
        if name == "scalar":
            vector = self._vector(args[0], t)
            return vector[0][1] if len(vector) == 1 else math.nan
        if name in ("absent", "absent_over_time"):
            return self._absent(name, args[0], t)
        if name == "histogram_quantile":
            return self._histogram_quantile(self._scalar(args[0], t), self._vector(args[1], t))
        if name in _SIMPLE:
            fn = _SIMPLE[name]
            return [(without_name(labels), fn(value)) for labels, value in self._vector(args[0], t)]
        if name in ("clamp", "clamp_min", "clamp_max"):
            return self._clamp(name, args, t)
        if name == "round":
            step = self._scalar(args[1], t) if len(args) > 1 else 1.0
            return [(without_name(labels), math.floor(value / step + 0.5) * step)
                    for labels, value in self._vector(args[0], t)]
        if name == "predict_linear":
            matrix = self._matrix(args[0], t)
            horizon = self._scalar(args[1], t)
            out: Vector = []
            for labels, times, values in matrix.rows:
                if len(values) >= 2:
                    slope, intercept = _regression(times, values, t)
                    out.append((without_name(labels), intercept + slope * horizon))
            return out
        if name in _OVER_TIME:
            return self._over_time(name, args, t)
        if name in ("rate", "increase", "delta", "irate", "idelta", "changes", "resets", "deriv"):
            return self._range_function(name, self._matrix(args[0], t))
        raise EvalUnsupported(f"function {name}() is not modelled")

    def _clamp(self, name: str, args: list[Any], t: float) -> Vector:
        vector = self._vector(args[0], t)
        low, high = -math.inf, math.inf
        if name == "clamp":
            low, high = self._scalar(args[1], t), self._scalar(args[2], t)
            if low > high:
                return []
        elif name == "clamp_min":
            low = self._scalar(args[1], t)
        else:
            high = self._scalar(args[1], t)
        return [(without_name(labels), max(low, min(high, value))) for labels, value in vector]

    def _absent(self, name: str, arg: Any, t: float) -> Vector:
        inner = self._eval(arg, t)
        present = bool(inner.rows) if isinstance(inner, _Matrix) else bool(inner)
        if present:
            return []
        target = _strip(arg)
        if isinstance(target, pp.MatrixSelector):
            target = target.vector_selector
        labels: dict[str, str] = {}
        if isinstance(target, pp.VectorSelector):
            repeated: set[str] = set()
            for label, op, value in selector_matchers(target)[1]:
                if op != "=":
                    continue
                if label in labels:
                    repeated.add(label)
                labels[label] = value
            for label in repeated:
                labels.pop(label, None)
        return [(make_labels(labels), 1.0)]

    def _histogram_quantile(self, q: float, vector: Vector) -> Vector:
        groups: dict[Labels, list[tuple[float, float]]] = {}
        for labels, value in vector:
            mapping = dict(labels)
            bound = _parse_le(mapping.get("le", ""))
            if bound is None:
                continue
            key = tuple(item for item in labels if item[0] not in ("le", NAME))
            groups.setdefault(key, []).append((bound, value))
        return [(key, bucket_quantile(q, buckets)) for key, buckets in sorted(groups.items())]

    def _over_time(self, name: str, args: list[Any], t: float) -> Vector:
        q = self._scalar(args[0], t) if name == "quantile_over_time" else None
        matrix = self._matrix(args[-1], t)
        out: Vector = []
        for labels, _, values in matrix.rows:
            result: float
            if name == "avg_over_time":
                result = _kahan_free_mean(values)
            elif name == "min_over_time":
                result = min(values)
            elif name == "max_over_time":
                result = max(values)
            elif name == "sum_over_time":
                result = math.fsum(values)
            elif name == "count_over_time":
                result = float(len(values))
            elif name == "last_over_time":
                out.append((labels, values[-1]))  # the one *_over_time that keeps the name
                continue
            elif name == "present_over_time":
                result = 1.0
            elif name in ("stddev_over_time", "stdvar_over_time"):
                mean = _kahan_free_mean(values)
                var = math.fsum((v - mean) ** 2 for v in values) / len(values)
                result = math.sqrt(var) if name == "stddev_over_time" else var
            else:
                assert q is not None  # noqa: S101 - set above for quantile_over_time
                result = _quantile(q, values)
            out.append((without_name(labels), result))
        return out

    def _range_function(self, name: str, matrix: _Matrix) -> Vector:
        out: Vector = []
        for labels, times, values in matrix.rows:
            result: float | None
            if name in ("rate", "increase", "delta"):
                result = self._extrapolated(name, matrix, times, values)
            elif name in ("irate", "idelta"):
                result = None
                if len(values) >= 2:
                    last, previous = values[-1], values[-2]
                    diff = last - previous
                    if name == "irate":
                        if last < previous:
                            diff = last  # a counter reset
                        span = times[-1] - times[-2]
                        result = diff / span if span > 0 else None
                    else:
                        result = diff
            elif name == "changes":
                result = float(sum(1 for a, b in zip(values, values[1:], strict=False)
                                   if a != b and not (math.isnan(a) and math.isnan(b))))
            elif name == "resets":
                result = float(sum(1 for a, b in zip(values, values[1:], strict=False) if b < a))
            else:  # deriv
                result = _regression(times, values, times[0])[0] if len(values) >= 2 else None
            if result is not None:
                out.append((without_name(labels), result))
        return out

    @staticmethod
    def _extrapolated(name: str, matrix: _Matrix, times: list[float],
                      values: list[float]) -> float | None:
        if len(values) < 2:
            return None
        counter = name in ("rate", "increase")
        result = values[-1] - values[0]
        if counter:
            last = 0.0
            for value in values:
                if value < last:
                    result += last
                last = value
        to_start = times[0] - matrix.start
        to_end = matrix.end - times[-1]
        sampled = times[-1] - times[0]
        average = sampled / (len(values) - 1)
        if counter and result > 0 and values[0] >= 0:
            to_zero = sampled * (values[0] / result)
            to_start = min(to_start, to_zero)
        threshold = average * 1.1
        interval = sampled
        interval += to_start if to_start < threshold else average / 2
        interval += to_end if to_end < threshold else average / 2
        result = result * (interval / sampled)
        if name == "rate":
            result /= matrix.range_seconds
        return result

    # --- aggregations --------------------------------------------------------------------------
    def _aggregate(self, node: Any, t: float) -> Vector:
        op = str(node.op)
        vector = self._vector(node.expr, t)
        by: bool | None = None
        names: frozenset[str] = frozenset()
        if node.modifier is not None:
            by = str(node.modifier.type).endswith("By")
            names = frozenset(node.modifier.labels)

        def group_of(labels: Labels) -> Labels:
            if by is None:
                return ()
            if by:
                return tuple(item for item in labels if item[0] in names)
            return tuple(item for item in labels if item[0] not in names and item[0] != NAME)

        groups: dict[Labels, list[Sample]] = {}
        for sample in vector:
            groups.setdefault(group_of(sample[0]), []).append(sample)
        if op in ("topk", "bottomk"):
            k = int(self._scalar(node.param, t))
            out: Vector = []
            for members in groups.values():
                ranked = sorted(members, key=lambda s: s[1], reverse=op == "topk")
                out.extend(ranked[: max(k, 0)])
            return out
        param = self._scalar(node.param, t) if op == "quantile" else None
        result: Vector = []
        for key, members in sorted(groups.items()):
            values = [value for _, value in members]
            result.append((key, self._fold(op, values, param)))
        return result

    @staticmethod
    def _fold(op: str, values: list[float], param: float | None) -> float:
        if op == "sum":
            return math.fsum(values)
        if op == "avg":
            return _kahan_free_mean(values)
        if op == "count":
            return float(len(values))
        if op == "group":
            return 1.0
        numbers = [v for v in values if not math.isnan(v)]
        if op == "min":
            return min(numbers) if numbers else math.nan
        if op == "max":
            return max(numbers) if numbers else math.nan
        if op in ("stddev", "stdvar"):
            mean = _kahan_free_mean(values)
            var = math.fsum((v - mean) ** 2 for v in values) / len(values)
            return math.sqrt(var) if op == "stddev" else var
        if op == "quantile" and param is not None:
            return _quantile(param, values)
        raise EvalUnsupported(f"aggregation {op}() is not modelled")

    # --- binary operators ----------------------------------------------------------------------
    def _binary(self, node: Any, t: float) -> Any:
        op = str(node.op)
        modifier = node.modifier
        returns_bool = bool(modifier is not None and modifier.return_bool)
        fill = getattr(modifier, "fill_values", None)
        if fill is not None and (fill.lhs is not None or fill.rhs is not None):
            raise EvalUnsupported("fill() modifiers are not modelled")
        lhs = self._eval(node.lhs, t)
        rhs = self._eval(node.rhs, t)
        if isinstance(lhs, _Matrix | str) or isinstance(rhs, _Matrix | str):
            raise EvalUnsupported("binary operator on a range vector or string")
        if isinstance(lhs, float) and isinstance(rhs, float):
            if op in _COMPARISONS:
                return 1.0 if _compare(op, lhs, rhs) else 0.0
            return _arith(op, lhs, rhs)
        if op in _SET_OPS:
            if not isinstance(lhs, list) or not isinstance(rhs, list):
                raise EvalUnsupported("set operator with a scalar")
            return self._set_op(op, lhs, rhs, modifier)
        if isinstance(lhs, list) and isinstance(rhs, float):
            return self._vector_scalar(op, lhs, rhs, returns_bool, swapped=False)
        if isinstance(lhs, float) and isinstance(rhs, list):
            return self._vector_scalar(op, rhs, lhs, returns_bool, swapped=True)
        assert isinstance(lhs, list) and isinstance(rhs, list)  # noqa: S101 - narrowed above
        return self._vector_vector(op, lhs, rhs, modifier, returns_bool)

    @staticmethod
    def _vector_scalar(op: str, vector: Vector, scalar: float, returns_bool: bool, *,
                       swapped: bool) -> Vector:
        out: Vector = []
        for labels, value in vector:
            left, right = (scalar, value) if swapped else (value, scalar)
            if op in _COMPARISONS:
                keep = _compare(op, left, right)
                if returns_bool:
                    out.append((without_name(labels), 1.0 if keep else 0.0))
                elif keep:
                    out.append((labels, value))  # a filter keeps the series' own value
            else:
                out.append((without_name(labels), _arith(op, left, right)))
        return out

    @staticmethod
    def _signature(labels: Labels, on: bool, names: frozenset[str]) -> Labels:
        if on:
            return tuple(item for item in labels if item[0] in names)
        return tuple(item for item in labels if item[0] not in names and item[0] != NAME)

    def _matching(self, modifier: Any) -> tuple[bool, frozenset[str]]:
        if modifier is None or modifier.matching is None:
            return False, frozenset()
        on = str(modifier.matching.type).endswith("Include")
        return on, frozenset(modifier.matching.labels)

    def _set_op(self, op: str, lhs: Vector, rhs: Vector, modifier: Any) -> Vector:
        on, names = self._matching(modifier)
        if op == "and":
            right = {self._signature(labels, on, names) for labels, _ in rhs}
            return [s for s in lhs if self._signature(s[0], on, names) in right]
        if op == "unless":
            right = {self._signature(labels, on, names) for labels, _ in rhs}
            return [s for s in lhs if self._signature(s[0], on, names) not in right]
        left = {self._signature(labels, on, names) for labels, _ in lhs}
        return lhs + [s for s in rhs if self._signature(s[0], on, names) not in left]

    def _vector_vector(self, op: str, lhs: Vector, rhs: Vector, modifier: Any,
                       returns_bool: bool) -> Vector:
        on, names = self._matching(modifier)
        card = str(modifier.card) if modifier is not None else "OneToOne"
        include = tuple(modifier.group_labels or ()) if modifier is not None else ()
        one_to_one = card.endswith("OneToOne")
        swapped = card.endswith("OneToMany")
        many, one = (rhs, lhs) if swapped else (lhs, rhs)
        right: dict[Labels, Sample] = {}
        for sample in one:
            key = self._signature(sample[0], on, names)
            if key in right:
                raise EvalUnsupported("many-to-many matching: the expression would fail")
            right[key] = sample
        out: Vector = []
        matched: set[Labels] = set()
        produced: set[Labels] = set()
        for labels, value in many:
            key = self._signature(labels, on, names)
            partner = right.get(key)
            if partner is None:
                continue
            if one_to_one:
                if key in matched:
                    raise EvalUnsupported("multiple matches for one series: the expression would fail")
                matched.add(key)
            left_value, right_value = (partner[1], value) if swapped else (value, partner[1])
            if op in _COMPARISONS:
                keep = _compare(op, left_value, right_value)
                result = 1.0 if keep else 0.0
                if not returns_bool:
                    if not keep:
                        continue
                    result = left_value
            else:
                result = _arith(op, left_value, right_value)
            mapping = dict(labels)
            if op in _ARITHMETIC or returns_bool:
                mapping.pop(NAME, None)
            if one_to_one:
                if on:
                    mapping = {k: v for k, v in mapping.items() if k in names}
                else:
                    mapping = {k: v for k, v in mapping.items() if k not in names}
            partner_labels = dict(partner[0])
            for label in include:
                if partner_labels.get(label):
                    mapping[label] = partner_labels[label]
                else:
                    mapping.pop(label, None)
            result_labels = make_labels(mapping)
            if not one_to_one:
                if result_labels in produced:
                    raise EvalUnsupported("grouping labels do not make matches unique")
                produced.add(result_labels)
            out.append((result_labels, result))
        return out

    # --- helpers -------------------------------------------------------------------------------
    def _scalar(self, node: Any, t: float) -> float:
        value = self._eval(node, t)
        if not isinstance(value, float):
            raise EvalUnsupported("a scalar argument that is not a number")
        return value

    def _vector(self, node: Any, t: float) -> Vector:
        value = self._eval(node, t)
        if not isinstance(value, list):
            raise EvalUnsupported("an instant-vector argument that is not a vector")
        return value

    def _matrix(self, node: Any, t: float) -> _Matrix:
        value = self._eval(node, t)
        if not isinstance(value, _Matrix):
            raise EvalUnsupported("a range-vector argument that is not a range selector")
        return value


def _quantile(q: float, values: list[float]) -> float:
    if not values:
        return math.nan
    if q < 0:
        return -math.inf
    if q > 1:
        return math.inf
    ordered = sorted(values)
    rank = q * (len(ordered) - 1)
    lower = max(0, math.floor(rank))
    upper = min(len(ordered) - 1, lower + 1)
    weight = rank - math.floor(rank)
    return ordered[lower] * (1 - weight) + ordered[upper] * weight


__all__ = [
    "LOOKBACK_SECONDS",
    "NAME",
    "EvalUnsupported",
    "Evaluator",
    "Labels",
    "Series",
    "Vector",
    "bucket_quantile",
    "make_labels",
    "matcher_accepts",
    "selector_matchers",
    "without_name",
]
