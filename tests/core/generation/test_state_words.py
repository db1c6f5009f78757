"""State words that only seem to say a service is down: "dead tuples", "missing backup",
"missed their schedule", advice such as "Run 'x' to fix it", and "has no leader" of a flag
that is 1 on the leader. Catalogs here are invented for the tests."""

from __future__ import annotations

from dataclasses import replace

import pytest

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation import recipes
from monitorgen.core.generation.ranking import intent_terms
from monitorgen.core.generation.result import Status
from monitorgen.core.generation.slots import clean_intent, extract_slots
from monitorgen.core.generation.vocabulary import stem
from tests.core.generation.proposing import answered_rule, flat, invented_catalog, propose

UP = stem("up")


# --- adjectives of things that do not run ----------------------------------------------------
def test_missing_before_a_thing_that_does_not_run_says_nothing_of_up() -> None:
    assert UP not in intent_terms("Vault missing snapshot: no snapshot taken for 2 days").opposites


def test_dead_rows_are_no_dead_service() -> None:
    terms = intent_terms("Ledger too many dead rows: dead rows pile up in the ledger table")
    assert UP not in terms.opposites
    assert stem("live") not in terms.opposites


@pytest.mark.parametrize("intent", ["Queue missing leader", "Grid has dead workers",
                                    "Store missing data nodes", "Cache node is dead",
                                    "Exporter metrics missing even though it is scraped"])
def test_missing_or_dead_components_still_read_as_down(intent: str) -> None:
    assert UP in intent_terms(intent).opposites


def test_missed_says_an_event_was_skipped_not_that_something_is_down() -> None:
    terms = intent_terms("Batch jobs missed their schedule window")
    assert UP not in terms.opposites
    assert "down" not in terms.concepts


def test_cache_misses_stay_the_opposite_of_hits_only() -> None:
    terms = intent_terms("Too many cache misses")
    assert stem("hit") in terms.opposites
    assert UP not in terms.opposites


def test_missing_still_reads_as_down() -> None:
    assert "down" in intent_terms("Ledger replica missing").concepts


@pytest.fixture
def ledger() -> Catalog:
    return invented_catalog(
        {"name": "ledger_up", "type": "gauge",
         "help": "1 if the ledger server answered the last probe.", "labels": ["instance"]},
        {"name": "ledger_last_snapshot_timestamp_seconds", "type": "gauge",
         "help": "Time of the last completed snapshot.", "labels": ["instance"]},
        {"name": "ledger_table_dead_rows", "type": "gauge",
         "help": "Rows deleted but not yet vacuumed.", "labels": ["table"]},
        {"name": "ledger_table_live_rows", "type": "gauge", "help": "Rows in use.",
         "labels": ["table"]},
    )


def test_a_missing_snapshot_is_not_the_server_being_down(ledger: Catalog) -> None:
    result = propose(ledger, "Ledger missing snapshot: Ledger has not been snapshotted for 24 hours")
    if result.status is Status.OK:
        assert "ledger_up" not in result.rules[0].expr


def test_too_many_dead_rows_is_not_the_server_being_down(ledger: Catalog) -> None:
    result = propose(ledger, "Ledger too many dead rows: ledger dead rows are too many")
    if result.status is Status.OK:
        assert "ledger_up" not in result.rules[0].expr


# --- advice to whoever is paged ------------------------------------------------------------------
def test_it_drops_advice_sentences_from_the_intent() -> None:
    text = clean_intent("Disk almost full. Run 'cleanup --all' to free space. Check the logs.")
    assert text == "Disk almost full."


@pytest.mark.parametrize("text", ["Host high load: Run queue length is above 10.",
                                  "Probe slow: Check duration above 5s."])
def test_a_sentence_with_a_number_or_a_run_queue_is_no_advice(text: str) -> None:
    assert clean_intent(text) == text


@pytest.mark.parametrize("text", [
    "Ledger TLS compression active: compression is enabled. Replicas should turn off TLS "
    "compression via `tlscompression=0` in `replica.conf`.",
    "Ledger TLS compression active: compression is enabled. If this fires often, we may need to "
    "increase the ledger setting max_streams.",
])
def test_it_drops_recommendations_whose_only_numbers_are_quoted_settings(text: str) -> None:
    assert clean_intent(text) == "Ledger TLS compression active: compression is enabled."


@pytest.mark.parametrize("text", ["Ledger members: there should be 3 members.",
                                  "Ledger replicas should be set to 3 replicas."])
def test_an_expectation_or_a_stated_number_is_no_recommendation(text: str) -> None:
    assert clean_intent(text) == text


def test_advice_alone_is_kept() -> None:
    assert clean_intent("Check that the backup ran") == "Check that the backup ran"


def test_run_in_advice_is_no_running_state() -> None:
    terms = intent_terms("Pool not compacted: segments skipped compaction. Run 'pool compact' now.")
    assert stem("down") not in terms.opposites


# --- a flag that is 1 on the leader --------------------------------------------------------------
def test_has_no_leader_reads_the_leader_flag_as_zero() -> None:
    catalog = invented_catalog(
        {"name": "raftdb_leader", "type": "gauge",
         "help": "Value is 1 if this node is the leader, 0 otherwise.",
         "labels": ["instance", "cluster"]},
        {"name": "raftdb_commits_total", "type": "counter", "help": "Commits applied."},
    )
    result = propose(catalog, "Raftdb has no leader: no leader node can be found in the cluster")
    if result.status is Status.OK:
        expr = flat(answered_rule(result).expr)
        assert "==1" not in expr
        assert expr.endswith("==0") or expr.endswith("<1")


# --- behaviour of answered rules -------------------------------------------------------------------
def test_the_used_part_of_availabilities_is_not_read_as_free() -> None:
    catalog = invented_catalog(
        {"name": "ipam_pool_availabilities_used", "type": "gauge",
         "help": "Addresses handed out from the pool.", "labels": ["pool"]},
        {"name": "ipam_pool_availabilities_total", "type": "gauge",
         "help": "Addresses the pool holds.", "labels": ["pool"]},
    )
    rule = answered_rule(propose(catalog, "IPAM pool exhaustion: pool has used over 90% of "
                                          "its addresses"))
    assert "1 -" not in rule.expr
    assert "ipam_pool_availabilities_used" in rule.expr
    assert flat(rule.expr).endswith(">0.9")


def test_cpu_steal_is_not_read_from_a_cpu_share_that_cannot_select_it() -> None:
    catalog = invented_catalog(
        {"name": "hostagent_cpu_percentage", "type": "gauge", "help": "CPU time in percent."},
        {"name": "hostagent_disk_used_percentage", "type": "gauge", "help": "Disk used."},
    )
    result = propose(catalog, "Host CPU steal: CPU steal is above 10%")
    assert result.status is not Status.OK


def test_cpu_steal_uses_a_mode_label_when_there_is_one() -> None:
    catalog = invented_catalog(
        {"name": "hostagent_cpu_seconds_total", "type": "counter", "help": "CPU time by mode.",
         "labels": ["cpu", "mode"]},
    )
    rule = answered_rule(propose(catalog, "Host CPU steal: CPU steal is above 10%"))
    assert 'mode="steal"' in rule.expr


@pytest.fixture
def proxy() -> Catalog:
    return invented_catalog(
        {"name": "dbproxy_http_responses", "type": "gauge",
         "help": "number of HTTP responses by status code", "labels": ["code"]},
        {"name": "dbproxy_connections", "type": "gauge",
         "help": "number of open client connections", "labels": ["instance"]},
        {"name": "dbproxy_task_numRowsOut", "type": "unknown", "help": ""},
    )


def test_a_gauge_counting_responses_is_increased_over_the_stated_window(proxy: Catalog) -> None:
    rule = answered_rule(propose(proxy, "dbproxy returned more than 5 HTTP responses with a 4xx "
                                        "status code in the last 5 minutes"))
    assert flat(rule.expr).startswith("increase(dbproxy_http_responses")
    assert "[5m]" in rule.expr


def test_a_level_gauge_is_still_compared_as_it_is(proxy: Catalog) -> None:
    rule = answered_rule(propose(proxy, "dbproxy has more than 100 open client connections"))
    assert flat(rule.expr) == "dbproxy_connections>100"


def test_an_untyped_count_with_nothing_in_a_window_is_its_increase(proxy: Catalog) -> None:
    rule = answered_rule(propose(proxy, "dbproxy task rows out: no rows out in the last "
                                        "10 minutes"))
    assert flat(rule.expr) == "increase(dbproxy_task_numRowsOut[10m])==0"


@pytest.mark.parametrize(("text", "window", "for_"), [
    ("Host has encountered <value> receive errors in the last two minutes.", "2m", None),
    ("Worker down for five minutes", None, "5m"),
    ("Restarted more than 3 times in the last fifteen minutes", "15m", None),
    ("Requests dropped within one hour", "1h", None),
    ("Disk errors in the last one minute", "1m", None),
])
def test_it_reads_durations_written_in_words(text: str, window: str | None,
                                             for_: str | None) -> None:
    slots = extract_slots(text)
    assert (slots.window, slots.for_) == (window, for_)


def test_did_not_start_is_not_the_age_of_a_start_time() -> None:
    catalog = invented_catalog(
        {"name": "batchd_run_start_time", "type": "gauge", "help": "When the run started.",
         "labels": ["run"]},
        {"name": "batchd_run_active", "type": "gauge", "help": "1 while the run is active.",
         "labels": ["run"]},
    )
    result = propose(catalog, "Batchd run not starting: run did not start for 10 minutes")
    if result.status is Status.OK:
        assert "time()-batchd_run_start_time" not in flat(result.rules[0].expr)


def test_a_last_start_time_still_ages() -> None:
    catalog = invented_catalog(
        {"name": "batchd_last_start_time_seconds", "type": "gauge",
         "help": "When the batch last started.", "labels": ["batch"]},
    )
    rule = answered_rule(propose(catalog, "Batchd has not started a batch for 2 hours"))
    assert flat(rule.expr) == "time()-batchd_last_start_time_seconds>7200"


def test_it_asks_when_the_title_names_another_metrics_subject() -> None:
    catalog = invented_catalog(
        {"name": "authsvc_failed_login_attempts", "type": "counter",
         "help": "Total failed login attempts", "labels": ["realm"]},
        {"name": "authsvc_logins_total", "type": "counter", "help": "Total successful logins",
         "labels": ["realm"]},
        {"name": "authsvc_signups_errors", "type": "counter", "help": "Total errors on signups",
         "labels": ["realm"]},
        {"name": "authsvc_signups", "type": "counter", "help": "Total signed up users",
         "labels": ["realm"]},
    )
    result = propose(catalog, "Authsvc high signups failure rate: More than 10% of signup "
                              "attempts are failing in realm <realm>")
    if result.status is Status.OK:
        assert "login" not in result.rules[0].expr


def test_all_requests_refused_is_not_any_refusal() -> None:
    catalog = invented_catalog(
        {"name": "ingestd_receiver_refused_events", "type": "counter",
         "help": "Events the receiver refused.", "labels": ["receiver"]},
        {"name": "ingestd_receiver_accepted_events", "type": "counter",
         "help": "Events the receiver accepted.", "labels": ["receiver"]},
    )
    result = propose(catalog, "Ingestd receiver errors: the receiver is completely failing - all "
                              "events are being refused")
    # Any refusal alone is not it: the rule must also see that nothing is accepted.
    if result.status is Status.OK:
        expr = flat(result.rules[0].expr)
        assert "rate(ingestd_receiver_accepted_events[5m])==0" in expr


def test_some_refusals_are_still_any_increase() -> None:
    catalog = invented_catalog(
        {"name": "ingestd_receiver_refused_events_total", "type": "counter",
         "help": "Events the receiver refused.", "labels": ["receiver"]},
    )
    rule = answered_rule(propose(catalog, "Ingestd receiver is refusing events"))
    assert flat(rule.expr) == "increase(ingestd_receiver_refused_events_total[5m])>0"


def test_a_5xx_rate_is_not_read_from_a_counter_that_holds_no_status() -> None:
    catalog = invented_catalog(
        {"name": "syncer_poll_failed_total", "type": "counter", "help": "Failed polls."},
        {"name": "syncer_cache_items", "type": "gauge", "help": "Items cached."},
    )
    result = propose(catalog, "Syncer poll high error rate: Syncer poll 5xx error rate is "
                              "<value> on <instance>. Polls may be failing.")
    assert result.status is not Status.OK


def test_a_problem_count_across_the_cluster_takes_the_largest_series() -> None:
    metric = invented_catalog({"name": "blobstore_pg_inconsistent", "type": "gauge",
                       "help": "Placement groups found inconsistent."}).metrics[0]
    slots = replace(extract_slots("some placement groups are inconsistent"), by=(),
                    direction="low")
    found = recipes.gauge_threshold(metric, slots, problem_count=True)
    assert found is not None and flat(found.expr) == "max(blobstore_pg_inconsistent)>0"


def test_below_a_threshold_across_the_cluster_takes_the_smallest_series() -> None:
    metric = invented_catalog({"name": "blobstore_osds_in", "type": "gauge",
                       "help": "OSDs in the cluster."}).metrics[0]
    slots = replace(extract_slots("fewer than 3 OSDs in"), by=())
    found = recipes.gauge_threshold(metric, slots, problem_count=False)
    assert found is not None and flat(found.expr) == "min(blobstore_osds_in)<3"


def test_cpu_time_split_by_unlisted_modes_is_not_read_as_busy_time() -> None:
    catalog = invented_catalog(
        {"name": "winagent_cpu_time_total", "type": "counter",
         "help": "Time that processor spent in different modes (idle, user, privileged)"},
    )
    result = propose(catalog, "Winagent CPU usage: CPU usage is more than 80%")
    if result.status is Status.OK:
        assert flat(result.rules[0].expr) != "rate(winagent_cpu_time_total[5m])>0.8"


def test_it_reads_a_status_code_outside_a_range() -> None:
    catalog = invented_catalog(
        {"name": "webcheck_http_status_code", "type": "gauge", "help": "Response HTTP status code"},
        {"name": "webcheck_success", "type": "gauge", "help": "1 if the check succeeded"},
    )
    rule = answered_rule(propose(catalog, "Webcheck HTTP failure: HTTP status code is not 200-399"))
    assert flat(rule.expr) == "webcheck_http_status_code<200orwebcheck_http_status_code>399"


def test_a_flag_is_never_outside_a_range() -> None:
    catalog = invented_catalog(
        {"name": "webcheck_success", "type": "gauge", "help": "1 if the check succeeded"},
    )
    result = propose(catalog, "Webcheck success is not 200-399")
    if result.status is Status.OK:
        assert "<200" not in flat(result.rules[0].expr)


@pytest.fixture
def lb() -> Catalog:
    return invented_catalog(
        {"name": "edgeproxy_pool_member_up", "type": "gauge",
         "help": "1 if the pool member answers its health check.", "labels": ["pool", "url"]},
    )


def test_all_pools_down_sums_the_flags_of_each_pool(lb: Catalog) -> None:
    rule = answered_rule(propose(lb, "Edgeproxy pool down: All edgeproxy pools are down"))
    assert flat(rule.expr) == "sumby(pool)(edgeproxy_pool_member_up)==0"


def test_one_member_down_is_still_one_flag_at_zero(lb: Catalog) -> None:
    rule = answered_rule(propose(lb, "Edgeproxy pool member down: an edgeproxy pool member is down"))
    assert flat(rule.expr) == "edgeproxy_pool_member_up==0"


def test_a_latency_bound_on_a_bucket_count_is_no_threshold_of_the_count() -> None:
    catalog = invented_catalog(
        {"name": "queuedb_write_latency_le_overflow", "type": "gauge",
         "help": "Writes slower than the largest latency bucket.", "labels": ["topic"]},
    )
    rule = answered_rule(propose(catalog, "Queuedb high write latency: topic <topic> has <value> "
                                          "write operations exceeding the maximum latency bucket "
                                          "(> 1000ms)"))
    assert flat(rule.expr) == "queuedb_write_latency_le_overflow>0"


def test_only_failing_tasks_is_not_any_failed_task() -> None:
    catalog = invented_catalog(
        {"name": "gridexec_failed_tasks_total", "type": "counter", "help": "Tasks that failed.",
         "labels": ["executor"]},
        {"name": "gridexec_completed_tasks_total", "type": "counter",
         "help": "Tasks that completed.", "labels": ["executor"]},
    )
    result = propose(catalog, "Gridexec executor all tasks failing: executor <executor> has only "
                              "failing tasks (<value> failed, 0 completed)")
    if result.status is Status.OK:
        assert flat(result.rules[0].expr) != "increase(gridexec_failed_tasks_total[5m])>0"


def test_no_active_node_is_about_the_group_not_each_standby() -> None:
    catalog = invented_catalog(
        {"name": "secretsd_core_active", "type": "gauge",
         "help": "1 on the active node, 0 on standbys.", "labels": ["cluster"]},
        {"name": "secretsd_core_unsealed", "type": "gauge", "help": "1 if unsealed.",
         "labels": ["cluster"]},
    )
    rule = answered_rule(propose(catalog, "Secretsd cluster health: Secretsd has no active node, "
                                          "it cannot serve requests"))
    assert flat(rule.expr).startswith("sumby(")
    assert flat(rule.expr).endswith("(secretsd_core_active)==0")


def test_the_systems_glued_name_does_not_qualify_what_is_counted() -> None:
    catalog = invented_catalog(
        {"name": "taskrunnerd_group_num_tasks", "type": "gauge",
         "help": "number of tasks in this group", "labels": ["group"]},
    )
    result = propose(catalog, "Taskrunner stuck tasks: group <group> has <value> stuck tasks")
    if result.status is Status.OK:
        assert flat(result.rules[0].expr) != "taskrunnerd_group_num_tasks>0"


def test_queue_saturation_without_a_number_is_not_any_queued_item() -> None:
    catalog = invented_catalog(
        {"name": "appsrv_listen_queue_connections", "type": "unknown", "help": ""},
        {"name": "appsrv_listen_queue_length_connections", "type": "unknown", "help": ""},
    )
    result = propose(catalog, "Appsrv listen queue saturation: Appsrv listen queue on <instance> "
                              "is at <value> of the socket backlog length, new connections may "
                              "soon be queued or dropped.")
    if result.status is Status.OK:
        assert not flat(result.rules[0].expr).endswith(">0")


def test_all_failed_jobs_is_each_failure() -> None:
    catalog = invented_catalog(
        {"name": "batchd_jobs_failed_total", "type": "counter", "help": "Jobs that failed."},
    )
    rule = answered_rule(propose(catalog, "Batchd failed jobs: alert on all failed batchd jobs"))
    assert flat(rule.expr) == "increase(batchd_jobs_failed_total[5m])>0"
