from __future__ import annotations

from monitorgen.core.generation.vocabulary import (
    concepts,
    split_identifier,
    stem,
    stems,
    unit_of_name,
)


def test_it_splits_snake_and_camel_case_metric_names() -> None:
    assert split_identifier("node_memory_MemAvailable_bytes") == [
        "node", "memory", "mem", "available", "bytes"]


def test_a_binary_unit_in_a_name_stays_one_word() -> None:
    assert split_identifier("agent_system_ram_MiB_average") == [
        "agent", "system", "ram", "mib", "average"]
    assert split_identifier("disk_free_GiB") == ["disk", "free", "gib"]


def test_it_gives_plural_and_past_forms_the_same_stem() -> None:
    assert stem("failures") == stem("failure")
    assert stem("dropped") == stem("drop")


def test_it_expands_abbreviations_in_metric_names() -> None:
    assert stem("connection") in stems("redis_conn_count")
    assert stem("allocation") in stems("runtime_heap_alloc_bytes")
    assert stem("application") in stems("deployer_app_sync_total")
    assert stem("monitor") in stems("store_mon_quorum_status")
    assert stem("zookeeper") in stems("zk_outstanding_requests")
    assert stem("kubernetes") in stems("kube_node_status_condition")


def test_a_noun_of_a_verb_has_the_verbs_stem() -> None:
    assert stem("allocation") == stem("allocated")
    assert stem("utilization") == stem("utilized")
    assert stem("reconciliation") == stem("reconcile")
    assert stem("readiness") == stem("ready")
    assert stem("configuration") == stem("config") == stem("configured")


def test_old_and_new_names_of_a_role_share_a_stem() -> None:
    assert stem("slaves") == stem("replica")
    assert stem("master") == stem("primary")


def test_what_remains_is_what_is_left() -> None:
    assert stem("remaining") == stem("left")


def test_it_maps_everyday_words_to_ops_concepts() -> None:
    assert "latency" in concepts(stems("the checkout is slow"))
    assert "memory" in concepts(stems("we are running out of RAM"))
    assert "error" in concepts(stems("too many 5xx"))


def test_it_reads_the_base_unit_from_the_name_suffix() -> None:
    assert unit_of_name("http_request_duration_seconds_total") == "seconds"
    assert unit_of_name("node_filesystem_size_bytes") == "bytes"
    assert unit_of_name("backup_last_success_timestamp_seconds") == "timestamp"
    assert unit_of_name("worker_queue_length") == ""


def test_galera_is_the_wsrep_of_status_variable_names() -> None:
    assert concepts(stems("Galera node out of sync")) & concepts(
        stems("mysql_global_status_wsrep_local_state"))


def test_larger_and_bigger_speak_of_a_size() -> None:
    assert "size" in concepts(["larger"]) and "size" in concepts(["size"])


def test_a_reload_of_the_configuration_is_no_restart_of_the_process() -> None:
    # A process reloads its configuration without restarting: "restarted twice" is not
    # `config_reloads_total`.
    assert "restart" not in concepts([stem("reloads")])
    assert "restart" in concepts([stem("restarted")])
