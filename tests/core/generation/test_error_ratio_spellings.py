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
