from __future__ import annotations

import json

import pytest
from django.core.management import call_command

GOOD = """\
groups:
  - name: api
    rules:
      - alert: ApiDown
        expr: up{job="api"} == 0
        for: 5m
        labels:
          severity: critical
        annotations:
          summary: "{{ $labels.instance }} is down"
          description: "API target down"
"""
ALWAYS_FIRES = GOOD.replace('up{job="api"} == 0', "rate(errors_total[5m])")
CATALOG = """\
name: shop
scrape_interval: 15s
metrics:
  - name: up
    type: gauge
"""


def run(*args: str) -> tuple[int, str, str]:
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("validate_rules", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def files(tmp_path):
    good, bad = tmp_path / "good.yml", tmp_path / "bad.yml"
    good.write_text(GOOD)
    bad.write_text(ALWAYS_FIRES)
    return good, bad


@pytest.mark.promtool
def test_a_clean_file_exits_zero_and_says_ok(files):
    code, out, _ = run(str(files[0]))
    assert code == 0 and out.startswith("OK: 0 error(s)")


@pytest.mark.promtool
def test_text_output_names_file_line_rule_check_and_reason(files):
    code, out, _ = run(str(files[0]), str(files[1]))
    assert code == 1
    assert f"{files[1]}:4: [api/ApiDown] error lint/no-comparison: " in out
    assert "FAILED: 1 error(s)" in out


@pytest.mark.promtool
def test_json_output_lists_problems(files):
    code, out, _ = run(str(files[1]), "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["ok"] is False
    assert data["problems"][0]["check"] == "lint/no-comparison"
    assert data["problems"][0]["line"] == 4


def test_warnings_alone_exit_zero(tmp_path):
    path = tmp_path / "warn.yml"
    path.write_text(GOOD.replace('up{job="api"} == 0', 'up{job=~"api"} == 0'))
    code, out, _ = run(str(path), "--no-promtool", "--scrape-interval", "15s")
    assert code == 0 and "warning lint/needless-regex" in out


def test_a_catalog_file_enables_grounding(tmp_path, files):
    catalog = tmp_path / "catalog.yml"
    catalog.write_text(CATALOG)
    code, out, _ = run(str(files[1]), "--catalog", str(catalog), "--no-promtool")
    assert code == 1 and "grounding/unknown-metric" in out and "errors_total" in out


@pytest.mark.django_db
def test_an_unknown_catalog_slug_exits_with_not_found(files):
    code, _, err = run(str(files[0]), "--catalog", "no-such-catalog", "--no-promtool")
    assert code == 2 and "not_found" in err


def test_a_bad_scrape_interval_is_a_configuration_error(files):
    code, _, err = run(str(files[0]), "--scrape-interval", "soon", "--no-promtool")
    assert code == 5 and "scrape interval" in err
