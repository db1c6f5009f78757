"""Personas, a catalog and versions for the web UI tests."""

from __future__ import annotations

import pytest
from django.test import Client

from monitorgen.accounts.models import Role
from monitorgen.catalogs.services import catalog_import
from monitorgen.core.catalog import Catalog as CatalogSpec
from monitorgen.rules.models import RuleVersion
from monitorgen.rules.services import rule_version_create, rule_version_submit
from tests.rules import conftest as personas
from tests.rules.conftest import VALID, latency_rule, make_user

__all__ = ["VALID", "latency_rule", "make_user"]

# The review workflow's personas: alice (author), bob and carol (reviewers) in team "payments",
# dave (a reviewer outside it).
team = personas.team
alice = personas.alice
bob = personas.bob
carol = personas.carol
dave = personas.dave

HTTP_CATALOG = {
    "name": "HTTP service",
    "description": "RED metrics of an HTTP service.",
    "scrape_interval": "15s",
    "metrics": [
        {
            "name": "http_requests_total",
            "type": "counter",
            "help": "HTTP requests the service finished.",
            "labels": ["service", "route", "method", "code"],
            "label_values": {"service": ["checkout", "search"]},
        },
        {
            "name": "http_request_duration_seconds",
            "type": "histogram",
            "help": "Time the service took to answer HTTP requests.",
            "labels": ["service", "route", "method", "code"],
            "label_values": {"service": ["checkout", "search"]},
        },
    ],
}


def import_http_catalog(slug: str = "http-service", **overrides: object):
    spec = CatalogSpec.model_validate({**HTTP_CATALOG, **overrides})
    return catalog_import(spec=spec, slug=slug, source_kind="file", source_location="test")


@pytest.fixture
def catalog(db):
    return import_http_catalog()


def login(client: Client, user) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def draft(alice) -> RuleVersion:
    """alice's first version of CheckoutHighLatency, a valid draft."""
    return rule_version_create(
        team=alice.teams.get(),
        group="checkout",
        spec=latency_rule(),
        author=alice,
        intent="page me if checkout p99 latency is over 500ms for 10 minutes",
        provenance={"generator": "embedded", "catalog": "http-service",
                    "metrics_used": ["http_request_duration_seconds"]},
        validation=VALID,
    )


@pytest.fixture
def in_review(draft, alice) -> RuleVersion:
    return rule_version_submit(version=draft, actor=alice)


@pytest.fixture
def admin_user(db):
    return make_user("root", Role.ADMIN)
