from __future__ import annotations

from monitorgen.checks import promtool_check


def test_it_reports_e001_when_promtool_is_missing(settings, tmp_path):
    settings.PROMTOOL = str(tmp_path / "no-promtool")
    [error] = promtool_check()
    assert error.id == "monitorgen.E001" and "apt-get install prometheus" in error.hint


def test_it_is_quiet_when_promtool_works(settings, promtool_path):
    settings.PROMTOOL = promtool_path
    assert promtool_check() == []
