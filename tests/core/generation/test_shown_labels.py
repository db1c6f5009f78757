"""Labels the alert's text shows through placeholders ("for database <dbname>", "{{
$labels.route }}") are one alert per value: a share must be computed per value of them, or one
database's misses hide among the others' hits. Catalogs and intents are invented."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.slots import extract_slots
from tests.core.generation.proposing import answered_rule, propose

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
