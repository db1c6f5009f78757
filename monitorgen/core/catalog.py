"""Metric catalog: the metrics a Prometheus setup really has (pure core model).

A catalog lists metric *families*: a histogram `http_request_duration_seconds` stands for its
`_bucket`, `_sum` and `_count` series, a summary for its quantile series plus `_sum`/`_count`.
Help text and label values come from the monitored systems and are untrusted: they may be used
for ranking and shown escaped, never pasted into an LLM prompt or executed.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, field_validator

from monitorgen.core.durations import DurationError, normalize_duration


class MetricType(StrEnum):
    COUNTER = "counter"
    GAUGE = "gauge"
    HISTOGRAM = "histogram"
    SUMMARY = "summary"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, value: str | None) -> MetricType:
        text = (value or "").strip().lower()
        aliases = {
            "gaugehistogram": cls.HISTOGRAM,
            "untyped": cls.UNKNOWN,
            "info": cls.GAUGE,
            "stateset": cls.GAUGE,
            "": cls.UNKNOWN,
        }
        if text in aliases:
            return aliases[text]
        try:
            return cls(text)
        except ValueError:
            return cls.UNKNOWN


_METRIC_NAME_RE = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
_LABEL_NAME_RE = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_]*$")
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")
SUMMARY_SUFFIXES = ("_sum", "_count")
# Labels every series has once scraped, whether or not the exporter lists them.
TARGET_LABELS = frozenset({"job", "instance"})
MAX_LABEL_VALUES = 200


class Metric(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    name: str
    type: MetricType = MetricType.UNKNOWN
    help: str = ""
    unit: str = ""
    labels: tuple[str, ...] = ()
    # Known values per label (from a live server); an allowlist, never free text for prompts.
    label_values: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    @field_validator("type", mode="before")
    @classmethod
    def _type(cls, value: object) -> MetricType:
        return MetricType.parse(value if isinstance(value, str) else None)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _METRIC_NAME_RE.match(value):
            raise ValueError(f"{value!r} is not a valid metric name")
        return value

    @field_validator("help", "unit", mode="before")
    @classmethod
    def _text(cls, value: object) -> str:
        return "" if value is None else str(value)

    @field_validator("labels", mode="before")
    @classmethod
    def _labels(cls, value: object) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str | bytes) or not isinstance(value, list | tuple | set):
            raise ValueError("labels must be a list of label names")
        names = sorted({str(v) for v in value} - {"__name__"})
        bad = [n for n in names if not _LABEL_NAME_RE.match(n)]
        if bad:
            raise ValueError(f"invalid label names: {', '.join(map(repr, bad))}")
        return tuple(names)

    @field_validator("label_values", mode="before")
    @classmethod
    def _label_values(cls, value: object) -> dict[str, tuple[str, ...]]:
        if not isinstance(value, dict):
            return {}
        return {
            str(k): tuple(sorted({str(x) for x in (v or [])}))[:MAX_LABEL_VALUES]
            for k, v in value.items()
        }

    def series_names(self) -> tuple[str, ...]:
        """Names of the series this family exposes."""
        if self.type is MetricType.HISTOGRAM:
            return tuple(self.name + suffix for suffix in HISTOGRAM_SUFFIXES)
        if self.type is MetricType.SUMMARY:
            return (self.name, *(self.name + suffix for suffix in SUMMARY_SUFFIXES))
        return (self.name,)

    def label_names_for(self, series: str) -> frozenset[str]:
        names = set(self.labels) | TARGET_LABELS
        if self.type is MetricType.HISTOGRAM and series.endswith("_bucket"):
            names.add("le")
        if self.type is MetricType.SUMMARY and series == self.name:
            names.add("quantile")
        return frozenset(names)


class Catalog(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    name: str
    description: str = ""
    scrape_interval: str = "30s"
    metrics: tuple[Metric, ...] = ()

    @field_validator("scrape_interval", mode="before")
    @classmethod
    def _scrape_interval(cls, value: object) -> str:
        if value is None or value == "":
            return "30s"
        try:
            return normalize_duration(str(value))
        except DurationError as exc:
            raise ValueError(f"scrape_interval: {exc}") from None

    @field_validator("metrics", mode="before")
    @classmethod
    def _metrics(cls, value: object) -> object:
        if value is None:
            return ()
        if isinstance(value, list):
            # The same family listed twice (e.g. merged sources): keep the first, union the labels.
            merged: dict[str, dict[str, object]] = {}
            for item in value:
                if isinstance(item, dict) and "name" in item:
                    name = str(item["name"])
                    if name in merged:
                        prior = merged[name]
                        labels = [str(x) for x in (prior.get("labels") or [])]  # type: ignore[attr-defined]
                        labels += [str(x) for x in (item.get("labels") or [])]
                        prior["labels"] = sorted(set(labels))
                    else:
                        merged[name] = dict(item)
                else:
                    merged[f"__invalid_{len(merged)}"] = item  # let validation name the problem
            return list(merged.values())
        return value

    @cached_property
    def _by_family(self) -> dict[str, Metric]:
        return {metric.name: metric for metric in self.metrics}

    @cached_property
    def _by_series(self) -> dict[str, Metric]:
        index: dict[str, Metric] = {}
        for metric in self.metrics:
            for series in metric.series_names():
                index.setdefault(series, metric)
        # A family name listed as-is always wins over a suffix match of another family.
        index.update(self._by_family)
        return index

    def family(self, name: str) -> Metric | None:
        """The metric family a family or series name belongs to (`x_bucket` → histogram `x`)."""
        return self._by_series.get(name)

    def family_names(self) -> list[str]:
        return sorted(self._by_family)

    def series_names(self) -> list[str]:
        return sorted(self._by_series)

    def __len__(self) -> int:
        return len(self.metrics)


def family_name_of(series: str, catalog: Catalog | None = None) -> str:
    """The family a series name belongs to; without a catalog, strip histogram/summary suffixes."""
    if catalog is not None:
        metric = catalog.family(series)
        if metric is not None:
            return metric.name
    for suffix in HISTOGRAM_SUFFIXES:
        if series.endswith(suffix):
            return series[: -len(suffix)]
    return series
