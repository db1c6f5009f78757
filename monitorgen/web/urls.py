"""Server-rendered pages (Django templates + htmx), mounted at /."""

from django.urls import path  # noqa: F401 - pages are added below

app_name = "web"
urlpatterns: list[object] = []
