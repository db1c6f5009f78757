"""The manifest of managed files: canonical text, rule-level changes, damaged manifests."""

from __future__ import annotations

import pytest

from monitorgen.core.errors import Conflict
from monitorgen.core.formats.manifest import (
    TargetEntry,
    digest,
    parse_manifest,
    render_manifest,
    rule_changes,
    rule_index,
)


def entry(**rules: str) -> TargetEntry:
    keys = {("payments", "checkout", name): sha for name, sha in rules.items()}
    return TargetEntry(format="prometheus", files={"rules/p/c.yml": digest("x")},
                       rules=rule_index(keys))


def test_the_manifest_text_is_canonical_and_reads_back():
    entries = {"prod": entry(B="2", A="1"), "dev": entry(A="1")}
    text = render_manifest(entries)
    assert text == render_manifest(dict(reversed(list(entries.items()))))
    assert parse_manifest(text.encode()) == entries
    assert text.index('"dev"') < text.index('"prod"')


def test_no_manifest_means_no_managed_files():
    assert parse_manifest(None) == {}


@pytest.mark.parametrize(
    "data", [b"{not json", b"[]", b'{"targets": {"prod": {"files": ["a"]}}}', b"\xff\xfe"]
)
def test_a_damaged_manifest_is_a_conflict_that_says_how_to_fix_it(data: bytes):
    with pytest.raises(Conflict, match="restore it from the repository's history"):
        parse_manifest(data)


def test_rule_changes_say_what_was_added_changed_and_removed():
    old = entry(A="1", B="2", C="3").rules
    new = entry(A="1", B="9", D="4").rules
    changes = rule_changes(old, new)
    assert changes.added == [("payments", "checkout", "D")]
    assert changes.changed == [("payments", "checkout", "B")]
    assert changes.removed == [("payments", "checkout", "C")]
    assert rule_changes(new, new).empty
