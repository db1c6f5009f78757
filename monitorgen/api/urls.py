"""The REST API (DRF), mounted at /api/. The schema is at /api/schema/, docs at /api/docs/."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path, re_path
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from monitorgen.api import exports, versions
from monitorgen.api.auth import TokenObtainApi
from monitorgen.api.catalogs import CatalogDetailApi, CatalogListApi, CatalogMetricListApi
from monitorgen.api.generation import GenerateApi
from monitorgen.api.importing import RulesImportApi
from monitorgen.api.rules import RuleDetailApi, RuleHistoryApi


@extend_schema(exclude=True)
class ApiNotFoundApi(APIView):
    """Any other URL under /api/: a JSON 404 in the error shape, not Django's HTML page."""

    permission_classes = (AllowAny,)
    authentication_classes = ()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        raise NotFound(f"no API endpoint at {request.path}")


app_name = "api"
urlpatterns: list[URLPattern] = [
    path("token/", TokenObtainApi.as_view(), name="token"),
    path("generate/", GenerateApi.as_view(), name="generate"),
    path("import/", RulesImportApi.as_view(), name="import"),
    path("versions/", versions.VersionListApi.as_view(), name="version-list"),
    path("review-queue/", versions.ReviewQueueApi.as_view(), name="review-queue"),
    path("versions/<int:pk>/", versions.VersionDetailApi.as_view(), name="version-detail"),
    path("versions/<int:pk>/submit/", versions.VersionSubmitApi.as_view(), name="version-submit"),
    path(
        "versions/<int:pk>/approve/", versions.VersionApproveApi.as_view(), name="version-approve"
    ),
    path(
        "versions/<int:pk>/request-changes/",
        versions.VersionRequestChangesApi.as_view(),
        name="version-request-changes",
    ),
    path("versions/<int:pk>/reject/", versions.VersionRejectApi.as_view(), name="version-reject"),
    path(
        "versions/<int:pk>/comment/", versions.VersionCommentApi.as_view(), name="version-comment"
    ),
    path(
        "versions/<int:pk>/rollback/",
        versions.VersionRollbackApi.as_view(),
        name="version-rollback",
    ),
    path("versions/<int:pk>/refine/", versions.VersionRefineApi.as_view(), name="version-refine"),
    path("versions/<int:pk>/edit/", versions.VersionEditApi.as_view(), name="version-edit"),
    path("versions/<int:pk>/diff/", versions.VersionDiffApi.as_view(), name="version-diff"),
    path("rules/<int:pk>/", RuleDetailApi.as_view(), name="rule-detail"),
    path("rules/<int:pk>/history/", RuleHistoryApi.as_view(), name="rule-history"),
    path("catalogs/", CatalogListApi.as_view(), name="catalog-list"),
    path("catalogs/<slug:slug>/", CatalogDetailApi.as_view(), name="catalog-detail"),
    path("catalogs/<slug:slug>/metrics/", CatalogMetricListApi.as_view(), name="catalog-metrics"),
    # GitOps export ("archive" and "runs" are reserved target names, so these come first).
    path("exports/", exports.TargetListApi.as_view(), name="export-targets"),
    path("exports/archive/", exports.ArchiveApi.as_view(), name="export-archive"),
    path("exports/runs/<int:pk>/", exports.RunDetailApi.as_view(), name="export-run"),
    path("exports/<slug:name>/", exports.TargetDetailApi.as_view(), name="export-target"),
    path("exports/<slug:name>/run/", exports.TargetRunApi.as_view(), name="export-target-run"),
    path("exports/<slug:name>/runs/", exports.TargetRunListApi.as_view(), name="export-target-runs"),
    path(
        "exports/<slug:name>/archive/",
        exports.TargetArchiveApi.as_view(),
        name="export-target-archive",
    ),
    # Last: unknown URLs ending in "/" (others get APPEND_SLASH's redirect first).
    re_path(r"^.*/$", ApiNotFoundApi.as_view(), name="not-found"),
]
