from __future__ import annotations

from pathlib import Path

import pytest

from monitorgen.core.catalog import MetricType
from monitorgen.core.catalog_io import catalog_to_yaml, load_catalog_file

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "catalogs"
EXPECTED = {
    "node-exporter",
    "prometheus",
    "kubernetes",
    "http-service",
    "postgres-exporter",
    "redis-exporter",
    "blackbox-exporter",
}


def test_every_expected_fixture_catalog_exists():
    assert {p.stem for p in FIXTURES.glob("*.yaml")} >= EXPECTED


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_each_fixture_loads_with_a_name_description_interval_and_typed_helped_metrics(stem: str):
    catalog = load_catalog_file(FIXTURES / f"{stem}.yaml")
    assert catalog.name == stem
    assert catalog.description
    assert len(catalog) >= 10
    assert catalog.family("up") is not None
    for metric in catalog.metrics:
        assert metric.help, metric.name
        assert metric.type is not MetricType.UNKNOWN or metric.name.startswith(
            ("node_vmstat_", "node_netstat_")
        ), metric.name


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_each_fixture_is_in_canonical_form(stem: str):
    path = FIXTURES / f"{stem}.yaml"
    assert catalog_to_yaml(load_catalog_file(path)) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("stem", "metric", "kind", "labels"),
    [
        ("node-exporter", "node_cpu_seconds_total", MetricType.COUNTER, {"cpu", "mode"}),
        (
            "node-exporter",
            "node_filesystem_avail_bytes",
            MetricType.GAUGE,
            {"device", "fstype", "mountpoint"},
        ),
        (
            "prometheus",
            "prometheus_rule_evaluation_failures_total",
            MetricType.COUNTER,
            {"rule_group"},
        ),
        (
            "kubernetes",
            "kube_pod_container_status_restarts_total",
            MetricType.COUNTER,
            {"namespace", "pod", "container"},
        ),
        (
            "kubernetes",
            "container_memory_working_set_bytes",
            MetricType.GAUGE,
            {"namespace", "pod", "container", "node"},
        ),
        (
            "http-service",
            "http_request_duration_seconds",
            MetricType.HISTOGRAM,
            {"service", "route", "method", "code"},
        ),
        ("postgres-exporter", "pg_up", MetricType.GAUGE, set()),
        ("redis-exporter", "redis_up", MetricType.GAUGE, set()),
        ("blackbox-exporter", "probe_ssl_earliest_cert_expiry", MetricType.GAUGE, set()),
    ],
)
def test_fixtures_carry_the_real_exporter_metrics(stem, metric, kind, labels):
    family = load_catalog_file(FIXTURES / f"{stem}.yaml").family(metric)
    assert family is not None
    assert family.type is kind
    assert labels <= set(family.labels)
