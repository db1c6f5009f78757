from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from monitorgen.adapters.prometheus_api import (
    PrometheusClient,
    fetch_catalog,
    redact_url,
)
from monitorgen.core.catalog import MetricType
from monitorgen.core.errors import PrometheusApiError
from tests.prometheus_server import free_port

Responder = Callable[[BaseHTTPRequestHandler], tuple[int, bytes]]


@pytest.fixture
def fake_server() -> Iterator[Callable[[Responder], str]]:
    """A loopback HTTP server answering with whatever the test's responder returns."""
    servers: list[ThreadingHTTPServer] = []

    def start(responder: Responder) -> str:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server naming
                status, body = responder(self)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_connection_refused_is_a_clear_prometheus_api_error():
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(PrometheusApiError, match="connection refused"):
        fetch_catalog(url, name="x", timeout=2, budget_seconds=5)


def test_an_http_error_names_the_status_and_the_api_error_text(fake_server):
    url = fake_server(lambda h: (503, b'{"status":"error","error":"not ready yet"}'))
    with pytest.raises(PrometheusApiError, match="HTTP 503.*not ready yet") as caught:
        PrometheusClient(url).get("/api/v1/metadata")
    assert caught.value.details["status"] == 503


def test_an_answer_that_is_not_json_is_reported(fake_server):
    url = fake_server(lambda h: (200, b"<html>login</html>"))
    with pytest.raises(PrometheusApiError, match="not JSON"):
        PrometheusClient(url).get("/api/v1/labels")


def test_an_api_status_error_is_reported(fake_server):
    body = b'{"status":"error","errorType":"bad_data","error":"invalid parameter"}'
    url = fake_server(lambda h: (200, body))
    with pytest.raises(PrometheusApiError, match="bad_data: invalid parameter"):
        PrometheusClient(url).get("/api/v1/labels")


def test_it_sends_a_bearer_token_and_never_puts_credentials_in_errors(fake_server):
    seen: list[str] = []

    def responder(handler: BaseHTTPRequestHandler) -> tuple[int, bytes]:
        seen.append(handler.headers.get("Authorization", ""))
        return 500, b""

    url = fake_server(responder)
    with pytest.raises(PrometheusApiError) as caught:
        PrometheusClient(url, bearer_token="s3cret").get("/api/v1/labels")
    assert seen == ["Bearer s3cret"]
    assert "s3cret" not in caught.value.message


def test_it_moves_url_credentials_into_basic_auth(fake_server):
    seen: list[str] = []

    def responder(handler: BaseHTTPRequestHandler) -> tuple[int, bytes]:
        seen.append(handler.headers.get("Authorization", ""))
        return 200, b'{"status":"success","data":[]}'

    url = fake_server(responder).replace("http://", "http://alice:pw@")
    client = PrometheusClient(url)
    client.get("/api/v1/labels")
    assert seen == ["Basic YWxpY2U6cHc="]
    assert "pw" not in client.base_url


def test_a_used_up_time_budget_stops_further_requests(fake_server):
    url = fake_server(lambda h: (200, b'{"status":"success","data":[]}'))
    client = PrometheusClient(url, budget_seconds=0)
    with pytest.raises(PrometheusApiError, match="time budget"):
        client.get("/api/v1/labels")


def test_it_rejects_non_http_urls():
    with pytest.raises(PrometheusApiError, match="not an http"):
        PrometheusClient("file:///etc/passwd")


def test_redact_url_drops_credentials_query_and_fragment():
    assert redact_url("https://u:p@prom.example:9090/prom?token=x#f") == (
        "https://prom.example:9090/prom"
    )


def _fake_api(handler: BaseHTTPRequestHandler) -> tuple[int, bytes]:
    path = handler.path.split("?")[0]
    data: object
    if path == "/api/v1/metadata":
        data = {
            "app_requests": [{"type": "counter", "help": "Requests.", "unit": ""}],
            "app_latency_seconds": [{"type": "histogram", "help": "Latency.", "unit": ""}],
        }
    elif path == "/api/v1/label/__name__/values":
        data = [
            "app_requests_total",
            "app_latency_seconds_bucket",
            "app_latency_seconds_count",
            "app_latency_seconds_sum",
            "up",
        ]
    elif path == "/api/v1/series":
        data = [
            {"__name__": "app_requests_total", "job": "app", "route": f"/r{i}", "pod": "p"}
            for i in range(5)
        ]
        data += [
            {"__name__": "app_latency_seconds_count", "job": "app", "route": "/r0"},
            {"__name__": "up", "job": "app", "instance": "a:1"},
        ]
    else:
        return 404, b"{}"
    return 200, json.dumps({"status": "success", "data": data}).encode()


def test_it_builds_a_catalog_with_openmetrics_counter_names_and_capped_allowlisted_values(
    fake_server,
):
    url = fake_server(_fake_api)
    result = fetch_catalog(url, name="app", label_allowlist=["job", "route"], max_label_values=3)
    catalog = result.catalog
    assert catalog.family_names() == ["app_latency_seconds", "app_requests_total", "up"]
    requests = catalog.family("app_requests_total")
    assert requests is not None and requests.type is MetricType.COUNTER
    assert requests.labels == ("job", "pod", "route")
    assert requests.label_values == {"job": ("app",), "route": ("/r0", "/r1", "/r2")}
    assert "pod" not in requests.label_values  # not on the allowlist
    assert any("app_requests_total{route}" in w for w in result.warnings)
    up = catalog.family("up")
    assert up is not None and up.type is MetricType.GAUGE and up.help


@pytest.mark.prometheus
def test_it_reads_a_catalog_from_a_real_prometheus(prometheus_server: str):
    result = fetch_catalog(prometheus_server, name="live", budget_seconds=30)
    catalog = result.catalog
    up = catalog.family("up")
    assert up is not None
    assert up.label_values["job"] == ("prometheus",)
    requests = catalog.family("prometheus_http_requests_total")
    assert requests is not None
    assert requests.type is MetricType.COUNTER
    assert {"code", "handler", "job", "instance"} <= set(requests.labels)
    assert "handler" not in requests.label_values  # not on the default allowlist
    histogram = catalog.family("prometheus_http_request_duration_seconds_bucket")
    assert histogram is not None and histogram.type is MetricType.HISTOGRAM
    assert "le" not in histogram.labels
    assert result.server == prometheus_server


@pytest.mark.prometheus
def test_the_client_reads_labels_and_label_values_from_a_real_prometheus(prometheus_server: str):
    client = PrometheusClient(prometheus_server)
    assert "job" in client.label_names()
    assert client.label_values("job", match=["up"]) == ["prometheus"]


@pytest.mark.prometheus
def test_a_real_prometheus_reports_a_bad_matcher_as_an_api_error(prometheus_server: str):
    with pytest.raises(PrometheusApiError, match="HTTP 400"):
        PrometheusClient(prometheus_server).series(["{"])
