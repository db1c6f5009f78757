from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

CATALOG = """\
name: shop
metrics:
  - name: up
    type: gauge
  - name: http_request_duration_seconds
    type: histogram
    labels: [service]
  - name: worker_queue_length
    type: gauge
"""
CASES = """\
- id: latency
  intent: p99 latency over 300 ms for 10 minutes
  catalog: shop
  reference: {expr: ignored}
- id: vague
  intent: the coffee machine is empty
  catalog: shop
"""


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("generate", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Path:
    (tmp_path / "shop.yaml").write_text(CATALOG)
    return tmp_path


@pytest.mark.promtool
def test_it_prints_a_validated_rule_as_yaml(catalog_dir: Path, promtool_path: str) -> None:
    code, out, _ = run("--catalog", str(catalog_dir / "shop.yaml"),
                       "--intent", "worker queue length above 100 for 5 minutes")
    assert code == 0
    assert "expr: worker_queue_length > 100" in out
    assert "for: 5m" in out


@pytest.mark.promtool
def test_it_prints_json_with_status_and_validation(catalog_dir: Path, promtool_path: str) -> None:
    code, out, _ = run("--catalog", str(catalog_dir / "shop.yaml"), "--format", "json",
                       "--intent", "worker queue length above 100")
    data = json.loads(out)
    assert code == 0
    assert data["status"] == "ok"
    assert data["validation"]["ok"] is True


def test_it_prints_the_question_when_it_needs_one(catalog_dir: Path) -> None:
    code, out, _ = run("--catalog", str(catalog_dir / "shop.yaml"), "--no-promtool",
                       "--intent", "worker queue length is high")
    assert code == 0
    assert out.startswith("clarify")
    assert "threshold" in out


@pytest.mark.promtool
def test_batch_mode_writes_one_result_per_case(catalog_dir: Path, tmp_path: Path,
                                               promtool_path: str) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text(CASES)
    out_file = tmp_path / "results.json"
    code, _, err = run("--catalog-dir", str(catalog_dir), "--batch", str(cases),
                       "--out", str(out_file))
    results = json.loads(out_file.read_text())
    assert code == 0
    assert set(results) == {"latency", "vague"}
    assert results["latency"]["status"] == "ok"
    assert results["latency"]["kind"] == "alert"
    assert results["latency"]["rules"][0]["for"] == "10m"
    assert "groups:" in results["latency"]["yaml"]
    assert results["vague"]["status"] == "clarify"
    assert results["vague"]["questions"][0]["field"] == "metric"
    assert "2/2 cases" in err


def test_batch_mode_names_a_missing_catalog(catalog_dir: Path, tmp_path: Path) -> None:
    cases = tmp_path / "cases.yaml"
    cases.write_text("- {id: a, intent: x, catalog: nowhere}\n")
    code, _, err = run("--catalog-dir", str(catalog_dir), "--batch", str(cases))
    assert code == 2
    assert "nowhere.yaml" in err
