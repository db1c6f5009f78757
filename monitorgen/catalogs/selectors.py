"""Reads of stored catalogs, and the catalog a command or validator should use."""

from __future__ import annotations

from pathlib import Path

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from monitorgen.catalogs.models import Catalog, CatalogMetric
from monitorgen.core import catalog as core
from monitorgen.core.catalog_io import load_catalog_file
from monitorgen.core.errors import NotFound


def catalog_list() -> QuerySet[Catalog]:
    return Catalog.objects.order_by("slug")


def catalog_get(*, slug: str) -> Catalog:
    try:
        return Catalog.objects.get(slug=slug)
    except Catalog.DoesNotExist:
        raise NotFound(f"no catalog {slug!r}", details={"slug": slug}) from None


def catalog_to_spec(catalog: Catalog) -> core.Catalog:
    """Rebuild the core (pydantic) catalog from stored rows."""
    return core.Catalog.model_validate(
        {
            "name": catalog.name,
            "description": catalog.description,
            "scrape_interval": catalog.scrape_interval,
            "metrics": [
                {
                    "name": metric.name,
                    "type": metric.type,
                    "help": metric.help,
                    "unit": metric.unit,
                    "labels": list(metric.labels or []),
                    "label_values": dict(metric.label_values or {}),
                }
                for metric in catalog.metrics.order_by("name")
            ],
        }
    )


def catalog_get_spec(*, slug: str) -> core.Catalog:
    return catalog_to_spec(catalog_get(slug=slug))


def catalog_resolve(*, slug_or_path: str) -> core.Catalog:
    """An existing catalog file is loaded from disk; anything else is a stored catalog's slug."""
    path = Path(slug_or_path)
    if path.is_file():
        return load_catalog_file(path)
    if path.suffix.lower() in {".yaml", ".yml"} or "/" in slug_or_path:
        # Slugs hold no dots or slashes: this was meant as a file.
        raise NotFound(f"{slug_or_path}: no such catalog file", details={"path": slug_or_path})
    return catalog_get_spec(slug=slug_or_path)


def catalog_metric_search(
    *, catalog: Catalog, query: str = "", type: str | None = None
) -> QuerySet[CatalogMetric]:
    """Metrics whose name or help contain every word of `query`; name matches rank first."""
    metrics = catalog.metrics.all()
    if type:
        metrics = metrics.filter(type=str(type))
    words = query.split()
    for word in words:
        metrics = metrics.filter(Q(name__icontains=word) | Q(help__icontains=word))
    if not words:
        return metrics.order_by("name")
    in_name = Q()
    for word in words:
        in_name &= Q(name__icontains=word)
    return metrics.annotate(
        rank=Case(When(in_name, then=Value(0)), default=Value(1), output_field=IntegerField())
    ).order_by("rank", "name")
