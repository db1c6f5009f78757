from __future__ import annotations

import stat

import pytest

from monitorgen.adapters.promtool import Promtool, parse_check_output, rules_as_batch_text
from monitorgen.core.errors import PromtoolError, PromtoolUnavailable

GOOD = """
groups:
  - name: g1
    rules:
      - alert: Down
        expr: up == 0
"""
TEST_YAML = """
rule_files: [rules.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'up{job="p", instance="i"}'
        values: '0 0 0 0 0'
    alert_rule_test:
      - eval_time: 2m
        alertname: Down
        exp_alerts:
          - exp_labels: {job: p, instance: i}
"""


@pytest.fixture
def promtool(promtool_path):
    return Promtool(promtool_path, timeout=30)


@pytest.mark.promtool
def test_it_passes_a_valid_rule_file(promtool, tmp_path):
    path = tmp_path / "rules.yml"
    path.write_text(GOOD)
    result = promtool.check_rules([path])
    assert result.ok and result.issues == ()


@pytest.mark.promtool
def test_it_attributes_a_syntax_error_to_its_rule_in_a_batch(promtool):
    text = rules_as_batch_text([
        ("first", [{"alert": "Fine", "expr": "up == 0"}]),
        ("second", [{"alert": "AlsoFine", "expr": "up == 1"},
                    {"alert": "Broken", "expr": "sum(rate(x[5m])"}]),
        ("third", [{"alert": "Fine3", "expr": "up == 2"}]),
    ])
    result, names = promtool.check_rule_texts({"batch.yml": text})
    assert not result.ok
    [issue] = result.issues
    assert (issue.group, issue.rule_index, issue.rule_name) == ("second", 2, "Broken")
    assert "parse" in issue.message
    assert names[issue.file] == "batch.yml"


@pytest.mark.promtool
def test_it_reports_template_errors_without_a_line(promtool):
    text = rules_as_batch_text([("g", [{"alert": "T", "expr": "up == 0",
                                          "annotations": {"summary": "{{ .Bad }"}}])])
    result, _ = promtool.check_rule_texts({"t.yml": text})
    [issue] = result.issues
    assert issue.rule_name == "T" and "annotation" in issue.message


@pytest.mark.promtool
def test_it_passes_rule_unit_tests(promtool):
    result = promtool.test_rules(TEST_YAML, {"rules.yml": GOOD})
    assert result.ok


@pytest.mark.promtool
def test_it_fails_rule_unit_tests_whose_expectation_is_wrong(promtool):
    wrong = TEST_YAML.replace("{job: p, instance: i}", "{job: other, instance: i}")
    result = promtool.test_rules(wrong, {"rules.yml": GOOD})
    assert not result.ok and "FAILED" in result.output


def test_a_missing_promtool_is_unavailable_with_install_hints(tmp_path):
    with pytest.raises(PromtoolUnavailable, match="apt-get install prometheus"):
        Promtool(str(tmp_path / "no-such-promtool")).check_rules([tmp_path / "x.yml"])


def _script(tmp_path, body: str) -> str:
    path = tmp_path / "fake-promtool"
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_a_slow_promtool_times_out_as_promtool_error(tmp_path):
    fake = _script(tmp_path, 'if [ "$1" = "--version" ]; then echo "promtool, version 9"; exit 0; fi\n'
                             "exec sleep 5\n")
    with pytest.raises(PromtoolError, match="timed out"):
        Promtool(fake, timeout=0.3).check_rules([tmp_path / "x.yml"])


def test_unreadable_failure_output_is_a_promtool_error(tmp_path):
    fake = _script(tmp_path, 'if [ "$1" = "--version" ]; then echo "promtool, version 9"; exit 0; fi\n'
                             "exit 7\n")
    with pytest.raises(PromtoolError, match="cannot read"):
        Promtool(fake).check_rules([tmp_path / "x.yml"])


def test_a_binary_that_is_not_promtool_is_unavailable(tmp_path):
    fake = _script(tmp_path, "echo hello\n")
    with pytest.raises(PromtoolUnavailable, match="does not look like"):
        Promtool(fake).version()


def test_the_version_check_runs_once_per_binary(tmp_path):
    counter = tmp_path / "count"
    fake = _script(tmp_path, f'echo x >> "{counter}"\necho "promtool, version 9"\n')
    Promtool(fake).version()
    Promtool(fake).version()
    assert counter.read_text().count("x") == 1


def test_it_parses_issue_lines_with_and_without_positions():
    output = (
        "  FAILED:\n"
        'a.yml: 7:15: group "g1", rule 2, "B": could not parse expression: 1:18: oops\n'
        'a.yml: group "g \\"q\\"", rule 1, "C": label "foo": template: bad\n'
        'a.yml: 6:5: groupname: "g1" is repeated in the same file\n'
        "a.yml: yaml: line 3: did not find expected node content\n"
        "a.yml: yaml: line 3: did not find expected node content\n"
    )
    issues = parse_check_output(output, ["a.yml"])
    assert [(i.line, i.group, i.rule_index, i.rule_name) for i in issues] == [
        (7, "g1", 2, "B"), (None, 'g "q"', 1, "C"), (6, None, None, None), (3, None, None, None),
    ]
    assert issues[0].message.startswith("could not parse expression")
