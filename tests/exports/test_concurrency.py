"""Two exports of one target at the same moment are serialized by the target's row lock.

Real concurrent transactions need PostgreSQL (the PostgreSQL leg of scripts/test.sh); SQLite
serialises all writers and cannot show the wait.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections

from monitorgen.core.errors import MonitorgenError
from monitorgen.exports import services as export_services
from monitorgen.exports.models import ExportRun, RunStatus
from monitorgen.exports.services import export_run
from tests.exports.conftest import alert, approved
from tests.git_repos import commit_count, git

pytestmark = [pytest.mark.postgres, pytest.mark.promtool, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _require_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proved on PostgreSQL (set DATABASE_URL; scripts/test.sh does)")


def _in_thread(results: dict[str, object], name: str, action) -> threading.Thread:
    def run() -> None:
        try:
            results[name] = action()
        except MonitorgenError as exc:
            results[name] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread


def _waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE %s",
            ["%exports_exporttarget%FOR NO KEY UPDATE%"],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def test_a_second_export_waits_for_the_first_and_then_finds_nothing_to_do(
    monkeypatch, target, remote, team, alice, bob
):
    approved(team, alice, bob, alert("CheckoutErrors"))
    inside, release = threading.Event(), threading.Event()

    def hold_the_first(_target, attempt: int) -> None:
        if threading.current_thread().name == "first":
            inside.set()
            assert release.wait(timeout=30)

    monkeypatch.setattr(export_services, "BEFORE_PUSH", hold_the_first)
    results: dict[str, object] = {}
    first = _in_thread(results, "first", lambda: export_run(target=target, actor=bob))
    assert inside.wait(timeout=30)
    second = _in_thread(results, "second", lambda: export_run(target=target, actor=bob))
    deadline = time.monotonic() + 15
    while _waiting_on_a_lock() == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    waited = _waiting_on_a_lock()
    # The second run is on record, and blocked on the target's row while the first one pushes.
    assert waited == 1
    assert ExportRun.objects.filter(status=RunStatus.RUNNING).count() == 2
    release.set()
    first.join(timeout=60)
    second.join(timeout=60)

    one, two = results["first"], results["second"]
    assert isinstance(one, ExportRun) and isinstance(two, ExportRun), results
    assert one.status == RunStatus.COMMITTED
    assert two.status == RunStatus.UNCHANGED and two.base_commit == one.commit
    assert commit_count(remote) == 1


def test_exports_released_together_make_exactly_one_commit_per_change(
    target, remote, team, alice, bob
):
    for round_number in range(3):
        approved(team, alice, bob, alert("CheckoutErrors", threshold=f"0.{round_number + 1}"))
        barrier = threading.Barrier(3)
        results: dict[str, object] = {}

        def racer(barrier=barrier):
            barrier.wait(timeout=10)
            return export_run(target=target, actor=bob)

        threads = [_in_thread(results, f"r{i}", racer) for i in range(3)]
        for thread in threads:
            thread.join(timeout=120)
        statuses = sorted(r.status for r in results.values() if isinstance(r, ExportRun))
        assert statuses == [RunStatus.COMMITTED, RunStatus.UNCHANGED, RunStatus.UNCHANGED], results
        assert commit_count(remote) == round_number + 1
    # Linear history, one parent each: nothing was interleaved or merged.
    parents = git("rev-list", "--parents", "main", cwd=remote).splitlines()
    assert [len(line.split()) for line in parents] == [2, 2, 1]
