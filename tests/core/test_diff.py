"""Diffs between versions name each changed field and mark added and removed lines."""

from __future__ import annotations

from monitorgen.core.diff import LineKind, diff_versions, field_changes, line_diff


def test_it_names_each_changed_field_by_path():
    old = {"alert": "A", "for": "10m", "labels": {"severity": "warning", "team": "x"}}
    new = {"alert": "A", "for": "15m", "labels": {"severity": "critical"}}
    changes = {c.path: (c.old, c.new) for c in field_changes(old, new)}
    assert changes == {
        "for": ("10m", "15m"),
        "labels.severity": ("warning", "critical"),
        "labels.team": ("x", None),
    }


def test_it_marks_added_and_removed_lines_with_their_numbers():
    lines = line_diff("a\nb\nc\n", "a\nB\nc\nd\n")
    assert [(d.kind, d.text, d.old_number, d.new_number) for d in lines] == [
        (LineKind.SAME, "a", 1, 1),
        (LineKind.REMOVED, "b", 2, None),
        (LineKind.ADDED, "B", None, 2),
        (LineKind.SAME, "c", 3, 3),
        (LineKind.ADDED, "d", None, 4),
    ]


def test_identical_versions_have_no_changes_and_an_empty_unified_diff():
    spec = {"alert": "A", "expr": "up == 0"}
    diff = diff_versions(old_spec=spec, new_spec=spec, old_yaml="x: 1\n", new_yaml="x: 1\n")
    assert not diff.changed
    assert diff.unified == ""
    assert all(line.kind is LineKind.SAME for line in diff.yaml)


def test_it_produces_a_unified_diff_labelled_with_the_versions():
    diff = diff_versions(
        old_spec={"for": "10m"}, new_spec={"for": "15m"},
        old_yaml="for: 10m\n", new_yaml="for: 15m\n",
        old_explanation="for 10 minutes", new_explanation="for 15 minutes",
        old_label="v1", new_label="v2",
    )
    assert diff.unified.startswith("--- v1\n+++ v2\n")
    assert "-for: 10m" in diff.unified and "+for: 15m" in diff.unified
    assert [d.kind for d in diff.explanation] == [LineKind.REMOVED, LineKind.ADDED]
    assert diff.as_dict()["fields"] == [{"path": "for", "old": "10m", "new": "15m"}]
