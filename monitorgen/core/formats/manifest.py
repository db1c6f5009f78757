"""The manifest of managed files: how an export knows which files in a repository are its own.

`.monitorgen-managed.json`, at the repository root, lists per export target the files it wrote
(with each file's SHA-256) and the rules in them (team → group → name → content hash). An export
only writes, rewrites or deletes files its target lists, so files monitorgen does not manage are
never touched; the hashes show when someone edited a managed file outside monitorgen; the rule
index turns a file diff into "which rules were added, changed or removed" for the commit message.

Several targets may share one repository and branch: each has its own entry. The text is
canonical (sorted keys, fixed indentation, no timestamps), so an unchanged export leaves it
byte-identical and makes no commit.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from monitorgen.core.errors import Conflict

MANIFEST_PATH = ".monitorgen-managed.json"
MANIFEST_VERSION = 1
ABOUT = (
    "Files written by monitorgen exports, per export target. monitorgen rewrites and deletes "
    "only these files and leaves every other file alone. Do not edit."
)

# team -> group -> rule name -> content hash
RuleIndex = dict[str, dict[str, dict[str, str]]]
RuleKey = tuple[str, str, str]


def digest(data: bytes | str) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


@dataclass(frozen=True)
class TargetEntry:
    format: str
    files: dict[str, str] = field(default_factory=dict)  # path -> sha256 of the file
    rules: RuleIndex = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"files": dict(self.files), "format": self.format, "rules": self.rules}


def _bad(reason: str) -> Conflict:
    return Conflict(
        f"{MANIFEST_PATH} in the repository is damaged ({reason}); restore it from the "
        "repository's history, then export again"
    )


def parse_manifest(data: bytes | None) -> dict[str, TargetEntry]:
    """Target name → entry; an absent manifest is empty. A damaged one is a Conflict."""
    if data is None:
        return {}
    try:
        loaded = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _bad("not valid JSON") from None
    if not isinstance(loaded, dict) or not isinstance(loaded.get("targets", {}), dict):
        raise _bad("no 'targets' mapping")
    entries: dict[str, TargetEntry] = {}
    for name, entry in loaded.get("targets", {}).items():
        if not isinstance(entry, dict):
            raise _bad(f"target {name!r} is not a mapping")
        files, rules = entry.get("files", {}), entry.get("rules", {})
        if not isinstance(files, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in files.items()
        ):
            raise _bad(f"target {name!r} has a malformed 'files' list")
        if not isinstance(rules, dict):
            raise _bad(f"target {name!r} has a malformed 'rules' index")
        entries[str(name)] = TargetEntry(
            format=str(entry.get("format", "")), files=dict(files), rules=rules
        )
    return entries


def render_manifest(entries: Mapping[str, TargetEntry]) -> str:
    body = {
        "about": ABOUT,
        "targets": {name: entries[name].as_dict() for name in sorted(entries)},
        "version": MANIFEST_VERSION,
    }
    return json.dumps(body, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def rule_keys(index: RuleIndex) -> dict[RuleKey, str]:
    return {
        (team, group, name): sha
        for team, groups in index.items()
        if isinstance(groups, dict)
        for group, rules in groups.items()
        if isinstance(rules, dict)
        for name, sha in rules.items()
    }


def rule_index(keys: Mapping[RuleKey, str]) -> RuleIndex:
    index: RuleIndex = {}
    for (team, group, name), sha in keys.items():
        index.setdefault(team, {}).setdefault(group, {})[name] = sha
    return index


@dataclass(frozen=True)
class RuleChanges:
    added: list[RuleKey]
    changed: list[RuleKey]
    removed: list[RuleKey]

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


def rule_changes(old: RuleIndex, new: RuleIndex) -> RuleChanges:
    before, after = rule_keys(old), rule_keys(new)
    return RuleChanges(
        added=sorted(k for k in after if k not in before),
        changed=sorted(k for k in after if k in before and before[k] != after[k]),
        removed=sorted(k for k in before if k not in after),
    )


__all__ = [
    "MANIFEST_PATH",
    "RuleChanges",
    "RuleIndex",
    "RuleKey",
    "TargetEntry",
    "digest",
    "parse_manifest",
    "render_manifest",
    "rule_changes",
    "rule_index",
    "rule_keys",
]
