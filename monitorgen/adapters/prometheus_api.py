"""Client for a live Prometheus server's HTTP API, used to build a metric catalog from it.

Reads `/api/v1/metadata` (type, help, unit per family), `/api/v1/label/__name__/values` (the
series names that exist) and `/api/v1/series` (label names per metric, and label values for an
allowlist of low-cardinality labels, capped per label). Every failure is a `PrometheusApiError`
with a message naming the server and the problem; credentials never appear in messages.
All requests share one total time budget, so a slow server cannot hang an import.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from monitorgen.core.catalog import HISTOGRAM_SUFFIXES, Catalog, MetricType
from monitorgen.core.errors import PrometheusApiError

DEFAULT_LABEL_ALLOWLIST: tuple[str, ...] = (
    "job",
    "service",
    "namespace",
    "instance",
    "route",
    "method",
    "code",
    "env",
    "cluster",
)
DEFAULT_MAX_LABEL_VALUES = 50
DEFAULT_TIMEOUT_SECONDS = 10.0
DEFAULT_BUDGET_SECONDS = 60.0
DEFAULT_MAX_METRICS = 5000
# Metrics per /api/v1/series request: small enough for sane bodies, big enough to be quick.
SERIES_BATCH_SIZE = 40
# A /api/v1/series answer above this is a high-cardinality batch: fall back to label names only.
MAX_SERIES_RESPONSE_BYTES = 16 * 1024 * 1024
MAX_RESPONSE_BYTES = 64 * 1024 * 1024
# Only series seen recently count: the generator should not target metrics that went away.
SERIES_LOOKBACK_SECONDS = 3600

# Series Prometheus itself adds per target; they have no metadata, so describe them here.
_SYNTHETIC_SERIES: dict[str, str] = {
    "up": "1 if the last scrape of the target succeeded, 0 if it failed.",
    "scrape_duration_seconds": "How long the last scrape of the target took.",
    "scrape_samples_scraped": "Samples the target exposed in the last scrape.",
    "scrape_samples_post_metric_relabeling": "Samples left after metric relabeling.",
    "scrape_series_added": "New series the last scrape created.",
}


_CLASSIC_NAME_RE = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")


class _ResponseTooLarge(PrometheusApiError):
    pass


@dataclass(frozen=True)
class PrometheusCatalogResult:
    """A catalog read from a live server, with what was left out to stay bounded."""

    catalog: Catalog
    server: str
    series_names: int
    warnings: tuple[str, ...] = ()


@dataclass
class PrometheusClient:
    """A small, bounded client for the Prometheus HTTP API (read-only endpoints)."""

    base_url: str
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    budget_seconds: float = DEFAULT_BUDGET_SECONDS
    bearer_token: str | None = None
    basic_auth: tuple[str, str] | None = None
    _deadline: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        parts = urllib.parse.urlsplit(self.base_url.strip())
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise PrometheusApiError(
                f"{redact_url(self.base_url)!r} is not an http(s) URL of a Prometheus server"
            )
        if parts.username is not None and self.basic_auth is None:
            # `http://user:pass@host` works, but the credentials move out of the URL at once.
            self.basic_auth = (
                urllib.parse.unquote(parts.username),
                urllib.parse.unquote(parts.password or ""),
            )
        netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
        if parts.port:
            netloc += f":{parts.port}"
        self.base_url = urllib.parse.urlunsplit(
            (parts.scheme, netloc, parts.path.rstrip("/"), "", "")
        )
        self._deadline = time.monotonic() + self.budget_seconds

    # --- low level ---------------------------------------------------------------------------
    def _remaining(self, what: str) -> float:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise PrometheusApiError(
                f"{self.base_url}: gave up before {what}: the time budget of "
                f"{self.budget_seconds:g}s is used up",
                details={"server": self.base_url},
            )
        return min(self.timeout, remaining)

    def _headers(self) -> dict[str, str]:
        headers = {"Accept": "application/json", "User-Agent": "monitorgen-catalog/1"}
        if self.bearer_token:
            headers["Authorization"] = f"Bearer {self.bearer_token}"
        elif self.basic_auth:
            token = base64.b64encode(":".join(self.basic_auth).encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        return headers

    def get(
        self,
        path: str,
        params: Sequence[tuple[str, str]] = (),
        *,
        post: bool = False,
        max_bytes: int = MAX_RESPONSE_BYTES,
    ) -> Any:
        """The `data` of a successful API answer; raises PrometheusApiError otherwise."""
        url = self.base_url + path
        body = urllib.parse.urlencode(list(params)).encode() if params else b""
        headers = self._headers()
        if post:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
        else:
            full = f"{url}?{body.decode()}" if body else url
            request = urllib.request.Request(full, headers=headers, method="GET")  # noqa: S310
        where = f"{self.base_url}{path}"
        timeout = self._remaining(path)
        try:
            # The URL was checked to be http(s) in __post_init__.
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                raw = response.read(max_bytes + 1)
        except urllib.error.HTTPError as exc:
            raise PrometheusApiError(
                f"{where}: HTTP {exc.code} {exc.reason}{_api_error_text(exc)}",
                details={"server": self.base_url, "status": exc.code},
            ) from None
        except urllib.error.URLError as exc:
            raise PrometheusApiError(
                f"{where}: {_reason_text(exc.reason)}", details={"server": self.base_url}
            ) from None
        except TimeoutError:
            raise PrometheusApiError(
                f"{where}: no answer within {timeout:.1f}s", details={"server": self.base_url}
            ) from None
        except OSError as exc:
            raise PrometheusApiError(
                f"{where}: {exc.strerror or exc}", details={"server": self.base_url}
            ) from None
        if len(raw) > max_bytes:
            raise _ResponseTooLarge(f"{where}: the answer is larger than {max_bytes} bytes")
        try:
            payload = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise PrometheusApiError(
                f"{where}: the answer is not JSON (is this a Prometheus server?)",
                details={"server": self.base_url},
            ) from None
        if not isinstance(payload, dict) or "status" not in payload:
            raise PrometheusApiError(
                f"{where}: the answer is not a Prometheus API response",
                details={"server": self.base_url},
            )
        if payload.get("status") != "success":
            raise PrometheusApiError(
                f"{where}: the API reported an error: "
                f"{payload.get('errorType', 'error')}: {payload.get('error', 'no message')}",
                details={"server": self.base_url},
            )
        return payload.get("data")

    # --- endpoints ---------------------------------------------------------------------------
    def metadata(self) -> dict[str, list[dict[str, str]]]:
        data = self.get("/api/v1/metadata")
        if not isinstance(data, dict):
            raise PrometheusApiError(f"{self.base_url}/api/v1/metadata: unexpected answer shape")
        return {
            str(k): [m for m in v if isinstance(m, dict)]
            for k, v in data.items()
            if isinstance(v, list)
        }

    def label_names(self, *, match: Sequence[str] = ()) -> list[str]:
        params = [("match[]", m) for m in match]
        return _strings(self.get("/api/v1/labels", params), "/api/v1/labels")

    def label_values(self, label: str, *, match: Sequence[str] = ()) -> list[str]:
        path = f"/api/v1/label/{urllib.parse.quote(label, safe='')}/values"
        params = [("match[]", m) for m in match]
        return _strings(self.get(path, params), path)

    def series(
        self, match: Sequence[str], *, start: float | None = None, end: float | None = None
    ) -> list[dict[str, str]]:
        params = [("match[]", m) for m in match]
        if start is not None:
            params.append(("start", f"{start:.3f}"))
        if end is not None:
            params.append(("end", f"{end:.3f}"))
        data = self.get("/api/v1/series", params, post=True, max_bytes=MAX_SERIES_RESPONSE_BYTES)
        if not isinstance(data, list):
            raise PrometheusApiError(f"{self.base_url}/api/v1/series: unexpected answer shape")
        return [s for s in data if isinstance(s, dict)]


def redact_url(url: str) -> str:
    """The URL without credentials, query or fragment: safe to store and show."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return "<invalid URL>"
    netloc = host if ":" not in host else f"[{host}]"
    if port:
        netloc += f":{port}"
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _strings(data: Any, path: str) -> list[str]:
    if not isinstance(data, list):
        raise PrometheusApiError(f"{path}: unexpected answer shape (expected a list)")
    return [str(item) for item in data]


def _reason_text(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is Prometheus running at this address?)"
    if isinstance(reason, socket.gaierror):
        return "the host name does not resolve"
    if isinstance(reason, TimeoutError):
        return "no answer in time"
    if isinstance(reason, OSError):
        return reason.strerror or str(reason)
    return str(reason)


def _api_error_text(exc: urllib.error.HTTPError) -> str:
    """Prometheus explains 4xx/5xx in a JSON body; include its (short) error text when present."""
    try:
        payload = json.loads(exc.read(64 * 1024))
    except (ValueError, OSError, UnicodeDecodeError):
        return ""
    if isinstance(payload, dict) and payload.get("error"):
        return f": {str(payload['error'])[:300]}"
    return ""


# --- catalog building ----------------------------------------------------------------------------
def _catalog_name(family: str, type_text: str, names: set[str]) -> str:
    """The queried name of a metadata family (OpenMetrics scrapes report counters as `x`)."""
    if family in names:
        return family
    if type_text == "counter" and family + "_total" in names:
        return family + "_total"
    if type_text == "info" and family + "_info" in names:
        return family + "_info"
    return family


def _series_of(name: str, type_text: str) -> list[str]:
    """The series that carry a family's own labels (buckets add `le`; use `_count` instead)."""
    if type_text in {"histogram", "gaugehistogram"}:
        return [name + "_count"]
    if type_text == "summary":
        return [name + "_count"]
    return [name]


def _batches(items: Sequence[str], size: int) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _name_matcher(names: Sequence[str]) -> str:
    # Metric names only hold [a-zA-Z0-9_:], none of which is special in a RE2 alternation.
    return '{__name__=~"' + "|".join(names) + '"}'


def fetch_catalog(
    base_url: str,
    *,
    name: str,
    description: str = "",
    label_allowlist: Iterable[str] = DEFAULT_LABEL_ALLOWLIST,
    max_label_values: int = DEFAULT_MAX_LABEL_VALUES,
    max_metrics: int = DEFAULT_MAX_METRICS,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    budget_seconds: float = DEFAULT_BUDGET_SECONDS,
    bearer_token: str | None = None,
    basic_auth: tuple[str, str] | None = None,
) -> PrometheusCatalogResult:
    """Build a catalog of what a live Prometheus server really has."""
    client = PrometheusClient(
        base_url,
        timeout=timeout,
        budget_seconds=budget_seconds,
        bearer_token=bearer_token,
        basic_auth=basic_auth,
    )
    allowlist = frozenset(label_allowlist)
    warnings: list[str] = []
    metadata = client.metadata()
    series_names = set(client.label_values("__name__"))

    # family name -> (type, help, unit), keyed by the name PromQL uses for it
    families: dict[str, tuple[str, str, str]] = {}
    covered: set[str] = set()
    for family, entries in sorted(metadata.items()):
        first = entries[0] if entries else {}
        type_text = str(first.get("type", "unknown")).lower()
        help_text = next((str(e.get("help")) for e in entries if e.get("help")), "")
        unit = next((str(e.get("unit")) for e in entries if e.get("unit")), "")
        queried = _catalog_name(family, type_text, series_names)
        families.setdefault(queried, (type_text, help_text, unit))
        covered.add(queried)
        if type_text in {"histogram", "gaugehistogram", "summary"}:
            covered.update(queried + suffix for suffix in (*HISTOGRAM_SUFFIXES, "_created"))
        if type_text == "counter":
            covered.add(family + "_created")
    for series in sorted(series_names - covered):
        # No metadata: synthetic series (`up`), recording-rule output, or a target that left.
        kind = "gauge" if series in _SYNTHETIC_SERIES else "unknown"
        families.setdefault(series, (kind, _SYNTHETIC_SERIES.get(series, ""), ""))

    names = sorted(families)
    if len(names) > max_metrics:
        warnings.append(f"the server has {len(names)} metrics; kept the first {max_metrics}")
        names = names[:max_metrics]

    labels: dict[str, set[str]] = {n: set() for n in names}
    values: dict[str, dict[str, set[str]]] = {n: {} for n in names}
    capped: set[str] = set()
    by_series: dict[str, str] = {}
    for metric in names:
        for series in _series_of(metric, families[metric][0]):
            by_series[series] = metric
    end = time.time()
    start = end - SERIES_LOOKBACK_SECONDS
    for batch in _batches(sorted(by_series), SERIES_BATCH_SIZE):
        try:
            found = client.series([_name_matcher(batch)], start=start, end=end)
        except _ResponseTooLarge:
            warnings.append(f"too many series for {batch[0]}..{batch[-1]}: kept label names only")
            for series in batch:
                metric = by_series[series]
                labels[metric].update(client.label_names(match=[series]))
            continue
        for item in found:
            metric = by_series.get(item.get("__name__", ""), "")
            if not metric:
                continue
            for label, value in item.items():
                if label == "__name__":
                    continue
                labels[metric].add(label)
                if label in allowlist:
                    seen = values[metric].setdefault(label, set())
                    if len(seen) < max_label_values:
                        seen.add(str(value))
                    elif value not in seen:
                        capped.add(f"{metric}{{{label}}}")
    if capped:
        warnings.append(
            f"kept at most {max_label_values} values per label; capped: "
            + ", ".join(sorted(capped)[:10])
            + (f" and {len(capped) - 10} more" if len(capped) > 10 else "")
        )

    metrics: list[dict[str, Any]] = []
    for metric in names:
        type_text, help_text, unit = families[metric]
        kind = MetricType.parse(type_text)
        implied = {"le"} if kind is MetricType.HISTOGRAM else set()
        if kind is MetricType.SUMMARY:
            implied.add("quantile")
        metrics.append(
            {
                "name": metric,
                "type": kind.value,
                "help": help_text,
                "unit": unit,
                "labels": sorted(labels[metric] - implied),
                "label_values": {k: sorted(v) for k, v in sorted(values[metric].items())},
            }
        )
    catalog = Catalog.model_validate(
        {
            "name": name,
            "description": description or f"Read from the Prometheus server at {client.base_url}.",
            "metrics": [m for m in metrics if _valid_name(m["name"])],
        }
    )
    return PrometheusCatalogResult(
        catalog=catalog,
        server=client.base_url,
        series_names=len(series_names),
        warnings=tuple(warnings),
    )


def _valid_name(name: str) -> bool:
    # UTF-8 metric names (Prometheus 3) cannot be written in classic selectors: leave them out.
    return _CLASSIC_NAME_RE.fullmatch(name) is not None


def server_reachable(base_url: str, *, timeout: float = 2.0) -> bool:
    """True when the server answers its build-info endpoint (for health checks)."""
    try:
        PrometheusClient(base_url, timeout=timeout, budget_seconds=timeout).get(
            "/api/v1/status/buildinfo"
        )
    except PrometheusApiError:
        return False
    return True


__all__ = [
    "DEFAULT_LABEL_ALLOWLIST",
    "PrometheusCatalogResult",
    "PrometheusClient",
    "fetch_catalog",
    "redact_url",
    "server_reachable",
]
