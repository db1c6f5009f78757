"""git adapter: clone, fetch, commit and push without a shell, a prompt, or a leaked secret.

Every git command runs as an argument list with a timeout (the whole process group is killed
when it expires), `GIT_TERMINAL_PROMPT=0` and no askpass program, so a remote that wants
credentials we do not have fails at once instead of waiting for a person. Hooks, signing and
`ext::` transports are switched off for our own commands.

Credentials are never part of a URL, `.git/config`, the database, logs or error messages:

- a target names them, as an environment variable (`MONITORGEN_GIT_*`) or a secrets file under
  an allowed directory (`/run/secrets`, `<VAR_DIR>/secrets`), holding `token` or
  `username:token` (for an SSH remote, the file is a private key);
- for HTTP(S) they reach git for one command only, as an `Authorization` header in the command's
  environment (`GIT_CONFIG_COUNT`), scoped to the remote's URL so a redirect elsewhere never
  receives it; for SSH as `GIT_SSH_COMMAND -i <key file>`;
- every message we raise has URLs stripped of user info and the secret replaced by `***`.

`Git.clone(url, dest, ...)` is the public way to get a copy of a remote (the importer uses it);
`Git.workspace(url, path, ...)` opens a locked, reusable clone for exports (`Workspace`).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import os
import re
import shlex
import shutil
import signal
import subprocess  # noqa: S404 - argument lists only, never a shell
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import TracebackType
from urllib.parse import urlsplit, urlunsplit

from monitorgen.core.errors import (
    ConfigurationError,
    GitAuthFailed,
    GitConflict,
    GitCredentialsMissing,
    GitError,
    GitPushRejected,
    InvalidInput,
)

DEFAULT_TIMEOUT_SECONDS = 60.0
CREDENTIALS_ENV_PREFIX = "MONITORGEN_GIT_"
DEFAULT_USERNAME = "x-access-token"  # what GitHub expects with a token; GitLab accepts any name
_URL_SCHEMES = ("https", "http", "ssh", "git", "file")
_SCP_LIKE_RE = re.compile(r"^(?:[A-Za-z0-9._-]+@)?[A-Za-z0-9.-]+:(?!//)[^\s]+$")
_USERINFO_RE = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]+@")
_BRANCH_BAD_RE = re.compile(r"(\.\.|@\{|//|[\x00-\x20\x7f~^:?*\[\\])")
_AUTH_MARKERS = (
    "authentication failed",
    "could not read username",
    "could not read password",
    "terminal prompts disabled",
    "permission denied (publickey",
    "access denied",
    "returned error: 401",
    "returned error: 403",
    "invalid username or password",
)
_MISSING_MARKERS = (
    "does not appear to be a git repository",
    "repository not found",
    "not found",
    "no such file or directory",
)
_INHERITED_BLOCKLIST = frozenset({
    "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_PREFIX", "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_SSH", "GIT_SSH_COMMAND",
})
# Settings for every command we run: no hooks, no signing, no surprise transports or prompts.
_SAFE_CONFIG = (
    "core.hooksPath=/dev/null",
    "commit.gpgSign=false",
    "tag.gpgSign=false",
    "core.autocrlf=false",
    "core.fsmonitor=false",
    "core.quotePath=false",
    "gc.auto=0",
    "maintenance.auto=false",
    "protocol.ext.allow=never",
    "protocol.fd.allow=never",
    "init.defaultBranch=main",
    "advice.detachedHead=false",
)


# --- configuration -------------------------------------------------------------------------------
def _setting(name: str, default: object) -> object:
    try:
        from django.conf import settings

        if settings.configured:
            return getattr(settings, name, default)
    except ImportError:  # pragma: no cover - Django is always installed with monitorgen
        pass
    return default


def default_timeout() -> float:
    return float(str(_setting("GIT_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)))


def default_secrets_dirs() -> tuple[Path, ...]:
    configured = _setting("GIT_SECRETS_DIRS", None)
    if isinstance(configured, str) and configured:
        return tuple(Path(p) for p in configured.split(os.pathsep) if p)
    if isinstance(configured, list | tuple) and configured:
        return tuple(Path(str(p)) for p in configured)
    var_dir = _setting("VAR_DIR", None)
    dirs = [Path("/run/secrets")]
    if var_dir is not None:
        dirs.append(Path(str(var_dir)) / "secrets")
    return tuple(dirs)


# --- remotes and branches ------------------------------------------------------------------------
def redact_url(url: str) -> str:
    """The URL without user info (user names and passwords never appear in messages)."""
    return _USERINFO_RE.sub(lambda m: m["scheme"], url)


def is_local(url: str) -> bool:
    return url.startswith(("/", "file://"))


def check_remote_url(url: str) -> str:
    """The URL, stripped, or InvalidInput: an absolute local path, file://, http(s)://, ssh://,
    git:// or scp-like `user@host:path`, and never with a password in it."""
    text = url.strip()
    if not text:
        raise InvalidInput("the repository URL must not be empty")
    if text.startswith("-") or any(ch in text for ch in "\n\r\x00"):
        raise InvalidInput("the repository URL must not start with '-' or hold line breaks")
    if text.startswith("/"):
        return text
    if "://" in text:
        parts = urlsplit(text)
        if parts.scheme.lower() not in _URL_SCHEMES:
            raise InvalidInput(
                f"repository URL scheme {parts.scheme!r} is not supported "
                f"(use one of {', '.join(_URL_SCHEMES)}, or an absolute local path)"
            )
        if parts.password is not None:
            raise InvalidInput(
                "the repository URL holds a password; never store credentials in the URL: "
                f"name an environment variable ({CREDENTIALS_ENV_PREFIX}...) or a secrets file"
            )
        if parts.scheme.lower() != "file" and not parts.hostname:
            raise InvalidInput(f"repository URL {redact_url(text)!r} has no host")
        return text
    if _SCP_LIKE_RE.match(text) and "::" not in text:
        return text
    raise InvalidInput(
        f"repository URL {redact_url(text)!r} is not a URL git can use here: give an absolute "
        "local path, file://, https://, ssh:// or user@host:path"
    )


def check_branch(name: str) -> str:
    """The branch name, or InvalidInput when git would refuse it (a subset of check-ref-format)."""
    text = name.strip()
    if (
        not text
        or text.startswith(("-", "/", "."))
        or text.endswith(("/", ".", ".lock"))
        or "/." in text
        or _BRANCH_BAD_RE.search(text)
        or text == "@"
    ):
        raise InvalidInput(
            f"branch name {name!r} is not valid in git (no spaces, '..', '~^:?*[\\', "
            "leading '-' or '/', or trailing '.lock')"
        )
    return text


# --- credentials ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Credentials:
    """A username and secret for one remote; `source` names where they came from, for messages."""

    username: str
    secret: str = field(repr=False)
    source: str
    key_file: Path | None = None  # an SSH private key instead of a token

    def redact(self, text: str) -> str:
        text = redact_url(text)
        for value in self._secret_forms():
            text = text.replace(value, "***")
        return text

    def _secret_forms(self) -> list[str]:
        if not self.secret:
            return []
        basic = base64.b64encode(f"{self.username}:{self.secret}".encode()).decode("ascii")
        return [self.secret, basic]


def _parse_secret(text: str, source: str) -> Credentials:
    value = text.strip()
    if not value:
        raise GitCredentialsMissing(f"{source} is empty: it must hold a token or username:token")
    username, sep, secret = value.partition(":")
    if not sep:
        return Credentials(username=DEFAULT_USERNAME, secret=value, source=source)
    if not username or not secret:
        raise GitCredentialsMissing(f"{source} must hold a token or username:token")
    return Credentials(username=username, secret=secret, source=source)


def check_credentials_env(name: str) -> str:
    text = name.strip()
    if text and (
        not text.startswith(CREDENTIALS_ENV_PREFIX) or not re.fullmatch(r"[A-Z0-9_]+", text)
    ):
        # Only variables meant for git: a target must not send SECRET_KEY to a remote it names.
        raise InvalidInput(
            f"credentials variable {name!r} must be an upper-case name starting with "
            f"{CREDENTIALS_ENV_PREFIX} (e.g. {CREDENTIALS_ENV_PREFIX}TOKEN_PROD)"
        )
    return text


def check_credentials_file(path: str, *, allowed_dirs: Sequence[Path] | None = None) -> str:
    text = path.strip()
    if not text:
        return text
    dirs = tuple(allowed_dirs) if allowed_dirs is not None else default_secrets_dirs()
    candidate = Path(text)
    if not candidate.is_absolute() or ".." in candidate.parts:
        raise InvalidInput(f"credentials file {text!r} must be an absolute path without '..'")
    if not any(candidate.is_relative_to(d) for d in dirs):
        # Only secrets directories: a target must not send an arbitrary server file to a remote.
        raise InvalidInput(
            f"credentials file {text!r} must be inside one of: "
            + ", ".join(str(d) for d in dirs)
        )
    return text


def load_credentials(
    *,
    env: str = "",
    file: str = "",
    url: str = "",
    environ: Mapping[str, str] | None = None,
    allowed_dirs: Sequence[Path] | None = None,
) -> Credentials | None:
    """The credentials a target names, read now; None when it names none.

    Missing or unreadable → GitCredentialsMissing naming the variable or file, never its content.
    """
    if env and file:
        raise InvalidInput("name either a credentials variable or a credentials file, not both")
    if env:
        name = check_credentials_env(env)
        value = (environ if environ is not None else os.environ).get(name)
        if value is None:
            raise GitCredentialsMissing(
                f"environment variable {name} is not set: set it to a token (or username:token) "
                "for the repository, in the environment of the monitorgen server"
            )
        return _parse_secret(value, f"environment variable {name}")
    if file:
        path = Path(check_credentials_file(file, allowed_dirs=allowed_dirs))
        try:
            content = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "unreadable"
            raise GitCredentialsMissing(f"secrets file {path} cannot be read: {reason}") from None
        if _is_ssh(url):
            if "PRIVATE KEY" not in content:
                raise GitCredentialsMissing(
                    f"secrets file {path} must hold an SSH private key for an SSH remote"
                )
            return Credentials(username="", secret="", source=f"secrets file {path}", key_file=path)
        return _parse_secret(content, f"secrets file {path}")
    return None


def _is_ssh(url: str) -> bool:
    return url.startswith("ssh://") or bool(_SCP_LIKE_RE.match(url)) and "://" not in url


def _http_scope(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path or "/", "", ""))


# --- results -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GitResult:
    returncode: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class Identity:
    name: str
    email: str


@dataclass(frozen=True)
class PushResult:
    ok: bool
    moved: bool  # the remote branch moved since our fetch: fetch, re-apply and try again
    message: str


@dataclass(frozen=True)
class Change:
    status: str  # A, M, D (git's letters)
    path: str


# --- running git ---------------------------------------------------------------------------------
class Git:
    """One git binary. Cheap to create."""

    def __init__(self, binary: str | None = None, *, timeout: float | None = None) -> None:
        self.binary = binary or str(_setting("GIT", "") or "") or shutil.which("git") or "git"
        self.timeout = timeout if timeout is not None else default_timeout()

    def _environment(self, credentials: Credentials | None, url: str | None) -> dict[str, str]:
        # Variables that would point git at another repository or inject configuration.
        env = {
            k: v for k, v in os.environ.items()
            if k not in _INHERITED_BLOCKLIST and not k.startswith(("GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_"))
        }
        env.update(
            LC_ALL="C",
            LANGUAGE="C",
            GIT_TERMINAL_PROMPT="0",
            GIT_ASKPASS="",
            SSH_ASKPASS="",
            GCM_INTERACTIVE="never",
            GIT_SSH_COMMAND="ssh -o BatchMode=yes",
        )
        if credentials is None or url is None:
            return env
        if credentials.key_file is not None:
            env["GIT_SSH_COMMAND"] = (
                f"ssh -i {shlex.quote(str(credentials.key_file))} -o IdentitiesOnly=yes "
                "-o BatchMode=yes"
            )
        elif url.startswith(("http://", "https://")):
            token = base64.b64encode(
                f"{credentials.username}:{credentials.secret}".encode()
            ).decode("ascii")
            # One command's environment, never .git/config; scoped to this remote's URL.
            env["GIT_CONFIG_COUNT"] = "1"
            env["GIT_CONFIG_KEY_0"] = f"http.{_http_scope(url)}.extraHeader"
            env["GIT_CONFIG_VALUE_0"] = f"Authorization: Basic {token}"
        return env

    def run(
        self,
        args: Sequence[str],
        *,
        cwd: Path | None = None,
        credentials: Credentials | None = None,
        url: str | None = None,
        check: bool = True,
        stdin: str | None = None,
        what: str | None = None,
    ) -> GitResult:
        """Run `git <args>`; a non-zero exit raises a GitError (unless check=False)."""
        command = [self.binary, *(f for c in _SAFE_CONFIG for f in ("-c", c)), *args]
        label = what or f"git {args[0]}"
        try:
            process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
                command,
                cwd=cwd,
                env=self._environment(credentials, url),
                stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                encoding="utf-8",
                errors="replace",
                start_new_session=True,  # so a timeout can stop git's helpers (ssh, remote-http) too
            )
        except OSError as exc:
            raise ConfigurationError(
                f"git could not be run ({self.binary}): {exc.strerror or exc}; install git"
            ) from None
        try:
            stdout, stderr = process.communicate(stdin, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            where = f" talking to {redact_url(url)}" if url else ""
            raise GitError(f"{label} timed out after {self.timeout:g}s{where}") from None
        result = GitResult(process.returncode, stdout, stderr)
        if check and result.returncode != 0:
            raise self.error(result, what=label, credentials=credentials, url=url)
        return result

    def error(
        self,
        result: GitResult,
        *,
        what: str,
        credentials: Credentials | None = None,
        url: str | None = None,
    ) -> GitError:
        """The GitError for a failed command, its output redacted and classified."""
        output = (result.stderr + result.stdout).strip()
        output = credentials.redact(output) if credentials else redact_url(output)
        lowered = output.lower()
        where = redact_url(url) if url else "the repository"
        details = {"exit_code": result.returncode, "output": output[-2000:]}
        if any(marker in lowered for marker in _AUTH_MARKERS):
            hint = (
                f"check {credentials.source}" if credentials
                else f"the remote needs credentials: name a {CREDENTIALS_ENV_PREFIX}* variable "
                "or a secrets file in the export target"
            )
            return GitAuthFailed(
                f"{what}: {where} refused authentication; {hint}", details=details
            )
        if any(marker in lowered for marker in _MISSING_MARKERS) and url:
            return GitError(
                f"{what}: {where} does not exist or is not a git repository we can reach: "
                f"{_last_line(output)}",
                details=details,
            )
        return GitError(f"{what} failed (exit {result.returncode}): {_last_line(output)}",
                        details=details)

    # --- public operations -----------------------------------------------------------------------
    def clone(
        self,
        url: str,
        dest: Path,
        *,
        branch: str | None = None,
        credentials: Credentials | None = None,
        depth: int | None = None,
    ) -> Path:
        """Clone `url` into `dest` (which must not exist or be empty) and return `dest`.

        `branch` picks the branch to check out; `depth=1` makes a shallow copy (enough to read
        files). Credentials come from `load_credentials`; nothing secret is written to disk.
        """
        remote = check_remote_url(url)
        args = ["clone", "--quiet", "--no-tags"]
        if branch:
            args += ["--branch", check_branch(branch)]
        if depth:
            args += ["--depth", str(int(depth))]
        if depth and is_local(remote) and not remote.startswith("file://"):
            remote = "file://" + remote  # --depth is ignored for plain local paths
        self.run([*args, "--", remote, str(dest)], credentials=credentials, url=remote,
                 what="git clone")
        return dest

    def workspace(
        self, url: str, path: Path, *, credentials: Credentials | None = None
    ) -> Workspace:
        """A reusable clone of `url` at `path`; use it as a context manager (it holds a lock)."""
        return Workspace(self, check_remote_url(url), path, credentials)


def _last_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    meaningful = [line for line in lines if line.startswith(("fatal:", "error:"))]
    return (meaningful or lines or ["no output"])[-1][:500]


# --- a working copy for exports ------------------------------------------------------------------
class Workspace:
    """A clone kept between exports (a cache), used by one export at a time.

    Entering takes an exclusive file lock next to the clone, so two exports never share a working
    tree, whatever database the installation uses. Every export starts from `sync`, which
    resets the clone to the remote, and ends with `reset`, so a failure leaves nothing behind.
    """

    def __init__(self, git: Git, url: str, path: Path, credentials: Credentials | None) -> None:
        self.git = git
        self.url = url
        self.path = path
        self.credentials = credentials
        self._lock_file: int | None = None

    # --- lifetime --------------------------------------------------------------------------------
    def __enter__(self) -> Workspace:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(str(self.path) + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        self._lock_file = fd
        try:
            self._ensure_repository()
        except BaseException:
            self._unlock()
            raise
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._unlock()

    def _unlock(self) -> None:
        if self._lock_file is not None:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            os.close(self._lock_file)
            self._lock_file = None

    def _git(self, *args: str, check: bool = True, stdin: str | None = None,
             remote: bool = False, what: str | None = None) -> GitResult:
        return self.git.run(
            args, cwd=self.path, check=check, stdin=stdin, what=what,
            credentials=self.credentials if remote else None,
            url=self.url if remote else None,
        )

    def _ensure_repository(self) -> None:
        if (self.path / ".git").is_dir():
            found = self._git("config", "--get", "remote.origin.url", check=False).stdout.strip()
            if found == self.url:
                return
        if self.path.exists():
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True)
        self._git("init", "--quiet")
        self._git("remote", "add", "origin", self.url)

    # --- remote state ----------------------------------------------------------------------------
    def fetch(self, branch: str) -> str | None:
        """Fetch `branch` from the remote; its commit id, or None when the remote lacks it."""
        ref = f"refs/remotes/origin/{branch}"
        result = self._git(
            "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "origin",
            f"+refs/heads/{branch}:{ref}", check=False, remote=True, what="git fetch",
        )
        if result.returncode != 0:
            if "couldn't find remote ref" in (result.stderr + result.stdout):
                self._git("update-ref", "-d", ref, check=False)
                return None
            raise self.git.error(result, what="git fetch", credentials=self.credentials,
                                 url=self.url)
        return self.rev_parse(ref)

    def fetch_default_head(self) -> str | None:
        """The commit the remote's HEAD (its default branch) points to, or None (empty remote)."""
        ref = "refs/monitorgen/remote-head"
        result = self._git("fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "origin",
                           f"+HEAD:{ref}", check=False, remote=True, what="git fetch")
        if result.returncode != 0:
            if "couldn't find remote ref" in (result.stderr + result.stdout):
                return None
            raise self.git.error(result, what="git fetch", credentials=self.credentials,
                                 url=self.url)
        return self.rev_parse(ref)

    def rev_parse(self, ref: str) -> str | None:
        result = self._git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", check=False)
        return result.stdout.strip() or None

    # --- the working tree ------------------------------------------------------------------------
    def checkout(self, branch: str, base: str | None) -> None:
        """Make `branch` the clean working tree at `base` (None: a new branch with no files)."""
        self._git("rebase", "--abort", check=False)
        self._git("merge", "--abort", check=False)
        if base is not None:
            self._git("checkout", "--quiet", "--force", "-B", branch, base)
        else:
            self._git("symbolic-ref", "HEAD", f"refs/heads/{branch}")
            self._git("update-ref", "-d", f"refs/heads/{branch}", check=False)
            self._git("read-tree", "--empty")
        self._git("clean", "-ffdxq")

    def _safe_path(self, relative: str) -> Path:
        parts = PurePosixPath(relative).parts
        if (
            not parts
            or PurePosixPath(relative).is_absolute()
            or any(p in ("", ".", "..") for p in parts)
            or parts[0] == ".git"
        ):
            raise GitError(f"refusing to touch {relative!r}: not a plain path inside the repository")
        current = self.path
        for part in parts:
            current = current / part
            if current.is_symlink():
                # A repository could point a directory at /etc; never write through a link.
                raise GitConflict(
                    f"{relative}: {current.relative_to(self.path)} is a symbolic link in the "
                    "repository; monitorgen does not write through links"
                )
        return current

    def read(self, relative: str) -> bytes | None:
        path = self._safe_path(relative)
        try:
            return path.read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    def exists(self, relative: str) -> bool:
        return self._safe_path(relative).exists()

    def write(self, relative: str, text: str) -> None:
        path = self._safe_path(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))

    def remove(self, relative: str) -> None:
        path = self._safe_path(relative)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        parent = path.parent
        # Empty directories left behind are not part of git's tree; tidy them anyway.
        while parent != self.path and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent

    def stage(self, paths: Sequence[str]) -> None:
        """Stage the paths as they are now: written, changed or deleted (untouched ones: no-op)."""
        present = [p for p in paths if (self.path / p).exists()]
        missing = [p for p in paths if p not in set(present)]
        if missing:
            # `git add` refuses a path that is neither on disk nor in the index.
            tracked = set(self._git("ls-files", "-z", "--cached").stdout.split("\0"))
            present += [p for p in missing if p in tracked]
        if present:
            self.git.run(
                ["add", "--all", "--pathspec-from-file=-", "--pathspec-file-nul"],
                cwd=self.path, stdin="\0".join(present), what="git add",
            )

    def staged_changes(self) -> list[Change]:
        result = self._git("diff", "--cached", "--name-status", "--no-renames", "-z")
        fields = [f for f in result.stdout.split("\0") if f]
        return [Change(status=fields[i], path=fields[i + 1]) for i in range(0, len(fields) - 1, 2)]

    def staged_diff(self, *, max_chars: int = 1_000_000) -> str:
        text = self._git("diff", "--cached", "--no-color", "--no-ext-diff", "--no-renames").stdout
        if len(text) > max_chars:
            return text[:max_chars] + f"\n... (diff cut at {max_chars} characters)\n"
        return text

    def commit(self, message: str, *, author: Identity, committer: Identity) -> str:
        env_args = [
            "-c", f"user.name={committer.name}", "-c", f"user.email={committer.email}",
        ]
        self._git(
            *env_args, "commit", "--quiet", "--no-verify", "--no-gpg-sign",
            f"--author={author.name} <{author.email}>", "--file=-",
            stdin=message, what="git commit",
        )
        head = self.rev_parse("HEAD")
        if head is None:  # pragma: no cover - a successful commit always has a HEAD
            raise GitError("git commit succeeded but HEAD is missing")
        return head

    def last_change(self, relative: str) -> str:
        """'<short id> <author>: <subject>' of the last commit touching a path ('' when none)."""
        result = self._git("log", "-1", "--format=%h %an: %s", "--", relative, check=False)
        return result.stdout.strip()

    # --- pushing ---------------------------------------------------------------------------------
    def push(self, branch: str) -> PushResult:
        """Push `branch` without force. A moved remote is reported (moved=True), not raised."""
        ref = f"refs/heads/{branch}"
        result = self._git("push", "--porcelain", "--no-verify", "origin", f"{ref}:{ref}",
                           check=False, remote=True, what="git push")
        output = result.stdout + result.stderr
        if result.returncode == 0:
            return PushResult(ok=True, moved=False, message=_last_line(result.stdout))
        redacted = self.credentials.redact(output) if self.credentials else redact_url(output)
        if "[rejected]" in output and ("fetch first" in output or "non-fast-forward" in output):
            return PushResult(ok=False, moved=True, message=_last_line(redacted))
        if "[remote rejected]" in output:
            remote_lines = [
                line[len("remote:"):].strip() for line in redacted.splitlines()
                if line.startswith("remote:") and line[len("remote:"):].strip()
            ]
            reason = re.search(r"\[remote rejected\] \(([^)]*)\)", redacted)
            why = reason.group(1) if reason else "rejected"
            said = f"; the remote said: {' / '.join(remote_lines)[:500]}" if remote_lines else ""
            raise GitPushRejected(
                f"{redact_url(self.url)} refused the push to {branch} ({why}){said}",
                details={"output": redacted[-2000:]},
            )
        raise self.git.error(result, what="git push", credentials=self.credentials, url=self.url)


@contextlib.contextmanager
def cloned(
    url: str, dest: Path, *, branch: str | None = None, credentials: Credentials | None = None,
    depth: int | None = 1, git: Git | None = None,
) -> Iterator[Path]:
    """Clone into `dest` for the duration of a `with` block, then remove it."""
    try:
        yield (git or Git()).clone(url, dest, branch=branch, credentials=credentials, depth=depth)
    finally:
        shutil.rmtree(dest, ignore_errors=True)


__all__ = [
    "Change",
    "Credentials",
    "Git",
    "GitResult",
    "Identity",
    "PushResult",
    "Workspace",
    "check_branch",
    "check_credentials_env",
    "check_credentials_file",
    "check_remote_url",
    "cloned",
    "load_credentials",
    "redact_url",
]
