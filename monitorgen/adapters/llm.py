"""Adapter to any OpenAI-compatible chat-completions endpoint, through instructor.

One call, `LlmClient.complete(messages, response_model)`, returns a typed `LlmCompletion` (the
parsed pydantic model, the raw structured text, usage, model name, latency) or raises one
`LlmError` subclass with a message that says what happened:

=========================  ============================================================
`LlmTimeout`               no answer within `LLM_TIMEOUT_SECONDS`
`LlmRateLimited`           HTTP 429; `retry_after` seconds when the server said so
`LlmServerError`           HTTP 5xx
`LlmUnavailable`           connection refused / DNS / TLS: the endpoint cannot be reached
`LlmRequestRejected`       other HTTP 4xx (bad key, unknown model, bad request)
`LlmBadResponse`           the body is not an OpenAI chat completion at all
`LlmMalformedOutput`       a completion came back, but its tool arguments / JSON content do
                           not parse or do not fit the response model (`details["problems"]`,
                           `details["raw_output"]`): the generator feeds this back to repair
`LlmNotConfigured`         no base URL or model configured
=========================  ============================================================

Retries: the openai client's own retries are off (`max_retries=0`) and instructor's re-asking is
off too (`max_retries=0`): the repair loop lives in `monitorgen.generation`, so every attempt is
visible in provenance.

Endpoints (`LLM_BASE_URL`, `LLM_MODEL`, `LLM_API_KEY`):

* OpenAI: `https://api.openai.com/v1`, model e.g. `gpt-4o-mini`.
* vLLM: `http://HOST:8000/v1`; Ollama: `http://HOST:11434/v1`; llama.cpp server:
  `http://HOST:8080/v1`. The key may be empty (a placeholder is sent).
* Azure OpenAI, v1 API: `https://RESOURCE.openai.azure.com/openai/v1`, model = deployment name.
  Classic deployment API: `https://RESOURCE.openai.azure.com/openai/deployments/DEPLOYMENT?api-version=2024-10-21`
  -- the `api-version` query is split off and sent with every request. For `*.azure.com`
  hosts the key is also sent in the `api-key` header Azure expects.

Modes (`LLM_MODE`): `tools` (function calling; most servers), `json_schema` (OpenAI structured
outputs, vLLM guided decoding, llama.cpp), `json` (`response_format=json_object` plus the schema
in the system message; for servers without either).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, Generic, TypeVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import instructor
import openai
from pydantic import BaseModel, ValidationError

from monitorgen.core.errors import LlmError
from monitorgen.core.generation.prompting import ChatMessage

T = TypeVar("T", bound=BaseModel)

PLACEHOLDER_API_KEY = "not-needed"  # local servers ignore the key; the client insists on one
MAX_RAW_OUTPUT_CHARS = 4000


# --- errors ---------------------------------------------------------------------------------------
class LlmTimeout(LlmError):
    code = "llm_timeout"
    http_status = 504


class LlmRateLimited(LlmError):
    code = "llm_rate_limited"
    http_status = 503

    def __init__(self, message: str, *, retry_after: float | None = None,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(message, details={**(details or {}), "retry_after": retry_after})
        self.retry_after = retry_after


class LlmServerError(LlmError):
    code = "llm_server_error"


class LlmUnavailable(LlmError):
    code = "llm_unavailable"
    http_status = 503


class LlmRequestRejected(LlmError):
    code = "llm_request_rejected"


class LlmBadResponse(LlmError):
    code = "llm_bad_response"


class LlmMalformedOutput(LlmError):
    code = "llm_malformed_output"

    @property
    def problems(self) -> list[str]:
        return [str(p) for p in self.details.get("problems", [])]

    @property
    def raw_output(self) -> str:
        return str(self.details.get("raw_output", ""))


class LlmNotConfigured(LlmError):
    code = "llm_not_configured"
    http_status = 500
    exit_code = 5


# --- configuration --------------------------------------------------------------------------------
class LlmMode(StrEnum):
    TOOLS = "tools"
    JSON_SCHEMA = "json_schema"
    JSON = "json"

    @classmethod
    def parse(cls, value: str) -> LlmMode:
        text = (value or "tools").strip().lower().replace("-", "_")
        try:
            return cls(text)
        except ValueError:
            allowed = ", ".join(m.value for m in cls)
            raise LlmNotConfigured(f"LLM_MODE={value!r} is not one of {allowed}") from None

    def instructor_mode(self) -> instructor.Mode:
        return {
            LlmMode.TOOLS: instructor.Mode.TOOLS,
            LlmMode.JSON_SCHEMA: instructor.Mode.JSON_SCHEMA,
            LlmMode.JSON: instructor.Mode.JSON,
        }[self]


@dataclass(frozen=True)
class LlmConfig:
    base_url: str
    model: str
    api_key: str = field(default="", repr=False)
    mode: LlmMode = LlmMode.TOOLS
    timeout: float = 60.0
    temperature: float = 0.0
    max_repairs: int = 2

    @classmethod
    def from_settings(cls, settings: Any = None) -> LlmConfig:
        """Read LLM_* settings (Django settings by default; any object with those attributes)."""
        if settings is None:
            from django.conf import settings as django_settings

            settings = django_settings
        return cls(
            base_url=str(getattr(settings, "LLM_BASE_URL", "") or "").strip(),
            model=str(getattr(settings, "LLM_MODEL", "") or "").strip(),
            api_key=str(getattr(settings, "LLM_API_KEY", "") or ""),
            mode=LlmMode.parse(str(getattr(settings, "LLM_MODE", "tools") or "tools")),
            timeout=float(getattr(settings, "LLM_TIMEOUT_SECONDS", 60.0)),
            temperature=float(getattr(settings, "LLM_TEMPERATURE", 0.0)),
            max_repairs=max(0, int(getattr(settings, "LLM_MAX_REPAIRS", 2))),
        )

    def is_configured(self) -> bool:
        return bool(self.base_url and self.model)

    @property
    def host(self) -> str:
        """The endpoint's host[:port] (for provenance; never the key or the query)."""
        return urlsplit(self.base_url).netloc.rsplit("@", 1)[-1]

    def describe(self) -> dict[str, Any]:
        """Safe to store and show: no key, no query string."""
        return {
            "model": self.model,
            "mode": self.mode.value,
            "temperature": self.temperature,
            "timeout_seconds": self.timeout,
            "max_repairs": self.max_repairs,
            "base_url_host": self.host,
        }


def is_configured(settings: Any = None) -> bool:
    try:
        return LlmConfig.from_settings(settings).is_configured()
    except LlmNotConfigured:
        return False


def _split_endpoint(base_url: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """(base URL without query, default query params, default headers key-less)."""
    parts = urlsplit(base_url)
    query = dict(parse_qsl(parts.query))
    base = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))
    keep = {k: v for k, v in query.items() if k == "api-version"}
    if len(keep) != len(query):  # other query params stay on the URL
        rest = {k: v for k, v in query.items() if k != "api-version"}
        base = urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), urlencode(rest), ""))
    return base, keep, {}


# --- results --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LlmUsage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
                "total_tokens": self.total_tokens}


@dataclass(frozen=True)
class LlmCompletion(Generic[T]):
    parsed: T
    raw_output: str
    model: str
    usage: LlmUsage | None
    latency_seconds: float
    finish_reason: str | None = None


# --- client ---------------------------------------------------------------------------------------
class LlmClient:
    """Structured chat completions against one configured endpoint."""

    instructor_retries: ClassVar[int] = 0

    def __init__(self, config: LlmConfig, *, http_client: Any = None) -> None:
        if not config.is_configured():
            raise LlmNotConfigured("no LLM configured: set LLM_BASE_URL and LLM_MODEL")
        self.config = config
        base_url, query, headers = _split_endpoint(config.base_url)
        api_key = config.api_key or PLACEHOLDER_API_KEY
        if urlsplit(base_url).hostname and str(urlsplit(base_url).hostname).endswith(".azure.com"):
            headers["api-key"] = api_key
        kwargs: dict[str, Any] = {}
        if http_client is not None:
            kwargs["http_client"] = http_client
        self._openai = openai.OpenAI(
            base_url=base_url,
            api_key=api_key,
            timeout=config.timeout,
            max_retries=0,
            default_query=query or None,
            default_headers=headers or None,
            **kwargs,
        )
        self._instructor: Any = instructor.from_openai(
            self._openai, mode=config.mode.instructor_mode()
        )

    def close(self) -> None:
        self._openai.close()

    def complete(
        self,
        messages: list[ChatMessage],
        response_model: type[T],
        *,
        temperature: float | None = None,
        max_tokens: int | None = None,
    ) -> LlmCompletion[T]:
        extra: dict[str, Any] = {}
        if max_tokens is not None:
            extra["max_tokens"] = max_tokens
        started = time.monotonic()
        try:
            parsed, completion = self._instructor.create_with_completion(
                model=self.config.model,
                messages=[dict(m) for m in messages],
                response_model=response_model,
                max_retries=self.instructor_retries,
                strict=False,
                temperature=self.config.temperature if temperature is None else temperature,
                **extra,
            )
        except Exception as exc:  # instructor wraps everything; map to our errors
            raise self._map_error(exc) from exc
        latency = time.monotonic() - started
        if not isinstance(parsed, response_model):
            raise LlmBadResponse(
                f"the LLM endpoint returned {type(parsed).__name__}, "
                f"not {response_model.__name__}"
            )
        return LlmCompletion(
            parsed=parsed,
            raw_output=_raw_output(completion),
            model=str(getattr(completion, "model", "") or self.config.model),
            usage=_usage(completion),
            latency_seconds=latency,
            finish_reason=_finish_reason(completion),
        )

    def available_models(self) -> list[str]:
        """Model ids the endpoint serves (`GET /models`): a cheap connectivity check."""
        try:
            page = self._openai.models.list()
            return sorted(str(model.id) for model in page.data)
        except Exception as exc:  # noqa: BLE001 - mapped to one error type below
            raise self._map_error(exc) from exc

    # --- error mapping ----------------------------------------------------------------------------
    def _where(self) -> str:
        return f"LLM endpoint {self.config.host} (model {self.config.model})"

    def _map_error(self, exc: BaseException) -> LlmError:
        cause = _root_cause(exc)
        where = self._where()
        if isinstance(cause, LlmError):
            return cause
        if isinstance(cause, openai.APITimeoutError):
            return LlmTimeout(
                f"{where} did not answer within {self.config.timeout:g} seconds "
                "(LLM_TIMEOUT_SECONDS)",
                details={"timeout_seconds": self.config.timeout},
            )
        if isinstance(cause, openai.APIConnectionError):
            return LlmUnavailable(f"{where} cannot be reached: {cause.__cause__ or cause}")
        if isinstance(cause, openai.RateLimitError):
            retry_after = _retry_after(cause.response.headers)
            hint = f"; retry after {retry_after:g} seconds" if retry_after is not None else ""
            return LlmRateLimited(
                f"{where} is rate limiting requests (HTTP 429){hint}: {_api_message(cause)}",
                retry_after=retry_after,
            )
        if isinstance(cause, openai.APIStatusError):
            status = cause.status_code
            if status >= 500:
                return LlmServerError(
                    f"{where} failed with HTTP {status}: {_api_message(cause)}",
                    details={"status": status},
                )
            return LlmRequestRejected(
                f"{where} rejected the request with HTTP {status}: {_api_message(cause)}",
                details={"status": status},
            )
        if isinstance(cause, json.JSONDecodeError) and _is_transport_json_error(exc):
            return LlmBadResponse(f"{where} answered with a body that is not JSON: {cause}")
        completion = getattr(exc, "last_completion", None)
        if isinstance(cause, ValidationError | json.JSONDecodeError | ValueError | AssertionError):
            if completion is None or isinstance(completion, str) or not _has_choices(completion):
                return LlmBadResponse(
                    f"{where} answered with something that is not a chat completion "
                    f"({_short(str(completion or cause))})"
                )
            problems = _problems_of(cause)
            raw = _raw_output(completion)
            return LlmMalformedOutput(
                f"{where} returned output that does not fit the expected answer: "
                + "; ".join(problems[:3]),
                details={"problems": problems, "raw_output": raw[:MAX_RAW_OUTPUT_CHARS]},
            )
        if type(cause).__name__ == "IncompleteOutputException":
            return LlmMalformedOutput(
                f"{where} stopped before finishing the answer (max tokens reached)",
                details={"problems": ["the answer was cut off (finish_reason=length)"],
                         "raw_output": _raw_output(getattr(cause, "last_completion", None))},
            )
        if isinstance(cause, openai.OpenAIError):
            return LlmError(f"{where} failed: {cause}")
        return LlmError(f"{where} failed unexpectedly: {type(cause).__name__}: {_short(str(cause))}")


# --- helpers --------------------------------------------------------------------------------------
def _root_cause(exc: BaseException) -> BaseException:
    """Unwrap instructor's retry wrapper down to the API or parsing error that caused it."""
    current = exc
    for _ in range(10):
        wrapper = type(current).__module__.startswith("instructor") and not isinstance(
            current, ValueError  # instructor's ResponseParsingError is itself the answer
        )
        if not wrapper or current.__cause__ is None:
            break
        current = current.__cause__
    return current


def _is_transport_json_error(exc: BaseException) -> bool:
    # A JSONDecodeError raised while reading the HTTP body (openai) rather than while parsing the
    # model's tool arguments (instructor records those as failed attempts with a completion).
    return getattr(exc, "last_completion", None) is None


def _has_choices(completion: Any) -> bool:
    return bool(getattr(completion, "choices", None))


def _problems_of(exc: BaseException) -> list[str]:
    if isinstance(exc, ValidationError):
        problems = []
        for err in exc.errors(include_url=False):
            loc = ".".join("for" if part == "for_" else str(part) for part in err["loc"])
            message = str(err["msg"]).removeprefix("Value error, ")
            problems.append(f"{loc}: {message}" if loc else message)
        return problems or [str(exc)]
    if isinstance(exc, json.JSONDecodeError):
        return [f"the answer is not valid JSON: {exc.msg} at position {exc.pos}"]
    return [_short(str(exc))]


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _raw_output(completion: Any) -> str:
    choices = getattr(completion, "choices", None)
    if not choices:
        return ""
    message = getattr(choices[0], "message", None)
    tool_calls = getattr(message, "tool_calls", None) or []
    if tool_calls:
        arguments = getattr(getattr(tool_calls[0], "function", None), "arguments", "")
        return str(arguments or "")
    return str(getattr(message, "content", "") or "")


def _finish_reason(completion: Any) -> str | None:
    choices = getattr(completion, "choices", None)
    return str(choices[0].finish_reason) if choices and choices[0].finish_reason else None


def _usage(completion: Any) -> LlmUsage | None:
    usage = getattr(completion, "usage", None)
    if usage is None:
        return None
    return LlmUsage(
        prompt_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
        completion_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
        total_tokens=int(getattr(usage, "total_tokens", 0) or 0),
    )


def _retry_after(headers: Any) -> float | None:
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        raw = headers.get(name) if headers is not None else None
        if raw is None:
            continue
        try:
            value = float(raw) * scale
        except ValueError:
            continue  # an HTTP date; not worth parsing here
        if value >= 0:
            return value
    return None


def _api_message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and error.get("message"):
            return _short(str(error["message"]))
        if isinstance(error, str):
            return _short(error)
    text = ""
    try:
        text = exc.response.text
    except Exception:  # noqa: BLE001, S110 - the body may be unreadable; the status is enough
        text = ""
    return _short(text) if text else exc.message
