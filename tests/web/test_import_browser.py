"""The import page in headless Chromium: pick files, import over htmx, read the report."""

from __future__ import annotations

import pytest

from monitorgen.accounts.models import Role
from monitorgen.accounts.services import team_create
from monitorgen.rules.models import RuleVersion
from monitorgen.rules.transitions import VersionState
from tests.rules.test_importing import GOOD, MIXED
from tests.web.conftest import make_user
from tests.web.test_browser import browser, expect, shot, signed_in  # noqa: F401 - fixture

pytestmark = [pytest.mark.browser, pytest.mark.promtool, pytest.mark.django_db(transaction=True)]


def test_an_engineer_uploads_rule_files_and_reads_the_report(browser, live_server, tmp_path):  # noqa: F811
    make_user("ivy", Role.AUTHOR, Role.REVIEWER, team=team_create(slug="payments", name="Payments"))
    (tmp_path / "checkout.yml").write_text(GOOD)
    (tmp_path / "payments.yml").write_text(MIXED)
    # signed_in logs in with the password make_user gives: pw-<name>.
    page = signed_in(browser, live_server, "ivy")
    page.get_by_role("link", name="Import rules").click()
    expect(page.get_by_role("heading", name="Import rules")).to_be_visible()
    page.locator("#id_uploads").set_input_files(
        [str(tmp_path / "checkout.yml"), str(tmp_path / "payments.yml")]
    )
    page.get_by_role("button", name="Import").click()
    report = page.locator(".import-report")
    expect(report).to_contain_text("4 imported")
    expect(report).to_contain_text("3 invalid")
    expect(page.locator('tr[data-rule="BrokenSyntax"]')).to_contain_text("expr is not valid PromQL")
    expect(page.locator("h1")).to_have_count(1)  # htmx swapped the panel, not a whole page in it
    shot(page, "import-report")
    page.get_by_role("link", name="CheckoutDown").click()
    expect(page.get_by_text("Imported from", exact=True)).to_be_visible()
    assert RuleVersion.objects.get(rule__name="CheckoutDown").state == VersionState.APPROVED
