"""Fixtures for adapter tests; `prometheus_server` is a real Prometheus on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.prometheus_server import prometheus_binary, shared_prometheus


@pytest.fixture(scope="session")
def prometheus_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a real Prometheus that scrapes itself every second (the suite requires it).

    Other folders reuse it with `from tests.adapters.conftest import prometheus_server`; the
    session still runs only one server.
    """
    binary = prometheus_binary()
    if binary is None:
        pytest.fail(
            "the prometheus binary is not installed: run scripts/setup.sh (apt: prometheus)"
        )
    try:
        with shared_prometheus(lambda: tmp_path_factory.mktemp("prometheus"), binary) as base_url:
            yield base_url
    except RuntimeError as exc:
        pytest.fail(f"could not start prometheus: {exc}")
