"""Shared by the generator's tests: ask the embedded generator, and unwrap an answered rule."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.embedded import EmbeddedGenerator
from monitorgen.core.generation.planner import Plan, plan_candidates
from monitorgen.core.generation.result import GenerationRequest, GenerationResult, Scope, Status
from monitorgen.core.promql import analyze_expr
from monitorgen.core.spec import AlertingRule


def propose(catalog: Catalog, intent: str, *, answers: dict[str, str] | None = None,
            scope: Scope | None = None,
            approved: tuple[AlertingRule, ...] = ()) -> GenerationResult:
    request = GenerationRequest(intent=intent, catalog=catalog, answers=answers or {},
                                scope=scope or Scope(), approved_rules=approved)
    return EmbeddedGenerator().propose(request)


def answered_rule(result: GenerationResult) -> AlertingRule:
    """The rule of an `ok` result; fails with the generator's message and questions otherwise."""
    assert result.status is Status.OK, (result.message, result.questions)
    rule = result.rules[0]
    assert isinstance(rule, AlertingRule)
    return rule


def invented_catalog(*metrics: dict[str, object]) -> Catalog:
    """A small catalog written for one test, from metric entries."""
    return Catalog.model_validate({"name": "invented", "metrics": list(metrics)})


def plan_for(intent: str, catalog: Catalog) -> Plan:
    """The embedded planner's plan for an intent (candidates, confidence, question)."""
    return plan_candidates(GenerationRequest(intent=intent, catalog=catalog))


def flat(expr: str) -> str:
    """An expression without spaces, to compare it whatever the rendering's spacing."""
    return expr.replace(" ", "")


def exporter_catalog(name: str, metrics: list[tuple[object, ...]]) -> Catalog:
    """An invented exporter's catalog, metrics as ("name type label,label", help[, values])."""
    entries = []
    for spec, help_text, *values in metrics:
        metric_name, kind, *labels = str(spec).split()
        entries.append({"name": metric_name, "type": kind, "help": help_text,
                        "labels": labels[0].split(",") if labels else [],
                        "label_values": values[0] if values else {}})
    return Catalog.model_validate({"name": name, "metrics": entries})


def families(rule: AlertingRule) -> set[str]:
    """The metric families a rule's expression reads."""
    return set(analyze_expr(rule.expr).families)
