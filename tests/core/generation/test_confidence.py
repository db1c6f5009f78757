"""How sure the planner is of its best candidate (`assess`), on small invented catalogs."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.planner import MIN_CONFIDENCE, plan_candidates
from monitorgen.core.generation.result import GenerationRequest

WORKER = Catalog.model_validate({"name": "worker", "metrics": [
    {"name": "worker_heap_in_use_bytes", "type": "gauge", "help": "Heap in use."},
    {"name": "worker_heap_memory_limit_bytes", "type": "gauge", "help": "Memory limit of the heap."},
    {"name": "worker_cpu_usage_seconds_total", "type": "counter", "help": "CPU time used."},
    {"name": "worker_tasks_total", "type": "counter", "help": "Tasks run."},
]})


def test_a_share_of_a_limit_is_as_sure_as_its_better_named_metric() -> None:
    # "memory ... of its limit" names the limit more clearly than the heap in use; the rule on
    # both leads the CPU metric by the limit's score, not by the weaker part's.
    plan = plan_candidates(GenerationRequest(
        intent="Worker memory usage high: worker memory usage is above 90% of its limit",
        catalog=WORKER))
    assert plan.question is None
    assert plan.candidates[0].expr == (
        "(worker_heap_in_use_bytes / (worker_heap_memory_limit_bytes > 0)) > 0.9")
    assert plan.confidence is not None and plan.confidence.value >= MIN_CONFIDENCE


SHIPPER = Catalog.model_validate({"name": "shipper", "metrics": [
    {"name": "shipper_uploads_total", "type": "counter", "help": "Blocks uploaded."},
    {"name": "shipper_queue_length", "type": "gauge", "help": "Blocks waiting."},
]})


def test_it_answers_a_stopped_activity_with_no_increase_never_any_increase() -> None:
    # "has not uploaded" worries that uploads stopped: `increase(uploads) > 0` is the good case.
    plan = plan_candidates(GenerationRequest(
        intent="Shipper no upload: the shipper has not uploaded any block", catalog=SHIPPER))
    assert not any(c.expr.startswith("increase(shipper_uploads_total") and c.expr.endswith("> 0")
                   for c in plan.candidates)
    assert plan.question is None
    assert plan.candidates[0].expr == "increase(shipper_uploads_total[10m]) == 0"


def test_it_asks_rather_than_alerting_on_any_increase_of_an_activity_that_stopped() -> None:
    plan = plan_candidates(GenerationRequest(
        intent="Shipper stopped reporting: the shipper stopped uploading blocks", catalog=SHIPPER))
    assert not any(c.expr.endswith("> 0") for c in plan.candidates)
    assert plan.question is not None


BOX = Catalog.model_validate({"name": "box", "metrics": [
    {"name": "box_memory_total_bytes", "type": "gauge", "help": "Memory installed."},
    {"name": "box_memory_free_bytes", "type": "gauge", "help": "Memory not in use."},
    {"name": "box_memory_available_bytes", "type": "gauge", "help": "Memory available for new work."},
    {"name": "box_disk_free_bytes", "type": "gauge", "help": "Disk space not in use."},
    {"name": "box_requests_total", "type": "counter", "help": "Requests served."},
]})


def test_a_synonym_of_the_best_metric_is_no_rival_whichever_of_the_two_leads() -> None:
    # `free` and `available` memory are two readings of one thing: one does not make the
    # intent ambiguous when the rule uses the other. (The used share leads with `available`,
    # the inclusive measure: free memory counts the reclaimable cache as used.)
    plan = plan_candidates(GenerationRequest(
        intent="Box memory is underused: box memory usage is below 20% for a week",
        catalog=BOX))
    assert plan.question is None
    assert "box_memory_available_bytes" in plan.candidates[0].expr
    assert plan.confidence is not None and plan.confidence.lead >= 1.0


GATEWAY = Catalog.model_validate({"name": "gateway", "metrics": [
    {"name": "gateway_routes_config_hash", "type": "gauge", "help": "Hash of the loaded routes."},
    {"name": "gateway_routes_config_last_reload_successful", "type": "gauge",
     "help": "Whether the last reload of the routes succeeded."},
    {"name": "gateway_requests_total", "type": "counter", "help": "Requests served."},
]})


def test_routes_out_of_sync_across_instances_compares_their_config_hashes() -> None:
    # "out of sync" of a hash is said outright: instances disagree on its value. The reload
    # flag shares the name's words but has no such reading.
    plan = plan_candidates(GenerationRequest(
        intent="Gateway routes config out of sync: gateway instances run different route "
               "configurations", catalog=GATEWAY))
    assert plan.question is None
    assert plan.candidates[0].expr == (
        'count(count_values ("value", gateway_routes_config_hash)) > 1')


BROKER = Catalog.model_validate({"name": "broker", "metrics": [
    {"name": "rpc_server_handling_seconds", "type": "histogram",
     "help": "Time to handle a call."},
    {"name": "broker_http_successful_requests_total", "type": "counter",
     "help": "Successful HTTP requests."},
    {"name": "broker_queue_depth", "type": "gauge", "help": "Messages waiting."},
]})


def test_a_stated_percentile_of_a_duration_settles_it_on_the_only_histogram() -> None:
    # "99th percentile over 0.2s" can only be read on a histogram of durations: the counter of
    # requests that shares words with the intent is no alternative shape.
    plan = plan_candidates(GenerationRequest(
        intent="Broker RPC requests slow: RPC requests slowing down, 99th percentile is over 0.2s",
        catalog=BROKER))
    assert plan.question is None
    assert plan.candidates[0].expr.startswith(
        "histogram_quantile(0.99, sum by (le) (rate(rpc_server_handling_seconds_bucket[")



VAULT = Catalog.model_validate({"name": "vault", "metrics": [
    {"name": "vault_backup_last_successful_run_timestamp_seconds", "type": "gauge",
     "help": "When the last backup succeeded."},
    {"name": "vault_backup_blocks_skipped_total", "type": "counter",
     "help": "Blocks the backup skipped."},
    {"name": "vault_backup_runs_failed_total", "type": "counter", "help": "Backup runs that failed."},
]})


def test_no_backup_for_a_day_is_the_age_of_the_last_successful_one() -> None:
    # A deadline on the time of the last *successful* run has one reading; skipped blocks or
    # failed runs say nothing of a backup that never started.
    plan = plan_candidates(GenerationRequest(
        intent="Vault backup not running: the vault has not completed a backup in the last 24 "
               "hours",
        catalog=VAULT))
    assert plan.question is None
    assert plan.candidates[0].expr == (
        "time() - vault_backup_last_successful_run_timestamp_seconds > 86400")


def test_the_age_of_a_handshake_does_not_settle_the_shape_on_its_own() -> None:
    # "no traffic for 15m" may be a handshake gone stale or byte counters that stopped: only
    # the time of the last *success* has one reading.
    from monitorgen.core.generation.planner import _shape_settles_it
    from monitorgen.core.generation.recipes import Candidate

    handshake = Candidate("stale", "time() - link_latest_handshake_seconds > 900",
                          ("link_latest_handshake_seconds",), 6.0, fit=1.2)
    success = Candidate("stale", "time() - link_last_success_timestamp_seconds > 900",
                        ("link_last_success_timestamp_seconds",), 6.0, fit=1.2)
    assert not _shape_settles_it(handshake, [handshake], coverage=1.0)
    assert _shape_settles_it(success, [success], coverage=1.0)
