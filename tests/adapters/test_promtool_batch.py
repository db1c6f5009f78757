"""`promtool test rules` over many test files in one process, results per file."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from monitorgen.adapters.promtool import Promtool, parse_test_output
from monitorgen.core.errors import PromtoolError

RULES = """\
groups:
  - name: g
    rules:
      - alert: Down
        expr: up == 0
        labels: {severity: warning}
"""
TESTS = """\
rule_files: [rule.yml]
tests:
  - name: down target
    interval: 1m
    input_series:
      - series: 'up{job="p"}'
        values: '0x5'
    alert_rule_test:
      - eval_time: 5m
        alertname: Down
        exp_alerts: [{exp_labels: {job: JOB, severity: warning}}]
"""


@pytest.fixture
def promtool(promtool_path: str) -> Promtool:
    return Promtool(promtool_path)


@pytest.mark.promtool
def test_each_file_gets_its_own_result_and_rule_file_names_may_repeat(promtool):
    pending = promtool.start_test_rules({
        "good": (TESTS.replace("JOB", "p"), {"rule.yml": RULES}),
        "wrong": (TESTS.replace("JOB", "q"), {"rule.yml": RULES}),
        "broken": (TESTS, {"rule.yml": RULES.replace("up == 0", "up ==")}),
    })
    result = pending.result()
    assert not result.ok
    assert {k: r.ok for k, r in result.files.items()} == {"good": True, "wrong": False, "broken": False}
    assert "name: down target," in result.files["wrong"].output and "exp:" in result.files["wrong"].output
    assert "could not parse expression" in result.files["broken"].output
    assert "monitorgen-promtool-" not in result.output  # temporary paths are cut out


@pytest.mark.promtool
def test_a_cancelled_run_leaves_nothing_behind(promtool):
    pending = promtool.start_test_rules({"good": (TESTS.replace("JOB", "p"), {"rule.yml": RULES})})
    folder = Path(pending._cleanup.name)
    assert (folder / "00000" / "rule.yml").exists()
    pending.cancel()
    assert not folder.exists() and pending._process.poll() is not None


def test_rule_file_names_must_be_plain_names(promtool_path):
    with pytest.raises(PromtoolError, match="plain file name"):
        Promtool(promtool_path).start_test_rules({"x": (TESTS, {"../rule.yml": RULES})})


def test_output_is_split_by_file_and_a_missing_file_counts_as_failed():
    output = ("Unit Testing:  00000/tests.yml\n  SUCCESS\n\n"
              "Unit Testing:  00001/tests.yml\n  FAILED:\n    name: t,\n    alertname: A, time: 5m,\n")
    files = parse_test_output(output, {"00000/tests.yml": "a", "00001/tests.yml": "b",
                                       "00002/tests.yml": "c"})
    assert [(f.key, f.ok) for f in files.values()] == [("a", True), ("b", False), ("c", False)]
    assert files["b"].output.startswith("  FAILED:")
    assert files["c"].output == "promtool gave no result for this file"


def test_a_slow_batch_times_out_as_a_promtool_error(tmp_path):
    fake = tmp_path / "fake-promtool"
    fake.write_text('#!/bin/sh\nif [ "$1" = "--version" ]; then echo "promtool, version 9"; exit 0; fi\n'
                    "exec sleep 5\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    pending = Promtool(str(fake), timeout=0.2).start_test_rules({"x": (TESTS, {"rule.yml": RULES})})
    with pytest.raises(PromtoolError, match="timed out"):
        pending.result()
