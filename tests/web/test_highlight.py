"""The YAML/PromQL highlighter colours tokens and escapes everything it is given."""

from __future__ import annotations

from monitorgen.web.templatetags.monitorgen_ui import highlight_promql, highlight_yaml


def test_keys_strings_and_durations_get_their_own_classes():
    html = str(highlight_yaml("alert: Slow\nfor: 10m\n"))
    assert '<span class="tok-key">alert</span>' in html
    assert '<span class="tok-string"> Slow</span>' in html
    assert '<span class="tok-number"> 10m</span>' in html


def test_promql_tokens_are_told_apart():
    html = str(highlight_promql('sum by (le) (rate(x_bucket{job="a"}[5m])) > 0.5'))
    assert '<span class="tok-keyword">sum</span>' in html
    assert '<span class="tok-label">le</span>' in html
    assert '<span class="tok-function">rate</span>' in html
    assert '<span class="tok-metric">x_bucket</span>' in html
    assert '<span class="tok-label">job</span>' in html
    assert '<span class="tok-string">&quot;a&quot;</span>' in html
    assert '<span class="tok-range">[5m]</span>' in html
    assert '<span class="tok-op">&gt;</span>' in html


def test_a_block_scalar_expr_is_highlighted_as_promql():
    html = str(highlight_yaml("expr: |-\n  rate(a_total[5m])\n  > 1\nfor: 5m\n"))
    assert '<span class="tok-function">rate</span>' in html
    assert '<span class="tok-key">for</span>' in html


def test_markup_in_any_value_comes_out_escaped():
    html = str(highlight_yaml(
        "summary: <script>alert(1)</script>\n# <b>\nexpr: a{x=\"</span><img src=x>\"}\n"
    ))
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x&gt;" in html


def test_the_text_reads_the_same_once_tags_are_stripped():
    import re
    from html import unescape

    source = 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up{job="x"} == 0\n'
    assert unescape(re.sub(r"<[^>]+>", "", str(highlight_yaml(source)))) == source.rstrip("\n")
