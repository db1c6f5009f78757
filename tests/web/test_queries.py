"""Pages run a constant number of queries however many rows there are (no N+1)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from monitorgen.core.spec import AlertingRule
from monitorgen.rules.services import (
    rule_version_comment,
    rule_version_create,
    rule_version_submit,
)
from tests.web.conftest import VALID, import_http_catalog, latency_rule, login

pytestmark = pytest.mark.django_db


def queries_for(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_rules(team, author, count: int, *, start: int, submit: bool = True) -> list:
    versions = []
    for n in range(start, start + count):
        spec = AlertingRule.model_validate(
            {**latency_rule().model_dump(by_alias=True), "alert": f"Rule{n}"}
        )
        version = rule_version_create(team=team, group=f"g{n % 3}", spec=spec, author=author,
                                      validation=VALID)
        if submit:
            version = rule_version_submit(version=version, actor=author)
        versions.append(version)
    return versions


@pytest.mark.parametrize("url", ["/", "/queue/"])
def test_the_dashboard_and_queue_cost_the_same_queries_for_3_or_30_versions(
    client: Client, alice, bob, team, url, django_assert_max_num_queries
):
    add_rules(team, alice, 3, start=0)
    login(client, bob)
    few = queries_for(client, url)
    add_rules(team, alice, 27, start=3)
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200


def test_a_rule_page_costs_the_same_queries_for_2_or_40_versions(
    client: Client, alice, team, django_assert_max_num_queries
):
    for threshold in range(2):
        version = rule_version_create(team=team, group="g", spec=latency_rule(str(threshold + 1)),
                                      author=alice, validation=VALID)
    login(client, alice)
    url = f"/rules/{version.rule_id}/"
    few = queries_for(client, url)
    for threshold in range(2, 40):
        rule_version_create(team=team, group="g", spec=latency_rule(str(threshold + 1)),
                            author=alice, validation=VALID)
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200


def test_a_version_page_costs_the_same_queries_for_1_or_25_comments(
    client: Client, draft, alice, bob, carol, catalog, django_assert_max_num_queries
):
    login(client, bob)
    url = f"/versions/{draft.pk}/"
    rule_version_comment(version=draft, actor=carol, comment="first")
    few = queries_for(client, url)
    for n in range(24):
        rule_version_comment(version=draft, actor=(alice, bob, carol)[n % 3], comment=f"c{n}")
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200


def test_the_catalog_page_costs_the_same_queries_for_2_or_60_metrics(
    client: Client, alice, django_assert_max_num_queries
):
    import_http_catalog()
    login(client, alice)
    few = queries_for(client, "/catalogs/http-service/")
    many = [
        {"name": f"metric_{n}_total", "type": "counter", "help": "h", "labels": ["job", "instance"]}
        for n in range(60)
    ]
    import_http_catalog(metrics=many)
    with django_assert_max_num_queries(few):
        assert client.get("/catalogs/http-service/").status_code == 200
