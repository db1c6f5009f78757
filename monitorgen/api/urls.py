"""The REST API (DRF), mounted at /api/."""

from django.urls import path  # noqa: F401 - endpoints are added below

app_name = "api"
urlpatterns: list[object] = []
