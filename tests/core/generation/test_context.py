from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.context import (
    build_context,
    conventions_of,
    prompt_safe_metrics,
    rank_metrics,
    retrieve_examples,
    thresholds_in_use,
)
from monitorgen.core.generation.result import GenerationRequest
from monitorgen.core.spec import AlertingRule


def _rule(name: str, expr: str, *, severity: str = "warning", for_: str = "5m",
          team: str = "shop") -> AlertingRule:
    return AlertingRule.model_validate({
        "alert": name, "expr": expr, "for": for_,
        "labels": {"severity": severity, "team": team},
        "annotations": {"summary": f"{name}.", "description": f"{name} fired."},
    })


def test_it_ranks_the_latency_histogram_first_for_a_latency_intent(shop: Catalog) -> None:
    ranked = rank_metrics("checkout p99 latency above 300ms", shop)
    assert ranked[0].name == "http_request_duration_seconds"


def test_it_ranks_by_name_words_over_shared_prefixes(shop: Catalog) -> None:
    ranked = rank_metrics("payment gateway errors", shop)
    assert ranked[0].name == "payment_gateway_errors_total"


def test_it_gives_reasons_for_each_ranked_metric(shop: Catalog) -> None:
    ranked = rank_metrics("pods restarting", shop)
    assert ranked[0].name == "kube_pod_container_status_restarts_total"
    assert ranked[0].reasons


def test_prompt_safe_metrics_never_contain_help_text(shop: Catalog) -> None:
    ranked = rank_metrics("checkout errors", shop)
    safe = prompt_safe_metrics(ranked)
    assert all(set(entry) <= {"name", "type", "unit", "labels", "label_values"} for entry in safe)
    assert "HTTP requests served." not in str(safe)


def test_prompt_safe_metrics_show_label_values_only_from_the_allowlist(shop: Catalog) -> None:
    ranked = [m for m in rank_metrics("http requests", shop) if m.name == "http_requests_total"]
    safe = prompt_safe_metrics(ranked, allowed_label_values={"service": {"checkout"}})
    assert safe[0]["label_values"] == {"service": ["checkout"]}
    assert "namespace" not in safe[0]["label_values"]


def test_it_retrieves_the_most_similar_approved_rules() -> None:
    rules = (_rule("CheckoutHighLatency", "histogram_quantile(0.99, sum by (le) "
                   "(rate(http_request_duration_seconds_bucket[5m]))) > 0.5"),
             _rule("DiskAlmostFull", "node_filesystem_avail_bytes < 1e9"))
    examples = retrieve_examples("checkout latency is high", rules)
    assert examples[0].alert == "CheckoutHighLatency"


def test_it_learns_the_teams_conventions() -> None:
    rules = (_rule("A", "up == 0", severity="critical", for_="10m"),
             _rule("B", "up == 0", severity="critical", for_="10m"),
             _rule("C", "up == 0", severity="warning", for_="5m"))
    conventions = conventions_of(rules)
    assert conventions.severity == "critical"
    assert conventions.for_ == "10m"
    assert conventions.labels == {"team": "shop"}


def test_the_context_holds_slots_and_scope_from_the_request(shop: Catalog) -> None:
    from monitorgen.core.generation.result import Scope

    context = build_context(GenerationRequest(intent="error rate above 1%", catalog=shop,
                                              scope=Scope(service="checkout")))
    assert context.slots.matchers == {"service": "checkout"}
    assert context.metrics


def test_thresholds_in_use_reads_the_final_condition_of_rules_on_the_metric() -> None:
    rules = (_rule("CheckoutHighLatency", "histogram_quantile(0.99, sum by (le) "
                   "(rate(http_request_duration_seconds_bucket[5m]))) > 0.5"),
             _rule("SearchHighLatency", "histogram_quantile(0.9, sum by (le) "
                   "(rate(http_request_duration_seconds_bucket[5m]))) >= 2"),
             _rule("DiskAlmostFull", "node_filesystem_avail_bytes < 1e9"))
    assert thresholds_in_use(rules, "http_request_duration_seconds") == [
        ("> 0.5", "CheckoutHighLatency"), (">= 2", "SearchHighLatency")]


def test_thresholds_in_use_skips_rules_whose_condition_is_not_a_plain_final_number() -> None:
    rules = (_rule("GuardedErrors", "rate(errors_total[5m]) > 1 and rate(requests_total[5m]) > 0"),
             _rule("VersusLimit", "errors_total > errors_limit"))
    assert thresholds_in_use(rules, "errors_total") == []
