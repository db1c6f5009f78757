from __future__ import annotations

from pathlib import Path

import pytest

from monitorgen.catalogs import services
from monitorgen.catalogs.models import Catalog, CatalogMetric, SourceKind
from monitorgen.core import catalog as core
from monitorgen.core.errors import CatalogInvalid, InvalidInput

pytestmark = pytest.mark.django_db


def _spec(*names: str, name: str = "spec") -> core.Catalog:
    return core.Catalog(
        name=name, metrics=tuple(core.Metric(name=n, type=core.MetricType.GAUGE) for n in names)
    )


def test_importing_a_spec_creates_the_catalog_and_its_metrics():
    spec = core.Catalog(
        name="Demo",
        scrape_interval="1m",
        metrics=(
            core.Metric(
                name="up",
                type=core.MetricType.GAUGE,
                help="<b>up</b>",
                labels=("job",),
                label_values={"job": ("api",)},
            ),
        ),
    )
    catalog = services.catalog_import(
        spec=spec, slug="demo", source_kind=SourceKind.FILE, source_location="/x/demo.yaml"
    )
    assert (catalog.name, catalog.scrape_interval, catalog.metric_count) == ("Demo", "1m", 1)
    metric = CatalogMetric.objects.get(catalog=catalog, name="up")
    assert metric.help == "<b>up</b>"  # stored as written; escaping happens where it is shown
    assert metric.labels == ["job"]
    assert metric.label_values == {"job": ["api"]}


def test_reimporting_replaces_every_metric_and_keeps_the_slug():
    first = services.catalog_import(spec=_spec("a", "b"), slug="s", source_kind="file")
    refreshed_before = first.refreshed_at
    second = services.catalog_import(
        spec=_spec("b", "c", name="new"), slug="s", source_kind="exposition"
    )
    assert second.pk == first.pk
    assert second.name == "new"
    assert second.source_kind == "exposition"
    assert second.refreshed_at >= refreshed_before
    assert sorted(second.metrics.values_list("name", flat=True)) == ["b", "c"]
    assert Catalog.objects.count() == 1


def test_a_failure_during_replacement_leaves_the_previous_catalog_intact(monkeypatch):
    services.catalog_import(spec=_spec("a", "b", name="old"), slug="s", source_kind="file")

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(CatalogMetric.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        services.catalog_import(spec=_spec("c", name="new"), slug="s", source_kind="file")
    catalog = Catalog.objects.get(slug="s")
    assert catalog.name == "old"
    assert sorted(catalog.metrics.values_list("name", flat=True)) == ["a", "b"]


def test_a_bad_file_changes_nothing(tmp_path: Path, catalog_file: Path):
    services.catalog_import_file(path=catalog_file)
    catalog_file.write_text("metrics:\n  - name: 'bad name'\n", encoding="utf-8")
    with pytest.raises(CatalogInvalid):
        services.catalog_import_file(path=catalog_file)
    assert Catalog.objects.get(slug="shop").metrics.count() == 3


def test_it_rejects_an_invalid_slug():
    with pytest.raises(InvalidInput, match="slug"):
        services.catalog_import(spec=_spec("a"), slug="no spaces", source_kind="file")
    assert not Catalog.objects.exists()


def test_importing_a_file_takes_the_slug_from_the_file_name(catalog_file: Path):
    catalog = services.catalog_import_file(path=catalog_file)
    assert catalog.slug == "shop"
    assert catalog.source_kind == "file"
    assert catalog.source_location == str(catalog_file.resolve())
    assert catalog.metric_count == 3


def test_importing_exposition_text_stores_the_families():
    text = '# TYPE req_total counter\nreq_total{code="200"} 1\n'
    catalog = services.catalog_import_exposition(text=text, slug="expo", name="Expo")
    assert list(catalog.metrics.values_list("name", "type")) == [("req_total", "counter")]


def test_refreshing_a_file_catalog_rereads_the_file(catalog_file: Path):
    catalog = services.catalog_import_file(path=catalog_file, slug="shop")
    catalog_file.write_text("name: shop\nmetrics:\n  - name: only_one\n", encoding="utf-8")
    refreshed = services.catalog_refresh(catalog=catalog)
    assert list(refreshed.metrics.values_list("name", flat=True)) == ["only_one"]


def test_refreshing_an_exposition_catalog_rereads_its_file(tmp_path: Path):
    path = tmp_path / "metrics.txt"
    path.write_text("a 1\n", encoding="utf-8")
    catalog = services.catalog_import_exposition(
        text="a 1\n", slug="e", name="e", source_location=str(path)
    )
    path.write_text("a 1\nb 2\n", encoding="utf-8")
    refreshed = services.catalog_refresh(catalog=catalog)
    assert sorted(refreshed.metrics.values_list("name", flat=True)) == ["a", "b"]


def test_refreshing_pasted_text_is_refused():
    catalog = services.catalog_import_exposition(text="a 1\n", slug="e", name="e")
    with pytest.raises(InvalidInput, match="no source"):
        services.catalog_refresh(catalog=catalog)


def test_importing_the_fixtures_twice_gives_the_same_catalogs():
    first = services.catalog_import_fixtures()
    counts = {c.slug: c.metric_count for c in first}
    second = services.catalog_import_fixtures()
    assert {c.slug: c.metric_count for c in second} == counts
    assert Catalog.objects.count() == len(first) >= 7
    assert set(Catalog.objects.values_list("source_kind", flat=True)) == {"fixture"}


@pytest.mark.prometheus
def test_importing_from_a_live_prometheus_stores_a_url_without_credentials(prometheus_server):
    url = prometheus_server.replace("http://", "http://user:pw@") + "/?token=x"
    catalog = services.catalog_import_prometheus(url=url, slug="live")
    assert catalog.source_kind == "prometheus"
    assert catalog.source_location == prometheus_server
    assert catalog.metrics.filter(name="up").exists()
    refreshed = services.catalog_refresh(catalog=catalog)
    assert refreshed.metric_count >= catalog.metric_count - 5
