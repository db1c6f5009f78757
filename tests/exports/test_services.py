"""GitOps export with real git: a bare repository on disk is the remote; a second clone plays
"someone else" who pushes between our fetch and our push."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile
from pathlib import Path

import pytest
import yaml

from monitorgen.core.errors import (
    Conflict,
    GitAuthFailed,
    GitConflict,
    GitCredentialsMissing,
    GitPushRejected,
    InvalidInput,
    PermissionDenied,
    ValidationFailed,
)
from monitorgen.core.formats.manifest import MANIFEST_PATH
from monitorgen.core.formats.parse import parse_rule_documents
from monitorgen.exports import services as export_services
from monitorgen.exports.models import ExportRun, RunStatus
from monitorgen.exports.services import (
    export_archive,
    export_run,
    export_target_create,
    export_target_update,
)
from monitorgen.rules.models import ReviewEvent, Rule, RuleVersion
from monitorgen.rules.transitions import Action, VersionState
from tests.exports.conftest import alert, approved, record
from tests.fakes.git_http_server import git_http_server
from tests.git_repos import (
    Clone,
    bare_repo,
    commit_count,
    files_at,
    git,
    last_author,
    last_message,
    reject_pushes,
    remote_head,
)

pytestmark = [pytest.mark.django_db, pytest.mark.promtool]

CHECKOUT = "rules/payments/checkout.yml"
SEARCH = "rules/payments/search.yml"


def manifest(remote: Path) -> dict:
    return json.loads(files_at(remote)[MANIFEST_PATH])


def working_copy_is_clean(target) -> bool:
    path = export_services.workspace_path(target)
    return git("status", "--porcelain", "--untracked-files=all", cwd=path) == ""


# --- a first export -------------------------------------------------------------------------------
def test_the_first_export_commits_each_group_as_a_file_and_records_the_run(
    target, remote, team, alice, bob
):
    v1 = approved(team, alice, bob, alert("CheckoutErrors"))
    v2 = approved(team, alice, bob, record("job:http_requests:rate5m"))
    v3 = approved(team, alice, bob, alert("SearchErrors"), group="search")
    run = export_run(target=target, actor=bob)

    assert run.status == RunStatus.COMMITTED
    assert run.commit == remote_head(remote)
    assert set(files_at(remote)) == {CHECKOUT, SEARCH, MANIFEST_PATH}
    checkout = yaml.safe_load(files_at(remote)[CHECKOUT])
    assert [r.get("record") or r.get("alert") for r in checkout["groups"][0]["rules"]] == [
        "job:http_requests:rate5m", "CheckoutErrors",
    ]
    assert sorted(run.versions) == sorted([[v.pk, v.number] for v in (v1, v2, v3)])
    assert run.summary["files_written"] == [CHECKOUT, SEARCH]
    assert {r["name"] for r in run.summary["added"]} == {
        "CheckoutErrors", "job:http_requests:rate5m", "SearchErrors",
    }
    assert run.finished_at is not None and run.triggered_by == bob
    assert working_copy_is_clean(target)


def test_the_commit_lists_each_rule_with_version_author_and_approvers(
    target, remote, team, alice, bob, carol
):
    team.approvals_required = 2
    team.save()
    version = approved(team, alice, bob, alert("CheckoutErrors"))
    assert version.state == VersionState.IN_REVIEW
    from monitorgen.rules.services import rule_version_approve

    rule_version_approve(version=version, reviewer=carol)
    bob.first_name, bob.last_name, bob.email = "Bob", "Reviewer", "bob@example.com"
    bob.save()
    run = export_run(target=target, actor=bob)
    message = last_message(remote)
    assert message.startswith("monitorgen export to prod: 1 added\n")
    assert "- payments/checkout/CheckoutErrors v1 (author alice; approved by bob, carol)" in message
    assert f"export run {run.pk}" in message
    assert last_author(remote) == "Bob Reviewer <bob@example.com>"
    assert git("log", "-1", "--format=%cn", "main", cwd=remote).strip() == "monitorgen"


def test_exported_versions_are_marked_exported_with_a_review_event(target, team, alice, bob):
    version = approved(team, alice, bob, alert("CheckoutErrors"))
    run = export_run(target=target, actor=bob)
    version.refresh_from_db()
    assert version.state == VersionState.EXPORTED
    event = ReviewEvent.objects.get(version=version, action=Action.EXPORT)
    assert event.actor == bob and f"export run {run.pk}" in event.comment


def test_only_approved_versions_are_written(target, remote, team, alice, bob):
    approved(team, alice, bob, alert("CheckoutErrors"))
    from monitorgen.rules.services import rule_version_create, rule_version_submit

    draft = rule_version_create(team=team, group="checkout", spec=alert("Draft"), author=alice)
    rule_version_submit(
        version=rule_version_create(team=team, group="checkout", spec=alert("InReview"),
                                    author=alice, validation={"ok": True}),
        actor=alice,
    )
    export_run(target=target, actor=bob)
    text = files_at(remote)[CHECKOUT]
    assert "CheckoutErrors" in text and "InReview" not in text and draft.rule.name not in text


# --- idempotence and changes ----------------------------------------------------------------------
def test_exporting_again_with_nothing_changed_makes_no_commit(target, remote, team, alice, bob):
    approved(team, alice, bob, alert("CheckoutErrors"))
    first = export_run(target=target, actor=bob)
    second = export_run(target=target, actor=bob)
    assert second.status == RunStatus.UNCHANGED
    assert second.commit == first.commit == remote_head(remote)
    assert commit_count(remote) == 1
    assert second.summary["files_written"] == []


def test_the_same_rules_give_byte_identical_files_in_a_fresh_repository(
    admin, tmp_path, target, remote, team, alice, bob
):
    approved(team, alice, bob, alert("CheckoutErrors"))
    approved(team, alice, bob, alert("SearchErrors"), group="search")
    export_run(target=target, actor=bob)
    other = bare_repo(tmp_path / "other.git")
    again = export_target_create(actor=admin, name="copy", repo_url=str(other), team=team)
    export_run(target=again, actor=bob)
    ours, theirs = files_at(remote), files_at(other)
    assert ours[CHECKOUT] == theirs[CHECKOUT] and ours[SEARCH] == theirs[SEARCH]


def test_a_new_version_changes_one_file_in_one_commit(target, remote, team, alice, bob):
    approved(team, alice, bob, alert("CheckoutErrors"))
    approved(team, alice, bob, alert("SearchErrors"), group="search")
    export_run(target=target, actor=bob)
    search_before = files_at(remote)[SEARCH]
    v2 = approved(team, alice, bob, alert("CheckoutErrors", threshold="0.1"))
    run = export_run(target=target, actor=bob)
    assert run.status == RunStatus.COMMITTED and commit_count(remote) == 2
    assert run.summary["files_written"] == [CHECKOUT]
    assert [r["name"] for r in run.summary["changed"]] == ["CheckoutErrors"]
    assert files_at(remote)[SEARCH] == search_before
    assert "> 0.1" in files_at(remote)[CHECKOUT]
    assert "Changed:\n- payments/checkout/CheckoutErrors v2 (author alice; approved by bob)" in (
        last_message(remote)
    )
    assert [v2.pk, 2] in run.versions


# --- deletion and files monitorgen does not manage ------------------------------------------------
def test_a_retired_rule_is_removed_and_an_empty_group_file_deleted(
    tmp_path, target, remote, team, alice, bob
):
    approved(team, alice, bob, alert("CheckoutErrors"))
    approved(team, alice, bob, alert("CheckoutLatency"))
    approved(team, alice, bob, alert("SearchErrors"), group="search")
    export_run(target=target, actor=bob)
    other = Clone(remote, tmp_path / "other")
    other.write("README.md", "Our rules. Hands off.\n")
    other.write("rules/payments/handwritten.yml", "groups: []\n")
    other.commit_and_push("docs")

    Rule.objects.filter(name__in=["CheckoutLatency", "SearchErrors"]).update(retired=True)
    run = export_run(target=target, actor=bob)

    files = files_at(remote)
    assert SEARCH not in files and "CheckoutLatency" not in files[CHECKOUT]
    assert files["README.md"] == "Our rules. Hands off.\n"
    assert files["rules/payments/handwritten.yml"] == "groups: []\n"
    assert run.summary["files_removed"] == [SEARCH]
    assert {r["name"] for r in run.summary["removed"]} == {"CheckoutLatency", "SearchErrors"}
    assert "Removed (retired or deleted in monitorgen):\n- payments/checkout/CheckoutLatency" in (
        last_message(remote)
    )
    assert set(manifest(remote)["targets"]["prod"]["files"]) == {CHECKOUT}


def test_when_every_rule_is_gone_the_managed_files_and_manifest_go_too(
    tmp_path, target, remote, team, alice, bob
):
    approved(team, alice, bob, alert("CheckoutErrors"))
    export_run(target=target, actor=bob)
    other = Clone(remote, tmp_path / "other")
    other.write("README.md", "kept\n")
    other.commit_and_push()
    Rule.objects.update(retired=True)
    export_run(target=target, actor=bob)
    assert files_at(remote) == {"README.md": "kept\n"}


def test_an_unmanaged_file_where_an_export_would_write_is_a_conflict(
    tmp_path, target, remote, team, alice, bob
):
    other = Clone(remote, tmp_path / "other")
    other.write(CHECKOUT, "groups: []  # written by hand\n")
    theirs = other.commit_and_push()
    approved(team, alice, bob, alert("CheckoutErrors"))
    with pytest.raises(GitConflict, match="exists in the repository but was not written by monitorgen") as info:
        export_run(target=target, actor=bob)
    assert remote_head(remote) == theirs
    run = ExportRun.objects.get(pk=info.value.details["run"])
    assert run.status == RunStatus.FAILED and run.error_code == "git_conflict"
    assert CHECKOUT in run.message
    assert working_copy_is_clean(target)
    assert RuleVersion.objects.get().state == VersionState.APPROVED


def test_a_managed_file_edited_by_hand_is_a_conflict_naming_the_commit(
    tmp_path, target, remote, team, alice, bob
):
    approved(team, alice, bob, alert("CheckoutErrors"))
    export_run(target=target, actor=bob)
    other = Clone(remote, tmp_path / "other")
    other.write(CHECKOUT, other.read(CHECKOUT) + "# tweak\n")
    theirs = other.commit_and_push("tweak the checkout alert")
    approved(team, alice, bob, alert("CheckoutErrors", threshold="0.2"))
    with pytest.raises(GitConflict, match="edited in the repository outside monitorgen") as info:
        export_run(target=target, actor=bob)
    assert "Someone Else: tweak the checkout alert" in info.value.message
    assert remote_head(remote) == theirs
    assert working_copy_is_clean(target)


def test_a_damaged_manifest_stops_the_export_with_a_clear_message(
    tmp_path, target, remote, team, alice, bob
):
    approved(team, alice, bob, alert("CheckoutErrors"))
    export_run(target=target, actor=bob)
    other = Clone(remote, tmp_path / "other")
    other.write(MANIFEST_PATH, "{ this is not json\n")
    theirs = other.commit_and_push()
    with pytest.raises(Conflict, match="damaged"):
        export_run(target=target, actor=bob)
    assert remote_head(remote) == theirs


# --- the remote moves -----------------------------------------------------------------------------
def test_when_the_remote_moves_between_fetch_and_push_the_export_reapplies_and_pushes(
    monkeypatch, tmp_path, target, remote, team, alice, bob
):
    approved(team, alice, bob, alert("CheckoutErrors"))
    export_run(target=target, actor=bob)
    other = Clone(remote, tmp_path / "other")
    moved: list[str] = []

    def someone_pushes(_target, attempt: int) -> None:
        if attempt == 1:
            other.pull()
            other.write("docs/oncall.md", "call bob\n")
            moved.append(other.commit_and_push("on-call notes"))

    monkeypatch.setattr(export_services, "BEFORE_PUSH", someone_pushes)
    approved(team, alice, bob, alert("CheckoutErrors", threshold="0.1"))
    run = export_run(target=target, actor=bob)

    assert run.status == RunStatus.COMMITTED
    assert git("rev-parse", f"{run.commit}^", cwd=remote).strip() == moved[0]
    assert files_at(remote)["docs/oncall.md"] == "call bob\n"
    assert "> 0.1" in files_at(remote)[CHECKOUT]
    assert run.base_commit == moved[0]


def test_when_the_remote_moves_with_an_edit_to_a_managed_file_nothing_is_pushed(
    monkeypatch, tmp_path, target, remote, team, alice, bob
):
    approved(team, alice, bob, alert("CheckoutErrors"))
    export_run(target=target, actor=bob)
    other = Clone(remote, tmp_path / "other")
    pushed: list[str] = []

    def someone_edits(_target, attempt: int) -> None:
        other.pull()
        other.write(CHECKOUT, other.read(CHECKOUT) + "# hand edit\n")
        pushed.append(other.commit_and_push("hand edit"))

    monkeypatch.setattr(export_services, "BEFORE_PUSH", someone_edits)
    approved(team, alice, bob, alert("CheckoutErrors", threshold="0.1"))
    with pytest.raises(GitConflict, match=CHECKOUT):
        export_run(target=target, actor=bob)
    assert remote_head(remote) == pushed[0]
    assert files_at(remote)[CHECKOUT].endswith("# hand edit\n")
    assert working_copy_is_clean(target)


def test_an_export_gives_up_when_the_remote_keeps_moving(
    monkeypatch, tmp_path, target, remote, team, alice, bob
):
    approved(team, alice, bob, alert("CheckoutErrors"))
    other = Clone(remote, tmp_path / "other")
    other.write("README.md", "0\n")
    other.commit_and_push()

    def always_moves(_target, attempt: int) -> None:
        other.write("README.md", f"{attempt}\n")
        other.commit_and_push()

    monkeypatch.setattr(export_services, "BEFORE_PUSH", always_moves)
    with pytest.raises(GitConflict, match="kept moving"):
        export_run(target=target, actor=bob)
    assert CHECKOUT not in files_at(remote)
    assert working_copy_is_clean(target)


def test_a_push_refused_by_the_remote_fails_the_run_and_exports_nothing(
    target, remote, team, alice, bob
):
    version = approved(team, alice, bob, alert("CheckoutErrors"))
    reject_pushes(remote, "rules are frozen until Monday")
    with pytest.raises(GitPushRejected, match="rules are frozen until Monday") as info:
        export_run(target=target, actor=bob)
    run = ExportRun.objects.get(pk=info.value.details["run"])
    assert run.status == RunStatus.FAILED and "frozen" in run.message
    assert remote_head(remote) is None
    version.refresh_from_db()
    assert version.state == VersionState.APPROVED
    assert working_copy_is_clean(target)


def test_a_new_branch_starts_from_the_remotes_default_branch(
    admin, tmp_path, remote, team, alice, bob
):
    other = Clone(remote, tmp_path / "other")
    other.write("README.md", "hello\n")
    other.commit_and_push()
    target = export_target_create(actor=admin, name="pr", repo_url=str(remote), team=team,
                                  branch="monitorgen/rules")
    approved(team, alice, bob, alert("CheckoutErrors"))
    export_run(target=target, actor=bob)
    assert set(files_at(remote, "monitorgen/rules")) == {"README.md", CHECKOUT, MANIFEST_PATH}
    assert files_at(remote) == {"README.md": "hello\n"}


# --- credentials ----------------------------------------------------------------------------------
def test_a_missing_credentials_variable_fails_the_run_clearly(admin, remote, team, alice, bob):
    target = export_target_create(actor=admin, name="prod", repo_url=str(remote), team=team,
                                  credentials_env="MONITORGEN_GIT_TOKEN_NOPE")
    approved(team, alice, bob, alert("CheckoutErrors"))
    with pytest.raises(GitCredentialsMissing, match="MONITORGEN_GIT_TOKEN_NOPE is not set") as info:
        export_run(target=target, actor=bob)
    run = ExportRun.objects.get(pk=info.value.details["run"])
    assert run.status == RunStatus.FAILED and run.error_code == "git_credentials_missing"


def test_an_https_remote_with_credentials_from_the_environment(
    monkeypatch, admin, tmp_path, team, alice, bob
):
    root = tmp_path / "served"
    root.mkdir()
    bare = bare_repo(root / "rules.git")
    approved(team, alice, bob, alert("CheckoutErrors"))
    with git_http_server(root, username="robot", password="s3cret-token") as server:
        target = export_target_create(actor=admin, name="prod", repo_url=server.url("rules.git"),
                                      team=team, credentials_env="MONITORGEN_GIT_TOKEN_PROD")
        monkeypatch.setenv("MONITORGEN_GIT_TOKEN_PROD", "robot:wrong-token")
        with pytest.raises(GitAuthFailed, match="environment variable MONITORGEN_GIT_TOKEN_PROD") as info:
            export_run(target=target, actor=bob)
        run = ExportRun.objects.get(pk=info.value.details["run"])
        assert "wrong-token" not in run.message
        monkeypatch.setenv("MONITORGEN_GIT_TOKEN_PROD", "robot:s3cret-token")
        assert export_run(target=target, actor=bob).status == RunStatus.COMMITTED
    assert CHECKOUT in files_at(bare)
    for path in export_services.workspace_path(target).rglob("*"):
        if path.is_file():
            assert b"s3cret-token" not in path.read_bytes()


# --- validation -----------------------------------------------------------------------------------
def test_a_tree_promtool_rejects_is_not_committed(target, remote, team, alice, bob):
    approved(team, alice, bob, alert(
        "CheckoutErrors", annotations={"summary": "x", "description": "{{ nosuchfunction }}"}
    ))
    with pytest.raises(ValidationFailed, match="promtool rejected") as info:
        export_run(target=target, actor=bob)
    problem = info.value.details["problems"][0]
    assert problem["path"] == CHECKOUT and problem["rule"] == "CheckoutErrors"
    assert "nosuchfunction" in problem["message"]
    assert remote_head(remote) is None
    assert working_copy_is_clean(target)


# --- dry run --------------------------------------------------------------------------------------
def test_a_dry_run_shows_the_diff_and_commits_nothing(target, remote, team, alice, bob):
    approved(team, alice, bob, alert("CheckoutErrors"))
    export_run(target=target, actor=bob)
    version = approved(team, alice, bob, alert("CheckoutErrors", threshold="0.1"))
    run = export_run(target=target, actor=bob, dry_run=True)
    assert run.status == RunStatus.PREVIEWED and run.commit == ""
    assert f"+++ b/{CHECKOUT}" in run.diff and "+    > 0.1" not in run.diff
    assert "> 0.1" in run.diff and "> 0.5" in run.diff
    assert commit_count(remote) == 1
    version.refresh_from_db()
    assert version.state == VersionState.APPROVED
    assert working_copy_is_clean(target)


def test_a_disabled_target_may_be_previewed_but_not_exported(admin, target, team, alice, bob):
    approved(team, alice, bob, alert("CheckoutErrors"))
    export_target_update(actor=admin, target=target, enabled=False)
    target.refresh_from_db()
    with pytest.raises(Conflict, match="disabled"):
        export_run(target=target, actor=bob)
    assert export_run(target=target, actor=bob, dry_run=True).status == RunStatus.PREVIEWED


# --- formats --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("format_name", "options"),
    [
        ("operator", {"labels": {"prometheus": "k8s", "role": "alert-rules"},
                      "namespace": "monitoring"}),
        ("mimir", {"namespace": "prod-{team}"}),
        ("thanos", {"partial_response_strategy": "warn"}),
        ("prometheus", {}),
    ],
)
def test_each_format_exports_files_that_import_back_to_the_same_rules(
    admin, remote, team, alice, bob, format_name, options
):
    specs = [alert("CheckoutErrors"), record("job:http_requests:rate5m")]
    for spec in specs:
        approved(team, alice, bob, spec)
    target = export_target_create(actor=admin, name="k8s", repo_url=str(remote), team=team,
                                  format=format_name, format_options=options,
                                  path_template="monitoring/{team}-{group}.yaml")
    assert export_run(target=target, actor=bob).status == RunStatus.COMMITTED
    text = files_at(remote)["monitoring/payments-checkout.yaml"]
    parsed = parse_rule_documents(text, source="x", format=format_name)
    assert parsed.ok, parsed.errors
    by_name = {r.rule.name: r.rule for _, r in parsed.rules()}
    assert by_name == {s.name: s for s in specs}
    document = parsed.documents[0]
    if format_name == "operator":
        assert document.labels == {"app.kubernetes.io/managed-by": "monitorgen",
                                   "prometheus": "k8s", "role": "alert-rules"}
        assert document.namespace == "monitoring"
    if format_name == "mimir":
        assert document.namespace == "prod-payments"
    if format_name == "thanos":
        assert document.group_meta[0].partial_response_strategy == "warn"
    assert export_run(target=target, actor=bob).status == RunStatus.UNCHANGED


def test_two_targets_share_a_repository_without_touching_each_others_files(
    admin, remote, team, alice, bob
):
    approved(team, alice, bob, alert("CheckoutErrors"))
    plain = export_target_create(actor=admin, name="plain", repo_url=str(remote), team=team)
    k8s = export_target_create(actor=admin, name="k8s", repo_url=str(remote), team=team,
                               format="operator", path_template="k8s/{team}/{group}.yaml")
    export_run(target=plain, actor=bob)
    export_run(target=k8s, actor=bob)
    Rule.objects.update(retired=True)
    export_run(target=plain, actor=bob)
    files = files_at(remote)
    assert CHECKOUT not in files and "k8s/payments/checkout.yaml" in files
    assert set(manifest(remote)["targets"]) == {"k8s"}
    clash = export_target_create(actor=admin, name="clash", repo_url=str(remote), team=team,
                                 path_template="k8s/{team}/{group}.yaml")
    Rule.objects.update(retired=False)
    with pytest.raises(GitConflict, match="managed by export target k8s"):
        export_run(target=clash, actor=bob)


def test_a_new_layout_moves_the_files_in_one_commit(admin, target, remote, team, alice, bob):
    approved(team, alice, bob, alert("CheckoutErrors"))
    export_run(target=target, actor=bob)
    export_target_update(actor=admin, target=target, path_template="alerts/{group}.yaml",
                         format="thanos")
    target.refresh_from_db()
    run = export_run(target=target, actor=bob)
    assert set(files_at(remote)) == {"alerts/checkout.yaml", MANIFEST_PATH}
    assert run.summary["files_removed"] == [CHECKOUT]
    assert last_message(remote).startswith("monitorgen export to prod: re-rendered 2 file(s)\n")
    assert "partial_response_strategy: abort" in files_at(remote)["alerts/checkout.yaml"]


# --- who may export -------------------------------------------------------------------------------
def test_an_author_cannot_export(target, alice):
    with pytest.raises(PermissionDenied, match="reviewer role"):
        export_run(target=target, actor=alice)


def test_a_reviewer_from_another_team_cannot_export(target, dave):
    with pytest.raises(PermissionDenied, match="not a member of team payments"):
        export_run(target=target, actor=dave)
    assert not ExportRun.objects.exists()


def test_only_an_admin_exports_a_target_for_every_team(admin, remote, team, alice, bob):
    everyone = export_target_create(actor=admin, name="all", repo_url=str(remote))
    with pytest.raises(PermissionDenied, match="admin role"):
        export_run(target=everyone, actor=bob)
    approved(team, alice, bob, alert("CheckoutErrors"))
    assert export_run(target=everyone, actor=admin).status == RunStatus.COMMITTED


# --- configuring targets --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"repo_url": "https://bob:hunter2@git.example.com/r.git"}, "holds a password"),
        ({"credentials_env": "SECRET_KEY"}, "MONITORGEN_GIT_"),
        ({"credentials_file": "/etc/shadow"}, "must be inside"),
        ({"format": "operator", "format_options": {"labels": {"a b": "c"}}}, "label key"),
        ({"path_template": "../{group}.yml"}, "'..'"),
        ({"branch": "bad branch"}, "not valid in git"),
        ({"name": "archive"}, "not archive"),
        ({"name": "Has Spaces"}, "lower-case"),
    ],
)
def test_bad_target_settings_are_refused_and_nothing_is_saved(admin, remote, fields, words):
    values = {"name": "prod", "repo_url": str(remote), **fields}
    with pytest.raises(InvalidInput, match=words):
        export_target_create(actor=admin, **values)
    from monitorgen.exports.models import ExportTarget

    assert not ExportTarget.objects.exists()


def test_only_admins_configure_targets(bob, remote, target):
    with pytest.raises(PermissionDenied, match="admin role"):
        export_target_create(actor=bob, name="mine", repo_url=str(remote))
    with pytest.raises(PermissionDenied):
        export_target_update(actor=bob, target=target, branch="x")


def test_a_target_name_is_unique(admin, remote, target):
    with pytest.raises(Conflict, match="already exists"):
        export_target_create(actor=admin, name="prod", repo_url=str(remote))


def test_updating_a_target_checks_the_result_and_keeps_the_rest(admin, target):
    updated = export_target_update(actor=admin, target=target, format="thanos",
                                   format_options={"partial_response_strategy": "warn"})
    assert (updated.format, updated.format_options, updated.branch) == (
        "thanos", {"partial_response_strategy": "warn"}, "main"
    )
    with pytest.raises(InvalidInput):
        export_target_update(actor=admin, target=target, format_options={"bad": 1})
    target.refresh_from_db()
    assert target.format_options == {"partial_response_strategy": "warn"}


# --- archives -------------------------------------------------------------------------------------
def test_the_archive_holds_the_same_tree_as_the_repository(target, remote, team, alice, bob):
    approved(team, alice, bob, alert("CheckoutErrors"))
    approved(team, alice, bob, alert("SearchErrors"), group="search")
    export_run(target=target, actor=bob)
    archive = export_archive(actor=bob, target=target)
    assert archive.filename == "monitorgen-prod.tar.gz"
    with tarfile.open(fileobj=io.BytesIO(archive.data), mode="r:gz") as tar:
        names = tar.getnames()
        contents = {n: tar.extractfile(n).read().decode() for n in names}  # type: ignore[union-attr]
    assert names == [f"monitorgen-prod/{CHECKOUT}", f"monitorgen-prod/{SEARCH}"]
    assert contents[f"monitorgen-prod/{CHECKOUT}"] == files_at(remote)[CHECKOUT]
    assert export_archive(actor=bob, target=target).data == archive.data  # byte-stable


def test_a_team_without_git_downloads_a_zip_in_any_format(team, alice, bob, dave):
    approved(team, alice, bob, alert("CheckoutErrors"))
    archive = export_archive(actor=alice, team=team, format="mimir", kind="zip")
    assert archive.filename == "monitorgen-payments-mimir.zip"
    with zipfile.ZipFile(io.BytesIO(archive.data)) as zipped:
        text = zipped.read(f"monitorgen-payments-mimir/{CHECKOUT}").decode()
    assert yaml.safe_load(text)["namespace"] == "payments"
    with pytest.raises(PermissionDenied):
        export_archive(actor=dave, team=team)
    with pytest.raises(PermissionDenied):
        export_archive(actor=alice)  # every team's rules: admins only


def test_an_archive_with_no_rules_is_refused(team, alice):
    with pytest.raises(InvalidInput, match="no approved rules"):
        export_archive(actor=alice, team=team)
