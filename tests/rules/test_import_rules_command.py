"""`manage.py import_rules`: files, directories and git repositories (real git and promtool)."""

from __future__ import annotations

import json
import shutil
import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from monitorgen.accounts.models import Role
from monitorgen.rules.models import RuleVersion
from monitorgen.rules.transitions import VersionState
from tests.rules.conftest import make_user
from tests.rules.test_importing import GOOD, MIXED

pytestmark = [pytest.mark.django_db, pytest.mark.promtool]

THANOS = """\
groups:
  - name: search
    partial_response_strategy: warn
    rules:
      - alert: SearchDown
        expr: up{job="search"} == 0
        labels:
          severity: critical
        annotations:
          summary: Search is down.
          description: Down.
"""


@pytest.fixture
def ivy(team):
    return make_user("ivy", Role.AUTHOR, Role.REVIEWER, team=team)


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_rules", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=cwd, check=True, capture_output=True, text=True,
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path) -> Path:
    """A git repository with rule files in two formats, a README and a hidden directory."""
    if shutil.which("git") is None:
        pytest.fail("git is not installed")
    root = tmp_path / "rules-repo"
    (root / "prometheus").mkdir(parents=True)
    (root / "thanos").mkdir()
    (root / ".github").mkdir()
    (root / "prometheus" / "checkout.yml").write_text(GOOD)
    (root / "thanos" / "search.yaml").write_text(THANOS)
    (root / ".github" / "ci.yml").write_text("on: push\n")
    (root / "README.md").write_text("rules\n")
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "add", ".")
    git(root, "commit", "--quiet", "-m", "rules")
    return root


def test_it_imports_one_file_and_prints_a_line_per_rule(team, ivy, tmp_path):
    path = tmp_path / "checkout.yml"
    path.write_text(GOOD)
    code, out, _ = run(str(path), "--user", "ivy")
    assert code == 0, out
    assert out.splitlines()[0] == "checkout.yml (prometheus)"
    assert "line 4: checkout/CheckoutDown: imported: recorded as approved baseline v1" in out
    assert out.strip().splitlines()[-1].startswith("OK: 1 file(s): 2 imported")
    assert RuleVersion.objects.filter(state=VersionState.APPROVED).count() == 2


def test_it_imports_the_good_rules_of_a_bad_file_and_exits_1(team, ivy, tmp_path):
    path = tmp_path / "payments.yml"
    path.write_text(MIXED)
    code, out, _ = run(str(path), "--user", "ivy", "--team", "payments")
    assert code == 1
    assert "line 8: payments/BrokenSyntax: invalid: could not be read (1 error)" in out
    assert "line 9: error schema: expr: expr is not valid PromQL" in out
    assert "line 10: payments/AlwaysFires: invalid: failed validation (1 error: lint/no-comparison)" in out
    assert "FAILED: 1 file(s): 2 imported" in out
    assert RuleVersion.objects.count() == 2


def test_it_imports_a_directory_recursively_with_names_relative_to_it(team, ivy, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "checkout.yml").write_text(GOOD)
    (tmp_path / "b.yaml").write_text(THANOS)
    (tmp_path / "notes.txt").write_text("not rules")
    code, out, _ = run(str(tmp_path), "--user", "ivy", "--output", "json")
    assert code == 0, out
    body = json.loads(out)
    assert [f["source"] for f in body["files"]] == ["a/checkout.yml", "b.yaml"]
    assert [f["formats"] for f in body["files"]] == [["prometheus"], ["thanos"]]
    assert body["counts"]["imported"] == 3 and body["ok"] is True


def test_it_records_the_commit_of_a_local_repository(team, ivy, repo):
    head = git(repo, "rev-parse", "HEAD")
    code, out, _ = run(str(repo), "--user", "ivy")
    assert code == 0, out
    assert f"prometheus/checkout.yml @ {head[:12]} (prometheus)" in out
    assert ".github" not in out
    provenance = RuleVersion.objects.get(rule__name="SearchDown").provenance
    assert (provenance["file"], provenance["commit"], provenance["format"]) == (
        "thanos/search.yaml", head, "thanos",
    )


def test_it_records_no_commit_for_a_file_with_uncommitted_changes(team, ivy, repo):
    (repo / "thanos" / "search.yaml").write_text(THANOS.replace("warn", "abort"))
    code, out, _ = run(str(repo / "thanos"), "--user", "ivy", "--output", "json")
    assert code == 0, out
    (file,) = json.loads(out)["files"]
    assert file["source"] == "thanos/search.yaml" and file["commit"] is None
    assert "uncommitted changes" in file["problems"][0]["message"]
    assert RuleVersion.objects.get().provenance["commit"] is None


def test_it_clones_a_repository_url_and_reads_the_branch_asked_for(team, ivy, repo):
    git(repo, "checkout", "--quiet", "-b", "next")
    (repo / "prometheus" / "checkout.yml").write_text(GOOD.replace("for: 5m", "for: 7m"))
    git(repo, "commit", "--quiet", "-am", "slower")
    next_head = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "--quiet", "main")
    main_head = git(repo, "rev-parse", "HEAD")

    code, out, _ = run(f"file://{repo}", "--user", "ivy", "--ref", "next")
    assert code == 0, out
    version = RuleVersion.objects.get(rule__name="CheckoutDown")
    assert version.provenance["commit"] == next_head and version.spec["for"] == "7m"

    code, out, _ = run(f"file://{repo}", "--user", "ivy")
    assert code == 0, out
    assert f"@ {main_head[:12]}" in out
    assert "submitted: differs from the live version: v2 is submitted for review" in out


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["/no/such/rules.yml", "--user", "ivy"], 2, "no such file, directory or repository"),
        (["{tmp}", "--user", "nobody"], 2, "no user 'nobody'"),
        (["{tmp}", "--user", "ivy", "--team", "nope"], 2, "no team 'nope'"),
        (["{tmp}", "--user", "alice"], 3, "alice cannot import rules as approved baselines"),
        (["file:///no/such/repo.git", "--user", "ivy"], 6, "git clone"),
    ],
)
def test_it_explains_bad_arguments_with_the_right_exit_code(team, ivy, alice, tmp_path, args, code, message):
    (tmp_path / "r.yml").write_text(GOOD)
    exit_code, _, err = run(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert exit_code == code and message in err, err
    assert not RuleVersion.objects.exists()


def test_it_asks_for_a_team_when_the_user_has_several(team, ivy, tmp_path):
    from monitorgen.accounts.services import team_create, team_member_add

    team_member_add(team=team_create(slug="search", name="Search"), user=ivy)
    (tmp_path / "r.yml").write_text(GOOD)
    code, _, err = run(str(tmp_path), "--user", "ivy")
    assert code == 2 and "name the team with --team" in err
