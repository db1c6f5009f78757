"""Metric retrieval: which catalog metric families an intent is about, best first, and how surely.

A metric's name is compared word by word with the intent. Each name word weighs by how rare it
is in the catalog (the exporter's prefix says little), and counts as matched when the intent uses
it, its opposite ("probe failed" for `probe_success`), a synonym from the ops vocabulary, all
pieces of it when it is run together (`volumefailurestotal`), or the initials of title words
(`vg` for "volume group"); a part of a CamelCase intent word ("CronJob": `job`) is half a
match. The score rewards matched weight, the share of the name explained (coverage), words in
the intent's title and in the same order, help-text agreement, a type that fits (a histogram for
a percentile) and label values the intent names (`mode="steal"`); it penalizes name words the
intent does not mention. Help text and label
values are untrusted and used for ranking only.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from monitorgen.core.catalog import Catalog, Metric, MetricType
from monitorgen.core.generation.labelvalues import ValueMatcher, value_matchers
from monitorgen.core.generation.naming import (
    effective_type,
    is_info_metric,
    is_timestamp_metric,
    metric_unit,
)
from monitorgen.core.generation.slots import Slots, clean_intent, extract_slots
from monitorgen.core.generation.vocabulary import (
    ABBREVIATIONS,
    CONCEPTS,
    STOPWORDS,
    concepts,
    concepts_of_stem,
    negated_base,
    opposite_stems,
    segment,
    split_identifier,
    stem,
    words,
)

# Name parts that say how a series is shaped, not what it is about: weak evidence for ranking.
SHAPE_WORDS = frozenset({"total", "count", "sum", "bucket", "created", "second", "seconds",
                         "byte", "bytes", "info", "ratio", "value", "gauge", "counter", "number",
                         "average", "avg", "percent", "percentage", "milliseconds", "millisecond",
                         "microseconds", "metric", "metrics", "stat", "stats", "status", "state",
                         "current", "num", "kib", "mib", "gib"})
_SHAPE_STEMS = frozenset(stem(w) for w in SHAPE_WORDS)
_ROLE_STEMS = frozenset(stem(w) for w in ("used", "usage", "free", "available", "avail", "max",
                                           "maximum", "limit", "limits", "min", "minimum",
                                           "capacity", "size", "remaining", "left"))
_TITLE_RE = re.compile(r"^([^:]{3,100}):\s")
# Partial matches of a name word: an opposite ("failed" for `success`), a concept.
OPPOSITE_MATCH = 0.85
CONCEPT_MATCH = 0.45
# Concepts whose words name one thing (`files` of a filesystem are its inodes; `free` is what is
# available, left): a word of one matches nearly as well as the word itself.
_SYNONYM_CONCEPTS = frozenset({"inode"})
SYNONYM_MATCH = 0.85
# A name word that is only a part of a CamelCase intent word (`job` for "CronJob").
PART_MATCH = 0.5
# A short name word that spells the initials of intent words (`vg` for "volume group").
ACRONYM_MATCH = 0.85


@dataclass(frozen=True)
class ScoredMetric:
    metric: Metric
    score: float
    reasons: tuple[str, ...] = ()
    # Share of the name's informative words (weighted by rarity) the intent mentions, exactly,
    # as an opposite or by concept; and how many of them it mentions exactly.
    coverage: float = 0.0
    exact: int = 0
    # Name words the intent does not mention (the doubt), and how much the help text agrees.
    missing: tuple[str, ...] = ()
    help: float = 0.0
    # Label matchers the intent implies for this metric (mode="steal", code=~"5..").
    values: tuple[ValueMatcher, ...] = ()
    # Share of the intent's title words ("Host out of memory: ...") the name explains.
    title: float = 0.0
    # The evidence behind the score, in the order of `FEATURES`.
    features: tuple[float, ...] = ()

    @property
    def name(self) -> str:
        return self.metric.name

    @property
    def kind(self) -> MetricType:
        return effective_type(self.metric)


@dataclass(frozen=True)
class IntentTerms:
    """The intent as sets of stems, for comparison with metric names."""

    text: str
    stems: frozenset[str]  # informative stems
    all_stems: frozenset[str]  # with stop words: names say `critical`, `is`, `out_of_order`
    title: frozenset[str]
    sequence: tuple[str, ...]
    concepts: frozenset[str]
    opposites: frozenset[str]  # stems meaning the opposite of an intent word
    words: frozenset[str]  # lower-case words and their stems, to split run-together names
    direction: str | None = None  # "in" (inbound, received) or "out" (outbound, sent)
    # CamelCase words and their parts ("coredns": core, dns): where a name has the whole word,
    # the parts must not match other name words a second time.
    compounds: tuple[tuple[str, frozenset[str]], ...] = ()
    synonyms: frozenset[str] = frozenset()  # opposites of negated words ("not run": halted)
    # Stems of words the intent writes on their own (not only as a part of a CamelCase word).
    standalone: frozenset[str] = frozenset()
    # Initials of two or three consecutive content words ("volume group": vg).
    acronyms: frozenset[str] = frozenset()
    parts: frozenset[str] = frozenset()  # stems of the parts of CamelCase words
    title_all: frozenset[str] = frozenset()  # the title's stems, stop words included
    title_sequence: tuple[str, ...] = ()  # the title's stems in order, stop words included


_TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*|\d+[a-zA-Z]*")


# "filling up", "slowing down": particles of a verb, not the `up`/`down` of a health flag.
_UP_VERBS = frozenset({"fill", "filling", "fills", "filled", "backed", "backs", "start",
                       "starting", "set", "pick", "picked",
                       "back", "backing", "catch", "catching", "speed", "build", "building",
                       "clean", "scale", "scaling", "spin", "spinning", "show", "showing", "come",
                       "coming", "warm", "warming", "heat", "heating", "ramp", "ramping", "pile",
                       "piling", "stack", "stacking", "add", "adding", "open", "opened", "boot",
                       "booting", "sign", "signed", "line", "keep", "keeping", "bring", "go",
                       "goes", "going", "grow", "growing", "look", "looking", "sum", "summing", "free",
                       "frees", "freed", "freeing", "use", "used", "using", "clear", "clears",
                       "clearing", "end", "ends", "ended", "give", "gives", "gave"})
_DOWN_VERBS = frozenset({"slow", "slowing", "slows", "scale", "scaling", "cool", "cooling",
                         "wind", "winding", "narrow", "step", "stepping", "turn", "turned",
                         "calm", "calming", "break", "breaking", "trickle", "bring", "write",
                         "written", "count", "counting"})


# "in the last 15 minutes", "over the past hour": a window, not the `last_` of a timestamp.
_WINDOW_WORDS = frozenset({"last", "past"})
_WINDOW_UNITS = frozenset({"second", "seconds", "minute", "minutes", "min", "mins", "hour",
                           "hours", "day", "days", "week", "weeks", "m", "h", "d", "s"})


def _drop_particles(found: list[str]) -> list[str]:
    out: list[str] = []
    for i, word in enumerate(found):
        before = found[i - 1] if i else ""
        if word == "up" and before in _UP_VERBS or word == "down" and before in _DOWN_VERBS:
            continue
        if word in _WINDOW_WORDS and _window_follows(found[i + 1:i + 3]):
            continue
        if before in ("per", "every") and word in _RATE_UNITS:
            continue  # "requests per second" is a rate: no measure in seconds
        if word.isdigit() and before in _DURATION_OPENERS:
            continue  # "for 15 minutes" says how long, not which measure (`load15`)
        run_on = re.fullmatch(r"(\d+)[smh]", word)
        if run_on and before not in _DURATION_OPENERS:
            out.append(run_on.group(1))  # "load average (1m)" names the number of `load1`
        if word in _COMPARING_VERBS and i + 1 < len(found) and found[i + 1] in _COMPARISONS:
            continue  # "drop below 10" compares; it is no dropped thing
        if word in _RUN_VERBS and found[i + 1:i + 2] == ["out"]:
            continue  # "running out of inodes" is exhaustion, not the `running` of processes
        out.append(word)
    return out


_COMPARING_VERBS = frozenset({"drop", "drops", "dropped", "dropping", "fall", "falls", "fell",
                              "falling", "rise", "rises", "rose", "rising"})
_RUN_VERBS = frozenset({"run", "runs", "running", "ran"})
_COMPARISONS = frozenset({"below", "under", "above", "over", "beneath"})
_DURATION_OPENERS = frozenset({"for", "last", "past", "over", "within", "during", "next"})
_RATE_UNITS = frozenset({"second", "sec", "seconds", "minute", "min", "minutes", "hour",
                         "hours"})


def _window_follows(after: list[str]) -> bool:
    """The words after "last" say how long: "5 minutes", "hour", "15m"."""
    if not after:
        return False
    first = after[0]
    return (first in _WINDOW_UNITS or bool(re.fullmatch(r"\d+[smhd]?", first))
            and (first[-1].isalpha() or len(after) > 1 and after[1] in _WINDOW_UNITS))


def intent_words(text: str) -> list[str]:
    """Lower-case words of an intent; CamelCase words also as their parts when those are words.

    "StatefulSet" gives statefulset, stateful, set; "MySQL" stays mysql (not "my" and "sql").
    Verb particles ("filling up", "slowing down") are dropped.
    """
    return _drop_particles(_intent_words(text))


def _intent_words(text: str) -> list[str]:
    out: list[str] = []
    for token in _TOKEN_RE.findall(text):
        if "_" in token:
            out.extend(words(token))
            continue
        parts = words(token)
        if len(parts) > 1:
            out.append(token.lower())
            if all(len(p) >= 3 for p in parts):
                out.extend(parts)
        else:
            out.extend(parts)
    return out


_NOT_CONTENT = frozenset({"ms", "s", "m", "h", "d", "min", "mins", "minute", "minutes", "hour",
                          "hours", "day", "days", "week", "weeks", "second", "seconds", "percent",
                          "millisecond", "milliseconds", "times", "gb", "mb", "kb", "gigabyte"})


def _content_word(word: str) -> bool:
    """Words that say what the intent is about (not numbers, units or glue)."""
    return (len(word) > 1 and word not in STOPWORDS and word not in _NOT_CONTENT
            and (not word[0].isdigit() or bool(_STATUS_CLASS_RE.fullmatch(word)))
            and not re.fullmatch(r"p\d+", word))


# "5xx", "4xx": a class of status codes is what the intent is about, not a number.
_STATUS_CLASS_RE = re.compile(r"[1-5]xx")


@lru_cache(maxsize=4096)
def intent_terms(text: str) -> IntentTerms:
    cleaned = clean_intent(text)
    all_words = intent_words(cleaned)
    sequence = tuple(stem(w) for w in all_words)
    informative = frozenset(stem(w) for w in all_words if w not in STOPWORDS and len(w) > 1)
    title_match = _TITLE_RE.match(cleaned)
    # Without a "Title: details" form the whole intent is its own title.
    title_words = intent_words(title_match.group(1)) if title_match else all_words
    title = frozenset(stem(w) for w in title_words if _content_word(w))
    # "not ready", "not running": the word after a negation names the missing good state, and
    # its own opposite ("has not run": `halted`) means the same as the intent, not the opposite.
    negated = {after for before, after in zip(sequence, sequence[1:], strict=False)
               if before in ("not", "no", "never", "non")}
    # "dead letter queue": a state word that names a kind of thing says nothing of its state
    # (names may still spell it: `dead_letter_messages`).
    naming = {before for before, after in zip(sequence, sequence[1:], strict=False)
              if (before, after) in _NOUN_PHRASES}
    informative -= naming
    opposites: set[str] = set(negated)
    synonyms: set[str] = set()
    for s in set(sequence) - naming - _describing_states(all_words):
        (synonyms if s in negated else opposites).update(_said_opposites(s, all_words))
    compounds = tuple(sorted(
        (stem(token.lower()), frozenset(stem(p) for p in words(token)))
        for token in set(_TOKEN_RE.findall(cleaned))
        if "_" not in token and len(words(token)) > 1 and all(len(p) >= 3 for p in words(token))
    ))
    # "page me" is how the alert reaches someone, not `HugePages`: the verb matches no name.
    paging = {stem(w) for w, after in zip(all_words, all_words[1:], strict=False)
              if w == "page" and after in _PAGED}
    paging -= {stem(w) for w, after in zip(all_words, all_words[1:], strict=False)
               if w == "page" and after not in _PAGED}
    standalone = frozenset(stem(w) for token in _TOKEN_RE.findall(cleaned)
                           for w in (words(token) if "_" in token or len(words(token)) < 2
                                     else [token.lower()]))
    return IntentTerms(
        parts=frozenset(p for _, found in compounds for p in found),
        # Only the title's: in running prose any two words ("new files") spell something.
        acronyms=frozenset().union(*(_acronyms(_plain_words(part)) for part in _CLAUSE_RE.split(
            title_match.group(1) if title_match else cleaned))),
        standalone=standalone,
        compounds=compounds,
        synonyms=frozenset(synonyms - set(sequence)),
        direction=direction_of(set(all_words)),
        text=cleaned,
        stems=informative,
        all_stems=frozenset(sequence) - paging,
        title=title,
        title_all=frozenset(stem(w) for w in title_words),
        title_sequence=tuple(stem(w) for w in title_words),
        sequence=sequence,
        concepts=frozenset(concepts(list(informative))) - _skipped_not_gone(all_words),
        opposites=frozenset(opposites),
        words=frozenset(all_words) | frozenset(sequence),
    )


# Things that run and so can be up or down: "missing leader", "dead nodes" say they are down.
_MEMBER_NOUNS = frozenset(stem(w) for w in (
    "node", "nodes", "instance", "instances", "host", "hosts", "server", "servers", "member",
    "members", "peer", "peers", "broker", "brokers", "replica", "replicas", "target", "targets",
    "worker", "workers", "pod", "pods", "container", "containers", "service", "services",
    "agent", "agents", "process", "processes", "leader", "master", "primary", "monitor",
    "monitors", "exporter", "exporters", "endpoint", "endpoints", "backend", "backends",
    "daemon", "daemons", "osd", "osds", "job", "jobs", "task", "tasks", "executor", "executors",
    "consumer", "consumers", "client", "clients", "connection", "connections", "cluster",
))
# State words that, put before a noun, may only describe a kind of thing ("dead tuples",
# "missing backup"): then they say nothing of a service being down.
_DESCRIBING_STATES = frozenset({"dead", "missing"})
# Words after a state that are no noun it could describe ("missing even though ...").
_NOT_NOUNS = frozenset({"even", "though", "entirely", "completely", "altogether", "now", "again",
                        "still", "since", "yet", "already", "too", "also"})


def _describing_states(found: list[str]) -> set[str]:
    """Stems of state words used as an adjective of something that does not run ("dead
    tuples", "missing backup"), whose opposite (`up`, `live`) the intent does not mean. Before
    a component ("missing leader", "dead data nodes") they keep saying it is down."""
    out: set[str] = set()
    for i, word in enumerate(found):
        after = found[i + 1:i + 3]
        if word not in _DESCRIBING_STATES or not after or not _content_word(after[0]) or (
            after[0] in _NOT_NOUNS
        ):
            continue
        if not {stem(w) for w in after} & _MEMBER_NOUNS:
            out.add(stem(word))
    return out


_MISS = stem("missing")


def _said_opposites(word_stem: str, found: list[str]) -> frozenset[str]:
    """Opposites of an intent word. "missed" and "misses" share the stem of "missing" but
    say an event was skipped ("missed their scrub interval", "cache misses"), not that
    something is gone: only "missing" is the opposite of `up`."""
    out = opposite_stems(word_stem)
    if word_stem == _MISS and "missing" not in found:
        out -= {stem("up")}
    return out


def _skipped_not_gone(found: list[str]) -> set[str]:
    """Concepts the intent's words only seem to say: "missed" (a scrub, a trigger) shares the
    stem of "missing" but says nothing is down."""
    if "missing" in found or _MISS not in {stem(w) for w in found}:
        return set()
    down_said = any("down" in concepts_of_stem(stem(w)) for w in found if stem(w) != _MISS)
    return set() if down_said else {"down"}


# Two-word terms whose first word would otherwise read as a state ("dead letter" is where
# undeliverable messages go, not something dead).
_NOUN_PHRASES = frozenset({(stem("dead"), stem("letter"))})
_VOWEL_RE = re.compile(r"[aeiouy]")
# Acronyms do not run across punctuation ("inodes: Disk" is not `id`).
_CLAUSE_RE = re.compile(r"[:;,.()!?\-]")
# Short name words that shorten one word, not a phrase.
_NOT_ACRONYMS = frozenset({"id", "ip", "up", "ok", "no", "on"})


def _plain_words(text: str) -> list[str]:
    """Words as written: CamelCase words stay whole ("OpenSearch" gives no "open search")."""
    return _drop_particles([w for token in _TOKEN_RE.findall(text) for w in words(token)
                            if len(words(token)) < 2 or "_" in token])


def _acronyms(found: list[str]) -> frozenset[str]:
    """Initials of runs of two or three content words: names shorten "volume group" to `vg`,
    "replica set" to `rs`, "garbage collection" to `gc`. A word without a vowel (`lvm`) is an
    abbreviation itself and starts no acronym."""
    out: set[str] = set()
    for size in (2, 3):
        for i in range(len(found) - size + 1):
            run = found[i:i + size]
            if all(len(w) >= 3 and w.isalpha() and w not in STOPWORDS
                   and _VOWEL_RE.search(w) for w in run):
                out.add("".join(w[0] for w in run))
    return frozenset(out - _NOT_ACRONYMS)


_PAGED = frozenset({"me", "us", "someone", "oncall", "on", "the", "if", "when"})


_INBOUND = frozenset({"inbound", "incoming", "ingress", "receive", "received", "receiving", "rx",
                      "in", "download", "downloaded"})
_OUTBOUND = frozenset({"outbound", "outgoing", "egress", "transmit", "transmitted", "sent",
                       "send", "sending", "tx", "out", "upload", "uploaded"})


def direction_of(found: set[str]) -> str | None:
    """Traffic direction named by a set of words; None when none or both are named."""
    inbound = bool(found & (_INBOUND - {"in", "out"}))
    outbound = bool(found & (_OUTBOUND - {"in", "out"}))
    if inbound == outbound:
        return None
    return "in" if inbound else "out"


def _name_direction(name_words: tuple[str, ...]) -> str | None:
    inbound = bool(set(name_words) & _INBOUND)
    outbound = bool(set(name_words) & _OUTBOUND)
    if inbound == outbound:
        return None
    return "in" if inbound else "out"


@dataclass(frozen=True)
class _MetricTerms:
    words: tuple[str, ...]
    stems: tuple[str, ...]
    help_stems: frozenset[str]
    written: tuple[str, ...] = ()  # the words as written, before abbreviations are expanded


@lru_cache(maxsize=16384)
def _metric_terms(name: str, help_text: str) -> _MetricTerms:
    name_words = words(name) or [name.lower()]
    written = [w for token in _TOKEN_RE.findall(name) for w in split_identifier(token)]
    return _MetricTerms(
        written=tuple(written) if len(written) == len(name_words) else tuple(name_words),
        words=tuple(name_words),
        stems=tuple(stem(w) for w in name_words),
        help_stems=frozenset(stem(w) for w in words(help_text) if w not in STOPWORDS),
    )


@dataclass(frozen=True)
class _CatalogStats:
    name_idf: dict[str, float]
    help_idf: dict[str, float]
    vocabulary: frozenset[str]  # words of all names, to split run-together ones
    known: frozenset[str] = frozenset()  # stems of all names and help texts
    named: frozenset[str] = frozenset()  # stems of all names


def _catalog_stats(catalog: Catalog) -> _CatalogStats:
    return _catalog_stats_cached(catalog.name, tuple((m.name, m.help) for m in catalog.metrics))


_CONCEPT_WORDS = frozenset(w for members in CONCEPTS.values() for m in members
                           for w in m.split("_") if len(w) >= 3)


@lru_cache(maxsize=256)
def _catalog_stats_cached(_name: str, items: tuple[tuple[str, str], ...]) -> _CatalogStats:
    name_df: dict[str, float] = {}
    help_df: dict[str, int] = {}
    # Type and unit words run into a name's last word (`offlinepartitionscount`) are pieces too:
    # without them the rest of the word is never split.
    vocabulary: set[str] = set(_CONCEPT_WORDS) | {w for w in SHAPE_WORDS if len(w) >= 3}
    for name, help_text in items:
        terms = _metric_terms(name, help_text)
        for s in set(terms.stems):
            name_df[s] = name_df.get(s, 0) + 1
        # A word every description uses ("sensor" in an IPMI exporter's) is the catalog's
        # domain even when few names spell it: it tells metrics apart less than a rare one.
        for s in terms.help_stems - set(terms.stems):
            name_df[s] = name_df.get(s, 0) + HELP_DF_SHARE
        for s in terms.help_stems:
            help_df[s] = help_df.get(s, 0) + 1
        vocabulary.update(w for w in split_identifier(name) if len(w) >= 3)
    n = max(len(items), 1)
    norm = math.log(1 + n)
    known: set[str] = set()
    for name, help_text in items:
        terms = _metric_terms(name, help_text)
        known.update(terms.stems)
        known.update(terms.help_stems)
    return _CatalogStats(
        named=frozenset(s for name, h in items for s in _metric_terms(name, h).stems),
        known=frozenset(known),
        # A word in many names (the exporter's prefix, `http`) says little, both as a match
        # and as a word the intent leaves out; IDF_POWER > 1 would say it even less.
        name_idf={s: (math.log(1 + n / df) / norm) ** IDF_POWER for s, df in name_df.items()},
        help_idf={s: math.log(1 + n / df) / norm for s, df in help_df.items()},
        vocabulary=frozenset(vocabulary),
    )


def _said_stopword_phrase(terms: _MetricTerms, intent: IntentTerms) -> frozenset[int]:
    """Positions of two name words in a row that are stop words on their own and the intent
    says together (`critical_warning` for "has a critical warning"): a phrase, not filler."""
    pairs = set(zip(intent.sequence, intent.sequence[1:], strict=False))
    found: set[int] = set()
    for i in range(len(terms.words) - 1):
        if terms.words[i] in STOPWORDS and terms.words[i + 1] in STOPWORDS and (
                terms.stems[i], terms.stems[i + 1]) in pairs:
            found |= {i, i + 1}
    return frozenset(found)


def _piece_match(piece: str, intent: IntentTerms) -> float:
    s = stem(ABBREVIATIONS.get(piece, piece))  # `filefd`: file, descriptor
    if s in intent.all_stems:
        return 1.0
    if s in intent.opposites:
        return OPPOSITE_MATCH
    if concepts_of_stem(s) & intent.concepts:
        return CONCEPT_MATCH
    return 0.0


def _word_match(word: str, word_stem: str, intent: IntentTerms,
                vocabulary: frozenset[str], free_concepts: frozenset[str],
                used_parts: frozenset[str] = frozenset()) -> tuple[float, str]:
    """How well the intent covers one name word (0..1) and how ("exact", "opposite", ...).

    `free_concepts` are the concepts of intent words no other name word matched exactly: one
    intent word supports one name word ("memory" explains `memory`, not also `swap`).
    `used_parts` are parts of a CamelCase intent word whose whole the name already has.
    """
    if word_stem in intent.all_stems and word_stem not in used_parts:
        if word_stem in intent.standalone or word_stem not in intent.parts:
            return 1.0, "exact"
        # Only a part of a CamelCase word ("CronJob" for `job`): half of what the intent names.
        return PART_MATCH, "part"
    # `rq_xx` counts responses by status class (its label holds the digit): "5xx" names one.
    if word == "xx" and any(_STATUS_CLASS_RE.fullmatch(w) for w in intent.words):
        return 1.0, "status class"
    # The intent names the bad state of a good-state name ("probe failed": `probe_success`), or
    # the name negates an intent word (`unsealed` for "sealed").
    if word_stem in intent.synonyms:
        return OPPOSITE_MATCH, "negated opposite"
    if word_stem in intent.opposites or negated_base(word_stem) in intent.all_stems:
        return OPPOSITE_MATCH, "opposite"
    # Only words that read as initials: two letters, or three without a vowel (`new`, `log`
    # and `hit` are words).
    if (len(word) == 2 or len(word) == 3 and not _VOWEL_RE.search(word)) and (
            word in intent.acronyms):
        return ACRONYM_MATCH, "acronym"
    if len(word) >= 6:
        pieces = segment(word, intent.words | vocabulary)
        # Type suffixes run into the word (`volumefailurestotal`) say nothing.
        pieces = [p for p in pieces or () if stem(p) not in _SHAPE_STEMS]
        if pieces:
            share = sum(_piece_match(p, intent) for p in pieces) / len(pieces)
            # A whole word of the intent's concept (`filesystem` for "disk") is not read as
            # its weaker pieces (`file`, `system`).
            if share > 0 and not (share < CONCEPT_MATCH
                                  and concepts_of_stem(word_stem) & free_concepts):
                return share, "pieces"
    found = concepts_of_stem(word_stem) & free_concepts
    if found & _SYNONYM_CONCEPTS:
        return SYNONYM_MATCH, "synonym"
    if found:
        return CONCEPT_MATCH, "concept"
    return 0.0, ""


_GROWTH_STEMS = frozenset(stem(w) for w in ("increasing", "growing", "rising"))
_RATE_STEMS = frozenset(stem(w) for w in ("traffic", "throughput", "qps", "rps"))


def _type_fit(metric: Metric, slots: Slots, intent: IntentTerms) -> tuple[float, float, float]:
    """(a histogram fits a percentile, a counter fits a per-second rate, an info metric misfits)."""
    kind = effective_type(metric)
    wants_percentile = slots.percentile is not None or (
        "latency" in intent.concepts and slots.threshold is not None
        and slots.threshold.kind == "seconds"
    )
    percentile = float(wants_percentile and kind in (MetricType.HISTOGRAM, MetricType.SUMMARY))
    # "10 errors per second", "traffic drops by half": a per-second rate of a counter.
    # "errors increasing": what grows is counted by a counter.
    rate = float(kind is MetricType.COUNTER and (
        slots.threshold is not None and slots.threshold.per is not None
        or bool(intent.stems & _RATE_STEMS) or bool(intent.all_stems & _GROWTH_STEMS)))
    info = float(is_info_metric(metric) and not intent.stems & _INFO_WORDS)
    return percentile, rate, info


_UNIT_KINDS = {"seconds": "seconds", "milliseconds": "seconds", "minutes": "seconds",
               "hours": "seconds", "days": "seconds", "bytes": "bytes", "celsius": "celsius"}


def _unit_fit(metric: Metric, slots: Slots) -> float:
    """+1 when the intent's threshold is in the metric's unit (500ms and seconds), -1 when in
    another one (500ms and bytes) or when its value counts things ("<value> jobs") and the
    metric is a duration or size, else 0."""
    threshold = slots.threshold
    if threshold is None and slots.counted and not slots.ratio:
        # "A backlog of <value> jobs" counts jobs: not how long they waited, nor their size.
        unit = _UNIT_KINDS.get(metric_unit(metric))
        return -1.0 if unit in ("seconds", "bytes") and not is_timestamp_metric(metric) else 0.0
    if threshold is None or threshold.kind not in ("seconds", "bytes", "celsius"):
        return 0.0
    unit = _UNIT_KINDS.get(metric_unit(metric))
    if unit is None or is_timestamp_metric(metric):
        return 0.0
    return 1.0 if unit == threshold.kind else -1.0


# Bandwidth and throughput are amounts of data: bytes (or bits), not packets or calls.
_VOLUME_STEMS = frozenset(stem(w) for w in ("bandwidth", "throughput"))


def _volume_fit(metric: Metric, intent: IntentTerms) -> float:
    """+1 for a byte metric when the intent asks about bandwidth or throughput."""
    if not intent.stems & _VOLUME_STEMS or is_timestamp_metric(metric):
        return 0.0
    return 1.0 if metric_unit(metric) in ("bytes", "bits") else 0.0


_INFO_WORDS = frozenset(stem(w) for w in ("version", "versions", "changed", "different", "info",
                                          "build", "release"))
IDF_POWER = 1.0
# How much a word in a metric's help text (not its name) counts towards the word's frequency.
HELP_DF_SHARE = 0.25
# The score is a weighted sum of these features (see score_metric).
FEATURES = ("matched", "title_matched", "coverage", "unmatched", "phrases", "help", "values",
            "direction", "title_share", "error_mismatch", "percentile_fit", "rate_fit",
            "info_misfit", "unit_fit")
# Set by hand, then refined on the tuning half of the development set (top-1 retrieval).
WEIGHTS: dict[str, float] = {
    "matched": 2.0, "title_matched": 0.9, "coverage": 1.8, "unmatched": -0.7, "phrases": 0.45,
    "help": 0.7, "values": 1.3, "direction": 1.7, "title_share": 0.1, "error_mismatch": -1.5,
    "percentile_fit": 1.75, "rate_fit": 1.15, "info_misfit": -1.35, "unit_fit": 0.8,
}


_COUNTED_RE = re.compile(r"\b(?:number|count) of (?:the )?((?:[a-z]+ ?)+)", re.I)


def _counted(help_text: str) -> set[str]:
    """What a help says its metric counts: the head (last) noun of the phrase after "number
    of" ("number of inbound packets that ..." counts packets, not inbound)."""
    found = set()
    for phrase in _COUNTED_RE.findall(help_text):
        nouns = list(itertools.takewhile(lambda w: w not in STOPWORDS, phrase.lower().split()))
        if nouns:
            found.add(stem(nouns[-1]))
    return found


def score_metric(metric: Metric, intent: IntentTerms, slots: Slots,
                 stats: _CatalogStats) -> ScoredMetric | None:
    """One metric's fit to the intent, or None when nothing about it matches.

    The score is a weighted sum of evidence (`FEATURES`, `WEIGHTS`): matched name weight
    (rare words weigh more), the same for words of the intent's title, coverage of the name,
    unmatched name weight, phrases in the same order, help-text agreement, label values the
    intent names, traffic direction (or a wire protocol or resource the intent contradicts),
    an error metric for a question not about errors, and type fit.
    """
    terms = _metric_terms(metric.name, metric.help)
    last = len(terms.stems) - 1
    matched = 0.0
    title_matched = 0.0
    matched_plain = 0.0
    informative = 0.0
    exact = 0
    hits: list[str] = []
    missing: list[str] = []
    seen: set[str] = set()
    exact_positions: list[int] = []
    # Name words the intent writes run together, in either order and as written: `sys_up_time`
    # for "uptime", `memory_max_bytes` for "maxmemory". They are one word ("ZooKeeper" is
    # `zoo_keeper`, not a zoo and a keeper): the second half adds no weight of its own.
    first_halves = {i for i in range(last) if any(
        a[i] + a[i + 1] in intent.words or a[i + 1] + a[i] in intent.words
        for a in (terms.words, terms.written))}
    second_halves = {i + 1 for i in first_halves} - first_halves
    joined = first_halves | second_halves
    free_concepts = frozenset(concepts(list(intent.stems - set(terms.stems)))) & intent.concepts
    name_set = set(terms.stems)
    used_parts = frozenset(part for whole, parts in intent.compounds if whole in name_set
                           for part in parts if part not in intent.standalone
                           and part != whole)
    values = tuple(value_matchers(metric, intent.text)) if metric.labels else ()
    # A name word that is the label of a value the intent names (`pod_status_phase` for
    # "stuck in Pending", phase="Pending") is explained by the intent.
    value_labels = {stem(v.label) for v in values if not v.negated}
    label_stems = {stem(label) for label in metric.labels}
    phrase = _said_stopword_phrase(terms, intent)
    subject_positions = _shape_subjects(terms) | phrase
    for position, (word, word_stem) in enumerate(zip(terms.words, terms.stems, strict=True)):
        if word_stem in seen or position in second_halves:
            continue
        seen.add(word_stem)
        weight = stats.name_idf.get(word_stem, 1.0)
        if position in first_halves:
            weight = max(weight, stats.name_idf.get(terms.stems[position + 1], 1.0))
        shape = (word_stem in _SHAPE_STEMS and position not in subject_positions) or (
            position == last and word in ("total", "count"))
        if word in STOPWORDS and not shape and position not in subject_positions:
            if word_stem in intent.all_stems:
                matched += 0.3 * weight
            continue
        if shape:
            weight *= 0.3
        elif word_stem in _ROLE_STEMS:
            weight *= 0.5  # `used`, `max`, `free` say which part, not what it is about
        value, how = ((1.0, "exact") if position in joined
                      else _word_match(word, word_stem, intent, stats.vocabulary, free_concepts,
                                       used_parts))
        if value < 1.0 and word_stem in value_labels:
            value, how = 1.0, "label value"
        elif how == "exact" and word_stem in label_stems and _unselected_kind(
                word_stem, name_set, intent, stats):
            value, how = PART_MATCH, "unselected kind"
        if how == "exact":
            exact_positions.append(position)
        if value > 0:
            matched += weight * value
            wholes = ({stem(a[position] + a[position + 1]) for a in (terms.words, terms.written)}
                      | {stem(a[position + 1] + a[position]) for a in (terms.words, terms.written)}
                      if position in first_halves else {word_stem})
            # (A phrase of stop words is left out of the title's content words: look it up
            # among all of the title's words.)
            # So is a type word that is the name's subject (`current` of `ipmi_current_state`).
            in_phrase = position in subject_positions and word_stem in intent.title_all
            if wholes & intent.title or in_phrase or how == "pieces" and _pieces_of(
                word, intent, stats) & intent.title:
                title_matched += weight * value
            hits.append(word if how == "exact" else f"{word} ({how})")
        if not shape:
            informative += weight
            matched_plain += weight * value
            if how == "exact":
                exact += 1
            if value < 0.5:
                missing.append(word)
    # "number of connections": a name that says no word of the intent
    # (`stat_activity_count`) counts what its help says: that noun is its subject.
    counted = _counted(metric.help) & intent.stems - seen if not hits else set()
    for word_stem in counted:
        weight = stats.name_idf.get(word_stem, 1.0)
        matched += weight
        matched_plain += weight
        informative += weight
        title_matched += weight if word_stem in intent.title else 0.0
        hits.append(f"{word_stem} (help counts)")
    help_hits = (intent.stems & terms.help_stems) - _SHAPE_STEMS
    help_score = sum(stats.help_idf.get(s, 0.0) for s in help_hits)
    percentile_fit, rate_fit, info_misfit = _type_fit(metric, slots, intent)
    unit_fit = _unit_fit(metric, slots) or _volume_fit(metric, intent)
    if unit_fit < 0:
        percentile_fit = 0.0  # a size histogram does not answer "p99 over 500ms"
    if matched <= 0 and help_score <= 0 and not values and not percentile_fit:
        return None  # nothing about it matches (a histogram fits "p99 over 500ms" by type)
    coverage = matched_plain / informative if informative else 0.0
    direction = _name_direction(terms.words) if intent.direction else None
    title_share = _title_share(intent, terms, stats, _scope_stems(slots),
                               frozenset(terms.stems[i] for i in subject_positions))
    metric_concepts = concepts(list(terms.stems))
    error_mismatch = "error" in metric_concepts and "error" not in intent.concepts and not (
        set(terms.stems) & intent.all_stems & {stem("error"), stem("errors")})
    features = {
        "matched": matched,
        "title_matched": title_matched,
        "coverage": coverage,
        "unmatched": informative - matched_plain,
        "phrases": float(_phrases(terms.stems, exact_positions, intent.sequence)),
        "help": min(help_score, 4.0),
        "values": sum(1.5 if v.grounded else 1.0 if not v.value.startswith("(?i)") else 0.5
                      for v in values),
        # "inbound errors" is `ifInErrors`, never `ifOutErrors`; "gRPC failures" never
        # `http_failed_total`; "volume usage" never `cpu_usage`.
        "direction": -1.0 if _protocol_clash(terms.stems, intent.all_stems)
        or _protocol_clash(terms.stems, intent.all_stems, _RESOURCES) else 0.0
        if direction is None else 1.0 if direction == intent.direction else -1.0,
        "title_share": title_share,
        "error_mismatch": float(error_mismatch),
        "percentile_fit": percentile_fit,
        "rate_fit": rate_fit,
        "info_misfit": info_misfit,
        "unit_fit": unit_fit,
    }
    score = sum(WEIGHTS[name] * value for name, value in features.items())
    reasons: list[str] = []
    if hits:
        reasons.append("name matches " + ", ".join(hits[:6]))
    if help_hits:
        reasons.append("help mentions " + ", ".join(sorted(help_hits)[:4]))
    if values:
        reasons.append("intent names " + ", ".join(v.render() for v in values))
    if percentile_fit:
        reasons.append("a histogram/summary fits a percentile")
    if rate_fit:
        reasons.append("a counter fits a rate")
    return ScoredMetric(metric, round(score, 4), tuple(reasons), round(coverage, 3), exact,
                        tuple(missing), round(help_score, 3), values, round(title_share, 3),
                        tuple(round(features[name], 4) for name in FEATURES))


# Wire protocols: a name that says one the intent does not, and not the one it says, counts
# other traffic (`http_failed_total` for "failed gRPC requests").
_PROTOCOLS: dict[str, frozenset[str]] = {
    name: frozenset(stem(w) for w in spellings) for name, spellings in {
        "http": ("http", "https", "http2"), "grpc": ("grpc",), "tcp": ("tcp",),
        "udp": ("udp",), "icmp": ("icmp", "ping"), "dns": ("dns",)}.items()}


# Resources a host shares out: a name about one the intent does not say, and not about the one
# it says, measures another (`cpu_usage` for "volume usage", `memory_used` for "disk full").
_RESOURCES: dict[str, frozenset[str]] = {
    name: frozenset(stem(w) for w in spellings) for name, spellings in {
        "cpu": ("cpu", "cpus", "vcpu", "vcpus", "processor"),
        "memory": ("memory", "ram", "heap", "swap"),
        "disk": ("disk", "disks", "filesystem", "volume", "volumes", "storage", "inode", "inodes"),
        "network": ("network", "bandwidth"),
    }.items()}


def _protocol_clash(name_stems: tuple[str, ...] | list[str], intent_stems: frozenset[str],
                    kinds: dict[str, frozenset[str]] = _PROTOCOLS) -> bool:
    said = {p for p, spellings in kinds.items() if spellings & intent_stems}
    named = {p for p, spellings in kinds.items() if spellings & set(name_stems)}
    return bool(said and named and not said & named)


# Type words that never name a subject, wherever they stand.
_TYPE_SUFFIXES = frozenset({"total", "count", "sum", "bucket", "created", "info"})


def _shape_subjects(terms: _MetricTerms) -> frozenset[int]:
    """Positions of type words that name the subject of a state because nothing else does: in
    `ipmi_current_state` (after the exporter's prefix) `current` is the electric current, not
    "the present value" as in `threads_current` or `current_bytes`."""
    middle = range(1, len(terms.stems) - 1)
    if not middle or terms.words[-1] not in ("state", "status"):
        return frozenset()
    if any(terms.stems[i] not in _SHAPE_STEMS and terms.words[i] not in STOPWORDS
           for i in middle):
        return frozenset()
    return frozenset(i for i in middle if terms.stems[i] in _SHAPE_STEMS
                     and terms.words[i] not in _TYPE_SUFFIXES)


def subject_stems(name: str) -> frozenset[str]:
    """Stems of the words of a metric name that say what it measures: not its type words
    (`total`, `bytes`, `state`) unless they are all there is (`ipmi_current_state`)."""
    terms = _metric_terms(name, "")
    subjects = _shape_subjects(terms)
    return frozenset(s for i, s in enumerate(terms.stems)
                     if s not in _SHAPE_STEMS or i in subjects)


def _scope_stems(slots: Slots) -> frozenset[str]:
    """Words that say where, not what: scope labels and their values ("the checkout service")."""
    found = {stem(w) for w in SCOPE_WORDS}
    for label, value in slots.matchers.items():
        found.add(stem(label))
        found.update(stem(w) for w in words(value))
    return frozenset(found)


SCOPE_WORDS = ("service", "namespace", "job", "cluster", "environment", "env", "region", "team",
               "route", "endpoint")


def _pieces_of(word: str, intent: IntentTerms, stats: _CatalogStats) -> set[str]:
    return {stem(p) for p in segment(word, intent.words | stats.vocabulary) or ()}


def _title_share(intent: IntentTerms, terms: _MetricTerms, stats: _CatalogStats,
                 scope: frozenset[str] = frozenset(),
                 subjects: frozenset[str] = frozenset()) -> float:
    """Share of the title's content words the name explains: as words, pieces, opposites or
    synonyms ("latency" is explained by `duration`). Scope words do not count. A type or stop
    word the title says counts when it is the name's subject ("IPMI current sensor" and
    `ipmi_current_state`)."""
    # Words no metric of the catalog knows (a service's name, "checkout") cannot be explained
    # by any metric: they do not count against this one.
    title_words = {w for w in intent.title - _SHAPE_STEMS - (scope - set(terms.stems))
                   if w in stats.known or concepts_of_stem(w)} | (subjects & intent.title_all)
    if not title_words:
        return 0.0
    # Words a name splits in two (`sys_up_time`) explain the title's word for both ("uptime").
    joined = {stem(a + b) for a, b in zip(terms.words, terms.words[1:], strict=False)}
    name = set(terms.stems) | _pieces(terms, intent, stats) | joined
    name_concepts = concepts(list(name))
    explained = 0
    for word in title_words:
        if word in name or opposite_stems(word) & name or concepts_of_stem(word) & name_concepts:
            explained += 1
    return explained / len(title_words)


def _pieces(terms: _MetricTerms, intent: IntentTerms, stats: _CatalogStats) -> set[str]:
    """Stems of the pieces of run-together name words (`missingblocks` -> missing, block)."""
    found: set[str] = set()
    for word in terms.words:
        if len(word) >= 6:
            found.update(stem(p) for p in segment(word, intent.words | stats.vocabulary) or ())
    return found


def _unselected_kind(word_stem: str, own: set[str], intent: IntentTerms,
                     stats: _CatalogStats) -> bool:
    """The intent says a name word that is also the metric's label only of one kind, named by
    a word another metric's name spells ("textfile collector" for `scrape_collector_success`
    split by `collector`, beside `textfile_scrape_error`), and the catalog lists no such value
    to select: the metric counts every kind, the other one the kind meant."""
    before = [q for q, w in zip(intent.sequence, intent.sequence[1:], strict=False)
              if w == word_stem]
    return bool(before) and all(
        q in stats.named and q not in own and q not in STOPWORDS and q not in _ROLE_STEMS
        and q not in _SHAPE_STEMS for q in before)


def _phrases(name_stems: tuple[str, ...], positions: list[int], sequence: tuple[str, ...]) -> int:
    """Consecutive name words that are consecutive in the intent too ("out of order")."""
    if len(positions) < 2:
        return 0
    pairs = {(a, b) for a, b in zip(sequence, sequence[1:], strict=False)}
    count = 0
    for i, j in zip(positions, positions[1:], strict=False):
        if j == i + 1 and (name_stems[i], name_stems[j]) in pairs:
            count += 1
    return count


# A clause that gives a likely cause or a consequence ("usually caused by rule groups taking
# longer than their interval", "risking failures when ..."): it explains the alert, it does not
# say what to measure, and its words name other metrics. (A plain "because"/"due to" often
# names what is counted: "dropping packets due to policy denial".)
_ASIDE_RE = re.compile(
    r"(?:(?<=[.;,(])|(?<=\s-\s)|^)\s*(?:(?:which|this|that|it)\s+(?:is\s+)?)?"
    r"(?:(?:usually|often|typically|probably|possibly|likely|most likely|commonly)\s+"
    r"(?:caused by|due to|because)|(?:can|may|might|could|will) (?:occur|happen|indicate|mean|"
    r"be caused|lead|result|cause)|(?:can|may|might|could) be an? (?:sign|symptom)|"
    r"indicat(?:es|ing)|suggest(?:s|ing)|meaning|risking|causing|leading to|disrupting|"
    r"affecting|impacting|preventing|"
    r"resulting in)\b[^.;()]*", re.I)


def without_asides(text: str) -> str:
    """The intent without clauses that explain causes or consequences (keeps the title)."""
    title = _TITLE_RE.match(text)
    head, rest = (text[:title.end()], text[title.end():]) if title else ("", text)
    kept = _ASIDE_RE.sub(" ", rest)
    return head + kept if kept.strip() else text


def rank_metrics(
    intent: str, catalog: Catalog, *, slots: Slots | None = None, limit: int | None = None
) -> list[ScoredMetric]:
    """Catalog metric families ordered by how well they fit the intent (best first)."""
    slots = slots if slots is not None else extract_slots(intent)
    terms = intent_terms(without_asides(slots.text or intent))
    stats = _catalog_stats(catalog)
    scored = [s for m in catalog.metrics
              if (s := score_metric(m, terms, slots, stats)) is not None and s.score > 0]
    scored.sort(key=lambda m: (-m.score, len(m.name), m.name))
    return scored[:limit] if limit else scored


def name_coverage(metric: Metric, text: str, catalog: Catalog) -> float:
    """The share of `metric`'s name the intent's words explain (as `rank_metrics` scores it)."""
    slots = extract_slots(text)
    scored = score_metric(metric, intent_terms(slots.text or text), slots,
                          _catalog_stats(catalog))
    return scored.coverage if scored is not None else 0.0


__all__ = ["IntentTerms", "ScoredMetric", "intent_terms", "name_coverage", "rank_metrics",
           "score_metric", "subject_stems", "without_asides"]
