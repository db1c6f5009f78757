"""Twins: rules with the same condition over the same families, however they are written."""

from __future__ import annotations

import pytest

from monitorgen.core.equivalence import (
    canonical_promql,
    equivalent,
    find_equivalent,
    rule_signature,
)
from monitorgen.core.spec import AlertingRule, RecordingRule

LATENCY = (
    "histogram_quantile(0.99, sum by (le, service) "
    '(rate(http_request_duration_seconds_bucket{service="checkout", code!~"5.."}[5m]))) > 0.5'
)


def alert(expr: str = LATENCY, *, name: str = "CheckoutHighLatency", for_: str | None = "10m",
          severity: str = "critical", **extra_labels: str) -> AlertingRule:
    return AlertingRule.model_validate(
        {
            "alert": name,
            "expr": expr,
            "for": for_,
            "labels": {"severity": severity, **extra_labels},
            "annotations": {"summary": f"{name}.", "description": "Something is off."},
        }
    )


@pytest.mark.parametrize(
    "rewritten",
    [
        # whitespace, line breaks and `by` written after the aggregation
        "histogram_quantile(0.99,\n  sum(rate(http_request_duration_seconds_bucket"
        '{service="checkout",code!~"5.."}[5m])) by (le, service)\n) > 0.5',
        # matcher order, grouping label order, duration and number spellings
        "histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket"
        '{code!~"5..", service="checkout"}[300s]))) > 5e-1',
        # redundant parentheses and the comparison written the other way round
        "0.5 < (histogram_quantile(0.99, (sum by (le, service) (rate(http_request_duration_seconds_bucket"
        '{service="checkout", code!~"5.."}[5m])))))',
        # the metric name as a __name__ matcher
        'histogram_quantile(0.99, sum by (le, service) (rate({__name__="http_request_duration_seconds_bucket",'
        ' service="checkout", code!~"5.."}[5m]))) > 0.5',
    ],
)
def test_it_finds_rules_equivalent_despite_formatting(rewritten):
    assert equivalent(alert(), alert(rewritten))


def test_it_ignores_names_annotations_and_labels_other_than_severity():
    other = alert(name="PaymentsCheckoutSlow", team="payments")
    assert equivalent(alert(), other)
    assert rule_signature(alert()).digest == rule_signature(other).digest


@pytest.mark.parametrize(
    "changed",
    [
        LATENCY.replace("> 0.5", "> 0.7"),  # threshold
        LATENCY.replace("> 0.5", ">= 0.5"),  # comparator
        LATENCY.replace('service="checkout"', 'service="search"'),  # matcher value
        LATENCY.replace('code!~"5.."', 'code=~"5.."'),  # matcher operator
        LATENCY.replace(', code!~"5.."', ""),  # a matcher fewer
        LATENCY.replace("http_request_duration_seconds", "rpc_duration_seconds"),  # family
        LATENCY.replace("0.99", "0.95"),  # function argument
        LATENCY.replace("[5m]", "[10m]"),  # range
        LATENCY.replace("by (le, service)", "by (le)"),  # aggregation labels
        LATENCY.replace("sum by", "max by"),  # aggregation
    ],
)
def test_it_tells_apart_rules_whose_condition_differs(changed):
    assert not equivalent(alert(), alert(changed))


def test_it_tells_apart_the_same_condition_held_for_another_time_or_at_another_severity():
    assert not equivalent(alert(), alert(for_="5m"))
    assert not equivalent(alert(), alert(for_=None))
    assert not equivalent(alert(), alert(severity="warning"))
    assert equivalent(alert(for_="10m"), alert(for_="600s"))


def test_it_keeps_the_order_of_operands_that_matters():
    assert canonical_promql("a / b > 1") != canonical_promql("b / a > 1")
    assert canonical_promql("(a + b) * c") != canonical_promql("a + b * c")
    assert canonical_promql("a > 1 and b > 2") != canonical_promql("a > 2 and b > 1")


def test_it_writes_one_spelling_for_matching_modifiers_and_subqueries():
    assert canonical_promql("a > on(y, x) group_left(z) b") == canonical_promql(
        "a>on (x,y) group_left (z) b"
    )
    assert canonical_promql("max_over_time(x[1h:5m])") == canonical_promql(
        "max_over_time(x[60m:300s])"
    )
    assert canonical_promql("sum by () (x)") == canonical_promql("sum(x)")
    assert canonical_promql("sum without () (x)") != canonical_promql("sum(x)")
    assert canonical_promql("x > -(1)") == canonical_promql("x > -1")


def test_it_never_calls_an_alert_and_a_recording_rule_twins():
    record = RecordingRule(record="checkout:latency:p99", expr=LATENCY)
    assert find_equivalent(record, [("alert", alert())]) == []


def test_it_lists_every_equivalent_existing_rule_with_the_callers_item_in_order():
    existing = [
        (1, alert(name="A")),
        (2, alert(LATENCY.replace("> 0.5", "> 0.9"), name="B")),
        (3, alert(LATENCY.replace("[5m]", "[300s]"), name="C")),
    ]
    found = find_equivalent(alert(), existing)
    assert [(match.item, match.rule.name) for match in found] == [(1, "A"), (3, "C")]
    assert found[0].signature.families == ("http_request_duration_seconds",)
