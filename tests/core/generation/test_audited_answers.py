"""Answers a reviewing SRE would send back: a measure read as a flag, the monitored system read
as a scope value, annotations that misstate the value. Catalogs and intents are invented."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.result import Status
from tests.core.generation.proposing import answered_rule, flat, invented_catalog, plan_for, propose


def _pods() -> Catalog:
    return invented_catalog(
        {"name": "container_memory_working_set_bytes", "type": "gauge",
         "help": "Current working set of the container in bytes.",
         "labels": ["namespace", "pod", "container"]},
        {"name": "kube_pod_container_resource_requests", "type": "gauge",
         "help": "The number of requested request resource by a container.",
         "labels": ["namespace", "pod", "container", "resource", "unit"],
         "label_values": {"resource": ["cpu", "memory"], "unit": ["core", "byte"]}},
    )


def test_it_never_reads_a_measure_in_bytes_as_a_flag_of_a_participle_in_its_name() -> None:
    # "working" in `working_set_bytes` is no condition that holds: `> 0` would always fire.
    result = propose(_pods(), "pod memory working set above the memory request")
    if result.status is Status.OK:
        assert "working_set_bytes>0" not in flat(result.rules[0].expr)
    else:
        assert result.questions


def _vault() -> Catalog:
    return invented_catalog(
        {"name": "vault_core_active", "type": "gauge",
         "help": "Whether this node is the active node (1) or a standby (0).",
         "labels": ["cluster", "instance", "job"]},
    )


def test_it_reads_the_system_named_before_cluster_as_the_system_not_a_cluster_value() -> None:
    rule = answered_rule(propose(_vault(), "no active node in the vault cluster"))
    assert 'cluster="vault"' not in rule.expr


def test_it_still_reads_another_name_before_cluster_as_the_cluster_value() -> None:
    rule = answered_rule(propose(_vault(), "no active node in the payments cluster"))
    assert 'cluster="payments"' in rule.expr


def test_it_states_a_size_threshold_once_in_the_annotations() -> None:
    catalog = invented_catalog(
        {"name": "broker_resident_memory_bytes", "type": "gauge",
         "help": "Resident memory of the broker in bytes."},
    )
    rule = answered_rule(propose(catalog, "broker resident memory is above 200MB"))
    assert "above 200 MB" in rule.annotations["summary"]
    assert "200 200MB" not in rule.annotations["summary"]


def test_it_describes_one_minus_the_free_share_as_the_share_in_use() -> None:
    catalog = invented_catalog(
        {"name": "store_disk_available_bytes", "type": "gauge",
         "help": "Disk space available to the store in bytes."},
        {"name": "store_disk_total_bytes", "type": "gauge",
         "help": "Total disk space of the store in bytes."},
    )
    rule = answered_rule(propose(catalog, "store disk usage is above 90%"))
    assert flat(rule.expr).startswith("(1-store_disk_available_bytes/")
    summary = rule.annotations["summary"]
    assert "in use" in summary
    assert "share of store disk available" not in summary


def test_it_keeps_the_label_of_a_specific_target_the_intent_singles_out_in_an_error_share() -> None:
    catalog = invented_catalog(
        {"name": "shipper_sends_failed_total", "type": "counter",
         "help": "Total number of failed sends to a receiver.", "labels": ["receiver"]},
        {"name": "shipper_sends_total", "type": "counter",
         "help": "Total number of sends to a receiver.", "labels": ["receiver"]},
    )
    rule = answered_rule(propose(
        catalog, "the shipper is failing more than 5% of sends to a specific receiver"))
    assert "by(job,instance,receiver)" in flat(rule.expr)


def test_it_says_a_high_rate_without_a_number_fires_on_any_increase() -> None:
    catalog = invented_catalog(
        {"name": "cache_items_evicted_total", "type": "counter",
         "help": "Total number of items evicted from the cache."},
    )
    result = propose(catalog, "Cache high eviction rate: the cache is evicting items at a high rate")
    rule = answered_rule(result)
    assert flat(rule.expr) == "increase(cache_items_evicted_total[5m])>0"
    assert "fires on any increase" in result.rationale



def _grid() -> Catalog:
    return invented_catalog(
        {"name": "grid_cluster_status", "type": "gauge", "help": "Cluster status."},
    )


def test_it_pages_for_a_cluster_in_the_red_level_of_the_health_scale() -> None:
    rule = answered_rule(propose(_grid(), "Grid cluster is RED: some primary shards are unassigned"))
    assert flat(rule.expr) == "grid_cluster_status==2"
    assert rule.labels["severity"] == "critical"


def test_it_warns_for_a_cluster_in_the_yellow_level_of_the_health_scale() -> None:
    rule = answered_rule(propose(_grid(), "Grid cluster is YELLOW: some replicas are unassigned"))
    assert flat(rule.expr) == "grid_cluster_status==1"
    assert rule.labels["severity"] == "warning"


def test_it_describes_the_value_of_a_multiple_of_the_daily_average_as_the_multiple() -> None:
    catalog = invented_catalog(
        {"name": "kernel_forks_total", "type": "counter", "help": "Total number of forks."},
    )
    rule = answered_rule(propose(
        catalog, "forks are growing: twice the daily average during the last 15m"))
    assert flat(rule.expr).startswith("rate(kernel_forks_total[15m])/(rate(kernel_forks_total[1d])")
    assert "as a multiple of its average over 1d is above 2" in rule.annotations["summary"]


def test_it_says_which_window_it_assumed_for_work_that_stopped() -> None:
    catalog = invented_catalog(
        {"name": "shipper_uploads_total", "type": "counter",
         "help": "Total number of blocks uploaded."},
    )
    result = propose(catalog, "shipper stopped uploading blocks")
    rule = answered_rule(result)
    assert flat(rule.expr) == "increase(shipper_uploads_total[10m])==0"
    assert "no period is given: assumed nothing in 10m" in result.rationale


def test_no_successful_reads_is_no_silence_of_a_counter_of_all_reads() -> None:
    # Failing reads still count as requests: `increase(requests) == 0` would stay silent when
    # every read fails.
    catalog = invented_catalog(
        {"name": "tracer_storage_requests_total", "type": "counter", "help": ""},
        {"name": "tracer_storage_reads_ok_total", "type": "counter", "help": ""},
    )
    plan = plan_for("Tracer has no successful storage reads in the past 15 minutes", catalog)
    assert not any(c.expr == "increase(tracer_storage_requests_total[15m]) == 0"
                   for c in plan.candidates)


def test_no_reads_at_all_is_a_silent_counter() -> None:
    catalog = invented_catalog(
        {"name": "tracer_storage_requests_total", "type": "counter", "help": ""},
    )
    rule = answered_rule(propose(catalog, "Tracer has no storage requests in the past 15 minutes"))
    assert flat(rule.expr) == "increase(tracer_storage_requests_total[15m])==0"
