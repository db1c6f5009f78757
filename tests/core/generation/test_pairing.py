from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.pairing import find_pairs
from tests.core.generation.proposing import invented_catalog


def _pairs(catalog: Catalog, name: str, **kwargs: object) -> list[tuple[str, str, str]]:
    metric = catalog.family(name)
    assert metric is not None
    return [(p.numerator.name, p.denominator.name, p.kind)
            for p in find_pairs(metric, catalog, **kwargs)]  # type: ignore[arg-type]


FILESYSTEM = invented_catalog(
    {"name": "node_filesystem_avail_bytes", "type": "gauge", "labels": ["device", "mountpoint"]},
    {"name": "node_filesystem_size_bytes", "type": "gauge", "labels": ["device", "mountpoint"]},
    {"name": "node_filesystem_files_free", "type": "gauge", "labels": ["device", "mountpoint"]},
    {"name": "node_filesystem_files", "type": "gauge", "labels": ["device", "mountpoint"]},
)


def test_space_left_pairs_with_the_size_not_with_the_inode_count() -> None:
    assert _pairs(FILESYSTEM, "node_filesystem_avail_bytes")[0] == (
        "node_filesystem_avail_bytes", "node_filesystem_size_bytes", "part-of-whole")


def test_a_whole_named_without_a_limit_word_is_the_name_without_the_part_word() -> None:
    assert _pairs(FILESYSTEM, "node_filesystem_files_free")[0] == (
        "node_filesystem_files_free", "node_filesystem_files", "part-of-whole")


def test_a_part_and_a_whole_share_a_unit() -> None:
    catalog = invented_catalog({"name": "app_memory_used_bytes", "type": "gauge"},
                       {"name": "app_memory_max_objects", "type": "gauge"})
    assert _pairs(catalog, "app_memory_used_bytes") == []


def test_it_prefers_the_whole_whose_series_line_up_and_whose_help_speaks_of_a_limit() -> None:
    catalog = invented_catalog(
        {"name": "pool_connections_used", "type": "gauge", "labels": ["pool"]},
        {"name": "pool_connections_max", "type": "gauge", "labels": ["pool"],
         "help": "Maximum number of connections allowed in the pool."},
        {"name": "pool_connections_limit", "type": "gauge", "labels": ["region"]},
    )
    assert _pairs(catalog, "pool_connections_used")[0][1] == "pool_connections_max"


def test_a_size_is_the_part_of_a_capacity() -> None:
    catalog = invented_catalog({"name": "exporter_queue_size", "type": "gauge"},
                       {"name": "exporter_queue_capacity", "type": "gauge"})
    assert _pairs(catalog, "exporter_queue_size") == [
        ("exporter_queue_size", "exporter_queue_capacity", "part-of-whole")]


def test_used_and_free_add_up_to_the_whole_when_no_capacity_is_exported() -> None:
    catalog = invented_catalog({"name": "cluster_vcores_allocated", "type": "gauge"},
                       {"name": "cluster_vcores_available", "type": "gauge"})
    assert _pairs(catalog, "cluster_vcores_allocated") == [
        ("cluster_vcores_allocated", "cluster_vcores_available", "part-of-sum")]


def test_run_together_role_words_are_split() -> None:
    catalog = invented_catalog({"name": "redis_connected_clients", "type": "gauge"},
                       {"name": "redis_config_maxclients", "type": "gauge"})
    assert _pairs(catalog, "redis_connected_clients")[0][1] == "redis_config_maxclients"


def test_errors_pair_with_all_attempts_of_the_same_operation() -> None:
    catalog = invented_catalog({"name": "dns_lookup_failures_total", "type": "counter"},
                       {"name": "dns_lookups_total", "type": "counter"},
                       {"name": "http_requests_total", "type": "counter"})
    assert _pairs(catalog, "dns_lookup_failures_total", errors=True) == [
        ("dns_lookup_failures_total", "dns_lookups_total", "errors-of-all")]


def test_unrelated_subjects_do_not_pair() -> None:
    catalog = invented_catalog({"name": "kube_statefulset_status_replicas", "type": "gauge"},
                       {"name": "kube_hpa_spec_max_replicas", "type": "gauge"},
                       {"name": "kube_statefulset_replicas", "type": "gauge"},
                       {"name": "kube_deployment_status_replicas", "type": "gauge"})
    assert all(whole != "kube_hpa_spec_max_replicas"
               for _, whole, _ in _pairs(catalog, "kube_statefulset_status_replicas"))


def test_it_never_pairs_a_count_with_the_longest_duration_of_its_subject() -> None:
    catalog = invented_catalog({"name": "db_activity_count", "type": "gauge"},
                               {"name": "db_activity_max_tx_duration", "type": "gauge"})
    assert _pairs(catalog, "db_activity_count") == []


def test_a_duration_still_pairs_with_its_timeout() -> None:
    catalog = invented_catalog({"name": "db_query_duration", "type": "gauge"},
                               {"name": "db_query_max_timeout", "type": "gauge"})
    assert _pairs(catalog, "db_query_duration") == [
        ("db_query_duration", "db_query_max_timeout", "part-of-whole")]
