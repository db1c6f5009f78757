"""A git server over HTTP on 127.0.0.1 that demands Basic auth: the real `git http-backend` (CGI)
behind a small Python HTTP server. Lets tests prove that credentials work, that wrong ones fail
fast without a prompt, and that nothing secret ends up on disk.
"""

from __future__ import annotations

import base64
import os
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit


@dataclass(frozen=True)
class GitHttpServer:
    base_url: str  # e.g. http://127.0.0.1:PORT/
    root: Path
    username: str
    password: str

    def url(self, repo: str) -> str:
        return f"{self.base_url}{repo}"


def _handler(root: Path, expected: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
            pass

        def _serve(self) -> None:
            if self.headers.get("Authorization") != expected:
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="git"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            env = {
                "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                "GIT_PROJECT_ROOT": str(root),
                "GIT_HTTP_EXPORT_ALL": "1",
                "REMOTE_USER": "tester",  # http-backend allows pushes only for a known user
                "REQUEST_METHOD": self.command,
                "PATH_INFO": parts.path,
                "QUERY_STRING": parts.query,
                "CONTENT_TYPE": self.headers.get("Content-Type", ""),
                "CONTENT_LENGTH": str(len(body)),
                "HTTP_CONTENT_ENCODING": self.headers.get("Content-Encoding", ""),
                "GIT_PROTOCOL": self.headers.get("Git-Protocol", ""),
            }
            completed = subprocess.run(
                ["git", "http-backend"], input=body, env=env, capture_output=True, timeout=30,
                check=False,
            )
            head, _, payload = completed.stdout.partition(b"\r\n\r\n")
            status = 200
            headers: list[tuple[str, str]] = []
            for line in head.decode("latin-1").split("\r\n"):
                name, _, value = line.partition(":")
                if name.lower() == "status":
                    status = int(value.strip().split()[0])
                elif name:
                    headers.append((name, value.strip()))
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = _serve
        do_POST = _serve

    return Handler


@contextmanager
def git_http_server(
    root: Path, *, username: str = "robot", password: str = "s3cret-token"  # noqa: S107 - a fake
) -> Iterator[GitHttpServer]:
    """Serve the bare repositories under `root` at http://127.0.0.1:PORT/<name>."""
    expected = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(root, expected))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield GitHttpServer(f"http://{host!s}:{port}/", root, username, password)
    finally:
        server.shutdown()
        server.server_close()
