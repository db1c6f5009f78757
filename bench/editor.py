"""The rule editor's costs: the bundle a browser downloads, and the vocabulary endpoint's server
time and response size for catalogs of 1,000 and 10,000 metric families.

Runs against a throw-away SQLite database through Django's test client. Goals: bundle <= 200 KB
gzipped; vocabulary <= 300 ms and <= 2 MB (before compression) for 10,000 families.

    .venv/bin/python bench/editor.py
"""

from __future__ import annotations

import gzip
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKDIR = tempfile.mkdtemp(prefix="monitorgen-bench-editor-")
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR}/bench.sqlite3"
os.environ["MONITORGEN_VAR_DIR"] = WORKDIR
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "monitorgen.settings")
os.environ.setdefault("LOG_LEVEL", "ERROR")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from monitorgen.catalogs.services import catalog_import  # noqa: E402
from monitorgen.core.catalog import Catalog  # noqa: E402

BUNDLE = ROOT / "monitorgen" / "static" / "vendor" / "editor" / "editor.min.js"
SIZES = (1_000, 10_000)
RUNS = 7
TYPES = ("counter", "gauge", "histogram", "summary")


def make_catalog(slug: str, families: int) -> None:
    spec = Catalog.model_validate(
        {
            "name": slug,
            "metrics": [
                {
                    "name": f"app_metric_{i}_{TYPES[i % 4]}",
                    "type": TYPES[i % 4],
                    "help": "A metric.",
                    "labels": ["service", "route", "method", "code", "pod", "namespace"],
                }
                for i in range(families)
            ],
        }
    )
    catalog_import(spec=spec, slug=slug, source_kind="file", source_location="bench")


def main() -> None:
    raw = BUNDLE.read_bytes()
    print(f"bundle: {len(raw) / 1024:.0f} KB minified, {len(gzip.compress(raw, 9)) / 1024:.0f} KB gzipped")

    setup_test_environment()
    call_command("migrate", verbosity=0)
    client = Client()
    client.force_login(User.objects.create_user("bench"))
    for families in SIZES:
        slug = f"bench-{families}"
        make_catalog(slug, families)
        url = reverse("web:catalog-vocabulary", args=[slug])
        times, body = [], b""
        for _ in range(RUNS):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            body = response.content
        series = body.count(b'"name"')
        print(
            f"vocabulary, {families:>6,} families ({series:,} series): "
            f"median {statistics.median(times):.0f} ms, {len(body) / 1024:.0f} KB "
            f"({len(gzip.compress(body, 6)) / 1024:.0f} KB gzipped)"
        )


if __name__ == "__main__":
    main()
