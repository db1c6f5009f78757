"""`manage.py export_rules`: every enabled target or one, dry runs that print the diff, archives."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command

from monitorgen.exports.models import ExportRun
from monitorgen.exports.services import export_target_create, export_target_update
from tests.exports.conftest import alert, approved
from tests.git_repos import bare_repo, commit_count, last_author, reject_pushes, remote_head

pytestmark = [pytest.mark.django_db, pytest.mark.promtool]

CHECKOUT = "rules/payments/checkout.yml"


def run_command(*args: str) -> tuple[str, str, int]:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("export_rules", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return out.getvalue(), err.getvalue(), code


def test_a_dry_run_prints_the_diff_and_commits_nothing(target, remote, team, alice, bob):
    approved(team, alice, bob, alert("CheckoutErrors"))
    out, err, code = run_command("--target", "prod", "--dry-run")
    assert code == 0, err
    assert out.startswith("prod: dry run, nothing committed (1 added, 0 changed, 0 removed;")
    assert f"+++ b/{CHECKOUT}" in out and "+      - alert: CheckoutErrors" in out
    assert remote_head(remote) is None


def test_it_exports_every_enabled_target_as_the_system_user(
    admin, tmp_path, target, remote, team, alice, bob
):
    other = bare_repo(tmp_path / "other.git")
    export_target_create(actor=admin, name="second", repo_url=str(other), team=team)
    off = export_target_create(actor=admin, name="off", repo_url=str(bare_repo(tmp_path / "x.git")))
    export_target_update(actor=admin, target=off, enabled=False)
    approved(team, alice, bob, alert("CheckoutErrors"))
    out, err, code = run_command()
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("prod: committed ") and "1 added" in lines[0]
    assert lines[1].startswith("second: committed ")
    assert len(lines) == 2
    assert commit_count(remote) == commit_count(other) == 1
    assert last_author(remote) == "monitorgen <monitorgen@monitorgen.invalid>"
    assert ExportRun.objects.filter(trigger="cli").count() == 2
    again, _, _ = run_command("--target", "prod")
    assert again.startswith("prod: nothing changed at ")


def test_a_failing_target_reports_and_exits_with_its_code_after_the_others(
    admin, tmp_path, target, remote, team, alice, bob
):
    reject_pushes(remote)
    other = bare_repo(tmp_path / "other.git")
    export_target_create(actor=admin, name="second", repo_url=str(other), team=team)
    approved(team, alice, bob, alert("CheckoutErrors"))
    out, err, code = run_command()
    assert code == 6
    assert "prod: error [git_push_rejected]:" in err
    assert out.startswith("second: committed")


def test_it_acts_as_a_named_user(target, remote, team, alice, bob):
    approved(team, alice, bob, alert("CheckoutErrors"))
    out, err, code = run_command("--target", "prod", "--user", "bob")
    assert code == 0, err
    assert last_author(remote) == "bob <bob@monitorgen.invalid>"
    assert run_command("--user", "nobody")[2] == 2


def test_it_writes_the_target_tree_as_an_archive(tmp_path: Path, target, team, alice, bob):
    approved(team, alice, bob, alert("CheckoutErrors"))
    path = tmp_path / "rules.tar.gz"
    out, err, code = run_command("--target", "prod", "--archive", str(path))
    assert code == 0, err
    assert out == f"prod: wrote 1 file(s) to {path}\n"
    with tarfile.open(path, mode="r:gz") as tar:
        assert tar.getnames() == [f"monitorgen-prod/{CHECKOUT}"]


def test_an_unknown_target_is_a_clear_error(db):
    out, err, code = run_command("--target", "nope")
    assert code == 2 and "export target 'nope' does not exist" in err
