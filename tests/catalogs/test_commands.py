from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from monitorgen.catalogs.models import Catalog

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def run_failing(*args: str) -> tuple[int, str]:
    err = StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command(*args, stdout=StringIO(), stderr=err)
    return int(caught.value.code or 0), err.getvalue()


def test_catalog_import_reads_a_catalog_file(catalog_file: Path):
    out = run("catalog_import", "--file", str(catalog_file), "--slug", "shop-v2")
    assert "imported catalog shop-v2: 3 metrics" in out
    assert Catalog.objects.get(slug="shop-v2").source_kind == "file"


def test_catalog_import_reads_saved_exposition_output(tmp_path: Path):
    path = tmp_path / "api-metrics.txt"
    path.write_text("# TYPE jobs_total counter\njobs_total 3\n", encoding="utf-8")
    out = run("catalog_import", "--exposition", str(path), "--name", "API")
    assert "imported catalog api: 1 metrics" in out
    assert Catalog.objects.get(slug="api").source_location == str(path.resolve())


def test_catalog_import_reports_a_bad_file_with_its_line_and_exit_code_2(tmp_path: Path):
    path = tmp_path / "bad.yaml"
    path.write_text("metrics:\n  - name: ok\n  - name: 'not ok'\n", encoding="utf-8")
    code, err = run_failing("catalog_import", "--file", str(path))
    assert code == 2
    assert "line 3" in err
    assert not Catalog.objects.exists()


def test_catalog_import_reports_an_unreachable_server_with_exit_code_6():
    from tests.prometheus_server import free_port

    code, err = run_failing(
        "catalog_import", "--prometheus", f"http://127.0.0.1:{free_port()}", "--slug", "live"
    )
    assert code == 6
    assert "connection refused" in err


def test_catalog_list_and_refresh(catalog_file: Path):
    assert "no catalogs" in run("catalog_list")
    run("catalog_import", "--file", str(catalog_file))
    assert "shop" in run("catalog_list")
    catalog_file.write_text("name: shop\nmetrics:\n  - name: up\n", encoding="utf-8")
    assert "refreshed catalog shop: 1 metrics" in run("catalog_refresh", "shop")


def test_catalog_refresh_of_an_unknown_slug_fails_clearly():
    code, err = run_failing("catalog_refresh", "nope")
    assert code == 2
    assert "no catalog 'nope'" in err


def test_demo_setup_is_idempotent_and_prints_the_demo_password():
    first = run("demo_setup")
    second = run("demo_setup")
    assert "monitorgen-demo" in first
    assert first == second
    users = get_user_model().objects
    assert users.filter(username__in=["author", "reviewer", "admin"]).count() == 3
    admin = users.get(username="admin")
    assert admin.is_superuser and admin.check_password("monitorgen-demo")
    assert not users.get(username="author").is_superuser
    assert list(users.get(username="reviewer").groups.values_list("name", flat=True)) == [
        "reviewers"
    ]
    assert Catalog.objects.filter(slug__in=["node-exporter", "kubernetes"]).count() == 2


def test_demo_setup_refuses_in_production(settings):
    settings.PRODUCTION = True
    code, err = run_failing("demo_setup")
    assert code == 5
    assert "production" in err
    assert not get_user_model().objects.exists()
    assert not Catalog.objects.exists()
