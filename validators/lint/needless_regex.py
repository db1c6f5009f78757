"""`lint/needless-regex`: `=~"foo"` is an equality in disguise and `=~".*"` matches everything."""

from __future__ import annotations

import re
from collections.abc import Iterator

from validators.lint.base import Finding, LintCheck, LintContext, warning

_META = re.compile(r"[.+*?()\[\]{}|^$\\]")


def run(ctx: LintContext) -> Iterator[Finding]:
    seen: set[str] = set()
    for selector in ctx.analysis.selectors:
        for matcher in selector.matchers:
            if matcher.op not in ("=~", "!~") or str(matcher) in seen:
                continue
            seen.add(str(matcher))
            if matcher.value == ".*":
                effect = "matches every value" if matcher.op == "=~" else "matches nothing"
                yield warning(f"matcher {matcher} {effect}; remove it")
            elif not _META.search(matcher.value):
                plain = "=" if matcher.op == "=~" else "!="
                yield warning(
                    f'matcher {matcher} has no regex characters; use '
                    f'{matcher.name}{plain}"{matcher.value}"'
                )


CHECK = LintCheck(
    id="lint/needless-regex",
    reason="Needless regex matchers are slower and hide intent.",
    run=run,
)
