"""The whole review flow in headless Chromium, against a live server and the real generator.

An author writes an intent and submits the draft; a reviewer requests changes; the author refines
the rule from that feedback (a new version) and submits it; the reviewer compares and approves.
Screenshots of the main pages go to artifacts/screenshots/.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import playwright.sync_api as playwright_sync
import pytest
from django.conf import settings

from monitorgen.accounts.models import Role
from monitorgen.accounts.services import team_create
from monitorgen.rules.models import RuleVersion
from monitorgen.rules.transitions import VersionState
from tests.web.conftest import import_http_catalog, make_user

expect = playwright_sync.expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"
INTENT = "page me if checkout p99 latency is over 500ms for 10 minutes"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is not installed: run scripts/setup.sh --with-browser (or set CHROMIUM)")
    # Playwright's sync API keeps an event loop on this thread; Django would then refuse the
    # test's own (synchronous) database calls. The live server runs in its own thread.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with playwright_sync.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def people(transactional_db):
    team = team_create(slug="payments", name="Payments")
    author = make_user("alice", Role.AUTHOR, team=team)
    reviewer = make_user("bob", Role.REVIEWER, team=team)
    import_http_catalog()
    return author, reviewer


def signed_in(browser, live_server, username: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"pw-{username}")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    return page


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def nav(page, name: str):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name)


def state_badge(page):
    return page.locator(".page-head .state")


def test_an_intent_goes_from_draft_through_changes_to_approval(browser, live_server, people):
    # The author writes an intent; the result comes back in place, validated and explained.
    author = signed_in(browser, live_server, "alice")
    nav(author, "New intent").click()
    author.get_by_label("What should page or notify you?").fill(INTENT)
    author.get_by_label("Metric catalog").select_option("http-service")
    author.get_by_label("Team").select_option("payments")
    author.get_by_label("Rule group").fill("checkout")
    author.get_by_label("Service").fill("checkout")
    author.get_by_role("button", name="Generate rule").click()
    result = author.locator(".result[data-status=ok]")
    expect(result).to_be_visible()
    expect(result.locator(".explanation")).to_contain_text("99th percentile")
    expect(result.locator(".tok-function").first).to_have_text("histogram_quantile")
    expect(result.get_by_text("passed").first).to_be_visible()
    shot(author, "new-intent-result")

    result.get_by_role("button", name="Submit for review").click()
    expect(state_badge(author)).to_have_text("In review")
    expect(author.locator("#flash")).to_contain_text("Submitted v1 for review.")
    v1 = RuleVersion.objects.get(number=1)
    assert v1.state == VersionState.IN_REVIEW

    # The reviewer finds it in the queue and asks for a change.
    reviewer = signed_in(browser, live_server, "bob")
    expect(reviewer.get_by_test_id("queue-count")).to_have_text("1")
    nav(reviewer, "Review queue").click()
    shot(reviewer, "review-queue")
    reviewer.get_by_role("link", name=re.compile(r"v1$")).click()
    expect(reviewer.get_by_role("button", name="Approve")).to_be_visible()
    # Requesting changes without saying what is refused, in place, with the reason.
    reviewer.get_by_role("button", name="Request changes").click()
    expect(reviewer.locator("#flash")).to_contain_text("a comment is required")
    reviewer.get_by_label("Review comment").fill("Only page after 15 minutes, please.")
    reviewer.get_by_role("button", name="Request changes").click()
    expect(state_badge(reviewer)).to_have_text("Changes requested")
    expect(reviewer.locator(".timeline")).to_contain_text("Only page after 15 minutes, please.")
    shot(reviewer, "version-page")

    # The author refines the rule from the feedback: a new version, which they submit.
    author.reload()
    expect(state_badge(author)).to_have_text("Changes requested")
    author.get_by_label("What should change?").fill("only page after 15 minutes")
    author.get_by_role("button", name="Create new version").click()
    expect(author.get_by_role("heading", level=1)).to_contain_text("v2")
    expect(author.locator("pre.code")).to_contain_text("for: 15m")
    author.get_by_role("button", name="Submit for review").click()
    expect(state_badge(author)).to_have_text("In review")

    # The reviewer compares v2 with v1 and approves it.
    v2 = RuleVersion.objects.get(number=2)
    reviewer.goto(f"/versions/{v2.pk}/")
    reviewer.get_by_role("link", name="Compare with the previous version").click()
    expect(reviewer.locator(".diff-fields")).to_contain_text("15m")
    expect(reviewer.locator("tr.line-added")).to_have_count(1)
    shot(reviewer, "diff")
    reviewer.get_by_role("link", name=re.compile(r"^v2$")).first.click()
    reviewer.get_by_label("Review comment").fill("Good, thanks.")
    reviewer.get_by_role("button", name="Approve").click()
    expect(state_badge(reviewer)).to_have_text("Approved")
    reviewer.set_viewport_size({"width": 390, "height": 844})
    shot(reviewer, "version-page-mobile")
    v2.refresh_from_db()
    assert v2.state == VersionState.APPROVED
    assert v2.based_on_id == v1.pk


def test_the_catalog_browser_searches_metrics_as_you_type(browser, live_server, people):
    page = signed_in(browser, live_server, "alice")
    nav(page, "Catalogs").click()
    page.get_by_role("link", name="HTTP service").click()
    expect(page.locator("#metrics tbody tr")).to_have_count(2)
    page.get_by_label("Search metrics").fill("duration")
    expect(page.locator("#metrics tbody tr")).to_have_count(1)
    expect(page.locator("#metrics")).to_contain_text("http_request_duration_seconds")
    expect(page).to_have_url(re.compile(r"\?q=duration"))
    page.get_by_label("Search metrics").fill("")
    page.get_by_label("Type").select_option("counter")
    expect(page.locator("#metrics tbody tr")).to_have_count(1)
    expect(page.locator("#metrics")).to_contain_text("http_requests_total")
    page.get_by_label("Type").select_option("")
    expect(page.locator("#metrics tbody tr")).to_have_count(2)
    shot(page, "catalog-browser")
