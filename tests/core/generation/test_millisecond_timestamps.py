"""A Unix time kept in milliseconds is divided by 1000 before it is compared with `time()`, which
is in seconds: otherwise it looks far in the future and the rule never fires. Catalogs and
intents are invented."""

from __future__ import annotations

from monitorgen.core.catalog import Catalog
from tests.core.generation.proposing import answered_rule, propose


def _sync(name: str, help_text: str) -> Catalog:
    return Catalog.model_validate({"name": "sync", "metrics": [
        {"name": name, "type": "gauge", "help": help_text},
        {"name": "sync_runs_total", "type": "counter", "help": "Sync runs."},
    ]})


def test_a_timestamp_named_in_milliseconds_is_turned_into_seconds() -> None:
    catalog = _sync("sync_last_success_timestamp_ms", "Unix time of the last successful sync.")
    rule = answered_rule(propose(catalog, "Sync stale: the last successful sync is older than "
                                          "1 hour"))
    assert rule.expr == "time() - sync_last_success_timestamp_ms / 1000 > 3600"


def test_a_timestamp_whose_help_says_milliseconds_is_turned_into_seconds() -> None:
    catalog = _sync("sync_last_success_time",
                    "Time of the last successful sync, in milliseconds since epoch.")
    rule = answered_rule(propose(catalog, "Sync stale: the last successful sync is older than "
                                          "1 hour"))
    assert rule.expr == "time() - sync_last_success_time / 1000 > 3600"


def test_a_timestamp_in_seconds_is_compared_as_it_is() -> None:
    catalog = _sync("sync_last_success_timestamp_seconds", "Unix time of the last sync.")
    rule = answered_rule(propose(catalog, "Sync stale: the last successful sync is older than "
                                          "1 hour"))
    assert rule.expr == "time() - sync_last_success_timestamp_seconds > 3600"


def test_an_expiry_in_milliseconds_is_turned_into_seconds() -> None:
    catalog = Catalog.model_validate({"name": "tls", "metrics": [
        {"name": "tls_cert_not_after_ms", "type": "gauge",
         "help": "Expiry of the certificate, Unix time in milliseconds."},
    ]})
    rule = answered_rule(propose(catalog, "TLS certificate expiring: the certificate expires in "
                                          "less than 7 days"))
    assert rule.expr.startswith("tls_cert_not_after_ms / 1000 - time() < ")
