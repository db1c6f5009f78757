"""PromQL analysis: what an expression reads, computes and keeps (pure, on promql-parser's AST).

`analyze_expr(expr, catalog=None)` returns a frozen `ExprAnalysis`: the series and families it
selects, label matchers, functions, range windows, aggregations, binary operations (with their
`on`/`ignoring` labels), comparisons, divisions, and a best-effort `KeptLabels` for the result.
Lint, grounding, the explanation writer and the generator all read this one structure, so it
describes facts about the expression and leaves judgements to its callers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Literal, NamedTuple

import promql_parser

from monitorgen.core.catalog import Catalog, family_name_of
from monitorgen.core.errors import SpecInvalid

MatchOpText = Literal["=", "!=", "=~", "!~"]
_MATCH_OPS: dict[str, MatchOpText] = {
    "MatchOp.Equal": "=",
    "MatchOp.NotEqual": "!=",
    "MatchOp.Re": "=~",
    "MatchOp.NotRe": "!~",
}
COMPARISON_OPS = frozenset({"==", "!=", ">", "<", ">=", "<="})
# The comparator that says the same with its operands swapped (`a > b` is `b < a`).
SWAPPED_COMPARISON = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!="}
SET_OPS = frozenset({"and", "or", "unless"})
ABSENT_FUNCTIONS = frozenset({"absent", "absent_over_time"})
# Aggregations that keep the labels of their input series instead of grouping them.
_SAMPLING_AGGREGATIONS = frozenset({"topk", "bottomk", "limitk", "limit_ratio"})


class KeptLabels(NamedTuple):
    """Labels a result keeps: exactly `only` when known, else every input label but `dropped`.

    This and the other small records are NamedTuples: immutable and typed like frozen
    dataclasses, and several times cheaper to build, which matters at thousands of rules.
    """

    only: frozenset[str] | None = None
    dropped: frozenset[str] = frozenset()

    def keeps(self, label: str) -> bool:
        if self.only is not None:
            return label in self.only
        return label not in self.dropped

    def without(self, labels: frozenset[str]) -> KeptLabels:
        if self.only is not None:
            return KeptLabels(only=self.only - labels)
        return KeptLabels(dropped=self.dropped | labels)

    def plus(self, labels: frozenset[str]) -> KeptLabels:
        if self.only is not None:
            return KeptLabels(only=self.only | labels)
        return KeptLabels(dropped=self.dropped - labels)

    def union(self, other: KeptLabels) -> KeptLabels:
        # Used for `or`: a label counts as kept when either side may carry it.
        if self.only is not None and other.only is not None:
            return KeptLabels(only=self.only | other.only)
        if self.only is None and other.only is None:
            return KeptLabels(dropped=self.dropped & other.dropped)
        open_side, closed = (self, other.only) if self.only is None else (other, self.only)
        return KeptLabels(dropped=open_side.dropped - (closed or frozenset()))


ALL_LABELS = KeptLabels()
NO_LABELS = KeptLabels(only=frozenset())


class LabelMatcher(NamedTuple):
    name: str
    op: MatchOpText
    value: str

    def __str__(self) -> str:
        return f'{self.name}{self.op}"{self.value}"'


class Selector(NamedTuple):
    """One vector selector. `functions`/`aggregations` enclose it, innermost first."""

    metric: str | None  # None when selected only by a non-equality `__name__` matcher
    family: str | None
    matchers: tuple[LabelMatcher, ...]
    range_seconds: float | None = None  # set for `x[5m]`
    offset_seconds: float | None = None
    functions: tuple[str, ...] = ()
    aggregations: tuple[str, ...] = ()

    def label_names(self) -> frozenset[str]:
        return frozenset(m.name for m in self.matchers if m.name != "__name__")


class FunctionCall(NamedTuple):
    name: str
    # Series selected directly by its range/vector argument (e.g. `x` in `rate(x[5m])`).
    arg_metrics: tuple[str, ...] = ()
    over_subquery: bool = False
    # Labels kept by its last vector argument (for `histogram_quantile`, does it keep `le`?).
    arg_labels: KeptLabels | None = None


class RangeWindow(NamedTuple):
    seconds: float
    function: str | None  # the function the range is passed to
    subquery: bool = False


class Aggregation(NamedTuple):
    op: str
    grouping: Literal["by", "without"] | None
    labels: tuple[str, ...]
    param: float | str | None = None


class BinaryOp(NamedTuple):
    op: str
    matching: Literal["on", "ignoring"] | None = None
    matching_labels: tuple[str, ...] = ()
    group: Literal["left", "right"] | None = None
    group_labels: tuple[str, ...] = ()
    returns_bool: bool = False


class Comparison(NamedTuple):
    op: str
    constant: float | None  # the number compared against, when one side is a literal
    returns_bool: bool
    top_level: bool  # reached from the root through parentheses and set operators only

    @property
    def filters(self) -> bool:
        """A comparison without `bool` drops series, which is what makes an alert conditional."""
        return not self.returns_bool


class Division(NamedTuple):
    op: Literal["/", "%"]
    aggregations: tuple[str, ...]  # enclosing aggregations, innermost first
    divisor_guarded: bool  # the divisor cannot be zero: a non-zero literal or a filter like `> 0`


@dataclass(frozen=True)
class ExprAnalysis:
    expr: str
    selectors: tuple[Selector, ...]
    functions: tuple[str, ...]  # names, first use order, unique
    calls: tuple[FunctionCall, ...]
    range_windows: tuple[RangeWindow, ...]
    aggregations: tuple[Aggregation, ...]
    binary_ops: tuple[BinaryOp, ...]
    comparisons: tuple[Comparison, ...]
    divisions: tuple[Division, ...]
    kept_labels: KeptLabels
    # Labels created by the expression itself (label_replace/label_join targets, count_values).
    created_labels: frozenset[str] = field(default_factory=frozenset)

    @property
    def metrics(self) -> tuple[str, ...]:
        return tuple(sorted({s.metric for s in self.selectors if s.metric}))

    @property
    def families(self) -> tuple[str, ...]:
        return tuple(sorted({s.family for s in self.selectors if s.family}))

    @property
    def uses_absent(self) -> bool:
        return any(name in ABSENT_FUNCTIONS for name in self.functions)

    @property
    def top_level_comparisons(self) -> tuple[Comparison, ...]:
        return tuple(c for c in self.comparisons if c.top_level)

    @property
    def has_condition(self) -> bool:
        """Whether the result can be empty by design: a filtering comparison, or `absent()`.

        A filter anywhere counts, which covers `x and on() (y > 1)` and `count(up == 0) > 2`;
        `absent`/`absent_over_time` return a series only when their input is missing.
        """
        return any(c.filters for c in self.comparisons) or self.uses_absent

    def grouping_labels(self) -> frozenset[str]:
        """Every label named in by/without, on/ignoring and group_left/right clauses."""
        names: set[str] = set()
        for agg in self.aggregations:
            names.update(agg.labels)
        for op in self.binary_ops:
            names.update(op.matching_labels)
            names.update(op.group_labels)
        return frozenset(names)

    def with_catalog(self, catalog: Catalog | None) -> ExprAnalysis:
        """The same analysis with families resolved through a catalog (`x_count` of a summary)."""
        if catalog is None:
            return self
        selectors = tuple(
            Selector(
                metric=s.metric,
                family=family_name_of(s.metric, catalog) if s.metric else None,
                matchers=s.matchers,
                range_seconds=s.range_seconds,
                offset_seconds=s.offset_seconds,
                functions=s.functions,
                aggregations=s.aggregations,
            )
            for s in self.selectors
        )
        return ExprAnalysis(
            expr=self.expr,
            selectors=selectors,
            functions=self.functions,
            calls=self.calls,
            range_windows=self.range_windows,
            aggregations=self.aggregations,
            binary_ops=self.binary_ops,
            comparisons=self.comparisons,
            divisions=self.divisions,
            kept_labels=self.kept_labels,
            created_labels=self.created_labels,
        )


# --- templates -----------------------------------------------------------------------------------
_TEMPLATE_LABEL_RES = (
    re.compile(r"\$labels\.([A-Za-z_][A-Za-z0-9_]*)"),
    re.compile(r"\.Labels\.([A-Za-z_][A-Za-z0-9_]*)"),
    re.compile(r"index\s+\$labels\s+\"([A-Za-z_][A-Za-z0-9_]*)\""),
)


def template_label_refs(text: str) -> frozenset[str]:
    """Label names a Go template reads: `$labels.x`, `.Labels.x`, `index $labels "x"`."""
    if "abels" not in text:  # cheap exit: most label values are plain text
        return frozenset()
    names: set[str] = set()
    for pattern in _TEMPLATE_LABEL_RES:
        names.update(pattern.findall(text))
    return frozenset(names)


# --- analysis ------------------------------------------------------------------------------------
def analyze_expr(expr: str, catalog: Catalog | None = None) -> ExprAnalysis:
    """Analyse a PromQL expression; raises SpecInvalid when it does not parse."""
    return _analyze_cached(expr.strip()).with_catalog(catalog)


def analyze_node(node: Any, expr: str = "") -> ExprAnalysis:
    """Analyse an already-parsed promql-parser node (saves a parse when the caller has one)."""
    walker = _Walker()
    kept = walker.visit(node, _Context(top_level=True))
    return walker.result(expr, kept)


@lru_cache(maxsize=8192)
def parse_promql(expr: str) -> Any:
    """promql-parser's AST for an expression, cached: schema checks, analysis and the
    generator all parse the same expressions, and parsing is most of the cost of analysis.
    Raises ValueError on bad syntax, like `promql_parser.parse`. Treat the AST as read-only.
    """
    return promql_parser.parse(expr)


def clear_analysis_cache() -> None:
    """Forget cached parses and analyses (benchmarks use it to measure cold work)."""
    _analyze_cached.cache_clear()
    parse_promql.cache_clear()


@lru_cache(maxsize=8192)
def _analyze_cached(expr: str) -> ExprAnalysis:
    # Expressions repeat (the generator re-validates candidates); analyses are immutable.
    try:
        node = parse_promql(expr)
    except (ValueError, RuntimeError) as exc:
        raise SpecInvalid(f"expr is not valid PromQL: {exc}", details={"expr": expr}) from None
    return analyze_node(node, expr)


class _Context(NamedTuple):
    # A NamedTuple, not a frozen dataclass: one is built per node and this is several times cheaper.
    functions: tuple[str, ...] = ()
    aggregations: tuple[str, ...] = ()
    top_level: bool = False


def _seconds(value: Any) -> float | None:
    if value is None:
        return None
    total: float = value.total_seconds()
    return total


def _literal_number(node: Any) -> float | None:
    """The value of a number literal, seen through parentheses and unary minus."""
    sign = 1.0
    while True:
        if isinstance(node, promql_parser.ParenExpr):
            node = node.expr
        elif isinstance(node, promql_parser.UnaryExpr):
            sign = -sign
            node = node.expr
        else:
            break
    if isinstance(node, promql_parser.NumberLiteral):
        return sign * float(node.val)
    return None


def _is_scalar(node: Any) -> bool:
    if _literal_number(node) is not None:
        return True
    while isinstance(node, promql_parser.ParenExpr):
        node = node.expr
    if isinstance(node, promql_parser.Call):
        return str(node.func.return_type) == "ValueType.Scalar"
    if isinstance(node, promql_parser.BinaryExpr):
        return _is_scalar(node.lhs) and _is_scalar(node.rhs)
    return False


def _divisor_guarded(node: Any) -> bool:
    number = _literal_number(node)
    if number is not None:
        return number != 0
    return _guarded(node)


def _guarded(node: Any) -> bool:
    # `(b > 0)` filters zeros out; `clamp_min(b, c)` with c > 0 cannot be zero.
    while isinstance(node, promql_parser.ParenExpr):
        node = node.expr
    if isinstance(node, promql_parser.BinaryExpr):
        op = str(node.op)
        returns_bool = bool(node.modifier is not None and node.modifier.return_bool)
        if op in COMPARISON_OPS and not returns_bool:
            constant = _literal_number(node.rhs)
            if constant is None:
                return True  # compared against another vector: treat as a deliberate guard
            return (op == ">" and constant >= 0) or (op == ">=" and constant > 0) or (
                op == "!=" and constant == 0
            )
        if op in ("and", "unless"):
            return _guarded(node.lhs)
    if isinstance(node, promql_parser.Call) and node.func.name in ("clamp_min", "clamp"):
        low = _literal_number(node.args[1]) if len(node.args) > 1 else None
        return low is not None and low > 0
    return False


class _Walker:
    def __init__(self) -> None:
        self.selectors: list[Selector] = []
        self.functions: dict[str, None] = {}
        self.calls: list[FunctionCall] = []
        self.range_windows: list[RangeWindow] = []
        self.aggregations: list[Aggregation] = []
        self.binary_ops: list[BinaryOp] = []
        self.comparisons: list[Comparison] = []
        self.divisions: list[Division] = []
        self.created: set[str] = set()

    def result(self, expr: str, kept: KeptLabels) -> ExprAnalysis:
        return ExprAnalysis(
            expr=expr,
            selectors=tuple(self.selectors),
            functions=tuple(self.functions),
            calls=tuple(self.calls),
            range_windows=tuple(self.range_windows),
            aggregations=tuple(self.aggregations),
            binary_ops=tuple(self.binary_ops),
            comparisons=tuple(self.comparisons),
            divisions=tuple(self.divisions),
            kept_labels=kept,
            created_labels=frozenset(self.created),
        )

    # Each visit returns the labels its result keeps.
    def visit(self, node: Any, ctx: _Context) -> KeptLabels:
        # Exact type tests, most frequent first: this runs for every node of every rule.
        kind = type(node)
        if kind is promql_parser.BinaryExpr:
            return self._binary(node, ctx)
        if kind is promql_parser.Call:
            return self._call(node, ctx)
        if kind is promql_parser.AggregateExpr:
            return self._aggregate(node, ctx)
        if kind is promql_parser.MatrixSelector:
            seconds = _seconds(node.range)
            self._selector(node.vector_selector, seconds, ctx)
            if seconds is not None:
                function = ctx.functions[0] if ctx.functions else None
                self.range_windows.append(RangeWindow(seconds, function))
            return ALL_LABELS
        if kind is promql_parser.VectorSelector:
            self._selector(node, None, ctx)
            return ALL_LABELS
        if kind is promql_parser.ParenExpr:
            return self.visit(node.expr, ctx)
        if kind is promql_parser.UnaryExpr:
            return self.visit(node.expr, _Context(ctx.functions, ctx.aggregations))
        if kind is promql_parser.SubqueryExpr:
            seconds = _seconds(node.range)
            if seconds is not None:
                function = ctx.functions[0] if ctx.functions else None
                self.range_windows.append(RangeWindow(seconds, function, subquery=True))
            return self.visit(node.expr, _Context(ctx.functions, ctx.aggregations))
        # Number and string literals carry no labels.
        return NO_LABELS

    def _selector(self, node: Any, range_seconds: float | None, ctx: _Context) -> None:
        matchers: list[LabelMatcher] = []
        all_matchers = node.matchers
        groups = [all_matchers.matchers, *all_matchers.or_matchers]
        for group in groups:
            for m in group:
                matchers.append(LabelMatcher(m.name, _MATCH_OPS.get(str(m.op), "="), m.value))
        metric: str | None = node.name
        if not metric:
            metric = next((m.value for m in matchers if m.name == "__name__" and m.op == "="), None)
        self.selectors.append(
            Selector(
                metric=metric,
                family=family_name_of(metric) if metric else None,
                matchers=tuple(matchers),
                range_seconds=range_seconds,
                offset_seconds=_seconds(node.offset),
                functions=ctx.functions,
                aggregations=ctx.aggregations,
            )
        )

    def _call(self, node: Any, ctx: _Context) -> KeptLabels:
        func = node.func
        name: str = func.name
        self.functions[name] = None
        inner = _Context((name, *ctx.functions), ctx.aggregations)
        arg_metrics: list[str] = []
        over_subquery = False
        arg_kept: KeptLabels | None = None
        kept = NO_LABELS
        strings: list[str] = []
        for arg in node.args:
            kind = type(arg)
            if kind is promql_parser.StringLiteral:
                strings.append(arg.val)
                continue
            if kind is promql_parser.NumberLiteral:
                continue
            before = len(self.selectors)
            arg_labels = self.visit(arg, inner)
            if kind is promql_parser.MatrixSelector or kind is promql_parser.VectorSelector:
                arg_metrics.extend(s.metric for s in self.selectors[before:] if s.metric)
            elif kind is promql_parser.SubqueryExpr:
                over_subquery = True
            if not _is_scalar(arg):
                arg_kept = arg_labels
                kept = arg_labels
        self.calls.append(FunctionCall(name, tuple(arg_metrics), over_subquery, arg_kept))
        if name in ABSENT_FUNCTIONS:
            # absent() returns one series carrying the equality matchers of its selector.
            new = self.selectors[-1] if self.selectors else None
            matchers = new.matchers if new else ()
            labels = {m.name for m in matchers if m.op == "=" and m.name != "__name__"}
            return KeptLabels(only=frozenset(labels))
        if name in ("label_replace", "label_join") and strings:
            self.created.add(strings[0])
            return kept.plus(frozenset({strings[0]}))
        if name == "histogram_quantile":
            return kept.without(frozenset({"le"}))
        if name == "vector" or str(func.return_type) != "ValueType.Vector":
            return NO_LABELS
        return kept

    def _aggregate(self, node: Any, ctx: _Context) -> KeptLabels:
        op = str(node.op)
        grouping: Literal["by", "without"] | None = None
        labels: tuple[str, ...] = ()
        if node.modifier is not None:
            grouping = "by" if str(node.modifier.type) == "AggModifierType.By" else "without"
            labels = tuple(node.modifier.labels)
        param: float | str | None = None
        if node.param is not None:
            number = _literal_number(node.param)
            if number is not None:
                param = number
            elif isinstance(node.param, promql_parser.StringLiteral):
                param = str(node.param.val)
            else:
                self.visit(node.param, _Context(ctx.functions, ctx.aggregations))
        self.aggregations.append(Aggregation(op, grouping, labels, param))
        inner_kept = self.visit(node.expr, _Context(ctx.functions, (op, *ctx.aggregations)))
        if op in _SAMPLING_AGGREGATIONS:
            return inner_kept
        if grouping == "by":
            kept = KeptLabels(only=frozenset(labels))
        elif grouping == "without":
            kept = inner_kept.without(frozenset(labels))
        else:
            kept = NO_LABELS
        if op == "count_values" and isinstance(param, str):
            self.created.add(param)
            kept = kept.plus(frozenset({param}))
        return kept

    def _binary(self, node: Any, ctx: _Context) -> KeptLabels:
        op = str(node.op)
        modifier = node.modifier
        returns_bool = bool(modifier is not None and modifier.return_bool)
        matching: Literal["on", "ignoring"] | None = None
        matching_labels: tuple[str, ...] = ()
        group: Literal["left", "right"] | None = None
        group_labels: tuple[str, ...] = ()
        if modifier is not None:
            if modifier.matching is not None:
                include = str(modifier.matching.type) == "LabelModifierType.Include"
                matching = "on" if include else "ignoring"
                matching_labels = tuple(modifier.matching.labels)
            card = str(modifier.card)
            if card.endswith("ManyToOne"):
                group = "left"
            elif card.endswith("OneToMany"):
                group = "right"
            group_labels = tuple(modifier.group_labels or ())
        self.binary_ops.append(
            BinaryOp(op, matching, matching_labels, group, group_labels, returns_bool)
        )
        if op in COMPARISON_OPS:
            constant = _literal_number(node.rhs)
            if constant is None:
                constant = _literal_number(node.lhs)
            self.comparisons.append(Comparison(op, constant, returns_bool, ctx.top_level))
        if op in ("/", "%"):
            self.divisions.append(
                Division("/" if op == "/" else "%", ctx.aggregations, _divisor_guarded(node.rhs))
            )
        side_top = ctx.top_level and op in SET_OPS
        side_ctx = _Context(ctx.functions, ctx.aggregations, side_top)
        lhs = self.visit(node.lhs, side_ctx)
        rhs = self.visit(node.rhs, side_ctx)
        lhs_scalar, rhs_scalar = _is_scalar(node.lhs), _is_scalar(node.rhs)
        if lhs_scalar and rhs_scalar:
            return NO_LABELS
        if lhs_scalar:
            return rhs
        if rhs_scalar:
            return lhs
        if op == "or":
            return lhs.union(rhs)
        if op in ("and", "unless"):
            return lhs
        kept = rhs if group == "right" else lhs
        if group is None:
            # One-to-one matching keeps only the `on` labels, or drops the `ignoring` ones.
            if matching == "on":
                kept = KeptLabels(only=frozenset(matching_labels))
            elif matching == "ignoring":
                kept = kept.without(frozenset(matching_labels))
        else:
            kept = kept.plus(frozenset(group_labels))
        return kept


__all__ = [
    "Aggregation",
    "BinaryOp",
    "Comparison",
    "Division",
    "ExprAnalysis",
    "FunctionCall",
    "KeptLabels",
    "LabelMatcher",
    "RangeWindow",
    "Selector",
    "analyze_expr",
    "analyze_node",
    "clear_analysis_cache",
    "parse_promql",
    "template_label_refs",
]
