"""The small PromQL evaluator behind unit-test synthesis: Prometheus' own numbers and labels."""

from __future__ import annotations

import math

import pytest

from monitorgen.core.promeval import (
    NAME,
    Evaluator,
    EvalUnsupported,
    Series,
    bucket_quantile,
    make_labels,
)
from monitorgen.core.promql import parse_promql


def series(name: str, values: list[float | None], step: float = 60.0, **labels: str) -> Series:
    times = tuple(i * step for i, v in enumerate(values) if v is not None)
    numbers = tuple(v for v in values if v is not None)
    return Series(make_labels({**labels, NAME: name}), times, numbers)


def value(expr: str, data: list[Series], t: float, *, left_open: bool = False) -> list:
    result = Evaluator(data, left_open=left_open).evaluate(parse_promql(expr), t)
    assert isinstance(result, list)
    return sorted((dict(labels), v) for labels, v in result)


def test_rate_and_increase_of_a_steady_counter_are_its_slope_in_both_window_rules():
    counter = [series("x_total", [60.0 * i for i in range(20)], job="a")]
    for left_open in (False, True):
        assert value("rate(x_total[5m])", counter, 900, left_open=left_open) == [({"job": "a"}, 1.0)]
        assert value("increase(x_total[5m])", counter, 900, left_open=left_open) == [
            ({"job": "a"}, 300.0)]


def test_rate_extrapolates_like_prometheus_near_the_start_of_a_series():
    # Two samples, 0 then 60, at t=0 and 60s: the counter's zero point caps extrapolation at
    # the first sample, and the end is extrapolated by the distance to the window's end (0).
    counter = [series("x_total", [0.0, 60.0])]
    assert value("increase(x_total[5m])", counter, 60) == [({}, 60.0)]


def test_a_counter_reset_counts_the_value_before_it():
    counter = [series("x_total", [0, 60, 120, 30, 90, 150])]
    [(_, increase)] = value("increase(x_total[5m])", counter, 300)
    assert increase == pytest.approx(270.0)
    assert value("resets(x_total[5m])", counter, 300) == [({}, 1.0)]


def test_the_left_edge_of_a_range_is_in_for_prometheus_2_and_out_for_3():
    flips = [series("g", [0, 1, 0, 1, 0, 1])]
    assert value("changes(g[5m])", flips, 300) == [({}, 5.0)]
    assert value("changes(g[5m])", flips, 300, left_open=True) == [({}, 4.0)]


def test_an_instant_selector_looks_back_five_minutes():
    gone = [series("up", [1.0, None, None, None, None, None, None, None], job="a")]
    assert value("up", gone, 300) == [({NAME: "up", "job": "a"}, 1.0)]
    assert value("up", gone, 300, left_open=True) == []
    assert value("up", gone, 360) == []


def test_histogram_quantile_interpolates_within_the_bucket_like_prometheus():
    # 100 observations: 90 at or below 0.25 s, 10 in (0.25, 1]: p99 lies 90% into that bucket.
    assert bucket_quantile(0.99, [(0.25, 90.0), (1.0, 100.0), (math.inf, 100.0)]) == pytest.approx(0.925)
    # In the +Inf bucket it is the highest finite bound.
    assert bucket_quantile(0.99, [(0.25, 10.0), (1.0, 20.0), (math.inf, 100.0)]) == 1.0


def test_aggregation_keeps_only_the_by_labels_and_filters_drop_nothing():
    data = [series("up", [0.0], job="a", instance="i1"), series("up", [1.0], job="a", instance="i2")]
    assert value("sum by (job) (up)", data, 0) == [({"job": "a"}, 1.0)]
    assert value("up == 0", data, 0) == [({NAME: "up", "instance": "i1", "job": "a"}, 0.0)]
    assert value("0 == up", data, 0) == [({NAME: "up", "instance": "i1", "job": "a"}, 0.0)]


def test_vector_matching_on_labels_and_group_left_copies_labels_from_the_one_side():
    data = [
        series("used", [30.0], instance="i1", mountpoint="/"),
        series("size", [100.0], instance="i1", mountpoint="/"),
        series("info", [1.0], instance="i1", nodename="web-1"),
    ]
    assert value("used / size", data, 0) == [({"instance": "i1", "mountpoint": "/"}, 0.3)]
    assert value("used / on (instance) size", data, 0) == [({"instance": "i1"}, 0.3)]
    assert value("used * on (instance) group_left (nodename) info", data, 0) == [
        ({"instance": "i1", "mountpoint": "/", "nodename": "web-1"}, 30.0)]


def test_absent_returns_the_equality_matchers_as_labels_when_nothing_matches():
    data = [series("up", [1.0], job="other")]
    assert value('absent(up{job="api", instance=~".+"})', data, 0) == [({"job": "api"}, 1.0)]
    assert value('absent(up{job="other"})', data, 0) == []


def test_time_and_predict_linear_follow_the_evaluation_time():
    falling = [series("free", [1000.0 - 10 * i for i in range(11)])]  # -10 per minute
    assert value("time() - free", falling, 600) == [({}, 600.0 - 900.0)]
    [(_, predicted)] = value("predict_linear(free[10m], 3600)", falling, 600)
    assert predicted == pytest.approx(900.0 - 600.0)


def test_what_it_does_not_model_is_refused_with_a_reason():
    with pytest.raises(EvalUnsupported, match="label_replace"):
        Evaluator([]).evaluate(parse_promql('label_replace(up, "a", "$1", "b", "(.*)")'), 0)
    with pytest.raises(EvalUnsupported, match="subqueries"):
        Evaluator([]).evaluate(parse_promql("max_over_time(up[5m:1m])"), 0)
