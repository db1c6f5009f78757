"""GitOps export over HTTP: targets, runs, history and archive downloads, with real git."""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path

import pytest

from monitorgen.exports.models import ExportTarget
from monitorgen.exports.services import export_target_create
from tests.api.conftest import assert_error
from tests.exports.conftest import alert, approved
from tests.git_repos import Clone, bare_repo, commit_count, files_at, remote_head
from tests.rules.conftest import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.promtool]

CHECKOUT = "rules/payments/checkout.yml"


@pytest.fixture(autouse=True)
def _private_var_dir(settings, tmp_path: Path) -> None:
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def admin(db):
    from monitorgen.accounts.models import Role

    return make_user("root", Role.ADMIN)


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    return bare_repo(tmp_path / "remote.git")


@pytest.fixture
def target(admin, remote, team) -> ExportTarget:
    return export_target_create(actor=admin, name="prod", repo_url=str(remote), team=team)


# --- targets --------------------------------------------------------------------------------------
def test_an_admin_creates_a_target_and_the_secret_stays_a_reference(client_for, admin, remote, team):
    response = client_for(admin).post("/api/exports/", {
        "name": "k8s", "repo_url": str(remote), "format": "operator",
        "format_options": {"labels": {"prometheus": "k8s"}}, "team": "payments",
        "credentials_env": "MONITORGEN_GIT_TOKEN_K8S",
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body | {"created_at": None, "updated_at": None} == {
        "name": "k8s", "repo_url": str(remote), "branch": "main",
        "path_template": "rules/{team}/{group}.yml", "format": "operator",
        "format_options": {"labels": {"prometheus": "k8s"}}, "team": "payments",
        "credentials_env": "MONITORGEN_GIT_TOKEN_K8S", "credentials_file": "", "enabled": True,
        "created_at": None, "updated_at": None,
    }


def test_a_url_with_a_password_is_refused(client_for, admin):
    response = client_for(admin).post("/api/exports/", {
        "name": "k8s", "repo_url": "https://bot:hunter2@git.example.com/rules.git",
    }, format="json")
    body = assert_error(response, 400, "invalid_input")
    assert "hunter2" not in response.content.decode() and "password" in body["message"]
    assert not ExportTarget.objects.exists()


def test_a_reviewer_cannot_create_targets(client_for, bob, remote):
    response = client_for(bob).post("/api/exports/", {"name": "x", "repo_url": str(remote)},
                                    format="json")
    assert_error(response, 403, "permission_denied")


def test_targets_are_listed_for_their_team_and_admins(client_for, target, admin, bob, dave, remote):
    export_target_create(actor=admin, name="everything", repo_url=str(remote))
    names = lambda user: [t["name"] for t in client_for(user).get("/api/exports/").json()["results"]]  # noqa: E731
    assert names(admin) == ["everything", "prod"]
    assert names(bob) == ["prod"]
    assert names(dave) == []
    assert_error(client_for(dave).get("/api/exports/prod/"), 404, "not_found")


def test_an_admin_changes_a_target_and_only_what_was_sent(client_for, target, admin):
    response = client_for(admin).patch("/api/exports/prod/", {
        "format": "thanos", "format_options": {"partial_response_strategy": "warn"},
        "team": None,
    }, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["format"], body["team"], body["branch"]) == ("thanos", None, "main")
    bad = client_for(admin).patch("/api/exports/prod/", {"format_options": {"nope": 1}},
                                  format="json")
    assert_error(bad, 400, "invalid_input")


# --- runs -----------------------------------------------------------------------------------------
def test_a_reviewer_exports_and_gets_the_run(client_for, target, remote, team, alice, bob):
    approved(team, alice, bob, alert("CheckoutErrors"))
    response = client_for(bob).post("/api/exports/prod/run/", {}, format="json")
    assert response.status_code == 200, response.content
    run = response.json()
    assert run["status"] == "committed" and run["commit"] == remote_head(remote)
    assert run["trigger"] == "api" and run["triggered_by"] == "bob"
    assert run["summary"]["added"][0]["name"] == "CheckoutErrors"
    assert run["version_count"] == 1 and len(run["versions"]) == 1
    again = client_for(bob).post("/api/exports/prod/run/", {}, format="json").json()
    assert again["status"] == "unchanged" and commit_count(remote) == 1
    history = client_for(bob).get("/api/exports/prod/runs/").json()
    assert [r["status"] for r in history["results"]] == ["unchanged", "committed"]
    detail = client_for(bob).get(f"/api/exports/runs/{run['id']}/").json()
    assert CHECKOUT in detail["diff"]


def test_a_dry_run_answers_the_diff_and_pushes_nothing(client_for, target, remote, team, alice, bob):
    approved(team, alice, bob, alert("CheckoutErrors"))
    run = client_for(bob).post("/api/exports/prod/run/", {"dry_run": True}, format="json").json()
    assert run["status"] == "previewed" and f"+++ b/{CHECKOUT}" in run["diff"]
    assert remote_head(remote) is None


def test_a_conflict_is_a_409_naming_the_file_and_the_run(
    client_for, tmp_path, target, remote, team, alice, bob
):
    other = Clone(remote, tmp_path / "other")
    other.write(CHECKOUT, "groups: []\n")
    other.commit_and_push()
    approved(team, alice, bob, alert("CheckoutErrors"))
    body = assert_error(client_for(bob).post("/api/exports/prod/run/", {}, format="json"),
                        409, "git_conflict")
    assert CHECKOUT in body["message"]
    run = client_for(bob).get(f"/api/exports/runs/{body['details']['run']}/").json()
    assert run["status"] == "failed" and run["error_code"] == "git_conflict"


def test_an_outsider_cannot_run_or_see_an_export(client_for, target, dave, alice):
    assert_error(client_for(dave).post("/api/exports/prod/run/", {}, format="json"), 404, "not_found")
    target.team.members.add(alice)
    assert_error(client_for(alice).post("/api/exports/prod/run/", {}, format="json"), 403,
                 "permission_denied")


def test_anonymous_callers_are_asked_to_authenticate(anonymous, target):
    assert_error(anonymous.post("/api/exports/prod/run/", {}, format="json"), 401,
                 "not_authenticated")


# --- archives -------------------------------------------------------------------------------------
def test_the_targets_tree_downloads_as_tar_gz_and_zip(client_for, target, team, alice, bob):
    approved(team, alice, bob, alert("CheckoutErrors"))
    response = client_for(bob).get("/api/exports/prod/archive/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/gzip"
    assert response["Content-Disposition"] == 'attachment; filename="monitorgen-prod.tar.gz"'
    with tarfile.open(fileobj=io.BytesIO(response.content), mode="r:gz") as tar:
        assert tar.getnames() == [f"monitorgen-prod/{CHECKOUT}"]
    zipped = client_for(bob).get("/api/exports/prod/archive/?kind=zip")
    assert zipped["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as archive:
        assert archive.namelist() == [f"monitorgen-prod/{CHECKOUT}"]
    assert_error(client_for(bob).get("/api/exports/prod/archive/?kind=rar"), 400, "invalid_input")


def test_a_team_downloads_its_rules_without_a_target(client_for, team, alice, bob, dave):
    approved(team, alice, bob, alert("CheckoutErrors"))
    response = client_for(alice).get("/api/exports/archive/?team=payments&rule_format=thanos")
    assert response.status_code == 200, response.content
    with tarfile.open(fileobj=io.BytesIO(response.content), mode="r:gz") as tar:
        text = tar.extractfile(f"monitorgen-payments-thanos/{CHECKOUT}").read().decode()  # type: ignore[union-attr]
    assert "partial_response_strategy: abort" in text
    assert_error(client_for(dave).get("/api/exports/archive/?team=payments"), 403,
                 "permission_denied")
    assert_error(client_for(alice).get("/api/exports/archive/?team=nope"), 404, "not_found")


def test_the_download_matches_what_was_pushed(client_for, target, remote, team, alice, bob):
    approved(team, alice, bob, alert("CheckoutErrors"))
    client_for(bob).post("/api/exports/prod/run/", {}, format="json")
    response = client_for(bob).get("/api/exports/prod/archive/")
    with tarfile.open(fileobj=io.BytesIO(response.content), mode="r:gz") as tar:
        text = tar.extractfile(f"monitorgen-prod/{CHECKOUT}").read().decode()  # type: ignore[union-attr]
    assert text == files_at(remote)[CHECKOUT]
