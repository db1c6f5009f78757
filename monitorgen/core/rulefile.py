"""Canonical Prometheus rule YAML: render specs, parse files back, report problems by line.

Rendering is canonical: the same spec always gives byte-identical text (fixed key order, labels
and annotations sorted, one quoting style, block style for multi-line expressions), so exports
diff cleanly and `parse_rule_file(render_rule_file(x)) == x`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from monitorgen.core.errors import RuleFileMalformed, SpecInvalid
from monitorgen.core.spec import (
    AlertingRule,
    AnyRule,
    RecordingRule,
    RuleFile,
    RuleGroup,
    rule_file_from_data,
)


# --- rendering -----------------------------------------------------------------------------------
class _CanonicalDumper(yaml.SafeDumper):
    """Indents sequences under their key, as Prometheus' own docs do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\x85" in value:
        # PyYAML writes NEL raw in plain, single-quoted and block styles and reads it back as a
        # line break; only double quotes escape it, which keeps parse(render(x)) == x.
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    if "\n" in value and all(line == line.rstrip() for line in value.splitlines()):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_CanonicalDumper.add_representer(str, _represent_str)


def rule_to_data(rule: AnyRule) -> dict[str, Any]:
    """A rule as plain data in canonical key order, omitting unset fields."""
    data: dict[str, Any] = {}
    if isinstance(rule, AlertingRule):
        data["alert"] = rule.alert
        data["expr"] = rule.expr
        if rule.for_ is not None:
            data["for"] = rule.for_
        if rule.keep_firing_for is not None:
            data["keep_firing_for"] = rule.keep_firing_for
        if rule.labels:
            data["labels"] = dict(sorted(rule.labels.items()))
        if rule.annotations:
            data["annotations"] = dict(sorted(rule.annotations.items()))
    else:
        data["record"] = rule.record
        data["expr"] = rule.expr
        if rule.labels:
            data["labels"] = dict(sorted(rule.labels.items()))
    return data


def group_to_data(group: RuleGroup) -> dict[str, Any]:
    data: dict[str, Any] = {"name": group.name}
    if group.interval is not None:
        data["interval"] = group.interval
    if group.limit is not None:
        data["limit"] = group.limit
    data["rules"] = [rule_to_data(rule) for rule in group.rules]
    return data


def rule_file_to_data(rule_file: RuleFile) -> dict[str, Any]:
    return {"groups": [group_to_data(group) for group in rule_file.groups]}


def dump_yaml(data: Any) -> str:
    """Canonical YAML text for plain data (also used by export formats)."""
    text: str = yaml.dump(
        data,
        Dumper=_CanonicalDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
        indent=2,
    )
    return text


def render_rule_file(rule_file: RuleFile) -> str:
    return dump_yaml(rule_file_to_data(rule_file))


def render_rule(rule: AnyRule) -> str:
    return dump_yaml(rule_to_data(rule))


def render_rules(rules: list[AnyRule], *, group: str) -> str:
    return render_rule_file(RuleFile(groups=[RuleGroup(name=group, rules=rules)]))


# --- parsing -------------------------------------------------------------------------------------
_STR_TAG = "tag:yaml.org,2002:str"
# First characters for which YAML may read a plain scalar as something other than a string.
_IMPLICIT_FIRST = frozenset(k for k in yaml.SafeLoader.yaml_implicit_resolvers if k)


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe loader (libyaml when present) that rejects duplicate keys, as Prometheus does.

    Tag resolution skips the implicit-type regexes for plain text that cannot be a number,
    boolean or null: most of a rule file is such text, and the regexes were most of the cost.
    """

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is ScalarNode and value and (not implicit[0] or value[0] not in _IMPLICIT_FIRST):
            return _STR_TAG
        return super().resolve(kind, value, implicit)


def _construct_mapping(
    loader: _StrictLoader, node: MappingNode, deep: bool = False
) -> dict[Any, Any]:
    loader.flatten_mapping(node)  # YAML merge keys (`<<`), which Prometheus' parser accepts
    result: dict[Any, Any] = {}
    first_line: dict[Any, int] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in first_line:
            raise RuleFileMalformed(
                f"line {line}: duplicate key {key!r} (first at line {first_line[key]})",
                details={"line": line, "problem": "duplicate key"},
            )
        first_line[key] = line
        result[key] = loader.construct_object(value_node, deep=deep)
    return result


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


class _NeedsFullConstructor(Exception):
    """A construct the fast path leaves to PyYAML's constructor (merge keys)."""


_MERGE_TAG = "tag:yaml.org,2002:merge"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"


def _construct_fast(loader: _StrictLoader, node: Node) -> Any:
    """Data from a node tree without PyYAML's generic constructor machinery.

    Rule files are plain mappings, lists and strings; building them directly is about twice as
    fast. Non-string scalars still go through the loader (exact YAML 1.1 semantics), and merge
    keys make the caller fall back to the full constructor.
    """
    if isinstance(node, ScalarNode):
        return node.value if node.tag == _STR_TAG else loader.construct_object(node, deep=True)
    if isinstance(node, SequenceNode) and node.tag == _SEQ_TAG:
        return [_construct_fast(loader, child) for child in node.value]
    if isinstance(node, MappingNode) and node.tag == _MAP_TAG:
        result: dict[Any, Any] = {}
        first_line: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                raise _NeedsFullConstructor
            key = _construct_fast(loader, key_node)
            line = key_node.start_mark.line + 1
            if key in first_line:
                raise RuleFileMalformed(
                    f"line {line}: duplicate key {key!r} (first at line {first_line[key]})",
                    details={"line": line, "problem": "duplicate key"},
                )
            first_line[key] = line
            result[key] = _construct_fast(loader, value_node)
        return result
    # Any other tag (e.g. !!python/...) goes to the safe constructor, which refuses it.
    return loader.construct_object(node, deep=True)


def _construct(loader: _StrictLoader, node: Node) -> Any:
    try:
        return _construct_fast(loader, node)
    except (_NeedsFullConstructor, TypeError):  # TypeError: an unhashable (complex) key
        return loader.construct_document(node)


def load_yaml(text: str, *, source: str = "<input>") -> tuple[Any, Node | None]:
    """Parse YAML, returning the data and its node tree (for line numbers)."""
    loader = _StrictLoader(text)
    try:
        # One pass: compose the node tree (kept for line numbers), then construct data from it.
        node = loader.get_single_node()
        data = _construct(loader, node) if node is not None else None
    except (yaml.YAMLError, RuleFileMalformed) as exc:
        raise _malformed(exc, source) from None
    finally:
        loader.dispose()
    return data, node


def iter_yaml_documents(text: str, *, source: str = "<input>") -> Iterator[tuple[Any, Node]]:
    """Each document of a multi-document YAML stream (`---`), as data and node tree, in order.

    Lazy, so a caller keeps the documents read before a malformed one; that one raises
    RuleFileMalformed naming its line, like `load_yaml`.
    """
    loader = _StrictLoader(text)
    try:
        while True:
            try:
                if not loader.check_node():
                    return
                node = loader.get_node()
                data = _construct(loader, node)
            except (yaml.YAMLError, RuleFileMalformed) as exc:
                raise _malformed(exc, source) from None
            yield data, node
    finally:
        loader.dispose()


def _malformed(exc: yaml.YAMLError | RuleFileMalformed, source: str) -> RuleFileMalformed:
    """A YAML error (or duplicate key) as RuleFileMalformed naming the source and the line."""
    if isinstance(exc, RuleFileMalformed):
        return RuleFileMalformed(f"{source}: {exc.message}", details={**exc.details, "source": source})
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        where = f"line {line}" if line else "somewhere"
        problem = exc.problem or exc.context or "malformed YAML"
        return RuleFileMalformed(
            f"{source}: {where}: {problem}", details={"source": source, "line": line}
        )
    return RuleFileMalformed(f"{source}: {exc}", details={"source": source})


def line_of(node: Node | None, loc: list[int | str]) -> int | None:
    """1-based line of the YAML node at `loc` (or of its nearest existing parent)."""
    if node is None:
        return None
    best = node.start_mark.line + 1
    current: Node = node
    for part in loc:
        child: Node | None = None
        if isinstance(current, MappingNode) and isinstance(part, str):
            for key_node, value_node in current.value:
                if isinstance(key_node, ScalarNode) and key_node.value == part:
                    child = value_node
                    best = key_node.start_mark.line + 1
                    break
        elif (
            isinstance(current, SequenceNode)
            and isinstance(part, int)
            and part < len(current.value)
        ):
            child = current.value[part]
            best = child.start_mark.line + 1
        if child is None:
            break
        # A mapping value's problem is reported at its key's line: a block value (`labels:`)
        # starts on the next line, at a child the problem may not be about.
        current = child
    return best


def parse_rule_file(text: str, *, source: str = "<input>", lenient: bool = False) -> RuleFile:
    """Parse Prometheus rule YAML into a RuleFile; errors name the line of each problem."""
    data, node = load_yaml(text, source=source)
    if data is None:
        raise RuleFileMalformed(f"{source}: the file is empty", details={"source": source})
    if not isinstance(data, dict) or "groups" not in data:
        raise RuleFileMalformed(
            f"{source}: line 1: a rule file is a mapping with a 'groups' list",
            details={"source": source, "line": 1},
        )
    try:
        return rule_file_from_data(data, lenient=lenient)
    except SpecInvalid as exc:
        problems = []
        for problem in exc.details.get("problems", []):
            line = line_of(node, problem["loc"])
            problems.append({**problem, "line": line, "source": source})
        text_problems = "; ".join(
            f"line {p['line']}: {p['path']}: {p['message']}" for p in problems[:5]
        )
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise SpecInvalid(
            f"{source}: {text_problems}{more}", details={"problems": problems}
        ) from None


__all__ = [
    "AlertingRule",
    "RecordingRule",
    "dump_yaml",
    "iter_yaml_documents",
    "line_of",
    "load_yaml",
    "parse_rule_file",
    "render_rule",
    "render_rule_file",
    "render_rules",
    "rule_file_to_data",
    "rule_to_data",
]
