"""Metric catalogs: list, detail, and metric search. Help text is untrusted plain text."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from monitorgen.api.common import ListApi, error_responses, paginated_response
from monitorgen.api.fields import MetricTypeField
from monitorgen.catalogs.models import SourceKind
from monitorgen.catalogs.selectors import catalog_get, catalog_list, catalog_metric_search

SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, description="Catalog slug.")
TAGS = ["catalogs"]


class CatalogSerializer(serializers.Serializer[Any]):
    slug = serializers.SlugField()
    name = serializers.CharField()
    description = serializers.CharField()
    scrape_interval = serializers.CharField()
    source_kind = serializers.ChoiceField(choices=SourceKind.choices)
    source_location = serializers.CharField(
        help_text="The file or server URL (without credentials) the catalog was read from."
    )
    metric_count = serializers.IntegerField()
    refreshed_at = serializers.DateTimeField()

    class Meta:
        ref_name = "Catalog"


class CatalogListApi(ListApi):
    @extend_schema(
        operation_id="catalogs_list",
        tags=TAGS,
        summary="Stored metric catalogs",
        responses={200: CatalogSerializer(many=True), **error_responses(404)},
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            request=request, view=self, queryset=catalog_list(), serializer_class=CatalogSerializer
        )


class CatalogDetailApi(APIView):
    @extend_schema(
        operation_id="catalogs_retrieve",
        tags=TAGS,
        summary="One catalog",
        parameters=[SLUG],
        responses={200: CatalogSerializer, **error_responses(404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        return Response(CatalogSerializer(catalog_get(slug=slug)).data)


class CatalogMetricListApi(ListApi):
    class FilterSerializer(serializers.Serializer[Any]):
        q = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=200,
            help_text="Words that must all occur in the name or help; name matches rank first.",
        )
        type = MetricTypeField(required=False)

        class Meta:
            ref_name = "MetricFilter"

    class OutputSerializer(serializers.Serializer[Any]):
        name = serializers.CharField()
        type = MetricTypeField()
        help = serializers.CharField(help_text="From the monitored system: untrusted plain text.")
        unit = serializers.CharField()
        labels = serializers.ListField(child=serializers.CharField())
        label_values = serializers.DictField(
            child=serializers.ListField(child=serializers.CharField())
        )

        class Meta:
            ref_name = "CatalogMetric"

    @extend_schema(
        operation_id="catalogs_metrics_list",
        tags=TAGS,
        summary="Search a catalog's metrics",
        parameters=[SLUG, FilterSerializer],
        responses={200: OutputSerializer(many=True), **error_responses(400, 404)},
    )
    def get(self, request: Request, slug: str) -> Response:
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        metrics = catalog_metric_search(
            catalog=catalog_get(slug=slug),
            query=filters.validated_data.get("q", ""),
            type=filters.validated_data.get("type"),
        )
        return paginated_response(
            request=request, view=self, queryset=metrics, serializer_class=self.OutputSerializer
        )
