"""Error ratios by a label whose values the catalog lists in its own spelling: status classes
("5xx", "5"), gRPC codes, DNS codes ("No Error"), outcomes ("err", "failed", "failure"). The
failing series are the listed values that fail, never a canonical spelling the series do not
carry. Catalogs and intents are invented."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.result import Status
from tests.core.generation.proposing import answered_rule, flat, invented_catalog, propose


def _counter(name: str, label: str, values: list[str], *more: str, help_: str = "") -> Catalog:
    return invented_catalog({"name": name, "type": "counter", "labels": [label, *more],
                             "label_values": {label: values}, "help": help_})


def test_it_writes_a_listed_dns_success_code_with_a_space_as_the_catalog_spells_it() -> None:
    catalog = _counter("resolver_dns_responses_total", "rcode",
                       ["No Error", "Non-Existent Domain", "Server Failure", "Refused"], "qtype")
    expr = flat(answered_rule(propose(catalog, "DNS error rate above 10%")).expr)
    assert 'rcode!="NoError"' in expr
    assert "NOERROR" not in expr


def test_it_writes_no_dns_error_ratio_when_no_listed_code_is_the_success_one() -> None:
    # Everything but NOERROR would select every listed code: a rule firing on all traffic.
    catalog = _counter("resolver_dns_responses_total", "rcode", ["SERVFAIL", "NXDOMAIN"])
    result = propose(catalog, "DNS error rate above 10%")
    assert result.status is not Status.OK or "NOERROR" not in result.rules[0].expr


def test_it_selects_the_listed_class_of_a_status_label_for_a_plain_error_rate() -> None:
    catalog = _counter("controller_invocations_total", "status", ["2xx", "4xx", "5xx"],
                       "controller")
    expr = flat(answered_rule(propose(catalog, "Controller invocations error rate above 5%")).expr)
    assert 'controller_invocations_total{status="5xx"}' in expr


def test_it_reads_a_failed_classification_as_the_failing_responses() -> None:
    catalog = _counter("response_total", "classification", ["success", "failure"], "direction",
                       help_="Total count of HTTP responses.")
    expr = flat(answered_rule(propose(catalog, "HTTP response error rate above 10%")).expr)
    assert 'response_total{classification="failure"}' in expr


FRONTDOOR = invented_catalog(
    {"name": "frontdoor_httpd_status_codes", "type": "gauge", "labels": ["code", "node"],
     "help": "number of HTTP responses by status code"},
    {"name": "frontdoor_httpd_requests", "type": "gauge", "labels": ["node"],
     "help": "number of HTTP requests"},
    {"name": "frontdoor_httpd_request_time", "type": "gauge", "labels": ["node"],
     "help": "length of a request"},
)


def test_it_divides_a_family_of_status_codes_by_the_separate_counter_of_requests() -> None:
    rule = answered_rule(propose(FRONTDOOR, "Frontdoor 5xx error ratio high: more than 5% of "
                                            "HTTP requests are returning 5xx errors"))
    expr = flat(rule.expr)
    assert 'rate(frontdoor_httpd_status_codes{code=~"5.."}[5m]))/(sumby(job,instance)' \
           "(rate(frontdoor_httpd_requests[5m]))>0))>0.05" in expr


def _mesh(name: str) -> Catalog:
    return Catalog.model_validate({"name": name, "metrics": [
        {"name": "response_total", "type": "counter", "labels": ["classification", "direction"],
         "help": "Total count of HTTP responses."},
    ]})


def test_an_error_rate_naming_no_metric_is_the_failing_share_of_responses_too() -> None:
    expr = flat(answered_rule(propose(_mesh("mesh"), "Mesh error rate is over 10%")).expr)
    assert 'response_total{classification=~"(?i)err(or)?|fail(ed|ure)?"}' in expr


def test_the_system_a_catalog_is_named_after_is_no_workload_of_it() -> None:
    expr = answered_rule(propose(_mesh("meshy-exporter"), "Meshy error rate is over 10%")).expr
    assert "Meshy" not in expr


# --- the status label question, for counters that list no labels at all -----------------------
RPC = invented_catalog(
    {"name": "grpc_server_handled_total", "type": "counter",
     "help": "Total number of RPCs completed on the server."},
    {"name": "resolver_dns_responses_total", "type": "counter", "help": "DNS responses sent."},
    {"name": "gateway_service_requests_total", "type": "counter",
     "help": "HTTP requests processed on a service."},
)


def _asks_for_the_code_label(intent: str, catalog: Catalog, metric: str, code: str) -> None:
    result = propose(catalog, intent)
    assert result.status is Status.CLARIFY
    question = result.questions[0]
    assert question.field == "status_label", question.text
    assert metric in question.text and code in question.text


def test_it_asks_which_label_holds_the_grpc_code_of_a_share_of_failing_calls() -> None:
    intent = "More than 5% of gRPC requests handled by the server are failing"
    _asks_for_the_code_label(intent, RPC, "grpc_server_handled_total", "gRPC status code")
    rule = answered_rule(propose(RPC, intent, answers={"status_label": "grpc_code"}))
    assert 'grpc_server_handled_total{grpc_code=~"Unknown|DeadlineExceeded|' in rule.expr


def test_it_asks_which_label_holds_the_dns_code_of_a_share_of_error_responses() -> None:
    intent = "Resolver is observing more than 10% DNS error responses"
    _asks_for_the_code_label(intent, RPC, "resolver_dns_responses_total", "DNS response code")
    rule = answered_rule(propose(RPC, intent, answers={"status_label": "rcode"}))
    # Either spelling of the success code is left out, whichever the exporter uses.
    assert 'resolver_dns_responses_total{rcode!~"(?i)no[ _-]?error"}' in rule.expr


def test_it_asks_for_the_status_label_of_the_only_matching_counter_named_fairly() -> None:
    # Words every gateway metric shares weigh little: the counter is named only in part.
    catalog = invented_catalog(
        {"name": "gateway_service_requests_total", "type": "counter"},
        {"name": "gateway_service_server_up", "type": "gauge", "labels": ["service", "url"]},
        {"name": "gateway_config_reloads_failure_total", "type": "counter"},
        {"name": "gateway_tls_certs_not_after", "type": "gauge", "labels": ["cn"]},
    )
    _asks_for_the_code_label("Gateway high HTTP 4xx error rate service: Gateway service 4xx "
                             "error rate is above 5%", catalog, "gateway_service_requests_total",
                             "HTTP status code")


def test_it_tells_the_reviewer_when_the_failing_codes_are_matched_unlisted() -> None:
    unlisted = invented_catalog({"name": "proxy_http_responses_total", "type": "counter",
                                 "labels": ["code"]})
    result = propose(unlisted, "Proxy 5xx error rate above 5%")
    assert 'code=~"5.."' in answered_rule(result).expr
    assert any("lists no values of code" in note
               for note in result.provenance.parameters.get("assumptions", []))
    listed = _counter("proxy_http_responses_total", "code", ["2xx", "4xx", "5xx"])
    result = propose(listed, "Proxy 5xx error rate above 5%")
    assert 'code="5xx"' in answered_rule(result).expr
    assert not result.provenance.parameters.get("assumptions")


def test_it_asks_no_status_label_of_a_counter_named_for_the_class_itself() -> None:
    catalog = invented_catalog(
        {"name": "web_responses_5xx_total", "type": "counter"},
        {"name": "web_responses_4xx_total", "type": "counter"},
        {"name": "web_requests_total", "type": "counter"},
    )
    result = propose(catalog, "Web 5xx error rate above 5%")
    assert not result.questions or result.questions[0].field != "status_label"
