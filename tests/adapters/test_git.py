"""The git adapter against real git: bare repositories on disk, and `git http-backend` over HTTP
with Basic auth on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from monitorgen.adapters.git import (
    Credentials,
    Git,
    Identity,
    check_branch,
    check_credentials_env,
    check_credentials_file,
    check_remote_url,
    load_credentials,
    redact_url,
)
from monitorgen.core.errors import (
    GitAuthFailed,
    GitConflict,
    GitCredentialsMissing,
    GitError,
    GitPushRejected,
    InvalidInput,
)
from tests.fakes.git_http_server import git_http_server
from tests.git_repos import Clone, bare_repo, files_at, git, reject_pushes, remote_head

ME = Identity("Alice Author", "alice@example.com")
BOT = Identity("monitorgen", "monitorgen@localhost")


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    return bare_repo(tmp_path / "remote.git")


def commit_file(ws, relative: str, text: str, message: str = "add") -> str:
    ws.write(relative, text)
    ws.stage([relative])
    return ws.commit(message, author=ME, committer=BOT)


# --- URLs, branches, credentials ------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    ["/srv/git/rules.git", "file:///srv/git/rules.git", "https://git.example.com/ops/rules.git",
     "ssh://git@git.example.com/ops/rules.git", "git@github.com:ops/rules.git"],
)
def test_it_accepts_the_remote_urls_git_understands(url: str):
    assert check_remote_url(url) == url


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://bob:hunter2@git.example.com/rules.git", "password"),
        ("ext::sh -c touch% /tmp/pwned", "not a URL"),
        ("-uhack", "'-'"),
        ("ftp://git.example.com/rules.git", "not supported"),
        ("rules.git", "not a URL"),
    ],
)
def test_it_rejects_urls_that_are_unsafe_or_hold_a_password(url: str, words: str):
    with pytest.raises(InvalidInput, match=words) as info:
        check_remote_url(url)
    assert "hunter2" not in info.value.message


def test_it_strips_user_info_from_urls_in_messages():
    assert redact_url("see https://bob:hunter2@h/x.git and ssh://git@h/y") == (
        "see https://h/x.git and ssh://h/y"
    )


@pytest.mark.parametrize("name", ["main", "monitorgen/rules", "release-1.2"])
def test_it_accepts_ordinary_branch_names(name: str):
    assert check_branch(name) == name


@pytest.mark.parametrize("name", ["", "a..b", "-x", "has space", "x.lock", "a:b", "/x", "x/"])
def test_it_rejects_branch_names_git_would_refuse(name: str):
    with pytest.raises(InvalidInput):
        check_branch(name)


def test_a_missing_credentials_variable_is_a_clear_error_naming_it():
    with pytest.raises(GitCredentialsMissing, match="MONITORGEN_GIT_TOKEN_PROD is not set"):
        load_credentials(env="MONITORGEN_GIT_TOKEN_PROD", environ={})


def test_credentials_come_from_a_variable_as_token_or_user_and_token():
    token = load_credentials(env="MONITORGEN_GIT_T", environ={"MONITORGEN_GIT_T": "abc\n"})
    assert token is not None and (token.username, token.secret) == ("x-access-token", "abc")
    pair = load_credentials(env="MONITORGEN_GIT_T", environ={"MONITORGEN_GIT_T": "robot:xyz"})
    assert pair is not None and (pair.username, pair.secret) == ("robot", "xyz")
    assert "xyz" not in repr(pair)


def test_only_variables_meant_for_git_may_be_named():
    with pytest.raises(InvalidInput, match="MONITORGEN_GIT_"):
        check_credentials_env("SECRET_KEY")


def test_credentials_files_must_live_in_a_secrets_directory(tmp_path: Path):
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    (secrets / "token").write_text("robot:from-file\n")
    with pytest.raises(InvalidInput, match="must be inside"):
        check_credentials_file("/etc/passwd", allowed_dirs=[secrets])
    creds = load_credentials(file=str(secrets / "token"), allowed_dirs=[secrets])
    assert creds is not None and (creds.username, creds.secret) == ("robot", "from-file")
    with pytest.raises(GitCredentialsMissing, match="cannot be read") as info:
        load_credentials(file=str(secrets / "missing"), allowed_dirs=[secrets])
    assert "from-file" not in info.value.message


def test_secrets_are_redacted_from_any_text():
    creds = Credentials(username="robot", secret="s3cret", source="x")
    assert creds.redact("token s3cret at https://robot:s3cret@h/r") == "token *** at https://h/r"


# --- clone, commit, push --------------------------------------------------------------------------
def test_clone_copies_a_remote_branch(tmp_path: Path, remote: Path):
    other = Clone(remote, tmp_path / "other")
    other.write("README.md", "hello\n")
    other.commit_and_push()
    dest = Git().clone(str(remote), tmp_path / "copy", branch="main", depth=1)
    assert (dest / "README.md").read_text() == "hello\n"


def test_a_workspace_creates_the_branch_on_an_empty_remote_and_pushes(tmp_path: Path, remote: Path):
    with Git().workspace(str(remote), tmp_path / "ws") as ws:
        assert ws.fetch("main") is None
        assert ws.fetch_default_head() is None
        ws.checkout("main", None)
        sha = commit_file(ws, "rules/a.yml", "groups: []\n")
        assert ws.push("main").ok
    assert remote_head(remote) == sha
    assert files_at(remote) == {"rules/a.yml": "groups: []\n"}
    assert git("log", "-1", "--format=%an <%ae>|%cn", "main", cwd=remote).strip() == (
        "Alice Author <alice@example.com>|monitorgen"
    )


def test_a_new_branch_on_a_non_empty_remote_starts_from_its_default_branch(tmp_path: Path, remote: Path):
    other = Clone(remote, tmp_path / "other")
    other.write("README.md", "hello\n")
    base = other.commit_and_push()
    with Git().workspace(str(remote), tmp_path / "ws") as ws:
        assert ws.fetch("monitorgen") is None
        assert ws.fetch_default_head() == base
        ws.checkout("monitorgen", base)
        commit_file(ws, "rules/a.yml", "groups: []\n")
        assert ws.push("monitorgen").ok
    assert set(files_at(remote, "monitorgen")) == {"README.md", "rules/a.yml"}


def test_a_push_after_the_remote_moved_is_reported_as_moved_not_forced(tmp_path: Path, remote: Path):
    other = Clone(remote, tmp_path / "other")
    other.write("README.md", "v1\n")
    other.commit_and_push()
    with Git().workspace(str(remote), tmp_path / "ws") as ws:
        ws.checkout("main", ws.fetch("main"))
        other.write("README.md", "v2\n")
        theirs = other.commit_and_push()
        commit_file(ws, "rules/a.yml", "groups: []\n")
        outcome = ws.push("main")
    assert not outcome.ok and outcome.moved
    assert remote_head(remote) == theirs  # nothing was overwritten


def test_a_push_refused_by_a_hook_raises_with_the_remotes_words(tmp_path: Path, remote: Path):
    reject_pushes(remote, "pushes are frozen for the release")
    with Git().workspace(str(remote), tmp_path / "ws") as ws:
        ws.checkout("main", ws.fetch("main"))
        commit_file(ws, "rules/a.yml", "groups: []\n")
        with pytest.raises(GitPushRejected, match="frozen for the release"):
            ws.push("main")
    assert remote_head(remote) is None


def test_checkout_leaves_a_clean_tree_after_a_failed_attempt(tmp_path: Path, remote: Path):
    other = Clone(remote, tmp_path / "other")
    other.write("keep.txt", "kept\n")
    base = other.commit_and_push()
    with Git().workspace(str(remote), tmp_path / "ws") as ws:
        ws.checkout("main", ws.fetch("main"))
        commit_file(ws, "junk.yml", "x: 1\n")
        ws.write("untracked.txt", "x")
        ws.checkout("main", base)
        assert ws.rev_parse("HEAD") == base
        assert git("status", "--porcelain", cwd=ws.path) == ""
        assert not (ws.path / "untracked.txt").exists()


def test_staged_changes_and_diff_show_what_a_commit_would_do(tmp_path: Path, remote: Path):
    with Git().workspace(str(remote), tmp_path / "ws") as ws:
        ws.checkout("main", None)
        ws.write("rules/a.yml", "groups: []\n")
        ws.stage(["rules/a.yml"])
        assert [(c.status, c.path) for c in ws.staged_changes()] == [("A", "rules/a.yml")]
        assert "+groups: []" in ws.staged_diff()


def test_it_never_writes_through_a_symbolic_link_in_the_repository(tmp_path: Path, remote: Path):
    outside = tmp_path / "outside"
    outside.mkdir()
    other = Clone(remote, tmp_path / "other")
    (other.path / "rules").symlink_to(outside)
    other.commit_and_push()
    with Git().workspace(str(remote), tmp_path / "ws") as ws:
        ws.checkout("main", ws.fetch("main"))
        with pytest.raises(GitConflict, match="symbolic link"):
            ws.write("rules/a.yml", "groups: []\n")
    assert list(outside.iterdir()) == []


def test_two_workspaces_on_one_path_take_turns(tmp_path: Path, remote: Path):
    order: list[str] = []

    def use(name: str) -> None:
        with Git().workspace(str(remote), tmp_path / "ws"):
            order.append(f"{name} in")
            time.sleep(0.2)
            order.append(f"{name} out")

    threads = [threading.Thread(target=use, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert order[0].endswith("in") and order[1] == order[0].replace("in", "out")


def test_a_missing_remote_is_a_clear_error(tmp_path: Path):
    ws = Git().workspace(str(tmp_path / "nowhere.git"), tmp_path / "ws")
    with ws, pytest.raises(GitError, match="does not exist or is not a git repository"):
        ws.fetch("main")


def test_a_remote_that_does_not_answer_times_out(tmp_path: Path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)  # accepts connections, never answers
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/rules.git"
        started = time.monotonic()
        ws = Git(timeout=1.5).workspace(url, tmp_path / "ws")
        with ws, pytest.raises(GitError, match="timed out after 1.5s"):
            ws.fetch("main")
        assert time.monotonic() - started < 10
    finally:
        listener.close()


# --- credentials over HTTP ------------------------------------------------------------------------
@pytest.fixture
def http_remote(tmp_path: Path):
    root = tmp_path / "served"
    root.mkdir()
    bare_repo(root / "rules.git")
    with git_http_server(root) as server:
        yield server


def test_pushes_over_http_with_credentials_from_the_environment(tmp_path: Path, http_remote):
    creds = load_credentials(
        env="MONITORGEN_GIT_TOKEN", environ={"MONITORGEN_GIT_TOKEN": "robot:s3cret-token"}
    )
    url = http_remote.url("rules.git")
    with Git().workspace(url, tmp_path / "ws", credentials=creds) as ws:
        ws.checkout("main", ws.fetch("main"))
        commit_file(ws, "rules/a.yml", "groups: []\n")
        assert ws.push("main").ok
    assert files_at(http_remote.root / "rules.git") == {"rules/a.yml": "groups: []\n"}
    # The secret is nowhere in the clone: not in its config, not in any file git keeps.
    for path in (tmp_path / "ws" / ".git").rglob("*"):
        if path.is_file():
            assert b"s3cret-token" not in path.read_bytes(), path


def test_wrong_credentials_fail_fast_with_a_redacted_message(tmp_path: Path, http_remote):
    creds = Credentials(username="robot", secret="wrong-token", source="environment variable X")
    started = time.monotonic()
    ws = Git(timeout=20).workspace(http_remote.url("rules.git"), tmp_path / "ws",
                                   credentials=creds)
    with ws, pytest.raises(GitAuthFailed, match="refused authentication; check environment") as info:
        ws.fetch("main")
    assert time.monotonic() - started < 10  # no prompt waited for an answer
    assert "wrong-token" not in info.value.message
    assert "wrong-token" not in str(info.value.details)


def test_no_credentials_for_a_remote_that_needs_them_fails_without_prompting(tmp_path: Path, http_remote):
    ws = Git(timeout=20).workspace(http_remote.url("rules.git"), tmp_path / "ws")
    with ws, pytest.raises(GitAuthFailed, match="needs credentials"):
        ws.fetch("main")


def test_clone_over_http_uses_credentials(tmp_path: Path, http_remote):
    creds = Credentials(username="robot", secret="s3cret-token", source="test")
    dest = Git().clone(http_remote.url("rules.git"), tmp_path / "copy", credentials=creds)
    assert (dest / ".git").is_dir()
    assert "s3cret-token" not in (dest / ".git" / "config").read_text()
