"""The API docs page works offline: its assets are served by the app, not a CDN."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_docs_page_loads_swagger_ui_from_local_static_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+swagger-ui[^"]*)"', html)
    assert assets, html[:500]
    assert all(a.startswith("/static/drf_spectacular_sidecar/") for a in assets), assets
    assert "cdn" not in html.lower()
