"""The generation service's `ok` results carry each rule's synthesised unit tests and results."""

from __future__ import annotations

import pytest

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.embedded import EmbeddedGenerator
from monitorgen.core.generation.result import GenerationRequest, Status
from monitorgen.generation.service import default_validator, generate, generate_many

pytestmark = pytest.mark.promtool

CATALOG = Catalog.model_validate({
    "name": "shop",
    "scrape_interval": "30s",
    "metrics": [
        {"name": "up", "type": "gauge"},
        {"name": "http_request_duration_seconds", "type": "histogram", "labels": ["service"]},
    ],
})


def request(intent: str) -> GenerationRequest:
    return GenerationRequest(intent=intent, catalog=CATALOG)


def test_an_ok_result_carries_the_test_file_and_its_passing_cases(promtool_path: str) -> None:
    result = generate(request("p99 latency over 300 ms for 10 minutes"), generator=EmbeddedGenerator())
    assert result.status is Status.OK
    assert result.validation["steps"][-1] == "unittest"
    [tests] = result.validation["unit_tests"]
    assert tests["rule"] == result.rules[0].name and tests["status"] == "passed"
    assert [c["passed"] for c in tests["cases"]] == [True, True, True]
    assert "interval: 30s" in tests["text"]  # the catalog's scrape interval


def test_the_batch_path_runs_the_unit_tests_of_every_answer(promtool_path: str) -> None:
    results = generate_many([request("p99 latency over 300 ms"), request("target is down")],
                            generator=EmbeddedGenerator())
    assert [r.status for r in results] == [Status.OK, Status.OK]
    for result in results:
        assert "unittest" in result.validation["steps"]
        assert [t["status"] for t in result.validation["unit_tests"]] == ["passed"]


def test_static_validation_runs_no_unit_tests() -> None:
    result = generate(request("p99 latency over 300 ms for 10 minutes"), generator=EmbeddedGenerator(),
                      validate=default_validator(run_promtool=False))
    assert result.status is Status.OK and "unit_tests" not in result.validation
