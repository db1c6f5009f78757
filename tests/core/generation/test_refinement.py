from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.embedded import EmbeddedGenerator, add_matchers
from monitorgen.core.generation.result import GenerationRequest, Status
from monitorgen.core.spec import AlertingRule

PREVIOUS = AlertingRule.model_validate({
    "alert": "CheckoutErrors",
    "expr": 'sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) / '
            "sum by (job) (rate(http_requests_total[5m])) > 0.05",
    "for": "5m",
    "labels": {"severity": "critical"},
    "annotations": {"summary": "Errors.", "description": "Errors are {{ $value }}."},
})


def _refine(catalog: Catalog, feedback: str) -> AlertingRule:
    result = EmbeddedGenerator().propose(GenerationRequest(
        intent="checkout errors above 5%", catalog=catalog, previous=PREVIOUS, feedback=feedback))
    assert result.status is Status.OK, result.message
    rule = result.rules[0]
    assert isinstance(rule, AlertingRule)
    return rule


def test_too_noisy_only_page_after_15_minutes_sets_for(shop: Catalog) -> None:
    rule = _refine(shop, "too noisy, only page after 15 minutes")
    assert rule.for_ == "15m"
    assert rule.labels["severity"] == "critical"
    assert rule.expr == PREVIOUS.expr


def test_only_the_payments_namespace_adds_a_matcher_everywhere(shop: Catalog) -> None:
    rule = _refine(shop, "only the payments namespace")
    assert rule.expr.count('namespace="payments"') == 2


def test_use_2_percent_instead_changes_the_threshold_in_the_rules_unit(shop: Catalog) -> None:
    rule = _refine(shop, "use 2% instead")
    assert rule.expr.endswith("> 0.02")


def test_make_it_a_warning_changes_the_severity(shop: Catalog) -> None:
    rule = _refine(shop, "make it a warning")
    assert rule.labels["severity"] == "warning"
    assert rule.for_ == "5m"


def test_feedback_it_cannot_read_gets_a_question(shop: Catalog) -> None:
    result = EmbeddedGenerator().propose(GenerationRequest(
        intent="x", catalog=shop, previous=PREVIOUS, feedback="hmm"))
    assert result.status is Status.CLARIFY


def test_add_matchers_skips_metrics_without_that_label(shop: Catalog) -> None:
    expr = add_matchers("worker_queue_length > 1 and http_requests_total > 0",
                        {"namespace": "shop"}, shop)
    assert expr == 'worker_queue_length > 1 and http_requests_total{namespace="shop"} > 0'
