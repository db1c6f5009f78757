"""The web pages, through the Django test client: who sees what, and what each action does."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from monitorgen.core.generation.result import GenerationResult, Provenance, Question, Status
from monitorgen.rules.models import RuleVersion
from monitorgen.rules.services import (
    rule_version_approve,
    rule_version_create,
    rule_version_submit,
)
from monitorgen.rules.transitions import VersionState
from tests.web.conftest import VALID, import_http_catalog, latency_rule, login

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def version_url(version: RuleVersion, suffix: str = "") -> str:
    return reverse("web:version", args=[version.pk]) + suffix


def act_url(version: RuleVersion, action: str) -> str:
    return reverse("web:version-act", args=[version.pk, action])


# --- login ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    ["/", "/intents/new/", "/queue/", "/catalogs/", "/catalogs/http-service/", "/rules/1/",
     "/versions/1/", "/versions/1/diff/"],
)
def test_every_page_sends_an_anonymous_visitor_to_the_login_page(client: Client, url: str):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/login/?next={url}"


def test_an_anonymous_post_changes_nothing_and_asks_to_sign_in(client: Client, in_review):
    response = client.post(act_url(in_review, "approve"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
    in_review.refresh_from_db()
    assert in_review.state == VersionState.IN_REVIEW


def test_a_user_signs_in_with_the_login_form_and_lands_on_the_dashboard(client: Client, alice):
    page = client.get("/login/")
    assert b'<label for="id_username">' in page.content
    response = client.post("/login/", {"username": "alice", "password": "pw-alice"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_password_is_refused_with_a_message(client: Client, alice):
    response = client.post("/login/", {"username": "alice", "password": "nope"})
    assert response.status_code == 200
    assert b"did not match" in response.content


def test_signing_out_needs_a_post_and_ends_the_session(client: Client, alice):
    login(client, alice)
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


# --- dashboard and queue -------------------------------------------------------------------------
def test_the_dashboard_lists_my_drafts_and_counts_the_queue(client: Client, draft, alice, bob):
    login(client, alice)
    body = client.get("/").content.decode()
    assert "CheckoutHighLatency v1" in body
    rule_version_submit(version=draft, actor=alice)
    login(client, bob)
    body = client.get("/").content.decode()
    assert 'data-testid="queue-count">1<' in body
    assert "submitted for review" in body  # recent activity


def test_the_review_queue_shows_others_versions_but_not_my_own(client: Client, in_review, alice, bob):
    login(client, bob)
    assert "CheckoutHighLatency v1" in client.get("/queue/").content.decode()
    login(client, alice)
    assert "Nothing waits for your review" in client.get("/queue/").content.decode()


def test_the_review_queue_is_paginated(client: Client, alice, bob, team):
    for n in range(30):
        version = rule_version_create(
            team=team, group="g", spec=latency_rule(threshold=str(n + 1)), author=alice,
            validation=VALID,
        )
        rule_version_submit(version=version, actor=alice)
    login(client, bob)
    first = client.get("/queue/").content.decode()
    assert "Page 1 of 2" in first
    assert first.count('href="/versions/') == 25
    second = client.get("/queue/?page=2").content.decode()
    assert second.count('href="/versions/') == 5


# --- the version page: buttons per role ----------------------------------------------------------
def test_the_author_of_a_draft_sees_submit_but_no_review_buttons(client: Client, draft, alice):
    login(client, alice)
    body = client.get(version_url(draft)).content.decode()
    assert 'data-action="submit"' in body
    assert 'data-action="approve"' not in body
    assert 'data-action="refine"' in body
    assert 'data-action="edit"' in body


def test_a_reviewer_sees_approve_request_changes_and_reject_on_a_version_in_review(
    client: Client, in_review, bob
):
    login(client, bob)
    body = client.get(version_url(in_review)).content.decode()
    for action in ("approve", "request_changes", "reject"):
        assert f'data-action="{action}"' in body
    assert 'data-action="submit"' not in body
    assert 'data-action="refine"' not in body  # bob is no author


def test_the_author_cannot_review_their_own_version(client: Client, in_review, alice):
    login(client, alice)
    body = client.get(version_url(in_review)).content.decode()
    assert 'data-action="approve"' not in body
    assert "No workflow action is open to you" in body


def test_a_version_that_failed_validation_offers_no_approve_button(client: Client, alice, bob, team):
    invalid = {"ok": False, "steps": ["schema", "promtool"],
               "problems": [{"check": "promtool/check", "level": "error", "message": "bad expr"}]}
    version = rule_version_create(
        team=team, group="g", spec=latency_rule(), author=alice, validation=invalid
    )
    rule_version_submit(version=version, actor=alice)
    login(client, bob)
    body = client.get(version_url(version)).content.decode()
    assert 'data-action="approve"' not in body
    assert 'data-action="request_changes"' in body
    assert "promtool/check" in body and "bad expr" in body


def test_the_version_page_shows_explanation_yaml_validation_and_provenance(
    client: Client, draft, alice
):
    login(client, alice)
    body = client.get(version_url(draft)).content.decode()
    assert "99th percentile of http_request_duration_seconds" in body
    assert '<span class="tok-key">alert</span>' in body
    assert "Checks run: schema → lint → grounding → promtool" in body
    assert "<code>http_request_duration_seconds</code>" in body


def test_someone_outside_the_team_gets_404_for_its_version(client: Client, draft, dave):
    login(client, dave)
    response = client.get(version_url(draft))
    assert response.status_code == 404
    assert f"rule version {draft.pk} does not exist or is not visible to you" in response.content.decode()
    assert client.get(reverse("web:rule", args=[draft.rule_id])).status_code == 404
    assert client.get(version_url(draft, "diff/")).status_code == 404


def test_an_admin_sees_every_team(client: Client, draft, admin_user):
    login(client, admin_user)
    assert client.get(version_url(draft)).status_code == 200


# --- workflow actions ----------------------------------------------------------------------------
def test_the_author_submits_a_draft_for_review(client: Client, draft, alice):
    login(client, alice)
    response = client.post(act_url(draft, "submit"))
    assert response.status_code == 302
    assert response["Location"] == version_url(draft)
    draft.refresh_from_db()
    assert draft.state == VersionState.IN_REVIEW
    assert "Submitted v1 for review." in client.get(version_url(draft)).content.decode()


def test_a_reviewer_requests_changes_and_the_comment_joins_the_history(
    client: Client, in_review, bob
):
    login(client, bob)
    client.post(act_url(in_review, "request_changes"), {"comment": "Wait 15 minutes, please."})
    in_review.refresh_from_db()
    assert in_review.state == VersionState.CHANGES_REQUESTED
    body = client.get(version_url(in_review)).content.decode()
    assert "Wait 15 minutes, please." in body
    assert "requested changes" in body


def test_rejecting_without_a_comment_is_refused_with_the_reason_and_status_400(
    client: Client, in_review, bob
):
    login(client, bob)
    response = client.post(act_url(in_review, "reject"), {"comment": "  "})
    assert response.status_code == 400
    assert "say why: a comment is required to reject" in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.state == VersionState.IN_REVIEW


def test_an_htmx_error_is_a_message_box_retargeted_to_the_alert_region(
    client: Client, in_review, bob
):
    login(client, bob)
    response = client.post(act_url(in_review, "request_changes"), {"comment": ""}, headers=HTMX)
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#flash"
    body = response.content.decode()
    assert "say what should change: a comment is required" in body
    assert "<html" not in body


def test_an_htmx_success_redirects_the_whole_page(client: Client, in_review, bob):
    login(client, bob)
    response = client.post(act_url(in_review, "approve"), headers=HTMX)
    assert response.status_code == 204
    assert response["HX-Redirect"] == version_url(in_review)


def test_an_author_without_the_reviewer_role_gets_403_naming_the_role(
    client: Client, in_review, alice
):
    login(client, alice)
    response = client.post(act_url(in_review, "approve"))
    assert response.status_code == 403
    assert "alice cannot approve: needs the reviewer role" in response.content.decode()


def test_approving_your_own_version_gets_403_even_with_both_roles(client: Client, team):
    from monitorgen.accounts.models import Role
    from tests.web.conftest import make_user

    erin = make_user("erin", Role.AUTHOR, Role.REVIEWER, team=team)
    version = rule_version_create(team=team, group="g", spec=latency_rule(), author=erin,
                                  validation=VALID)
    rule_version_submit(version=version, actor=erin)
    login(client, erin)
    assert 'data-action="approve"' not in client.get(version_url(version)).content.decode()
    response = client.post(act_url(version, "approve"))
    assert response.status_code == 403
    assert "a second engineer must review" in response.content.decode()


def test_approving_twice_is_a_409_conflict(client: Client, in_review, bob):
    login(client, bob)
    client.post(act_url(in_review, "approve"))
    response = client.post(act_url(in_review, "approve"))
    assert response.status_code == 409
    assert "a version that is approved (allowed from: in_review)" in response.content.decode()


def test_an_unknown_action_is_404(client: Client, draft, alice):
    login(client, alice)
    assert client.post(act_url(draft, "explode")).status_code == 404


def test_a_superseded_version_offers_rollback_which_submits_its_content_again(
    client: Client, alice, bob, team
):
    v1 = rule_version_create(team=team, group="g", spec=latency_rule(), author=alice, validation=VALID)
    rule_version_submit(version=v1, actor=alice)
    rule_version_approve(version=v1, reviewer=bob)
    v2 = rule_version_create(
        team=team, group="g", spec=latency_rule(threshold="0.9"), author=alice, validation=VALID
    )
    rule_version_submit(version=v2, actor=alice)
    rule_version_approve(version=v2, reviewer=bob)
    login(client, alice)
    assert 'data-action="rollback"' in client.get(version_url(v1)).content.decode()
    response = client.post(act_url(v1, "rollback"))
    v3 = RuleVersion.objects.get(rule=v1.rule, number=3)
    assert response["Location"] == version_url(v3)
    assert v3.state == VersionState.IN_REVIEW
    assert v3.spec == v1.spec


def test_anyone_in_the_team_can_comment(client: Client, draft, carol):
    login(client, carol)
    client.post(act_url(draft, "comment"), {"comment": "Looks sensible."})
    assert "Looks sensible." in client.get(version_url(draft)).content.decode()


# --- refine and hand edit ------------------------------------------------------------------------
def fake_generation(result: GenerationResult):
    def generate(request, generator):
        return result

    return generate


def test_refining_with_feedback_creates_a_new_version_based_on_the_old(
    client: Client, draft, alice, catalog, monkeypatch
):
    revised = GenerationResult(
        status=Status.OK,
        rules=[latency_rule(for_="15m")],
        provenance=Provenance(generator="embedded", metrics_used=["http_request_duration_seconds"]),
        validation=VALID,
    )
    monkeypatch.setattr("monitorgen.rules.drafting._generate", fake_generation(revised))
    login(client, alice)
    response = client.post(
        reverse("web:version-refine", args=[draft.pk]), {"feedback": "only after 15 minutes"}
    )
    v2 = RuleVersion.objects.get(rule=draft.rule, number=2)
    assert response["Location"] == version_url(v2)
    assert v2.based_on_id == draft.pk
    assert v2.spec["for"] == "15m"


def test_refining_that_needs_clarification_shows_the_questions_and_creates_nothing(
    client: Client, draft, alice, catalog, monkeypatch
):
    unclear = GenerationResult.clarify(
        [Question(field="service", text="Which service?", candidates=("checkout", "search"))],
        provenance=Provenance(generator="embedded"),
    )
    monkeypatch.setattr("monitorgen.rules.drafting._generate", fake_generation(unclear))
    login(client, alice)
    response = client.post(
        reverse("web:version-refine", args=[draft.pk]), {"feedback": "less noisy"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "Which service?" in response.content.decode()
    assert RuleVersion.objects.filter(rule=draft.rule).count() == 1


HAND_EDIT = (
    "alert: CheckoutHighLatency\n"
    "expr: histogram_quantile(0.99, sum by (le) "
    '(rate(http_request_duration_seconds_bucket{service="checkout"}[5m]))) > 0.8\n'
    "for: 10m\nlabels:\n  severity: critical\n"
    "annotations:\n  summary: Checkout is slow.\n  description: p99 is {{ $value }}s.\n"
)


def test_a_hand_edit_that_renames_the_rule_is_refused_with_the_reason(
    client: Client, draft, alice, catalog
):
    login(client, alice)
    text = HAND_EDIT.replace("CheckoutHighLatency", "CheckoutSlow")
    response = client.post(reverse("web:version-edit", args=[draft.pk]), {"text": text})
    assert response.status_code == 400
    assert "renaming makes a different rule" in response.content.decode()


def test_a_hand_edit_becomes_a_new_validated_version(client: Client, draft, alice, catalog):
    login(client, alice)
    response = client.post(reverse("web:version-edit", args=[draft.pk]), {"text": HAND_EDIT})
    v2 = RuleVersion.objects.get(rule=draft.rule, number=2)
    assert response["Location"] == version_url(v2)
    assert v2.provenance["generator"] == "manual"
    assert "0.8" in v2.yaml
    assert v2.validation["steps"]  # the pipeline ran


# --- the new-intent page -------------------------------------------------------------------------
def intent_form(**overrides: str) -> dict[str, str]:
    return {
        "intent": "page me if checkout p99 latency is over 500ms for 10 minutes",
        "catalog": "http-service",
        "team": "payments",
        "group": "checkout",
        "service": "",
        "environment": "",
        **overrides,
    }


def test_the_intent_form_offers_catalogs_and_my_teams_with_labels(client: Client, alice, catalog):
    login(client, alice)
    body = client.get("/intents/new/").content.decode()
    assert '<option value="http-service">HTTP service (http-service)</option>' in body
    assert '<option value="payments">Payments</option>' in body
    for name in ("intent", "catalog", "team", "group", "service", "environment"):
        assert f'for="id_{name}"' in body
    assert "Generating and validating…" in body
    assert 'hx-post="/intents/new/"' in body


def test_an_intent_becomes_a_draft_with_explanation_yaml_validation_and_provenance(
    client: Client, alice, catalog
):
    login(client, alice)
    response = client.post("/intents/new/", intent_form(), headers=HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    version = RuleVersion.objects.get()
    assert version.state == VersionState.DRAFT
    assert f'href="/versions/{version.pk}/"' in body
    assert "99th percentile" in body
    assert '<span class="tok-function">histogram_quantile</span>' in body
    assert "Validation" in body and "passed" in body
    assert "Generator</dt><dd>embedded" in body
    assert "<html" not in body  # htmx gets the panel only


def test_an_unclear_intent_asks_questions_whose_answers_are_posted_back(
    client: Client, alice, catalog, monkeypatch
):
    login(client, alice)
    body = client.post("/intents/new/", intent_form(intent="alert on errors")).content.decode()
    assert "Which metric measures what you mean by" in body
    assert 'name="answer-metric" value="http_requests_total"' in body
    assert RuleVersion.objects.count() == 0
    # The answer travels back as `answers`; whatever the generator makes of it, it got it.
    seen: dict[str, str] = {}

    def spy(request, generator):
        seen.update(request.answers)
        return GenerationResult.error("stop here", provenance=Provenance(generator="embedded"))

    monkeypatch.setattr("monitorgen.rules.drafting._generate", spy)
    answered = intent_form(intent="alert on errors", **{"answer-metric": "http_requests_total"})
    response = client.post("/intents/new/", answered)
    assert seen == {"metric": "http_requests_total"}
    assert response.status_code == 422
    assert "stop here" in response.content.decode()


def test_an_empty_intent_is_a_form_error_with_status_400(client: Client, alice, catalog):
    login(client, alice)
    response = client.post("/intents/new/", intent_form(intent=""))
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_an_author_cannot_write_for_a_team_they_are_not_in(client: Client, alice, catalog):
    from monitorgen.accounts.services import team_create

    team_create(slug="search", name="Search")
    login(client, alice)
    response = client.post("/intents/new/", intent_form(team="search"))
    assert response.status_code == 400  # not a choice for alice
    assert RuleVersion.objects.count() == 0


def test_a_reviewer_without_the_author_role_is_told_why_they_cannot_write(
    client: Client, bob, catalog
):
    login(client, bob)
    response = client.post("/intents/new/", intent_form())
    assert response.status_code == 403
    assert "needs the author role" in response.content.decode()


# --- rule page and diff --------------------------------------------------------------------------
def test_the_rule_page_lists_versions_newest_first(client: Client, draft, alice, team):
    rule_version_create(team=team, group="checkout", spec=latency_rule(threshold="0.7"),
                        author=alice, validation=VALID)
    login(client, alice)
    body = client.get(reverse("web:rule", args=[draft.rule_id])).content.decode()
    assert body.index(">v2<") < body.index(">v1<")


def test_the_diff_shows_changed_fields_added_and_removed_lines_and_both_explanations(
    client: Client, draft, alice, team
):
    v2 = rule_version_create(team=team, group="checkout", spec=latency_rule(threshold="0.7", for_="15m"),
                             author=alice, validation=VALID, based_on=draft)
    login(client, alice)
    body = client.get(version_url(v2, "diff/")).content.decode()
    assert "<code>for</code>" in body and "<code>10m</code>" in body and "<code>15m</code>" in body
    assert 'class="line-added"' in body and 'class="line-removed"' in body
    assert "stays above 0.5 s for 10 minutes" in body
    assert "stays above 0.7 s for 15 minutes" in body


def test_the_first_version_has_nothing_to_compare_with(client: Client, draft, alice):
    login(client, alice)
    response = client.get(version_url(draft, "diff/"))
    assert response.status_code == 400
    assert "nothing to compare" in response.content.decode()


def test_diffing_against_a_missing_version_number_is_404(client: Client, draft, alice):
    login(client, alice)
    assert client.get(version_url(draft, "diff/?against=9")).status_code == 404
    assert client.get(version_url(draft, "diff/?against=x")).status_code == 400


# --- catalog browser -----------------------------------------------------------------------------
def test_the_catalog_list_links_every_catalog(client: Client, alice, catalog):
    login(client, alice)
    body = client.get("/catalogs/").content.decode()
    assert 'href="/catalogs/http-service/"' in body
    assert "2 metrics" in body


def test_metrics_are_searched_by_name_help_and_type(client: Client, alice, catalog):
    login(client, alice)
    by_name = client.get("/catalogs/http-service/?q=duration").content.decode()
    assert "http_request_duration_seconds" in by_name and "http_requests_total" not in by_name
    by_help = client.get("/catalogs/http-service/?q=finished").content.decode()
    assert "http_requests_total" in by_help and "http_request_duration_seconds" not in by_help
    by_type = client.get("/catalogs/http-service/?type=counter").content.decode()
    assert "http_requests_total" in by_type and "http_request_duration_seconds" not in by_type
    partial = client.get("/catalogs/http-service/?q=total", headers=HTMX).content.decode()
    assert partial.startswith('<section id="metrics"')


def test_an_unknown_catalog_is_404_with_its_name(client: Client, alice):
    login(client, alice)
    response = client.get("/catalogs/nope/")
    assert response.status_code == 404
    assert "no catalog &#x27;nope&#x27;" in response.content.decode()


# --- untrusted text is escaped -------------------------------------------------------------------
SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_a_catalog_help_string_is_shown_escaped(client: Client, alice):
    import_http_catalog(
        metrics=[{"name": "evil_total", "type": "counter", "help": SCRIPT, "labels": ["job"]}]
    )
    login(client, alice)
    body = client.get("/catalogs/http-service/").content.decode()
    assert SCRIPT not in body
    assert ESCAPED in body


def test_intent_annotations_and_comments_are_shown_escaped(client: Client, alice, bob, team):
    from monitorgen.core.spec import AlertingRule
    from monitorgen.rules.services import rule_version_comment

    spec = AlertingRule.model_validate(
        {**latency_rule().model_dump(by_alias=True), "annotations": {"summary": SCRIPT, "description": "x"}}
    )
    version = rule_version_create(team=team, group="g", spec=spec, author=alice, intent=SCRIPT,
                                  validation=VALID)
    rule_version_comment(version=version, actor=bob, comment=SCRIPT)
    login(client, bob)
    body = client.get(version_url(version)).content.decode()
    assert SCRIPT not in body
    assert body.count(ESCAPED) >= 3  # intent, YAML annotation, comment
