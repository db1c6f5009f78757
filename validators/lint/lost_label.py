"""`lint/aggregated-away-label`: a template reads `$labels.x` but the expression drops `x`."""

from __future__ import annotations

from collections.abc import Iterator

from monitorgen.core.promql import template_label_refs
from validators.lint.base import Finding, LintCheck, LintContext, error


def run(ctx: LintContext) -> Iterator[Finding]:
    alert = ctx.alert
    if alert is None:
        return
    kept = ctx.analysis.kept_labels
    texts = [("annotation", k, v) for k, v in alert.annotations.items()]
    texts += [("label", k, v) for k, v in alert.labels.items()]
    for kind, key, text in texts:
        for label in sorted(template_label_refs(text)):
            if not kept.keeps(label):
                yield error(
                    f"{kind} {key!r} uses $labels.{label}, but the expression does not keep "
                    f"`{label}` (it is aggregated or matched away), so it renders empty; add it "
                    "to the `by (...)` clause"
                )


CHECK = LintCheck(
    id="lint/aggregated-away-label",
    reason="Templates that read dropped labels render as empty strings.",
    run=run,
)
