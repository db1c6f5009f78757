"""The LLM adapter against a fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from monitorgen.adapters.llm import (
    LlmBadResponse,
    LlmClient,
    LlmConfig,
    LlmMalformedOutput,
    LlmMode,
    LlmNotConfigured,
    LlmRateLimited,
    LlmRequestRejected,
    LlmServerError,
    LlmTimeout,
    LlmUnavailable,
    is_configured,
)
from monitorgen.core.errors import LlmError
from monitorgen.core.generation.llm_schema import AnswerKind, LlmAnswer
from monitorgen.core.generation.prompting import ChatMessage
from tests.fakes.openai_server import FakeOpenAIServer, Reply

MESSAGES: list[ChatMessage] = [
    {"role": "system", "content": "You write Prometheus alerting rules."},
    {"role": "user", "content": "Alert when checkout returns many 5xx errors."},
]
GOOD_ANSWER = {
    "kind": "rule",
    "rule": {
        "alert": "CheckoutHighErrorRate",
        "expr": 'sum(rate(http_requests_total{code=~"5.."}[5m])) > 1',
        "for": "10m",
        "severity": "critical",
        "summary": "Checkout returns many errors",
        "description": "More than one 5xx per second for 10 minutes.",
        "metrics_used": ["http_requests_total"],
        "rationale": "Error rate over five minutes.",
    },
}


@pytest.fixture
def server() -> Iterator[FakeOpenAIServer]:
    with FakeOpenAIServer(model="fake-model") as fake:
        yield fake


def client_for(server: FakeOpenAIServer, **overrides: object) -> LlmClient:
    values: dict[str, object] = {"base_url": server.base_url, "model": "fake-model",
                                 "api_key": "sk-test-secret", "timeout": 5.0}
    values.update(overrides)
    return LlmClient(LlmConfig(**values))  # type: ignore[arg-type]


# --- success and modes ----------------------------------------------------------------------------
def test_a_valid_tool_call_comes_back_as_the_typed_answer_with_usage_and_model(server):
    server.play(Reply.answer(GOOD_ANSWER))

    completion = client_for(server).complete(MESSAGES, LlmAnswer)

    assert completion.parsed.kind is AnswerKind.RULE
    assert completion.parsed.rule is not None
    assert completion.parsed.rule.alert == "CheckoutHighErrorRate"
    assert completion.model == "fake-model"
    assert completion.usage is not None and completion.usage.total_tokens > 0
    assert completion.latency_seconds >= 0
    assert json.loads(completion.raw_output) == GOOD_ANSWER


@pytest.mark.parametrize("mode", list(LlmMode))
def test_every_mode_parses_a_valid_answer(server, mode):
    server.play(Reply.answer(GOOD_ANSWER))

    completion = client_for(server, mode=mode).complete(MESSAGES, LlmAnswer)

    assert completion.parsed.rule is not None
    assert completion.parsed.rule.severity.value == "critical"


def test_tools_mode_asks_for_a_forced_call_of_the_answer_function(server):
    server.play(Reply.answer(GOOD_ANSWER))

    client_for(server, mode=LlmMode.TOOLS).complete(MESSAGES, LlmAnswer)

    body = server.chat_requests[0].json
    assert body["tool_choice"] == {"type": "function", "function": {"name": "LlmAnswer"}}
    assert body["tools"][0]["function"]["name"] == "LlmAnswer"
    assert "response_format" not in body


def test_json_schema_mode_sends_the_schema_as_response_format(server):
    server.play(Reply.answer(GOOD_ANSWER))

    client_for(server, mode=LlmMode.JSON_SCHEMA).complete(MESSAGES, LlmAnswer)

    body = server.chat_requests[0].json
    assert body["response_format"]["type"] == "json_schema"
    assert "rule" in body["response_format"]["json_schema"]["schema"]["properties"]
    assert "tools" not in body


def test_json_mode_asks_for_a_json_object_and_puts_the_schema_in_the_system_message(server):
    server.play(Reply.answer(GOOD_ANSWER))

    client_for(server, mode=LlmMode.JSON).complete(MESSAGES, LlmAnswer)

    body = server.chat_requests[0].json
    assert body["response_format"] == {"type": "json_object"}
    assert body["messages"][0]["role"] == "system"
    assert '"metrics_used"' in body["messages"][0]["content"]


def test_the_configured_model_temperature_and_bearer_key_are_sent(server):
    server.play(Reply.answer(GOOD_ANSWER))

    client_for(server, temperature=0.3).complete(MESSAGES, LlmAnswer)

    request = server.chat_requests[0]
    assert request.json["model"] == "fake-model"
    assert request.json["temperature"] == 0.3
    assert request.headers["authorization"] == "Bearer sk-test-secret"


def test_a_local_server_without_a_key_gets_a_placeholder_key(server):
    server.play(Reply.answer(GOOD_ANSWER))

    client_for(server, api_key="").complete(MESSAGES, LlmAnswer)

    assert server.chat_requests[0].headers["authorization"] == "Bearer not-needed"


def test_an_azure_style_api_version_in_the_base_url_is_sent_with_every_request(server):
    server.play(Reply.answer(GOOD_ANSWER))

    client_for(server, base_url=f"{server.base_url}?api-version=2024-10-21").complete(
        MESSAGES, LlmAnswer
    )

    assert server.chat_requests[0].path == "/v1/chat/completions?api-version=2024-10-21"


def test_the_models_the_endpoint_serves_can_be_listed_as_a_connectivity_check(server):
    assert client_for(server).available_models() == ["fake-model"]
    assert server.requests[0].path == "/v1/models"


# --- failures -------------------------------------------------------------------------------------
def test_a_slow_endpoint_raises_a_timeout_that_names_the_limit(server):
    server.play(Reply.slow(30, GOOD_ANSWER))

    with pytest.raises(LlmTimeout) as caught:
        client_for(server, timeout=0.2).complete(MESSAGES, LlmAnswer)

    assert "did not answer within 0.2 seconds" in caught.value.message
    assert caught.value.http_status == 504


def test_a_429_raises_rate_limited_with_the_retry_after_the_server_gave(server):
    server.play(Reply.rate_limited(retry_after=7))

    with pytest.raises(LlmRateLimited) as caught:
        client_for(server).complete(MESSAGES, LlmAnswer)

    assert caught.value.retry_after == 7
    assert "rate limiting" in caught.value.message
    assert "retry after 7 seconds" in caught.value.message
    assert len(server.chat_requests) == 1  # no silent client retries


def test_a_429_without_retry_after_says_nothing_about_when_to_retry(server):
    server.play(Reply.rate_limited())

    with pytest.raises(LlmRateLimited) as caught:
        client_for(server).complete(MESSAGES, LlmAnswer)

    assert caught.value.retry_after is None
    assert "retry after" not in caught.value.message


@pytest.mark.parametrize("status", [500, 503])
def test_a_5xx_raises_a_server_error_with_the_status_and_the_servers_message(server, status):
    server.play(Reply.server_error(status))

    with pytest.raises(LlmServerError) as caught:
        client_for(server).complete(MESSAGES, LlmAnswer)

    assert f"HTTP {status}" in caught.value.message
    assert "had an error while processing" in caught.value.message
    assert len(server.chat_requests) == 1


def test_a_rejected_key_raises_request_rejected_not_a_server_error(server):
    server.play(Reply.error(401, "Incorrect API key provided"))

    with pytest.raises(LlmRequestRejected) as caught:
        client_for(server).complete(MESSAGES, LlmAnswer)

    assert "HTTP 401" in caught.value.message
    assert "Incorrect API key" in caught.value.message


def test_an_unreachable_endpoint_raises_unavailable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = LlmClient(LlmConfig(base_url=f"http://127.0.0.1:{port}/v1", model="m", timeout=2))

    with pytest.raises(LlmUnavailable) as caught:
        client.complete(MESSAGES, LlmAnswer)

    assert f"127.0.0.1:{port}" in caught.value.message
    assert "cannot be reached" in caught.value.message


def test_an_html_error_page_instead_of_a_completion_raises_bad_response(server):
    server.play(Reply.garbage())

    with pytest.raises(LlmBadResponse) as caught:
        client_for(server).complete(MESSAGES, LlmAnswer)

    assert "not a chat completion" in caught.value.message


def test_a_json_content_type_with_a_non_json_body_raises_bad_response(server):
    server.play(Reply.garbage(b"{not json", content_type="application/json"))

    with pytest.raises(LlmBadResponse) as caught:
        client_for(server).complete(MESSAGES, LlmAnswer)

    assert "not JSON" in caught.value.message


@pytest.mark.parametrize("mode", list(LlmMode))
def test_malformed_json_in_the_answer_raises_malformed_output_with_the_raw_text(server, mode):
    server.play(Reply.bad_tool_args('{"kind": "rule", "rule": {"alert": '))

    with pytest.raises(LlmMalformedOutput) as caught:
        client_for(server, mode=mode).complete(MESSAGES, LlmAnswer)

    assert caught.value.raw_output == '{"kind": "rule", "rule": {"alert": '
    assert any("JSON" in p for p in caught.value.problems)
    assert len(server.chat_requests) == 1  # instructor does not re-ask: our loop does


def test_an_answer_that_breaks_the_schema_names_each_broken_field(server):
    broken = json.loads(json.dumps(GOOD_ANSWER))
    broken["rule"].update({"for": "10 minutes", "severity": "urgent", "expr": "rate(x[5m] > 1"})
    server.play(Reply.answer(broken))

    with pytest.raises(LlmMalformedOutput) as caught:
        client_for(server).complete(MESSAGES, LlmAnswer)

    problems = "\n".join(caught.value.problems)
    assert "rule.for: '10 minutes' is not a Prometheus duration" in problems
    assert "rule.severity" in problems
    assert "rule.expr: expr is not valid PromQL" in problems


def test_prose_instead_of_a_tool_call_raises_malformed_output(server):
    server.play(Reply.text("Sure! Here is your alert: ..."))

    with pytest.raises(LlmMalformedOutput) as caught:
        client_for(server).complete(MESSAGES, LlmAnswer)

    assert "No tool calls" in caught.value.message


def test_an_answer_cut_off_at_the_token_limit_raises_malformed_output(server):
    server.play(Reply.truncated(GOOD_ANSWER))

    with pytest.raises(LlmMalformedOutput) as caught:
        client_for(server).complete(MESSAGES, LlmAnswer)

    assert "max tokens" in caught.value.message


def test_every_adapter_error_is_an_llm_error():
    for error in (LlmTimeout, LlmRateLimited, LlmServerError, LlmUnavailable, LlmRequestRejected,
                  LlmBadResponse, LlmMalformedOutput, LlmNotConfigured):
        assert issubclass(error, LlmError)


# --- configuration --------------------------------------------------------------------------------
def test_config_is_read_from_django_settings(settings):
    settings.LLM_BASE_URL = "http://vllm.internal:8000/v1"
    settings.LLM_MODEL = "qwen2.5-coder"
    settings.LLM_API_KEY = "sk-secret"
    settings.LLM_MODE = "json_schema"
    settings.LLM_TIMEOUT_SECONDS = 12.5
    settings.LLM_TEMPERATURE = 0.2
    settings.LLM_MAX_REPAIRS = 3

    config = LlmConfig.from_settings()

    assert config == LlmConfig(base_url="http://vllm.internal:8000/v1", model="qwen2.5-coder",
                               api_key="sk-secret", mode=LlmMode.JSON_SCHEMA, timeout=12.5,
                               temperature=0.2, max_repairs=3)
    assert config.is_configured()
    assert is_configured()


def test_without_base_url_or_model_nothing_is_configured(settings):
    settings.LLM_BASE_URL = ""
    settings.LLM_MODEL = "gpt-4o-mini"

    assert not is_configured()
    with pytest.raises(LlmNotConfigured):
        LlmClient(LlmConfig.from_settings())


def test_an_unknown_mode_is_a_configuration_error_naming_the_choices():
    with pytest.raises(LlmNotConfigured) as caught:
        LlmConfig.from_settings(SimpleNamespace(LLM_BASE_URL="http://x/v1", LLM_MODEL="m",
                                                LLM_MODE="yaml"))

    assert "tools, json_schema, json" in caught.value.message


def test_the_key_never_shows_in_repr_or_in_the_description():
    config = LlmConfig(base_url="https://user:pw@api.openai.com/v1?x=1", model="gpt-4o-mini",
                       api_key="sk-very-secret")

    assert "sk-very-secret" not in repr(config)
    description = json.dumps(config.describe())
    assert "sk-very-secret" not in description
    assert "pw" not in description
    assert config.describe()["base_url_host"] == "api.openai.com"
