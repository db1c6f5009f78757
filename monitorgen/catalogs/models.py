"""Stored metric catalogs and their metrics, with where each catalog came from.

Help text and label values come from monitored systems and are untrusted: they are stored and
shown as plain text (templates autoescape them); nothing here marks them safe.
"""

from __future__ import annotations

from django.db import models

from monitorgen.core.catalog import MetricType


class SourceKind(models.TextChoices):
    FILE = "file", "Catalog file"
    EXPOSITION = "exposition", "Exposition (/metrics) text"
    PROMETHEUS = "prometheus", "Live Prometheus server"
    FIXTURE = "fixture", "Bundled fixture"


class Catalog(models.Model):
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    scrape_interval = models.CharField(max_length=32, default="30s")
    source_kind = models.CharField(max_length=16, choices=SourceKind.choices)
    # A file path or a server URL without credentials, query or fragment (see `redact_url`).
    source_location = models.CharField(max_length=1000, blank=True, default="")
    metric_count = models.PositiveIntegerField(default=0)
    refreshed_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class CatalogMetric(models.Model):
    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField(max_length=255)
    type = models.CharField(
        max_length=16,
        choices=[(t.value, t.value) for t in MetricType],
        default=MetricType.UNKNOWN.value,
    )
    help = models.TextField(blank=True, default="")
    unit = models.CharField(max_length=64, blank=True, default="")
    labels = models.JSONField(default=list, blank=True)
    label_values = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["catalog", "name"]
        constraints = [
            models.UniqueConstraint(fields=["catalog", "name"], name="catalog_metric_unique_name"),
        ]
        indexes = [
            models.Index(fields=["name"], name="catalog_metric_name_idx"),
            models.Index(fields=["catalog", "type"], name="catalog_metric_type_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.catalog_id}:{self.name}"
