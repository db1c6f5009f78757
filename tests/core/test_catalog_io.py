from __future__ import annotations

from pathlib import Path

import pytest

from monitorgen.core.catalog import Catalog, Metric, MetricType
from monitorgen.core.catalog_io import (
    catalog_to_yaml,
    load_catalog_file,
    parse_catalog_yaml,
    parse_exposition,
)
from monitorgen.core.errors import CatalogInvalid

VALID = """\
name: shop
description: The shop service
scrape_interval: 15s
exporters: [{service: shop}]
metrics:
  - name: http_requests_total
    type: counter
    help: Requests served.
    labels: [route, code]
    source: hand written
  - name: http_request_duration_seconds
    type: histogram
    labels: [route]
"""


# --- catalog YAML --------------------------------------------------------------------------------
def test_it_parses_a_valid_catalog():
    catalog = parse_catalog_yaml(VALID, source="shop.yaml")
    assert catalog.name == "shop"
    assert catalog.scrape_interval == "15s"
    requests = catalog.family("http_requests_total")
    assert requests is not None
    assert requests.type is MetricType.COUNTER
    assert requests.labels == ("code", "route")
    assert catalog.family("http_request_duration_seconds_bucket") is not None


def test_it_ignores_unknown_keys_at_top_level_and_per_metric():
    catalog = parse_catalog_yaml(VALID, source="shop.yaml")
    assert len(catalog) == 2  # `exporters` and `source` were not errors


def test_it_names_the_catalog_after_the_file_when_the_name_is_missing(tmp_path: Path):
    path = tmp_path / "my-service.yaml"
    path.write_text("metrics:\n  - name: up\n    type: gauge\n", encoding="utf-8")
    assert load_catalog_file(path).name == "my-service"


def test_it_reports_malformed_yaml_with_file_and_line(tmp_path: Path):
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\nmetrics:\n  - name: up\n    labels: [a, b\n", encoding="utf-8")
    with pytest.raises(CatalogInvalid) as caught:
        load_catalog_file(path)
    assert str(path) in caught.value.message
    assert caught.value.details["line"] in {4, 5}
    assert "line" in caught.value.message


def test_it_names_the_metric_and_line_of_a_bad_metric_entry():
    text = "name: x\nmetrics:\n  - name: up\n  - name: bad-name\n    type: gauge\n"
    with pytest.raises(CatalogInvalid) as caught:
        parse_catalog_yaml(text, source="x.yaml")
    problem = caught.value.details["problems"][0]
    assert problem["line"] == 4
    assert "bad-name" in problem["path"]
    assert "x.yaml: line 4" in caught.value.message


def test_it_rejects_a_metric_without_a_name_and_a_non_mapping_entry():
    text = "metrics:\n  - type: gauge\n  - just text\n"
    with pytest.raises(CatalogInvalid) as caught:
        parse_catalog_yaml(text, source="x.yaml")
    paths = [p["path"] for p in caught.value.details["problems"]]
    assert paths == ["metrics[0]", "metrics[1]"]


def test_it_points_at_the_labels_line_of_bad_label_names():
    text = "metrics:\n  - name: up\n    type: gauge\n    labels: ['not ok']\n"
    with pytest.raises(CatalogInvalid) as caught:
        parse_catalog_yaml(text, source="x.yaml")
    assert caught.value.details["problems"][0]["line"] == 4


def test_it_rejects_a_metrics_value_that_is_not_a_list():
    with pytest.raises(CatalogInvalid, match="must be a list"):
        parse_catalog_yaml("name: x\nmetrics: up\n", source="x.yaml")


def test_it_rejects_a_bad_scrape_interval_with_its_line():
    with pytest.raises(CatalogInvalid) as caught:
        parse_catalog_yaml("name: x\nscrape_interval: soon\nmetrics: []\n", source="x.yaml")
    assert caught.value.details["problems"][0]["line"] == 2


def test_it_rejects_an_empty_file_and_a_top_level_list():
    with pytest.raises(CatalogInvalid, match="empty"):
        parse_catalog_yaml("", source="x.yaml")
    with pytest.raises(CatalogInvalid, match="mapping"):
        parse_catalog_yaml("- a\n- b\n", source="x.yaml")


def test_it_reports_a_missing_file_by_name(tmp_path: Path):
    with pytest.raises(CatalogInvalid, match="no such catalog file"):
        load_catalog_file(tmp_path / "nope.yaml")


def test_canonical_yaml_parses_back_to_the_same_catalog():
    catalog = Catalog(
        name="c",
        description="multi\nline",
        metrics=(
            Metric(name="z_total", type=MetricType.COUNTER, help='say "hi"', labels=("b", "a")),
            Metric(
                name="a", type=MetricType.GAUGE, unit="bytes", label_values={"job": ("node", "api")}
            ),
        ),
    )
    text = catalog_to_yaml(catalog)
    again = parse_catalog_yaml(text, source="c.yaml")
    assert {m.name: m for m in again.metrics} == {m.name: m for m in catalog.metrics}
    assert catalog_to_yaml(again) == text
    assert text.index("name: a") < text.index("name: z_total")  # sorted, so exports diff cleanly


# --- exposition ----------------------------------------------------------------------------------
EXPOSITION = r"""
# HELP http_requests_total Requests "served"\nby code \\ method.
# TYPE http_requests_total counter
http_requests_total{method="GET",code="200"} 1027 1395066363000
http_requests_total{method="POST",code="400",path="C:\\dir\"x\"\n"} 3
# HELP rpc_duration_seconds RPC latency.
# TYPE rpc_duration_seconds summary
rpc_duration_seconds{service="a",quantile="0.5"} 0.05
rpc_duration_seconds_sum{service="a"} 17
rpc_duration_seconds_count{service="a"} 2693
# TYPE request_seconds histogram
request_seconds_bucket{route="/",le="0.1"} 1
request_seconds_bucket{route="/",le="+Inf"} 2
request_seconds_sum{route="/"} 0.3
request_seconds_count{route="/"} 2
# a plain comment
legacy_metric{shard="1"} NaN
metric_without_labels -Inf
"""


def test_it_reads_help_and_type_with_escapes():
    catalog = parse_exposition(EXPOSITION, name="svc")
    metric = catalog.family("http_requests_total")
    assert metric is not None
    assert metric.type is MetricType.COUNTER
    assert metric.help == 'Requests "served"\nby code \\ method.'


def test_it_collects_label_names_from_samples_including_escaped_values():
    metric = parse_exposition(EXPOSITION, name="svc").family("http_requests_total")
    assert metric is not None
    assert metric.labels == ("code", "method", "path")


def test_it_groups_histogram_and_summary_series_into_families_without_le_or_quantile():
    catalog = parse_exposition(EXPOSITION, name="svc")
    assert catalog.family_names() == [
        "http_requests_total",
        "legacy_metric",
        "metric_without_labels",
        "request_seconds",
        "rpc_duration_seconds",
    ]
    histogram = catalog.family("request_seconds_bucket")
    summary = catalog.family("rpc_duration_seconds_count")
    assert histogram is not None and histogram.type is MetricType.HISTOGRAM
    assert histogram.labels == ("route",)
    assert summary is not None and summary.type is MetricType.SUMMARY
    assert summary.labels == ("service",)


def test_it_keeps_untyped_metrics_as_unknown():
    metric = parse_exposition(EXPOSITION, name="svc").family("legacy_metric")
    assert metric is not None
    assert metric.type is MetricType.UNKNOWN
    assert metric.labels == ("shard",)


OPENMETRICS = """\
# TYPE acme_requests counter
# UNIT acme_requests requests
# HELP acme_requests Requests handled.
acme_requests_total{route="/a"} 12 # {trace_id="abc"} 1.0 1520879607.789
acme_requests_created{route="/a"} 1520430000.123
# TYPE acme_build info
acme_build_info{version="1.2"} 1
# TYPE acme_latency_seconds histogram
# UNIT acme_latency_seconds seconds
acme_latency_seconds_bucket{le="1.0"} 0
acme_latency_seconds_bucket{le="+Inf"} 1
acme_latency_seconds_count 1
acme_latency_seconds_sum 2
acme_latency_seconds_created 1520430000
# EOF
after_eof_metric 1
"""


def test_it_names_openmetrics_counters_with_total_and_reads_units():
    catalog = parse_exposition(OPENMETRICS, name="om")
    counter = catalog.family("acme_requests_total")
    assert counter is not None
    assert counter.type is MetricType.COUNTER
    assert counter.unit == "requests"
    assert counter.labels == ("route",)
    assert catalog.family("acme_latency_seconds") is not None
    assert catalog.family("acme_latency_seconds").unit == "seconds"  # type: ignore[union-attr]


def test_it_maps_info_families_and_ignores_created_series_and_anything_after_eof():
    names = parse_exposition(OPENMETRICS, name="om").family_names()
    assert names == ["acme_build_info", "acme_latency_seconds", "acme_requests_total"]


@pytest.mark.parametrize(
    "line",
    ['broken{a="b} 1', "no_value", "bad{a=b} 1", 'bad{1a="x"} 1', "x abc"],
)
def test_it_rejects_malformed_sample_lines_with_their_line_number(line: str):
    with pytest.raises(CatalogInvalid) as caught:
        parse_exposition(f"ok 1\n{line}\n", name="x")
    assert caught.value.details["line"] == 2


def test_it_rejects_an_unknown_type():
    with pytest.raises(CatalogInvalid, match="unknown metric type"):
        parse_exposition("# TYPE x fancy\nx 1\n", name="x")
