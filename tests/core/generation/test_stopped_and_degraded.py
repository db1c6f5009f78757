"""Events and members the intent speaks of without a number: a counter said to have stopped
("has stopped appending samples"), members in a good state falling short of all of them
("bond degraded", "does not match the expected number of replicas"), and `uname` as the
kernel's name. Catalogs here are invented for the tests."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.pairing import members_in_good_state, observed_and_wanted
from monitorgen.core.generation.planner import plan_candidates
from monitorgen.core.generation.result import GenerationRequest, Status
from tests.core.generation.proposing import answered_rule, flat, invented_catalog, propose


# --- a counter said to have stopped ----------------------------------------------------------------
def _store() -> Catalog:
    return invented_catalog(
        {"name": "chronodb_head_samples_appended_total", "type": "counter",
         "help": "Samples appended to the head block."},
        {"name": "chronodb_head_series", "type": "gauge", "help": "Series in the head block."},
        {"name": "chronodb_compactions_failed_total", "type": "counter",
         "help": "Failed compactions."},
    )


def test_it_reads_stopped_appending_samples_as_no_increase_of_the_counter() -> None:
    rule = answered_rule(propose(_store(), "Chronodb not ingesting: chronodb has stopped "
                                 "appending new samples to its head block."))
    assert flat(rule.expr) == "increase(chronodb_head_samples_appended_total[10m])==0"


def test_it_reads_no_longer_appending_samples_the_same_way() -> None:
    rule = answered_rule(propose(_store(), "chronodb is no longer appending samples"))
    assert flat(rule.expr).endswith("==0")
    assert "chronodb_head_samples_appended_total" in rule.expr


def test_a_stopped_act_the_counter_is_not_named_for_is_no_zero_rate_of_it() -> None:
    result = propose(_store(), "chronodb has stopped compacting blocks")
    assert not any(flat(rule.expr) == "increase(chronodb_head_samples_appended_total[10m])==0"
                   for rule in result.rules)


# --- members in a good state short of all members --------------------------------------------------
def _bonds() -> Catalog:
    return invented_catalog(
        {"name": "hostagent_bond_active", "type": "gauge", "labels": ["master"],
         "help": "Number of active links per bond interface."},
        {"name": "hostagent_bond_links", "type": "gauge", "labels": ["master"],
         "help": "Number of configured links per bond interface."},
        {"name": "hostagent_network_receive_bytes_total", "type": "counter",
         "labels": ["device"], "help": "Bytes received."},
    )


def test_a_degraded_bond_has_fewer_active_links_than_configured() -> None:
    rule = answered_rule(propose(_bonds(), "Host bond degraded: bond <master> degraded on "
                                 "<instance>."))
    assert flat(rule.expr) == "hostagent_bond_active<hostagent_bond_links"


def test_it_pairs_members_by_help_texts_that_differ_by_the_state_word() -> None:
    catalog = _bonds()
    active = catalog.family("hostagent_bond_active")
    assert active is not None
    assert [(part.name, whole.name) for part, whole in members_in_good_state(active, catalog)] \
        == [("hostagent_bond_active", "hostagent_bond_links")]


def test_it_pairs_members_by_names_that_differ_by_the_state_word() -> None:
    catalog = invented_catalog(
        {"name": "swarm_service_replicas_ready", "type": "gauge", "labels": ["name"]},
        {"name": "swarm_service_replicas", "type": "gauge", "labels": ["name"]},
        {"name": "swarm_service_restarts_total", "type": "counter", "labels": ["name"]},
    )
    rule = answered_rule(propose(catalog, "Swarm service replicas mismatch: the swarm service "
                                 "ready replicas do not match the replicas."))
    assert flat(rule.expr) == "swarm_service_replicas_ready!=swarm_service_replicas"


def test_free_space_is_no_member_in_a_good_state() -> None:
    catalog = invented_catalog(
        {"name": "volume_available_bytes", "type": "gauge", "help": "Number of available bytes."},
        {"name": "volume_bytes", "type": "gauge", "help": "Number of bytes."},
    )
    metric = catalog.family("volume_available_bytes")
    assert metric is not None and members_in_good_state(metric, catalog) == []


def test_members_with_other_labels_are_not_paired() -> None:
    catalog = invented_catalog(
        {"name": "pool_members_healthy", "type": "gauge", "labels": ["pool", "zone"]},
        {"name": "pool_members", "type": "gauge", "labels": ["pool"]},
    )
    metric = catalog.family("pool_members_healthy")
    assert metric is not None and members_in_good_state(metric, catalog) == []


def test_a_whole_with_several_serving_parts_asks_unless_the_intent_names_the_state() -> None:
    catalog = invented_catalog(
        {"name": "fleet_set_replicas_ready", "type": "gauge", "labels": ["set"]},
        {"name": "fleet_set_replicas_healthy", "type": "gauge", "labels": ["set"]},
        {"name": "fleet_set_replicas", "type": "gauge", "labels": ["set"]},
    )
    unclear = propose(catalog, "Fleet set mismatch: the fleet set does not match the expected "
                      "number of replicas.")
    assert unclear.status is not Status.OK or "!=" not in unclear.rules[0].expr
    rule = answered_rule(propose(catalog, "Fleet set mismatch: fleet set ready replicas do not "
                                 "match the fleet set replicas."))
    assert flat(rule.expr) == "fleet_set_replicas_ready!=fleet_set_replicas"


def test_it_reads_a_replica_mismatch_as_ready_replicas_not_those_a_rollout_updated() -> None:
    # "updated" says how far a rollout got ("update not rolled out" would say so): the
    # replicas expected to match are the ready ones, an assumption the rule states.
    catalog = invented_catalog(
        {"name": "fleet_set_replicas_ready", "type": "gauge", "labels": ["set"]},
        {"name": "fleet_set_replicas_updated", "type": "gauge", "labels": ["set"]},
        {"name": "fleet_set_replicas", "type": "gauge", "labels": ["set"]},
    )
    plan = plan_candidates(GenerationRequest(
        intent="Fleet set mismatch: the fleet set does not match the expected number of "
               "replicas.", catalog=catalog))
    assert plan.question is None
    assert flat(plan.candidates[0].expr) == "fleet_set_replicas_ready!=fleet_set_replicas"
    assert any("ready" in note for note in plan.candidates[0].assumptions)


def test_a_degraded_state_without_a_sibling_pair_is_not_compared() -> None:
    catalog = invented_catalog(
        {"name": "array_disks_active", "type": "gauge", "labels": ["array"]},
        {"name": "array_read_bytes_total", "type": "counter", "labels": ["array"]},
    )
    result = propose(catalog, "Array degraded: array is degraded")
    assert all("<array" not in flat(rule.expr) for rule in result.rules)


# --- uname names the kernel ------------------------------------------------------------------------
def test_a_kernel_version_change_leads_with_the_uname_info_metric() -> None:
    catalog = invented_catalog(
        {"name": "host_uname_info", "type": "gauge",
         "labels": ["release", "version", "nodename"],
         "help": "Labeled system information as provided by the uname system call."},
        {"name": "host_memory_KernelStack_bytes", "type": "gauge",
         "help": "Memory information field KernelStack_bytes."},
        {"name": "host_os_version", "type": "gauge", "labels": ["id"],
         "help": "OS version."},
    )
    plan = plan_candidates(GenerationRequest(
        intent="Host kernel version changed: kernel version for <instance> has changed.",
        catalog=catalog))
    assert plan.candidates and flat(plan.candidates[0].expr).startswith(
        "changes(host_uname_info[")


def test_a_thing_that_stopped_reporting_may_be_gone_so_its_counter_is_not_enough() -> None:
    # Its series may have vanished with it, where no increase stays silent: ask instead.
    result = propose(_store(), "Chronodb stopped reporting: chronodb stopped appending samples")
    assert result.status is not Status.OK


# --- bad status codes said to be returned ----------------------------------------------------------
def _gateway() -> Catalog:
    return invented_catalog(
        {"name": "gateway_api_calls_total", "type": "counter", "labels": ["method", "return_code"],
         "help": "API calls by return code."},
        {"name": "gateway_endpoints", "type": "gauge", "help": "Endpoints."},
    )


def test_an_api_returning_5xx_errors_is_any_5xx_call() -> None:
    rule = answered_rule(propose(_gateway(), "Gateway API errors: gateway API is returning 5xx "
                                 "errors (<return_code>)."))
    assert flat(rule.expr) == 'increase(gateway_api_calls_total{return_code=~"5.."}[5m])>0'


def test_too_many_5xx_errors_still_needs_the_number() -> None:
    result = propose(_gateway(), "Gateway API is returning too many 5xx errors")
    assert result.status is not Status.OK


def test_members_the_intent_does_not_name_are_not_compared() -> None:
    catalog = invented_catalog(
        {"name": "webfarm_running_workers", "type": "gauge", "help": ""},
        {"name": "webfarm_workers", "type": "gauge", "help": ""},
        {"name": "webfarm_build_info", "type": "gauge", "help": "", "labels": ["version"]},
    )
    plan = plan_candidates(GenerationRequest(
        intent="Webfarm version mismatch: several webfarm versions are running", catalog=catalog))
    assert not any(c.family == "versus-limit" and "running_workers" in c.expr
                   for c in plan.candidates)


# --- what a controller observed against what was asked ---------------------------------------------
def _rollouts() -> Catalog:
    return invented_catalog(
        {"name": "orch_rollout_status_observed_generation", "type": "gauge",
         "labels": ["namespace", "rollout"], "help": "The generation the controller observed."},
        {"name": "orch_rollout_metadata_generation", "type": "gauge",
         "labels": ["namespace", "rollout"], "help": "Generation of the desired state."},
        {"name": "orch_rollout_status_condition", "type": "gauge",
         "labels": ["namespace", "rollout", "condition", "status"], "help": "Conditions."},
    )


def test_a_generation_mismatch_compares_the_observed_with_the_asked_generation() -> None:
    rule = answered_rule(propose(_rollouts(), "Orch rollout generation mismatch: rollout "
                                 "<namespace>/<rollout> generation mismatch."))
    assert flat(rule.expr) == ("orch_rollout_status_observed_generation!="
                                "orch_rollout_metadata_generation")


def test_observed_and_wanted_pairs_need_the_same_name_and_labels() -> None:
    catalog = invented_catalog(
        {"name": "orch_set_status_replicas", "type": "gauge", "labels": ["set"]},
        {"name": "orch_set_spec_replicas", "type": "gauge", "labels": ["set"]},
        {"name": "orch_set_spec_generation", "type": "gauge", "labels": ["set"]},
        {"name": "orch_job_status_replicas", "type": "gauge", "labels": ["job_name"]},
    )
    metric = catalog.family("orch_set_status_replicas")
    assert metric is not None
    assert [(a.name, b.name) for a, b in observed_and_wanted(metric, catalog)] == [
        ("orch_set_status_replicas", "orch_set_spec_replicas")]


def test_a_mismatch_of_something_else_does_not_compare_generations() -> None:
    plan = plan_candidates(GenerationRequest(
        intent="Orch rollout version mismatch: several orch versions run", catalog=_rollouts()))
    assert not any("metadata_generation" in c.expr and "!=" in c.expr for c in plan.candidates)


def test_stopped_things_are_no_act_that_stopped() -> None:
    catalog = invented_catalog(
        {"name": "dockhost_containers_stopped_total", "type": "counter",
         "help": "Containers that stopped."},
        {"name": "dockhost_containers_running", "type": "gauge", "help": "Running containers."},
    )
    for intent in ("Dockhost stopped containers: some containers stopped unexpectedly",
                   "Dockhost has stopped containers"):
        result = propose(catalog, intent)
        assert not any(flat(rule.expr).endswith("==0") for rule in result.rules), intent


def test_items_ready_in_a_queue_are_no_members_in_a_good_state() -> None:
    catalog = invented_catalog(
        {"name": "mq_queue_messages_ready", "type": "gauge", "labels": ["queue"],
         "help": "Number of ready messages in the queue."},
        {"name": "mq_queue_messages", "type": "gauge", "labels": ["queue"],
         "help": "Number of messages in the queue."},
    )
    metric = catalog.family("mq_queue_messages_ready")
    assert metric is not None and members_in_good_state(metric, catalog) == []
    result = propose(catalog, "MQ queue degraded: the mq queue is degraded")
    assert not any("mq_queue_messages_ready<" in flat(rule.expr) for rule in result.rules)
