"""How sure the embedded planner is of its best candidate: the confidence model (`assess`).

`assess(best, candidates, context)` turns the evidence for the best candidate into a
`Confidence`: a logistic function of how much of the metric's name the intent explains (overall
and in its title), the score lead over candidates on other metrics, how naturally the family
answers the intent, and the help text's agreement. The planner answers when the value reaches
its operating point and asks otherwise.

The rules here decide which rivals count against the lead and which ones the intent rules out
(`ruled_out_rivals`): a sibling of another aspect (`_said_sibling`), a longer name that only
extends the best one, a limit that is only the whole of a rival share, a label value or subject
the title names (by a name word, a label the metric is split by, or the flag of what the title
says is down), a rival that shares only its product's name, a setting or allowance nobody
mentioned, a unit or type that does not fit (a count for a share or for space), a named act, a
rival that outscores the best on the details but says less of the title and adds a subject
nobody said (`_overtaken_on_title`), the best name in another namespace plus an unsaid kind, a
share's resource narrowed by an unsaid qualifier (a quota's `limits`), a duration when the
intent says nothing of time (`_unsaid_durations`), the other of two liveness flags of one
thing (`x_up`, `x_running`: `_liveness_twins`), the measure an alarm the title names watches
(`_watched_by_alarm`). Some
shapes settle the question on their own (`_shape_settles_it`). These decide *how sure* the
planner is, never *which* rules are built: that stays with `planner`, which imports from here
and never the other way round.

Everything here is deterministic and reads only the candidates, the catalog context and the
intent's text.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from monitorgen.core.catalog import Metric, MetricType
from monitorgen.core.generation.context import GenerationContext, ScoredMetric
from monitorgen.core.generation.naming import (
    FREE_WORDS,
    LIMIT_WORDS,
    STRONG_LIMIT_WORDS,
    USED_WORDS,
    effective_type,
    is_counter_like,
    is_info_metric,
    is_limit,
    is_part_word,
    is_timestamp_metric,
    metric_unit,
    name_stems,
)
from monitorgen.core.generation.ranking import IntentTerms, intent_terms, subject_stems
from monitorgen.core.generation.recipes import Candidate
from monitorgen.core.generation.vocabulary import (
    ABBREVIATIONS,
    STOPWORDS,
    concepts,
    concepts_of_stem,
    opposite_stems,
    split_identifier,
    stem,
    stems,
    words,
)

# How many of the best ranked metrics the planner builds candidates for and weighs as rivals.
TOP_METRICS = 6
# A status class or code the intent names ("5xx", "404").
ERROR_CLASS_RE = re.compile(r"\b([45])(?:xx|\d\d)\b", re.I)


@dataclass(frozen=True)
class Confidence:
    """How sure the planner is of its best candidate, and the evidence behind it."""

    value: float  # 0..1
    coverage: float  # share of the metric's name the intent explains
    lead: float  # score lead over the best candidate on other metrics
    fit: float  # how naturally the family answers the intent
    help: float  # agreement of the metric's help text with the intent
    missing: int  # informative name words the intent does not mention
    title: float = 0.0  # share of the intent's title words the metric's name explains
    relative_lead: float = 0.0  # the lead as a share of the best metric's score
    rival_coverage: float = 0.0  # how much of the runner-up metric's name the intent explains

    def as_dict(self) -> dict[str, Any]:
        return {"value": round(self.value, 3), "coverage": self.coverage,
                "lead": round(self.lead, 3), "fit": round(self.fit, 3), "help": self.help,
                "missing": self.missing, "title": self.title,
                "relative_lead": round(self.relative_lead, 3),
                "rival_coverage": self.rival_coverage}


# Labels that hold an HTTP status code or its class, by common exporter conventions.
_CODE_LABEL_RE = re.compile(r"(?:\w+_)?(?:code|status|status_code|response_code|http_code|"
                            r"http_status|code_class|status_class|response_code_class|rcode)")
# Counters of requests or responses, the ones a status code label belongs to.
REQUEST_WORDS = frozenset({"request", "requests", "response", "responses", "rq", "http"})


def has_code_label(metric: Metric) -> bool:
    return any(_CODE_LABEL_RE.fullmatch(label) for label in metric.labels)


# --- confidence -----------------------------------------------------------------------------------
# Weights of the confidence model, a logistic function of the evidence, fitted on the tuning
# half of the development set (bench/generate.py --split even) and checked on the other half.
# Rechecked after the ranking's word matching grew (acronyms, CamelCase parts, joined words): a
# plain maximum-likelihood refit on the even half, also with extra evidence (the share of the
# words that tell the best name from the runner-up's that the intent uses, the runner-up's lead
# in title share or coverage), answered no more correctly at the same precision on either half,
# so the model keeps these five inputs and weights.
_BIAS = -2.75
_W_TITLE = 1.4
_W_COVERAGE = 0.9
_W_LEAD = 1.15
_W_FIT = 0.75
_W_HELP = 0.27


def assess(best: Candidate, candidates: list[Candidate], context: GenerationContext) -> Confidence:
    """Confidence in `best`: coverage of its metric's name, lead over rivals, fit, help text."""
    scored = {m.name: m for m in context.metrics}
    found = [scored[name] for name in best.metrics if name in scored]
    if best.family == "saturation":
        # A share is as clear as the better named side of it ("out of system memory").
        found.sort(key=lambda m: -m.score)
    if not found:
        universal = best.family in ("target-down", "absent") and "up" in best.metrics
        coverage, help_, missing = (1.0, 0.0, 0) if universal else (0.0, 0.0, 3)
        title = 1.0 if universal else 0.0
    else:
        primary = found[0]
        coverage, help_, missing = primary.coverage, primary.help, len(primary.missing)
        title = max(m.title for m in found)
    terms = intent_terms(context.slots.text)
    longer = ruled_out_rivals(best, found, context, terms, candidates)
    longer |= _share_of_unsaid_subject(best, candidates, terms)
    rivals = [c.score for c in candidates
              if not set(c.metrics) & set(best.metrics) and not set(c.metrics) & longer]
    lead = best.score - max(rivals) if rivals else 3.0
    # A rival metric without a fitting rule shape still counts: the intent may mean it.
    # A stated share answered by a pair leaves out metrics that hold no share on their own.
    lone = _no_share_alone(best, candidates, context)
    other_metrics = [m.score for m in context.metrics if m.name not in best.metrics
                     and m.name != "up" and m.name not in longer and m.name not in lone]
    # A rule on two metrics (part and whole) is as well named as its better-named metric: "memory
    # usage of its limit" may name the limit more clearly than the usage.
    top_score = max(m.score for m in found) if found else best.score
    if found:
        # Without rivals the lead is the score itself: a weak match alone is still weak.
        lead = min(lead, top_score - max(other_metrics, default=0.0))
    lead = max(min(lead, 3.0), -3.0)
    relative = max(min(lead / top_score, 1.0), -1.0) if top_score > 0 else 0.0
    rival = next((m for m in context.metrics if m.name not in best.metrics and m.name != "up"),
                 None)
    rival_coverage = rival.coverage if rival is not None else 0.0
    fit = best.fit
    z = (_BIAS + _W_TITLE * title + _W_COVERAGE * coverage + _W_LEAD * lead + _W_FIT * fit
         + _W_HELP * min(help_, 2.0))
    if found and _unsaid_setting(found, terms):
        z -= _W_UNSAID_SETTING
    if _class_unselected(best, context.slots.text):
        z -= _W_CLASS_UNSELECTED
    if _whole_read_alone(best, context.slots.text):
        z -= _W_CLASS_UNSELECTED
    if found and _absence_of_a_subset(best, found[0]):
        z -= _W_CLASS_UNSELECTED
    value = 1.0 / (1.0 + math.exp(-z))
    known = {m.name: m.metric for m in context.metrics}
    # A rival of the same shape on metrics the intent rules out (`avail_bytes` for "inodes may
    # fill") is no alternative to it either.
    if _shape_settles_it(best, [c for c in candidates if not set(c.metrics) <= longer], coverage,
                         context.slots.text, known.get) and (
        _share_is_stated(best, context.slots.text)
    ):
        value = max(value, _SHAPE_CONFIDENCE)
    if found and _title_names_a_rival(found, best, context, terms):
        value = min(value, _RIVAL_TITLED_CAP)
    if _status_class_unanswered(best, context):
        value = min(value, _RIVAL_TITLED_CAP)
    return Confidence(value, round(coverage, 3), lead, fit, round(help_, 3), missing, title,
                      relative, rival_coverage)


def ruled_out_rivals(best: Candidate, found: list[ScoredMetric], context: GenerationContext,
                     terms: IntentTerms, candidates: list[Candidate] | None = None) -> set[str]:
    """Metrics ranked near `best` that the intent rules out as alternatives to it: they do not
    count against its lead. (These rules were added after the weights were fitted: they only
    remove rivals the intent rules out, tuned on the even half and checked on the odd one.)"""
    # Names differing from the best one's by a synonym (`avail`/`free`) answer the intent too,
    # whichever of the two the best rule uses.
    synonyms = {m.name for m in context.metrics
                if any(synonym_siblings(m.name, name) or synonym_siblings(name, m.name)
                       for name in best.metrics)}
    if not found:
        return synonyms
    common = _common_stems(list(context.metrics))
    # A rival whose name is the best one's plus words the intent does not use (`queue_length`
    # vs `queue_length_max`) is not a real alternative: the intent would have said "max".
    longer = {m.name for m in context.metrics if _extends(m, found[0], terms, common)}
    # A sibling told apart by the intent's title (`backend_check_up_down` vs
    # `server_check_up_down` for "HAProxy backend healthcheck flapping") is no alternative.
    generic = _generic_stems(context)
    longer |= {m.name for m in context.metrics
               if _title_decides(found[0], m, terms, generic)}
    # A rival that is the best name without words the intent says (`vcpus_used` for "vCPU
    # quota" when `limits_vcpus_used` is there) is the less precise reading.
    longer |= {m.name for m in context.metrics if _extends_said(found[0], m, terms)}
    # A sibling that is the best one's limit (`queue_capacity`) when the intent names no limit.
    longer |= {m.name for m in context.metrics if _unsaid_limit(found[0], m, terms)}
    # A sibling told apart by a word the intent says (or a word of its concept) against one it
    # says nothing of: "connections" is `connected_clients`, not `connected_slaves`.
    longer |= {m.name for m in context.metrics if _said_sibling(found[0], m, terms)}
    # A rival that neither has nor names the label value the title names ("CPU iowait":
    # `mode="iowait"`) reads the title less exactly.
    longer |= {m.name for m in context.metrics if _value_decides(found[0], m, terms)}
    # A rival that says nothing of what the title is about ("Solr update errors": neither
    # updates nor errors) when the best one's names spell all of it.
    subjects = title_subjects(terms, list(context.metrics))
    longer |= {m.name for m in context.metrics
               if _off_title(found, m.name, subjects, terms, common)}
    # A configured value (`config_max_memory`) where the intent names no setting: "memory usage
    # above 200MB" is what is used, whatever the configuration allows.
    longer |= {m.name for m in context.metrics if m.name not in best.metrics
               and _unsaid_config(m.metric, terms) and not any(is_setting(f.metric) for f in found)}
    # The same measure in another form (`last_scrape_error`, `scrape_errors_total`): either
    # one answers the intent, whichever the best rule reads.
    longer |= {m.name for m in context.metrics if _same_measure(found[0].name, m.name)}
    # Two liveness flags of one thing (`x_up`, `x_running`): "down" or "running" is read the
    # same way from either, so the other flag is no alternative.
    longer |= {m.name for m in context.metrics
               if _liveness_twins(found[0].name, m.name) and not is_counter_like(m.metric)}
    # A rival that says nothing the best name does not, and more the intent never says.
    longer |= {m.name for m in context.metrics if _says_less(found[0], m, terms)}
    # The best name in another product's namespace plus words the intent never says
    # (`thanos_rule_evaluation_with_warnings_total` beside `prometheus_rule_evaluations_total`
    # for "no rule evaluations"): it counts a kind the intent did not ask for.
    longer |= {m.name for m in context.metrics if _extends_past_namespace(found[0], m, terms)}
    # A rival that says less of the title than the best rule and adds a subject of its own the
    # intent never says (`failed_login_attempts` for "registration failure rate").
    longer |= {m.name for m in context.metrics if m.name not in best.metrics
               and _overtaken_on_title(best, found, m, candidates or [], terms,
                                                  list(context.metrics))}
    # A rival of a share's resource narrowed by a word the intent never says (`limits_vcpus_max`
    # beside `vcpus_used / vcpus_available` for "vCPU usage": a tenant's quota).
    longer |= {m.name for m in context.metrics if _qualified_share_rival(best, m, terms)}
    # The measure an alarm the title names watches (`disk_space_available_bytes` beside
    # `alarms_free_disk_space_watermark` for "disk space alarm active"): the alarm is raised.
    longer |= {m.name for m in context.metrics if _watched_by_alarm(found[0], m, terms)}
    # A rival that spells only a word the title puts before the best name's own ("uncorrectable
    # disk sectors": `disk_space_gb` of the disk, `uncorrectable_sectors` of its sectors), unless
    # the best rule is itself in doubt (none of a subset counted is no sign none happened).
    if not _absence_of_a_subset(best, found[0]):
        longer |= {m.name for m in context.metrics[:TOP_METRICS]
                   if _modifier_only(found, m, terms, common)}
    # A rival that cannot hold the stated threshold's unit is no alternative either.
    longer |= _unit_misfits(best, context)
    longer |= _counts_of_things(best, context)
    longer |= _counts_for_space(best, context)
    # A duration (`target_response_time`) when the intent says nothing of time or slowness.
    longer |= _unsaid_durations(best, context, terms)
    return longer | synonyms


# A family this sure of itself (fit >= SHAPE_FIT) comes from an explicit cue in the intent: a
# forecast horizon, a deadline, an earlier period, a status class of a share. Then only metrics
# with the same shape are real rivals, and a clear lead among them is enough to answer.
SHAPE_FIT = 1.2
_SHAPE_LEAD = 1.0
_SHAPE_MIN_COVERAGE = 0.4
_SHAPE_CONFIDENCE = 0.9
_SUCCESS_STEMS = frozenset(stem(w) for w in ("success", "successful", "succeeded"))
# Families whose cue is explicit wording: a share of a status class, a forecast horizon, a
# deadline, an earlier period, time split by mode, a link's bandwidth, values that differ
# across instances ("out of sync" of a hash or version), a stated percentile of a duration, a
# deadline for the last success, a flag's uptime over a stated window.
# A ratio of two gauges is
# inferred from a pairing: it qualifies only when the intent speaks of how full something is
# (`_share_is_stated`).
_SHAPE_FAMILIES = frozenset({"error-ratio", "predict", "expiry", "traffic-change", "busy-time",
                             "health", "link-utilisation", "saturation", "none-left",
                             "versus-limit", "numbered-state", "parity", "mismatch", "latency", "stale",
                             "health-level", "availability", "ahead", "in-state"})


def _shape_settles_it(best: Candidate, candidates: list[Candidate], coverage: float,
                      text: str = "", known: _Lookup | None = None) -> bool:
    if best.fit < SHAPE_FIT or best.family not in _SHAPE_FAMILIES:
        return False
    if best.family == "stale" and not all(
            _SUCCESS_STEMS & set(stems(name)) or _names_said_act(name, text, known)
            for name in best.metrics):
        # "no traffic for 15m" may be a handshake gone stale or counters that stopped; "has
        # not run in 24h" of the time of the last *successful* run has one reading, and so
        # has "has not been backed up for 48h" of the time of the last save.
        return False
    rivals = [c.score for c in candidates
              if c.family == best.family and not set(c.metrics) & set(best.metrics)
              and not any(synonym_siblings(a, b) for a in c.metrics for b in best.metrics)
              and not (known is not None and act_decides(best, c, text, known))]
    lead = best.score - max(rivals, default=0.0)
    # A poorly covered name needs a wider lead: the intent may mean a metric it did not name.
    return lead >= (_SHAPE_LEAD if coverage >= _SHAPE_MIN_COVERAGE else 1.5 * _SHAPE_LEAD)


def _names_said_act(name: str, text: str, known: _Lookup | None) -> bool:
    """`name` is the time of the last act the intent says has not happened (`names_the_act`)."""
    metric = known(name) if known is not None else None
    return metric is not None and names_the_act(metric, negated_acts(text))


# Words saying the intent is about how full something is, and the limit words it may name.
_CAPACITY_RE = re.compile(
    r"\b(?:usage|used|use|uses|using|full|fill\w*|space|left|available|free|capacity|limits?|"
    r"max\w*|quota|utili[sz]\w*|exhaust\w*|run(?:ning|s)? out|remaining|headroom|allocat\w*)\b",
    re.I)
_STATED_LIMITS = frozenset(stem(w) for w in ("limit", "limits", "quota", "capacity", "maximum",
                                              "max"))


def _share_is_stated(best: Candidate, text: str) -> bool:
    """A share of a capacity settles it only when the intent speaks of how full something is
    ("usage", "left", "of the max") and, when it names a limit ("quota"), the pair has one
    (`limits_vcpus_max`; the words are synonyms, `size_in_use / total_size` is no quota)."""
    if best.family != "saturation":
        return True
    if _whole_said_after_of(best, text):
        return True  # "dead tuples above 10% of live tuples": both sides named outright
    if not _CAPACITY_RE.search(text):
        return False
    said = {stem(ABBREVIATIONS.get(w, w)) for w in words(text)} & _STATED_LIMITS
    named = {stem(ABBREVIATIONS.get(w, w)) for m in best.metrics for w in split_identifier(m)}
    return not said or bool(named & _STATED_LIMITS)


_PERCENT_OF_RE = re.compile(r"\d\s*(?:%|percent)\s+of\s+(?:the\s+|all\s+|its\s+|their\s+)?"
                            r"((?:[\w-]+\s+){0,2}[\w-]+)", re.I)


def _whole_said_after_of(best: Candidate, text: str) -> bool:
    """A share of two metrics whose whole's own words (those the part's name does not have:
    `live` of `n_live_tup` beside `n_dead_tup`) are all said after "N% of", and whose part's
    own words are said before it: the intent names both sides of the share."""
    match = _PERCENT_OF_RE.search(text)
    if match is None or len(best.metrics) != 2:
        return False
    part, whole = (split_identifier(name) for name in best.metrics)
    after = [w.lower() for w in re.findall(r"[A-Za-z]+", match.group(1))]
    before = [w.lower() for w in re.findall(r"[A-Za-z]+", text[:match.start()])]
    own_whole, own_part = set(whole) - set(part), set(part) - set(whole)

    def said(word: str, where: list[str]) -> bool:
        return any(w == word or len(word) >= 3 and w.startswith(word) for w in where)

    return bool(own_whole) and bool(own_part) and all(said(w, after) for w in own_whole) and all(
        said(w, before) for w in own_part)


def synonym_siblings(a: str, b: str) -> bool:
    """`b` differs from `a` by one word of the same meaning that is the more inclusive measure
    (`fs_avail_bytes` over `fs_free_bytes`: "available" counts what can be reclaimed or used),
    so `a` does not compete with `b`."""
    mine, theirs = split_identifier(a), split_identifier(b)
    if len(mine) != len(theirs):
        return False
    differ = [(x, y) for x, y in zip(mine, theirs, strict=True) if x != y]
    if len(differ) != 1:
        return False
    x, y = (stem(ABBREVIATIONS.get(w, w)) for w in differ[0])
    return y in _INCLUSIVE_STEMS and bool(concepts([x]) & concepts([y]))


_INCLUSIVE_STEMS = frozenset({stem("available")})


# --- rivals that are no alternative ---------------------------------------------------------------
# A longer sibling is no rival only when the intent explains most of the best name: a poorly
# explained best name may be the wrong metric, and the longer one no worse a guess.
_EXTENDED_COVERAGE = 0.6


def name_words(name: str) -> set[str]:
    """Stems of a name's words that say what it is about (not `total`, `bytes`), abbreviations
    spelled out: `scrape_errors_total` and `last_scrape_error` share `scrape` and `error`."""
    return set(subject_stems(name))


def _extends(other: ScoredMetric, best: ScoredMetric, terms: IntentTerms,
             common: set[str] | frozenset[str] = frozenset()) -> bool:
    """`other`'s name has all of `best`'s words and more, none of which the intent mentions,
    not even by a related word ("ping" for `icmp`). Type words (`total`) do not count."""
    mine, theirs = name_words(best.name), name_words(other.name)
    extra = theirs - mine
    # (A name whose only unexplained words are the prefix most names share, `gnatsd_varz_mem`
    # for "memory usage", is explained as far as names here can be.)
    return bool(extra) and mine <= theirs and all(_unmentioned(w, terms) for w in extra) and (
        best.coverage >= _EXTENDED_COVERAGE or all(
            not _unmentioned(w, terms) or w in common for w in mine))


def _extends_said(best: ScoredMetric, other: ScoredMetric, terms: IntentTerms) -> bool:
    """`best`'s name has all of `other`'s words and more, all of which the intent says."""
    mine, theirs = name_words(best.name), name_words(other.name)
    # A word of the same meaning (`available` for `free`) is the same word here: the inodes
    # free are not the bytes available without `files`.
    alike = {(w, v) for w in theirs - mine for v in mine - theirs if _same_meaning(w, v)}
    extra = mine - theirs - {v for _, v in alike}
    return bool(extra) and theirs - {w for w, _ in alike} <= mine and not any(
        _unmentioned(w, terms) for w in extra)


def _same_meaning(a: str, b: str) -> bool:
    """Two stems of one concept (`availabl`, `fre`), the concept of any share aside."""
    return bool((concepts_of_stem(a) & concepts_of_stem(b)) - _SHARE_CONCEPTS)


def _off_title(found: list[ScoredMetric], name: str, subjects: set[str], terms: IntentTerms,
               common: set[str]) -> bool:
    """`name` says none of the title's subject words, not even by a word of their concept or
    its opposite, nor any other title word but those most names share, while the best rule's
    names (or their labels) spell every subject word."""
    names = tuple(m.name for m in found)
    spelled = set().union(*(set(stems(n)) for n in names))
    # A label the metric is split by names a subject too ("IPMI collector down": `ipmi_up` by
    # `collector`), and the flag of what the title names spells its state ("down": `ipmi_up`).
    spelled |= {stem(w) for m in found for label in m.metric.labels for w in words(label)}
    spelled |= {t for t in subjects for m in found if _flag_of_title(m.name, t, terms)}
    theirs = set(stems(name, keep_stopwords=True))
    return bool(subjects) and name not in names and subjects <= spelled and not title_words(
        (name,), subjects) and not theirs & (terms.title_all - common) and not any(
        opposite_stems(t) & theirs for t in subjects)


# Words that end a noun phrase of the title: what comes after them is about another thing.
_PHRASE_GLUE = frozenset(stem(w) for w in (
    "of", "on", "in", "at", "to", "for", "from", "by", "with", "and", "or", "is", "are", "was",
    "were", "be", "been", "has", "have", "had", "not", "no", "than", "vs", "versus", "per",
    "into", "over", "under", "while", "when", "after", "before", "during", "without", "behind",
    "above", "below", "across", "between", "against", "via", "through", "within"))


def _modifier_only(found: list[ScoredMetric], other: ScoredMetric, terms: IntentTerms,
                   common: set[str]) -> bool:
    """Every word of `other`'s name the intent says (and the best names do not) is a title word
    that stands before the last title word the best names spell, in one phrase: in "uncorrectable
    disk sectors" the disk only says whose sectors, so `disk_space_gb` measures another thing of
    the disk, not its sectors; "UPS battery" asks of the battery, not of `ups_load`."""
    if other.name in {m.name for m in found} or other.name == "up":
        return False
    sequence = terms.title_sequence
    mine = set().union(*(set(stems(m.name, keep_stopwords=True)) for m in found))
    content = set().union(*(set(stems(m.name)) for m in found))
    # A state word ("compactor blocks failing") says what happens to the noun before it, which
    # is then the subject, not a modifier: only a noun heads the phrase.
    heads = [i for i, s in enumerate(sequence) if s in content and not opposite_stems(s)
             and "error" not in concepts_of_stem(s)]
    theirs = set(stems(other.name, keep_stopwords=True)) - mine - common
    said = {w for w in theirs if not _unmentioned(w, terms)}
    if not said or not heads:
        return False
    head = max(heads)
    if (set(stems(other.name)) & mine & set(sequence)) - common:
        # It spells a title word of the best one's too ("chain head" beside `deployment_head`,
        # `pool_check` beside `member_check`): a reading of the same phrase, still a rival.
        return False
    start = max((i for i in range(head) if sequence[i] in _PHRASE_GLUE), default=-1) + 1
    modifiers = sequence[start:head]
    # A word said only by a concept of a modifier (`space` of "disk") is the modifier's too.
    of_modifiers = set().union(*(concepts_of_stem(s) for s in modifiers))
    return any(w in modifiers for w in said) and all(
        w in modifiers and w not in sequence[head:] if w in terms.all_stems
        else concepts_of_stem(w) & terms.concepts <= of_modifiers and w not in terms.opposites
        for w in said)


def _flag_of_title(name: str, state: str, terms: IntentTerms) -> bool:
    """`name` is a flag (`ipmi_up`, `probe_success`) whose last word is the opposite of the
    title's `state` word ("down", "failed") and whose other words the title all says: the flag
    of the very thing the title says is down."""
    own = stems(name, keep_stopwords=True)
    return len(own) >= 2 and own[-1] in opposite_stems(state) and all(
        s in terms.title_all for s in own[:-1])


def _common_stems(ranked: list[ScoredMetric]) -> set[str]:
    """Stems more than half of the top ranked names share (the product's prefix)."""
    names = [set(stems(m.name, keep_stopwords=True)) for m in ranked[:TOP_METRICS]]
    every = set().union(*names) if names else set()
    return {s for s in every if sum(s in n for n in names) * 2 > len(names)}


def title_subjects(terms: IntentTerms, ranked: list[ScoredMetric]) -> set[str]:
    """The title's content words but those most of the ranked names share (the product's
    prefix, "solr"): what the alert is about."""
    names = [set(stems(m.name)) for m in ranked[:TOP_METRICS]]
    if len(names) < 2:
        return set()
    # A name's first word is its namespace ("thanos_rule_..."): the product, not the subject.
    prefixes = {stems(m.name)[0] for m in ranked[:TOP_METRICS] if stems(m.name)}
    # A type word the title says is a subject where a name makes it one ("IPMI current
    # sensor": `ipmi_current_state`).
    typed = {t for t in terms.title_all - terms.title
             if any(t in subject_stems(m.name) for m in ranked[:TOP_METRICS])}
    return {t for t in terms.title | typed
            if sum(t in n for n in names) * 2 <= len(names) and t not in prefixes}


def title_words(names: tuple[str, ...], subjects: set[str]) -> set[str]:
    """The subject words that the names say, as a word or a word of the same concept."""
    said: set[str] = set()
    for name in names:
        own = set(stems(name, keep_stopwords=True))
        said |= {t for t in subjects if t in own or concepts_of_stem(t) & concepts(list(own))}
    return said


def _unmentioned(word_stem: str, terms: IntentTerms) -> bool:
    """The intent says nothing of a name word: not it, its opposite or a word of its concept."""
    return (word_stem not in terms.all_stems and word_stem not in terms.opposites
            and not concepts_of_stem(word_stem) & terms.concepts)


def _title_decides(best: ScoredMetric, other: ScoredMetric, terms: IntentTerms,
                   generic: frozenset[str] = frozenset()) -> bool:
    """`other` is a sibling of `best` (the same name but for one word each) and the intent's
    title names `best`'s word and nothing of `other`'s: "backend healthcheck flapping" is
    `backend_check_up_down`, not `server_check_up_down`, even when the details speak of servers.
    Type words (`total`, `state`) tell nothing apart."""
    if not _siblings(best.name, other.name):
        return False  # not siblings (only the exporter's prefix): the title may name both
    mine, theirs = name_words(best.name), name_words(other.name)
    # (A stop word of the title the best name has as a word counts: "current sensor".)
    named = (mine - theirs) & terms.title_all - generic
    # A title word both names spell ("threads") explains itself, not the rival's own word by
    # its concept (`connected`: MySQL threads are connections).
    return bool(named) and not any(_title_mentions(w, terms, mine & theirs)
                                   for w in theirs - mine - generic)


# Below MIN_CONFIDENCE: a rival the title names outright is a question, not a lost tie.
_RIVAL_TITLED_CAP = 0.75


def _title_names_a_rival(found: list[ScoredMetric], best: Candidate, context: GenerationContext,
                         terms: IntentTerms) -> bool:
    """The best metric has a name word the intent never says (`failed_login_attempts` for
    "registration failure rate") while another metric explains the whole title with no such
    word (`registrations_errors`): the title names the rival's subject, not the best one's."""
    if best.family == "versus-limit":
        # A comparison with a limit the intent names outright ("took more time than the
        # scheduled interval") is stated as plainly as a threshold, whatever the title says.
        return False
    primary = found[0]
    generic = _generic_stems(context)
    if primary.title >= 1.0 or not any(
        _unmentioned(w, terms) for w in name_words(primary.name) - generic
    ):
        return False
    return any(
        m.title >= 1.0 and m.coverage >= _EXTENDED_COVERAGE and m.name not in best.metrics
        and m.name != "up" and not any(_unmentioned(w, terms) for w in name_words(m.name))
        for m in context.metrics
    )


def _status_class_unanswered(best: Candidate, context: GenerationContext) -> bool:
    """The intent names a status class ("5xx error rate") and the rule's metrics can hold
    none: no status label, no requests or responses in their names (`polling_failed_total`
    counts something else). The metric the intent means is not in view: ask."""
    if not _STATUS_CLASS_WORD_RE.search(context.slots.text):
        return False
    metrics = [m.metric for m in context.metrics if m.name in best.metrics]
    return bool(metrics) and not any(
        has_code_label(m) or set(split_identifier(m.name.lower())) & REQUEST_WORDS
        or _STATUS_CLASS_WORD_RE.search(m.name) for m in metrics)


# A status class written as one ("5xx"): a bare 500 may be a threshold ("more than 500").
_STATUS_CLASS_WORD_RE = re.compile(r"\b[45]xx\b", re.I)


# A word most of the candidate metrics' help texts use is the catalog's domain ("sensor" for
# an IPMI exporter): naming it tells no sibling apart.
_GENERIC_HELP_SHARE = 0.5


def _generic_stems(context: GenerationContext) -> frozenset[str]:
    """Stems most help texts of the ranked metrics use (none with fewer than three helps)."""
    helps = [set(stems(m.metric.help)) for m in context.metrics if m.metric.help]
    if len(helps) < 3:
        return frozenset()
    counts: dict[str, int] = {}
    for found in helps:
        for s in found:
            counts[s] = counts.get(s, 0) + 1
    return frozenset(s for s, n in counts.items() if n > _GENERIC_HELP_SHARE * len(helps))


def _unsaid_limit(best: ScoredMetric, other: ScoredMetric, terms: IntentTerms) -> bool:
    """`other` is a sibling of `best` that is its limit (`queue_capacity` for `queue_length`,
    or a configured one of the same subject: `spec_memory_limit` for `memory_working_set`)
    and the intent says no limit word: a backlog or an amount is the value, not its capacity."""
    if not _siblings(best.name, other.name) and not _configured_limit_of(best.name, other.name):
        return False
    theirs = name_words(other.name) - name_words(best.name)
    return bool(theirs & STRONG_LIMIT_WORDS) and not (
        name_words(best.name) & STRONG_LIMIT_WORDS) and all(
        _unmentioned(w, terms) for w in theirs)


def _configured_limit_of(best: str, other: str) -> bool:
    """`other`'s words are `best`'s but for limit and setting words (`container_spec_memory_
    limit_bytes` of `container_memory_working_set_bytes`)."""
    theirs = name_words(other) - STRONG_LIMIT_WORDS - {stem(w) for w in _SETTING_WORDS}
    return bool(theirs) and theirs < name_words(best) and bool(
        name_words(other) & STRONG_LIMIT_WORDS)


def _said_sibling(best: ScoredMetric, other: ScoredMetric, terms: IntentTerms) -> bool:
    """`other` is a sibling of `best` whose own word names an aspect the intent says nothing of
    (`slaves`: replication), while the intent says `best`'s own word or a word of its concept
    (`clients` for "connections"): `best` is the reading the intent names, `other` a part of it
    the intent would have named. (A rival word of no known aspect, `send` beside `receive`,
    may be what the intent left open.)"""
    if not _siblings(best.name, other.name):
        return False
    mine, theirs = name_words(best.name), name_words(other.name)
    return not any(_unmentioned(w, terms) for w in mine - theirs) and all(
        _unmentioned(w, terms) and concepts_of_stem(w) for w in theirs - mine)


# "usage exceeds 90% of its allocation": the word after "of" is the whole of a share.
_WHOLE_RE = re.compile(r"\d\s*(?:%|percent)\s+of\s+(?:its|the|their|his|her)?\s*"
                       r"(?:configured\s+|allowed\s+|total\s+)?([a-z]+)", re.I)


def _whole_read_alone(best: Candidate, text: str) -> bool:
    """The intent states a share of a whole ("90% of its allocation") and the rule reads one
    metric named after that whole (`allocation_ratio`): the whole alone is no share of it."""
    said = _WHOLE_RE.search(text)
    if said is None or len(best.metrics) != 1:
        return False
    whole = stem(ABBREVIATIONS.get(said.group(1).lower(), said.group(1).lower()))
    name = split_identifier(best.metrics[0])
    # A name with a part word (`used_pool_capacity_percent`) is the share itself.
    return whole in {stem(ABBREVIATIONS.get(w, w)) for w in name} and not any(
        is_part_word(w) for w in name)


def _absence_of_a_subset(best: Candidate, primary: ScoredMetric) -> bool:
    """The rule fires when a counter stops counting (`increase(...) == 0`) and the counter's
    name qualifies what it counts by words the intent does not say
    (`evaluation_with_warnings_total` for "did not perform any rule evaluations"): none of a
    subset is no sign that none of the whole happened. The namespace (a name's first word,
    `prometheus_` in a Thanos ruler) qualifies nothing."""
    qualifiers = {stem(ABBREVIATIONS.get(w.lower(), w.lower())) for w in primary.missing}
    return bool(re.search(r"\)\s*(?:==|<=)\s*0\s*$", best.expr)) and bool(
        qualifiers & _past_namespace(primary.name)) and (
        best.family in ("increase", "rate", "changes"))


# A rule on every error where the intent names a class of them: as much as a rival.
_W_CLASS_UNSELECTED = 1.0


def _class_unselected(best: Candidate, text: str) -> bool:
    """The intent names a status class ("5xx error rate") and the rule selects none: neither a
    code matcher nor a name that spells the class (`lambda_errors_sum` counts every error)."""
    said = ERROR_CLASS_RE.search(text)
    if said is None:
        return False
    return not re.search(rf"{said.group(1)}(?:xx|\.\.|\d\d|_xx|\.\*)", best.expr, re.I)


def _value_decides(best: ScoredMetric, other: ScoredMetric, terms: IntentTerms) -> bool:
    """The intent's title names a label value `best` has (`mode="iowait"` for "CPU iowait")
    and `other` has it neither as a label value nor in its name."""
    named = {(v.label, v.value) for v in best.values
             if v.op == "=" and not v.negated and stem(v.value.lower()) in terms.title}
    if not named or other.name == best.name:
        return False
    theirs = {(v.label, v.value) for v in other.values}
    other_stems = set(stems(other.name))
    return not any(pair in theirs or stem(pair[1].lower()) in other_stems for pair in named)


# A configured limit read where the intent speaks of the value itself: as much as a rival.
_W_UNSAID_SETTING = 1.0
# Words that make a name a limit when they come before its subject (`max_connections`); last
# (`age_maximum`, `queue_length_max`) they are often a statistic of the value.
_ALLOWANCE_STEMS = frozenset(stem(ABBREVIATIONS.get(w, w)) for w in (
    "max", "maximum", "limit", "limits", "capacity", "quota", "allowed", "allocatable"))


def _unsaid_setting(found: list[ScoredMetric], terms: IntentTerms) -> bool:
    """Every metric of the rule is a limit (`settings_max_connections`) and the intent says
    no limit or setting word: "should have more connections" is about the connections there
    are, not how many are allowed."""
    return all(is_limit(m.metric) and _allowance_words(m.metric) for m in found) and all(
        _unmentioned(w, terms) for m in found
        for w in _allowance_words(m.metric) | (set(stems(m.name)) & {stem("config"),
                                                                        stem("setting")}))


def _unsaid_config(metric: Metric, terms: IntentTerms) -> bool:
    """`metric` is a setting (`config`, `settings` in its name) and the intent says none of its
    setting words."""
    said = set(split_identifier(metric.name)) & _SETTING_WORDS
    return bool(said) and all(_unmentioned(stem(w), terms) for w in said)


_UNIT_AND_TYPE_STEMS = frozenset(stem(w) for w in ("bytes", "seconds", "total", "count"))


def _allowance_words(metric: Metric) -> set[str]:
    """The limit words of a name that come before its last word (its subject)."""
    kept = [s for s in stems(metric.name, keep_stopwords=True)
            if s not in _UNIT_AND_TYPE_STEMS]
    return {s for s in kept[:-1] if s in _ALLOWANCE_STEMS}


def _siblings(a: str, b: str) -> bool:
    """The same name but for one word each (`queue_length`, `queue_capacity`)."""
    mine, theirs = name_words(a), name_words(b)
    shared = set(words(a)) & set(words(b))
    return len(shared) >= 2 and len(mine - theirs) == 1 and len(theirs - mine) == 1


# Words that say which reading of a measure a name holds, not what it measures: the latest
# outcome (`last_scrape_error`) beside the count of them (`scrape_errors_total`).
# ("current" is left out: where a name keeps it as a word, it is the electric current.)
_FORM_STEMS = frozenset(stem(w) for w in ("last", "latest", "recent"))


def _same_measure(best: str, other: str) -> bool:
    """`other` names what `best` names but for words of form (`last`), so both are read the
    same way ("scrape error"): the latest outcome and the count of outcomes fire together."""
    mine, theirs = name_words(best), name_words(other)
    return mine != theirs and bool(mine & theirs) and (mine ^ theirs) <= _FORM_STEMS


# Last words of a flag that is 1 while its subject is alive.
_LIVENESS_WORDS = frozenset({"up", "running", "alive"})


def _liveness_twins(best: str, other: str) -> bool:
    """`best` and `other` are the same name but for their last word, each a liveness word
    (`node_up`, `node_running`): both flags say whether the same thing is alive."""
    mine, theirs = split_identifier(best), split_identifier(other)
    return (len(mine) == len(theirs) >= 2 and mine[:-1] == theirs[:-1] and mine[-1] != theirs[-1]
            and {mine[-1].lower(), theirs[-1].lower()} <= _LIVENESS_WORDS)


def _says_less(best: ScoredMetric, other: ScoredMetric, terms: IntentTerms) -> bool:
    """Every word of `best`'s name is the intent's, while `other` adds words the intent never
    says and says none of the intent's that `best` does not: a reading of less of the intent."""
    if other.name == best.name:
        return False
    mine, theirs = name_words(best.name), name_words(other.name)
    if any(_unmentioned(w, terms) for w in mine):
        return False
    said = {w for w in theirs if not _unmentioned(w, terms)}
    # A name's first word is its namespace (`blackbox_exporter_...`): the product the title
    # names, not what the metric measures.
    namespace = set(stems(other.name)[:1]) - mine
    return said - namespace <= mine and said != theirs


# Words of a flag raised by the system itself when a measure crosses its own limit.
_ALARM_STEMS = frozenset(stem(w) for w in ("alarm", "alarms", "alert", "alerts"))


def _watched_by_alarm(best: ScoredMetric, other: ScoredMetric, terms: IntentTerms) -> bool:
    """The title says an alarm `best`'s name spells, and `other` is no alarm and names only
    what `best` names but for words of a capacity's role (`available`, `limit`): it is the
    measure the alarm watches, whose threshold the system has already applied."""
    alarm = _ALARM_STEMS & terms.title_all & set(stems(best.name))
    if not alarm or other.name == best.name or _ALARM_STEMS & set(stems(other.name)):
        return False
    subject = name_words(other.name) - LIMIT_WORDS - FREE_WORDS - USED_WORDS
    return bool(subject) and subject <= name_words(best.name)


def _past_namespace(name: str) -> set[str]:
    """A name's subject words but its first (the namespace, the product that exposes it)."""
    return name_words(name) - set(stems(name)[:1])


def _extends_past_namespace(best: ScoredMetric, other: ScoredMetric, terms: IntentTerms) -> bool:
    """`other` lives in another namespace and, past it, has all of `best`'s words and more that
    the intent never says: an exporter may expose another product's metrics
    (`prometheus_rule_...` in a Thanos ruler), and the longer one counts a narrower kind."""
    if stems(other.name)[:1] == stems(best.name)[:1] or best.coverage < _EXTENDED_COVERAGE:
        return False
    mine, theirs = _past_namespace(best.name), _past_namespace(other.name)
    extra = theirs - mine
    return bool(mine) and bool(extra) and mine <= theirs and all(
        _unmentioned(w, terms) for w in extra)


def _overtaken_on_title(best: Candidate, found: list[ScoredMetric], other: ScoredMetric,
                        candidates: list[Candidate], terms: IntentTerms,
                        ranked: list[ScoredMetric]) -> bool:
    """`other` outscores the best rule (its metric or a rule on it), but says fewer of the
    title's words than the best names (namespaces aside) and none they do not, lacks one they
    spell out as a word (not only by its concept), and has a word the intent never says that
    none of the best names has: it is about another subject (`failed_login_attempts` for
    "registration failure rate" beside `registrations_errors`), however well the details
    explain it. A rival ranked below the best rule is one only when it says some title word and
    spells none the best names do not (`compactor_blocks_marked_for_no_compaction` beside
    `compactor_runs_failed` for "compactor failures"; not `cronjob_...` beside `job_...`), and
    the best names may say what it lacks by concept only (`network_peer_round_trip` beside
    `http_successful_duration` for "member communication slow") or by a label they are split
    by (`uname_info` by `version` beside `os_version` for "kernel version changed")."""
    if not found:
        return False
    below = other.score <= max(m.score for m in found) and not any(
            c.score > best.score and other.name in c.metrics for c in candidates)
    prefixes = {first[0] for m in ranked[:TOP_METRICS] if (first := stems(m.name))}
    said = set(terms.title) - prefixes
    mine = title_words(best.metrics, said)
    if best.family == "error-ratio":
        # A share of failures says "errors" by its shape.
        mine |= {t for t in said if "error" in concepts_of_stem(t)}
    spelled = set().union(*(set(stems(name)) for name in best.metrics)) & said
    theirs = title_words((other.name,), said)
    if below:
        # A label the best metric is split by says a title word too (`uname_info` by `version`).
        labelled = said & {stem(w) for m in found for label in m.metric.labels
                           for w in words(label)}
        mine |= labelled
        spelled |= labelled
    if below and (not theirs or set(stems(other.name)) & said - spelled):
        return False
    if not theirs < mine or not (mine if below else spelled) - set(stems(other.name)) - theirs:
        return False
    own = set().union(*(name_words(name) for name in best.metrics))
    return any(w not in STOPWORDS and _unmentioned(w, terms)
               for w in _past_namespace(other.name) - own)


def _qualified_share_rival(best: Candidate, other: ScoredMetric, terms: IntentTerms) -> bool:
    """The best rule is a share whose parts share their resource's words (`vcpus` of
    `vcpus_used` and `vcpus_available`), and `other` names that resource too, narrowed by a
    word none of the parts has and the intent never says (`limits`), a word of any share
    ("usage", "max") aside: a quota's share, not the resource's."""
    if best.family != "saturation" or len(best.metrics) < 2 or other.name in best.metrics:
        return False
    parts = [_past_namespace(name) for name in best.metrics]
    # The resource is what the intent names (`vcpus` for "vCPU usage", not `global`).
    common = {w for w in set.intersection(*parts) if not _unmentioned(w, terms)}
    theirs = _past_namespace(other.name)
    if not common or not common <= theirs:
        return False
    return any(w not in STOPWORDS and _unsaid_qualifier(w, terms)
               for w in theirs - set().union(*parts))


def _unsaid_qualifier(word_stem: str, terms: IntentTerms) -> bool:
    """The intent does not say a name word, nor a word of its concept but that of any share
    ("usage" does not say `limits`)."""
    return (word_stem not in terms.all_stems and word_stem not in terms.opposites
            and not (concepts_of_stem(word_stem) - _SHARE_CONCEPTS) & terms.concepts)


_SHARE_CONCEPTS = frozenset({"saturation"})


def _title_mentions(word_stem: str, terms: IntentTerms,
                    shared: set[str] | frozenset[str] = frozenset()) -> bool:
    """The title says a name word, its opposite or a word of the same concept (but the concept
    of a `shared` word, one the compared names both spell). A stop word the intent uses
    ("current") is not kept among the title's words: it may be there."""
    title_concepts = concepts(list(terms.title - shared))
    return (word_stem in terms.title or bool(opposite_stems(word_stem) & terms.title)
            or bool(concepts_of_stem(word_stem) & title_concepts)
            or word_stem in terms.all_stems and word_stem not in terms.stems)


# What info metrics are counted by ("more than 2 versions running").
_COUNTED_INFO_RE = re.compile(r"\b(?:versions?|builds?|releases?|kernels?)\b", re.I)
_UNIT_KINDS = {"seconds": "seconds", "milliseconds": "seconds", "minutes": "seconds",
               "hours": "seconds", "days": "seconds", "bytes": "bytes", "celsius": "celsius"}
# Last name words of a metric whose values are codes (a state, a 0/1 flag), never an amount.
_CODE_NAME_WORDS = frozenset({"state", "status", "up", "healthy", "health", "ready", "alive",
                              "info", "phase", "mode"})
# Values above this are amounts, not state codes (states are small enumerations).
_MAX_CODE = 10
_TEMPERATURE_STEMS = frozenset(stem(w) for w in ("temperature", "temp"))


def _unit_misfits(best: Candidate, context: GenerationContext) -> set[str]:
    """Metrics ranked near the best one that cannot hold the threshold the intent states, when
    the best one can: a value in bytes, seconds or degrees is no state code and no amount in
    another unit; a value per second ("1GB/s") is a rate of a counter, not a gauge's level."""
    threshold = context.slots.threshold
    own = [m for m in context.metrics if m.name in best.metrics]
    if threshold is None or not own:
        return set()
    near = [m for m in context.metrics[:TOP_METRICS] if m.name not in best.metrics]
    misfits: set[str] = set()
    if threshold.per is not None and all(is_counter_like(m.metric) for m in own):
        misfits |= {m.name for m in near if effective_type(m.metric) is MetricType.GAUGE}
    if threshold.kind == "count" and threshold.per is None and threshold.value > _MAX_CODE and not (
            any(_holds_codes(m.metric) for m in own)):
        # "more than 300 threads": an amount, not a state code.
        misfits |= {m.name for m in near if _holds_codes(m.metric)}
    if threshold.kind == "count" and threshold.per is None and threshold.value > 1 and not any(
            is_info_metric(m.metric) for m in own) and not _COUNTED_INFO_RE.search(
            context.slots.text):
        # An info metric is always 1: "more than 5 connections" is never one (though "more
        # than 2 versions" may be a count of its series).
        misfits |= {m.name for m in near if is_info_metric(m.metric)}
    if threshold.kind in _UNIT_KINDS.values() and all(
            _holds_unit(m.metric, threshold.kind) for m in own):
        misfits |= {m.name for m in near if _holds_codes(m.metric) or _UNIT_KINDS.get(
            metric_unit(m.metric)) not in (None, threshold.kind)}
    if threshold.kind == "seconds" and best.family in ("ahead", "stale") and all(
            is_timestamp_metric(m.metric) for m in own):
        # "messages wait more than 60s" read as the age of the oldest one's timestamp: a count
        # of messages or consumers holds no time at all.
        misfits |= {m.name for m in near if not (
            _is_duration(m.metric) or _holds_unit(m.metric, "seconds")
            or is_timestamp_metric(m.metric) or is_counter_like(m.metric)
            and metric_unit(m.metric) == "seconds")}
    if threshold.kind == "percent" and all(
            metric_unit(m.metric) in ("percent", "ratio") for m in own):
        # "less than 10% left" of a percentage gauge: a value in seconds, bytes or degrees
        # holds no percentage on its own. (A state code stays a rival: a status may be what
        # the intent means, with a share of something else in its words.)
        misfits |= {m.name for m in near if metric_unit(m.metric) in _UNIT_KINDS}
    return misfits


def _no_share_alone(best: Candidate, candidates: list[Candidate],
                    context: GenerationContext) -> set[str]:
    """When the intent states a percentage and the best rule is a share of two metrics ("> 90%
    used"), limits and settings (`maxclients`) that are the whole of a rival share: on their own
    they are no percentage; as that share's whole they compete as its candidate."""
    threshold = context.slots.threshold
    if threshold is None or threshold.kind != "percent" or best.family != "saturation":
        return set()
    wholes = {c.metrics[-1] for c in candidates
              if c.family == "saturation" and len(c.metrics) == 2}
    return {m.name for m in context.metrics if m.name in wholes and m.name not in best.metrics
            and (is_limit(m.metric) or is_setting(m.metric))}


def _share_of_unsaid_subject(best: Candidate, candidates: list[Candidate],
                             terms: IntentTerms) -> set[str]:
    """Metrics of a rival share whose subject has a word the intent never says (`inodes_free`
    of `inodes` for "out of disk space"), when what tells the best share apart is only role
    and unit words (`available_bytes` of `capacity_bytes`): the rival measures another thing."""
    if best.family != "saturation" or len(best.metrics) != 2:
        return set()
    roles = LIMIT_WORDS | FREE_WORDS | USED_WORDS
    mine = set().union(*(name_words(n) for n in best.metrics))
    out: set[str] = set()
    for other in candidates:
        if other.family != "saturation" or len(other.metrics) != 2 or set(other.metrics) & set(
                best.metrics):
            continue
        theirs = set().union(*(name_words(n) for n in other.metrics))
        if not (mine - theirs) - roles and any(
                _unmentioned(w, terms) for w in (theirs - mine) - roles):
            out |= set(other.metrics)
    return out


def _counts_of_things(best: Candidate, context: GenerationContext) -> set[str]:
    """Gauges near the best one that count things (`goroutines`, `open_fds`: a plural noun
    last, no unit) when the intent states an amount in bytes, seconds or degrees, or a share,
    that the best one holds: "stack memory above 1GB" is no number of goroutines, "80% of its
    file descriptors" no number of processes."""
    threshold = context.slots.threshold
    own = [m for m in context.metrics if m.name in best.metrics]
    if threshold is None or not own:
        return set()
    if threshold.kind == "percent":
        # "more than 80% of its file descriptor limit" of a ratio gauge: a number of processes
        # is no share. Time spent busy per second (`io_time_seconds_total`) is a share of time.
        if best.family != "busy-time" and not all(
                metric_unit(m.metric) in ("percent", "ratio") for m in own):
            return set()
    elif threshold.kind not in ("bytes", "seconds", "celsius") or (
            not all(_holds_unit(m.metric, threshold.kind) for m in own)):
        return set()
    return {m.name for m in context.metrics[:TOP_METRICS]
            if m.name not in best.metrics and (_counts_things(m.metric) or _counts_events(
                m.metric))}


# Words that speak of time without being a concept of latency: how long, how old. (Units are
# left out: "in the last 5 minutes" is the window, and a stated duration is the threshold's.)
_TIME_STEMS = frozenset(stem(w) for w in (
    "long", "longer", "hang", "hanging", "hung", "stuck", "age", "old", "stale", "timeout",
    "timeouts", "expire", "expiry", "uptime", "since", "ago", "recent", "period", "time",
    "times", "timing"))


def _unsaid_durations(best: Candidate, context: GenerationContext,
                      terms: IntentTerms) -> set[str]:
    """Durations near the best one (`target_response_time`: a word of latency in its name) when
    the best names hold no time, the intent states no duration and says no word of time,
    slowness or age, and the duration adds a word the intent never says: "the balancer has
    unhealthy targets" asks for no response time, however many words the names share."""
    own = [m for m in context.metrics if m.name in best.metrics]
    threshold = context.slots.threshold
    if not own or any(_is_duration(m.metric) or _holds_unit(m.metric, "seconds")
                      or is_timestamp_metric(m.metric) for m in own):
        return set()
    if threshold is not None and threshold.kind == "seconds":
        return set()
    if "latency" in terms.concepts or "time" in terms.concepts or terms.all_stems & _TIME_STEMS:
        return set()
    mine = set().union(*(name_words(m.name) for m in own))
    return {m.name for m in context.metrics[:TOP_METRICS]
            if m.name not in best.metrics and _is_duration(m.metric)
            and any(w not in STOPWORDS and _unmentioned(w, terms)
                    for w in _past_namespace(m.name) - mine)}


def _is_duration(metric: Metric) -> bool:
    """A name that says it measures how long something takes (`response_time`, `duration`,
    `rtt`), not when it happened (`start_time_seconds`). (Busy time, `cpu_seconds_total`, says
    it by its unit only: it may well be a CPU share the intent asks for.)"""
    return not is_timestamp_metric(metric) and any(
        "latency" in concepts_of_stem(w) for w in name_words(metric.name))


def _counts_events(metric: Metric) -> bool:
    """A counter without a unit (`oom_events_total`, `restarts_total`): it counts occurrences,
    never an amount of bytes, seconds or degrees."""
    return is_counter_like(metric) and not metric_unit(metric)


_SPACE_RE = re.compile(r"\bspace\b", re.I)


def _counts_for_space(best: Candidate, context: GenerationContext) -> set[str]:
    """Metrics near the best one that count things (`inodes_free`: a plural noun the best name
    does not have, no byte unit) when the intent speaks of space and the best rule reads bytes:
    "out of disk space" is an amount of storage, not a number of inodes."""
    own = [m for m in context.metrics if m.name in best.metrics]
    if not _SPACE_RE.search(context.slots.text) or not own or not all(
            metric_unit(m.metric) == "bytes" for m in own):
        return set()
    mine = {w for m in own for w in split_identifier(m.name)}
    return {m.name for m in context.metrics[:TOP_METRICS]
            if m.name not in best.metrics and metric_unit(m.metric) != "bytes"
            and any(_plural_noun(w) for w in set(split_identifier(m.name)) - mine)}


def _plural_noun(word: str) -> bool:
    return (len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is"))
            and word not in _NOT_COUNTED)


# Plural last words that are not nouns of things counted: units, and storage units
# (`sectors`, `blocks`, `pages`) in which an amount of storage may be given.
_NOT_COUNTED = frozenset({"bytes", "seconds", "status", "milliseconds", "microseconds", "days",
                          "hours", "minutes", "celsius", "degrees", "ratios", "percents",
                          "sectors", "blocks", "pages"})


def _counts_things(metric: Metric) -> bool:
    """A gauge without a unit whose last word is a plural noun (`go_goroutines`) or whose help
    says it is a number of something (`io_now`: "The number of I/Os in progress")."""
    parts = split_identifier(metric.name)
    last = parts[-1].lower() if parts else ""
    return effective_type(metric) is MetricType.GAUGE and not metric_unit(metric) and (
        _plural_noun(last) or bool(_NUMBER_OF_RE.match(metric.help)))


# A help text that says the gauge is a count ("The number of I/Os currently in progress").
_NUMBER_OF_RE = re.compile(r"\s*(?:the\s+)?(?:number|count)\s+of\b", re.I)


def _holds_unit(metric: Metric, kind: str) -> bool:
    if kind == "percent":
        # "more than 80% of its file descriptors": a share is a ratio or a percentage.
        return metric_unit(metric) in ("ratio", "percent")
    unit = _UNIT_KINDS.get(metric_unit(metric))
    if unit is not None:
        return unit == kind
    # Temperatures are often named without their unit (`device_temperature`).
    return kind == "celsius" and bool(name_stems(metric) & _TEMPERATURE_STEMS)


def _holds_codes(metric: Metric) -> bool:
    parts = split_identifier(metric.name)
    return is_info_metric(metric) or bool(parts) and parts[-1].lower() in _CODE_NAME_WORDS


# Name words of a configured value: a setting is a limit, never the value measured against one.
_SETTING_WORDS = frozenset({"config", "configured", "configuration", "settings", "setting",
                            "variables", "spec", "param", "params", "parameter", "parameters"})


def is_setting(metric: Metric) -> bool:
    return bool(set(split_identifier(metric.name)) & _SETTING_WORDS)


# --- how long since something last succeeded ---------------------------------------------------
_Lookup = Callable[[str], Metric | None]
# "has not uploaded anything for 24 hours": the verb of what stopped happening.
_NOT_DONE_RE = re.compile(r"\b(?:has|have|had|did)(?: not|n't)\s+(?:been\s+)?(?:[a-z]+ly\s+)?"
                          r"([a-z]+)", re.I)


def negated_acts(text: str) -> frozenset[str]:
    """Stems of what the intent says has not happened: "has not uploaded" -> upload."""
    return frozenset(stem(w) for w in _NOT_DONE_RE.findall(text)) - STOPWORDS


_LAST_STEMS = frozenset(stem(w) for w in ("last", "latest"))


def names_the_act(metric: Metric, acts: frozenset[str]) -> bool:
    """The time of the last success (or the last time) of the very act the intent says
    stopped, by its word or its concept (`last_successful_upload_time` for "has not uploaded",
    `rdb_last_save_timestamp` for "has not been backed up")."""
    name = name_stems(metric)
    named = bool(acts & name) or bool(concepts(list(acts)) & concepts(list(name)))
    return named and bool((_SUCCESS_STEMS | _LAST_STEMS) & name) and is_timestamp_metric(metric)


def act_decides(best: Candidate, other: Candidate, text: str, known: _Lookup) -> bool:
    """`best` is the age of the last success of the act the intent says stopped and `other`
    is not (the age of another act, or another shape): "has not synced the bucket for 30
    minutes" is the last successful sync, not a count of synced tenants."""
    acts = negated_acts(text)
    return _is_age_of_act(best, acts, known) and not _is_age_of_act(other, acts, known)


def _is_age_of_act(candidate: Candidate, acts: frozenset[str], known: _Lookup) -> bool:
    metric = known(candidate.metrics[0]) if candidate.family == "stale" else None
    return metric is not None and names_the_act(metric, acts)
