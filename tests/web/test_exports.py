"""The export pages through the Django test client, with real git behind them."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from django.test import Client

from monitorgen.accounts.models import Role
from monitorgen.exports.models import ExportRun, ExportTarget
from monitorgen.exports.services import export_target_create
from tests.exports.conftest import alert, approved
from tests.git_repos import Clone, bare_repo, commit_count, remote_head
from tests.web.conftest import login, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.promtool]

CHECKOUT = "rules/payments/checkout.yml"


@pytest.fixture(autouse=True)
def _private_var_dir(settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    return bare_repo(tmp_path / "remote.git")


@pytest.fixture
def target(db, remote, team) -> ExportTarget:
    admin = make_user("root", Role.ADMIN)
    return export_target_create(actor=admin, name="prod", repo_url=str(remote), team=team)


@pytest.mark.parametrize(
    "url", ["/exports/", "/exports/prod/", "/exports/runs/1/", "/exports/prod/archive/",
            "/exports/archive/"],
)
def test_every_export_page_sends_an_anonymous_visitor_to_the_login_page(client: Client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_the_exports_page_lists_the_targets_of_the_viewers_team(client: Client, target, bob, dave):
    page = login(client, bob).get("/exports/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="/exports/prod/"' in html and 'aria-current="page">Exports</a>' in html
    assert "/exports/prod/" not in login(Client(), dave).get("/exports/").content.decode()


def test_a_reviewer_exports_from_the_target_page_and_sees_the_run(
    client: Client, target, remote, team, alice, bob
):
    approved(team, alice, bob, alert("CheckoutErrors"))
    login(client, bob)
    assert b"Export now" in client.get("/exports/prod/").content
    response = client.post("/exports/prod/run/")
    run = ExportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/runs/{run.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Exported: pushed commit" in page
    assert "payments / checkout / CheckoutErrors v1" in page
    assert "monitorgen export to prod: 1 added" in page
    assert run.commit == remote_head(remote) and run.trigger == "web"


def test_a_dry_run_shows_the_diff_and_pushes_nothing(client: Client, target, remote, team, alice, bob):
    approved(team, alice, bob, alert("CheckoutErrors"))
    login(client, bob)
    response = client.post("/exports/prod/run/", {"dry_run": "1"}, follow=True)
    html = response.content.decode()
    assert "Dry run: this is what an export would commit" in html
    assert f'<tr class="line-file"><td class="text"><code>+++ b/{CHECKOUT}</code>' in html
    assert '<tr class="line-added"><td class="text"><code>+  - name: checkout</code>' in html
    assert remote_head(remote) is None


def test_a_failed_export_shows_what_went_wrong_on_its_run_page(
    client: Client, tmp_path, target, remote, team, alice, bob
):
    other = Clone(remote, tmp_path / "other")
    other.write(CHECKOUT, "groups: []\n")
    other.commit_and_push()
    approved(team, alice, bob, alert("CheckoutErrors"))
    response = login(client, bob).post("/exports/prod/run/", follow=True)
    html = response.content.decode()
    assert "The export failed:" in html and "What went wrong" in html
    assert "was not written by monitorgen" in html
    assert commit_count(remote) == 1


def test_an_author_gets_no_export_button_and_cannot_export(client: Client, target, alice):
    login(client, alice)
    assert b"Export now" not in client.get("/exports/prod/").content
    response = client.post("/exports/prod/run/")
    assert response.status_code == 403
    assert b"reviewer role" in response.content
    assert not ExportRun.objects.exists()


def test_the_target_tree_downloads_as_an_archive(client: Client, target, team, alice, bob):
    approved(team, alice, bob, alert("CheckoutErrors"))
    response = login(client, bob).get("/exports/prod/archive/")
    assert response.status_code == 200 and response["Content-Type"] == "application/gzip"
    with tarfile.open(fileobj=io.BytesIO(response.content), mode="r:gz") as tar:
        assert tar.getnames() == [f"monitorgen-prod/{CHECKOUT}"]


def test_a_team_without_git_downloads_its_rules_from_the_exports_page(
    client: Client, team, alice, bob
):
    approved(team, alice, bob, alert("CheckoutErrors"))
    login(client, alice)
    assert b'name="rule_format"' in client.get("/exports/").content
    response = client.get("/exports/archive/", {"team": "payments", "rule_format": "mimir",
                                                "kind": "zip"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert client.get("/exports/archive/", {"team": "nope"}).status_code == 400
