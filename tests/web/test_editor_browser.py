"""The rule editor in headless Chromium: it loads, highlights YAML and the PromQL inside it,
completes names from the rule's catalog, and what is typed in it is saved as a new version.

Without JavaScript the plain textarea does the same job. Screenshots go to artifacts/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import playwright.sync_api as playwright_sync
import pytest

from monitorgen.accounts.models import Role
from monitorgen.accounts.services import team_create
from monitorgen.rules.models import RuleVersion
from monitorgen.rules.services import rule_version_create
from tests.web.conftest import VALID, import_http_catalog, latency_rule, make_user
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, shot, signed_in

expect = playwright_sync.expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """Headless Chromium with the same binary and flags as the review-flow browser tests."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is not installed: run scripts/setup.sh --with-browser (or set CHROMIUM)")
    # Playwright's sync API keeps an event loop on this thread; without this Django would refuse
    # the test's own (synchronous) database calls. The live server runs in its own thread.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with playwright_sync.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


NEW_EXPR = (
    'sum(rate(http_requests_total{service="checkout",code=~"5.."}[5m])) '
    '/ sum(rate(http_requests_total{service="checkout"}[5m])) > 0.05'
)


@pytest.fixture
def draft(transactional_db) -> RuleVersion:
    team = team_create(slug="payments", name="Payments")
    alice = make_user("alice", Role.AUTHOR, team=team)
    import_http_catalog()
    return rule_version_create(
        team=team,
        group="checkout",
        spec=latency_rule(),
        author=alice,
        intent="page me if checkout p99 latency is over 500ms for 10 minutes",
        provenance={"generator": "embedded", "catalog": "http-service"},
        validation=VALID,
    )


def open_version(chromium, live_server, version: RuleVersion, problems: list[str]):
    page = signed_in(chromium, live_server, "alice")
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(f"/versions/{version.pk}/")
    return page


def editor_of(page):
    return page.locator(".editor-field .cm-editor")


def completion_options(page):
    return page.locator(".cm-tooltip-autocomplete li")


def accept_completion(page) -> None:
    """Enter on the selected option. CodeMirror ignores Enter for 75 ms after the list opens or
    changes (so a fast typist does not pick by accident); a person never notices, a script does."""
    page.wait_for_timeout(200)
    page.keyboard.press("Enter")


def test_the_editor_replaces_the_textarea_and_highlights_yaml_and_promql(chromium, live_server, draft):
    problems: list[str] = []
    page = open_version(chromium, live_server, draft, problems)
    editor = editor_of(page)
    expect(editor).to_be_visible()
    expect(page.locator("textarea#id_text")).to_be_hidden()
    expect(page.get_by_role("textbox", name="Rule YAML")).to_have_attribute("contenteditable", "true")
    expect(editor.locator(".cm-lineNumbers .cm-gutterElement", has_text="1").first).to_be_visible()
    # YAML keys, and the PromQL inside `expr:` parsed as PromQL.
    expect(editor.locator(".cmt-key").first).to_have_text("alert")
    expect(editor.locator(".cmt-function").first).to_have_text("histogram_quantile")
    expect(editor.locator(".cmt-keyword", has_text="sum")).to_have_count(1)
    expect(editor.locator(".cmt-metric")).to_have_text(["http_request_duration_seconds_bucket"])
    expect(editor.locator(".cmt-label", has_text="service")).to_have_count(1)
    expect(editor.locator(".cmt-string", has_text='"checkout"')).to_have_count(1)
    expect(page.locator(".editor-keys")).to_be_visible()
    assert problems == []


def test_an_edit_typed_with_catalog_completion_becomes_a_new_version(chromium, live_server, draft):
    problems: list[str] = []
    page = open_version(chromium, live_server, draft, problems)
    content = page.get_by_role("textbox", name="Rule YAML")
    content.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(
        "alert: CheckoutHighLatency\n"
        'expr: sum(rate(http_requests_total{service="checkout",code=~"5.."}[5m])) / sum(rate(\n'
        "for: 5m\nlabels:\n  severity: critical\nannotations:\n"
        "  summary: Checkout fails.\n  description: 5xx ratio is {{ $value }}.\n"
    )
    # To the end of the expression line, where the rest of it is typed.
    page.keyboard.press("ControlOrMeta+Home")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("End")
    # A metric name from the catalog, with its type, offered while typing.
    page.keyboard.type("http_req")
    options = completion_options(page)
    expect(options.filter(has_text="http_requests_total")).to_have_count(1)
    expect(options.filter(has_text="http_requests_total")).to_contain_text("counter")
    expect(options.filter(has_text="http_request_duration_seconds_bucket")).to_contain_text(
        "histogram buckets"
    )
    shot(page, "editor")
    page.keyboard.type("uests_t")
    expect(options.first).to_contain_text("http_requests_total")
    accept_completion(page)
    # Label names of that metric, on request, inside its selector.
    page.keyboard.type("{")
    page.keyboard.press("Control+Space")
    expect(options.filter(has_text=re.compile(r"^service"))).to_have_count(1)
    expect(options.filter(has_text=re.compile(r"^le\b"))).to_have_count(0)
    page.keyboard.press("Escape")
    # Closing brackets were inserted as pairs; typing them steps over them.
    page.keyboard.type('service="checkout"}[5m])) > 0.05')
    page.keyboard.press("Escape")
    expected = page.locator("textarea#id_text").input_value()
    assert f"expr: {NEW_EXPR}\n" in expected
    assert problems == []

    page.get_by_role("button", name="Save as new version").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("v2")
    expect(page.locator("#flash")).to_contain_text("Saved your edit as v2")
    new = RuleVersion.objects.get(rule=draft.rule, number=2)
    assert new.spec["expr"] == NEW_EXPR
    assert new.spec["labels"] == {"severity": "critical"}
    assert new.based_on_id == draft.pk
    # The new version's editor starts from the saved text.
    expect(editor_of(page).locator(".cmt-metric").first).to_have_text("http_requests_total")


def test_a_refused_edit_says_why_and_keeps_what_was_typed(chromium, live_server, draft):
    problems: list[str] = []
    page = open_version(chromium, live_server, draft, problems)
    page.get_by_role("textbox", name="Rule YAML").click()
    page.keyboard.press("ControlOrMeta+Home")
    page.keyboard.press("End")
    page.keyboard.type("Now")
    page.get_by_role("button", name="Save as new version").click()
    expect(page.locator("#flash")).to_contain_text("renaming makes a different rule")
    expect(editor_of(page).locator(".cm-line").first).to_have_text("alert: CheckoutHighLatencyNow")
    assert page.locator("textarea#id_text").input_value().startswith("alert: CheckoutHighLatencyNow\n")
    assert RuleVersion.objects.filter(rule=draft.rule).count() == 1


def test_the_editor_completes_rule_keys_and_severities(chromium, live_server, draft):
    problems: list[str] = []
    page = open_version(chromium, live_server, draft, problems)
    page.get_by_role("textbox", name="Rule YAML").click()
    page.keyboard.press("ControlOrMeta+End")
    page.keyboard.type("keep_f")
    expect(completion_options(page)).to_have_count(1)
    expect(completion_options(page)).to_contain_text("keep_firing_for")
    accept_completion(page)
    page.keyboard.type("5m")
    assert page.locator("textarea#id_text").input_value().endswith("keep_firing_for: 5m")
    assert problems == []


def test_a_promql_syntax_error_is_marked_before_saving(chromium, live_server, draft):
    problems: list[str] = []
    page = open_version(chromium, live_server, draft, problems)
    page.get_by_role("textbox", name="Rule YAML").click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text("alert: CheckoutHighLatency\nexpr: sum(rate(http_requests_total[5m]) >\n")
    # An unclosed call: the mark sits where the expression stops.
    expect(editor_of(page).locator(".cm-lintPoint-error, .cm-lintRange-error").first).to_be_attached()
    assert problems == []


def test_the_editor_is_keyboard_usable(chromium, live_server, draft):
    page = open_version(chromium, live_server, draft, [])
    text = page.locator("textarea#id_text")
    page.get_by_role("textbox", name="Rule YAML").click()
    # Enter keeps the YAML indentation; a key is completed from the rule's schema.
    page.keyboard.press("ControlOrMeta+End")
    page.keyboard.press("Backspace")
    page.keyboard.press("Enter")
    page.keyboard.type("runbook_u")
    expect(completion_options(page)).to_contain_text(["runbook_url"])
    accept_completion(page)
    page.keyboard.type("https://runbooks.example/checkout")
    assert text.input_value().endswith("\n  runbook_url: https://runbooks.example/checkout")
    # Tab and Shift+Tab indent and dedent the line.
    page.keyboard.press("Tab")
    assert text.input_value().endswith("\n    runbook_url: https://runbooks.example/checkout")
    page.keyboard.press("Shift+Tab")
    assert text.input_value().endswith("\n  runbook_url: https://runbooks.example/checkout")
    # Escape then Tab leaves the editor for the next control instead of indenting.
    page.keyboard.press("Escape")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Save as new version")).to_be_focused()
    # Ctrl+Enter saves from inside the editor.
    page.get_by_role("textbox", name="Rule YAML").click()
    page.keyboard.press("ControlOrMeta+Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("v2")
    new = RuleVersion.objects.get(rule=draft.rule, number=2)
    assert new.spec["annotations"]["runbook_url"] == "https://runbooks.example/checkout"


def test_it_fits_a_phone_screen(chromium, live_server, draft):
    page = open_version(chromium, live_server, draft, [])
    page.set_viewport_size({"width": 390, "height": 844})
    expect(editor_of(page)).to_be_visible()
    editor_box = editor_of(page).bounding_box()
    assert editor_box is not None and editor_box["width"] <= 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    editor_of(page).scroll_into_view_if_needed()
    shot(page, "editor-mobile")


def test_without_javascript_the_plain_textarea_still_saves_an_edit(chromium, live_server, draft):
    context = chromium.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("pw-alice")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/versions/{draft.pk}/")
    textarea = page.get_by_role("textbox", name="Rule YAML")
    expect(textarea).to_be_visible()
    expect(page.locator(".editor-keys")).to_be_hidden()
    textarea.fill(textarea.input_value().replace("for: 10m", "for: 15m"))
    page.get_by_role("button", name="Save as new version").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("v2")
    assert RuleVersion.objects.get(rule=draft.rule, number=2).spec["for"] == "15m"
    context.close()


# --- the import page's paste box -----------------------------------------------------------------
PASTED_FILE = (
    "groups:\n"
    "  - name: checkout\n"
    "    rules:\n"
    "      - alert: CheckoutErrors\n"
    '        expr: sum(rate(http_requests_total{code=~"5.."}[5m])) > 1\n'
    "        for: 5m\n"
    "        labels:\n"
    "          severity: warning\n"
    "        annotations:\n"
    "          summary: Checkout fails.\n"
    "          description: Too many 5xx answers.\n"
)


@pytest.fixture
def importer(transactional_db):
    team = team_create(slug="payments", name="Payments")
    make_user("ivy", Role.AUTHOR, Role.REVIEWER, team=team)
    import_http_catalog()


def test_the_import_paste_box_completes_from_the_chosen_catalog(chromium, live_server, importer):
    problems: list[str] = []
    page = signed_in(chromium, live_server, "ivy")
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto("/import/")
    box = page.get_by_role("textbox", name="Or paste a rule file")
    expect(box).to_have_attribute("contenteditable", "true")
    box.click()
    page.keyboard.insert_text(PASTED_FILE.replace('http_requests_total{code=~"5.."}', ""))
    # No catalog chosen: no metric names.
    page.keyboard.press("ControlOrMeta+Home")
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("End")
    for _ in range(len("[5m])) > 1")):
        page.keyboard.press("ArrowLeft")
    page.keyboard.type("http")
    expect(completion_options(page).filter(has_text="http_requests_total")).to_have_count(0)
    page.keyboard.press("Escape")
    # With the catalog chosen, its metric names are offered.
    page.get_by_label("Check against catalog").select_option("http-service")
    box.click()
    page.keyboard.press("ControlOrMeta+Home")
    for _ in range(4):
        page.keyboard.press("ArrowDown")
    page.keyboard.press("End")
    for _ in range(len("[5m])) > 1")):
        page.keyboard.press("ArrowLeft")
    page.keyboard.press("Control+Space")
    expect(completion_options(page).filter(has_text="http_requests_total")).to_have_count(1)
    page.keyboard.type("_requests_t")
    expect(completion_options(page).first).to_contain_text("http_requests_total")
    accept_completion(page)
    page.keyboard.type('{code=~"5.."}')
    assert page.locator("textarea#id_text").input_value() == PASTED_FILE
    shot(page, "editor-import")

    page.get_by_role("button", name="Import").click()
    expect(page.locator(".import-report")).to_be_visible()
    # The panel came back through htmx; its paste box is an editor again.
    expect(page.get_by_role("textbox", name="Or paste a rule file")).to_have_attribute(
        "contenteditable", "true"
    )
    assert problems == []
