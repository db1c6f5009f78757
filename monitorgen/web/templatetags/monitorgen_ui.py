"""Template helpers: YAML/PromQL highlighting and small display filters.

The highlighter never marks input safe: every token goes through `format_html`, which escapes
it, and only the wrapping `<span>` markup is ours.
"""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from monitorgen.rules.transitions import VersionState

register = template.Library()

_PROMQL_KEYWORDS = frozenset(
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool",
        "and", "or", "unless", "sum", "avg", "min", "max", "count", "topk", "bottomk",
        "quantile", "stddev", "stdvar", "count_values", "group", "atan2",
    }
)
_GROUPING = frozenset({"by", "without", "on", "ignoring", "group_left", "group_right"})
_PROMQL_TOKEN = re.compile(
    r"""(?P<string>"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|`[^`]*`?)
      |(?P<range>\[[0-9smhdwy:]+\])
      |(?P<number>\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b)
      |(?P<ident>[A-Za-z_:][A-Za-z0-9_:]*)
      |(?P<op>==|!=|>=|<=|=~|!~|[-+*/%^<>=])
      |(?P<other>\s+|.)""",
    re.VERBOSE,
)
_YAML_LINE = re.compile(r"^(?P<indent>\s*(?:-\s+)?)(?P<key>[A-Za-z_][\w.-]*)(?P<colon>:)(?P<rest>.*)$")
_BLOCK_SCALAR = re.compile(r"^\s*[|>][+-]?\s*$")


def _span(kind: str, text: str) -> SafeString:
    return format_html('<span class="tok-{}">{}</span>', kind, text)


def _promql(text: str) -> SafeString:
    parts: list[SafeString] = []
    in_braces = False  # inside a selector's {...}: identifiers are label names
    in_grouping = False  # inside by (...) / on (...): identifiers are label names
    expect_grouping = False
    for match in _PROMQL_TOKEN.finditer(text):
        kind, value = match.lastgroup or "other", match.group()
        if kind == "ident":
            following = text[match.end():].lstrip()[:1]
            if in_braces or in_grouping:
                kind = "label"
            elif value in _PROMQL_KEYWORDS:
                kind = "keyword"
                expect_grouping = value in _GROUPING
            elif following == "(":
                kind = "function"
            else:
                kind = "metric"
        elif value == "{":
            in_braces = True
        elif value == "}":
            in_braces = False
        elif value == "(" and expect_grouping:
            in_grouping, expect_grouping = True, False
        elif value == ")":
            in_grouping = False
        parts.append(format_html("{}", value) if kind == "other" else _span(kind, value))
    return format_html_join("", "{}", ((part,) for part in parts))


def _scalar(text: str) -> SafeString:
    stripped = text.strip()
    if not stripped:
        return format_html("{}", text)
    if re.fullmatch(r"-?\d+(?:\.\d+)?|true|false|null|\d+[smhdwy]", stripped):
        return _span("number", text)
    return _span("string", text)


@register.filter
def highlight_yaml(text: Any) -> SafeString:
    """Prometheus rule YAML with keys, strings, numbers and the PromQL of `expr` coloured."""
    lines: list[SafeString] = []
    block_indent: int | None = None  # inside `expr: |` (PromQL) when set
    block_kind = "string"
    for line in str(text or "").splitlines():
        indent = len(line) - len(line.lstrip())
        if block_indent is not None and (not line.strip() or indent > block_indent):
            body = _promql(line) if block_kind == "promql" else _span("string", line)
            lines.append(body)
            continue
        block_indent = None
        if line.lstrip().startswith("#"):
            lines.append(_span("comment", line))
            continue
        match = _YAML_LINE.match(line)
        if not match:
            lines.append(_scalar(line))
            continue
        key, rest = match.group("key"), match.group("rest")
        if _BLOCK_SCALAR.match(rest):
            block_indent = len(match.group("indent"))
            block_kind = "promql" if key == "expr" else "string"
            value = _span("punct", rest)
        elif key == "expr":
            value = _promql(rest)
        else:
            value = _scalar(rest)
        lines.append(
            format_html(
                "{}{}{}{}",
                match.group("indent"),
                _span("key", key),
                _span("punct", ":"),
                value,
            )
        )
    return format_html_join("\n", "{}", ((line,) for line in lines))


@register.filter
def highlight_promql(text: Any) -> SafeString:
    return _promql(str(text or ""))


@register.filter
def state_label(state: Any) -> str:
    try:
        return str(VersionState(str(state)).label)
    except ValueError:
        return str(state)


@register.filter
def show_value(value: Any) -> str:
    """A field value in a diff table: missing values say so instead of printing None."""
    if value is None:
        return "(not set)"
    return str(value)


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int) -> str:
    """The current URL's query string with `page` replaced, so searches survive paging."""
    request = context["request"]
    query = request.GET.copy()
    query["page"] = str(number)
    return "?" + str(query.urlencode())
