"""Differences between two rule versions: field by field, and line by line for YAML and prose."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class LineKind(StrEnum):
    SAME = "same"
    ADDED = "added"
    REMOVED = "removed"


@dataclass(frozen=True)
class DiffLine:
    kind: LineKind
    text: str
    old_number: int | None
    new_number: int | None


@dataclass(frozen=True)
class FieldChange:
    """One changed field, addressed like `labels.severity` or `for`."""

    path: str
    old: Any
    new: Any


@dataclass
class VersionDiff:
    fields: list[FieldChange] = field(default_factory=list)
    yaml: list[DiffLine] = field(default_factory=list)
    explanation: list[DiffLine] = field(default_factory=list)
    unified: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.fields)

    def as_dict(self) -> dict[str, Any]:
        def lines(items: list[DiffLine]) -> list[dict[str, Any]]:
            return [
                {"kind": d.kind.value, "text": d.text, "old": d.old_number, "new": d.new_number}
                for d in items
            ]

        return {
            "changed": self.changed,
            "fields": [{"path": c.path, "old": c.old, "new": c.new} for c in self.fields],
            "yaml": lines(self.yaml),
            "explanation": lines(self.explanation),
            "unified": self.unified,
        }


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        flat: dict[str, Any] = {}
        for key, value in data.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix: data}


def field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    before, after = _flatten(old), _flatten(new)
    return [
        FieldChange(path=path, old=before.get(path), new=after.get(path))
        for path in sorted(set(before) | set(after))
        if before.get(path) != after.get(path)
    ]


def line_diff(old: str, new: str) -> list[DiffLine]:
    old_lines, new_lines = old.splitlines(), new.splitlines()
    result: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            result.extend(
                DiffLine(LineKind.SAME, old_lines[i], i + 1, j + 1)
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            )
            continue
        result.extend(DiffLine(LineKind.REMOVED, old_lines[i], i + 1, None) for i in range(i1, i2))
        result.extend(DiffLine(LineKind.ADDED, new_lines[j], None, j + 1) for j in range(j1, j2))
    return result


def diff_versions(
    *,
    old_spec: dict[str, Any],
    new_spec: dict[str, Any],
    old_yaml: str,
    new_yaml: str,
    old_explanation: str = "",
    new_explanation: str = "",
    old_label: str = "old",
    new_label: str = "new",
) -> VersionDiff:
    unified = "".join(
        difflib.unified_diff(
            old_yaml.splitlines(keepends=True),
            new_yaml.splitlines(keepends=True),
            fromfile=old_label,
            tofile=new_label,
        )
    )
    return VersionDiff(
        fields=field_changes(old_spec, new_spec),
        yaml=line_diff(old_yaml, new_yaml),
        explanation=line_diff(old_explanation, new_explanation),
        unified=unified,
    )
