"""Real git repositories for tests: a bare repository as the remote, and clones of it that act
as "someone else" (they commit and push on their own)."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

IDENTITY = {
    "GIT_AUTHOR_NAME": "Someone Else",
    "GIT_AUTHOR_EMAIL": "someone@example.com",
    "GIT_COMMITTER_NAME": "Someone Else",
    "GIT_COMMITTER_EMAIL": "someone@example.com",
}


def git(*args: str, cwd: Path | None = None, check: bool = True) -> str:
    env = {**os.environ, **IDENTITY, "GIT_TERMINAL_PROMPT": "0"}
    completed = subprocess.run(
        ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgSign=false", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=30, check=False,
    )
    if check and completed.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {completed.stderr}{completed.stdout}")
    return completed.stdout


def bare_repo(path: Path) -> Path:
    """An empty bare repository (the remote)."""
    git("init", "--quiet", "--bare", str(path))
    return path


class Clone:
    """A clone of the remote that commits and pushes as 'Someone Else'."""

    def __init__(self, remote: Path, path: Path, branch: str = "main") -> None:
        self.path = path
        self.branch = branch
        git("clone", "--quiet", str(remote), str(path))
        git("checkout", "--quiet", "-B", branch, cwd=path)

    def pull(self) -> None:
        git("fetch", "--quiet", "origin", cwd=self.path)
        git("reset", "--quiet", "--hard", f"origin/{self.branch}", cwd=self.path)

    def write(self, relative: str, text: str) -> None:
        target = self.path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def read(self, relative: str) -> str | None:
        target = self.path / relative
        return target.read_text(encoding="utf-8") if target.exists() else None

    def commit_and_push(self, message: str = "a change by someone else") -> str:
        git("add", "--all", cwd=self.path)
        git("commit", "--quiet", "-m", message, cwd=self.path)
        git("push", "--quiet", "origin", f"HEAD:refs/heads/{self.branch}", cwd=self.path)
        return self.head()

    def head(self) -> str:
        return git("rev-parse", "HEAD", cwd=self.path).strip()


def remote_head(remote: Path, branch: str = "main") -> str | None:
    out = git("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", cwd=remote, check=False)
    return out.strip() or None


def commit_count(remote: Path, branch: str = "main") -> int:
    if remote_head(remote, branch) is None:
        return 0
    return int(git("rev-list", "--count", f"refs/heads/{branch}", cwd=remote).strip())


def last_message(remote: Path, branch: str = "main") -> str:
    return git("log", "-1", "--format=%B", f"refs/heads/{branch}", cwd=remote)


def last_author(remote: Path, branch: str = "main") -> str:
    return git("log", "-1", "--format=%an <%ae>", f"refs/heads/{branch}", cwd=remote).strip()


def files_at(remote: Path, branch: str = "main") -> dict[str, str]:
    """Every file on the remote branch and its text."""
    if remote_head(remote, branch) is None:
        return {}
    names = git("ls-tree", "-r", "--name-only", "-z", f"refs/heads/{branch}", cwd=remote)
    return {
        name: git("show", f"refs/heads/{branch}:{name}", cwd=remote)
        for name in names.split("\0")
        if name
    }


def reject_pushes(remote: Path, message: str = "pushes are frozen for the release") -> None:
    """A pre-receive hook in the bare repository that refuses every push."""
    hook = remote / "hooks" / "pre-receive"
    hook.write_text(f"#!/bin/sh\necho '{message}' >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
