"""A small catalog of a web shop's metrics, written for these tests."""

from __future__ import annotations

import pytest

from monitorgen.core.catalog import Catalog

SHOP_CATALOG = {
    "name": "shop",
    "metrics": [
        {"name": "up", "type": "gauge", "help": "Whether the scrape succeeded."},
        {"name": "http_requests_total", "type": "counter", "help": "HTTP requests served.",
         "labels": ["service", "route", "code", "namespace"],
         "label_values": {"service": ["checkout", "payments"],
                          "namespace": ["shop", "payments"]}},
        {"name": "http_request_duration_seconds", "type": "histogram",
         "help": "Time spent serving HTTP requests.", "labels": ["service", "route", "namespace"],
         "label_values": {"service": ["checkout", "payments"]}},
        {"name": "node_filesystem_avail_bytes", "type": "gauge",
         "help": "Filesystem space available to non-root users.",
         "labels": ["device", "mountpoint", "fstype"]},
        {"name": "node_filesystem_size_bytes", "type": "gauge", "help": "Filesystem size.",
         "labels": ["device", "mountpoint", "fstype"]},
        {"name": "node_memory_MemAvailable_bytes", "type": "gauge", "help": "Memory available."},
        {"name": "node_memory_MemTotal_bytes", "type": "gauge", "help": "Total memory."},
        {"name": "kube_pod_container_status_restarts_total", "type": "counter",
         "help": "Container restarts.", "labels": ["namespace", "pod", "container"]},
        {"name": "probe_ssl_earliest_cert_expiry", "type": "gauge",
         "help": "Earliest SSL certificate expiry as a unix timestamp."},
        {"name": "backup_last_success_timestamp_seconds", "type": "gauge",
         "help": "When the last backup succeeded."},
        {"name": "worker_queue_length", "type": "gauge", "help": "Jobs waiting in the queue."},
        {"name": "payment_gateway_errors_total", "type": "counter",
         "help": "Errors returned by the payment gateway."},
        {"name": "payment_gateway_requests_total", "type": "counter",
         "help": "Requests sent to the payment gateway."},
    ],
}


@pytest.fixture
def shop() -> Catalog:
    return Catalog.model_validate(SHOP_CATALOG)
