"""Ops vocabulary: how people talk about monitoring, and how exporters name metrics.

Intents say "slow", "RAM", "5xx"; metrics say `duration_seconds`, `memory_bytes`, `code`. This
module maps both onto shared *concepts* so that ranking can match them, and splits metric names
(`snake_case`, `camelCase`, `_total`/`_seconds` suffixes) and intents into comparable stems.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Concept -> words (already lower case; stemmed at import). A word may belong to several concepts.
CONCEPTS: dict[str, tuple[str, ...]] = {
    # Filesystems count their file entries as inodes; exporters name them "files".
    "inode": ("inode", "inodes", "files"),
    "latency": (
        "latency",
        "duration",
        "slow",
        "slowness",
        "took",
        "time",
        "elapsed",
        "rtt",
        "roundtrip",
        "delay",
        "wait",
        "waiting",
        "seconds",
        "lag",
    ),
    "error": (
        "error",
        "errors",
        "err",
        "errs",
        "failure",
        "failures",
        "failed",
        "fail",
        "failing",
        "fails",
        "5xx",
        "4xx",
        "exception",
        "exceptions",
        "fault",
        "faults",
        "rejected",
        "reject",
        "rejection",
        "unsuccessful",
        "invalid",
        "broken",
        "panic",
        "panics",
        "timeout",
        "timeouts",
        "abort",
        "aborted",
        "denied",
        "refused",
        "dropped",
        "drop",
        "drops",
        "discarded",
        "crash",
        "crashed",
        "bad",
    ),
    "success": ("success", "successful", "succeeded", "ok", "healthy", "last_success"),
    "memory": ("memory", "mem", "ram", "oom", "heap", "rss", "swap", "resident"),
    "disk": (
        "disk",
        "disks",
        "filesystem",
        "filesystems",
        "fs",
        "storage",
        "volume",
        "volumes",
        "partition",
        "mountpoint",
        "drive",
        "device",
        "space",
    ),
    "cpu": (
        "cpu",
        "cpus",
        "load",
        "processor",
        "core",
        "cores",
        "steal",
        "iowait",
        "throttl",
        "throttled",
        "throttling",
    ),
    "usage": (
        "usage",
        "used",
        "utilization",
        "utilisation",
        "util",
        "saturation",
        "saturated",
        "full",
        "consumption",
        "consumed",
        "use",
        "occupancy",
        "inuse",
        "busy",
    ),
    "limit": (
        "limit",
        "limits",
        "max",
        "maximum",
        "capacity",
        "total",
        "size",
        "quota",
        "allocated",
        "allowed",
        "configured",
    ),
    "free": ("free", "available", "avail", "left", "remaining", "unused", "headroom", "spare"),
    "restart": (
        "restart",
        "restarts",
        "restarted",
        "restarting",
        "crashloop",
        "crashlooping",
        "reboot",
        "rebooted",
        "flapping",
        "flap",
        "started",
        "boot",
        "uptime",
    ),
    "down": (
        "down",
        "unreachable",
        "unavailable",
        "missing",
        "absent",
        "disappeared",
        "dead",
        "offline",
        "unhealthy",
        "gone",
        "lost",
        "notready",
        "unresponsive",
    ),
    "certificate": (
        "certificate",
        "certificates",
        "cert",
        "certs",
        "tls",
        "ssl",
        "x509",
        "expiry",
        "expire",
        "expires",
        "expiring",
        "expiration",
        "expired",
        "notafter",
    ),
    "queue": (
        "queue",
        "queued",
        "queues",
        "backlog",
        "lag",
        "pending",
        "waiting",
        "behind",
        "buffer",
        "buffered",
        "inflight",
        "outstanding",
        "enqueued",
        "depth",
        "stuck",
    ),
    "connection": (
        "connection",
        "connections",
        "conn",
        "conns",
        "client",
        "clients",
        "session",
        "sessions",
        "socket",
        "sockets",
        "threads_connected",
        "connected",
        "accept",
    ),
    "replication": (
        "replication",
        "replica",
        "replicas",
        "replicated",
        "slave",
        "follower",
        "primary",
        "secondary",
        "sync",
        "synced",
        "syncing",
        "mirror",
        "standby",
    ),
    "traffic": (
        "traffic",
        "request",
        "requests",
        "req",
        "reqs",
        "rq",
        "throughput",
        "qps",
        "rps",
        "calls",
        "call",
        "hits",
        "queries",
        "query",
        # MySQL's name for the statements clients send: what its QPS counts.
        "questions",
        "ops",
        "operations",
        "transactions",
        "messages",
        "msg",
        "msgs",
    ),
    "temperature": (
        "temperature",
        "temp",
        "celsius",
        "hot",
        "overheat",
        "overheating",
        "thermal",
        "degrees",
    ),
    "network": (
        "network",
        "net",
        "communication",
        "interface",
        "nic",
        "bandwidth",
        "receive",
        "transmit",
        "rx",
        "tx",
        "packets",
        "packet",
        "bytes_received",
        "bytes_sent",
    ),
    "file_descriptor": (
        "fd",
        "fds",
        "descriptor",
        "descriptors",
        "open_files",
        "file",
        "files",
        "handles",
    ),
    "gc": ("gc", "garbage", "collection", "collector", "pause"),
    # The other members of a cluster are its peers.
    "peer": ("peer", "peers", "member", "members"),
    "leader": ("leader", "leaderless", "election", "elections", "quorum", "raft", "master"),
    "time": ("clock", "ntp", "skew", "drift", "offset", "timex", "sync"),
    "stale": (
        "stale",
        "staleness",
        "last",
        "since",
        "timestamp",
        "age",
        "old",
        "outdated",
        "updated",
        "freshness",
    ),
    "config": ("config", "configuration", "reload", "settings"),
    # "a database larger than 100 GB": how big a thing is, its size.
    "size": ("size", "sizes", "larger", "bigger", "smaller"),
    "battery": ("battery", "charge", "ups", "power"),
    "job": ("job", "jobs", "task", "tasks", "cron", "cronjob", "batch"),
    "pod": ("pod", "pods", "container", "containers"),
    "node": ("node", "nodes", "host", "hosts", "machine", "server", "instance", "vm"),
    "shard": (
        "shard",
        "shards",
        "partition",
        "partitions",
        "chunk",
        "chunks",
        "segment",
        "segments",
    ),
    # Usage, what is left and the limit are three views of one saturation question.
    "saturation": (
        "usage",
        "used",
        "utilization",
        "utilisation",
        "full",
        "free",
        "available",
        "avail",
        "left",
        "remaining",
        "capacity",
        "limit",
        "max",
        "size",
        "exhausted",
        "exhaustion",
        "filling",
        "fill",
    ),
    "availability": (
        "up",
        "down",
        "unreachable",
        "alive",
        "live",
        "dead",
        "offline",
        "online",
        "responding",
        "unresponsive",
        "reachable",
    ),
    "icmp": ("ping", "icmp", "echo"),
    # A website or URL is watched from outside by probing it (blackbox probes).
    "probe": ("probe", "probes", "probed", "website", "websites", "site", "sites", "url", "urls"),
    # Galera cluster replication: MySQL and MariaDB name its status variables `wsrep_*`.
    "galera": ("galera", "wsrep"),
    "backup": (
        "backup",
        "backups",
        "backed",
        "snapshot",
        "snapshots",
        "save",
        "saved",
        "dump",
        "rdb",
        "bgsave",
    ),
    "cache": ("cache", "hit", "miss", "misses", "evicted", "eviction", "evictions"),
    # Exporters say `os` for what intents call the system: "System CPU" is `os_cpu`, not the
    # process's.
    "os": ("os", "system", "operating"),
    # Databases name an index by its kind: a B-tree is the usual index (`pg_bloat_btree_*`).
    "index": ("index", "indexes", "btree"),
    # Blocks are shipped to object storage by uploading them (a "shipper" uploads).
    "upload": ("upload", "uploads", "uploaded", "ship", "shipped", "shipper", "shipping"),
}

# Abbreviations found in metric names and intents, expanded before stemming.
ABBREVIATIONS: dict[str, str] = {
    "mem": "memory",
    "conn": "connection",
    "conns": "connection",
    "fs": "filesystem",
    # The operating system, as against one process: "system CPU" is `os_cpu_percent`.
    "os": "system",
    "req": "request",
    "reqs": "request",
    "rq": "request",
    "db": "database",
    "repl": "replication",
    "num": "number",
    "err": "error",
    "errs": "error",
    "avail": "available",
    "util": "utilization",
    "temp": "temperature",
    "cert": "certificate",
    "certs": "certificate",
    "msg": "message",
    "msgs": "message",
    # Brokers count messages "unacked": delivered but not yet acknowledged.
    "unacked": "unacknowledged",
    "acked": "acknowledged",
    "pct": "percent",
    "cnt": "count",
    "proc": "process",
    "procs": "process",
    "resp": "response",
    "txn": "transaction",
    "txns": "transaction",
    "tx": "transmit",
    "rx": "receive",
    "fd": "descriptor",
    "fds": "descriptor",
    "max": "maximum",
    "min": "minimum",
    "ms": "millisecond",
    "secs": "second",
    "sec": "second",
    "info": "info",
    "stmt": "statement",
    "conf": "config",
    "cfg": "config",
    "ts": "timestamp",
    "gb": "gigabyte",
    "ratelimit": "ratelimit",
    "sd": "discovery",
    "app": "application",
    "apps": "application",
    "alloc": "allocation",
    "allocs": "allocation",
    "mon": "monitor",
    "mons": "monitor",
    "zk": "zookeeper",
    "kube": "kubernetes",
    "k8s": "kubernetes",
    "synchronised": "sync",
    "synchronized": "sync",
    "synchronisation": "sync",
    "synchronization": "sync",
    # A reboot shows as a new boot time (`node_boot_time_seconds`).
    "reboot": "boot",
    "reboots": "boot",
    "rebooted": "boot",
    "pg": "postgres",
    "postgresql": "postgres",
    # A Kubernetes PVC claims a volume; exporters name the volume.
    "pvc": "volume",
    "pvcs": "volume",
    # `uname` reports the kernel: its name, release and version.
    "uname": "kernel",
}

# Words that carry no meaning for retrieval (English glue + generic alerting phrasing).
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "on",
        "in",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "there",
        "their",
        "than",
        "then",
        "as",
        "if",
        "when",
        "while",
        "more",
        "less",
        "over",
        "under",
        "above",
        "below",
        "into",
        "out",
        "about",
        "any",
        "all",
        "some",
        "no",
        "not",
        "none",
        "our",
        "my",
        "me",
        "we",
        "you",
        "your",
        "they",
        "them",
        "he",
        "she",
        "his",
        "her",
        "which",
        "who",
        "whom",
        "what",
        "very",
        "too",
        "much",
        "many",
        "most",
        "least",
        "per",
        "each",
        "every",
        "other",
        "only",
        "also",
        "can",
        "could",
        "should",
        "would",
        "will",
        "may",
        "might",
        "must",
        "do",
        "does",
        "did",
        "doing",
        "done",
        "so",
        "such",
        "just",
        "still",
        "yet",
        "alert",
        "alerts",
        "alerting",
        "notify",
        "page",
        "warn",
        "warning",
        "critical",
        "info",
        "fyi",
        "please",
        "let",
        "know",
        "tell",
        "someone",
        "wake",
        "ticket",
        "detected",
        "detect",
        "happens",
        "happening",
        "occurred",
        "occurs",
        "seems",
        "possible",
        "likely",
        "probably",
        "value",
        "values",
        "current",
        "currently",
        "high",
        "low",
        "higher",
        "lower",
        "increase",
        "increasing",
        "decreased",
        "decrease",
        "rate",
        "ratio",
        "number",
        "count",
        "amount",
        "level",
        "levels",
        "one",
        "two",
        "three",
        "check",
        "instance",
        "within",
        "last",
        "past",
        "since",
        "after",
        "before",
        "during",
        "recent",
        "recently",
        "reached",
        "reaching",
        "being",
        "become",
        "becoming",
        "getting",
        "get",
        "got",
        "keep",
        "keeps",
        "kept",
        "going",
    ]
)

_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*|\d+[a-zA-Z]*")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stemmer: enough to equate failures/failure/failed, not a linguist's tool."""
    w = word.lower()
    if len(w) <= 3 or w[0].isdigit():
        return w
    for suffix, repl in (
        ("ies", "y"),
        ("sses", "ss"),
        ("ing", ""),
        ("ed", ""),
        ("es", "e"),
        ("s", ""),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith(("ss", "us", "is")) and not w.endswith("pus"):
                continue  # "status", "bus", "redis"; but "cpus", "vcpus"
            w = w[: -len(suffix)] + repl
            break
    # Nouns and verbs: "connection"/"connected", "compression"/"compressed".
    if len(w) > 8 and w.endswith(("ction", "ssion")):
        w = w[:-3]
    # "corruption"/"corrupted", "interruption"/"interrupted" (not "exception": "except").
    if len(w) > 9 and w.endswith("ption"):
        w = w[:-3]
    # Nouns of verbs: "allocation"/"allocated", "utilization"/"utilized", "rotation"/"rotated".
    if len(w) > 8 and w.endswith("ization"):
        w = w[:-5]
    elif len(w) > 7 and w.endswith("ation"):
        w = w[:-3]
    # "discovery"/"discovered", "recovery"/"recovered" (long words only: "query" stays).
    if len(w) > 6 and w.endswith("ery"):
        w = w[:-1]
    # Doubled final consonant after -ing/-ed ("dropped" -> "dropp" -> "drop").
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    return _IRREGULAR.get(w, w)


# Word families the suffix rules miss ("failure"/"failed", "successful"/"success").
_IRREGULAR = {"failur": "fail", "successful": "success", "succeed": "success",
              "succes": "success", "unsuccessful": "unsuccess", "reconciliat": "reconcil",
              "readines": "ready", "readiness": "ready", "configurat": "config",
              "configur": "config",
              # Old and new names of the same role (Redis, MySQL): `connected_slaves` counts
              # replicas, `master_link_up` is the link to the primary.
              "slav": "replica", "master": "primary",
              # What is left is what remains (`battery_time_left` for "time remaining").
              "remain": "left", "remains": "left",
              # Irregular past forms: "failing to send" is about what was `sent`.
              "sent": "send"}


def split_identifier(name: str) -> list[str]:
    """`nodeFilesystem_avail_bytes` -> ['node', 'filesystem', 'avail', 'bytes']."""
    words: list[str] = []
    for part in re.split(r"[^A-Za-z0-9]+", name):
        if part:
            for w in _CAMEL_RE.split(_IEC_UNIT_RE.sub(_lower_unit, part)):
                if w:
                    words.extend(_word_and_number(w.lower()))
    return words


def _word_and_number(word: str) -> list[str]:
    """`load15` -> load, 15: a known word with a number run on (the 15-minute load). Other
    words keep their digits (`ipv4`, `x509`, `sha256`)."""
    match = re.fullmatch(r"([a-z]{4,})(\d+)", word)
    if match is None or not concepts_of_stem(stem(match.group(1))):
        return [word]
    return [match.group(1), match.group(2)]


# Binary units are written in mixed case (`ram_MiB`): one word, not "Mi" and "B".
_IEC_UNIT_RE = re.compile(r"(?<![A-Za-z])[KMGTP]iB(?![a-z])")


def _lower_unit(match: re.Match[str]) -> str:
    return match.group(0).lower()


def words(text: str) -> list[str]:
    """Lower-case words of free text, with identifiers split and abbreviations expanded."""
    out: list[str] = []
    for token in _WORD_RE.findall(text):
        for word in (
            split_identifier(token)
            if ("_" in token or _CAMEL_RE.search(token))
            else _word_and_number(token.lower())
        ):
            out.append(ABBREVIATIONS.get(word, word))
    return out


def stems(text: str, *, keep_stopwords: bool = False) -> list[str]:
    return [stem(w) for w in words(text) if keep_stopwords or w not in STOPWORDS]


def _build_concept_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for concept, members in CONCEPTS.items():
        for member in members:
            for piece in member.split("_"):
                index.setdefault(stem(ABBREVIATIONS.get(piece, piece)), set()).add(concept)
    return {k: frozenset(v) for k, v in index.items()}


_CONCEPT_INDEX = _build_concept_index()


def concepts_of_stem(word_stem: str) -> frozenset[str]:
    return _CONCEPT_INDEX.get(word_stem, frozenset())


def concepts(stem_list: list[str]) -> set[str]:
    found: set[str] = set()
    for s in stem_list:
        found |= concepts_of_stem(s)
    return found


# Metric-name suffixes that say what a series measures (Prometheus naming conventions).
UNIT_SUFFIXES: dict[str, str] = {
    "seconds": "seconds",
    "second": "seconds",
    "milliseconds": "milliseconds",
    "ms": "milliseconds",
    "bytes": "bytes",
    "ratio": "ratio",
    "percent": "percent",
    "percentage": "percent",
    "celsius": "celsius",
    "timestamp": "timestamp",
    "volts": "volts",
    "watts": "watts",
    "hertz": "hertz",
    "joules": "joules",
    "meters": "meters",
    "kb": "kilobytes",
    "mb": "megabytes",
    "gb": "gigabytes",
    "mib": "mebibytes",
}


def unit_of_name(name: str, declared: str = "") -> str:
    """The base unit a metric is in, from its declared unit or its name's suffixes."""
    if declared:
        return UNIT_SUFFIXES.get(declared.lower(), declared.lower())
    parts = split_identifier(name)
    # `days_until_cert_expiring`, `uptime_hours`: a time unit anywhere in the name.
    for word, unit in (("days", "days"), ("hours", "hours"), ("minutes", "minutes")):
        if word in parts:
            return unit
    # `cpu_time_total`: a counter of time is one of seconds.
    if len(parts) > 2 and parts[-1] == "total" and parts[-2] == "time":
        return "seconds"
    while parts and parts[-1] in ("total", "count", "sum", "bucket", "created", "average", "avg"):
        parts = parts[:-1]
    if "timestamp" in parts:
        return "timestamp"
    if parts and parts[-1] in UNIT_SUFFIXES:
        return UNIT_SUFFIXES[parts[-1]]
    return ""


# --- opposites and compounds ------------------------------------------------------------------------
# Health gauges are named for the good state (`probe_success`, `redis_up`, `node_ready`) while
# intents name the bad one ("probe failed", "Redis down", "node not ready"). Pairs of stems whose
# meanings are opposite; `opposite_stems` also undoes negating prefixes (un-, dis-, in-, non-).
_OPPOSITES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("success", ("fail", "failed", "failure", "failing", "error", "errors", "unsuccessful",
                 "down", "unreachable")),
    ("successful", ("fail", "failed", "failure", "failing", "error", "unsuccessful")),
    ("up", ("down", "dead", "offline", "unreachable", "unavailable", "missing")),
    ("alive", ("dead", "down", "crashed")),
    ("live", ("dead", "down")),
    ("running", ("stopped", "stop", "crashed", "halted", "dead", "down")),
    ("online", ("offline", "down")),
    ("healthy", ("unhealthy", "sick", "failing", "degraded")),
    ("health", ("unhealthy", "sick", "degraded")),
    ("ready", ("notready", "unready")),
    ("connected", ("disconnected", "disconnect")),
    # "unused replication slots" of `slot_active`: what nobody uses is not active.
    ("active", ("inactive", "passive", "unused")),
    ("available", ("unavailable",)),
    ("reachable", ("unreachable",)),
    ("synced", ("unsynced", "desynced", "outofsync")),
    ("stable", ("unstable", "flapping")),
    ("enabled", ("disabled",)),
    ("valid", ("invalid", "expired")),
    ("hit", ("miss", "misses", "missed")),
)
_NEGATING_PREFIXES = ("non", "un")
# "in-" and "dis-" negate only some words ("inactive", "disconnected"); "interface", "inodes",
# "discovery" or "display" are not negations.
_PREFIX_NEGATED = {
    "in": frozenset(stem(w) for w in ("active", "valid", "complete", "consistent", "correct",
                                      "sufficient", "accessible", "operable")),
    "dis": frozenset(stem(w) for w in ("connected", "connect", "abled", "enabled", "joined",
                                       "allowed", "appeared", "continued")),
}


def _build_opposites() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for good, bads in _OPPOSITES:
        for bad in bads:
            index.setdefault(stem(good), set()).add(stem(bad))
            index.setdefault(stem(bad), set()).add(stem(good))
    return {k: frozenset(v) for k, v in index.items()}


_OPPOSITE_INDEX = _build_opposites()


def negated_base(word_stem: str) -> str | None:
    """The word a negating prefix turns around ("unsealed" -> "seal"), or None."""
    for prefix in _NEGATING_PREFIXES:
        rest = word_stem[len(prefix):]
        if word_stem.startswith(prefix) and len(rest) >= 4:
            return rest
    for prefix, allowed in _PREFIX_NEGATED.items():
        if word_stem.startswith(prefix) and word_stem[len(prefix):] in allowed:
            return word_stem[len(prefix):]
    return None


def opposite_stems(word_stem: str) -> frozenset[str]:
    """Stems meaning the opposite of `word_stem` ("unhealthy" -> {"healthy", ...})."""
    found = set(_OPPOSITE_INDEX.get(word_stem, frozenset()))
    for prefix in _NEGATING_PREFIXES:
        rest = word_stem[len(prefix):]
        if word_stem.startswith(prefix) and len(rest) >= 4:
            found.add(rest)
    for prefix, allowed in _PREFIX_NEGATED.items():
        if word_stem.startswith(prefix) and word_stem[len(prefix):] in allowed:
            found.add(word_stem[len(prefix):])
    return frozenset(found)


# Short words allowed as pieces of a compound ("nodecpuutilization" -> node cpu utilization).
_SHORT_PIECES = frozenset({"cpu", "gc", "io", "os", "vm", "db", "fd", "fs", "tx", "rx", "ip", "up",
                           "ha", "ok", "max", "min", "avg", "sum", "num", "per", "raw", "net",
                           "kb", "mb", "gb"})


def segment(word: str, known: frozenset[str] | set[str], *, max_pieces: int = 5) -> list[str] | None:
    """Split a run-together word into known words, fewest pieces first; None if impossible.

    Exporters write `volumefailurestotal`, `coresFree`, `missingblocks`; comparing them with an
    intent needs the pieces. `known` holds lower-case words (the intent's and the catalog's).
    """
    text = word.lower()
    n = len(text)
    if n < 6:
        return None
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for end in range(1, n + 1):
        for start in range(max(0, end - 24), end):
            prior = best[start]
            piece = text[start:end]
            if prior is None or len(prior) >= max_pieces or end - start == n:
                continue
            # Short pieces are too easy to find by chance: only well-known ones count, and those
            # that are not known words here only when they abbreviate one (`filefd`).
            if piece in known and (len(piece) >= 3 or piece in _SHORT_PIECES) or (
                    piece in _SHORT_PIECES and piece in ABBREVIATIONS):
                option = [*prior, piece]
                current = best[end]
                if current is None or len(option) < len(current):
                    best[end] = option
    result = best[n]
    return result if result is not None and len(result) > 1 else None
