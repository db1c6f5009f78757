from __future__ import annotations

from monitorgen.core.catalog import Catalog
from monitorgen.core.spec import AlertingRule, RecordingRule, RuleFile, RuleGroup
from validators.grounding import CHECK_LABEL, CHECK_METRIC, ground_rule, ground_rule_file

CATALOG = Catalog.model_validate({
    "name": "shop",
    "metrics": [
        {"name": "http_requests_total", "type": "counter", "labels": ["code", "path"]},
        {"name": "req_seconds", "type": "histogram", "labels": ["path"]},
        {"name": "rpc_seconds", "type": "summary", "labels": ["method"]},
    ],
})


def alert(expr: str, annotations: dict[str, str] | None = None) -> AlertingRule:
    return AlertingRule.model_validate(
        {"alert": "A", "expr": expr, "annotations": annotations or {}}, context={"policy": "lenient"}
    )


def messages(rule, **kwargs) -> list[tuple[str, str]]:
    return [(p.check, p.message) for p in ground_rule(rule, CATALOG, **kwargs)]


def test_it_accepts_known_metrics_labels_and_series_suffixes():
    rule = alert(
        'histogram_quantile(0.9, sum by (le, path, job) (rate(req_seconds_bucket{path="/"}[5m])))'
        ' > 1 or rpc_seconds{quantile="0.99", instance="a"} > 1',
        {"summary": "{{ $labels.path }} on {{ $labels.job }}"},
    )
    assert messages(rule) == []


def test_it_flags_an_unknown_metric_and_suggests_the_closest():
    [(check, message)] = messages(alert("rate(http_request_total[5m]) > 1"))
    assert check == CHECK_METRIC and "http_requests_total" in message


def test_it_flags_an_unknown_matcher_label_and_suggests_the_closest():
    [(check, message)] = messages(alert('http_requests_total{cod="500"} > 1'))
    assert check == CHECK_LABEL and "'cod'" in message and "code" in message


def test_it_flags_unknown_labels_in_by_on_and_templates():
    rule = alert("sum by (pathh) (http_requests_total) > on(team) group_left sum by (team)"
                 " (http_requests_total)", {"summary": "{{ $labels.region }}"})
    found = " ".join(m for _, m in messages(rule))
    assert "'pathh'" in found and "'team'" in found and "'region'" in found


def test_it_allows_le_only_on_buckets():
    [(check, _)] = messages(alert('http_requests_total{le="1"} > 1'))
    assert check == CHECK_LABEL


def test_it_accepts_recording_rule_outputs_and_alerts_series():
    records = frozenset({"path:http_requests:rate5m"})
    rule = alert('path:http_requests:rate5m{anything="x"} > 1 or ALERTS{alertstate="firing"} > 0',
                 {"summary": "{{ $labels.anything }}"})
    assert messages(rule, records=records) == []


def test_it_accepts_labels_the_expression_creates():
    rule = alert('label_replace(http_requests_total, "svc", "$1", "path", "(.*)") > 1',
                 {"summary": "{{ $labels.svc }}"})
    assert messages(rule) == []


def test_a_rule_file_grounds_against_its_own_recording_rules():
    rule_file = RuleFile(groups=[RuleGroup(name="g", rules=[
        RecordingRule(record="path:http_requests:rate5m",
                      expr="sum by (path) (rate(http_requests_total[5m]))"),
        alert("path:http_requests:rate5m > 1"),
        alert("nope_total > 1"),
    ])])
    problems = ground_rule_file(rule_file, CATALOG, source="x.yml")
    assert [(p.check, p.group, p.source) for p in problems] == [(CHECK_METRIC, "g", "x.yml")]
    assert "nope_total" in problems[0].message
