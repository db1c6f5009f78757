"""Read and write metric catalogs: catalog YAML files and Prometheus `/metrics` exposition text.

Pure functions only (no Django, no network). Every problem becomes a `CatalogInvalid` whose
message names the source, the line when known and the metric, and whose `details['problems']`
lists each problem as `{path, message, line}` (the shape `MonitorgenCommand` prints).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.nodes import Node

from monitorgen.core.catalog import Catalog, Metric, MetricType
from monitorgen.core.errors import CatalogInvalid
from monitorgen.core.rulefile import dump_yaml, line_of

# Catalog files come from users and exporters; refuse absurd sizes before parsing them.
MAX_CATALOG_BYTES = 20 * 1024 * 1024
_MAX_REPORTED_PROBLEMS = 5

try:  # libyaml is much faster on big catalogs; fall back to the pure-Python loader without it.
    _SafeLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _SafeLoader = yaml.SafeLoader


# --- catalog YAML --------------------------------------------------------------------------------
def _problem(message: str, *, path: str, line: int | None) -> dict[str, Any]:
    return {"path": path, "message": message, "line": line}


def _raise_problems(source: str, problems: list[dict[str, Any]]) -> None:
    shown = "; ".join(
        (f"line {p['line']}: " if p.get("line") else "") + f"{p['path']}: {p['message']}"
        for p in problems[:_MAX_REPORTED_PROBLEMS]
    )
    more = (
        f" (and {len(problems) - _MAX_REPORTED_PROBLEMS} more)"
        if len(problems) > _MAX_REPORTED_PROBLEMS
        else ""
    )
    raise CatalogInvalid(
        f"{source}: {shown}{more}", details={"source": source, "problems": problems}
    )


def _load_yaml(text: str, *, source: str) -> tuple[Any, Node | None]:
    try:
        node = yaml.compose(text, Loader=_SafeLoader)
        data = yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        where = f"line {line}: " if line else ""
        problem = exc.problem or exc.context or "malformed YAML"
        raise CatalogInvalid(
            f"{source}: {where}not valid YAML: {problem}",
            details={"source": source, "line": line},
        ) from None
    except yaml.YAMLError as exc:
        raise CatalogInvalid(
            f"{source}: not valid YAML: {exc}", details={"source": source}
        ) from None
    return data, node


def _pydantic_message(exc: ValidationError) -> str:
    messages = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        messages.append(f"{where}: {message}" if where else message)
    return "; ".join(messages)


def _default_name(source: str) -> str:
    stem = Path(source).stem if source and not source.startswith("<") else ""
    return stem or "catalog"


def parse_catalog_yaml(text: str, *, source: str = "<input>") -> Catalog:
    """Parse catalog YAML (`{name, description, scrape_interval, metrics: [...]}`).

    Unknown keys are ignored (catalog files often carry provenance notes). A file without a
    `name` takes the stem of `source`.
    """
    if len(text.encode("utf-8", errors="replace")) > MAX_CATALOG_BYTES:
        raise CatalogInvalid(f"{source}: the catalog is larger than {MAX_CATALOG_BYTES} bytes")
    data, node = _load_yaml(text, source=source)
    if data is None:
        raise CatalogInvalid(f"{source}: the catalog file is empty", details={"source": source})
    if not isinstance(data, dict):
        _raise_problems(
            source,
            [
                _problem(
                    "a catalog is a mapping with a 'metrics' list",
                    path="(top level)",
                    line=1,
                )
            ],
        )
    problems: list[dict[str, Any]] = []
    metrics = data.get("metrics")
    if metrics is None:
        metrics = []
    if not isinstance(metrics, list):
        problems.append(
            _problem(
                "'metrics' must be a list of metrics",
                path="metrics",
                line=line_of(node, ["metrics"]),
            )
        )
        metrics = []
    for index, item in enumerate(metrics):
        line = line_of(node, ["metrics", index])
        if not isinstance(item, dict):
            problems.append(
                _problem(
                    "each metric must be a mapping with at least a 'name'",
                    path=f"metrics[{index}]",
                    line=line,
                )
            )
            continue
        label = f"metrics[{index}] ({item['name']})" if "name" in item else f"metrics[{index}]"
        if "name" not in item:
            problems.append(_problem("the metric has no 'name'", path=label, line=line))
            continue
        try:
            Metric.model_validate(item)
        except ValidationError as exc:
            field_name = str(exc.errors()[0]["loc"][0]) if exc.errors()[0]["loc"] else ""
            problems.append(
                _problem(
                    _pydantic_message(exc),
                    path=label,
                    line=line_of(node, ["metrics", index, field_name]) if field_name else line,
                )
            )
    if problems:
        _raise_problems(source, problems)

    top = {key: data.get(key) for key in ("name", "description", "scrape_interval")}
    if top["name"] in (None, ""):
        top["name"] = _default_name(source)
    for key in ("name", "description"):
        if top[key] is not None and not isinstance(top[key], str | int | float):
            problems.append(_problem(f"'{key}' must be text", path=key, line=line_of(node, [key])))
            top[key] = None
    if problems:
        _raise_problems(source, problems)
    try:
        return Catalog.model_validate(
            {
                "name": str(top["name"]),
                "description": "" if top["description"] is None else str(top["description"]),
                "scrape_interval": top["scrape_interval"],
                "metrics": metrics,
            }
        )
    except ValidationError as exc:
        first = exc.errors()[0]["loc"]
        key = str(first[0]) if first else ""
        _raise_problems(
            source,
            [
                _problem(
                    _pydantic_message(exc),
                    path=key or "(top level)",
                    line=line_of(node, [key] if key else []),
                )
            ],
        )
        raise  # unreachable: _raise_problems always raises


def load_catalog_file(path: str | Path) -> Catalog:
    """Load a catalog YAML file; errors name the file."""
    file_path = Path(path)
    try:
        size = file_path.stat().st_size
        if size > MAX_CATALOG_BYTES:
            raise CatalogInvalid(
                f"{file_path}: the catalog is larger than {MAX_CATALOG_BYTES} bytes"
            )
        text = file_path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogInvalid(
            f"{file_path}: no such catalog file", details={"source": str(file_path)}
        ) from None
    except UnicodeDecodeError:
        raise CatalogInvalid(f"{file_path}: the catalog is not UTF-8 text") from None
    except OSError as exc:
        raise CatalogInvalid(f"{file_path}: cannot read the catalog: {exc.strerror}") from None
    return parse_catalog_yaml(text, source=str(file_path))


def catalog_to_data(catalog: Catalog) -> dict[str, Any]:
    """A catalog as plain data in canonical order (metrics by name, empty fields omitted)."""
    metrics: list[dict[str, Any]] = []
    for metric in sorted(catalog.metrics, key=lambda m: m.name):
        item: dict[str, Any] = {"name": metric.name, "type": metric.type.value}
        if metric.help:
            item["help"] = metric.help
        if metric.unit:
            item["unit"] = metric.unit
        item["labels"] = list(metric.labels)
        if metric.label_values:
            item["label_values"] = {k: list(v) for k, v in sorted(metric.label_values.items())}
        metrics.append(item)
    data: dict[str, Any] = {"name": catalog.name}
    if catalog.description:
        data["description"] = catalog.description
    data["scrape_interval"] = catalog.scrape_interval
    data["metrics"] = metrics
    return data


def catalog_to_yaml(catalog: Catalog) -> str:
    """Canonical catalog YAML: the same catalog always gives the same text, and it parses back."""
    return dump_yaml(catalog_to_data(catalog))


# --- exposition format ---------------------------------------------------------------------------
_NAME_RE = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
_LABEL_RE = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")
# Series suffixes per family type; `_created`, `_gcount` and `_gsum` are OpenMetrics additions.
_FAMILY_SUFFIXES: dict[str, tuple[str, ...]] = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_sum", "_count", "_created"),
    "gaugehistogram": ("_bucket", "_gcount", "_gsum"),
    "summary": ("_sum", "_count", "_created"),
    "info": ("_info",),
}
# Series of a family that carry the labels of the family itself, not extra bookkeeping.
_IGNORED_SERIES_SUFFIXES = ("_created",)


@dataclass
class _Family:
    name: str
    type_text: str = ""
    help: str = ""
    unit: str = ""
    labels: set[str] = field(default_factory=set)
    series: set[str] = field(default_factory=set)


def _unescape(text: str, *, quote: bool) -> str:
    out: list[str] = []
    chars = iter(text)
    for char in chars:
        if char != "\\":
            out.append(char)
            continue
        nxt = next(chars, "")
        if nxt == "n":
            out.append("\n")
        elif nxt == "\\" or (quote and nxt == '"'):
            out.append(nxt)
        else:  # unknown escapes are kept as written, as Prometheus does for HELP text
            out.append("\\" + nxt)
    return "".join(out)


def _read_quoted(line: str, pos: int, *, lineno: int) -> tuple[str, int]:
    """Read a double-quoted string starting at `line[pos] == '"'`; returns (value, next pos)."""
    end = pos + 1
    while end < len(line):
        if line[end] == "\\":
            end += 2
            continue
        if line[end] == '"':
            return _unescape(line[pos + 1 : end], quote=True), end + 1
        end += 1
    raise CatalogInvalid(f"line {lineno}: unterminated quoted string", details={"line": lineno})


def _skip_spaces(line: str, pos: int) -> int:
    while pos < len(line) and line[pos] in " \t":
        pos += 1
    return pos


def _parse_sample(line: str, *, lineno: int) -> tuple[str, dict[str, str]]:
    """Name and labels of a sample line (`name{a="b"} 1 [ts] [# exemplar]`)."""

    def bad(message: str) -> CatalogInvalid:
        return CatalogInvalid(f"line {lineno}: {message}: {line[:120]!r}", details={"line": lineno})

    name = ""
    pos = 0
    match = _NAME_RE.match(line)
    if match:
        name = match.group(0)
        pos = match.end()
    labels: dict[str, str] = {}
    pos = _skip_spaces(line, pos)
    if pos < len(line) and line[pos] == "{":
        pos += 1
        while True:
            pos = _skip_spaces(line, pos)
            if pos >= len(line):
                raise bad("unterminated label set")
            if line[pos] == "}":
                pos += 1
                break
            if line[pos] == '"':  # quoted name (UTF-8 names, newer Prometheus)
                key, pos = _read_quoted(line, pos, lineno=lineno)
            else:
                label_match = _LABEL_RE.match(line, pos)
                if not label_match:
                    raise bad("expected a label name")
                key, pos = label_match.group(0), label_match.end()
            pos = _skip_spaces(line, pos)
            if pos < len(line) and line[pos] == "=":
                pos = _skip_spaces(line, pos + 1)
                if pos >= len(line) or line[pos] != '"':
                    raise bad(f"the value of label {key!r} must be quoted")
                value, pos = _read_quoted(line, pos, lineno=lineno)
                if key in labels:
                    raise bad(f"label {key!r} appears twice")
                labels[key] = value
            elif not name:
                name = key  # `{"metric.name", a="b"}`: a bare quoted string is the metric name
            else:
                raise bad(f"expected '=' after label {key!r}")
            pos = _skip_spaces(line, pos)
            if pos < len(line) and line[pos] == ",":
                pos += 1
    if not name:
        raise bad("expected a metric name")
    rest = line[pos:].split("#", 1)[0].split()
    if not rest:
        raise bad("the sample has no value")
    try:
        float(rest[0])
    except ValueError:
        raise bad(f"{rest[0]!r} is not a number") from None
    return name, labels


def _family_for(sample: str, families: dict[str, _Family], typed: dict[str, str]) -> _Family:
    if sample in typed:
        return families[sample]
    for type_text, suffixes in _FAMILY_SUFFIXES.items():
        for suffix in suffixes:
            base = sample.removesuffix(suffix)
            if base != sample and typed.get(base) == type_text:
                return families[base]
    return families.setdefault(sample, _Family(name=sample))


def _iter_lines(text: str) -> Iterator[tuple[int, str]]:
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if line:
            yield lineno, line


def _catalog_name_of(family: _Family) -> str:
    """The name a family is queried by: OpenMetrics counters `x` are stored as `x_total`."""
    type_text = family.type_text
    if (
        type_text == "counter"
        and not family.name.endswith("_total")
        and (family.name + "_total" in family.series or family.name not in family.series)
    ):
        return family.name + "_total"
    if type_text == "info" and not family.name.endswith("_info"):
        return family.name + "_info"
    return family.name


def parse_exposition(text: str, *, name: str, description: str = "") -> Catalog:
    """Build a catalog from Prometheus text exposition (or OpenMetrics) output.

    Histogram and summary series are grouped into their families; label names are collected
    from the samples (without `le`/`quantile`, which the family type implies); label values are
    not kept because exposition output has no bound on them.
    """
    families: dict[str, _Family] = {}
    typed: dict[str, str] = {}
    for lineno, line in _iter_lines(text):
        if line.startswith("#"):
            parts = line[1:].strip().split(None, 2)
            if not parts:
                continue
            keyword = parts[0]
            if keyword == "EOF":
                break  # OpenMetrics: nothing after this line counts
            if keyword not in {"HELP", "TYPE", "UNIT"}:
                continue  # a plain comment
            if len(parts) < 2 or not _NAME_RE.fullmatch(parts[1]):
                raise CatalogInvalid(
                    f"line {lineno}: # {keyword} needs a valid metric name",
                    details={"line": lineno},
                )
            family = families.setdefault(parts[1], _Family(name=parts[1]))
            argument = parts[2] if len(parts) > 2 else ""
            if keyword == "HELP":
                family.help = _unescape(argument, quote=False)
            elif keyword == "UNIT":
                family.unit = argument.strip()
            else:
                type_text = argument.strip().lower()
                known = set(_FAMILY_SUFFIXES) | {"gauge", "untyped", "unknown", "stateset"}
                if type_text not in known:
                    raise CatalogInvalid(
                        f"line {lineno}: unknown metric type {argument!r} for {parts[1]}",
                        details={"line": lineno},
                    )
                family.type_text = type_text
                typed[parts[1]] = type_text
            continue
        sample, labels = _parse_sample(line, lineno=lineno)
        family = _family_for(sample, families, typed)
        if sample.endswith(_IGNORED_SERIES_SUFFIXES) and sample != family.name:
            continue
        family.series.add(sample)
        implied = set()
        if family.type_text in {"histogram", "gaugehistogram"} and sample.endswith("_bucket"):
            implied.add("le")
        if family.type_text == "summary" and sample == family.name:
            implied.add("quantile")
        family.labels.update(set(labels) - implied - {"__name__"})

    metrics: dict[str, dict[str, Any]] = {}
    for family in families.values():
        if not family.series and not family.type_text:
            continue  # a lone HELP for a metric with no samples and no type: nothing to catalog
        metric_name = _catalog_name_of(family)
        item = {
            "name": metric_name,
            "type": family.type_text or "unknown",
            "help": family.help,
            "unit": family.unit,
            "labels": sorted(family.labels),
        }
        try:
            Metric.model_validate(item)
        except ValidationError:
            # UTF-8 names (`"my.metric"`) cannot be written in classic PromQL selectors, which is
            # all the generator writes; leave them out rather than reject the whole scrape.
            continue
        metrics.setdefault(metric_name, item)
    return Catalog.model_validate(
        {
            "name": name,
            "description": description,
            "metrics": [metrics[key] for key in sorted(metrics)],
        }
    )


__all__ = [
    "MAX_CATALOG_BYTES",
    "MetricType",
    "catalog_to_data",
    "catalog_to_yaml",
    "load_catalog_file",
    "parse_catalog_yaml",
    "parse_exposition",
]
