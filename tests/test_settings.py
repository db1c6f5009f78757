"""Settings come from the environment; production mode has no default secrets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run_check(env_overrides: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_refuses_to_start_in_production_without_a_secret_key():
    result = _run_check({"MONITORGEN_ENV": "production", "ALLOWED_HOSTS": "monitorgen.example"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_it_refuses_to_start_in_production_without_allowed_hosts():
    result = _run_check({"MONITORGEN_ENV": "production", "SECRET_KEY": "x" * 60})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_it_reads_the_secret_key_from_a_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("file-key-" + "abcdefgh" * 8 + "\n")
    result = _run_check(
        {
            "MONITORGEN_ENV": "production",
            "SECRET_KEY_FILE": str(key_file),
            "ALLOWED_HOSTS": "monitorgen.example",
            "MONITORGEN_VAR_DIR": str(tmp_path),
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr


def test_it_passes_the_deployment_checks_in_production_mode(tmp_path):
    result = _run_check(
        {
            "MONITORGEN_ENV": "production",
            "SECRET_KEY": "s3cr3t-" + "z" * 60,
            "ALLOWED_HOSTS": "monitorgen.example",
            "MONITORGEN_VAR_DIR": str(tmp_path),
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
