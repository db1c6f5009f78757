"""Shared test fixtures. Suites keep their own fixtures in their folder's conftest.py."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture(scope="session")
def promtool_path() -> str:
    """The real promtool; the suite requires it (scripts/setup.sh installs it)."""
    from django.conf import settings

    path = settings.PROMTOOL or shutil.which("promtool")
    if not path:
        pytest.fail("promtool is not installed: run scripts/setup.sh (or set PROMTOOL)")
    return path


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    # Real hashing costs ~0.3 s per user; tests create many users and never attack passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # Throttle counters live in the cache; one test's requests must not count against the next's.
    from django.core.cache import cache

    cache.clear()
