"""Read rule files in the four formats monitorgen imports, with a line number for every problem.

Formats (`RuleFormat`), detected per YAML document when asked for `auto`:

- `prometheus`: a Prometheus rule file, `{groups: [...]}`;
- `thanos`: the same, whose groups may carry `partial_response_strategy: warn|abort`;
- `mimir`: a Mimir/Cortex ruler namespace file, `{namespace: x, groups: [...]}`;
- `operator`: a prometheus-operator `PrometheusRule` object (`spec.groups`), alone, in a
  multi-document stream, or in a `kind: List`; other Kubernetes objects are skipped and listed.

Parsing is per rule and lenient: a rule that breaks the structural schema (bad PromQL, bad
names, unknown fields) is reported as an error with its line and left out, and the rules around
it are kept. A rule that only misses monitorgen's own conventions (a `severity` label, `summary`
and `description` annotations) is kept, and each gap is reported as a warning. Group settings the
format defines but `RuleGroup` does not model (group labels, `query_offset`, Thanos' and Mimir's
fields) come back as `GroupMeta`; Kubernetes metadata and the Mimir namespace on the document.
Pure: no Django, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from pydantic import ValidationError
from yaml.nodes import Node

from monitorgen.core.durations import DurationError, normalize_duration
from monitorgen.core.errors import InvalidInput, RuleFileMalformed, SpecInvalid
from monitorgen.core.rulefile import iter_yaml_documents, line_of
from monitorgen.core.spec import (
    LABEL_NAME_RE,
    AnyRule,
    RuleFile,
    RuleGroup,
    format_location,
    problems_from_validation_error,
    rule_from_data,
)


class RuleFormat(StrEnum):
    PROMETHEUS = "prometheus"
    OPERATOR = "operator"
    MIMIR = "mimir"
    THANOS = "thanos"


AUTO = "auto"
FORMAT_CHOICES: tuple[str, ...] = (AUTO, *(f.value for f in RuleFormat))
FORMAT_LABELS: dict[str, str] = {
    AUTO: "Detect per document",
    RuleFormat.PROMETHEUS: "Prometheus rule file",
    RuleFormat.OPERATOR: "prometheus-operator PrometheusRule",
    RuleFormat.MIMIR: "Mimir/Cortex ruler namespace",
    RuleFormat.THANOS: "Thanos ruler file",
}
OPERATOR_API_GROUP = "monitoring.coreos.com/"
PARTIAL_RESPONSE_STRATEGIES = ("warn", "abort")

_COMMON_GROUP_FIELDS = frozenset({"name", "interval", "limit", "rules", "query_offset", "labels"})
_GROUP_FIELDS: dict[RuleFormat, frozenset[str]] = {
    RuleFormat.PROMETHEUS: _COMMON_GROUP_FIELDS,
    RuleFormat.THANOS: _COMMON_GROUP_FIELDS | {"partial_response_strategy"},
    # The operator passes partial_response_strategy on to a ThanosRuler.
    RuleFormat.OPERATOR: _COMMON_GROUP_FIELDS | {"partial_response_strategy"},
    # `evaluation_delay` is Cortex's older name for `query_offset`.
    RuleFormat.MIMIR: _COMMON_GROUP_FIELDS | {"source_tenants", "evaluation_delay"},
}
_TOP_FIELDS: dict[RuleFormat, frozenset[str]] = {
    RuleFormat.PROMETHEUS: frozenset({"groups"}),
    RuleFormat.THANOS: frozenset({"groups"}),
    RuleFormat.MIMIR: frozenset({"namespace", "groups"}),
}

Loc = list[int | str]
ProblemLevel = Literal["error", "warning"]


# --- results -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FormatProblem:
    """One finding while reading a file. `check`: yaml | format | schema | policy."""

    level: ProblemLevel
    check: str
    message: str
    source: str
    line: int | None = None
    document: int | None = None  # 1-based position in a multi-document stream
    group: str | None = None
    rule: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "check": self.check,
            "message": self.message,
            "source": self.source,
            "line": self.line,
            "document": self.document,
            "group": self.group,
            "rule": self.rule,
        }


@dataclass(frozen=True)
class SkippedObject:
    """A Kubernetes object in the stream that holds no rules (a Deployment, a ConfigMap...)."""

    source: str
    document: int
    line: int | None
    kind: str
    name: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "document": self.document,
            "line": self.line,
            "kind": self.kind,
            "name": self.name,
        }


@dataclass(frozen=True)
class RejectedRule:
    """A rule that could not be read (bad PromQL, names, fields...): left out, with its errors."""

    name: str  # its alert or record name, or "rule <n>" when it has none
    group: str
    document: int
    line: int | None  # where the rule starts; each problem has its own line
    problems: tuple[FormatProblem, ...]


@dataclass(frozen=True)
class GroupMeta:
    """What a format says about a group beyond `RuleGroup`'s name, interval and limit."""

    line: int | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    query_offset: str | None = None
    partial_response_strategy: str | None = None  # Thanos
    source_tenants: tuple[str, ...] = ()  # Mimir federated rule groups

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.labels:
            data["labels"] = dict(self.labels)
        if self.query_offset is not None:
            data["query_offset"] = self.query_offset
        if self.partial_response_strategy is not None:
            data["partial_response_strategy"] = self.partial_response_strategy
        if self.source_tenants:
            data["source_tenants"] = list(self.source_tenants)
        return data


@dataclass(frozen=True)
class ParsedRule:
    rule: AnyRule
    group: RuleGroup  # the group as parsed (its `rules` hold only the rules that parsed)
    group_meta: GroupMeta
    line: int | None
    # Gaps in monitorgen's conventions (check `policy`): the rule is kept as written.
    warnings: tuple[FormatProblem, ...] = ()


@dataclass(frozen=True)
class ParsedDocument:
    """One document's rules: those that parsed, with their groups, lines and format metadata."""

    source: str
    index: int  # 1-based position in the stream
    line: int
    format: RuleFormat
    rule_file: RuleFile
    group_meta: tuple[GroupMeta, ...]  # one per group of `rule_file`
    parsed_rules: tuple[ParsedRule, ...]  # every rule of `rule_file`, in order
    namespace: str | None = None  # the Mimir namespace, or the Kubernetes object's namespace
    name: str | None = None  # the PrometheusRule's metadata.name
    labels: Mapping[str, str] = field(default_factory=dict)  # the PrometheusRule's labels
    annotations: Mapping[str, str] = field(default_factory=dict)

    def rules(self) -> Iterator[ParsedRule]:
        return iter(self.parsed_rules)

    def metadata(self) -> dict[str, Any]:
        """Format metadata worth recording with each imported rule (empty parts left out)."""
        data: dict[str, Any] = {"format": self.format.value, "document": self.index}
        if self.namespace is not None:
            data["namespace"] = self.namespace
        if self.name is not None:
            data["object"] = self.name
        if self.labels:
            data["object_labels"] = dict(self.labels)
        return data


@dataclass(frozen=True)
class ParsedSource:
    """Everything read from one file: documents with rules, problems, skipped objects."""

    source: str
    documents: tuple[ParsedDocument, ...]
    # Problems of the file, its documents and groups. A rule's own problems are on it: errors
    # on its `RejectedRule`, policy warnings on its `ParsedRule`.
    problems: tuple[FormatProblem, ...]
    skipped: tuple[SkippedObject, ...]
    rejected: tuple[RejectedRule, ...] = ()

    @property
    def errors(self) -> list[FormatProblem]:
        return [p for p in self.all_problems() if p.level == "error"]

    @property
    def warnings(self) -> list[FormatProblem]:
        return [p for p in self.all_problems() if p.level == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def formats(self) -> list[str]:
        return sorted({d.format.value for d in self.documents})

    def rules(self) -> Iterator[tuple[ParsedDocument, ParsedRule]]:
        for document in self.documents:
            for parsed in document.rules():
                yield document, parsed

    def all_problems(self) -> list[FormatProblem]:
        """Every problem, the rules' own included, in line order."""
        found = [
            *self.problems,
            *(p for rejected in self.rejected for p in rejected.problems),
            *(w for _, parsed in self.rules() for w in parsed.warnings),
        ]
        return sorted(found, key=lambda p: (p.document or 0, p.line or 0))


def check_format(value: str) -> str:
    """`value` if it names a format (or auto); InvalidInput listing the choices otherwise."""
    if value not in FORMAT_CHOICES:
        raise InvalidInput(
            f"unknown rule-file format {value!r}: use one of {', '.join(FORMAT_CHOICES)}",
            details={"format": value},
        )
    return value


# --- parsing -------------------------------------------------------------------------------------
def parse_rule_documents(text: str, *, source: str = "<input>", format: str = AUTO) -> ParsedSource:
    """Read every document of `text` as the given format (or detect each one with `auto`).

    Never raises for bad content: YAML errors, wrong shapes and invalid rules become problems
    with line numbers, and everything readable before or around them is returned.
    """
    return _Reader(source, check_format(format)).read(text)


class _Reader:
    def __init__(self, source: str, format: str) -> None:
        self.source = source
        self.format = format
        self.documents: list[ParsedDocument] = []
        self.problems: list[FormatProblem] = []
        self.skipped: list[SkippedObject] = []
        self.rejected: list[RejectedRule] = []
        # Per document being read:
        self.index = 0
        self.node: Node | None = None

    def read(self, text: str) -> ParsedSource:
        seen_any = False
        try:
            for index, (data, node) in enumerate(iter_yaml_documents(text, source=self.source), 1):
                self.index, self.node = index, node
                if data is not None:
                    seen_any = True
                    self._document(data, [])
        except RuleFileMalformed as exc:
            line = exc.details.get("line")
            self._problem("error", "yaml", exc.message, line=line if isinstance(line, int) else None)
        except RecursionError:
            self._problem("error", "yaml", f"{self.source}: the YAML is nested too deeply to read")
        if not seen_any and not self.problems:
            self._problem("warning", "format", f"{self.source}: the file is empty; no rules found")
        return ParsedSource(
            source=self.source,
            documents=tuple(self.documents),
            problems=tuple(self.problems),
            skipped=tuple(self.skipped),
            rejected=tuple(self.rejected),
        )

    # --- helpers ---------------------------------------------------------------------------------
    def _line(self, loc: Loc) -> int | None:
        return line_of(self.node, loc)

    def _problem(
        self,
        level: ProblemLevel,
        check: str,
        message: str,
        *,
        line: int | None = None,
        group: str | None = None,
        rule: str | None = None,
    ) -> None:
        self.problems.append(
            FormatProblem(
                level=level, check=check, message=message, source=self.source, line=line,
                document=self.index or None, group=group, rule=rule,
            )
        )

    def _where(self) -> str:
        return f"document {self.index}" if self.index > 1 else "the document"

    # --- documents -------------------------------------------------------------------------------
    def _document(self, data: Any, base: Loc) -> None:
        line = self._line(base)
        if not isinstance(data, dict):
            self._problem(
                "error", "format",
                f"{self._where()} is a {_type_name(data)}, not a mapping: expected a rule file "
                "with 'groups', a Mimir namespace file or a PrometheusRule",
                line=line,
            )
            return
        if "kind" in data and "apiVersion" in data:
            self._kubernetes_object(data, base)
            return
        if "groups" not in data and "namespace" not in data:
            self._problem(
                "error", "format",
                f"{self._where()} is not a rule file: expected 'groups' (Prometheus, Thanos), "
                "'namespace' and 'groups' (Mimir/Cortex), or a Kubernetes PrometheusRule",
                line=line,
            )
            return
        detected = _detect_plain(data)
        fmt = detected if self.format == AUTO else RuleFormat(self.format)
        if fmt is RuleFormat.OPERATOR:
            self._problem(
                "error", "format",
                f"{self._where()} is a {FORMAT_LABELS[detected]}, not a PrometheusRule: "
                f"import it with format {detected.value} or auto",
                line=line,
            )
            return
        if fmt is RuleFormat.MIMIR and "namespace" not in data:
            self._problem(
                "error", "format",
                f"{self._where()} has no 'namespace': a Mimir/Cortex rule file names its "
                "namespace at the top (or import it with format prometheus or auto)",
                line=line,
            )
            return
        namespace: str | None = None
        if "namespace" in data:
            if fmt is not RuleFormat.MIMIR:
                self._problem(
                    "error", "format",
                    f"a top-level 'namespace' belongs to Mimir/Cortex rule files, not to the "
                    f"{FORMAT_LABELS[fmt]} format: import it with format mimir or auto",
                    line=self._line([*base, "namespace"]),
                )
                return
            raw = data["namespace"]
            if not isinstance(raw, str) or not raw.strip():
                self._problem(
                    "error", "format", "'namespace' must be a non-empty string",
                    line=self._line([*base, "namespace"]),
                )
                return
            namespace = raw
        for key in data:
            if key not in _TOP_FIELDS[fmt]:
                self._problem(
                    "warning", "format",
                    f"top-level field {key!r} is not part of the {FORMAT_LABELS[fmt]} format; "
                    "ignored",
                    line=self._line([*base, str(key)]),
                )
        self._groups(data.get("groups"), [*base, "groups"], fmt, line=line, namespace=namespace)

    def _kubernetes_object(self, data: dict[Any, Any], base: Loc) -> None:
        kind = str(data.get("kind"))
        metadata = data.get("metadata")
        if not isinstance(metadata, dict):
            metadata = {}
        name = metadata.get("name")
        line = self._line(base)
        items = data.get("items")
        if kind == "List" or (kind.endswith("List") and isinstance(items, list)):
            if not isinstance(items, list):
                self._problem(
                    "error", "format", f"a Kubernetes {kind} needs an 'items' list", line=line
                )
                return
            for position, item in enumerate(items):
                item_base: Loc = [*base, "items", position]
                if isinstance(item, dict) and "kind" in item:
                    self._kubernetes_object(item, item_base)
                else:
                    self._problem(
                        "error", "format",
                        f"item {position + 1} of the {kind} is not a Kubernetes object "
                        "(it has no 'kind')",
                        line=self._line(item_base),
                    )
            return
        if kind != "PrometheusRule":
            self.skipped.append(
                SkippedObject(
                    source=self.source, document=self.index, line=line, kind=kind,
                    name=str(name) if name is not None else None,
                )
            )
            return
        if self.format not in (AUTO, RuleFormat.OPERATOR):
            self._problem(
                "error", "format",
                f"PrometheusRule {name or '(unnamed)'} is a Kubernetes object, not a "
                f"{FORMAT_LABELS[self.format]}: import it with format operator or auto",
                line=line,
            )
            return
        api_version = str(data.get("apiVersion"))
        if not api_version.startswith(OPERATOR_API_GROUP):
            self._problem(
                "warning", "format",
                f"PrometheusRule {name or '(unnamed)'} has apiVersion {api_version!r}; "
                f"prometheus-operator's is {OPERATOR_API_GROUP}v1",
                line=self._line([*base, "apiVersion"]),
            )
        spec = data.get("spec")
        if not isinstance(spec, dict):
            self._problem(
                "error", "format",
                f"PrometheusRule {name or '(unnamed)'} has no 'spec' mapping with 'groups'",
                line=line,
            )
            return
        self._groups(
            spec.get("groups"), [*base, "spec", "groups"], RuleFormat.OPERATOR, line=line,
            namespace=_str_or_none(metadata.get("namespace")), name=_str_or_none(name),
            labels=_string_map(metadata.get("labels")),
            annotations=_string_map(metadata.get("annotations")),
        )

    # --- groups and rules ------------------------------------------------------------------------
    def _groups(
        self,
        groups: Any,
        loc: Loc,
        fmt: RuleFormat,
        *,
        line: int | None,
        namespace: str | None = None,
        name: str | None = None,
        labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
    ) -> None:
        if groups is None:
            groups = []
        if not isinstance(groups, list):
            self._problem(
                "error", "format", f"'groups' must be a list of groups, not a {_type_name(groups)}",
                line=self._line(loc),
            )
            return
        parsed: list[tuple[RuleGroup, GroupMeta, list[ParsedRule]]] = []
        names: dict[str, int | None] = {}
        for index, data in enumerate(groups):
            result = self._group(data, [*loc, index], fmt, names)
            if result is not None:
                parsed.append(result)
        self.documents.append(
            ParsedDocument(
                source=self.source,
                index=self.index,
                line=line or 1,
                format=fmt,
                rule_file=RuleFile(groups=[g for g, _, _ in parsed]),
                group_meta=tuple(m for _, m, _ in parsed),
                parsed_rules=tuple(r for _, _, rules in parsed for r in rules),
                namespace=namespace,
                name=name,
                labels=dict(labels or {}),
                annotations=dict(annotations or {}),
            )
        )

    def _group(
        self, data: Any, loc: Loc, fmt: RuleFormat, names: dict[str, int | None]
    ) -> tuple[RuleGroup, GroupMeta, list[ParsedRule]] | None:
        line = self._line(loc)
        position = int(loc[-1]) + 1
        if not isinstance(data, dict):
            self._problem(
                "error", "schema",
                f"group {position} must be a mapping with 'name' and 'rules', not a "
                f"{_type_name(data)}",
                line=line,
            )
            return None
        raw_name = data.get("name")
        group_name = str(raw_name) if isinstance(raw_name, str | int) else None
        rules = data.get("rules")
        count = len(rules) if isinstance(rules, list) else 0
        not_imported = f"; its {count} rule{'s' if count != 1 else ''} cannot be read" if count else ""
        errors: list[str] = []
        if not group_name or not group_name.strip():
            errors.append(f"group {position} has no name")
        elif group_name in names:
            errors.append(
                f"group name {group_name!r} is used twice in one document "
                f"(first at line {names[group_name]})"
            )
        if rules is not None and not isinstance(rules, list):
            errors.append(f"'rules' must be a list, not a {_type_name(rules)}")
        meta_errors, meta = self._group_meta(data, loc, fmt, group_name)
        errors += meta_errors
        group: RuleGroup | None = None
        if not errors:
            try:
                group = RuleGroup.model_validate(
                    {k: data[k] for k in ("name", "interval", "limit") if k in data},
                    context={"policy": "lenient"},
                )
            except ValidationError as exc:
                errors += [
                    f"{p['path']}: {p['message']}" for p in problems_from_validation_error(exc)
                ]
        if errors or group is None:
            for message in errors:
                self._problem("error", "schema", message + not_imported, line=line, group=group_name)
            return None
        names[group.name] = line
        kept: list[tuple[AnyRule, int | None, tuple[FormatProblem, ...]]] = []
        for index, rule_data in enumerate(rules or []):
            rule_loc: Loc = [*loc, "rules", index]
            read = self._rule(rule_data, rule_loc, group.name)
            if read is not None:
                kept.append((read[0], self._line(rule_loc), read[1]))
        group = group.model_copy(update={"rules": [rule for rule, _, _ in kept]})
        parsed = [
            ParsedRule(rule=rule, group=group, group_meta=meta, line=rule_line, warnings=warnings)
            for rule, rule_line, warnings in kept
        ]
        return group, meta, parsed

    def _group_meta(
        self, data: dict[Any, Any], loc: Loc, fmt: RuleFormat, group: str | None
    ) -> tuple[list[str], GroupMeta]:
        errors: list[str] = []
        for key in data:
            if key not in _GROUP_FIELDS[fmt]:
                hint = ""
                if key == "partial_response_strategy":
                    hint = " (it is a Thanos field: import with format thanos or auto to keep it)"
                elif key in ("source_tenants", "evaluation_delay"):
                    hint = " (it is a Mimir/Cortex field)"
                self._problem(
                    "warning", "format",
                    f"group field {key!r} is not part of the {FORMAT_LABELS[fmt]} format; "
                    f"ignored{hint}",
                    line=self._line([*loc, str(key)]), group=group,
                )
        labels: dict[str, str] = {}
        raw_labels = data.get("labels")
        if raw_labels is not None:
            if not isinstance(raw_labels, dict):
                errors.append("group 'labels' must be a mapping of label names to values")
            else:
                for key, value in raw_labels.items():
                    if not isinstance(key, str) or not LABEL_NAME_RE.match(key) or key.startswith("__"):
                        errors.append(f"group label name {key!r} is invalid")
                    elif isinstance(value, dict | list) or value is None:
                        errors.append(f"group label {key!r} must be a string")
                    else:
                        labels[key] = str(value).lower() if isinstance(value, bool) else str(value)
        offset: str | None = None
        raw_offset = data.get("query_offset", data.get("evaluation_delay"))
        if raw_offset is not None:
            try:
                offset = normalize_duration(str(raw_offset))
            except DurationError as exc:
                errors.append(f"query_offset: {exc}")
        strategy: str | None = None
        if "partial_response_strategy" in data and "partial_response_strategy" in _GROUP_FIELDS[fmt]:
            raw_strategy = str(data["partial_response_strategy"]).lower()
            if raw_strategy not in PARTIAL_RESPONSE_STRATEGIES:
                errors.append(
                    f"partial_response_strategy must be warn or abort, not "
                    f"{data['partial_response_strategy']!r}"
                )
            else:
                strategy = raw_strategy
        tenants: tuple[str, ...] = ()
        if "source_tenants" in data and "source_tenants" in _GROUP_FIELDS[fmt]:
            raw_tenants = data["source_tenants"]
            if not isinstance(raw_tenants, list) or not all(isinstance(t, str) for t in raw_tenants):
                errors.append("source_tenants must be a list of tenant ids")
            else:
                tenants = tuple(raw_tenants)
        meta = GroupMeta(
            line=self._line(loc), labels=labels, query_offset=offset,
            partial_response_strategy=strategy, source_tenants=tenants,
        )
        return errors, meta

    def _rule(
        self, data: Any, loc: Loc, group: str
    ) -> tuple[AnyRule, tuple[FormatProblem, ...]] | None:
        line = self._line(loc)
        position = int(loc[-1]) + 1
        if not isinstance(data, dict):
            self._problem(
                "error", "schema",
                f"rule {position} of group {group!r} must be a mapping (alert or record, expr, "
                f"...), not a {_type_name(data)}",
                line=line, group=group,
            )
            return None
        raw_name = data.get("alert", data.get("record"))
        name = str(raw_name) if raw_name is not None else f"rule {position}"
        if isinstance(data.get("expr"), int | float) and not isinstance(data.get("expr"), bool):
            # The operator's CRD types expr as int-or-string, and YAML reads `expr: 1` as a number.
            data = {**data, "expr": str(data["expr"])}
        # Strict first: most rules meet the conventions, and then one validation is enough.
        try:
            return rule_from_data(data, lenient=False), ()
        except SpecInvalid as exc:
            gaps = exc.details.get("problems", [])
        try:
            rule = rule_from_data(data, lenient=True)
        except SpecInvalid as exc:
            problems = tuple(
                FormatProblem(
                    level="error", check="schema", message=_rule_message(problem),
                    source=self.source, line=self._line([*loc, *problem.get("loc", [])]) or line,
                    document=self.index, group=group, rule=name,
                )
                for problem in exc.details.get("problems") or [{"loc": [], "message": exc.message}]
            )
            self.rejected.append(
                RejectedRule(name=name, group=group, document=self.index, line=line,
                             problems=problems)
            )
            return None
        # It failed only the conventions: keep it, and report each gap.
        warnings = [
            FormatProblem(
                level="warning", check="policy",
                message=f"{_rule_message(problem)} (monitorgen's convention; kept as imported)",
                source=self.source, line=self._line([*loc, *problem.get("loc", [])]) or line,
                document=self.index, group=group, rule=name,
            )
            for problem in gaps
        ]
        return rule, tuple(warnings)


def _detect_plain(data: dict[Any, Any]) -> RuleFormat:
    if "namespace" in data:
        return RuleFormat.MIMIR
    groups = data.get("groups")
    if isinstance(groups, list) and any(
        isinstance(g, dict) and "partial_response_strategy" in g for g in groups
    ):
        return RuleFormat.THANOS
    return RuleFormat.PROMETHEUS


def _rule_message(problem: Mapping[str, Any]) -> str:
    path = problem.get("path") or format_location(tuple(problem.get("loc", ())))
    where = "" if path == "(top level)" else f"{path}: "
    return f"{where}{problem.get('message', '')}"


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "mapping", list: "list", str: "string", bool: "boolean"}.get(
        type(value), "number" if isinstance(value, int | float) else type(value).__name__
    )


def _str_or_none(value: Any) -> str | None:
    return str(value) if value is not None else None


def _string_map(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): str(v) for k, v in value.items() if v is not None}


__all__ = [
    "AUTO",
    "FORMAT_CHOICES",
    "FORMAT_LABELS",
    "FormatProblem",
    "GroupMeta",
    "ParsedDocument",
    "ParsedRule",
    "ParsedSource",
    "RejectedRule",
    "RuleFormat",
    "SkippedObject",
    "check_format",
    "parse_rule_documents",
]
