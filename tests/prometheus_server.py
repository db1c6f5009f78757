"""Start a real Prometheus on 127.0.0.1 for tests: it scrapes itself every second."""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

STARTUP_SECONDS = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _api(url: str) -> object:
    with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback http only
        return json.loads(response.read()).get("data")


def _ready(base_url: str) -> bool:
    try:
        metadata = _api(f"{base_url}/api/v1/metadata")
        up = _api(f"{base_url}/api/v1/query?query=up")
    except (OSError, ValueError):
        return False
    return bool(metadata) and isinstance(up, dict) and bool(up.get("result"))


@contextmanager
def running_prometheus(workdir: Path, binary: str) -> Iterator[str]:
    """Run Prometheus until the block ends; yields its base URL once it has scraped itself."""
    port = free_port()
    config = workdir / "prometheus.yml"
    config.write_text(
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
        "scrape_configs:\n  - job_name: prometheus\n    static_configs:\n"
        f"      - targets: ['127.0.0.1:{port}']\n",
        encoding="utf-8",
    )
    log = (workdir / "prometheus.log").open("wb")
    process = subprocess.Popen(
        [
            binary,
            f"--config.file={config}",
            f"--storage.tsdb.path={workdir / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _ready(base_url):
            if process.poll() is not None:
                raise RuntimeError(
                    f"prometheus exited with {process.returncode}; log in {workdir}/prometheus.log"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(f"prometheus not ready after {STARTUP_SECONDS:.0f}s")
            time.sleep(0.2)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()


def prometheus_binary() -> str | None:
    return shutil.which("prometheus") or (
        "/usr/bin/prometheus" if Path("/usr/bin/prometheus").exists() else None
    )


class _Shared:
    """One server per test session, however many conftest files expose it as a fixture."""

    url: str | None = None
    users = 0
    stack: contextlib.ExitStack | None = None


@contextmanager
def shared_prometheus(workdir_factory: Callable[[], Path], binary: str) -> Iterator[str]:
    if _Shared.url is None:
        stack = contextlib.ExitStack()
        _Shared.url = stack.enter_context(running_prometheus(workdir_factory(), binary))
        _Shared.stack = stack
    _Shared.users += 1
    try:
        yield _Shared.url
    finally:
        _Shared.users -= 1
        if _Shared.users == 0 and _Shared.stack is not None:
            _Shared.stack.close()
            _Shared.url = None
            _Shared.stack = None
