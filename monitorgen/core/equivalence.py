"""When two rules are twins: the same condition over the same metric families (pure).

A rule's `RuleSignature` is what decides when and for what it fires, normalised so that writing
it differently does not matter:

- the metric families it reads (from `analyze_expr`), as a quick first filter;
- the condition: a canonical rendering of the PromQL syntax tree, with label matchers and
  `by`/`without`/`on`/`ignoring`/`group_*` labels sorted, numbers and durations in one spelling,
  redundant parentheses gone, `{__name__="x"}` written as `x`, and `0.5 < x` as `x > 0.5`;
- for alerts, how long it must hold (`for`, in milliseconds) and its `severity` label: the same
  condition paged after 1 minute and ticketed after 1 hour are two rules, not twins.

Names, annotations and other labels are left out: they describe a rule, they do not change when
it fires. So a generated rule that matches a live one under another name is still a twin.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar

import promql_parser

from monitorgen.core.catalog import Catalog
from monitorgen.core.durations import DurationError, parse_duration_ms
from monitorgen.core.errors import SpecInvalid
from monitorgen.core.promql import (
    COMPARISON_OPS,
    SWAPPED_COMPARISON,
    analyze_expr,
    parse_promql,
)
from monitorgen.core.spec import AlertingRule, AnyRule

T = TypeVar("T")
_MATCH_OPS = {"MatchOp.Equal": "=", "MatchOp.NotEqual": "!=", "MatchOp.Re": "=~", "MatchOp.NotRe": "!~"}


@dataclass(frozen=True)
class RuleSignature:
    kind: str  # alert | record
    families: tuple[str, ...]
    condition: str  # canonical PromQL
    for_ms: int  # 0 for recording rules and alerts without `for`
    severity: str | None

    @property
    def digest(self) -> str:
        """A short stable hash of the signature (to store or index it)."""
        text = json.dumps(
            [self.kind, self.families, self.condition, self.for_ms, self.severity], sort_keys=True
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Equivalent(Generic[T]):
    """An existing rule found equivalent to a candidate, with the item it came with."""

    item: T
    rule: AnyRule
    signature: RuleSignature


def rule_signature(rule: AnyRule, catalog: Catalog | None = None) -> RuleSignature:
    """The signature of a rule; raises SpecInvalid if its expression does not parse."""
    kind, families, for_ms, severity = _outline(rule, catalog)
    return RuleSignature(
        kind=kind, families=families, condition=canonical_promql(rule.expr), for_ms=for_ms,
        severity=severity,
    )


def _outline(
    rule: AnyRule, catalog: Catalog | None
) -> tuple[str, tuple[str, ...], int, str | None]:
    """The cheap parts of a signature (the PromQL analysis is cached), compared first."""
    for_ms = 0
    severity: str | None = None
    if isinstance(rule, AlertingRule):
        severity = rule.labels.get("severity")
        if rule.for_:
            try:
                for_ms = parse_duration_ms(rule.for_)
            except DurationError:  # the spec normalises `for`; keep any oddity as-is
                for_ms = -1
    return rule.kind, analyze_expr(rule.expr, catalog).families, for_ms, severity


def equivalent(a: AnyRule, b: AnyRule, catalog: Catalog | None = None) -> bool:
    return rule_signature(a, catalog) == rule_signature(b, catalog)


def find_equivalent(
    rule: AnyRule,
    existing: Iterable[tuple[T, AnyRule]],
    *,
    catalog: Catalog | None = None,
) -> list[Equivalent[T]]:
    """The existing rules (each given with an item of the caller's, e.g. its version) that are
    twins of `rule`, in the order given. Existing rules whose expression does not parse are
    skipped: they cannot be twins of a valid rule.
    """
    wanted = rule_signature(rule, catalog)
    outline = (wanted.kind, wanted.families, wanted.for_ms, wanted.severity)
    found: list[Equivalent[T]] = []
    for item, other in existing:
        if other.kind != wanted.kind:
            continue
        try:
            if _outline(other, catalog) != outline:
                continue
            signature = rule_signature(other, catalog)
        except (SpecInvalid, ValueError):  # an expression that does not parse
            continue
        if signature == wanted:
            found.append(Equivalent(item=item, rule=other, signature=signature))
    return found


# --- canonical PromQL ----------------------------------------------------------------------------
@lru_cache(maxsize=8192)
def canonical_promql(expr: str) -> str:
    """One spelling for every way of writing the same expression (see the module docstring).

    Not meant to be run: every binary operation is parenthesised so that the tree, not operator
    precedence, gives the structure. Cached: a team's live rules are compared again and again.
    """
    return _Canonical().render(parse_promql(expr.strip()))


def _number(value: float) -> str:
    if value != value:  # NaN
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _ms(value: Any) -> str:
    return str(round(value.total_seconds() * 1000))


def _labels(labels: Sequence[str] | None) -> str:
    return ",".join(sorted(labels or ()))


class _Canonical:
    def render(self, node: Any) -> str:
        kind = type(node)
        if kind is promql_parser.ParenExpr:
            return self.render(node.expr)
        if kind is promql_parser.NumberLiteral:
            return _number(float(node.val))
        if kind is promql_parser.StringLiteral:
            return json.dumps(node.val)
        if kind is promql_parser.VectorSelector:
            return self._selector(node)
        if kind is promql_parser.MatrixSelector:
            return f"{self._selector(node.vector_selector)}[{_ms(node.range)}ms]"
        if kind is promql_parser.SubqueryExpr:
            step = f"{_ms(node.step)}ms" if node.step is not None else ""
            return (
                f"{self.render(node.expr)}[{_ms(node.range)}ms:{step}]"
                f"{self._modifiers(node.offset, node.at)}"
            )
        if kind is promql_parser.UnaryExpr:
            value = _literal(node)
            if value is not None:  # `-(1)` is the number -1
                return _number(value)
            return f"-({self.render(node.expr)})"
        if kind is promql_parser.Call:
            return f"{node.func.name}({', '.join(self.render(a) for a in node.args)})"
        if kind is promql_parser.AggregateExpr:
            return self._aggregate(node)
        if kind is promql_parser.BinaryExpr:
            return self._binary(node)
        raise ValueError(f"cannot canonicalise PromQL node {kind.__name__}")

    def _selector(self, node: Any) -> str:
        name = node.name or ""
        groups: list[str] = []
        for group in [node.matchers.matchers, *node.matchers.or_matchers]:
            parts = []
            for m in group:
                op = _MATCH_OPS.get(str(m.op), str(m.op))
                if not name and m.name == "__name__" and op == "=" and not node.matchers.or_matchers:
                    name = m.value
                    continue
                parts.append(f"{m.name}{op}{json.dumps(m.value)}")
            groups.append(",".join(sorted(parts)))
        matchers = " or ".join(sorted(g for g in groups if g) if len(groups) > 1 else groups)
        text = f"{name}{{{matchers}}}" if matchers else name
        return text + self._modifiers(node.offset, node.at)

    def _modifiers(self, offset: Any, at: Any) -> str:
        text = ""
        if offset is not None and offset.total_seconds():
            text += f" offset {_ms(offset)}ms"
        if at is not None:
            if at.at is not None:
                text += f" @ {_number(at.at.timestamp())}"
            else:
                text += f" @ {str(at.type).rsplit('.', 1)[-1].lower()}()"
        return text

    def _aggregate(self, node: Any) -> str:
        op = str(node.op)
        grouping = ""
        if node.modifier is not None:
            by = str(node.modifier.type) == "AggModifierType.By"
            labels = list(node.modifier.labels)
            # `sum by () (x)` is `sum(x)`; `sum without () (x)` keeps every label: not the same.
            if labels or not by:
                grouping = f" {'by' if by else 'without'} ({_labels(labels)})"
        args = [self.render(node.param)] if node.param is not None else []
        args.append(self.render(node.expr))
        return f"{op}{grouping}({', '.join(args)})"

    def _binary(self, node: Any) -> str:
        op = str(node.op)
        lhs, rhs = node.lhs, node.rhs
        if op in COMPARISON_OPS and _is_number(lhs) and not _is_number(rhs):
            # `0.5 < x` filters (and keeps the values of) x exactly like `x > 0.5`.
            lhs, rhs, op = rhs, lhs, SWAPPED_COMPARISON[op]
        modifier = node.modifier
        text = op
        if modifier is not None:
            if modifier.return_bool:
                text += " bool"
            if modifier.matching is not None:
                include = str(modifier.matching.type) == "LabelModifierType.Include"
                text += f" {'on' if include else 'ignoring'}({_labels(modifier.matching.labels)})"
            card = str(modifier.card)
            if card.endswith("ManyToOne"):
                text += f" group_left({_labels(modifier.group_labels)})"
            elif card.endswith("OneToMany"):
                text += f" group_right({_labels(modifier.group_labels)})"
            fill = getattr(modifier, "fill_values", None)
            fill_sides = (getattr(fill, "lhs", None), getattr(fill, "rhs", None))
            if any(side is not None for side in fill_sides):
                text += " fill(" + ",".join(
                    "" if side is None else _number(float(side)) for side in fill_sides
                ) + ")"
        return f"({self.render(lhs)} {text} {self.render(rhs)})"


def _literal(node: Any) -> float | None:
    """The value of a number literal seen through parentheses and unary minus, else None."""
    sign = 1.0
    while type(node) in (promql_parser.ParenExpr, promql_parser.UnaryExpr):
        if type(node) is promql_parser.UnaryExpr:
            sign = -sign
        node = node.expr
    return sign * float(node.val) if type(node) is promql_parser.NumberLiteral else None


def _is_number(node: Any) -> bool:
    return _literal(node) is not None


__all__ = [
    "Equivalent",
    "RuleSignature",
    "canonical_promql",
    "equivalent",
    "find_equivalent",
    "rule_signature",
]
