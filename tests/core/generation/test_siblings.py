"""Telling sibling metrics apart (`assess`): names that differ by a word, a threshold's unit."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from tests.core.generation.proposing import answered_rule, flat, invented_catalog, plan_for, propose

BALANCER = Catalog.model_validate({"name": "balancer", "metrics": [
    {"name": "balancer_pool_check_flaps_total", "type": "counter",
     "help": "Health check state changes of a pool."},
    {"name": "balancer_member_check_flaps_total", "type": "counter",
     "help": "Health check state changes of a pool member."},
    {"name": "balancer_pool_active_members", "type": "gauge", "help": "Members in service."},
    {"name": "balancer_requests_total", "type": "counter", "help": "Requests balanced."},
]})


def test_the_title_picks_the_sibling_it_names() -> None:
    # The description speaks of members too, but the alert is named after the pool.
    plan = plan_for("Balancer pool check flapping: pool <name> has members whose health check "
                 "keeps flapping", BALANCER)
    assert plan.question is None
    assert plan.candidates[0].metrics == ("balancer_pool_check_flaps_total",)


def test_it_asks_when_the_title_names_both_siblings() -> None:
    plan = plan_for("Balancer pool member check flapping: health checks keep flapping", BALANCER)
    assert plan.question is not None


CACHE = Catalog.model_validate({"name": "cache", "metrics": [
    {"name": "cache_slab_evictions_total", "type": "counter", "help": "Entries evicted."},
    {"name": "cache_slab_evictions_forced_total", "type": "counter",
     "help": "Entries evicted by an operator."},
    {"name": "cache_slab_entries", "type": "gauge", "help": "Entries held."},
    {"name": "cache_slab_flushes_forced_total", "type": "counter", "help": "Operator flushes."},
    {"name": "cache_slab_writes_forced_total", "type": "counter", "help": "Operator writes."},
]})


def test_a_sibling_with_a_word_the_intent_does_not_use_is_no_rival() -> None:
    # "forced" evictions would have been said: the intent means all evictions (of some slab).
    plan = plan_for("Cache evicting a lot: more than 100 cache evictions per second", CACHE)
    assert plan.question is None
    assert plan.candidates[0].metrics == ("cache_slab_evictions_total",)


PROBES = Catalog.model_validate({"name": "probes", "metrics": [
    {"name": "probe_duration_seconds", "type": "gauge", "help": "How long the probe took."},
    {"name": "probe_icmp_duration_seconds", "type": "gauge",
     "help": "Duration of the echo request."},
    {"name": "probe_success", "type": "gauge", "help": "1 when the probe succeeded."},
]})


def test_a_sibling_whose_extra_word_the_intent_says_in_other_words_stays_a_rival() -> None:
    # "ping" is ICMP: the generic probe duration is not clearly what the intent means.
    plan = plan_for("Probe slow ping: the ping took more than 1s", PROBES)
    assert plan.question is not None or plan.candidates[0].metrics == (
        "probe_icmp_duration_seconds",)


DRIVES = Catalog.model_validate({"name": "drives", "metrics": [
    {"name": "drive_temperature", "type": "gauge", "help": "Current drive temperature."},
    {"name": "drive_smart_status", "type": "gauge", "help": "1 when the SMART check passed."},
    {"name": "drive_read_bytes_total", "type": "counter", "help": "Bytes read."},
]})


def test_degrees_are_a_temperature_not_a_status_code() -> None:
    plan = plan_for("Drive SMART temperature critical: drive temperature is over 70°C", DRIVES)
    assert plan.question is None
    assert plan.candidates[0].expr == "drive_temperature > 70"


RUNTIME = Catalog.model_validate({"name": "runtime", "metrics": [
    {"name": "runtime_alloc_bytes_total", "type": "counter", "help": "Bytes allocated."},
    {"name": "runtime_heap_alloc_bytes", "type": "gauge", "help": "Heap bytes allocated."},
    {"name": "runtime_goroutines", "type": "gauge", "help": "Goroutines."},
]})


def test_an_amount_per_second_is_a_rate_of_a_counter_not_a_gauge() -> None:
    plan = plan_for("Runtime memory churn: the runtime allocates more than 1GB/s of memory", RUNTIME)
    assert plan.question is None
    assert plan.candidates[0].expr.startswith("rate(runtime_alloc_bytes_total[")


CLOUD = Catalog.model_validate({"name": "cloud", "metrics": [
    {"name": "cloud_compute_cores_used", "type": "gauge", "help": "Cores in use."},
    {"name": "cloud_compute_cores_available", "type": "gauge", "help": "Cores free."},
    {"name": "cloud_compute_limits_cores_used", "type": "gauge", "help": "Cores counted."},
    {"name": "cloud_compute_limits_cores_max", "type": "gauge", "help": "Cores allowed."},
    {"name": "cloud_compute_limits_disk_used", "type": "gauge", "help": "Disk counted."},
    {"name": "cloud_compute_limits_disk_max", "type": "gauge", "help": "Disk allowed."},
]})


def test_a_name_without_a_word_the_intent_says_is_the_less_precise_reading() -> None:
    # "quota" is what `limits` means: the plain `cores_used` is not the tenant's share of it.
    plan = plan_for("Cloud tenant cores quota nearly exhausted: tenant has used over 90% of its "
                 "cores quota", CLOUD)
    assert plan.question is None
    assert plan.candidates[0].metrics == ("cloud_compute_limits_cores_used",
                                          "cloud_compute_limits_cores_max")


POOL = Catalog.model_validate({"name": "pool", "metrics": [
    {"name": "pool_workers_current", "type": "gauge", "help": "Workers alive."},
    {"name": "pool_workers_state", "type": "gauge", "help": "Workers by state."},
    {"name": "pool_tasks_total", "type": "counter", "help": "Tasks run."},
]})


def test_hundreds_of_something_is_an_amount_not_a_state_code() -> None:
    plan = plan_for("Pool worker count high: pool worker count is high (> 300)", POOL)
    assert plan.question is None
    assert plan.candidates[0].expr == "pool_workers_current > 300"


SENDER = Catalog.model_validate({"name": "sender", "metrics": [
    {"name": "sender_queue_length", "type": "gauge", "help": "Messages waiting in the queue."},
    {"name": "sender_queue_capacity", "type": "gauge", "help": "Messages the queue can hold."},
    {"name": "sender_sent_total", "type": "counter", "help": "Messages sent."},
]})


def test_a_backlog_is_the_queue_not_its_capacity() -> None:
    plan = plan_for("Sender backlog: more than 1000 messages are waiting in the sender queue",
                 SENDER)
    assert plan.question is None
    assert plan.candidates[0].expr == "sender_queue_length > 1000"


BOARD = Catalog.model_validate({"name": "board", "metrics": [
    {"name": "board_sensor_state", "type": "gauge",
     "help": "Severity reported by a sensor (0=nominal, 1=warning, 2=critical)."},
    {"name": "board_current_state", "type": "gauge",
     "help": "Severity reported by a current sensor (0=nominal, 1=warning, 2=critical)."},
    {"name": "board_fan_speed_rpm", "type": "gauge", "help": "Fan speed."},
]})


def test_a_type_word_that_is_all_a_name_says_names_its_subject() -> None:
    # `current` in `board_current_state` is the electric current, and the title names it.
    plan = plan_for("Board current sensor warning: board current sensor is in warning state",
                 BOARD)
    assert plan.question is not None or plan.candidates[0].metrics == ("board_current_state",)


SENSORS = Catalog.model_validate({"name": "sensors", "metrics": [
    {"name": "rack_sensor_state", "type": "gauge",
     "help": "Severity reported by a rack sensor (0=nominal, 1=warning, 2=critical)."},
    {"name": "rack_power_state", "type": "gauge",
     "help": "State of a power sensor (0=nominal, 1=warning, 2=critical)."},
    {"name": "rack_fan_state", "type": "gauge",
     "help": "State of a fan sensor (0=nominal, 1=warning, 2=critical)."},
    {"name": "rack_voltage_state", "type": "gauge",
     "help": "State of a voltage sensor (0=nominal, 1=warning, 2=critical)."},
    {"name": "rack_chassis_power_state", "type": "gauge", "help": "Chassis power (1=on)."},
]})


def test_the_domain_word_every_description_uses_tells_no_sibling_apart() -> None:
    # Every metric here reads a sensor: "power sensor" is the power sensor's state.
    plan = plan_for("Rack power sensor warning: rack power sensor is in warning state", SENSORS)
    assert plan.question is None
    assert plan.candidates[0].expr == "rack_power_state == 1"


INGEST = Catalog.model_validate({"name": "ingest", "metrics": [
    {"name": "gateway_batches_rejected_total", "type": "counter", "help": "Batches rejected."},
    {"name": "gateway_batches_accepted_total", "type": "counter", "help": "Batches accepted."},
    {"name": "gateway_queue_length", "type": "gauge", "help": "Batches waiting."},
]})


def test_it_reads_all_being_rejected_as_rejections_with_no_acceptance() -> None:
    result = propose(INGEST, "Gateway ingest broken: the gateway is completely failing - all "
                             "batches are being rejected")
    # No number shown: the value is what stopped (acceptances), the rejections show attempts.
    expr = flat(answered_rule(result).expr)
    assert expr == ("rate(gateway_batches_accepted_total[5m])==0"
                    "andrate(gateway_batches_rejected_total[5m])>0")


def test_it_reads_only_failing_with_none_completed_as_failures_with_no_completion() -> None:
    catalog = invented_catalog(
        {"name": "worker_failedJobs_total", "type": "counter", "help": ""},
        {"name": "worker_completedJobs_total", "type": "counter", "help": ""},
    )
    result = propose(catalog, "Worker all jobs failing: worker <worker> has only failing jobs "
                              "(<value> failed, 0 completed).")
    # The failures' number is shown: they are the alert's value.
    expr = flat(answered_rule(result).expr)
    assert expr == ("rate(worker_failedJobs_total[5m])>0"
                    "andrate(worker_completedJobs_total[5m])==0")


def test_siblings_with_different_labels_are_summed_over_the_labels_they_share() -> None:
    catalog = invented_catalog(
        {"name": "relay_messages_rejected_total", "type": "counter", "labels": ["relay", "reason"]},
        {"name": "relay_messages_accepted_total", "type": "counter", "labels": ["relay"]},
    )
    result = propose(catalog, "Relay broken: the relay is completely failing - all messages are "
                              "being rejected")
    expr = flat(answered_rule(result).expr)
    assert expr == ("sumby(instance,job,relay)(rate(relay_messages_accepted_total[5m]))==0and"
                    "sumby(instance,job,relay)(rate(relay_messages_rejected_total[5m]))>0")
