"""Admin: browse catalogs and their metrics. Read-mostly: imports go through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from monitorgen.catalogs.models import Catalog, CatalogMetric


class CatalogMetricInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CatalogMetric
    fields = ("name", "type", "unit", "help", "labels")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Catalog)
class CatalogAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("slug", "name", "metric_count", "source_kind", "refreshed_at")
    list_filter = ("source_kind",)
    search_fields = ("slug", "name")
    readonly_fields = (
        "slug",
        "scrape_interval",
        "source_kind",
        "source_location",
        "metric_count",
        "refreshed_at",
        "created_at",
    )
    inlines = (CatalogMetricInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # metrics only arrive through an import, which keeps them consistent


@admin.register(CatalogMetric)
class CatalogMetricAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "catalog", "type", "unit")
    list_filter = ("type", "catalog")
    search_fields = ("name", "help")
    readonly_fields = ("catalog", "name", "type", "help", "unit", "labels", "label_values")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
