"""`lint/value-in-labels`: `$value` in a label makes a new alert every time the value changes."""

from __future__ import annotations

import re
from collections.abc import Iterator

from validators.lint.base import Finding, LintCheck, LintContext, error

_VALUE = re.compile(r"\$value\b|\.Value\b")


def run(ctx: LintContext) -> Iterator[Finding]:
    for name, text in ctx.rule.labels.items():
        if _VALUE.search(text):
            yield error(
                f"label {name!r} uses $value; labels identify the alert, so each new value would "
                "start a new alert: move it to an annotation"
            )


CHECK = LintCheck(
    id="lint/value-in-labels",
    reason="Labels must be stable; the value belongs in annotations.",
    run=run,
)
