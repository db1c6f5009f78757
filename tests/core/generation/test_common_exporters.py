"""Intents as SREs type them, against invented catalogs shaped like common exporters: node,
kube-state-metrics with cAdvisor, PostgreSQL and Redis, an HTTP service with a latency
histogram and a request counter by code and route, blackbox probes and certificates.

Each answer is checked for what a reviewer would check: the metric families, the labels kept or
pinned, units converted, `for` and severity from the words, and a question where the intent is
really ambiguous.
"""

from __future__ import annotations

import pytest

from monitorgen.core.catalog import Catalog
from monitorgen.core.generation.readings import status_code_said
from monitorgen.core.generation.result import Status
from tests.core.generation.proposing import (
    answered_rule,
    exporter_catalog,
    families,
    flat,
    plan_for,
    propose,
)

WEB = exporter_catalog("shop-web", [
    ('http_request_duration_seconds histogram code,method,route,service',
     'Time spent serving HTTP requests.',
     {'service': ['checkout', 'payments', 'search'], 'route': ['/api/cart', '/api/orders', '/healthz']}),
    ('http_requests_total counter code,method,route,service',
     'HTTP requests served, by status code.',
     {'service': ['checkout', 'payments', 'search'], 'route': ['/api/cart', '/api/orders', '/healthz']}),
    ('http_requests_in_flight gauge service', 'Requests currently being served.'),
    ('process_cpu_seconds_total counter', 'Total user and system CPU time spent in seconds.'),
    ('process_resident_memory_bytes gauge', 'Resident memory size in bytes.'),
    ('process_open_fds gauge', 'Number of open file descriptors.'),
    ('process_max_fds gauge', 'Maximum number of open file descriptors.'),
])

KUBE = exporter_catalog("cluster", [
    ('kube_pod_container_status_restarts_total counter container,namespace,pod',
     'The number of container restarts per container.'),
    ('kube_pod_container_status_waiting_reason gauge container,namespace,pod,reason',
     'Describes the reason the container is currently in waiting state.',
     {'reason': ['ContainerCreating', 'CrashLoopBackOff', 'ErrImagePull', 'ImagePullBackOff']}),
    ('kube_pod_status_phase gauge namespace,phase,pod',
     'The pods current phase.',
     {'phase': ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown']}),
    ('kube_deployment_status_replicas_unavailable gauge deployment,namespace',
     'The number of unavailable replicas per deployment.'),
    ('kube_deployment_status_replicas_available gauge deployment,namespace',
     'The number of available replicas per deployment.'),
    ('kube_deployment_spec_replicas gauge deployment,namespace',
     'Number of desired pods for a deployment.'),
    ('kube_node_status_condition gauge condition,node,status',
     'The condition of a cluster node.',
     {'condition': ['DiskPressure', 'MemoryPressure', 'PIDPressure', 'Ready'],
      'status': ['false', 'true', 'unknown']}),
    ('kube_job_status_failed gauge job_name,namespace',
     'The number of pods which reached Phase Failed.'),
    ('kubelet_volume_stats_available_bytes gauge namespace,persistentvolumeclaim',
     'Number of available bytes in the volume.'),
    ('kubelet_volume_stats_capacity_bytes gauge namespace,persistentvolumeclaim',
     'Capacity in bytes of the volume.'),
    ('container_cpu_usage_seconds_total counter container,cpu,namespace,pod',
     'Cumulative cpu time consumed in seconds.'),
    ('container_memory_working_set_bytes gauge container,namespace,pod',
     'Current working set in bytes.'),
    ('container_spec_memory_limit_bytes gauge container,namespace,pod',
     'Memory limit for the container.'),
    ('container_cpu_cfs_throttled_periods_total counter container,namespace,pod',
     'Number of throttled period intervals.'),
    ('container_cpu_cfs_periods_total counter container,namespace,pod',
     'Number of elapsed enforcement period intervals.'),
    ('container_oom_events_total counter container,namespace,pod',
     'Count of out of memory events observed for the container.'),
])

HOSTS = exporter_catalog("hosts", [
    ('node_filesystem_avail_bytes gauge device,fstype,mountpoint',
     'Filesystem space available to non-root users in bytes.',
     {'mountpoint': ['/', '/boot', '/var']}),
    ('node_filesystem_size_bytes gauge device,fstype,mountpoint',
     'Filesystem size in bytes.',
     {'mountpoint': ['/', '/boot', '/var']}),
    ('node_filesystem_free_bytes gauge device,fstype,mountpoint',
     'Filesystem free space in bytes.',
     {'mountpoint': ['/', '/boot', '/var']}),
    ('node_filesystem_files_free gauge device,fstype,mountpoint',
     'Filesystem total free file nodes.'),
    ('node_filesystem_files gauge device,fstype,mountpoint', 'Filesystem total file nodes.'),
    ('node_cpu_seconds_total counter cpu,mode', 'Seconds the CPUs spent in each mode.'),
    ('node_memory_MemAvailable_bytes gauge', 'Memory information field MemAvailable_bytes.'),
    ('node_memory_MemTotal_bytes gauge', 'Memory information field MemTotal_bytes.'),
    ('node_memory_MemFree_bytes gauge', 'Memory information field MemFree_bytes.'),
    ('node_memory_SwapFree_bytes gauge', 'Memory information field SwapFree_bytes.'),
    ('node_memory_SwapTotal_bytes gauge', 'Memory information field SwapTotal_bytes.'),
    ('node_load1 gauge', '1m load average.'),
    ('node_load5 gauge', '5m load average.'),
    ('node_load15 gauge', '15m load average.'),
    ('node_disk_io_time_seconds_total counter device', 'Total seconds spent doing I/Os.'),
    ('node_disk_read_bytes_total counter device', 'The total number of bytes read successfully.'),
    ('node_disk_written_bytes_total counter device',
     'The total number of bytes written successfully.'),
    ('node_network_receive_errs_total counter device', 'Network device statistic receive_errs.'),
    ('node_network_transmit_errs_total counter device', 'Network device statistic transmit_errs.'),
    ('node_timex_offset_seconds gauge', 'Time offset in between local system and reference clock.'),
    ('node_boot_time_seconds gauge', 'Node boot time'),
])

DATABASES = exporter_catalog("databases", [
    ('pg_up gauge',
     'Whether the last scrape of metrics from PostgreSQL was able to connect to the server (1 for yes'),
    ('pg_stat_activity_count gauge datname,state', 'number of connections in this state'),
    ('pg_settings_max_connections gauge', 'Sets the maximum number of concurrent connections.'),
    ('pg_replication_lag_seconds gauge', 'Replication lag behind master in seconds.'),
    ('pg_stat_database_deadlocks counter datname',
     'Number of deadlocks detected in this database.'),
    ('pg_database_size_bytes gauge datname', 'Disk space used by the database.'),
    ('redis_up gauge', 'Information about the Redis instance.'),
    ('redis_connected_clients gauge', 'Number of client connections.'),
    ('redis_memory_used_bytes gauge', 'Total number of bytes allocated by Redis.'),
    ('redis_memory_max_bytes gauge', 'The value of the maxmemory configuration directive.'),
    ('redis_rejected_connections_total counter',
     'Connections rejected because of maxclients limit.'),
    ('redis_keyspace_hits_total counter', 'Number of successful lookups of keys.'),
    ('redis_keyspace_misses_total counter', 'Number of failed lookups of keys.'),
    ('redis_connected_slaves gauge', 'Number of connected replicas.'),
])

PROBES = exporter_catalog("probes", [
    ('probe_success gauge instance,module', 'Displays whether or not the probe was a success'),
    ('probe_duration_seconds gauge instance,module',
     'Returns how long the probe took to complete in seconds'),
    ('probe_http_status_code gauge instance', 'Response HTTP status code'),
    ('probe_ssl_earliest_cert_expiry gauge instance', 'Returns last SSL chain expiry in unixtime'),
])

CERTIFICATES = exporter_catalog("certificates", [
    ('certmanager_certificate_expiration_timestamp_seconds gauge name,namespace',
     'The date after which the certificate expires. Expressed as a Unix Epoch Time.'),
    ('certmanager_certificate_ready_status gauge condition,name,namespace',
     'The ready status of the certificate.',
     {'condition': ['False', 'True', 'Unknown']}),
])


# --- an HTTP service -------------------------------------------------------------------------
def test_a_p99_page_for_a_listed_service_in_milliseconds() -> None:
    rule = answered_rule(propose(WEB, "page me if checkout p99 over 500ms for 10m"))
    assert flat(rule.expr) == ('histogram_quantile(0.99,sumby(le)(rate('
                               'http_request_duration_seconds_bucket{service="checkout"}[5m])))>0.5')
    assert rule.for_ == "10m" and rule.labels["severity"] == "critical"


def test_an_error_rate_on_a_bare_route_is_the_5xx_share_of_that_route() -> None:
    rule = answered_rule(propose(WEB, "error rate on /api/orders above 2% for 5 minutes"))
    assert families(rule) == {"http_requests_total"}
    assert 'route="/api/orders", code=~"5.."' in rule.expr and 'route="/api/orders"}' in rule.expr
    assert flat(rule.expr).endswith(">0.02") and rule.for_ == "5m"


def test_a_p95_of_a_bare_route_pins_the_route() -> None:
    rule = answered_rule(propose(WEB, "p95 latency of /api/cart above 300 ms"))
    assert "histogram_quantile(0.95" in rule.expr and 'route="/api/cart"' in rule.expr
    assert flat(rule.expr).endswith(">0.3") and rule.labels["severity"] == "warning"


def test_a_share_of_5xx_without_the_word_requests_is_still_an_error_ratio() -> None:
    rule = answered_rule(propose(
        WEB, "warn when the payments service returns more than 5% 5xx for 10 minutes"))
    assert families(rule) == {"http_requests_total"}
    assert 'service="payments", code=~"5.."' in rule.expr and flat(rule.expr).endswith(">0.05")
    assert rule.for_ == "10m"


def test_a_service_named_before_serves_scopes_the_share() -> None:
    rule = answered_rule(propose(WEB, "page me if search serves more than 1% 5xx for 5 minutes"))
    assert 'service="search", code=~"5.."' in rule.expr


def test_requests_per_second_dropping_below_a_floor_is_the_summed_rate() -> None:
    # Per series (route, method, code) most rates are low all the time: the floor is the total.
    rule = answered_rule(propose(
        WEB, "page me when checkout requests per second drop below 10 for 10 minutes"))
    assert flat(rule.expr) == ('sumby(job,service)(rate(http_requests_total{service="checkout"}'
                               '[5m]))<10')
    assert rule.for_ == "10m" and rule.labels["severity"] == "critical"


def test_file_descriptors_as_a_share_of_their_maximum() -> None:
    rule = answered_rule(propose(WEB, "warn when a service uses more than 80% of its file descriptors"))
    assert families(rule) == {"process_open_fds", "process_max_fds"}
    assert flat(rule.expr).endswith(">0.8")


# --- Kubernetes: kube-state-metrics and cAdvisor ---------------------------------------------
def test_restarts_more_than_three_times_in_an_hour() -> None:
    rule = answered_rule(propose(KUBE, "warn when a pod restarts more than 3 times in an hour"))
    assert flat(rule.expr) == "increase(kube_pod_container_status_restarts_total[1h])>3"
    assert rule.labels["severity"] == "warning"


def test_unavailable_replicas_for_fifteen_minutes() -> None:
    rule = answered_rule(propose(
        KUBE, "tell me if any deployment has unavailable replicas for 15 minutes"))
    assert flat(rule.expr) == "kube_deployment_status_replicas_unavailable>0"
    assert rule.for_ == "15m"


def test_crash_looping_is_the_waiting_reason() -> None:
    rule = answered_rule(propose(KUBE, "page me when a pod is in CrashLoopBackOff for 10 minutes"))
    assert 'kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}' in rule.expr
    assert rule.for_ == "10m" and rule.labels["severity"] == "critical"


def test_a_node_not_ready() -> None:
    rule = answered_rule(propose(KUBE, "page me when a node is not ready for 5 minutes"))
    assert 'condition="Ready"' in rule.expr and families(rule) == {"kube_node_status_condition"}
    assert rule.for_ == "5m"


def test_container_memory_against_its_limit() -> None:
    rule = answered_rule(propose(KUBE, "warn when container memory is above 90% of its limit for 10m"))
    assert families(rule) == {"container_memory_working_set_bytes",
                               "container_spec_memory_limit_bytes"}
    assert flat(rule.expr).endswith(">0.9") and rule.for_ == "10m"


def test_cpu_throttling_is_throttled_periods_over_periods() -> None:
    rule = answered_rule(propose(KUBE, "warn when CPU throttling is above 25% for 15 minutes"))
    assert families(rule) == {"container_cpu_cfs_throttled_periods_total",
                               "container_cpu_cfs_periods_total"}
    assert flat(rule.expr).endswith(">0.25")


def test_an_oom_kill_is_any_increase_of_the_oom_events() -> None:
    rule = answered_rule(propose(KUBE, "tell me when a container gets OOM killed"))
    assert flat(rule.expr).startswith("increase(container_oom_events_total[")
    assert flat(rule.expr).endswith(">0")


def test_a_pvc_is_a_volume_claim() -> None:
    rule = answered_rule(propose(KUBE, "warn when a PVC has less than 10% space left"))
    assert families(rule) == {"kubelet_volume_stats_available_bytes",
                               "kubelet_volume_stats_capacity_bytes"}
    assert flat(rule.expr).endswith("<0.1")


# --- hosts ----------------------------------------------------------------------------------
def test_the_root_filesystem_forecast_pins_the_root_mountpoint() -> None:
    rule = answered_rule(propose(HOSTS, "node root filesystem will fill within 4 hours"))
    assert flat(rule.expr) == ('predict_linear(node_filesystem_avail_bytes{mountpoint="/"}[1h],'
                               '14400)<0')


def test_the_root_filesystem_more_than_85_percent_full() -> None:
    rule = answered_rule(propose(HOSTS, "warn when the root filesystem is more than 85% full"))
    assert flat(rule.expr) == ('(1-node_filesystem_avail_bytes{mountpoint="/"}/'
                               '(node_filesystem_size_bytes{mountpoint="/"}>0))>0.85')


def test_memory_usage_is_the_used_share_of_available_memory() -> None:
    rule = answered_rule(propose(HOSTS, "page me when memory usage is above 90% for 5 minutes"))
    assert families(rule) == {"node_memory_MemAvailable_bytes", "node_memory_MemTotal_bytes"}
    assert flat(rule.expr).startswith("(1-node_memory_MemAvailable_bytes/")
    assert rule.labels["severity"] == "critical"


def test_the_fifteen_minute_load_average() -> None:
    rule = answered_rule(propose(HOSTS, "warn when the 15 minute load average is above 4 for 30 minutes"))
    assert flat(rule.expr) == "node_load15>4" and rule.for_ == "30m"


def test_a_clock_off_by_more_than_50ms_either_way() -> None:
    rule = answered_rule(propose(HOSTS, "warn when the clock is off by more than 50ms"))
    assert flat(rule.expr) == "abs(node_timex_offset_seconds)>0.05"


def test_network_receive_errors_fire_on_any() -> None:
    rule = answered_rule(propose(HOSTS, "alert on network receive errors"))
    assert flat(rule.expr).startswith("increase(node_network_receive_errs_total[")


# --- PostgreSQL and Redis ----------------------------------------------------------------------
@pytest.mark.parametrize("name", ["postgres", "postgresql"])
def test_postgres_down_is_its_own_up_flag(name: str) -> None:
    rule = answered_rule(propose(DATABASES, f"page me if {name} is down for 1 minute"))
    assert flat(rule.expr) == "pg_up==0" and rule.for_ == "1m"


def test_replication_lag_in_seconds() -> None:
    rule = answered_rule(propose(DATABASES, "warn when replication lag is over 30s for 5 minutes"))
    assert flat(rule.expr) == "pg_replication_lag_seconds>30" and rule.for_ == "5m"


def test_connections_in_use_of_max_connections() -> None:
    rule = answered_rule(propose(DATABASES, "warn when postgres uses more than 80% of max connections"))
    assert "sum by (instance, job) (pg_stat_activity_count)" in rule.expr
    assert "pg_settings_max_connections" in rule.expr
    assert flat(rule.expr).endswith(">0.8")


def test_redis_memory_of_maxmemory() -> None:
    rule = answered_rule(propose(DATABASES, "warn when redis memory is above 90% of maxmemory"))
    assert families(rule) == {"redis_memory_used_bytes", "redis_memory_max_bytes"}


def test_redis_cache_hit_rate() -> None:
    rule = answered_rule(propose(DATABASES, "warn when the redis cache hit rate is below 90%"))
    assert families(rule) == {"redis_keyspace_hits_total", "redis_keyspace_misses_total"}
    assert flat(rule.expr).endswith("<0.9")


# --- probes and certificates -------------------------------------------------------------------
def test_a_website_down_is_a_failing_probe() -> None:
    rule = answered_rule(propose(PROBES, "page me when the website is down for 2 minutes"))
    assert flat(rule.expr) == "probe_success==0"
    assert rule.for_ == "2m" and rule.labels["severity"] == "critical"


def test_a_certificate_expiring_in_less_than_14_days() -> None:
    rule = answered_rule(propose(PROBES, "cert expires in less than 14 days"))
    assert "probe_ssl_earliest_cert_expiry" in rule.expr and "time()" in rule.expr
    assert "1209600" in rule.expr


def test_a_certificate_watched_two_ways_is_asked_about() -> None:
    # A probe's view of the served chain and cert-manager's view of the stored one are both
    # certificate expiries: which one is meant is the team's choice.
    both = Catalog.model_validate({"name": "both", "metrics": [
        *PROBES.model_dump()["metrics"], *CERTIFICATES.model_dump()["metrics"]]})
    result = propose(both, "cert expires in less than 14 days")
    assert result.status is Status.CLARIFY
    assert {"probe_ssl_earliest_cert_expiry",
            "certmanager_certificate_expiration_timestamp_seconds"} <= set(
        result.questions[0].candidates)


def test_a_cert_manager_certificate_not_ready() -> None:
    rule = answered_rule(propose(CERTIFICATES,
                                 "warn when a cert-manager certificate is not ready for 10 minutes"))
    assert families(rule) == {"certmanager_certificate_ready_status"}
    assert rule.for_ == "10m"


def test_a_median_latency_is_the_50th_percentile() -> None:
    rule = answered_rule(propose(WEB, "warn if median latency of payments exceeds 200ms"))
    assert "histogram_quantile(0.5," in rule.expr and 'service="payments"' in rule.expr
    assert flat(rule.expr).endswith(">0.2")


def test_a_certificate_expiring_within_30_days_fires_30_days_ahead() -> None:
    rule = answered_rule(propose(PROBES, "warn when the ssl certificate expires within 30 days"))
    assert flat(rule.expr) == "probe_ssl_earliest_cert_expiry-time()<2592000"


def test_memory_a_container_uses_is_its_working_set_not_its_limit_or_oom_events() -> None:
    # The configured limit is no amount in use, and a count of OOM events holds no bytes.
    rule = answered_rule(propose(KUBE, "warn when a container is using more than 1GiB of memory"))
    assert flat(rule.expr) == "container_memory_working_set_bytes>1073741824"


def test_a_success_rate_without_the_word_requests_is_the_good_share_of_requests() -> None:
    rule = answered_rule(propose(
        WEB, "alert if the success rate of payments drops below 99% over 10 minutes"))
    assert flat(rule.expr).startswith("(1-sumby(job,instance)(rate(http_requests_total"
                                      '{service="payments",code=~"5.."}[10m]))')
    assert flat(rule.expr).endswith("<0.99")


def test_a_count_per_hour_is_the_increase_over_an_hour() -> None:
    rule = answered_rule(propose(DATABASES, "warn on more than 5 deadlocks per hour"))
    assert flat(rule.expr) == "increase(pg_stat_database_deadlocks[1h])>5"
    restarts = answered_rule(propose(KUBE, "warn when a pod restarts more than 3 times per hour"))
    assert flat(restarts.expr) == "increase(kube_pod_container_status_restarts_total[1h])>3"


@pytest.mark.parametrize("intent", ["page when p99 latency is above 2s on any route",
                                    "page me if any route's p99 is over 2s"])
def test_a_latency_on_any_route_is_per_route(intent: str) -> None:
    rule = answered_rule(propose(WEB, intent))
    assert "sum by (le, route)" in rule.expr and flat(rule.expr).endswith(">2")


def test_a_host_rebooted_in_the_last_10_minutes_is_a_new_boot_time() -> None:
    rule = answered_rule(propose(HOSTS, "warn when a host rebooted in the last 10 minutes"))
    assert flat(rule.expr) == "changes(node_boot_time_seconds[10m])>0"


def test_a_site_returning_http_500_is_the_probes_status_code() -> None:
    rule = answered_rule(propose(PROBES, "page me if the site returns HTTP 500"))
    assert flat(rule.expr) == "probe_http_status_code==500"


def test_a_site_returning_a_status_class_is_the_probes_status_code_in_that_range() -> None:
    rule = answered_rule(propose(PROBES, "warn me if the shop website returns HTTP 5xx for 5 minutes"))
    assert flat(rule.expr) == "probe_http_status_code>=500andprobe_http_status_code<600"


@pytest.mark.parametrize("intent", ["the probe takes longer than 500 ms",
                                    "more than 500 requests per second", "over 200% of the limit",
                                    "returns 500 or 503"])
def test_a_number_with_a_unit_or_two_codes_is_no_status_code(intent: str) -> None:
    assert status_code_said(intent) is None


def test_a_probe_failing_3_times_in_10_minutes_counts_its_failed_samples() -> None:
    rule = answered_rule(propose(PROBES, "page me when a probe fails 3 times in 10 minutes"))
    assert flat(rule.expr) == ("(count_over_time(probe_success[10m])-sum_over_time("
                               "probe_success[10m]))>=3")


def test_a_rate_floor_says_per_second_once() -> None:
    rule = answered_rule(propose(
        WEB, "page me when checkout requests per second drop below 10 for 10 minutes"))
    assert "per second per second" not in rule.annotations["summary"]
    assert "below 10 per second" in rule.annotations["summary"]


def test_a_status_code_gauge_is_no_measure_of_an_amount_in_seconds() -> None:
    # The status code is the best-named metric, but holds no 500 ms: the duration is weighed.
    plan = plan_for("the HTTP probe takes longer than 500 ms", PROBES)
    assert plan.candidates and flat(plan.candidates[0].expr) == "probe_duration_seconds>0.5"
