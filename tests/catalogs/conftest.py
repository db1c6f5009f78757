from __future__ import annotations

from pathlib import Path

import pytest

SMALL = """\
name: shop
description: Shop service
scrape_interval: 15s
metrics:
  - name: http_requests_total
    type: counter
    help: Requests served by the shop.
    labels: [route, code]
  - name: http_request_duration_seconds
    type: histogram
    help: Time to answer a request.
    labels: [route]
  - name: shop_orders_total
    type: counter
    help: Orders placed; counts http checkouts too.
"""


@pytest.fixture
def catalog_file(tmp_path: Path) -> Path:
    path = tmp_path / "shop.yaml"
    path.write_text(SMALL, encoding="utf-8")
    return path


from tests.adapters.conftest import prometheus_server  # noqa: E402, F401 - shared live server
