"""Labels the alert's text shows through placeholders ("for database <dbname>", "{{
$labels.route }}") are one alert per value: a share must be computed per value of them, or one
database's misses hide among the others' hits. Catalogs and intents are invented."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.slots import extract_slots
from tests.core.generation.proposing import answered_rule, exporter_catalog, propose

STORE = Catalog.model_validate({"name": "store", "metrics": [
    {"name": "store_db_cache_hits_total", "type": "counter", "help": "Block reads found in cache.",
     "labels": ["dbname"]},
    {"name": "store_db_cache_misses_total", "type": "counter",
     "help": "Block reads that missed the cache.", "labels": ["dbname"]},
    {"name": "store_http_requests_total", "type": "counter", "help": "HTTP requests by code.",
     "labels": ["route", "code"]},
    {"name": "store_db_size_bytes", "type": "gauge", "help": "Database size.",
     "labels": ["dbname"]},
]})


def test_it_keeps_the_label_a_placeholder_shows_in_a_cache_hit_share() -> None:
    rule = answered_rule(propose(STORE, "Store low cache hit rate: the cache hit rate for "
                                        "database <dbname> is <value>, below 95%."))
    assert "sum by (job, instance, dbname) (rate(store_db_cache_hits_total[5m]))" in rule.expr


def test_it_keeps_the_label_a_go_template_shows_in_an_error_share() -> None:
    rule = answered_rule(propose(STORE, "Store HTTP errors: route {{ $labels.route }} is "
                                        "returning more than 5% 5xx errors."))
    assert "sum by (job, instance, route) (rate(store_http_requests_total{code=~\"5..\"}" in (
        rule.expr)


def test_without_placeholders_a_share_is_per_target() -> None:
    rule = answered_rule(propose(STORE, "Store HTTP errors: more than 5% of requests return "
                                        "5xx errors."))
    assert "sum by (job, instance) (rate(store_http_requests_total{code=~\"5..\"}" in rule.expr


def test_a_placeholder_naming_no_catalog_label_is_not_a_label() -> None:
    slots = extract_slots("Store <cluster> route <route> fails <value>% of requests",
                          label_names={"route", "code"})
    assert slots.shown_labels == ("route",)


def test_the_value_and_target_placeholders_are_not_shown_labels() -> None:
    slots = extract_slots("<instance> of <job> is at <value>% for <route>",
                          label_names={"route", "instance", "job"})
    assert slots.shown_labels == ("route",)


def test_the_label_that_splits_errors_from_the_rest_is_not_kept() -> None:
    rule = answered_rule(propose(STORE, "Store HTTP errors: more than 5% of requests return 5xx "
                                        "errors (code <code>)."))
    assert "by (job, instance) (rate(store_http_requests_total{code=~\"5..\"}" in rule.expr


def test_it_never_reads_the_word_after_a_placeholder_as_the_value_of_the_label_before_it() -> None:
    catalog = exporter_catalog("resolver", [
        ("resolver_request_duration_seconds histogram server,zone,job",
         "Histogram of the time each request took to resolve."),
    ])
    rule = answered_rule(propose(
        catalog, "Resolver slow: p99 request duration on server <server> zone <zone> is "
                 "<value>s", answers={"threshold": "above 1s"}))
    assert 'server="zone"' not in rule.expr
    assert "{" not in rule.expr


def test_it_takes_no_workload_name_from_what_is_left_of_a_value_placeholder() -> None:
    catalog = exporter_catalog("gateway", [
        ("gateway_request_duration_seconds histogram job,route",
         "Time taken to serve each request."),
    ])
    rule = answered_rule(propose(
        catalog, "Gateway latency high: Gateway <job> <route> is experiencing a p99 request "
                 "latency of <value>s.", answers={"threshold": "above 1s"}))
    assert 'job="s"' not in rule.expr
