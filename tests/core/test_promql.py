from __future__ import annotations

import pytest

from monitorgen.core.catalog import Catalog
from monitorgen.core.errors import SpecInvalid
from monitorgen.core.promql import KeptLabels, analyze_expr, template_label_refs


def test_it_lists_metrics_and_histogram_families():
    analysis = analyze_expr(
        "sum(rate(req_duration_seconds_bucket[5m])) / sum(rate(req_duration_seconds_count[5m]))"
    )
    assert analysis.metrics == ("req_duration_seconds_bucket", "req_duration_seconds_count")
    assert analysis.families == ("req_duration_seconds",)


def test_it_resolves_summary_families_through_a_catalog():
    catalog = Catalog.model_validate(
        {"name": "c", "metrics": [{"name": "rpc_seconds", "type": "summary"}]}
    )
    assert analyze_expr("rpc_seconds_sum", catalog).families == ("rpc_seconds",)
    assert analyze_expr("rpc_seconds_total").families == ("rpc_seconds_total",)


def test_it_reads_label_matchers_with_their_operators():
    selector = analyze_expr('x{job="api", code=~"5..", env!="dev", path!~"/health.*"}').selectors[0]
    assert [(m.name, m.op, m.value) for m in selector.matchers] == [
        ("job", "=", "api"), ("code", "=~", "5.."), ("env", "!=", "dev"),
        ("path", "!~", "/health.*"),
    ]


def test_it_takes_the_metric_name_from_a_name_matcher():
    assert analyze_expr('{__name__="up", job="a"}').metrics == ("up",)


def test_it_records_functions_and_range_windows_in_seconds():
    analysis = analyze_expr("increase(a_total[1h]) + rate(b_total[90s]) + max_over_time(c[5m:1m])")
    assert analysis.functions == ("increase", "rate", "max_over_time")
    assert [(w.seconds, w.function, w.subquery) for w in analysis.range_windows] == [
        (3600.0, "increase", False), (90.0, "rate", False), (300.0, "max_over_time", True),
    ]


def test_it_records_aggregations_with_grouping_labels():
    analysis = analyze_expr("sum by (job, env) (a) + on(job) group_left(team) count without (pod) (b)")
    assert [(a.op, a.grouping, a.labels) for a in analysis.aggregations] == [
        ("sum", "by", ("job", "env")), ("count", "without", ("pod",)),
    ]
    assert analysis.grouping_labels() == {"job", "env", "pod", "team"}


def test_it_finds_top_level_comparisons_and_constants():
    analysis = analyze_expr("(sum(rate(e_total[5m])) > 0.05) and on() (hour() > bool 8)")
    top = analysis.top_level_comparisons
    assert [(c.op, c.constant, c.returns_bool) for c in top] == [(">", 0.05, False), (">", 8.0, True)]
    assert analysis.has_condition


def test_it_sees_no_condition_in_a_bare_rate():
    assert not analyze_expr("rate(errors_total[5m])").has_condition


def test_it_does_not_count_a_bool_comparison_as_a_condition():
    assert not analyze_expr("up == bool 0").has_condition


def test_it_counts_absent_as_a_condition():
    analysis = analyze_expr('absent(up{job="api"})')
    assert analysis.uses_absent and analysis.has_condition
    assert analysis.kept_labels == KeptLabels(only=frozenset({"job"}))


def test_it_keeps_only_by_labels_after_sum_by():
    kept = analyze_expr("sum by (job) (rate(x_total[5m])) > 1").kept_labels
    assert kept.keeps("job") and not kept.keeps("instance")


def test_it_keeps_all_but_without_labels():
    kept = analyze_expr("sum without (instance) (x) > 1").kept_labels
    assert kept.keeps("job") and not kept.keeps("instance")


def test_it_keeps_only_on_labels_in_one_to_one_matching():
    kept = analyze_expr("a / on(job) b").kept_labels
    assert kept.keeps("job") and not kept.keeps("pod")


def test_it_adds_label_replace_targets():
    analysis = analyze_expr('label_replace(sum by (job) (x), "svc", "$1", "job", "(.*)")')
    assert analysis.kept_labels.keeps("svc") and "svc" in analysis.created_labels


def test_it_drops_le_after_histogram_quantile_but_sees_it_in_the_argument():
    analysis = analyze_expr("histogram_quantile(0.9, sum by (le, job) (rate(d_bucket[5m])))")
    call = next(c for c in analysis.calls if c.name == "histogram_quantile")
    assert call.arg_labels is not None and call.arg_labels.keeps("le")
    assert not analysis.kept_labels.keeps("le") and analysis.kept_labels.keeps("job")


def test_it_marks_divisions_inside_aggregations_and_guards():
    unguarded, guarded = analyze_expr("sum(a / b) + avg(c / (d > 0))").divisions
    assert unguarded.aggregations == ("sum",) and not unguarded.divisor_guarded
    assert guarded.aggregations == ("avg",) and guarded.divisor_guarded


def test_it_treats_a_nonzero_literal_divisor_as_guarded():
    assert analyze_expr("sum(a / 100)").divisions[0].divisor_guarded


def test_it_raises_spec_invalid_on_bad_syntax():
    with pytest.raises(SpecInvalid, match="not valid PromQL"):
        analyze_expr("sum(rate(x[5m])")


def test_it_reads_labels_referenced_by_templates():
    text = '{{ $labels.job }} on {{ .Labels.instance }} in {{ index $labels "env" }} is {{ $value }}'
    assert template_label_refs(text) == {"job", "instance", "env"}
    assert template_label_refs("plain text") == frozenset()


def test_analysis_is_frozen():
    analysis = analyze_expr("up == 0")
    with pytest.raises(AttributeError):
        analysis.expr = "x"  # type: ignore[misc]
