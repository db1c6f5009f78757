from __future__ import annotations

from pathlib import Path

import pytest

from monitorgen.catalogs import selectors, services
from monitorgen.core.catalog_io import load_catalog_file
from monitorgen.core.errors import NotFound

pytestmark = pytest.mark.django_db


def test_catalog_list_is_ordered_by_slug(catalog_file: Path):
    services.catalog_import_file(path=catalog_file, slug="zeta")
    services.catalog_import_file(path=catalog_file, slug="alpha")
    assert [c.slug for c in selectors.catalog_list()] == ["alpha", "zeta"]


def test_catalog_get_raises_not_found_for_an_unknown_slug():
    with pytest.raises(NotFound, match="nope"):
        selectors.catalog_get(slug="nope")


def test_the_spec_rebuilt_from_the_database_equals_the_imported_file(catalog_file: Path):
    services.catalog_import_file(path=catalog_file)
    spec = selectors.catalog_get_spec(slug="shop")
    original = load_catalog_file(catalog_file)
    assert spec.name == original.name
    assert spec.scrape_interval == original.scrape_interval
    assert sorted(spec.metrics, key=lambda m: m.name) == sorted(
        original.metrics, key=lambda m: m.name
    )
    assert spec.family("http_request_duration_seconds_bucket") is not None


def test_resolve_prefers_an_existing_file_and_falls_back_to_a_slug(catalog_file: Path):
    services.catalog_import_file(path=catalog_file, slug="stored")
    assert selectors.catalog_resolve(slug_or_path=str(catalog_file)).name == "shop"
    assert len(selectors.catalog_resolve(slug_or_path="stored")) == 3
    with pytest.raises(NotFound, match="no such catalog file"):
        selectors.catalog_resolve(slug_or_path="missing.yaml")
    with pytest.raises(NotFound):
        selectors.catalog_resolve(slug_or_path="missing")


def test_search_matches_every_word_in_name_or_help_and_ranks_name_matches_first(
    catalog_file: Path,
):
    catalog = services.catalog_import_file(path=catalog_file)
    found = [m.name for m in selectors.catalog_metric_search(catalog=catalog, query="http")]
    # shop_orders_total only mentions http in its help text, so it comes last.
    assert found == ["http_request_duration_seconds", "http_requests_total", "shop_orders_total"]
    assert [
        m.name for m in selectors.catalog_metric_search(catalog=catalog, query="REQUESTS served")
    ] == ["http_requests_total"]


def test_search_filters_by_type(catalog_file: Path):
    catalog = services.catalog_import_file(path=catalog_file)
    found = selectors.catalog_metric_search(catalog=catalog, query="", type="histogram")
    assert [m.name for m in found] == ["http_request_duration_seconds"]
