"""A bare number out of a share's known scale: "above 80" of a 0..1 ratio never fires, "above
0.9" of a 0..100 percentage always does. Catalogs and intents are invented."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from tests.core.generation.proposing import answered_rule, exporter_catalog, flat, propose


def _widget() -> Catalog:
    return exporter_catalog("widget", [
        ("widget_disk_used_ratio gauge", "Fraction of the disk in use (0-1)."),
        ("widget_cpu_usage_percent gauge", "CPU usage in percent."),
        ("widget_compression_ratio gauge", "Bytes before compression over bytes after."),
        ("widget_queue_length gauge", "Items in the queue."),
    ])


def test_it_reads_a_bare_number_above_1_of_a_0_to_1_usage_share_as_a_percentage() -> None:
    result = propose(_widget(), "Widget disk usage above 80")
    rule = answered_rule(result)
    assert flat(rule.expr) == "widget_disk_used_ratio>0.8"
    assert "80%" in rule.annotations["summary"]
    assert "read as 80%" in result.rationale


def test_it_reads_a_bare_fraction_of_a_0_to_100_usage_share_as_a_percentage() -> None:
    result = propose(_widget(), "Widget CPU usage above 0.95")
    rule = answered_rule(result)
    assert flat(rule.expr) == "widget_cpu_usage_percent>95"
    assert "95%" in rule.annotations["summary"]


def test_it_keeps_a_bare_number_of_a_ratio_that_is_no_share_in_use() -> None:
    # A compression ratio of 3 is a ratio above 1, not 3%.
    rule = answered_rule(propose(_widget(), "Widget compression ratio above 3"))
    assert flat(rule.expr) == "widget_compression_ratio>3"


def _outcomes() -> Catalog:
    return exporter_catalog("keeper", [
        ("keeper_requests_total counter outcome", "Requests by outcome.",
         {"outcome": ["success", "error", "timeout"]}),
    ])


def test_it_compares_the_success_share_itself_when_the_words_pick_the_success_outcome() -> None:
    # 1 - success/all is the failure share: below 99% whenever all is well.
    rule = answered_rule(propose(_outcomes(), "Keeper success rate below 99%"))
    assert flat(rule.expr) == (
        '(sumby(job,instance)(rate(keeper_requests_total{outcome="success"}[5m]))'
        '/(sumby(job,instance)(rate(keeper_requests_total[5m]))>0))<0.99')


def _cache() -> Catalog:
    return exporter_catalog("stash", [
        ("stash_cache_hit_ratio gauge", "Share of lookups served from cache (0-1)."),
        ("stash_items gauge", "Items in the cache."),
    ])


def test_it_turns_a_miss_share_around_on_a_hit_ratio() -> None:
    # `hit_ratio > 0.2` fires whenever the cache works; a miss ratio above 20% is a hit ratio
    # below 80%.
    result = propose(_cache(), "Stash cache miss ratio above 20%")
    rule = answered_rule(result)
    assert flat(rule.expr) == "stash_cache_hit_ratio<0.8"
    assert "below 80%" in rule.annotations["summary"]


def test_it_reads_a_bare_number_of_a_share_its_help_scales_0_to_1_as_a_percentage() -> None:
    rule = answered_rule(propose(_cache(), "Stash cache hit ratio below 80"))
    assert flat(rule.expr) == "stash_cache_hit_ratio<0.8"


def test_it_turns_a_used_share_around_on_a_free_percentage() -> None:
    # `disk_free_percent > 95` fires on an empty disk; usage above 95% is free below 5%.
    catalog = exporter_catalog("silo", [
        ("silo_disk_free_percent gauge", "Free disk in percent."),
        ("silo_objects gauge", "Objects stored."),
    ])
    rule = answered_rule(propose(catalog, "Silo disk usage above 95%"))
    assert flat(rule.expr) == "silo_disk_free_percent<5"
