"""Evidence that settles a close call between near rivals: an alarm the title says is raised,
over the measure it watches; the free inodes over the bytes available, which only lack the word
for inodes; a lesser rival that says part of the title and a subject nobody said. Catalogs and
intents are invented."""

from __future__ import annotations

from monitorgen.core.generation.result import Status
from tests.core.generation.proposing import answered_rule, exporter_catalog, propose

BROKER = exporter_catalog("broker", [
    ("broker_alarms_free_disk_space_watermark gauge node", ""),
    ("broker_alarms_memory_used_watermark gauge node", ""),
    ("broker_disk_space_available_bytes gauge node", ""),
    ("broker_disk_space_available_limit_bytes gauge node", ""),
    ("broker_connections gauge node", ""),
])


def test_it_reads_the_raised_alarm_not_the_disk_space_it_watches() -> None:
    rule = answered_rule(propose(
        BROKER, "Broker disk space alarm active: the disk space alarm is raised on node "
                "<instance> (free disk space below its limit); publishers are blocked."))
    assert "broker_alarms_free_disk_space_watermark" in rule.expr
    assert "> 0" in rule.expr


def test_it_still_asks_of_an_alarm_the_catalog_has_no_flag_for() -> None:
    # Without an alarm flag, "alarm" decides nothing between the space and its limit.
    catalog = exporter_catalog("broker", [
        ("broker_disk_space_available_bytes gauge node", ""),
        ("broker_disk_space_available_limit_bytes gauge node", ""),
    ])
    result = propose(catalog, "Broker disk space alarm active: the disk space alarm is raised.")
    assert result.status is not Status.OK or "limit" not in result.rules[0].expr


VOLUMES = exporter_catalog("volumes", [
    ("vol_filesystem_files_free gauge device,mountpoint", "Free file nodes of the filesystem."),
    ("vol_filesystem_files gauge device,mountpoint", "Total file nodes of the filesystem."),
    ("vol_filesystem_avail_bytes gauge device,mountpoint", "Space available in bytes."),
    ("vol_filesystem_free_bytes gauge device,mountpoint", "Free space in bytes."),
    ("vol_filesystem_size_bytes gauge device,mountpoint", "Filesystem size in bytes."),
])


def test_it_forecasts_the_free_inodes_not_the_bytes_available() -> None:
    # `avail_bytes` is `files_free` without the word for inodes, `avail` meaning `free`: the
    # less exact reading of "inodes", and no rival forecast.
    rule = answered_rule(propose(
        VOLUMES, "Volume inodes may fill in 12 hours: the filesystem will run out of inodes "
                 "within the next 12 hours"))
    assert "predict_linear(vol_filesystem_files_free" in rule.expr


BLOCKSTORE = exporter_catalog("blockstore", [
    ("blockstore_compactor_runs_failed_total counter instance,reason", ""),
    ("blockstore_compactor_blocks_marked_for_no_compaction_total counter instance", ""),
    ("blockstore_compactor_runs_started_total counter instance", ""),
    ("blockstore_ruler_queries_failed_total counter instance", ""),
    ("blockstore_compactor_garbage_collected_blocks_total counter instance", ""),
])


def test_it_counts_failed_runs_over_a_lesser_rival_that_says_only_the_compactor() -> None:
    # `blocks_marked_for_no_compaction` says "compactor" and nothing else of the title, and
    # adds blocks and marks nobody mentioned: a part of the title, about something else.
    rule = answered_rule(propose(
        BLOCKSTORE, "Blockstore compactor has repeated failures: compactor <instance> had "
                    "<value> compaction failures in the last 2 hours"))
    assert "blockstore_compactor_runs_failed_total" in rule.expr


def test_it_still_asks_when_the_lesser_rival_spells_a_title_word_the_best_does_not() -> None:
    result = propose(BLOCKSTORE, "Blockstore compactor blocks failing: compactor <instance> "
                                 "had <value> failures in the last 2 hours")
    assert result.status is not Status.OK


MESHDB = exporter_catalog("meshdb", [
    ("meshdb_network_peer_round_trip_time_seconds histogram instance",
     "Round trip time between peers."),
    ("meshdb_http_successful_duration_seconds histogram instance,method", ""),
    ("meshdb_disk_wal_fsync_duration_seconds histogram instance", "Latency of WAL fsync calls."),
    ("meshdb_http_received_total counter instance,method", ""),
    ("meshdb_network_peer_sent_failures_total counter instance", "Send failures to peers."),
])


def test_it_reads_the_peer_round_trip_when_other_durations_say_only_slow() -> None:
    # The round trip between peers says "member communication" by its words' concepts; the
    # HTTP and fsync durations say only "slow", and what nobody mentioned.
    rule = answered_rule(propose(
        MESHDB, "Meshdb member communication slow: member communication is slowing down, "
                "99th percentile above 0.2s"))
    assert "meshdb_network_peer_round_trip_time_seconds_bucket" in rule.expr


FLEET = exporter_catalog("fleet", [
    ("fleet_uname_info gauge instance,machine,release,sysname,version",
     "Labeled system information as provided by the uname system call."),
    ("fleet_os_version gauge instance", "Major and minor part of the OS version."),
    ("fleet_memory_kernel_stack_bytes gauge instance", "Memory used by kernel stacks."),
    ("fleet_network_carrier_changes_total counter instance,device", "Carrier changes."),
    ("fleet_boot_time_seconds gauge instance", "Boot time."),
])


def test_it_watches_the_kernel_info_whose_label_holds_the_version_not_the_os_version() -> None:
    # `uname_info` is the kernel's, split by `version`: it says all the title does, while
    # `os_version` says the version of something nobody mentioned.
    rule = answered_rule(propose(
        FLEET, "Fleet kernel version deviations: the kernel version for <instance> has changed."))
    assert rule.expr.startswith("changes(fleet_uname_info[")
