"""The admin site configures export targets through the services' checks, and shows runs."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from monitorgen.exports.models import ExportTarget
from monitorgen.exports.services import export_run
from tests.exports.conftest import alert, approved

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db) -> Client:
    client = Client()
    client.force_login(User.objects.create_superuser("boss", "boss@example.com", "pw-boss-123"))
    return client


def form(remote, **overrides):
    data = {"name": "prod", "repo_url": str(remote), "branch": "main",
            "path_template": "rules/{team}/{group}.yml", "format": "prometheus",
            "format_options": "{}", "credentials_env": "", "credentials_file": "", "enabled": "on"}
    return {**data, **overrides}


def test_an_admin_adds_a_target_in_the_admin_site(staff, remote):
    response = staff.post("/admin/exports/exporttarget/add/", form(remote))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ExportTarget.objects.get().repo_url == str(remote)


def test_the_admin_form_shows_the_services_objection(staff):
    response = staff.post("/admin/exports/exporttarget/add/",
                          form("https://bot:hunter2@git.example.com/r.git"))
    assert response.status_code == 200
    assert b"holds a password" in response.content
    assert not ExportTarget.objects.exists()


@pytest.mark.promtool
def test_runs_are_listed_and_shown_read_only(staff, target, team, alice, bob):
    approved(team, alice, bob, alert("CheckoutErrors"))
    run = export_run(target=target, actor=bob)
    assert staff.get("/admin/exports/exportrun/").status_code == 200
    page = staff.get(f"/admin/exports/exportrun/{run.pk}/change/")
    assert page.status_code == 200 and run.commit.encode() in page.content
    assert staff.get("/admin/exports/exporttarget/").status_code == 200
    assert staff.get(f"/admin/exports/exporttarget/{target.pk}/change/").status_code == 200
