"""What export writes, import reads back: every format, rule for rule, with its metadata."""

from __future__ import annotations

import pytest

from monitorgen.core.formats.parse import RuleFormat, parse_rule_documents
from monitorgen.core.formats.render import export_rule, render_tree
from monitorgen.core.spec import AlertingRule, RecordingRule

LATENCY = AlertingRule.model_validate(
    {
        "alert": "CheckoutHighLatency",
        "expr": "histogram_quantile(0.99, sum by (le) "
        '(rate(http_request_duration_seconds_bucket{service="checkout"}[5m]))) > 0.5',
        "for": "10m",
        "labels": {"severity": "critical"},
        "annotations": {"summary": "Checkout is slow.", "description": "p99 is {{ $value }}s.\nLook."},
    }
)
RECORD = RecordingRule(record="job:http_requests:rate5m", expr="sum by (job) (rate(http_requests_total[5m]))")
GROUPS = {("payments", "checkout"): [export_rule(LATENCY), export_rule(RECORD)],
          ("payments", "search"): [export_rule(RECORD)]}


@pytest.mark.parametrize(
    ("format_name", "options"),
    [
        ("prometheus", {}),
        ("thanos", {"partial_response_strategy": "warn"}),
        ("mimir", {"namespace": "{team}"}),
        ("operator", {"labels": {"role": "alert-rules"}, "namespace": "shop"}),
    ],
)
def test_every_exported_format_is_read_back_as_the_same_rules(format_name, options):
    tree = render_tree(format_name, GROUPS, options=options)
    read: dict[str, list[object]] = {}
    for path, text in tree.items():
        result = parse_rule_documents(text, source=path)  # auto-detected
        assert result.ok and result.all_problems() == [], result.all_problems()
        assert result.formats == [format_name]
        for document, parsed in result.rules():
            read.setdefault(parsed.group.name, []).append(parsed.rule)
            if format_name == "thanos":
                assert parsed.group_meta.partial_response_strategy == "warn"
            if format_name == "mimir":
                assert document.namespace == "payments"
            if format_name == "operator":
                assert document.format is RuleFormat.OPERATOR and document.namespace == "shop"
                assert dict(document.labels).get("role") == "alert-rules"
    assert sorted(read["checkout"], key=lambda r: r.name) == sorted([LATENCY, RECORD], key=lambda r: r.name)
    assert read["search"] == [RECORD]
