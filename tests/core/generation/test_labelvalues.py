from __future__ import annotations

import pytest

from monitorgen.core.catalog import Catalog, Metric
from monitorgen.core.generation.labelvalues import value_matchers
from tests.core.generation.proposing import answered_rule, flat, propose


def _rendered(metric: Metric, text: str) -> list[str]:
    return [m.render() for m in value_matchers(metric, text)]


CPU = Metric(name="node_cpu_seconds_total", type="counter", labels=["cpu", "mode"])


@pytest.mark.parametrize(
    ("text", "matcher"),
    [("CPU steal is above 10%", 'mode="steal"'),
     ("CPU iowait above 20%", 'mode="iowait"'),
     ("the CPU is waiting for storage to respond", 'mode="iowait"'),
     ("CPU has been idle most of the week", 'mode="idle"')],
)
def test_it_names_the_cpu_mode_an_intent_speaks_of(text: str, matcher: str) -> None:
    assert _rendered(CPU, text) == [matcher]


def test_a_not_ready_node_is_the_ready_condition_without_status_true() -> None:
    metric = Metric(name="kube_node_status_condition", labels=["node", "condition", "status"])
    assert _rendered(metric, "node is NotReady") == ['condition="Ready"', 'status!="true"']


def test_a_pressure_condition_holds_when_its_status_is_true() -> None:
    metric = Metric(name="kube_node_status_condition", labels=["node", "condition", "status"])
    assert _rendered(metric, "node has MemoryPressure") == [
        'condition="MemoryPressure"', 'status="true"']


def test_it_names_kubernetes_phases_and_reasons_in_their_canonical_spelling() -> None:
    phase = Metric(name="kube_pod_status_phase", labels=["pod", "phase"])
    reason = Metric(name="kube_pod_container_status_waiting_reason", labels=["pod", "reason"])
    assert _rendered(phase, "pods stuck pending") == ['phase="Pending"']
    assert _rendered(reason, "containers in crash loop back off") == [
        'reason="CrashLoopBackOff"']


def test_a_container_waits_in_crash_loop_and_is_terminated_when_oom_killed() -> None:
    waiting = Metric(name="kube_pod_container_status_waiting_reason", labels=["pod", "reason"])
    terminated = Metric(name="kube_pod_container_status_last_terminated_reason",
                        labels=["pod", "reason"])
    failed_jobs = Metric(name="kube_job_status_failed", labels=["job_name", "reason"])
    assert _rendered(terminated, "pod is crash looping") == []
    assert _rendered(failed_jobs, "pod is crash looping") == []
    assert _rendered(waiting, "container was OOMKilled") == []
    assert _rendered(terminated, "container was OOMKilled") == ['reason="OOMKilled"']


def test_a_listed_value_is_used_wherever_the_catalog_lists_it() -> None:
    custom = Metric(name="app_pod_restarts_reason", labels=["reason"],
                    label_values={"reason": ["CrashLoopBackOff", "Error"]})
    assert _rendered(custom, "pod is crash looping") == ['reason="CrashLoopBackOff"']


@pytest.mark.parametrize(
    ("labels", "values", "matcher"),
    [(["code"], {}, 'code=~"5.."'),
     (["response_code_class"], {}, 'response_code_class=~"5.*"'),
     (["code"], {"code": ["2xx", "4xx", "5xx"]}, 'code="5xx"'),
     (["code"], {"code": ["200", "500", "503"]}, 'code=~"5.."'),
     # The listed codes are those seen so far: a 502 not listed yet is a server error too.
     (["code"], {"code": ["200", "500"]}, 'code=~"5.."')],
)
def test_it_spells_a_status_code_class_the_way_the_label_does(
    labels: list[str], values: dict[str, list[str]], matcher: str
) -> None:
    metric = Metric(name="http_requests_total", labels=labels, label_values=values)
    assert _rendered(metric, "more than 5% of requests fail with 5xx") == [matcher]


def test_a_latency_of_500_ms_is_not_a_status_code() -> None:
    metric = Metric(name="http_requests_total", labels=["code"])
    assert _rendered(metric, "p99 latency over 500 ms") == []
    assert _rendered(metric, "too many status 503 responses") == ['code=~"5.."']


def test_free_form_states_match_any_case_unless_the_catalog_lists_them() -> None:
    unlisted = Metric(name="systemd_unit_state", labels=["name", "state"])
    listed = Metric(name="systemd_unit_state", labels=["name", "state"],
                    label_values={"state": ["active", "failed", "inactive"]})
    assert _rendered(unlisted, "a unit has failed") == ['state=~"(?i)fail(ed|ure)?"']
    assert _rendered(listed, "a unit has failed") == ['state="failed"']


def test_a_value_the_catalog_does_not_list_is_never_used() -> None:
    metric = Metric(name="kube_pod_status_phase", labels=["phase"],
                    label_values={"phase": ["Running", "Succeeded"]})
    assert _rendered(metric, "pods stuck pending") == []


def test_scope_labels_are_left_to_the_scope_questions() -> None:
    metric = Metric(name="http_requests_total", labels=["service", "state"],
                    label_values={"service": ["failed-jobs"]})
    assert [m.label for m in value_matchers(metric, "the failed-jobs service is failing")] == [
        "state"]


def test_it_uses_a_listed_value_the_intent_spells_out() -> None:
    metric = Metric(name="rabbitmq_queue_messages", labels=["queue"],
                    label_values={"queue": ["orders", "emails"]})
    assert _rendered(metric, "more than 1000 messages waiting in orders") == ['queue="orders"']


def test_dns_rcodes_use_the_catalogs_spelling_when_it_lists_one() -> None:
    from monitorgen.core.catalog import Metric
    from monitorgen.core.generation.labelvalues import value_matchers

    metric = Metric(name="resolver_responses_total", labels=("rcode",),
                    label_values={"rcode": ("NoError", "ServFail")})
    found = value_matchers(metric, "resolver error responses above 10%")
    assert [m.render() for m in found] == ['rcode!="NoError"']


def test_four_and_five_hundreds_together_select_both_classes() -> None:
    from monitorgen.core.catalog import Metric
    from monitorgen.core.generation.labelvalues import value_matchers

    metric = Metric(name="api_http_requests_total", labels=("code",))
    found = value_matchers(metric, "more than 5% of requests return 4xx or 5xx")
    assert [m.render() for m in found] == ['code=~"[45].."']
    listed = Metric(name="api_http_requests_total", labels=("code",),
                    label_values={"code": ("200", "404", "503")})
    assert [m.render() for m in value_matchers(listed, "4xx and 5xx above 5%")] == [
        'code=~"[45].."']


def test_failing_grpc_calls_are_grounded_in_the_listed_server_error_codes() -> None:
    from monitorgen.core.catalog import Metric
    from monitorgen.core.generation.labelvalues import value_matchers

    metric = Metric(name="rpc_handled_total", labels=("grpc_code",),
                    label_values={"grpc_code": ("OK", "NotFound", "Unavailable", "Internal")})
    found = value_matchers(metric, "more than 5% of calls fail")
    assert [m.render() for m in found] == ['grpc_code=~"Internal|Unavailable"']


@pytest.mark.parametrize(
    "text",
    ["pods waiting for a reason other than ImagePullBackOff (e.g. crash loop back off, evicted)",
     "pods waiting, except for ImagePullBackOff",
     "pods waiting for any reason excluding ImagePullBackOff"],
)
def test_a_reason_the_intent_excludes_is_selected_away(text: str) -> None:
    reason = Metric(name="app_pods_waiting_reason", labels=["pod", "reason"])
    assert _rendered(reason, text) == ['reason!="ImagePullBackOff"']


def test_an_excluded_value_wins_over_one_the_intent_names_plainly() -> None:
    reason = Metric(name="app_pods_waiting_reason", labels=["pod", "reason"])
    assert _rendered(reason, "pods in crash loop back off, other than ImagePullBackOff") == [
        'reason!="ImagePullBackOff"']



JOBS = Metric(name="relay_jobs_total", type="counter", labels=["instance", "event"],
              label_values={"event": ["started", "crashed", "completed"]})


def test_it_reads_a_listed_problem_value_named_in_another_form_of_its_word() -> None:
    assert _rendered(JOBS, "relay jobs are crashing") == ['event="crashed"']
    # "did not start" names `started` only to deny it: no series of it is the problem.
    assert _rendered(JOBS, "relay jobs did not start") == []


def test_it_reads_a_listed_value_that_glues_the_words_of_a_phrase() -> None:
    metric = Metric(name="deploy_app_info", labels=["name", "sync_status"],
                    label_values={"sync_status": ["Synced", "OutOfSync", "Unknown"]})
    assert _rendered(metric, "the app is out of sync") == ['sync_status="OutOfSync"']


def test_it_answers_crashing_jobs_with_the_increase_of_the_crashed_series() -> None:
    catalog = Catalog(name="invented", metrics=(JOBS, Metric(
        name="relay_queue_depth", type="gauge", help="Messages waiting.")))
    rule = answered_rule(propose(catalog, "Relay jobs crashing: relay jobs are crashing"))
    assert flat(rule.expr) == 'increase(relay_jobs_total{event="crashed"}[5m])>0'
