"""promtool adapter: `check rules` and `test rules` on files, with output mapped back to rules.

promtool writes one line per problem to stderr, e.g.
    rules.yml: 7:15: group "g1", rule 2, "B": could not parse expression: ...
    rules.yml: group "g2", rule 1, "C": label "foo": template: ...
    rules.yml: 6:5: groupname: "g1" is repeated in the same file
    rules.yml: yaml: line 3: did not find expected node content
Each line becomes a `PromtoolIssue` naming its file, line, group and 1-based rule index.
Missing binary → PromtoolUnavailable; timeout or output we cannot read → PromtoolError.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess  # noqa: S404 - argument lists only, never a shell
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitorgen.core.errors import PromtoolError, PromtoolUnavailable

INSTALL_HINT = (
    "install it with `apt-get install prometheus` (Debian/Ubuntu) or `brew install prometheus` "
    "(macOS), or set PROMTOOL to its path"
)
DEFAULT_TIMEOUT_SECONDS = 30.0
_ISSUE_RE = re.compile(
    r"^(?:(?P<line>\d+):(?P<col>\d+): )?"
    r'(?:group "(?P<group>(?:[^"\\]|\\.)*)", rule (?P<index>\d+), "(?P<rule>(?:[^"\\]|\\.)*)": )?'
    r"(?P<message>.*)$"
)
_YAML_LINE_RE = re.compile(r"^yaml: line (\d+):")
_NOISE = ("Checking ", "SUCCESS", "FAILED", "Unit Testing")


@dataclass(frozen=True)
class PromtoolIssue:
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    group: str | None = None
    rule_index: int | None = None  # 1-based, as promtool counts
    rule_name: str | None = None


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    exit_code: int
    issues: tuple[PromtoolIssue, ...]
    files: tuple[str, ...]
    output: str
    seconds: float


@dataclass(frozen=True)
class TestResult:
    ok: bool
    exit_code: int
    output: str
    seconds: float


def _unquote(text: str | None) -> str | None:
    if text is None:
        return None
    try:
        value = json.loads(f'"{text}"')  # promtool quotes names Go-style (%q), close to JSON
    except ValueError:
        return text
    return value if isinstance(value, str) else text


def parse_check_output(output: str, files: Sequence[str]) -> tuple[PromtoolIssue, ...]:
    """Issues from `promtool check rules` output; `files` are the paths given to promtool."""
    # Longest first so that `a.yml.bak` is not read as `a.yml`.
    known = sorted({str(f) for f in files}, key=len, reverse=True)
    issues: list[PromtoolIssue] = []
    seen: set[str] = set()
    for raw in output.splitlines():
        line = raw.strip()
        if not line or line.startswith(_NOISE) or line in seen:
            continue
        seen.add(line)  # promtool repeats YAML errors
        file = next((f for f in known if line.startswith(f + ": ")), None)
        rest = line[len(file) + 2 :] if file else line
        match = _ISSUE_RE.match(rest)
        if match is None:  # pragma: no cover - the pattern matches any text
            continue
        line_no = int(match["line"]) if match["line"] else None
        yaml_line = _YAML_LINE_RE.match(match["message"])
        if yaml_line and line_no is None:
            line_no = int(yaml_line.group(1))
        issues.append(
            PromtoolIssue(
                message=match["message"],
                file=file,
                line=line_no,
                column=int(match["col"]) if match["col"] else None,
                group=_unquote(match["group"]),
                rule_index=int(match["index"]) if match["index"] else None,
                rule_name=_unquote(match["rule"]),
            )
        )
    return tuple(issues)


def _default_path() -> str | None:
    configured: str | None = None
    try:
        from django.conf import settings

        if settings.configured:
            configured = getattr(settings, "PROMTOOL", None) or None
    except ImportError:  # pragma: no cover - Django is always installed with monitorgen
        configured = None
    return configured or os.environ.get("PROMTOOL") or shutil.which("promtool")


def _default_timeout() -> float:
    try:
        from django.conf import settings

        if settings.configured:
            return float(getattr(settings, "PROMTOOL_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))
    except ImportError:  # pragma: no cover
        pass
    return DEFAULT_TIMEOUT_SECONDS


_VERSIONS: dict[str, str] = {}


class PendingCheck:
    """A running `promtool check rules`; lets callers do other work while promtool runs."""

    def __init__(
        self, process: subprocess.Popen[str], files: tuple[str, ...], timeout: float,
        started: float, cleanup: tempfile.TemporaryDirectory[str] | None = None,
    ) -> None:
        self._process = process
        self._files = files
        self._timeout = timeout
        self._started = started
        self._cleanup = cleanup

    @property
    def files(self) -> tuple[str, ...]:
        return self._files

    def cancel(self) -> None:
        """Stop promtool and remove temporary files (when the caller gives up on the result)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.communicate()
        if self._cleanup is not None:
            self._cleanup.cleanup()

    def result(self) -> CheckResult:
        remaining = max(0.0, self._timeout - (time.perf_counter() - self._started))
        try:
            stdout, stderr = self._process.communicate(timeout=remaining)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.communicate()
            raise PromtoolError(
                f"promtool check rules timed out after {self._timeout:g}s",
                details={"files": list(self._files)},
            ) from None
        finally:
            if self._cleanup is not None:
                self._cleanup.cleanup()
        output = stderr + stdout
        code = self._process.returncode
        issues = parse_check_output(output, self._files)
        if code != 0 and not issues:
            raise PromtoolError(
                f"promtool check rules failed (exit {code}) with output we cannot read: "
                f"{output.strip()[:500]}",
                details={"exit_code": code, "output": output[:2000]},
            )
        return CheckResult(
            ok=code == 0, exit_code=code, issues=issues, files=self._files, output=output,
            seconds=time.perf_counter() - self._started,
        )


class Promtool:
    """One promtool binary. Cheap to create; the version check runs once per binary path."""

    def __init__(self, path: str | None = None, *, timeout: float | None = None) -> None:
        self.path = path if path is not None else _default_path()
        self.timeout = timeout if timeout is not None else _default_timeout()

    def _binary(self) -> str:
        if not self.path:
            raise PromtoolUnavailable(f"promtool was not found: {INSTALL_HINT}")
        found = shutil.which(self.path) if os.sep not in self.path else self.path
        if not found or not os.access(found, os.X_OK):
            raise PromtoolUnavailable(
                f"promtool was not found at {self.path!r}: {INSTALL_HINT}",
                details={"path": self.path},
            )
        return found

    def version(self) -> str:
        """`promtool --version`'s first line; proves the binary runs. Cached per path."""
        binary = self._binary()
        if binary not in _VERSIONS:
            completed = self._run([binary, "--version"], what="promtool --version")
            text = (completed.stdout or completed.stderr).strip()
            if completed.returncode != 0 or not text.startswith("promtool"):
                raise PromtoolUnavailable(
                    f"{binary} does not look like a working promtool "
                    f"(exit {completed.returncode}): {text[:200]}; {INSTALL_HINT}",
                    details={"path": binary},
                )
            _VERSIONS[binary] = text.splitlines()[0]
        return _VERSIONS[binary]

    def _run(self, args: list[str], *, what: str) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(  # noqa: S603 - fixed argument list, no shell
                args, capture_output=True, text=True, timeout=self.timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise PromtoolError(f"{what} timed out after {self.timeout:g}s") from None
        except OSError as exc:
            raise PromtoolUnavailable(f"could not run {args[0]}: {exc}; {INSTALL_HINT}") from None

    # --- check rules ------------------------------------------------------------------------------
    def start_check_rules(
        self, files: Sequence[str | Path], *,
        _cleanup: tempfile.TemporaryDirectory[str] | None = None,
    ) -> PendingCheck:
        """Start `promtool check rules` on files and return at once; call `.result()` later."""
        binary = self._binary()
        self.version()
        names = tuple(str(f) for f in files)
        # --lint=none: duplicate-rule lint goes to stdout with exit 0 and is not an error.
        args = [binary, "check", "rules", "--lint=none", *names]
        started = time.perf_counter()
        try:
            process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
                args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        except OSError as exc:
            if _cleanup is not None:
                _cleanup.cleanup()
            raise PromtoolUnavailable(f"could not run {binary}: {exc}; {INSTALL_HINT}") from None
        return PendingCheck(process, names, self.timeout, started, _cleanup)

    def check_rules(self, files: Sequence[str | Path]) -> CheckResult:
        return self.start_check_rules(files).result()

    def start_check_rule_texts(self, texts: Mapping[str, str]) -> PendingCheck:
        """Write each text to a temporary file named after its key and start checking them all.

        Issues carry the temporary path in `file`; `PendingCheck.names` maps it back to the key.
        """
        tmp = tempfile.TemporaryDirectory(prefix="monitorgen-promtool-")
        paths: list[str] = []
        for index, (name, text) in enumerate(texts.items()):
            safe = re.sub(r"[^A-Za-z0-9_.-]", "_", Path(name).name)[:60] or "rules"
            path = Path(tmp.name) / f"{index:05d}-{safe}"
            path.write_text(text, encoding="utf-8")
            paths.append(str(path))
        return self.start_check_rules(paths, _cleanup=tmp)

    def check_rule_texts(self, texts: Mapping[str, str]) -> tuple[CheckResult, dict[str, str]]:
        """Check texts; returns the result and a map from temporary path to the text's key."""
        pending = self.start_check_rule_texts(texts)
        mapping = dict(zip(pending.files, texts, strict=True))
        return pending.result(), mapping

    # --- test rules -------------------------------------------------------------------------------
    def test_rules(self, test_yaml: str, rule_files: Mapping[str, str]) -> TestResult:
        """Run `promtool test rules` on a unit-test YAML; `rule_files` maps name → rule YAML.

        The test YAML's `rule_files` should name the keys of `rule_files`; all are written side
        by side in one temporary directory.
        """
        binary = self._binary()
        self.version()
        with tempfile.TemporaryDirectory(prefix="monitorgen-promtool-") as tmp:
            for name, text in rule_files.items():
                if Path(name).name != name or name in ("", ".", ".."):
                    raise PromtoolError(f"rule file name {name!r} must be a plain file name")
                (Path(tmp) / name).write_text(text, encoding="utf-8")
            test_path = Path(tmp) / "monitorgen-tests.yml"
            test_path.write_text(test_yaml, encoding="utf-8")
            started = time.perf_counter()
            try:
                completed = subprocess.run(  # noqa: S603 - fixed argument list, no shell
                    [binary, "test", "rules", test_path.name],
                    capture_output=True, text=True, timeout=self.timeout, check=False, cwd=tmp,
                )
            except subprocess.TimeoutExpired:
                raise PromtoolError(
                    f"promtool test rules timed out after {self.timeout:g}s"
                ) from None
            except OSError as exc:
                raise PromtoolUnavailable(f"could not run {binary}: {exc}; {INSTALL_HINT}") from None
        output = (completed.stdout + completed.stderr).replace(tmp + os.sep, "")
        if completed.returncode not in (0, 1):
            raise PromtoolError(
                f"promtool test rules exited {completed.returncode}: {output.strip()[:500]}",
                details={"exit_code": completed.returncode, "output": output[:2000]},
            )
        return TestResult(
            ok=completed.returncode == 0, exit_code=completed.returncode, output=output,
            seconds=time.perf_counter() - started,
        )

    def start_test_rules(self, suites: Mapping[str, tuple[str, Mapping[str, str]]]) -> PendingTests:
        """Start ONE `promtool test rules` over several test files and return at once.

        `suites` maps a key to (test YAML, {rule file name: rule YAML}). Each suite is written
        to its own directory (promtool reads a test's `rule_files` next to it), so suites may
        use the same rule file names. `.result()` gives the outcome per key.
        """
        binary = self._binary()
        self.version()
        tmp = tempfile.TemporaryDirectory(prefix="monitorgen-promtool-")
        paths: dict[str, str] = {}
        for index, (key, (test_yaml, rule_files)) in enumerate(suites.items()):
            folder = Path(tmp.name) / f"{index:05d}"
            folder.mkdir()
            for name, text in rule_files.items():
                if Path(name).name != name or name in ("", ".", ".."):
                    tmp.cleanup()
                    raise PromtoolError(f"rule file name {name!r} must be a plain file name")
                (folder / name).write_text(text, encoding="utf-8")
            (folder / "tests.yml").write_text(test_yaml, encoding="utf-8")
            paths[f"{index:05d}/tests.yml"] = key
        started = time.perf_counter()
        try:
            # stderr joins stdout so that each failure stays under its file's heading.
            process = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
                [binary, "test", "rules", *paths], stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True, cwd=tmp.name,
            )
        except OSError as exc:
            tmp.cleanup()
            raise PromtoolUnavailable(f"could not run {binary}: {exc}; {INSTALL_HINT}") from None
        # The timeout covers one test file; a batch gets a little more per file (~20 ms each).
        return PendingTests(process, paths, self.timeout + 0.1 * len(paths), started, tmp)


@dataclass(frozen=True)
class TestFileResult:
    key: str
    ok: bool
    output: str  # promtool's report for this file: failed cases, or why it could not load


@dataclass(frozen=True)
class TestBatchResult:
    ok: bool
    exit_code: int
    files: dict[str, TestFileResult]  # by the caller's key
    output: str
    seconds: float


_TESTING_PREFIX = "Unit Testing:"


def parse_test_output(output: str, paths: Mapping[str, str]) -> dict[str, TestFileResult]:
    """Split `promtool test rules a.yml b.yml` output into one result per file.

    promtool prints `Unit Testing:  <file>` and then `SUCCESS` or `FAILED:` with details for
    each file, in order; `paths` maps the file names given to promtool to the caller's keys.
    """
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in output.splitlines():
        if line.startswith(_TESTING_PREFIX):
            current = line[len(_TESTING_PREFIX):].strip()
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
    results: dict[str, TestFileResult] = {}
    for path, key in paths.items():
        lines = sections.get(path)
        if lines is None:
            results[key] = TestFileResult(key, False, "promtool gave no result for this file")
            continue
        text = "\n".join(lines).strip("\n")
        ok = any(line.strip() == "SUCCESS" for line in lines) and not any(
            line.strip().startswith("FAILED") for line in lines)
        results[key] = TestFileResult(key, ok, text)
    return results


class PendingTests:
    """A running `promtool test rules` over several files (see `Promtool.start_test_rules`)."""

    def __init__(self, process: subprocess.Popen[str], paths: dict[str, str], timeout: float,
                 started: float, cleanup: tempfile.TemporaryDirectory[str]) -> None:
        self._process = process
        self._paths = paths
        self._timeout = timeout
        self._started = started
        self._cleanup = cleanup

    def cancel(self) -> None:
        """Stop promtool and remove the files (when the caller no longer needs the result)."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.communicate()
        self._cleanup.cleanup()

    def result(self) -> TestBatchResult:
        remaining = max(0.0, self._timeout - (time.perf_counter() - self._started))
        try:
            output, _ = self._process.communicate(timeout=remaining)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.communicate()
            raise PromtoolError(
                f"promtool test rules timed out after {self._timeout:g}s",
                details={"files": len(self._paths)},
            ) from None
        finally:
            self._cleanup.cleanup()
        output = output.replace(self._cleanup.name + os.sep, "")
        code = self._process.returncode
        if code not in (0, 1):
            raise PromtoolError(
                f"promtool test rules exited {code}: {output.strip()[:500]}",
                details={"exit_code": code, "output": output[:2000]},
            )
        files = parse_test_output(output, self._paths)
        return TestBatchResult(
            ok=code == 0 and all(f.ok for f in files.values()), exit_code=code, files=files,
            output=output, seconds=time.perf_counter() - self._started,
        )


def rules_as_batch_text(groups: Sequence[tuple[str, Sequence[Mapping[str, Any]]]]) -> str:
    """A rule file with the given groups as text promtool reads.

    JSON is valid YAML and much faster to write than YAML, so batches of thousands of rules
    cost little to serialize; attribution uses group names and rule indexes, not lines.
    """
    return json.dumps({"groups": [{"name": n, "rules": list(r)} for n, r in groups]})


def check_rules(files: Sequence[str | Path], *, path: str | None = None) -> CheckResult:
    return Promtool(path).check_rules(files)


def test_rules(test_yaml: str, rule_files: Mapping[str, str], *, path: str | None = None) -> TestResult:
    return Promtool(path).test_rules(test_yaml, rule_files)


test_rules.__test__ = False  # type: ignore[attr-defined]  # not a pytest test despite its name
TestResult.__test__ = False  # type: ignore[attr-defined]
TestFileResult.__test__ = False  # type: ignore[attr-defined]
TestBatchResult.__test__ = False  # type: ignore[attr-defined]


__all__ = [
    "CheckResult",
    "PendingCheck",
    "PendingTests",
    "Promtool",
    "PromtoolIssue",
    "TestBatchResult",
    "TestFileResult",
    "TestResult",
    "check_rules",
    "parse_check_output",
    "parse_test_output",
    "rules_as_batch_text",
    "test_rules",
]
