"""Catalogs and their metrics, readable by any signed-in user."""

from __future__ import annotations

import pytest

from monitorgen.catalogs.services import catalog_import
from monitorgen.core.catalog import Catalog as CatalogSpec
from tests.api.conftest import assert_error

pytestmark = pytest.mark.django_db


def test_it_lists_catalogs(client_for, dave, http_catalog):
    body = client_for(dave).get("/api/catalogs/").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert (row["slug"], row["name"], row["source_kind"]) == (
        "http-service",
        "http-service",
        "file",
    )
    assert row["metric_count"] == http_catalog.metric_count > 0
    assert row["scrape_interval"] == "15s"


def test_it_shows_one_catalog(client_for, dave, http_catalog):
    body = client_for(dave).get("/api/catalogs/http-service/").json()
    assert body["slug"] == "http-service" and body["description"].startswith("A generic HTTP")


def test_it_answers_an_unknown_catalog_with_not_found(client_for, dave):
    assert_error(client_for(dave).get("/api/catalogs/nope/"), 404, "not_found")
    assert_error(client_for(dave).get("/api/catalogs/nope/metrics/"), 404, "not_found")


def test_it_searches_metrics_by_words_and_type(client_for, dave, http_catalog):
    client = client_for(dave)
    names = [
        m["name"]
        for m in client.get("/api/catalogs/http-service/metrics/?q=request").json()["results"]
    ]
    assert names[:2] == ["http_request_duration_seconds", "http_request_size_bytes"]
    histograms = client.get("/api/catalogs/http-service/metrics/?q=http&type=histogram").json()
    assert {m["type"] for m in histograms["results"]} == {"histogram"}
    metric = histograms["results"][0]
    assert set(metric) == {"name", "type", "help", "unit", "labels", "label_values"}
    assert "service" in metric["labels"]


def test_it_refuses_an_unknown_metric_type(client_for, dave, http_catalog):
    response = client_for(dave).get("/api/catalogs/http-service/metrics/?type=bogus")
    assert "type" in assert_error(response, 400, "invalid_input")["details"]["fields"]


def test_it_returns_untrusted_help_text_as_a_plain_string(client_for, dave):
    spec = CatalogSpec.model_validate(
        {
            "name": "evil",
            "metrics": [
                {"name": "up_total", "type": "counter", "help": '<script>alert("x")</script>'}
            ],
        }
    )
    catalog_import(spec=spec, slug="evil", source_kind="file")
    response = client_for(dave).get("/api/catalogs/evil/metrics/")
    assert response["Content-Type"] == "application/json"
    assert response.json()["results"][0]["help"] == '<script>alert("x")</script>'
