"""The only writers of catalogs: import from a spec, a file, exposition text or a live server.

An import replaces the catalog's metrics as a whole, inside one transaction: either every metric
of the new spec is stored, or (on any error) the previous catalog stays exactly as it was.
Sources are parsed before the transaction starts, so bad input never touches the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from monitorgen.adapters.prometheus_api import DEFAULT_LABEL_ALLOWLIST, fetch_catalog, redact_url
from monitorgen.catalogs.models import Catalog, CatalogMetric, SourceKind
from monitorgen.core import catalog as core
from monitorgen.core.catalog_io import load_catalog_file, parse_exposition
from monitorgen.core.errors import ConfigurationError, InvalidInput

SLUG_MAX_LENGTH = 100


def fixtures_dir() -> Path:
    return Path(settings.BASE_DIR) / "fixtures" / "catalogs"


def _checked_slug(slug: str) -> str:
    try:
        validate_slug(slug)
    except DjangoValidationError:
        raise InvalidInput(
            f"{slug!r} is not a valid catalog slug (letters, digits, '-' and '_')"
        ) from None
    if len(slug) > SLUG_MAX_LENGTH:
        raise InvalidInput(f"catalog slug {slug[:20]!r}... is longer than {SLUG_MAX_LENGTH}")
    return slug


@transaction.atomic
def catalog_import(
    *, spec: core.Catalog, slug: str, source_kind: SourceKind | str, source_location: str = ""
) -> Catalog:
    """Create the catalog `slug`, or replace all of its metrics and provenance with `spec`."""
    _checked_slug(slug)
    kind = SourceKind(source_kind)
    location = redact_url(source_location) if kind is SourceKind.PROMETHEUS else source_location
    now = timezone.now()
    fields = {
        "name": spec.name[:200],
        "description": spec.description,
        "scrape_interval": spec.scrape_interval,
        "source_kind": kind.value,
        "source_location": location[:1000],
        "metric_count": len(spec.metrics),
        "refreshed_at": now,
    }
    catalog, created = Catalog.objects.select_for_update().get_or_create(slug=slug, defaults=fields)
    if not created:
        for key, value in fields.items():
            setattr(catalog, key, value)
        catalog.save()
        catalog.metrics.all().delete()
    CatalogMetric.objects.bulk_create(
        [
            CatalogMetric(
                catalog=catalog,
                name=metric.name,
                type=metric.type.value,
                help=metric.help,
                unit=metric.unit[:64],
                labels=list(metric.labels),
                label_values={k: list(v) for k, v in metric.label_values.items()},
            )
            for metric in spec.metrics
        ],
        batch_size=500,
    )
    return catalog


def catalog_import_file(
    *, path: str | Path, slug: str | None = None, source_kind: SourceKind | str = SourceKind.FILE
) -> Catalog:
    """Import a catalog YAML file; the slug defaults to the file name without extension."""
    file_path = Path(path).resolve()
    spec = load_catalog_file(file_path)
    return catalog_import(
        spec=spec,
        slug=slug or slugify(file_path.stem)[:SLUG_MAX_LENGTH],
        source_kind=source_kind,
        source_location=str(file_path),
    )


def catalog_import_exposition(
    *, text: str, slug: str, name: str, source_location: str = ""
) -> Catalog:
    """Import `/metrics` output. Give the file it came from as `source_location` to refresh it."""
    spec = parse_exposition(text, name=name)
    return catalog_import(
        spec=spec, slug=slug, source_kind=SourceKind.EXPOSITION, source_location=source_location
    )


def catalog_import_prometheus(
    *,
    url: str,
    slug: str,
    name: str | None = None,
    label_allowlist: Iterable[str] = DEFAULT_LABEL_ALLOWLIST,
    max_label_values: int = 50,
    bearer_token: str | None = None,
    basic_auth: tuple[str, str] | None = None,
    timeout: float = 10.0,
    budget_seconds: float = 60.0,
) -> Catalog:
    """Import what a live Prometheus server has. Credentials are used, never stored."""
    _checked_slug(slug)
    result = fetch_catalog(
        url,
        name=name or slug,
        label_allowlist=label_allowlist,
        max_label_values=max_label_values,
        bearer_token=bearer_token,
        basic_auth=basic_auth,
        timeout=timeout,
        budget_seconds=budget_seconds,
    )
    return catalog_import(
        spec=result.catalog,
        slug=slug,
        source_kind=SourceKind.PROMETHEUS,
        source_location=result.server,
    )


def catalog_refresh(
    *,
    catalog: Catalog,
    bearer_token: str | None = None,
    basic_auth: tuple[str, str] | None = None,
) -> Catalog:
    """Re-read a catalog from where it came from (its file or its live server)."""
    kind = SourceKind(catalog.source_kind)
    location = catalog.source_location
    if not location:
        raise InvalidInput(
            f"catalog {catalog.slug} was imported from pasted text and has no source to re-read"
        )
    if kind in (SourceKind.FILE, SourceKind.FIXTURE):
        return catalog_import_file(path=location, slug=catalog.slug, source_kind=kind)
    if kind is SourceKind.EXPOSITION:
        try:
            text = Path(location).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"{location}: cannot read the exposition file: {exc}") from None
        return catalog_import_exposition(
            text=text, slug=catalog.slug, name=catalog.name, source_location=location
        )
    return catalog_import_prometheus(
        url=location,
        slug=catalog.slug,
        name=catalog.name,
        bearer_token=bearer_token,
        basic_auth=basic_auth,
    )


def catalog_import_fixtures(*, directory: Path | None = None) -> list[Catalog]:
    """Import every bundled fixture catalog (`fixtures/catalogs/*.yaml`); safe to repeat."""
    folder = directory or fixtures_dir()
    if not folder.is_dir():
        raise ConfigurationError(f"{folder}: the fixture catalog folder is missing")
    return [
        catalog_import_file(path=path, source_kind=SourceKind.FIXTURE)
        for path in sorted(folder.glob("*.yaml"))
    ]
