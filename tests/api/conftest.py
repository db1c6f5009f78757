"""API clients for the personas of tests/rules/conftest.py, and versions to act on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from monitorgen.accounts.models import Role
from monitorgen.catalogs.models import Catalog
from monitorgen.catalogs.services import catalog_import_file, fixtures_dir
from monitorgen.rules.models import RuleVersion
from monitorgen.rules.services import rule_version_create, rule_version_submit
from tests.rules import conftest as personas
from tests.rules.conftest import VALID, latency_rule, make_user

# The personas of the review workflow tests (alice author; bob, carol reviewers; dave outsider).
team = personas.team
alice = personas.alice
bob = personas.bob
carol = personas.carol
dave = personas.dave

INTENT = "page me if checkout p99 is over 500ms for 10m"


@pytest.fixture
def anonymous(db) -> APIClient:
    return APIClient()


@pytest.fixture
def client_for(db) -> Callable[[User], APIClient]:
    """An API client logged in (session) as the given user."""

    def make(user: User) -> APIClient:
        client = APIClient()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def erin(team) -> User:
    """A second author in the payments team."""
    return make_user("erin", Role.AUTHOR, team=team)


@pytest.fixture
def http_catalog(db) -> Catalog:
    return catalog_import_file(path=fixtures_dir() / "http-service.yaml", slug="http-service")


def new_version(
    team, author, *, threshold: str = "0.5", validation: dict[str, Any] | None = None, **kwargs
) -> RuleVersion:
    return rule_version_create(
        team=team,
        group="checkout",
        spec=latency_rule(threshold),
        author=author,
        intent=INTENT,
        validation=VALID if validation is None else validation,
        **kwargs,
    )


def submitted(team, author, **kwargs) -> RuleVersion:
    return rule_version_submit(version=new_version(team, author, **kwargs), actor=author)


def assert_error(response, status: int, code: str) -> dict[str, Any]:
    """The response is an error in the API's one shape, with this status and code."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "details"}, body
    assert body["code"] == code, body
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["details"], dict)
    return body
