from __future__ import annotations

import pytest

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.embedded import EmbeddedGenerator
from monitorgen.core.generation.result import GenerationRequest, Scope, Status
from monitorgen.core.spec import AlertingRule
from tests.core.generation.proposing import answered_rule, propose


# --- families -------------------------------------------------------------------------------------
def test_it_builds_a_histogram_percentile_for_a_latency_intent(shop: Catalog) -> None:
    rule = answered_rule(propose(shop, "page me if the checkout service p99 latency is over 500 ms for "
                              "10 minutes"))
    assert rule.expr.startswith("histogram_quantile(0.99, sum by (le")
    assert "http_request_duration_seconds_bucket" in rule.expr
    assert 'service="checkout"' in rule.expr
    assert rule.expr.endswith("> 0.5")
    assert rule.for_ == "10m"
    assert rule.labels["severity"] == "critical"


def test_it_builds_an_error_ratio_from_the_status_code_label(shop: Catalog) -> None:
    rule = answered_rule(propose(shop, "let me know when more than 5% of http requests fail with 5xx"))
    assert 'code=~"5.."' in rule.expr
    assert rule.expr.endswith("> 0.05")
    assert rule.labels["severity"] == "warning"
    assert "humanizePercentage" in rule.annotations["description"]


def test_it_builds_an_error_ratio_from_an_errors_counter_and_its_total(shop: Catalog) -> None:
    rule = answered_rule(propose(shop, "payment gateway errors above 2% of gateway requests"))
    assert "payment_gateway_errors_total" in rule.expr
    assert "payment_gateway_requests_total" in rule.expr
    assert rule.expr.endswith("> 0.02")


def test_it_builds_a_saturation_ratio_for_what_is_left(shop: Catalog) -> None:
    rule = answered_rule(propose(shop, "filesystem almost full: less than 10% available space left"))
    assert "node_filesystem_avail_bytes" in rule.expr
    assert "node_filesystem_size_bytes" in rule.expr
    assert rule.expr.endswith("< 0.1")


def test_it_alerts_on_a_target_being_down_without_a_threshold(shop: Catalog) -> None:
    rule = answered_rule(propose(shop, "scrape target is down"))
    assert rule.expr == "up == 0"
    assert rule.labels["severity"] == "critical"
    assert "{{ $labels.instance }}" in rule.annotations["summary"]


def test_it_counts_restarts_with_increase(shop: Catalog) -> None:
    rule = answered_rule(propose(shop, "pod container restarts more than 3 times in the last hour"))
    assert rule.expr == "increase(kube_pod_container_status_restarts_total[1h]) > 3"


def test_it_compares_a_certificate_expiry_with_now(shop: Catalog) -> None:
    rule = answered_rule(propose(shop, "ssl certificate expires in less than 14 days"))
    assert rule.expr == "probe_ssl_earliest_cert_expiry - time() < 1209600"
    assert "humanizeDuration" in rule.annotations["description"]


def test_it_measures_staleness_from_a_last_success_timestamp(shop: Catalog) -> None:
    rule = answered_rule(propose(shop, "last successful backup is older than 26 hours"))
    assert rule.expr == "time() - backup_last_success_timestamp_seconds > 93600"


def test_it_uses_a_gauge_threshold_when_one_is_given(shop: Catalog) -> None:
    rule = answered_rule(propose(shop, "worker queue length above 1000 for 15 minutes"))
    assert rule.expr == "worker_queue_length > 1000"
    assert rule.for_ == "15m"


def test_annotations_only_use_labels_the_expression_keeps(shop: Catalog) -> None:
    rule = answered_rule(propose(shop, "let me know when more than 5% of http requests fail with 5xx"))
    assert "$labels.route" not in rule.annotations["summary"]
    assert rule.annotations["summary"].endswith(".")


# --- clarification and errors ---------------------------------------------------------------------
def test_it_asks_for_a_threshold_when_a_gauge_has_no_sensible_default(shop: Catalog) -> None:
    result = propose(shop, "worker queue length is high")
    assert result.status is Status.CLARIFY
    assert result.questions[0].field == "threshold"


def test_the_threshold_question_offers_the_numbers_of_the_teams_approved_rules(
        shop: Catalog) -> None:
    approved = (AlertingRule.model_validate({
        "alert": "WorkerQueueBacklog", "expr": "worker_queue_length > 800", "for": "10m",
        "labels": {"severity": "warning"},
        "annotations": {"summary": "Worker queue backlog.", "description": "Queue is long."}}),)
    result = propose(shop, "worker queue length is high", approved=approved)
    question = result.questions[0]
    assert question.field == "threshold"
    assert question.candidates == ("> 800",)
    assert "WorkerQueueBacklog" in question.text


def test_a_threshold_offered_from_an_approved_rule_completes_the_rule(shop: Catalog) -> None:
    rule = answered_rule(propose(shop, "worker queue length is high",
                                 answers={"threshold": "> 800"}))
    assert rule.expr == "worker_queue_length > 800"


def test_it_asks_which_metric_when_nothing_matches(shop: Catalog) -> None:
    result = propose(shop, "the coffee machine is empty")
    assert result.status is Status.CLARIFY
    assert result.questions[0].field == "metric"
    assert result.questions[0].candidates


def test_an_answer_to_the_threshold_question_completes_the_rule(shop: Catalog) -> None:
    rule = answered_rule(propose(shop, "worker queue length is high", answers={"threshold": "500"}))
    assert rule.expr == "worker_queue_length > 500"


def test_scope_from_the_form_becomes_a_matcher(shop: Catalog) -> None:
    rule = answered_rule(propose(shop, "p95 latency above 2s", scope=Scope(service="payments")))
    assert 'service="payments"' in rule.expr


@pytest.mark.parametrize("intent", ["", "   "])
def test_it_refuses_an_empty_intent(shop: Catalog, intent: str) -> None:
    result = propose(shop, intent)
    assert result.status is Status.ERROR
    assert "empty" in result.message


def test_it_refuses_an_intent_over_the_size_limit(shop: Catalog) -> None:
    result = EmbeddedGenerator(max_intent_chars=50).propose(
        GenerationRequest(intent="x" * 51, catalog=shop))
    assert result.status is Status.ERROR
    assert "limit is 50" in result.message


def test_it_refuses_an_empty_catalog() -> None:
    result = propose(Catalog(name="empty"), "disk full")
    assert result.status is Status.ERROR
    assert "no metrics" in result.message


# --- determinism and repair -----------------------------------------------------------------------
def test_the_same_request_gives_the_same_rule(shop: Catalog) -> None:
    intent = "filesystem almost full: less than 10% available space left"
    assert answered_rule(propose(shop, intent)) == answered_rule(propose(shop, intent))


def test_repair_returns_a_different_candidate_or_asks(shop: Catalog) -> None:
    generator = EmbeddedGenerator()
    request = GenerationRequest(intent="payment gateway errors above 2% of gateway requests",
                                catalog=shop)
    first = generator.propose(request)
    second = generator.repair(request, first, ["promtool/check: nope"])
    if second.status is Status.OK:
        assert second.rules[0].expr != first.rules[0].expr
    else:
        assert second.status is Status.CLARIFY
    assert second.provenance.attempts[0].accepted is False
    assert second.provenance.attempts[0].problems == ("promtool/check: nope",)


def test_provenance_names_the_family_and_metrics(shop: Catalog) -> None:
    result = propose(shop, "worker queue length above 1000")
    assert result.provenance.generator == "embedded"
    assert result.provenance.intent_family == "threshold"
    assert result.provenance.metrics_used == ["worker_queue_length"]
    assert result.provenance.catalog == "shop"


def test_no_backup_for_a_duration_is_a_staleness_threshold_not_a_for(shop: Catalog) -> None:
    rule = answered_rule(propose(shop, "no successful backup for 48 hours"))
    assert rule.expr == "time() - backup_last_success_timestamp_seconds > 172800"
    assert rule.for_ != "2d"


def test_it_asks_which_metric_when_several_fit_equally_well() -> None:
    catalog = Catalog.model_validate({"name": "queues", "metrics": [
        {"name": "orders_queue_length", "type": "gauge"},
        {"name": "emails_queue_length", "type": "gauge"}]})
    result = propose(catalog, "queue length above 100")
    assert result.status is Status.CLARIFY
    assert set(result.questions[0].candidates) == {"orders_queue_length", "emails_queue_length"}


def test_naming_one_of_the_candidates_settles_the_question() -> None:
    catalog = Catalog.model_validate({"name": "queues", "metrics": [
        {"name": "orders_queue_length", "type": "gauge"},
        {"name": "emails_queue_length", "type": "gauge"}]})
    rule = answered_rule(propose(catalog, "queue length above 100",
                        answers={"metric": "emails_queue_length"}))
    assert rule.expr == "emails_queue_length > 100"


# --- confidence and questions ----------------------------------------------------------------------
SENSORS = Catalog.model_validate({"name": "sensors", "metrics": [
    {"name": "ipmi_fan_speed_state", "type": "gauge", "labels": ["name"],
     "help": "Reported state of a fan speed sensor (0=nominal, 1=warning, 2=critical)."},
    {"name": "ipmi_chassis_power_state", "type": "gauge",
     "help": "Current power state (1=on, 0=off)."},
    {"name": "ipmi_fan_speed_rpm", "type": "gauge", "labels": ["name"]},
    {"name": "app_errors_total", "type": "counter", "labels": ["handler"]},
    {"name": "app_request_duration_seconds", "type": "histogram", "labels": ["handler"]},
    {"name": "app_queue_items", "type": "gauge"},
]})


def test_it_answers_with_the_confidence_behind_the_answer(shop: Catalog) -> None:
    result = propose(shop, "worker queue length above 1000")
    confidence = result.provenance.parameters["confidence"]
    assert result.status is Status.OK
    assert confidence["value"] >= 0.85
    assert set(confidence) >= {"coverage", "lead", "fit", "help", "title"}


def test_it_asks_with_the_top_candidates_when_the_evidence_is_weak() -> None:
    catalog = Catalog.model_validate({"name": "vague", "metrics": [
        {"name": "orders_processed_total", "type": "counter"},
        {"name": "orders_shipped_total", "type": "counter"},
        {"name": "payments_captured_total", "type": "counter"}]})
    result = propose(catalog, "more than 100 orders in the last hour")
    assert result.status is Status.CLARIFY
    assert result.questions[0].field == "metric"
    assert set(result.questions[0].candidates) >= {"orders_processed_total",
                                                   "orders_shipped_total"}


def test_a_state_the_help_text_explains_becomes_its_value() -> None:
    assert answered_rule(propose(SENSORS, "IPMI fan speed sensor is in warning state")).expr == (
        "ipmi_fan_speed_state == 1")
    assert answered_rule(propose(SENSORS, "IPMI chassis power is off")).expr == (
        "ipmi_chassis_power_state == 0")


def test_a_placeholder_for_an_occurrence_needs_no_number() -> None:
    rule = answered_rule(propose(SENSORS, "App errors: the app logged <value> errors"))
    assert rule.expr == "increase(app_errors_total[5m]) > 0"


def test_a_placeholder_for_a_latency_asks_for_the_number() -> None:
    result = propose(SENSORS, "App request latency: p99 request duration is <value> seconds")
    assert result.status is Status.CLARIFY
    assert result.questions[0].field == "threshold"
    assert "app_request_duration_seconds" in result.questions[0].text


def test_a_share_said_to_be_failing_without_a_number_fires_on_any_failure(shop: Catalog) -> None:
    # The placeholder reports the share; "is failing" is the condition: any failure at all.
    rule = answered_rule(propose(shop, "payment gateway is failing <value>% of gateway requests"))
    assert rule.expr.replace(" ", "").endswith(">0")


def test_the_rationale_tells_the_reviewer_what_was_assumed(shop: Catalog) -> None:
    result = propose(shop, "payment gateway is failing <value>% of gateway requests")
    answered_rule(result)
    assert "Assumed: no threshold stated" in result.rationale


def test_a_high_share_without_a_number_asks_for_the_number(shop: Catalog) -> None:
    result = propose(shop, "payment gateway is failing a high share of gateway requests")
    assert result.status is Status.CLARIFY
    assert result.questions[0].field in ("threshold", "metric")


# --- scope ------------------------------------------------------------------------------------------
SCOPED = Catalog.model_validate({"name": "scoped", "metrics": [
    {"name": "http_request_duration_seconds", "type": "histogram", "labels": ["service"],
     "label_values": {"service": ["checkout-api", "checkout-worker", "payments"]}},
]})


def test_it_asks_which_service_when_a_word_fits_several() -> None:
    result = propose(SCOPED, "checkout p99 request latency above 500ms")
    assert result.status is Status.CLARIFY
    assert result.questions[0].field == "service"
    assert result.questions[0].candidates == ("checkout-api", "checkout-worker")


def test_it_asks_which_service_when_the_named_one_is_not_listed() -> None:
    result = propose(SCOPED, "p99 request latency of the billing service above 500ms")
    assert result.status is Status.CLARIFY
    assert result.questions[0].field == "service"
    assert set(result.questions[0].candidates) == {"checkout-api", "checkout-worker", "payments"}


def test_a_listed_service_named_outright_becomes_a_matcher() -> None:
    rule = answered_rule(propose(SCOPED, "payments p99 request latency above 500ms"))
    assert 'service="payments"' in rule.expr


ROUTED = Catalog.model_validate({"name": "routed", "metrics": [
    {"name": "api_request_duration_seconds", "type": "histogram", "labels": ["handler", "code"],
     "label_values": {"handler": ["/v1/orders", "/v1/cart"]}},
    {"name": "api_requests_total", "type": "counter", "labels": ["handler", "code"]},
]})


def test_a_path_said_as_it_is_pins_the_label_that_lists_it() -> None:
    rule = answered_rule(propose(ROUTED, "p95 latency of /v1/cart above 300 ms"))
    assert 'handler="/v1/cart"' in rule.expr and rule.expr.replace(" ", "").endswith(">0.3")


def test_a_path_no_label_lists_pins_the_one_path_label() -> None:
    # The value is the intent's own; the catalog has one label that holds paths.
    rule = answered_rule(propose(ROUTED, "error rate on /v1/users above 2% for 5 minutes"))
    assert 'handler="/v1/users"' in rule.expr and 'code=~"5.."' in rule.expr


def test_a_bare_workload_name_before_a_percentile_latency_scopes_the_rule() -> None:
    # The catalog lists the label but none of its values: the name is taken from its place.
    unlisted = Catalog.model_validate({"name": "unlisted", "metrics": [
        {"name": "http_request_duration_seconds", "type": "histogram",
         "labels": ["service", "route"]},
    ]})
    rule = answered_rule(propose(unlisted, "page me if checkout p99 latency is over 500ms for 10 minutes"))
    assert 'service="checkout"' in rule.expr


UNLISTED = Catalog.model_validate({"name": "unlisted", "metrics": [
    {"name": "http_request_duration_seconds", "type": "histogram",
     "labels": ["service", "route", "code"], "help": "Request latency in seconds."},
    {"name": "http_requests_total", "type": "counter", "labels": ["service", "route", "code"],
     "help": "Requests served."},
    {"name": "process_resident_memory_bytes", "type": "gauge"},
]})


@pytest.mark.parametrize("intent", ["warn if median latency of payments exceeds 200ms",
                                    "alert if the success rate of payments drops below 99%"])
def test_a_workload_named_after_the_measure_scopes_the_rule(intent: str) -> None:
    rule = answered_rule(propose(UNLISTED, intent))
    assert 'service="payments"' in rule.expr


@pytest.mark.parametrize("intent", ["warn when the latency of requests is above 1s",
                                    "warn when the error rate of all requests is above 5%",
                                    "warn when more than 5% of requests fail"])
def test_words_after_the_measure_that_name_no_workload_scope_nothing(intent: str) -> None:
    rule = answered_rule(propose(UNLISTED, intent))
    assert "service=" not in rule.expr


def test_a_verb_before_requests_names_no_workload() -> None:
    from monitorgen.core.generation.scope import scope_matchers_from_possessives

    for intent in ("HAProxy is blocking requests for security reasons",
                   "page me when the gateway is rejecting requests",
                   "alert when dropped requests exceed 10 per second"):
        assert scope_matchers_from_possessives(UNLISTED, intent) == {}, intent
    assert scope_matchers_from_possessives(
        UNLISTED, "page me when checkout requests per second drop below 10") == {
        "service": "checkout"}


def test_answering_the_scope_question_settles_it() -> None:
    rule = answered_rule(propose(SCOPED, "checkout p99 request latency above 500ms",
                        answers={"service": "checkout-api"}))
    assert 'service="checkout-api"' in rule.expr


def test_its_description_describes_the_alert_instead_of_repeating_the_intent(shop: Catalog) -> None:
    intent = "page me if the checkout service p99 latency is over 500 ms for 10 minutes"
    rule = answered_rule(propose(shop, intent))
    description = rule.annotations["description"]
    assert "page me" not in description and intent not in description
    assert "{{ $value | humanizeDuration }}" in description
    assert "on service checkout" in description
    assert "for at least 10m" in description


def test_its_description_names_the_kept_labels_as_templates(shop: Catalog) -> None:
    rule = answered_rule(propose(shop, "scrape target is down"))
    assert "{{ $labels.instance }}" in rule.annotations["description"]
    assert "{{ $value" in rule.annotations["description"]


def test_it_asks_for_a_number_when_a_plain_counter_is_said_to_be_unusually_high() -> None:
    mesh = Catalog.model_validate({"name": "mesh", "metrics": [
        {"name": "mesh_requests_total", "type": "counter", "help": "Requests handled by the mesh.",
         "labels": ["source", "destination"]},
        {"name": "cache_evictions_total", "type": "counter", "help": "Items evicted.",
         "labels": ["instance"]},
    ]})
    # "Any increase" of a requests counter would page on every request: ask for the level.
    result = propose(mesh, "Mesh high total request rate: global request rate in the service "
                            "mesh is unusually high (<value> req/s).")
    assert result.status is Status.CLARIFY
    assert result.questions[0].field == "threshold"


@pytest.mark.parametrize("intent", [
    "DB too many open files: the database has too many open files, consider raising variables "
    "open_files_limit on <instance>",
    "DB reaching TCP connections limit: instance <instance> is using <value>% of its TCP "
    "connections limit.",
])
def test_it_does_not_alert_on_a_configured_limit_by_itself(intent: str) -> None:
    db = Catalog.model_validate({"name": "db", "metrics": [
        {"name": "db_variables_open_files_limit", "type": "gauge",
         "help": "Configured open files limit.", "labels": ["instance"]},
        {"name": "db_status_innodb_num_open_files", "type": "gauge", "help": "Files open now.",
         "labels": ["instance"]},
        {"name": "db_queries_total", "type": "counter", "help": "Queries run.",
         "labels": ["instance"]},
        {"name": "db_tcp_connections_limit", "type": "gauge", "help": "Max TCP connections.",
         "labels": ["instance"]},
    ]})
    result = propose(db, intent)
    # "limit > 0" is always true: the intent is about usage against the limit.
    assert not any(rule.expr.endswith("_limit > 0") for rule in result.rules)


@pytest.mark.parametrize(("name", "intent"), [
    ("backup_guests_not_backed_up", "Guests not backed up: some guests are not backed up"),
    ("deploy_pods_number_misscheduled", "Deploy misscheduled: some pods are misscheduled"),
    ("network_ports_no_ips", "Network ports without IPs: <value> active ports have no IP "
                             "addresses"),
])
def test_it_alerts_on_a_count_of_bad_things_above_zero_not_at_zero(name: str, intent: str) -> None:
    catalog = Catalog.model_validate({"name": "bad", "metrics": [
        {"name": name, "type": "gauge", "help": "", "labels": ["instance"]},
        {"name": "process_open_fds", "type": "gauge", "help": "Open fds.",
         "labels": ["instance"]},
    ]})
    rule = answered_rule(propose(catalog, intent))
    assert rule.expr.endswith("> 0"), rule.expr


def test_it_asks_for_the_level_when_a_plain_gauge_is_said_to_be_too_high() -> None:
    catalog = Catalog.model_validate({"name": "rt", "metrics": [
        {"name": "runtime_threads", "type": "gauge", "help": "OS threads.",
         "labels": ["instance"]},
        {"name": "runtime_heap_bytes", "type": "gauge", "help": "Heap.", "labels": ["instance"]},
    ]})
    # `runtime_threads > 0` would always fire.
    result = propose(catalog, "Runtime threads too high: <instance> has <value> threads")
    assert result.status is Status.CLARIFY
    assert result.questions[0].field == "threshold"


def test_it_alerts_when_series_in_an_error_state_exist_not_when_they_are_gone() -> None:
    catalog = Catalog.model_validate({"name": "vol", "metrics": [
        {"name": "storage_volume_status_counter", "type": "gauge",
         "help": "Volumes by status.", "labels": ["status"]},
        {"name": "storage_volume_size_bytes", "type": "gauge", "help": "Volume size.",
         "labels": ["volume"]},
    ]})
    result = propose(catalog, "Storage volumes in error state: <value> volumes are in error status")
    for rule in result.rules:
        assert not rule.expr.endswith("== 0"), rule.expr


_UNLABELLED_WEB = {"name": "web", "metrics": [
    {"name": "web_http_requests_total", "type": "counter", "help": "", "labels": []},
    {"name": "web_connections_active", "type": "gauge", "help": "", "labels": []},
]}
_WEB_5XX = "Web high HTTP 5xx error rate: too many HTTP requests with status 5xx (> 5%)"


def test_it_asks_which_label_holds_the_status_code_when_the_catalog_lists_none() -> None:
    result = propose(Catalog.model_validate(_UNLABELLED_WEB), _WEB_5XX)
    assert result.status is Status.CLARIFY
    question = result.questions[0]
    assert question.field == "status_label"
    assert "web_http_requests_total" in question.text


def test_it_builds_the_error_ratio_once_the_status_label_is_named() -> None:
    result = propose(Catalog.model_validate(_UNLABELLED_WEB), _WEB_5XX,
                      answers={"status_label": "status"})
    rule = answered_rule(result)
    assert 'web_http_requests_total{status=~"5.."}' in rule.expr
    assert rule.expr.endswith("> 0.05")


def test_it_ignores_a_status_label_answer_that_is_not_a_label_name() -> None:
    result = propose(Catalog.model_validate(_UNLABELLED_WEB), _WEB_5XX,
                      answers={"status_label": "status code!"})
    assert result.status is Status.CLARIFY
