from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.ranking import intent_terms, intent_words, rank_metrics
from monitorgen.core.generation.slots import extract_slots


def _catalog(*names: str, **types: str) -> Catalog:
    return Catalog.model_validate({"name": "rank", "metrics": [
        {"name": n, "type": types.get(n, "gauge")} for n in names]})


def _top(catalog: Catalog, intent: str) -> str:
    return rank_metrics(intent, catalog)[0].name


def test_a_failure_matches_the_success_flag_it_negates() -> None:
    catalog = _catalog("probe_success", "probe_duration_seconds", "probe_http_status_code")
    assert _top(catalog, "Blackbox probe failed") == "probe_success"


def test_a_name_that_negates_an_intent_word_matches_it() -> None:
    catalog = _catalog("vault_core_unsealed", "vault_core_active")
    assert _top(catalog, "Vault is sealed") == "vault_core_unsealed"


def test_run_together_name_words_are_split_into_the_intents_words() -> None:
    catalog = _catalog("hadoop_namenode_volumefailurestotal", "hadoop_task_failures_total",
                       "hadoop_heap_bytes")
    assert _top(catalog, "HDFS volume failures") == "hadoop_namenode_volumefailurestotal"


def test_it_keeps_inbound_and_outbound_apart() -> None:
    catalog = _catalog("ifInErrors", "ifOutErrors", ifInErrors="counter", ifOutErrors="counter")
    assert _top(catalog, "interface has outbound errors") == "ifOutErrors"
    assert _top(catalog, "interface has inbound errors") == "ifInErrors"


def test_filling_up_is_not_about_an_up_flag() -> None:
    assert "up" not in intent_words("memory is filling up")
    assert "down" not in intent_words("communication is slowing down")
    assert "down" in intent_words("the node went down")


def test_connections_freeing_up_are_not_about_an_up_flag() -> None:
    assert "up" not in intent_words("connections are rejected until connections free up")
    assert "up" not in intent_words("the pool is used up")


def test_one_intent_word_does_not_explain_two_name_words() -> None:
    catalog = _catalog("node_memory_SwapFree_bytes", "node_memory_MemAvailable_bytes")
    # "memory" explains `memory`; it must not also stand in for `swap`.
    ranked = {m.name: m for m in rank_metrics("node memory is almost full", catalog)}
    assert "swap" in ranked["node_memory_SwapFree_bytes"].missing


def test_a_camel_case_product_name_stays_one_word() -> None:
    assert intent_words("MySQL is down") == ["mysql", "is", "down"]
    assert intent_words("StatefulSet replicas")[:3] == ["statefulset", "stateful", "set"]


def test_label_values_the_intent_names_raise_a_metric() -> None:
    catalog = Catalog.model_validate({"name": "k8s", "metrics": [
        {"name": "kube_pod_status_phase", "type": "gauge", "labels": ["pod", "phase"]},
        {"name": "kube_pod_status_ready", "type": "gauge", "labels": ["pod"]}]})
    top = rank_metrics("pods stuck in Pending", catalog)[0]
    assert top.name == "kube_pod_status_phase"
    assert [v.render() for v in top.values] == ['phase="Pending"']


def test_the_title_share_counts_synonyms() -> None:
    catalog = _catalog("http_request_duration_seconds", http_request_duration_seconds="histogram")
    assert rank_metrics("API latency: requests are slow", catalog)[0].title > 0


def test_a_camel_case_word_split_in_a_name_counts_once() -> None:
    # "FooBar" in the intent is one word; `FooBarSession` must not score it twice over the
    # metric the title is about.
    catalog = _catalog("DocStoreMetrics_FooBarSession", "DocStoreMetrics_StaleIndex")
    intent = "DocStore stale index: an index went stale after losing its FooBar session"
    assert _top(catalog, intent) == "DocStoreMetrics_StaleIndex"


def test_a_word_the_intent_also_writes_alone_is_not_used_up_by_its_compound() -> None:
    catalog = _catalog("mesh_meshlink_remote_peer_ready", "mesh_tunnellink_remote_peer_ready")
    ranked = {m.name: m for m in rank_metrics("MeshLink remote peer not ready: the remote peer "
                                              "of the mesh link is not ready", catalog)}
    assert ranked["mesh_meshlink_remote_peer_ready"].missing == ()
    assert _top(catalog, "MeshLink remote peer not ready") == "mesh_meshlink_remote_peer_ready"


def test_a_short_name_word_matches_the_initials_of_title_words() -> None:
    catalog = _catalog("store_vg_free_bytes", "store_pool_free_bytes")
    assert _top(catalog, "Store volume group almost full: little space left") == (
        "store_vg_free_bytes")


def test_initials_of_running_prose_are_no_acronym() -> None:
    terms = intent_terms("Open files high: the kernel can no longer open new files")
    assert "nf" not in terms.acronyms


def test_backed_up_is_not_about_an_up_flag() -> None:
    assert "up" not in intent_words("the cache has not been backed up for a day")


def test_an_abbreviation_run_into_a_name_word_is_read_as_its_word() -> None:
    catalog = _catalog("kern_filefd_used", "kern_files_total")
    ranked = {m.name: m for m in rank_metrics("kernel file descriptors used", catalog)}
    assert "filefd" not in ranked["kern_filefd_used"].missing


def test_a_part_of_a_camel_case_word_is_half_a_match() -> None:
    # "BatchRun" names `batchrun`; a name with just `run` only shares half of it.
    catalog = _catalog("sched_run_status_failed", "sched_batchrun_last_success_time")
    ranked = {m.name: m for m in rank_metrics("BatchRun failing: BatchRun is failing", catalog)}
    assert ranked["sched_run_status_failed"].coverage < 1.0
    assert "run (part)" in ranked["sched_run_status_failed"].reasons[0]


def test_a_count_that_is_increasing_fits_a_counter() -> None:
    catalog = _catalog("feeder_fetch_errors_total", feeder_fetch_errors_total="counter")
    [rising] = rank_metrics("Feeder fetch errors increasing", catalog)
    [plain] = rank_metrics("Feeder fetch errors", catalog)
    assert "a counter fits a rate" in rising.reasons
    assert rising.score > plain.score


def test_name_words_run_together_in_either_order_match() -> None:
    # "maxmemory" is `memory_max` (and `max` is read as "maximum" elsewhere).
    catalog = _catalog("cache_memory_max_bytes", "cache_config_maxclients")
    assert _top(catalog, "Cache out of configured maxmemory") == "cache_memory_max_bytes"


def test_bandwidth_is_measured_in_bytes() -> None:
    catalog = _catalog("link_sent_packets_total", "link_sent_data_bytes_total",
                       link_sent_packets_total="counter", link_sent_data_bytes_total="counter")
    assert _top(catalog, "Link sent throughput is high") == "link_sent_data_bytes_total"


def test_a_short_real_word_is_no_acronym() -> None:
    # "Node Exporter Warning" spells `new`, but `new` is a word, not initials.
    catalog = _catalog("node_new_sessions_total", "node_exporter_build_info")
    ranked = {m.name: m for m in rank_metrics("Node exporter warning", catalog)}
    assert "new" in ranked["node_new_sessions_total"].missing


def test_a_word_every_description_uses_weighs_less_than_the_one_that_names_the_subject() -> None:
    # Every metric of a board exporter reports a sensor: "fan sensor" means the fan's state.
    catalog = Catalog.model_validate({"name": "boards", "metrics": [
        {"name": "board_sensor_state", "type": "gauge", "help": "Severity reported by a board sensor."},
        {"name": "board_fan_state", "type": "gauge", "help": "Severity reported by a fan sensor."},
        {"name": "board_chassis_fan_state", "type": "gauge", "help": "Chassis fan on or off."},
        {"name": "board_voltage_state", "type": "gauge",
         "help": "Severity reported by a voltage sensor."},
        {"name": "board_current_state", "type": "gauge",
         "help": "Severity reported by a current sensor."},
        {"name": "board_temperature_state", "type": "gauge",
         "help": "Severity reported by a temperature sensor."},
    ]})
    assert _top(catalog, "Board fan sensor warning: board fan sensor <name> is in warning "
                         "state") == "board_fan_state"


def test_a_name_split_in_two_explains_the_title_word_of_both() -> None:
    # `hostUpTime` is the uptime a restart resets: the title "restarted" is about it.
    catalog = _catalog("hostUpTime", "ifSpeed")
    ranked = rank_metrics("Router restarted: router has restarted (uptime < 5 minutes)", catalog)
    assert ranked[0].name == "hostUpTime"
    assert ranked[0].title == 1.0


def test_a_dead_letter_queue_is_not_about_something_dead() -> None:
    catalog = _catalog("broker_up", "broker_queue_messages", "broker_running")
    ranked = {m.name: m for m in rank_metrics(
        "Broker dead letter queue filling up: the dead letter queue holds > 10 messages",
        catalog)}
    assert "broker_up" not in ranked or ranked["broker_up"].coverage < 0.5


def test_the_last_minutes_of_a_window_are_no_last_timestamp() -> None:
    catalog = _catalog("exporter_scrape_errors_total", "exporter_last_scrape_error",
                       exporter_scrape_errors_total="counter")
    assert _top(catalog, "Exporter scrape errors: 5 scrape errors in the last 15 minutes") == (
        "exporter_scrape_errors_total")
    assert intent_words("the last 5m, the past hour, the last backup") == [
        "the", "5m", "the", "hour", "the", "last", "backup"]


def test_members_of_a_cluster_talk_to_their_peers_over_the_network() -> None:
    catalog = _catalog("store_network_peer_round_trip_time_seconds",
                       "store_http_successful_duration_seconds",
                       "store_disk_commit_duration_seconds",
                       store_network_peer_round_trip_time_seconds="histogram",
                       store_http_successful_duration_seconds="histogram",
                       store_disk_commit_duration_seconds="histogram")
    assert _top(catalog, "Store member communication slow: member communication slowing down, "
                         "99th percentile is over 0.15s") == (
        "store_network_peer_round_trip_time_seconds")


def test_two_stop_words_the_intent_says_together_are_a_phrase_of_the_name() -> None:
    # "critical warning" is filler one word at a time, but `critical_warning` names the
    # controller's flag the intent speaks of.
    catalog = _catalog("diskmon_device_critical_warning", "diskmon_device_smart_status")
    assert _top(catalog, "SMART critical warning: the disk controller has a critical warning on "
                         "<instance>") == "diskmon_device_critical_warning"


def test_a_phrase_of_stop_words_in_the_title_settles_which_flag_is_meant() -> None:
    from monitorgen.core.generation.planner import plan_candidates
    from monitorgen.core.generation.result import GenerationRequest

    catalog = _catalog("diskmon_device_critical_warning", "diskmon_device_smart_status",
                       diskmon_device_critical_warning="counter")
    plan = plan_candidates(GenerationRequest(
        intent="SMART critical warning: the disk controller has a critical warning on <instance>",
        catalog=catalog))
    assert plan.question is None
    assert "diskmon_device_critical_warning" in plan.candidates[0].expr


def test_a_duration_run_on_to_its_number_names_the_number_of_a_metric() -> None:
    # "load average (1m)" says the 1 of `load1`; "for 15m" only says how long.
    assert "1" in intent_words("load average (1m) is high")
    assert "15" not in intent_words("load is high for 15m")
def test_failed_grpc_requests_never_read_a_counter_of_another_protocol() -> None:
    catalog = Catalog.model_validate({"name": "rank", "metrics": [
        {"name": "kvstore_http_failed_total", "type": "counter"},
        {"name": "kvstore_http_received_total", "type": "counter"},
        {"name": "kvstore_server_has_leader", "type": "gauge"},
        {"name": "kvstore_server_proposals_applied_total", "type": "counter"},
        {"name": "kvstore_disk_wal_fsync_duration_seconds", "type": "histogram"},
        {"name": "grpc_server_handled_total", "type": "counter",
         "help": "Total number of RPCs completed on the server, regardless of success or failure."},
    ]})
    ranked = [m.name for m in rank_metrics(
        "Kvstore failed gRPC requests: more than 5% of gRPC requests fail", catalog)]
    assert ranked.index("grpc_server_handled_total") < ranked.index("kvstore_http_failed_total")


def test_a_backlog_of_value_jobs_counts_jobs_not_how_long_they_queued() -> None:
    catalog = _catalog("worker_jobs_queue_duration_seconds", "worker_queue_size",
                       "worker_running_jobs", "worker_jobs_completion_seconds")
    intent = ("Worker queue not draining: worker queue <name> has had a backlog of <value> jobs "
              "for 30 minutes")
    slots = extract_slots(intent)
    assert slots.counted == "jobs"
    assert rank_metrics(slots.text, catalog, slots=slots)[0].name == "worker_queue_size"
