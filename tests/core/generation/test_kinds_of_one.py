"""Two or more metrics that measure kinds of one thing, told apart by one word (`engine_cpu` /
`worker_cpu`, `conn_open` / `req_open`): when the intent covers every kind, one rule watches
them all; when it names one, that one alone. Catalogs and intents are invented."""

from __future__ import annotations

from monitorgen.core.generation.planner import _kinds_of_one
from monitorgen.core.generation.result import Status
from tests.core.generation.proposing import (
    answered_rule,
    exporter_catalog,
    flat,
    invented_catalog,
    plan_for,
    propose,
)

RELAY = exporter_catalog("relay", [
    ("relay_engine_cpu_percent gauge node", "Percent CPU used by the relay engine."),
    ("relay_worker_cpu_percent gauge node", "Percent CPU used by the worker processes."),
    ("relay_queue_depth gauge node", "Messages waiting in the relay queue."),
])


def _sides(expr: str) -> set[str]:
    return {flat(side) for side in expr.split(" or ")}


def test_it_watches_each_cpu_the_intent_lists_as_alternatives() -> None:
    rule = answered_rule(propose(RELAY, "Relay high CPU: engine or worker CPU usage on node "
                                        "<node> is above 85%"))
    assert _sides(rule.expr) == {"relay_engine_cpu_percent>85", "relay_worker_cpu_percent>85"}


def test_it_reads_only_the_cpu_the_intent_names() -> None:
    rule = answered_rule(propose(RELAY, "Relay worker CPU usage on node <node> is above 85%"))
    assert flat(rule.expr) == "relay_worker_cpu_percent>85"


def test_it_adds_up_the_kinds_when_none_of_them_is_left() -> None:
    catalog = exporter_catalog("pooler", [
        ("pooler_primary_members gauge pool", "Members serving as primaries."),
        ("pooler_standby_members gauge pool", "Members kept as standbys."),
        ("pooler_client_sessions gauge pool", "Open client sessions."),
    ])
    rule = answered_rule(propose(catalog, "Pooler has no members: no primary or standby "
                                          "members are left in pool <pool>"))
    assert flat(rule.expr) == "pooler_primary_members+pooler_standby_members==0"


def test_it_sums_kinds_to_the_labels_they_share() -> None:
    catalog = exporter_catalog("pooler", [
        ("pooler_primary_members gauge pool,zone", "Members serving as primaries."),
        ("pooler_standby_members gauge pool", "Members kept as standbys."),
    ])
    rule = answered_rule(propose(catalog, "Pooler has no members: no primary or standby "
                                          "members are left in pool <pool>"))
    assert flat(rule.expr) == ("sumby(instance,job,pool)(pooler_primary_members)"
                               "+sumby(instance,job,pool)(pooler_standby_members)==0")


def test_it_counts_every_kind_of_failure_against_a_rate() -> None:
    catalog = exporter_catalog("batch", [
        ("batch_task_timeout_failures_total counter queue", "Tasks that failed by timing out."),
        ("batch_task_crash_failures_total counter queue", "Tasks that failed by crashing."),
        ("batch_workers gauge queue", "Workers attached to the queue."),
    ])
    rule = answered_rule(propose(catalog, "Batch task failures: queue <queue> has more than 5 "
                                          "task failures per second"))
    assert flat(rule.expr) in (
        "rate(batch_task_timeout_failures_total[5m])+rate(batch_task_crash_failures_total[5m])>5",
        "rate(batch_task_crash_failures_total[5m])+rate(batch_task_timeout_failures_total[5m])>5")


def test_it_compares_each_direction_of_traffic_on_its_own() -> None:
    catalog = exporter_catalog("tunnel", [
        ("tunnel_sent_bytes_total counter", "Bytes sent through the tunnel."),
        ("tunnel_received_bytes_total counter", "Bytes received through the tunnel."),
    ])
    rule = answered_rule(propose(catalog, "Tunnel high traffic: tunnel traffic exceeds 50MB/s"))
    assert " + " not in rule.expr
    assert {side.split("[")[0] for side in _sides(rule.expr)} == {
        "rate(tunnel_sent_bytes_total", "rate(tunnel_received_bytes_total"}


def test_it_watches_every_breaker_flag_no_word_tells_apart() -> None:
    catalog = exporter_catalog("mesh", [
        ("mesh_upstream_breakers_conn_open gauge upstream", ""),
        ("mesh_upstream_breakers_req_open gauge upstream", ""),
        ("mesh_upstream_breakers_conn_pool_open gauge upstream", ""),
        ("mesh_upstream_members_healthy gauge upstream", ""),
    ])
    rule = answered_rule(propose(catalog, "Mesh breaker tripped: circuit breaker is open for "
                                          "upstream <upstream>"))
    assert _sides(rule.expr) == {"mesh_upstream_breakers_conn_open>0",
                                 "mesh_upstream_breakers_req_open>0",
                                 "mesh_upstream_breakers_conn_pool_open>0"}


def test_a_measure_and_what_is_left_of_it_are_no_kinds_of_one() -> None:
    catalog = exporter_catalog("cachy", [
        ("cachy_memory_used_bytes gauge", "Memory in use by the cache."),
        ("cachy_memory_free_bytes gauge", "Memory the cache may still use."),
    ])
    result = propose(catalog, "Cachy memory is above 1GB")
    assert all(not ("used" in r.expr and "free" in r.expr) for r in result.rules)


def test_two_subjects_sharing_only_a_namespace_are_not_combined() -> None:
    catalog = exporter_catalog("shop", [
        ("shop_orders_total counter", "Orders placed."),
        ("shop_refunds_total counter", "Refunds issued."),
    ])
    result = propose(catalog, "Shop busy: orders or refunds above 100 per second")
    assert result.status is Status.CLARIFY or all(
        not ("orders" in r.expr and "refunds" in r.expr) for r in result.rules)


def test_it_reads_system_cpu_as_the_operating_systems_not_the_process() -> None:
    catalog = exporter_catalog("indexer", [
        ("indexer_os_cpu_percent gauge node", ""),
        ("indexer_process_cpu_percent gauge node", ""),
    ])
    rule = answered_rule(propose(catalog, "Indexer host CPU high: system CPU usage on node "
                                          "<node> is above 90%"))
    assert flat(rule.expr) == "indexer_os_cpu_percent>90"


def test_levels_listed_as_alternatives_are_each_compared_even_below_a_number() -> None:
    rule = answered_rule(propose(RELAY, "Relay idle: engine or worker CPU usage on node <node> "
                                        "is below 5%"))
    assert _sides(rule.expr) == {"relay_engine_cpu_percent<5", "relay_worker_cpu_percent<5"}


def test_a_sibling_the_intent_mentions_apart_from_the_measure_is_not_watched() -> None:
    result = propose(RELAY, "Relay engine CPU usage on node <node> is above 85%, which starves "
                            "the worker")
    assert flat(answered_rule(result).expr) == "relay_engine_cpu_percent>85"


BOARD = exporter_catalog("board", [
    ("board_sensor_temp_alarm unknown", ""),
    ("board_sensor_temp_crit_alarm_celsius gauge chip", "Board sensor temperature (crit_alarm)."),
    ("board_sensor_temp_celsius gauge chip", "Board sensor temperature."),
    ("board_sensor_temp_crit_celsius gauge chip", "Board sensor critical temperature."),
])


def test_it_watches_both_alarm_flags_of_a_sensor() -> None:
    rule = answered_rule(propose(BOARD, "Board overheating alarm: a board sensor temperature "
                                        "alarm is raised"))
    assert _sides(rule.expr) == {"board_sensor_temp_alarm>0",
                                 "board_sensor_temp_crit_alarm_celsius>0"}


def test_an_alarm_flag_named_after_a_limit_is_no_limit_of_the_temperature() -> None:
    plan = plan_for("Board overheating alarm: a board sensor temperature alarm is raised", BOARD)
    assert not [c.expr for c in plan.candidates if c.family == "versus-limit"
                and "board_sensor_temp_crit_alarm_celsius" in c.metrics]


def test_flags_listed_as_alternatives_are_each_compared() -> None:
    catalog = exporter_catalog("vault", [
        ("vault_store_primary_up gauge", "1 if the primary store answers."),
        ("vault_store_replica_up gauge", "1 if the replica store answers."),
        ("vault_store_keys gauge", "Keys held."),
    ])
    rule = answered_rule(propose(catalog, "Vault store down: the primary or replica store "
                                          "is down"))
    assert " + " not in rule.expr
    assert {"vault_store_primary_up", "vault_store_replica_up"} <= set(
        rule.expr.replace("(", " ").replace(")", " ").split())



def test_it_never_takes_the_uptime_counter_for_a_kind_of_the_counter_beside_it() -> None:
    # `status_uptime` differs from `status_questions` by one word, as kinds of one thing do,
    # but it counts seconds since start: no part of a request rate, never summed into one.
    catalog = invented_catalog(
        {"name": "dbx_global_status_questions", "type": "counter", "help": ""},
        {"name": "dbx_global_status_uptime", "type": "counter", "help": ""},
        {"name": "dbx_global_status_commits", "type": "counter", "help": ""},
    )
    questions, uptime, commits = catalog.metrics
    assert _kinds_of_one(questions, uptime) is None
    assert _kinds_of_one(questions, commits) is not None
