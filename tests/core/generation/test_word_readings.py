"""Words that read as another metric's words: "running out of", "system", "index"."""

from __future__ import annotations

from monitorgen.core.generation.ranking import FEATURES, intent_terms, rank_metrics
from monitorgen.core.generation.vocabulary import stem
from tests.core.generation.proposing import answered_rule, exporter_catalog, propose

_STORE = exporter_catalog("store", [
    ("store_procs_running gauge", "Processes in runnable state."),
    ("store_volume_inodes_left gauge", "Inodes left on the data volume."),
    ("store_volume_inodes gauge", "Inodes of the data volume."),
])


def test_it_reads_running_out_of_as_exhaustion_not_as_running() -> None:
    terms = intent_terms("The data volume is running out of inodes")
    assert stem("running") not in terms.all_stems
    assert stem("run") not in intent_terms("Disks will soon run out of space").all_stems
    # A process that is running is still running.
    assert stem("running") in intent_terms("Fewer than 2 worker processes running").all_stems


def test_it_does_not_rank_running_processes_first_for_a_volume_running_out_of_room() -> None:
    ranked = rank_metrics("Store almost running out of room (< 10% left)", _STORE)
    assert ranked[0].name != "store_procs_running"


def test_it_reads_a_btree_as_an_index() -> None:
    catalog = exporter_catalog("dbx", [
        ("dbx_bloat_table_ratio_pct gauge", "Estimated bloat of a table, in percent."),
        ("dbx_bloat_btree_ratio_pct gauge", "Estimated bloat of a B-tree, in percent."),
    ])
    rule = answered_rule(propose(catalog, "Index bloat high: an index is more than 70% bloat"))
    assert rule.expr == "dbx_bloat_btree_ratio_pct > 70"


def test_it_reads_system_cpu_as_the_operating_systems_not_the_processs() -> None:
    catalog = exporter_catalog("searchd", [
        ("searchd_os_cpu_percent gauge", "Recent CPU usage for the whole system."),
        ("searchd_process_cpu_percent gauge", "Recent CPU usage for the searchd process."),
        ("searchd_jvm_heap_used_bytes gauge", "Heap in use."),
    ])
    rule = answered_rule(propose(catalog, "System CPU usage on a search node is above 85%"))
    assert rule.expr == "searchd_os_cpu_percent > 85"


def test_a_name_word_of_the_intents_concept_is_not_read_as_its_pieces() -> None:
    # `filesystem` splits into "file" and "system" (a word of the OS concept), and "Open" of
    # "OpenSearch" is a word of open files: for "disk" it is the whole word, of the disk
    # concept, that matches, not half of its pieces.
    catalog = exporter_catalog("searchd", [
        ("searchd_fs_free_bytes gauge", "Free space."),
        ("searchd_fs_size_bytes gauge", "Size of the data path."),
        ("searchd_shards_active_percent gauge", "Active shards, in percent."),
    ])
    ranked = rank_metrics("OpenSearch disk almost full: disk usage above 90%", catalog)
    free = next(m for m in ranked if m.name == "searchd_fs_free_bytes")
    assert "filesystem (concept)" in free.reasons[0]


def test_it_asks_the_number_of_a_count_of_things_not_of_a_duration() -> None:
    # "<value> messages" counts messages: the number is asked of the ready depth, not of the
    # seconds their lag adds up to, which "delayed" brought up.
    catalog = exporter_catalog("pipelines", [
        ("queue_message_lag_seconds_sum untyped", ""),
        ("queue_message_lag_seconds_count untyped", ""),
        ("queue_ready_depth untyped", ""),
        ("queue_dead_messages_total counter", ""),
        ("queue_messages_published_total counter", ""),
        ("cluster_nodes_ready gauge", ""),
        ("controller_invocations_total counter", ""),
    ])
    result = propose(catalog, "Work queue backing up: the work queue has <value> messages ready "
                              "for delivery but not yet picked up. Pipeline executions may be "
                              "delayed.")
    asked = [q for q in result.questions if q.field == "threshold"]
    assert asked and "of queue_ready_depth" in asked[0].text


def test_a_kind_the_intent_names_is_the_metric_of_that_kind_not_one_split_by_kinds() -> None:
    # "logfile collector": `scrape_collector_success` counts every collector (its label lists
    # none), `logfile_scrape_error` the one meant; the former's `collector` is half a match.
    catalog = exporter_catalog("agent", [
        ("agent_scrape_collector_success gauge collector",
         "agent_exporter: Whether a collector succeeded."),
        ("agent_scrape_collector_duration_seconds gauge collector",
         "agent_exporter: Duration of a collector scrape."),
        ("agent_logfile_scrape_error gauge",
         "1 if there was an error opening or reading a file, 0 otherwise"),
        ("agent_filesystem_files gauge device", "Filesystem total file nodes."),
        ("agent_build_info gauge version", "A metric with a constant 1 value labeled by version."),
    ])
    ranked = rank_metrics("Agent logfile collector scrape error: the agent exporter's logfile "
                          "collector failed to scrape a custom file", catalog)
    assert ranked[0].name == "agent_logfile_scrape_error"
    success = next(m for m in ranked if m.name == "agent_scrape_collector_success")
    assert "collector (unselected kind)" in success.reasons[0]
    # Said alone, the collector is the metric's own word.
    alone = rank_metrics("A collector failed to scrape", catalog)
    success = next(m for m in alone if m.name == "agent_scrape_collector_success")
    assert "collector (unselected kind)" not in success.reasons[0]


def test_a_filesystems_files_are_its_inodes() -> None:
    catalog = exporter_catalog("hostx", [
        ("hostx_fs_avail_bytes gauge mountpoint", "Filesystem space available."),
        ("hostx_fs_free_bytes gauge mountpoint", "Filesystem free space."),
        ("hostx_fs_size_bytes gauge mountpoint", "Filesystem size."),
        ("hostx_fs_files_free gauge mountpoint", "Filesystem free file nodes."),
        ("hostx_fs_files gauge mountpoint", "Filesystem file nodes."),
        ("hostx_procs_running gauge", "Processes in runnable state."),
    ])
    ranked = rank_metrics("Host out of inodes: the disk is running out of inodes", catalog)
    assert {m.name for m in ranked[:2]} == {"hostx_fs_files", "hostx_fs_files_free"}
    files = next(m for m in ranked if m.name == "hostx_fs_files")
    assert "files (synonym)" in files.reasons[0]


def test_it_asks_for_the_status_label_of_the_request_counter_not_of_requests_in_flight() -> None:
    # Requests in flight have no status code yet: the label is asked of the histogram of
    # requests, which ties with them by name.
    catalog = exporter_catalog("gate", [
        ("gate_proxy_http_in_flight_requests unknown", ""),
        ("gate_proxy_http_request_duration_seconds histogram", ""),
        ("gate_build_info gauge", ""),
        ("gate_sidekiq_jobs_total counter", ""),
    ])
    result = propose(catalog, "Gate proxy high error rate: Gate proxy on <instance> is returning "
                              "more than 10% HTTP 5xx errors.")
    asked = [q for q in result.questions if q.field == "status_label"]
    assert asked and "of gate_proxy_http_request_duration_seconds" in asked[0].text


def test_a_metric_of_another_resource_is_no_measure_of_the_one_the_intent_names() -> None:
    # "Volume usage": `cpu_usage` says usage, but of the CPU; the filesystem is the volume.
    catalog = exporter_catalog("box", [
        ("box_cpu_usage_seconds_total counter name", "Cumulative cpu time consumed."),
        ("box_fs_inodes_free gauge device", "Number of available inodes."),
        ("box_fs_inodes_total gauge device", "Number of inodes."),
        ("box_last_seen gauge name", "Last time a box was seen."),
        ("box_health_state gauge name", "Health of a box."),
    ])
    ranked = rank_metrics("Box volume usage: box volume usage is above 80%", catalog)
    assert ranked[0].name != "box_cpu_usage_seconds_total"
    cpu = next(m for m in ranked if m.name == "box_cpu_usage_seconds_total")
    assert cpu.features[FEATURES.index("direction")] == -1.0


def test_a_count_by_status_class_is_what_a_stated_class_names() -> None:
    # `rq_xx` counts responses by class (its label holds the digit): "5xx" names it, not the
    # timeouts beside it.
    catalog = exporter_catalog("edge", [
        ("edge_upstream_rq_timeout unknown", ""),
        ("edge_upstream_rq_xx unknown", ""),
        ("edge_upstream_rq_completed unknown", ""),
        ("edge_upstream_cx_connect_fail unknown", ""),
    ])
    ranked = rank_metrics("Edge upstream 5xx error rate: more than 5% of upstream requests "
                          "return 5xx", catalog)
    assert ranked[0].name == "edge_upstream_rq_xx"
