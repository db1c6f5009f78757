"""Synthesised promtool unit tests for alerting rules (pure).

`synthesize(rule, catalog=..., scrape_interval=...)` reads the rule's PromQL AST and writes a
`promtool test rules` file that proves the rule fires when it should and stays quiet when it
should not:

1. Input series for every selector: labels that satisfy its matchers (a `code=~"5.."` selector
   gets a `code="500"` series, the selector without it also a `code="200"` one), the catalog's
   labels, and for a histogram bucket counters whose `le` bounds straddle the threshold.
2. Levels, solved numerically: one series (the *driver*) is varied while the others stay at a
   base level, and the small Prometheus evaluator in `monitorgen.core.promeval` finds the
   driver values that put the expression's value just beyond the threshold (x1.2) and just
   short of it (x0.8), then rounds them to short numbers that still do.
3. Cases, checked by simulating the alert states the way promtool will (rules evaluated every
   minute, `for`, `keep_firing_for`). The series sit at the quiet level, then move to the
   firing level; one promtool test checks *quiet* (no alert while the value is just short),
   *for* (no alert one evaluation before `for` has passed since the move) and *fires* (an
   alert once it has, with the series labels that survive the expression plus the rule's
   labels). promtool sets every test up from scratch, so one test instead of three saves
   most of its time; when the one-test layout is not robust, each case gets its own test.

Annotations are compared by promtool in full, so the tests run against a copy of the rule that
keeps only annotations whose text is certain (plain text and `$labels.x`); the others (`$value`
and the like) are left out of that copy and listed in `unchecked_annotations`.

A case is kept only when Prometheus 2.x and 3.x window rules agree on it. Anything the
evaluator does not model, or a shape no input makes fire, gives `Synthesis(None, reason)`:
never a test that might be wrong.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import promql_parser as pp

from monitorgen.core.catalog import Catalog, family_name_of
from monitorgen.core.durations import DurationError, format_duration_seconds, parse_duration_seconds
from monitorgen.core.explain import format_value
from monitorgen.core.promeval import (
    NAME,
    Evaluator,
    EvalUnsupported,
    Labels,
    Series,
    make_labels,
    matcher_accepts,
    selector_matchers,
    without_name,
)
from monitorgen.core.promql import SWAPPED_COMPARISON, parse_promql, template_label_refs
from monitorgen.core.rulefile import dump_yaml, render_rules
from monitorgen.core.spec import AlertingRule, AnyRule

RULE_FILE_NAME = "rule.yml"
TEST_GROUP = "unit-test"
EVALUATION_INTERVAL = 60.0  # promtool's default; every synthesised test says it explicitly
MAX_TIMELINE_SECONDS = 7 * 24 * 3600.0
# Fire 20% beyond the threshold and stay quiet 20% short of it, so that moving the threshold
# by more than that (or flipping the comparison) fails a test.
MARGIN = 0.2

_COMPARISONS = {">", ">=", "<", "<=", "==", "!="}
_RELATION = {">": "above", ">=": "at or above", "<": "below", "<=": "at or below",
             "==": "equal to", "!=": "not equal to"}
_COUNTER_FUNCTIONS = frozenset({"rate", "increase", "irate"})
_RAMP_FUNCTIONS = frozenset({"deriv", "predict_linear", "delta", "idelta"})
_GAUGE_RANGE_FUNCTIONS = frozenset({"avg_over_time", "min_over_time", "max_over_time",
                                    "sum_over_time", "last_over_time", "quantile_over_time",
                                    "stddev_over_time", "stdvar_over_time"})
_DEFAULT_VALUES = {"code": "200", "status_code": "200", "status": "200", "response_code": "200",
                   "http_code": "200", "http_status": "200", "grpc_code": "OK", "method": "GET",
                   "quantile": "0.99", "result": "success", "outcome": "success"}
_GAUGE_BASE = 100.0
_COUNTER_BASE = 1.0  # per second
_POSITIVE = (1e-6, 1e-4, 1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0, 1e3, 1e4, 1e6, 1e9, 1e12)
_GRIDS: dict[str, tuple[float, ...]] = {
    "gauge": (0.0, *_POSITIVE),
    "signed": (-1e6, -1e3, -100.0, -1.0, 0.0, *_POSITIVE),
    "counter": (0.0, *_POSITIVE[:-2]),
    "stream": (0.0, 1e-4, 1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0, 1e4),
    "ramp": tuple(sorted({-x for x in _POSITIVE[:-3]} | {0.0} | set(_POSITIVE[:-3]))),
    "timestamp": (-1e9, -1e7, -1e5, -1e4, -1e3, -100.0, 0.0, 100.0, 1e3, 1e4, 1e5, 1e7, 1e9),
    "flip": (0.0, 0.125, 0.25, 0.5, 1.0),
    "reset": (0.0, 0.125, 0.25, 0.5, 1.0),
}
_DISCRETE = frozenset({"flip", "reset"})


# --- results ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class InputSeries:
    series: str  # `metric{label="value"}`
    values: str  # promtool's expanding notation, e.g. `0+60x20`


@dataclass(frozen=True)
class ExpectedAlert:
    labels: tuple[tuple[str, str], ...]
    annotations: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class AlertCheck:
    eval_time: str
    alerts: tuple[ExpectedAlert, ...]


@dataclass(frozen=True)
class UnitTestCase:
    name: str  # what the case proves
    kind: str  # fires | quiet | for
    group: str  # the promtool test (`name:`) holding its checks; cases may share one
    input_series: tuple[InputSeries, ...]
    checks: tuple[AlertCheck, ...]

    @property
    def fires(self) -> bool:
        return bool(self.checks) and bool(self.checks[-1].alerts)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "fires": self.fires, "group": self.group,
                "eval_times": [c.eval_time for c in self.checks]}


@dataclass(frozen=True)
class UnitTestSuite:
    alert: str
    text: str  # the promtool test file (YAML), reading `rule_file_name`
    rule_file_name: str
    rule_text: str  # the rule file the tests run against
    cases: tuple[UnitTestCase, ...]
    checked_annotations: tuple[str, ...] = ()
    unchecked_annotations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Synthesis:
    suite: UnitTestSuite | None
    reason: str = ""  # why there is no suite


class _Skip(EvalUnsupported):
    """This rule gets no synthesised tests; the message says why."""


# --- numbers and series text ----------------------------------------------------------------------
def number_text(value: float) -> str:
    """A float as promtool reads it: positional notation, no exponent, no trailing `.0`."""
    if math.isnan(value) or math.isinf(value):
        raise _Skip("a series value would not be finite")
    text = format(Decimal(repr(float(f"{value:.12g}"))), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


_TOKEN_RE = re.compile(r"^(-?\d+(?:\.\d+)?)(?:([+-])(\d+(?:\.\d+)?))?x(\d+)$")


def expand_values(text: str) -> list[float | None]:
    """promtool's expanding notation as samples (None = missing), accumulating like promtool."""
    out: list[float | None] = []
    for part in text.split():
        if part == "_":
            out.append(None)
        elif part.startswith("_x"):
            out.extend([None] * int(part[2:]))
        else:
            match = _TOKEN_RE.match(part)
            if match is None:
                out.append(float(part))
                continue
            value = float(match[1])
            step = float(match[3]) if match[3] else 0.0
            if match[2] == "-":
                step = -step
            for _ in range(int(match[4]) + 1):
                out.append(value)
                value += step
    return out


def _segment(start: float, step: float, count: int) -> str:
    if count <= 0:
        return ""
    if count == 1:
        return number_text(start)
    if step == 0:
        return f"{number_text(start)}x{count - 1}"
    sign = "+" if step > 0 else "-"
    return f"{number_text(start)}{sign}{number_text(abs(step))}x{count - 1}"


def series_text(metric: str, labels: dict[str, str]) -> str:
    parts = [f'{k}="{_escape(v)}"' for k, v in sorted(labels.items()) if v != ""]
    return f"{metric}{{{', '.join(parts)}}}" if parts else metric


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


# --- templates ------------------------------------------------------------------------------------
_ACTION_RE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_LABEL_ACTION_RES = (
    re.compile(r"^\$labels\.([A-Za-z_][A-Za-z0-9_]*)$"),
    re.compile(r"^\.Labels\.([A-Za-z_][A-Za-z0-9_]*)$"),
    re.compile(r'^index \$labels "([A-Za-z_][A-Za-z0-9_]*)"$'),
)


def expand_template(text: str, labels: dict[str, str]) -> str | None:
    """The text Prometheus makes of a label/annotation template, when that is certain.

    Plain text and `$labels.x` lookups of labels the alert has are certain; anything else
    (`$value`, functions, conditionals, missing labels) gives None.
    """
    if "{{" not in text:
        return text
    failed = False

    def replace(match: re.Match[str]) -> str:
        nonlocal failed
        action = match[1].strip()
        for pattern in _LABEL_ACTION_RES:
            found = pattern.match(action)
            if found and found[1] in labels:
                return labels[found[1]]
        failed = True
        return ""

    expanded = _ACTION_RE.sub(replace, text)
    return None if failed or "{{" in expanded else expanded


# --- the plan of input series ---------------------------------------------------------------------
@dataclass
class _Knob:
    kind: str  # gauge | counter | stream | ramp | timestamp | flip | reset | presence
    base: float
    title: str  # series text, for messages


@dataclass
class _Plan:
    """One input series; its level is `offset + coef * level(knob)`."""

    metric: str
    labels: dict[str, str]
    kind: str
    knob: int
    offset: float = 0.0
    coef: float = 1.0

    @property
    def text(self) -> str:
        return series_text(self.metric, self.labels)


@dataclass
class _Usage:
    node: Any  # the VectorSelector
    kind: str
    range_seconds: float = 0.0
    offset_seconds: float = 0.0


@dataclass(frozen=True)
class _Phase:
    start: float  # seconds; the phase covers samples from here until the next phase
    levels: tuple[float, ...]  # per knob


@dataclass
class _Timeline:
    interval: float  # between input samples
    window: float  # longest range + offset
    hold: float  # for
    keep: float  # keep_firing_for
    warm: float = 0.0
    check: float = 0.0  # when the fires/quiet cases are checked
    switch: float = 0.0  # when the for case moves from quiet to firing levels
    horizon: float = 0.0

    def __post_init__(self) -> None:
        ei = EVALUATION_INTERVAL
        self.warm = _ceil(self.window + 2 * self.interval, ei)
        self.check = _ceil(self.warm + self.hold + ei, ei)
        self.switch = _ceil(self.warm + ei, ei)
        self.horizon = _ceil(self.switch + self.window + self.hold + self.keep + 4 * ei, ei)


def _ceil(value: float, step: float) -> float:
    return math.ceil(value / step - 1e-9) * step


class _Synthesizer:
    def __init__(self, rule: AlertingRule, catalog: Catalog | None, interval: float,
                 anchor: float = 1.0) -> None:
        self.rule = rule
        self.catalog = catalog
        self.interval = interval
        self.anchor = anchor  # where histogram buckets are placed (the threshold, in its unit)
        self.root = _strip(parse_promql(rule.expr))
        self.hold = _duration(rule.for_)
        self.keep = _duration(rule.keep_firing_for)
        self.value_node: Any = None
        self.op = ""
        self.threshold = 0.0
        self.knobs: list[_Knob] = []
        self.plans: list[_Plan] = []
        self.usages: list[_Usage] = []
        self.ramp_anchor = 0.0  # ramps pass _GAUGE_BASE at this time
        self.guard: Any = None  # Y of `X > 5 and Y` / `X > 5 unless Y`
        self.relation: tuple[Any, Any] | None = None  # (a, b) of `a > b`
        self._cache: dict[tuple[int, tuple[tuple[float, float], ...], int], tuple[str, Series]] = {}

    @property
    def has_streams(self) -> bool:
        return any(k.kind == "stream" for k in self.knobs)

    # --- shape --------------------------------------------------------------------------------
    def shape(self) -> str:
        root = self.root
        condition = root
        if isinstance(root, pp.BinaryExpr) and str(root.op) in ("and", "unless"):
            # `X > 5 and Y` / `X > 5 unless Y`: X's value decides; Y must let it through.
            condition = _strip(root.lhs)
            self.guard = root.rhs
            if not (isinstance(condition, pp.BinaryExpr) and str(condition.op) in _COMPARISONS):
                raise _Skip(f"the left side of `{root.op}` is not a comparison")
        if isinstance(condition, pp.BinaryExpr) and str(condition.op) in _COMPARISONS:
            if condition.modifier is not None and condition.modifier.return_bool:
                raise _Skip("the top-level comparison uses `bool`, so the alert would always fire")
            op = str(condition.op)
            right, left = _literal(condition.rhs), _literal(condition.lhs)
            if right is not None and left is None:
                self.value_node, self.op, self.threshold = condition.lhs, op, right
            elif left is not None and right is None:
                self.value_node, self.op, self.threshold = condition.rhs, SWAPPED_COMPARISON[op], left
            elif left is None and right is None:
                # `a != b`, `a < b * 0.9`: the same as `(a - b) != 0` with the same matching,
                # which gives one value to solve for.
                whole, lhs, rhs = str(condition), str(condition.lhs), str(condition.rhs)
                matching = whole[len(lhs):len(whole) - len(rhs)].strip()[len(op):].strip()
                try:
                    self.value_node = parse_promql(f"({lhs}) - {matching} ({rhs})")
                except (ValueError, RuntimeError):
                    raise _Skip("the comparison of two series could not be restated") from None
                self.op, self.threshold = op, 0.0
                self.relation = (condition.lhs, condition.rhs)
            else:
                raise _Skip("the top-level comparison is between two numbers")
            return "threshold"
        if isinstance(root, pp.Call) and root.func.name in ("absent", "absent_over_time"):
            return "absent"
        raise _Skip("the expression is not a comparison, or absent(), at the top level "
                    "(e.g. `x or y`); tests for that shape are not synthesised yet")

    # --- input series ---------------------------------------------------------------------------
    def build_plans(self) -> None:
        self.usages = _usages(self.root)
        if not self.usages:
            raise _Skip("the expression selects no series")
        grouping = _grouping_labels(self.root)
        templates: set[str] = set()
        for text in (*self.rule.labels.values(), *self.rule.annotations.values()):
            templates |= template_label_refs(text)
        by_metric: dict[str, list[_Usage]] = {}
        for usage in self.usages:
            name, _ = selector_matchers(usage.node)
            if name is None:
                raise _Skip("a selector has no metric name")
            by_metric.setdefault(name, []).append(usage)
        for metric, items in by_metric.items():
            kinds = {u.kind for u in items}
            if len(kinds) > 1:
                raise _Skip(f"{metric} is used in two ways ({', '.join(sorted(kinds))})")
        streams = _stream_families(by_metric)
        extra = (grouping | templates) - {"le", NAME}
        done: set[str] = set()
        for metric, items in by_metric.items():
            if metric in done:
                continue
            family = streams.get(metric)
            if family is not None:
                members = {m: by_metric[m] for m in by_metric if streams.get(m) == family}
                self._stream_plans(family, members, extra)
                done.update(members)
            else:
                self._plain_plans(metric, items, extra)
                done.add(metric)

    def _universe(self, metric: str, usages: list[_Usage], extra: set[str]) -> list[str]:
        names = {"job", "instance"} | set(extra)
        if self.catalog is not None:
            family = self.catalog.family(metric)
            if family is not None:
                names |= set(family.label_names_for(metric))
        for usage in usages:
            names |= {label for label, _, _ in selector_matchers(usage.node)[1]}
        return sorted(names - {"le", NAME})

    def _variants(self, metric: str, usages: list[_Usage], extra: set[str]) -> list[dict[str, str]]:
        universe = self._universe(metric, usages, extra)
        matchers = [[m for m in selector_matchers(u.node)[1] if m[0] != "le"] for u in usages]
        variants: list[dict[str, str]] = []
        for index, own in enumerate(matchers):
            labels: dict[str, str] = {}
            for label in universe:
                mine = [(op, value) for name, op, value in own if name == label]
                others = [(op, value) for j, other in enumerate(matchers) if j != index
                          for name, op, value in other if name == label]
                labels[label] = self._label_value(metric, label, mine, others)
            labels = {k: v for k, v in labels.items() if v != ""}
            if labels not in variants:
                variants.append(labels)
        return variants

    def _label_value(self, metric: str, label: str, mine: list[tuple[str, str]],
                     others: list[tuple[str, str]]) -> str:
        candidates: list[str] = [value for op, value in mine if op == "="]
        for op, value in mine:
            if op == "=~":
                candidates.extend(regex_examples(value))
        if self.catalog is not None:
            family = self.catalog.family(metric)
            if family is not None:
                candidates.extend(family.label_values.get(label, ()))
        candidates.extend([_DEFAULT_VALUES.get(label, f"{label}-1"), f"{label}-2", "other", ""])
        fitting = [c for c in candidates if all(matcher_accepts(op, v, c) for op, v in mine)]
        if not fitting:
            raise _Skip(f"no value of label {label} of {metric} satisfies its matchers")
        if not mine and others:
            # An unconstrained label takes a value the other selectors reject, so that the
            # selectors see different series (the error ratio's `code="200"` series).
            for value in fitting:
                if value and any(not matcher_accepts(op, v, value) for op, v in others):
                    return value
        if not mine:
            return next((value for value in fitting if value), fitting[0])
        return fitting[0]

    def _plain_plans(self, metric: str, usages: list[_Usage], extra: set[str]) -> None:
        kind = usages[0].kind
        base = {"counter": _COUNTER_BASE, "reset": 0.0, "flip": 0.0, "presence": 1.0,
                "ramp": 0.0, "timestamp": 0.0}.get(kind, _GAUGE_BASE)
        for labels in self._variants(metric, usages, extra):
            self.knobs.append(_Knob(kind, base, series_text(metric, labels)))
            self.plans.append(_Plan(metric, labels, kind, len(self.knobs) - 1))

    def _stream_plans(self, family: str, members: dict[str, list[_Usage]], extra: set[str]) -> None:
        """Histogram series made from two streams of observations: a fast one at a fixed rate
        below the anchor, and a slow one (the knob) above it."""
        usages = [u for items in members.values() for u in items]
        if any(u.kind != "counter" for u in usages):
            raise _Skip(f"histogram {family} is read without rate() or increase()")
        bounds: set[float] = {self.anchor / 2, self.anchor * 4}
        for u in usages:
            for label, op, value in selector_matchers(u.node)[1]:
                if label == "le":
                    number = _float(value) if op == "=" else None
                    if number is None or number <= 0 or math.isinf(number):
                        raise _Skip("a histogram selector matches `le` in a way not modelled")
                    bounds.add(number)
        finite = sorted(_round12(b) for b in bounds if b > 0)
        fast, slow = finite[0] / 2, (finite[-2] + finite[-1]) / 2
        for labels in self._variants(family, usages, extra):
            self.knobs.append(_Knob("stream", 0.0, f"slow observations of {family}"))
            knob = len(self.knobs) - 1
            for metric in sorted(members):
                if metric.endswith("_bucket"):
                    for bound in [*finite, math.inf]:
                        le = "+Inf" if math.isinf(bound) else number_text(bound)
                        self.plans.append(_Plan(metric, {**labels, "le": le}, "counter", knob,
                                                offset=_COUNTER_BASE * (fast <= bound),
                                                coef=float(slow <= bound)))
                elif metric.endswith("_sum"):
                    self.plans.append(_Plan(metric, dict(labels), "counter", knob,
                                            offset=_COUNTER_BASE * fast, coef=slow))
                else:
                    self.plans.append(_Plan(metric, dict(labels), "counter", knob,
                                            offset=_COUNTER_BASE, coef=1.0))

    def scale_guard(self, scale: float) -> None:
        """Multiply the base level of the series the guard reads."""
        if self.guard is None or scale == 1.0:
            return
        names = _selector_names(self.guard)
        for plan in self.plans:
            if plan.metric in names:
                self.knobs[plan.knob].base *= scale

    def add_decoys(self) -> None:
        """For absent(): a series of the same metric that misses one `=` matcher, present all
        along, shows the alert looks at the right series."""
        for plan in list(self.plans):
            usage = next(u for u in self.usages if selector_matchers(u.node)[0] == plan.metric)
            equal = [(label, value) for label, op, value in selector_matchers(usage.node)[1]
                     if op == "=" and value]
            if not equal:
                continue
            label, value = equal[0]
            self.knobs.append(_Knob("presence", 1.0, "decoy"))
            self.plans.append(_Plan(plan.metric, {**plan.labels, label: value + "-other"},
                                    "presence", len(self.knobs) - 1))

    # --- series data ------------------------------------------------------------------------
    def series(self, phases: Sequence[_Phase], end: float) -> tuple[list[Series], list[InputSeries]]:
        """Samples (for the evaluator) and promtool text of every plan over [0, end]."""
        data: list[Series] = []
        texts: list[InputSeries] = []
        count = int(round(end / self.interval)) + 1
        for index, plan in enumerate(self.plans):
            key = (index, tuple((p.start, p.levels[plan.knob]) for p in phases), count)
            cached = self._cache.get(key)
            if cached is None:
                values = self._values_text(plan, phases, count)
                samples = expand_values(values)
                times = tuple(i * self.interval for i, v in enumerate(samples) if v is not None)
                numbers = tuple(v for v in samples if v is not None)
                cached = (values, Series(make_labels({**plan.labels, NAME: plan.metric}),
                                         times, numbers))
                self._cache[key] = cached
            if cached[1].times:  # a series missing throughout needs no line in the test
                texts.append(InputSeries(plan.text, cached[0]))
            data.append(cached[1])
        return data, texts

    def _values_text(self, plan: _Plan, phases: Sequence[_Phase], count: int) -> str:
        parts: list[str] = []
        last: float | None = None
        step = self.interval
        for index, phase in enumerate(phases):
            first = int(round(phase.start / step))
            stop = count if index + 1 == len(phases) else int(round(phases[index + 1].start / step))
            stop = min(stop, count)
            n = stop - first
            if n <= 0:
                continue
            level = plan.offset + plan.coef * phase.levels[plan.knob]
            kind = plan.kind
            if kind == "gauge":
                parts.append(_segment(level, 0.0, n))
            elif kind == "presence":
                parts.append(_segment(1.0, 0.0, n) if level > 0 else ("_" if n == 1 else f"_x{n}"))
            elif kind in ("counter", "ramp"):
                if kind == "counter" and level < 0:
                    raise _Skip("a counter would have to decrease")
                inc = _round12(level * step)
                if last is not None:
                    start = _round12(last + inc)
                elif kind == "ramp":  # passes _GAUGE_BASE at ramp_anchor
                    start = _round12(_GAUGE_BASE - level * (self.ramp_anchor - first * step))
                else:
                    start = 0.0
                parts.append(_segment(start, inc, n))
                last = _round12(start + inc * (n - 1))
            elif kind == "timestamp":
                # A timestamp that keeps up with time, `level` seconds behind it.
                parts.append(_segment(_round12(first * step - level), step, n))
            elif kind == "flip":
                parts.extend(_runs([float(int(i * level) % 2) for i in range(first, stop)]))
            else:  # reset: a counter that restarts from zero every 1/level samples
                period = max(1, int(round(1 / level))) if level > 0 else 0
                inc = _round12(_COUNTER_BASE * step)
                values = [_round12(inc * ((i % period) if period else i)) for i in range(first, stop)]
                parts.extend(_arith_runs(values))
        return " ".join(p for p in parts if p)

    # --- evaluation ---------------------------------------------------------------------------
    def value_at(self, levels: tuple[float, ...], t: float) -> float | None:
        """The single value of the compared expression with every knob steady at `levels`."""
        data, _ = self.series([_Phase(0.0, levels)], t)
        vector = Evaluator(data).evaluate(self.value_node, t)
        if not isinstance(vector, list):
            raise _Skip("the compared value is a scalar, not series")
        if len(vector) != 1 or math.isnan(vector[0][1]):
            return None
        return vector[0][1]

    def fires(self, value: float) -> bool:
        return _compare(self.op, value, self.threshold)

    def present(self, data: list[Series], t: float, left_open: bool
                ) -> tuple[dict[Labels, Labels], frozenset[Labels]]:
        """The series the alert expression returns at t (labels without → with __name__), and
        the series whose value is so close to the threshold that float details could decide."""
        evaluator = Evaluator(data, left_open=left_open)
        if self.value_node is None:
            vector = evaluator.instant_vector(self.root, t)
            return {without_name(labels): labels for labels, _ in vector}, frozenset()
        value = evaluator.evaluate(self.value_node, t)
        if not isinstance(value, list):
            raise _Skip("the compared value is a scalar, not series")
        found: dict[Labels, Labels] = {}
        shaky: set[Labels] = set()
        for labels, number in value:
            key = without_name(labels)
            gap = abs(number - self.threshold)
            if 0 < gap <= 1e-9 * max(1.0, abs(self.threshold)) or (
                gap == 0 and not _integral(self.threshold)
            ):
                shaky.add(key)
            if self.fires(number):
                if key in found:
                    raise _Skip("the result holds two series with the same labels")
                found[key] = labels
        if self.guard is not None:
            # The guard decides too: what the whole expression returns is what alerts.
            vector = evaluator.instant_vector(self.root, t)
            found = {without_name(labels): labels for labels, _ in vector}
        return found, frozenset(shaky)

    def simulate(self, data: list[Series], start: float, end: float,
                 until: Callable[[dict[float, _Step], float], bool] | None = None,
                 ) -> dict[float, _Step]:
        """Per evaluation time from `start` to `end` (or until `until(steps, t)` says so): the
        result series and firing alerts under Prometheus 2.x window rules and under 3.x ones."""
        states: tuple[dict[Labels, list[Any]], dict[Labels, list[Any]]] = ({}, {})
        out: dict[float, _Step] = {}
        t = start
        while t <= end + 1e-6:
            firing: list[frozenset[Labels]] = []
            present: list[dict[Labels, Labels]] = []
            shaky: set[Labels] = set()
            for left_open, state in zip((False, True), states, strict=True):
                found, unsure = self.present(data, t, left_open)
                shaky |= unsure
                present.append(found)
                _step(state, set(found), t, self.hold, self.keep)
                firing.append(frozenset(k for k, a in state.items() if a[1] == "firing"))
            out[t] = _Step(firing[0], firing[1], present[0], frozenset(present[1]),
                           frozenset(shaky))
            if until is not None and until(out, t):
                break
            t = round(t + EVALUATION_INTERVAL, 6)
        return out

    def sim_start(self, check: float) -> float:
        if self.keep > 0:
            return 0.0  # kept alerts depend on older history
        # With no keep_firing_for, the state at `check` depends only on the last `for`.
        return max(0.0, _floor(check - self.hold, EVALUATION_INTERVAL) - 2 * EVALUATION_INTERVAL)

    def robust(self, sim: dict[float, _Step], check: float) -> bool:
        """Whether both Prometheus generations, and any float rounding, give the alerts that
        the simulation gives at `check`."""
        step = sim[check]
        if step.firing != step.firing_new:
            return False
        if self.keep > 0:
            # Kept alerts depend on a longer history: ask for certainty over all of it.
            return not any(other.shaky for t, other in sim.items()
                           if check - self.hold - self.keep - EVALUATION_INTERVAL <= t <= check)
        # Without keep_firing_for an alert fires at `check` exactly when its series was
        # returned at every evaluation of the last `for`.
        # (Evaluations start at 0: before that there is nothing to remember.)
        first = max(0.0, _floor(check - self.hold, EVALUATION_INTERVAL))
        window = [other for t, other in sim.items() if first - 1e-6 <= t <= check]
        if not window or min(sim) > first + 1e-6:
            return False
        for labels in step.firing:
            if not all(labels in w.present and labels in w.present_new and labels not in w.shaky
                       for w in window):
                return False
        # Any series that might be returned must be certainly missing once in the window.
        candidates: set[Labels] = set()
        for w in window:
            candidates |= set(w.present) | w.present_new | w.shaky
        for labels in candidates - step.firing:
            if not any(labels not in w.present and labels not in w.present_new
                       and labels not in w.shaky for w in window):
                return False
        return True


@dataclass(frozen=True)
class _Step:
    firing: frozenset[Labels]  # alerts firing here, under Prometheus 2.x window rules
    firing_new: frozenset[Labels]  # ... under 3.x window rules (left-open ranges)
    present: dict[Labels, Labels]  # result series (2.x): labels without → with __name__
    present_new: frozenset[Labels]  # result series (3.x)
    shaky: frozenset[Labels]  # series whose value sits on the threshold, up to float details


@dataclass(frozen=True)
class _Draft:
    kind: str
    name: str
    group: str
    texts: tuple[InputSeries, ...]
    checks: tuple[tuple[float, _Step], ...]


def _floor(value: float, step: float) -> float:
    return math.floor(value / step + 1e-9) * step


def _with(levels: tuple[float, ...], index: int, value: float) -> tuple[float, ...]:
    return (*levels[:index], value, *levels[index + 1:])


# --- solving for levels ---------------------------------------------------------------------------
def _delta(s: _Synthesizer) -> float:
    c = s.threshold
    if s.op in ("==", "!=") and _integral(c) and abs(c) < 1e6:
        return 1.0
    return MARGIN * abs(c) if c != 0 else 1.0


def _target(s: _Synthesizer, low: float, high: float, want_fire: bool) -> float | None:
    """The value to aim at: just beyond the threshold to fire, just short of it to stay quiet,
    pulled in when the expression cannot reach that far (a ratio tops out at 1)."""
    c, op, delta = s.threshold, s.op, _delta(s)
    if op in ("==", "!="):
        if (op == "==") == want_fire:
            return c if low <= c <= high else None
        for y in (c + delta, c - delta):
            if low <= y <= high:
                return y
        return (c + high) / 2 if high > c else ((c + low) / 2 if low < c else None)
    up = (op in (">", ">=")) == want_fire
    sign = 1.0 if up else -1.0
    reach = high if up else low
    wanted = c + sign * delta
    if (reach - wanted) * sign >= 0:
        return wanted
    if (reach - c) * sign > 0:
        return (c + reach) / 2
    boundary_ok = (op in (">", "<") and not want_fire) or (op in (">=", "<=") and want_fire)
    return c if reach == c and boundary_ok else None


def _exact_levels(s: _Synthesizer, levels: tuple[float, ...]) -> bool:
    # Integers add, multiply and divide exactly in every Prometheus version; anything else may
    # differ in the last bit, which decides a value sitting exactly on the threshold.
    return _integral(s.interval) and all(_integral(level) for level in levels) and all(
        _integral(p.offset) and _integral(p.coef) for p in s.plans)


def _acceptable(s: _Synthesizer, levels: tuple[float, ...], value: float, target: float,
                want_fire: bool, discrete: bool = False, loose: bool = False) -> bool:
    c = s.threshold
    if not math.isfinite(value) or s.fires(value) != want_fire:
        return False
    if value == c or target == c:
        return value == target and _integral(c) and _exact_levels(s, levels)
    gap, want = abs(value - c), abs(target - c)
    if gap <= 1e-6 * max(1.0, abs(c)):
        return False
    if loose:
        return True
    if discrete:
        # Counts of changes or resets come in whole steps and move by one as the window
        # slides over the pattern: keep two steps away so the count stays on its side.
        return gap >= 2 or (gap >= 1 and s.threshold == int(s.threshold) and not want_fire)
    return 0.5 * want <= gap <= 2.0 * want


def _nice(value: float) -> list[float]:
    """Short numbers near `value`, shortest first (1 significant digit, then 2, ...)."""
    if value == 0:
        return [0.0]
    out: list[float] = []
    exponent = math.floor(math.log10(abs(value)))
    for digits in range(1, 7):
        quantum = 10.0 ** (exponent - digits + 1)
        whole = round(value / quantum)
        for k in (whole, whole - 1, whole + 1):
            candidate = _round12(k * quantum)
            if candidate not in out:
                out.append(candidate)
    out.append(value)
    return out


def _illinois(f: Callable[[float], float | None], a: float, fa: float, b: float, fb: float,
              tolerance: float) -> float:
    """A root of f between a and b (f(a), f(b) of opposite signs): regula falsi, Illinois."""
    side = 0
    c = a
    for _ in range(60):
        c = (a * fb - b * fa) / (fb - fa) if fb != fa else (a + b) / 2
        fc = f(c)
        if fc is None:
            c = (a + b) / 2
            fc = f(c)
            if fc is None:
                return c
        if abs(fc) <= tolerance:
            return c
        if fc * fb > 0:
            b, fb = c, fc
            if side == -1:
                fa /= 2
            side = -1
        else:
            a, fa = c, fc
            if side == 1:
                fb /= 2
            side = 1
    return c


def _pick(s: _Synthesizer, driver: int, points: list[tuple[float, float]], base: tuple[float, ...],
          t: float, want_fire: bool) -> tuple[tuple[float, ...], float] | None:
    values = [v for _, v in points]
    target = _target(s, min(values), max(values), want_fire)
    if target is None:
        return None
    best: tuple[tuple[float, ...], float] | None = None
    for d, v in points:
        levels = _with(base, driver, d)
        if _acceptable(s, levels, v, target, want_fire, s.knobs[driver].kind in _DISCRETE) and (
            best is None or abs(v - target) < abs(best[1] - target)
        ):
            best = (levels, v)
    if best is not None and (best[1] == target or s.knobs[driver].kind in _DISCRETE):
        return best
    if s.knobs[driver].kind in _DISCRETE:
        return best

    def gap(d: float) -> float | None:
        value = s.value_at(_with(base, driver, d), t)
        return None if value is None else value - target

    tolerance = 0.05 * abs(target - s.threshold)
    for (d1, v1), (d2, v2) in zip(points, points[1:], strict=False):
        if (v1 - target) * (v2 - target) > 0 or v1 == v2:
            continue
        root = _illinois(gap, d1, v1 - target, d2, v2 - target, tolerance)
        for candidate in _nice(root):
            if not min(d1, d2) <= candidate <= max(d1, d2):
                continue
            levels = _with(base, driver, candidate)
            value = s.value_at(levels, t)
            if value is not None and _acceptable(s, levels, value, target, want_fire):
                return levels, value
    if best is None:
        # Nothing near the threshold (`count(x == 0) / count(x)` of one series is 0 or 1):
        # the nearest value on the right side still makes a true test, if a looser one.
        usable = [(d, v) for d, v in points
                  if _acceptable(s, _with(base, driver, d), v, target, want_fire, loose=True)]
        if usable:
            d, v = min(usable, key=lambda p: abs(p[1] - target))
            return _with(base, driver, d), v
    return best


def _solve(s: _Synthesizer, t: float
           ) -> tuple[tuple[float, ...], float, tuple[float, ...], float | None]:
    """Knob levels (and the value they give at t) to fire, and to stay quiet (the value is None
    when quiet means the value is missing)."""
    base = tuple(k.base for k in s.knobs)
    # Gauges are tried with non-negative values first (bytes, counts), then signed ones.
    attempts = [(i, k.kind) for i, k in enumerate(s.knobs)]
    attempts += [(i, "signed") for i, k in enumerate(s.knobs) if k.kind == "gauge"]
    c, delta = s.threshold, _delta(s)
    for driver, kind in attempts:
        points: list[tuple[float, float]] = []
        grid = _GRIDS[kind]
        if kind in ("gauge", "signed"):
            # A gauge compared as it is reaches the threshold itself (`state == 2`).
            near = {c, c - delta, c + delta}
            grid = tuple(sorted(set(grid) | {x for x in near if kind == "signed" or x >= 0}))
        for d in grid:
            value = s.value_at(_with(base, driver, d), t)
            if value is not None and math.isfinite(value):
                points.append((d, value))
        if not points:
            continue
        fire = _pick(s, driver, points, base, t, want_fire=True)
        quiet = _pick(s, driver, points, base, t, want_fire=False) if fire else None
        if fire is not None and quiet is not None:
            return fire[0], fire[1], quiet[0], quiet[1]
        if fire is not None:
            # `count(up == 0) > 0` is quiet because its value is missing, not small.
            missing = next((d for d in grid if s.value_at(_with(base, driver, d), t) is None), None)
            if missing is not None:
                return fire[0], fire[1], _with(base, driver, missing), None
    raise _Skip("no input level makes the value cross its threshold "
                f"{s.op} {number_text(s.threshold)} in both directions")


# --- cases ----------------------------------------------------------------------------------------
def _steady(s: _Synthesizer, tl: _Timeline, levels: tuple[float, ...], kind: str,
            name: str, *, need_value: bool = True) -> _Draft | None:
    data, texts = s.series([_Phase(0.0, levels)], tl.check)
    sim = s.simulate(data, s.sim_start(tl.check), tl.check)
    step = sim[tl.check]
    if not s.robust(sim, tl.check) or (kind == "fires") != bool(step.firing):
        return None
    if (kind == "quiet" and need_value and s.value_node is not None
            and not _value_present(s, data, tl.check)):
        return None  # quiet only because the value is missing would prove nothing
    return _Draft(kind, name, name, tuple(texts), ((tl.check, step),))


def _value_present(s: _Synthesizer, data: list[Series], t: float) -> bool:
    value = Evaluator(data).evaluate(s.value_node, t)
    return isinstance(value, list) and any(math.isfinite(v) for _, v in value)


def _delayed(s: _Synthesizer, tl: _Timeline, quiet: tuple[float, ...], fire: tuple[float, ...],
             name: str) -> _Draft | None:
    """Quiet levels, then firing levels from tl.switch: no alert before `for` has passed."""
    if s.hold < EVALUATION_INTERVAL:
        return None
    for shift in (0.0, EVALUATION_INTERVAL, 2 * EVALUATION_INTERVAL):
        # A value passing the threshold exactly at an evaluation makes its timing uncertain;
        # moving the switch by a minute avoids the coincidence.
        switch, horizon = tl.switch + shift, tl.horizon + shift
        data, texts = s.series([_Phase(0.0, quiet), _Phase(switch, fire)], horizon)
        start = 0.0 if s.keep > 0 else max(
            0.0, _floor(switch - s.hold, EVALUATION_INTERVAL) - 3 * EVALUATION_INTERVAL)

        def fired(steps: dict[float, _Step], t: float, at: float = switch) -> bool:
            return t >= at and bool(steps[t].firing) and s.robust(steps, t)

        sim = s.simulate(data, start, horizon, until=fired)
        times = sorted(sim)
        late = next((t for t in times if t >= switch and sim[t].firing and s.robust(sim, t)), None)
        early = next((t for t in reversed(times) if late is not None and switch <= t < late
                      and not sim[t].firing and s.robust(sim, t)), None)
        if late is not None and early is not None:
            return _Draft("for", name, name, tuple(texts), ((early, sim[early]), (late, sim[late])))
    return None


def _combined(s: _Synthesizer, tl: _Timeline, quiet: tuple[float, ...], fire: tuple[float, ...],
              names: dict[str, str], *, need_value: bool = True) -> list[_Draft] | None:
    """All three cases in ONE promtool test (promtool sets each test up from scratch, which is
    most of its time): quiet levels first, checked just before the switch; firing levels from
    the switch on, with no alert one evaluation before `for` has passed and an alert once it
    has."""
    for shift in (0.0, EVALUATION_INTERVAL, 2 * EVALUATION_INTERVAL):
        # A value passing the threshold exactly at an evaluation makes its timing uncertain;
        # moving the switch by a minute avoids the coincidence.
        switch, horizon = tl.switch + shift, tl.horizon + shift
        quiet_at = switch - EVALUATION_INTERVAL
        data, texts = s.series([_Phase(0.0, quiet), _Phase(switch, fire)], horizon)
        start = 0.0 if s.keep > 0 else max(
            0.0, _floor(quiet_at - s.hold, EVALUATION_INTERVAL) - 2 * EVALUATION_INTERVAL)

        def fired(steps: dict[float, _Step], t: float, at: float = switch) -> bool:
            return t >= at and bool(steps[t].firing) and s.robust(steps, t)

        sim = s.simulate(data, start, horizon, until=fired)
        calm = sim.get(round(quiet_at, 6))
        if calm is None or calm.firing or not s.robust(sim, quiet_at):
            continue
        if need_value and s.value_node is not None and not _value_present(s, data, quiet_at):
            continue  # quiet only because the value is missing would prove nothing
        times = sorted(sim)
        late = next((t for t in times if fired(sim, t)), None)
        early = next((t for t in reversed(times) if late is not None and switch <= t < late
                      and not sim[t].firing and s.robust(sim, t)), None)
        if late is None or (s.hold >= EVALUATION_INTERVAL and early is None):
            continue
        cases = [("fires", late), ("quiet", quiet_at)]
        if s.hold >= EVALUATION_INTERVAL and early is not None:
            cases.append(("for", early))
        group = "; ".join(names[kind] for kind, _ in sorted(cases, key=lambda c: c[1]))
        return [_Draft(kind, names[kind], group, tuple(texts), ((t, sim[t]),)) for kind, t in cases]
    return None


def _timeline(s: _Synthesizer) -> _Timeline:
    window = max((u.range_seconds + u.offset_seconds for u in s.usages), default=0.0)
    if any(k.kind == "presence" for k in s.knobs):
        window += 300.0  # a missing series stays visible for the lookback delta
    tl = _Timeline(s.interval, window, s.hold, s.keep)
    if tl.horizon > MAX_TIMELINE_SECONDS:
        raise _Skip("the rule's windows and `for` span more than a week of test data")
    if tl.horizon / s.interval > 20000:
        raise _Skip("the test would need more than 20000 samples per series")
    return tl


def _threshold_drafts(s: _Synthesizer) -> list[_Draft]:
    tl = _timeline(s)
    s.ramp_anchor = tl.check
    fire_draft: _Draft | None = None
    solved: tuple[tuple[float, ...], float, tuple[float, ...], float | None] | None = None
    for when in dict.fromkeys((tl.check, tl.check - s.hold)):
        # Values that change with time (age, predictions) are solved where they are weakest:
        # at the check time first, then at the start of the `for` window.
        solved = _solve(s, when)
        fire_draft = _steady(s, tl, solved[0], "fires", _names(s, solved, tl.check)["fires"])
        if fire_draft is not None:
            break
    if fire_draft is None or solved is None:
        raise _Skip("the alert does not fire in a simulation of its own condition")
    fire_levels, _, quiet_levels, quiet_value = solved
    names = _names(s, solved, tl.check)
    combined = _combined(s, tl, quiet_levels, fire_levels, names,
                         need_value=quiet_value is not None)
    if combined is not None:
        return combined
    drafts = [fire_draft]
    quiet = _steady(s, tl, quiet_levels, "quiet", names["quiet"], need_value=quiet_value is not None)
    if quiet is None:
        raise _Skip("the alert does not stay quiet in a simulation just short of its threshold")
    drafts.append(quiet)
    delayed = _delayed(s, tl, quiet_levels, fire_levels, names["for"])
    if delayed is not None:
        drafts.append(delayed)
    return drafts


def _names(s: _Synthesizer, solved: tuple[tuple[float, ...], float, tuple[float, ...], float | None],
           t: float) -> dict[str, str]:
    """What each case proves, in words and in the value's unit."""
    fire_levels, fire_value, quiet_levels, quiet_value = solved
    hold = format_duration_seconds(s.hold)
    during = f" for {hold}" if s.hold else ""
    relation = _RELATION[s.op]
    if s.relation is not None:
        left, right = s.relation
        been = "different from" if s.op == "!=" else relation
        return {
            "fires": f"fires when {_sides(s, fire_levels, t)}{during}",
            "quiet": f"does not fire when {_sides(s, quiet_levels, t)}",
            "for": f"does not fire until {_subject(left)} has been {been} {_subject(right)} "
                   f"for {hold}",
        }
    subject = _subject(s.value_node)
    threshold = format_value(s.value_node, s.threshold, catalog=s.catalog)
    shown = format_value(s.value_node, _round_sig(fire_value), catalog=s.catalog)
    verb = "stays at" if s.hold else "is"
    quiet = ("does not fire when " + (
        f"{subject} is {format_value(s.value_node, _round_sig(quiet_value), catalog=s.catalog)} "
        f"(not {relation} {threshold})" if quiet_value is not None else f"{subject} has no value"))
    return {
        "fires": f"fires when {subject} {verb} {shown} ({relation} {threshold}){during}",
        "quiet": quiet,
        "for": f"does not fire until {subject} has been {relation} {threshold} for {hold}",
    }


def _sides(s: _Synthesizer, levels: tuple[float, ...], t: float) -> str:
    """`a is 101 and b is 100`: both sides of a comparison of two series, at steady levels."""
    assert s.relation is not None  # noqa: S101 - only called for such comparisons
    data, _ = s.series([_Phase(0.0, levels)], t)
    parts = []
    for node in s.relation:
        value = Evaluator(data).evaluate(node, t)
        numbers = [v for _, v in value] if isinstance(value, list) else [value]
        shown = format_value(node, _round_sig(numbers[0]), catalog=s.catalog) if len(numbers) == 1 \
            else "several values"
        parts.append(f"{_subject(node)} is {shown}")
    return " and ".join(parts)


def _absent_drafts(s: _Synthesizer) -> list[_Draft]:
    targets = [i for i, k in enumerate(s.knobs) if k.kind == "presence"]
    s.add_decoys()
    tl = _timeline(s)
    inner = s.root.args[0]
    selector = _strip(inner.vector_selector if isinstance(_strip(inner), pp.MatrixSelector)
                      else inner)
    what = _selector_text(selector)
    hold = format_duration_seconds(s.hold)
    present = tuple(1.0 for _ in s.knobs)
    missing = tuple(0.0 if i in targets else 1.0 for i in range(len(s.knobs)))
    names = {
        "fires": f"fires when no {what} series has been reported for {hold}" if s.hold
        else f"fires when no {what} series is reported",
        "quiet": f"does not fire while {what} is reported",
        "for": f"does not fire until {what} has been missing for {hold}",
    }
    combined = _combined(s, tl, present, missing, names)
    if combined is not None:
        return combined
    fire = _steady(s, tl, missing, "fires", names["fires"])
    quiet = _steady(s, tl, present, "quiet", names["quiet"])
    if fire is None or quiet is None:
        raise _Skip("absent() does not behave as expected in a simulation")
    drafts = [fire, quiet]
    delayed = _delayed(s, tl, present, missing, names["for"])
    if delayed is not None:
        drafts.append(delayed)
    return drafts


# --- naming ---------------------------------------------------------------------------------------
def _selector_text(node: Any) -> str:
    name, matchers = selector_matchers(node)
    parts = [f'{label}{op}"{_escape(value)}"' for label, op, value in matchers]
    return f"{name or ''}{{{', '.join(parts)}}}" if parts else (name or "the series")


def _metric_of(node: Any) -> str | None:
    """The first selector in `node`, with its matchers (`x{code=~"5.."}`)."""
    node = _strip(node)
    if isinstance(node, pp.VectorSelector):
        return _selector_text(node)
    if isinstance(node, pp.MatrixSelector):
        return _selector_text(node.vector_selector)
    if isinstance(node, pp.Call):
        for arg in node.args:
            found = _metric_of(arg)
            if found:
                return found
    if isinstance(node, pp.AggregateExpr | pp.UnaryExpr):
        return _metric_of(node.expr)
    return None


def _window_of(node: Any) -> str:
    for arg in getattr(_strip(node), "args", ()):
        arg = _strip(arg)
        if isinstance(arg, pp.MatrixSelector):
            return format_duration_seconds(arg.range.total_seconds())
    return ""


def _subject(node: Any) -> str:
    """A short name for the compared value: `p99 of x`, `the rate of x`, `a / b`."""
    text = _subject_of(node)
    return text if len(text) <= 90 else "the value"


def _subject_of(node: Any) -> str:
    node = _strip(node)
    metric = _metric_of(node) or "the value"
    if isinstance(node, pp.VectorSelector):
        return metric
    if isinstance(node, pp.Call):
        name = node.func.name
        window = _window_of(node)
        if name == "histogram_quantile":
            q = _literal(node.args[0])
            bare, _, rest = metric.partition("{")
            family = family_name_of(bare) + ("{" + rest if rest else "")
            return f"p{number_text(q * 100)} of {family}" if q is not None else family
        if name in ("rate", "irate"):
            return f"the rate of {metric}"
        if name in ("increase", "changes", "resets"):
            return f"the {name} of {metric} over {window}"
        if name == "predict_linear":
            return f"the predicted {metric}"
        if name == "deriv":
            return f"the slope of {metric}"
        if name.endswith("_over_time"):
            return f"the {name.removesuffix('_over_time')} of {metric} over {window}"
        return f"{name}() of {metric}"
    if isinstance(node, pp.AggregateExpr):
        op = str(node.op)
        inner = _subject_of(node.expr)
        if op == "sum":
            return inner
        if op in ("avg", "min", "max"):
            return f"the {'average' if op == 'avg' else op} of {inner}"
        if op == "count":
            return f"the number of {inner} series"
        return f"{op} of {inner}"
    if isinstance(node, pp.BinaryExpr):
        op = str(node.op)
        if op == "-" and _has_time(node.lhs) and not _has_time(node.rhs):
            return f"the age of {_subject_of(node.rhs)}"
        if op == "-" and _has_time(node.rhs) and not _has_time(node.lhs):
            return f"the time left until {_subject_of(node.lhs)}"
        if op == "/":
            return f"{_subject_of(node.lhs)} / {_subject_of(node.rhs)}"
        number = _literal(node.rhs)
        if op in _COMPARISONS and number is not None:
            return f"{_subject_of(node.lhs)} {op} {number_text(number)}"
    return "the value"


# --- the test file --------------------------------------------------------------------------------
def _finish(s: _Synthesizer, drafts: list[_Draft]) -> UnitTestSuite:
    rule = s.rule
    alerts: list[tuple[dict[str, str], dict[str, str]]] = []  # (full labels, alert labels)

    def expected(step: _Step) -> list[tuple[dict[str, str], dict[str, str]]]:
        out = []
        for key in sorted(step.firing):
            full = dict(step.present.get(key, key))
            labels = dict(key)
            for name, template in rule.labels.items():
                value = expand_template(template, full)
                if value is None:
                    raise _Skip(f"label {name!r} is a template whose value cannot be predicted")
                labels[name] = value
            out.append((full, labels))
        return out

    planned = [[expected(step) for _, step in draft.checks] for draft in drafts]
    for per_check in planned:
        for items in per_check:
            alerts.extend(items)
    checked = tuple(sorted(
        name for name, text in rule.annotations.items()
        if all(expand_template(text, full) is not None for full, _ in alerts)))
    unchecked = tuple(sorted(set(rule.annotations) - set(checked)))
    cases: list[UnitTestCase] = []
    for draft, per_check in zip(drafts, planned, strict=True):
        checks = []
        for (t, _), items in zip(draft.checks, per_check, strict=True):
            expected_alerts = tuple(
                ExpectedAlert(
                    labels=tuple(sorted(labels.items())),
                    annotations=tuple(sorted(
                        (name, expand_template(rule.annotations[name], full) or "")
                        for name in checked)),
                )
                for full, labels in items
            )
            checks.append(AlertCheck(format_duration_seconds(t), expected_alerts))
        cases.append(UnitTestCase(draft.name, draft.kind, draft.group, draft.texts, tuple(checks)))
    tested = rule.model_copy(update={"annotations": {k: rule.annotations[k] for k in checked}})
    data = {
        "rule_files": [RULE_FILE_NAME],
        "evaluation_interval": format_duration_seconds(EVALUATION_INTERVAL),
        "tests": _tests_data(cases, rule.alert, s.interval),
    }
    header = [f"# promtool unit tests for {rule.alert}, synthesised by monitorgen from its "
              "expression.",
              f"# They read {RULE_FILE_NAME}: the rule as written"]
    if unchecked:
        header[-1] = (f"# They read {RULE_FILE_NAME}: the rule without the annotation(s) "
                      f"{', '.join(unchecked)}, whose text cannot be predicted exactly "
                      "(it shows the value, or a label the alert does not have).")
    else:
        header[-1] += "."
    return UnitTestSuite(
        alert=rule.alert,
        text="\n".join(header) + "\n" + dump_yaml(data),
        rule_file_name=RULE_FILE_NAME,
        rule_text=render_rules([tested], group=TEST_GROUP),
        cases=tuple(cases),
        checked_annotations=checked,
        unchecked_annotations=unchecked,
    )


def _tests_data(cases: list[UnitTestCase], alert: str, interval: float) -> list[dict[str, Any]]:
    """promtool tests: one per group, with the checks of all its cases in time order."""
    groups: dict[str, list[UnitTestCase]] = {}
    for case in cases:
        groups.setdefault(case.group, []).append(case)
    tests = []
    for name, members in groups.items():
        checks = sorted((check for case in members for check in case.checks),
                        key=lambda c: parse_duration_seconds(c.eval_time))
        tests.append({
            "name": name,
            "interval": format_duration_seconds(interval),
            "input_series": [{"series": s.series, "values": s.values}
                             for s in members[0].input_series],
            "alert_rule_test": [_check_data(check, alert) for check in checks],
        })
    return tests


def _check_data(check: AlertCheck, alert: str) -> dict[str, Any]:
    expected = []
    for item in check.alerts:
        entry: dict[str, Any] = {"exp_labels": dict(item.labels)}
        if item.annotations:
            entry["exp_annotations"] = dict(item.annotations)
        expected.append(entry)
    return {"eval_time": check.eval_time, "alertname": alert, "exp_alerts": expected}


# --- entry points ---------------------------------------------------------------------------------
def synthesize(rule: AnyRule, *, catalog: Catalog | None = None,
               scrape_interval: str = "1m") -> Synthesis:
    """Unit tests for one rule, or no suite and the reason (never a test that may be wrong)."""
    if not isinstance(rule, AlertingRule):
        return Synthesis(None, "recording rules do not alert; only alerting rules get tests")
    try:
        interval = parse_duration_seconds(scrape_interval)
    except DurationError as exc:
        return Synthesis(None, f"scrape interval: {exc}")
    if interval <= 0 or interval > EVALUATION_INTERVAL * 10:
        return Synthesis(None, f"scrape interval {scrape_interval} is outside 1ms..10m")
    try:
        return Synthesis(_synthesize(rule, catalog, interval))
    except EvalUnsupported as exc:
        return Synthesis(None, exc.reason)


def synthesize_tests(rule: AlertingRule, *, catalog: Catalog | None,
                     scrape_interval: str = "1m") -> UnitTestSuite | None:
    """The suite, or None (see `synthesize` for the reason)."""
    return synthesize(rule, catalog=catalog, scrape_interval=scrape_interval).suite


def _synthesize(rule: AlertingRule, catalog: Catalog | None, interval: float) -> UnitTestSuite:
    probe = _Synthesizer(rule, catalog, interval)
    mode = probe.shape()
    if mode == "absent":
        probe.build_plans()
        return _finish(probe, _absent_drafts(probe))
    c = probe.threshold
    # Histogram buckets are laid out around the threshold; when the quantile is scaled before
    # the comparison (seconds to ms), other places are tried.
    anchors = [c, c / 1000, c * 1000, c / 100, c * 100, c / 60, c * 60] if c > 0 else [1.0]
    # A guard (`... and sum(rate(requests[5m])) > 1`) may need its series busier or quieter
    # than the base level before it lets the condition through.
    scales = (1.0,) if probe.guard is None else (1.0, 10.0, 100.0, 1000.0, 0.1, 0.01, 0.0)
    reason = ""
    for anchor in dict.fromkeys(anchors):
        for scale in scales:
            s = _Synthesizer(rule, catalog, interval, anchor=anchor)
            s.shape()
            s.build_plans()
            s.scale_guard(scale)
            try:
                return _finish(s, _threshold_drafts(s))
            except _Skip as exc:
                reason = reason or exc.reason
        if not s.has_streams:
            break
    raise _Skip(reason)


def _step(state: dict[Labels, list[Any]], found: set[Labels], t: float, hold: float,
          keep: float) -> None:
    """One rule evaluation of Prometheus' alert state machine (pending, firing, keep firing)."""
    for labels in found:
        alert = state.get(labels)
        if alert is None or alert[1] == "inactive":
            state[labels] = [t, "pending", None]
        else:
            alert[2] = None
    for labels in list(state):
        alert = state[labels]
        if labels not in found:
            keeping = False
            if alert[1] == "firing" and keep > 0:
                if alert[2] is None:
                    alert[2] = t
                keeping = t - alert[2] < keep
            if not keeping:
                del state[labels]
                continue
        if alert[1] == "pending" and t - alert[0] >= hold:
            alert[1] = "firing"


# --- AST helpers ----------------------------------------------------------------------------------
def _strip(node: Any) -> Any:
    while isinstance(node, pp.ParenExpr):
        node = node.expr
    return node


def _literal(node: Any) -> float | None:
    """The number a constant expression stands for (`0.5`, `-1`, `86400 * 21`), else None."""
    if not _constant(node):
        return None
    value = Evaluator(()).evaluate(node, 0.0)
    return value if isinstance(value, float) else None


def _constant(node: Any) -> bool:
    node = _strip(node)
    if isinstance(node, pp.NumberLiteral):
        return True
    if isinstance(node, pp.UnaryExpr):
        return _constant(node.expr)
    if isinstance(node, pp.BinaryExpr):
        return _constant(node.lhs) and _constant(node.rhs)
    return False


def _has_time(node: Any) -> bool:
    node = _strip(node)
    if isinstance(node, pp.Call):
        return node.func.name == "time" or any(_has_time(a) for a in node.args)
    if isinstance(node, pp.BinaryExpr):
        return _has_time(node.lhs) or _has_time(node.rhs)
    if isinstance(node, pp.AggregateExpr | pp.UnaryExpr):
        return _has_time(node.expr)
    return False


def _usages(root: Any) -> list[_Usage]:
    found: list[_Usage] = []

    def seconds(value: Any) -> float:
        return 0.0 if value is None else float(value.total_seconds())

    def visit(node: Any, function: str | None, timed: bool) -> None:
        node = _strip(node)
        if isinstance(node, pp.VectorSelector):
            if function in ("absent",):
                kind = "presence"
            elif timed:
                kind = "timestamp"
            else:
                kind = "gauge"
            found.append(_Usage(node, kind, 0.0, seconds(node.offset)))
        elif isinstance(node, pp.MatrixSelector):
            vs = node.vector_selector
            if function in _COUNTER_FUNCTIONS:
                kind = "counter"
            elif function in _RAMP_FUNCTIONS:
                kind = "ramp"
            elif function == "changes":
                kind = "flip"
            elif function == "resets":
                kind = "reset"
            elif function == "absent_over_time":
                kind = "presence"
            elif function in _GAUGE_RANGE_FUNCTIONS or function in ("count_over_time",
                                                                     "present_over_time"):
                kind = "gauge"
            else:
                raise _Skip(f"a range selector inside {function or 'nothing'}() is not modelled")
            found.append(_Usage(vs, kind, seconds(node.range), seconds(vs.offset)))
        elif isinstance(node, pp.Call):
            name = node.func.name
            for arg in node.args:
                visit(arg, name, timed and name not in ("absent",))
        elif isinstance(node, pp.AggregateExpr):
            if node.param is not None:
                visit(node.param, function, False)
            visit(node.expr, function, timed)
        elif isinstance(node, pp.BinaryExpr):
            op = str(node.op)
            left_time, right_time = _has_time(node.lhs), _has_time(node.rhs)
            timing = op in ("+", "-") and left_time != right_time
            visit(node.lhs, function, timed or (timing and right_time))
            visit(node.rhs, function, timed or (timing and left_time))
        elif isinstance(node, pp.UnaryExpr):
            visit(node.expr, function, timed)
        elif isinstance(node, pp.SubqueryExpr):
            raise _Skip("subqueries are not modelled")

    visit(root, None, False)
    return found


def _selector_names(root: Any) -> set[str]:
    names: set[str] = set()

    def visit(node: Any) -> None:
        node = _strip(node)
        if isinstance(node, pp.VectorSelector):
            name = selector_matchers(node)[0]
            if name:
                names.add(name)
        elif isinstance(node, pp.MatrixSelector):
            visit(node.vector_selector)
        elif isinstance(node, pp.Call):
            for arg in node.args:
                visit(arg)
        elif isinstance(node, pp.AggregateExpr | pp.UnaryExpr | pp.SubqueryExpr):
            visit(node.expr)
        elif isinstance(node, pp.BinaryExpr):
            visit(node.lhs)
            visit(node.rhs)

    visit(root)
    return names


def _grouping_labels(root: Any) -> set[str]:
    names: set[str] = set()

    def visit(node: Any) -> None:
        node = _strip(node)
        if isinstance(node, pp.AggregateExpr):
            if node.modifier is not None:
                names.update(node.modifier.labels)
            visit(node.expr)
        elif isinstance(node, pp.BinaryExpr):
            if node.modifier is not None:
                if node.modifier.matching is not None:
                    names.update(node.modifier.matching.labels)
                names.update(node.modifier.group_labels or ())
            visit(node.lhs)
            visit(node.rhs)
        elif isinstance(node, pp.Call):
            for arg in node.args:
                visit(arg)
        elif isinstance(node, pp.UnaryExpr):
            visit(node.expr)

    visit(root)
    return names


def _stream_families(by_metric: dict[str, list[_Usage]]) -> dict[str, str]:
    """metric → histogram family, for families read through their _bucket series or their
    _sum and _count together (an average)."""
    families: dict[str, set[str]] = {}
    for metric in by_metric:
        for suffix in ("_bucket", "_sum", "_count"):
            if metric.endswith(suffix):
                families.setdefault(metric[: -len(suffix)], set()).add(suffix)
    out: dict[str, str] = {}
    for family, suffixes in families.items():
        if "_bucket" in suffixes or {"_sum", "_count"} <= suffixes:
            for suffix in suffixes:
                out[family + suffix] = family
    return out


def regex_examples(pattern: str) -> list[str]:
    """A few strings the (fully anchored) label regex accepts, best first."""
    candidates: list[str] = []
    try:
        branches = _RegexSketch(pattern).alternatives()
    except (IndexError, ValueError):
        branches = []
    candidates.extend(branches)
    candidates += ["500", "503", "5xx", "404", "4xx", "error", "failed", "true", "1", "a"]
    out: list[str] = []
    for text in candidates:
        if text not in out and matcher_accepts("=~", pattern, text):
            out.append(text)
    return out


class _RegexSketch:
    """Shortest-ish examples of a regex: first choice of each group, fewest repetitions.

    Only a guess: callers keep the examples the real regex engine accepts.
    """

    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.pos = 0

    def alternatives(self) -> list[str]:
        out = [self._sequence()]
        while self.pos < len(self.text) and self.text[self.pos] == "|":
            self.pos += 1
            out.append(self._sequence())
        return out

    def _sequence(self) -> str:
        parts: list[str] = []
        while self.pos < len(self.text) and self.text[self.pos] not in "|)":
            atom = self._atom()
            parts.append(self._repeat(atom))
        return "".join(parts)

    def _atom(self) -> str:
        char = self.text[self.pos]
        self.pos += 1
        if char == "\\":
            escaped = self.text[self.pos]
            self.pos += 1
            return {"d": "0", "w": "a", "s": " ", "D": "a", "W": "-", "S": "a"}.get(escaped, escaped)
        if char == ".":
            return "0"  # reads as a status code in `5..`, and is a plain character elsewhere
        if char in "^$":
            return ""
        if char == "[":
            end = self.text.index("]", self.pos + 1)
            body = self.text[self.pos:end]
            self.pos = end + 1
            if body.startswith("^"):
                return "a" if "a" not in body else "z"
            return body[0] if body[0] != "\\" else body[1:2]
        if char == "(":
            if self.text.startswith("?", self.pos):
                close = self.pos
                while self.text[close] not in ":)":
                    close += 1
                flag_only = self.text[close] == ")"
                self.pos = close + 1
                if flag_only:  # (?i) and the like: no text of their own
                    return ""
            first = self.alternatives()[0]
            self.pos += 1  # the closing parenthesis
            return first
        return char

    def _repeat(self, atom: str) -> str:
        if self.pos >= len(self.text):
            return atom
        char = self.text[self.pos]
        if char in "*?":
            self.pos += 1
            self._lazy()
            return ""
        if char == "+":
            self.pos += 1
            self._lazy()
            return atom
        if char == "{" and "}" in self.text[self.pos:]:
            end = self.text.index("}", self.pos)
            low = self.text[self.pos + 1:end].split(",")[0]
            self.pos = end + 1
            self._lazy()
            return atom * int(low or "0")
        return atom

    def _lazy(self) -> None:
        if self.pos < len(self.text) and self.text[self.pos] == "?":
            self.pos += 1


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _duration(text: str | None) -> float:
    if not text:
        return 0.0
    try:
        return parse_duration_seconds(text)
    except DurationError as exc:  # pragma: no cover - the spec validated it
        raise _Skip(str(exc)) from None


def _compare(op: str, lhs: float, rhs: float) -> bool:
    return {">": lhs > rhs, "<": lhs < rhs, ">=": lhs >= rhs, "<=": lhs <= rhs,
            "==": lhs == rhs, "!=": lhs != rhs}[op]


def _integral(value: float) -> bool:
    return math.isfinite(value) and value == int(value) and abs(value) < 1e15


def _round_sig(value: float, digits: int = 3) -> float:
    return float(f"{value:.{digits}g}")


def _round12(value: float) -> float:
    return float(f"{value:.12g}")


def _runs(values: list[float]) -> list[str]:
    parts: list[str] = []
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[i]:
            j += 1
        parts.append(_segment(values[i], 0.0, j - i + 1))
        i = j + 1
    return parts


def _arith_runs(values: list[float]) -> list[str]:
    parts: list[str] = []
    i = 0
    while i < len(values):
        if i + 1 == len(values):
            parts.append(_segment(values[i], 0.0, 1))
            break
        step = _round12(values[i + 1] - values[i])
        j = i + 1
        while j + 1 < len(values) and _round12(values[j + 1] - values[j]) == step:
            j += 1
        parts.append(_segment(values[i], step, j - i + 1))
        i = j + 1
    return parts


__all__ = [
    "RULE_FILE_NAME",
    "synthesize",
    "synthesize_tests",
    "AlertCheck",
    "ExpectedAlert",
    "InputSeries",
    "Synthesis",
    "UnitTestCase",
    "UnitTestSuite",
    "expand_template",
    "expand_values",
    "number_text",
    "regex_examples",
    "series_text",
]
