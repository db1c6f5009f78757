"""A fake OpenAI-compatible HTTP server on 127.0.0.1 for tests (stdlib only).

It serves `POST /v1/chat/completions` and `GET /v1/models` with the real response shapes and
plays a script of `Reply` objects, one per chat request, in order. Every request is recorded
(`server.requests`) so tests can assert on prompts. Structured answers adapt to the request:
if the request carries `tools`, the answer is a tool call to the function instructor asked for;
otherwise it is JSON message content (json / json_schema modes).

    with FakeOpenAIServer() as server:
        server.play(Reply.answer({...}), Reply.rate_limited(retry_after=7))
        ... LlmConfig(base_url=server.base_url, model="fake-model") ...
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

ReplyKind = Literal["answer", "text", "bad_tool_args", "status", "garbage", "truncated"]


@dataclass(frozen=True)
class Reply:
    kind: ReplyKind
    data: Any = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (to exceed a client timeout)

    # --- constructors ---
    @classmethod
    def answer(cls, data: Any, *, delay: float = 0.0) -> Reply:
        """A structured answer: tool call arguments (tools mode) or JSON content (json modes)."""
        return cls("answer", data, delay=delay)

    @classmethod
    def text(cls, content: str) -> Reply:
        """Plain assistant text, no tool call (a model that ignored the tool)."""
        return cls("text", content)

    @classmethod
    def bad_tool_args(cls, arguments: str = '{"kind": "rule", "rule": {"alert": ') -> Reply:
        """A tool call (or content) whose JSON is cut off / malformed."""
        return cls("bad_tool_args", arguments)

    @classmethod
    def slow(cls, seconds: float, data: Any = None) -> Reply:
        return cls("answer", data if data is not None else {}, delay=seconds)

    @classmethod
    def error(cls, status: int, message: str = "", headers: dict[str, str] | None = None) -> Reply:
        return cls("status", message or f"fake error {status}", status=status, headers=headers or {})

    @classmethod
    def rate_limited(cls, retry_after: float | None = None) -> Reply:
        headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else {}
        return cls.error(429, "Rate limit reached for requests", headers)

    @classmethod
    def server_error(cls, status: int = 500) -> Reply:
        return cls.error(status, "The server had an error while processing your request")

    @classmethod
    def garbage(cls, body: bytes = b"<html><body>502 Bad Gateway (proxy)</body></html>",
                content_type: str = "text/html") -> Reply:
        return cls("garbage", body, headers={"Content-Type": content_type})

    @classmethod
    def truncated(cls, data: Any) -> Reply:
        """An answer with finish_reason=length."""
        return cls("truncated", data)


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def messages(self) -> list[dict[str, Any]]:
        data = self.json or {}
        return list(data.get("messages", []))

    @property
    def prompt_text(self) -> str:
        """All message contents joined (what the model reads, besides the schema)."""
        return "\n".join(str(m.get("content") or "") for m in self.messages)


class FakeOpenAIServer:
    def __init__(self, *, model: str = "fake-model") -> None:
        self.model = model
        self.requests: list[RecordedRequest] = []
        self._script: list[Reply] = []
        self._then: Reply | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._counter = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return

            def _record(self) -> RecordedRequest:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = RecordedRequest(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
                with server._lock:
                    server.requests.append(request)
                return request

            def do_GET(self) -> None:  # noqa: N802
                self._record()
                if self.path.split("?")[0].rstrip("/") == "/v1/models":
                    self._send_json(200, {"object": "list", "data": [
                        {"id": server.model, "object": "model", "created": 0, "owned_by": "fake"}
                    ]})
                else:
                    self._send_json(404, {"error": {"message": f"no route {self.path}"}})

            def do_POST(self) -> None:  # noqa: N802
                request = self._record()
                if self.path.split("?")[0].rstrip("/") != "/v1/chat/completions":
                    self._send_json(404, {"error": {"message": f"no route {self.path}"}})
                    return
                reply = server._next_reply()
                if reply.delay:
                    server._stopping.wait(reply.delay)
                # The client may have given up already (timeout tests).
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    server._respond(self, request, reply)

            def _send_json(self, status: int, data: Any,
                           headers: dict[str, str] | None = None) -> None:
                self._send(status, json.dumps(data).encode(), "application/json", headers)

            def _send(self, status: int, body: bytes, content_type: str,
                      headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    if name.lower() != "content-type":
                        self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

        self._handler = Handler
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    # --- lifecycle ---
    def start(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # --- script ---
    def play(self, *replies: Reply, then: Reply | None = None) -> None:
        """Answer the next chat requests with `replies` in order, then with `then` forever."""
        with self._lock:
            self._script = list(replies)
            self._then = then

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.startswith("/v1/chat/completions")]

    def iter_bodies(self) -> Iterator[str]:
        for request in self.requests:
            yield request.text

    def _next_reply(self) -> Reply:
        with self._lock:
            if self._script:
                return self._script.pop(0)
            if self._then is not None:
                return self._then
        return Reply.error(500, "fake server: the test's script has no reply left")

    # --- responses ---
    def _respond(self, handler: Any, request: RecordedRequest, reply: Reply) -> None:
        if reply.kind == "status":
            handler._send_json(
                reply.status,
                {"error": {"message": reply.data, "type": "fake_error", "code": None,
                           "param": None}},
                reply.headers,
            )
            return
        if reply.kind == "garbage":
            handler._send(200, reply.data, reply.headers.get("Content-Type", "text/plain"))
            return
        handler._send_json(200, self.completion(request, reply))

    def completion(self, request: RecordedRequest, reply: Reply) -> dict[str, Any]:
        body = request.json or {}
        with self._lock:
            self._counter += 1
            number = self._counter
        message: dict[str, Any] = {"role": "assistant", "content": None}
        finish_reason = "stop"
        if reply.kind == "text":
            message["content"] = reply.data
        else:
            arguments = reply.data if reply.kind == "bad_tool_args" else json.dumps(reply.data)
            tool_name = _requested_tool(body)
            if tool_name is not None:
                message["tool_calls"] = [{
                    "id": f"call_{number}",
                    "type": "function",
                    "function": {"name": tool_name, "arguments": arguments},
                }]
                finish_reason = "tool_calls"
            else:
                message["content"] = arguments
        if reply.kind == "truncated":
            finish_reason = "length"
        return {
            "id": f"chatcmpl-fake-{number}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": str(body.get("model") or self.model),
            "choices": [{"index": 0, "message": message, "finish_reason": finish_reason,
                         "logprobs": None}],
            "usage": {"prompt_tokens": 100 + number, "completion_tokens": 20,
                      "total_tokens": 120 + number},
            "system_fingerprint": "fake",
        }


def _requested_tool(body: dict[str, Any]) -> str | None:
    tools = body.get("tools") or []
    if not tools:
        return None
    choice = body.get("tool_choice")
    if isinstance(choice, dict):
        name = (choice.get("function") or {}).get("name")
        if name:
            return str(name)
    return str(tools[0]["function"]["name"])
