"""Intents as SREs type them, against invented catalogs shaped like exporters
test_common_exporters.py does not cover: Kafka (consumer lag, partitions), NGINX ingress,
MySQL, RabbitMQ, Elasticsearch, a JVM with Micrometer, and an availability objective.

Each answer is checked for what a reviewer would check: the metric families, the labels kept or
pinned, units and multipliers converted, `for` and severity from the words.
"""

from __future__ import annotations

import pytest

from monitorgen.core.generation.result import Status
from tests.core.generation.proposing import answered_rule, exporter_catalog, families, flat, propose

KAFKA = exporter_catalog("kafka", [
    ('kafka_consumergroup_lag gauge consumergroup,partition,topic',
     'Current Approximate Lag of a ConsumerGroup at Topic/Partition',
     {'consumergroup': ['billing', 'payments', 'search-indexer'],
      'topic': ['clicks', 'orders', 'payments-events']}),
    ('kafka_consumergroup_current_offset gauge consumergroup,partition,topic',
     'Current Offset of a ConsumerGroup at Topic/Partition'),
    ('kafka_topic_partition_current_offset gauge partition,topic',
     'Current Offset of a Broker at Topic/Partition'),
    ('kafka_topic_partition_under_replicated_partition gauge partition,topic',
     'Under Replicated Partition'),
    ('kafka_topic_partition_in_sync_replica gauge partition,topic',
     'Number of In-Sync Replicas for this Topic/Partition'),
    ('kafka_topic_partition_replicas gauge partition,topic',
     'Number of Replicas for this Topic/Partition'),
    ('kafka_brokers gauge', 'Number of Brokers in the Kafka Cluster.'),
    ('kafka_controller_kafkacontroller_offlinepartitionscount gauge',
     'Number of partitions that do not have an active leader.'),
    ('kafka_controller_kafkacontroller_activecontrollercount gauge',
     'Number of active controllers in the cluster.'),
])

INGRESS = exporter_catalog("ingress", [
    ('nginx_ingress_controller_requests counter '
     'controller_class,host,ingress,method,namespace,path,service,status',
     'The total number of client requests',
     {'ingress': ['admin', 'api', 'shop'], 'namespace': ['prod', 'staging']}),
    ('nginx_ingress_controller_request_duration_seconds histogram '
     'host,ingress,method,namespace,path,service,status',
     'The request processing time in milliseconds', {'ingress': ['admin', 'api', 'shop']}),
    ('nginx_ingress_controller_nginx_process_connections gauge state',
     'current number of client connections with state {active, reading, writing, waiting}',
     {'state': ['active', 'reading', 'waiting', 'writing']}),
    ('nginx_ingress_controller_config_last_reload_successful gauge',
     'Whether the last configuration reload attempt was successful'),
    ('nginx_ingress_controller_ssl_expire_time_seconds gauge host',
     'Number of seconds since 1970 to the SSL Certificate expire.'),
])

MYSQL = exporter_catalog("mysql", [
    ('mysql_up gauge', 'Whether the MySQL server is up.'),
    ('mysql_global_status_threads_connected gauge', 'Generic metric from SHOW GLOBAL STATUS.'),
    ('mysql_global_status_threads_running gauge', 'Generic metric from SHOW GLOBAL STATUS.'),
    ('mysql_global_variables_max_connections gauge',
     'Generic gauge metric from SHOW GLOBAL VARIABLES.'),
    ('mysql_global_status_slow_queries counter',
     'Generic counter metric from SHOW GLOBAL STATUS.'),
    ('mysql_global_status_questions counter', 'Generic counter metric from SHOW GLOBAL STATUS.'),
    ('mysql_slave_status_seconds_behind_master gauge channel_name,master_host',
     'Generic metric from SHOW SLAVE STATUS.'),
    ('mysql_slave_status_slave_io_running gauge channel_name,master_host',
     'Generic metric from SHOW SLAVE STATUS.'),
    ('mysql_slave_status_slave_sql_running gauge channel_name,master_host',
     'Generic metric from SHOW SLAVE STATUS.'),
    ('mysql_global_status_aborted_connects counter',
     'Generic counter metric from SHOW GLOBAL STATUS.'),
])

RABBITMQ = exporter_catalog("rabbitmq", [
    ('rabbitmq_queue_messages_ready gauge queue,vhost',
     'Messages ready to be delivered to consumers',
     {'queue': ['emails', 'invoices', 'orders'], 'vhost': ['/']}),
    ('rabbitmq_queue_messages_unacked gauge queue,vhost',
     'Messages delivered to consumers but not yet acknowledged',
     {'queue': ['emails', 'invoices', 'orders']}),
    ('rabbitmq_queue_messages gauge queue,vhost',
     'Sum of ready and unacknowledged messages - total queue depth',
     {'queue': ['emails', 'invoices', 'orders']}),
    ('rabbitmq_queue_consumers gauge queue,vhost', 'Consumers on a queue',
     {'queue': ['emails', 'invoices', 'orders']}),
    ('rabbitmq_queue_messages_published_total counter queue,vhost',
     'Total number of messages published to queues'),
    ('rabbitmq_connections gauge', 'Connections currently open'),
    ('rabbitmq_process_resident_memory_bytes gauge', 'Memory used in bytes'),
    ('rabbitmq_resident_memory_limit_bytes gauge', 'Memory high watermark in bytes'),
    ('rabbitmq_disk_space_available_bytes gauge', 'Disk space available in bytes'),
])

ELASTICSEARCH = exporter_catalog("elasticsearch", [
    ('elasticsearch_cluster_health_status gauge cluster,color',
     'Whether all primary and replica shards are allocated.',
     {'color': ['green', 'red', 'yellow']}),
    ('elasticsearch_cluster_health_unassigned_shards gauge cluster',
     'The number of shards that are not allocated.'),
    ('elasticsearch_cluster_health_number_of_nodes gauge cluster',
     'Number of nodes in the cluster.'),
    ('elasticsearch_jvm_memory_used_bytes gauge area,cluster,name',
     'JVM memory currently used by area', {'area': ['heap', 'non-heap']}),
    ('elasticsearch_jvm_memory_max_bytes gauge area,cluster,name', 'JVM memory max',
     {'area': ['heap', 'non-heap']}),
    ('elasticsearch_filesystem_data_available_bytes gauge cluster,mount,name',
     'Available space on block device in bytes'),
    ('elasticsearch_filesystem_data_size_bytes gauge cluster,mount,name',
     'Size of block device in bytes'),
    ('elasticsearch_jvm_gc_collection_seconds_sum counter cluster,gc,name',
     'GC run time in seconds', {'gc': ['old', 'young']}),
])

JVM = exporter_catalog("jvm-apps", [
    ('jvm_memory_used_bytes gauge area,id,namespace,pod', 'The amount of used memory',
     {'area': ['heap', 'nonheap'], 'namespace': ['orders', 'payments']}),
    ('jvm_memory_max_bytes gauge area,id,namespace,pod',
     'The maximum amount of memory in bytes that can be used for memory management',
     {'area': ['heap', 'nonheap'], 'namespace': ['orders', 'payments']}),
    ('jvm_memory_committed_bytes gauge area,id,namespace,pod',
     'The amount of memory in bytes that is committed for the Java virtual machine to use',
     {'area': ['heap', 'nonheap']}),
    ('jvm_gc_pause_seconds summary action,cause,namespace,pod', 'Time spent in GC pause'),
    ('jvm_threads_live_threads gauge namespace,pod',
     'The current number of live threads including both daemon and non-daemon threads'),
    ('jvm_threads_states_threads gauge namespace,pod,state', 'The current number of threads',
     {'state': ['blocked', 'new', 'runnable', 'terminated', 'timed-waiting', 'waiting']}),
    ('process_cpu_usage gauge namespace,pod',
     'The "recent cpu usage" for the Java Virtual Machine process'),
    ('http_server_requests_seconds summary exception,method,namespace,outcome,pod,status,uri',
     'Duration of HTTP server request handling',
     {'outcome': ['CLIENT_ERROR', 'INFORMATIONAL', 'REDIRECTION', 'SERVER_ERROR', 'SUCCESS']}),
])

SHOP = exporter_catalog("shop", [
    ('http_requests_total counter code,method,route,service',
     'HTTP requests served, by status code.', {'service': ['checkout', 'payments', 'search']}),
    ('http_request_duration_seconds histogram code,method,route,service',
     'Time spent serving HTTP requests.', {'service': ['checkout', 'payments', 'search']}),
])


# --- Kafka -------------------------------------------------------------------------------------
def test_a_consumer_lag_of_10k_for_a_listed_group_is_ten_thousand_messages() -> None:
    rule = answered_rule(propose(
        KAFKA, "page me if consumer lag for group payments is over 10k for 15m"))
    assert families(rule) == {"kafka_consumergroup_lag"}
    assert 'consumergroup="payments"' in rule.expr and flat(rule.expr).endswith(">10000")
    assert rule.for_ == "15m" and rule.labels["severity"] == "critical"


def test_a_lag_of_1_5k_messages_is_fifteen_hundred() -> None:
    rule = answered_rule(propose(
        KAFKA, "page me if any consumer group lags more than 1.5k messages behind for 10 minutes"))
    assert flat(rule.expr) == "kafka_consumergroup_lag>1500" and rule.for_ == "10m"


def test_an_under_replicated_partition_fires_on_any() -> None:
    rule = answered_rule(propose(KAFKA, "warn when any Kafka partition is under-replicated"))
    assert flat(rule.expr) == "kafka_topic_partition_under_replicated_partition>0"
    assert rule.labels["severity"] == "warning"


def test_fewer_brokers_than_three() -> None:
    rule = answered_rule(propose(KAFKA, "warn when the kafka broker count drops below 3"))
    assert flat(rule.expr) == "kafka_brokers<3"


def test_offline_partitions_are_the_controllers_count_of_them() -> None:
    rule = answered_rule(propose(KAFKA, "page me if there are offline partitions"))
    assert flat(rule.expr) == "kafka_controller_kafkacontroller_offlinepartitionscount>0"


# --- NGINX ingress -----------------------------------------------------------------------------
def test_a_5xx_share_of_a_listed_ingress_keeps_the_ingress_on_both_sides() -> None:
    rule = answered_rule(propose(
        INGRESS, "page me if more than 5% of requests to the api ingress are 5xx for 5 minutes"))
    assert flat(rule.expr) == (
        '(sumby(job,instance)(rate(nginx_ingress_controller_requests{ingress="api",'
        'status=~"5.."}[5m]))/(sumby(job,instance)(rate(nginx_ingress_controller_requests'
        '{ingress="api"}[5m]))>0))>0.05')
    assert rule.labels["severity"] == "critical"


def test_an_ingress_request_rate_floor_is_its_summed_rate() -> None:
    rule = answered_rule(propose(
        INGRESS, "warn when ingress request rate for shop drops below 5 per second"))
    assert flat(rule.expr) == ('sumby(job)(rate(nginx_ingress_controller_requests'
                               '{ingress="shop"}[5m]))<5')


def test_a_name_listed_for_the_ingress_is_not_also_guessed_as_the_service() -> None:
    rule = answered_rule(propose(
        INGRESS, "warn when p99 latency of the shop ingress is above 1s for 10 minutes"))
    assert flat(rule.expr) == (
        'histogram_quantile(0.99,sumby(le)(rate(nginx_ingress_controller_request_duration_seconds'
        '_bucket{ingress="shop"}[5m])))>1')


def test_a_failed_config_reload() -> None:
    rule = answered_rule(propose(INGRESS, "alert when nginx config reload fails"))
    assert flat(rule.expr) == "nginx_ingress_controller_config_last_reload_successful==0"


def test_a_5xx_rate_by_ingress_is_the_share_of_requests_per_ingress() -> None:
    # Several metrics come close; the share said is one of requests.
    rule = answered_rule(propose(INGRESS, "5xx rate by ingress above 1% for 10m"))
    assert flat(rule.expr) == (
        '(sumby(ingress)(rate(nginx_ingress_controller_requests{status=~"5.."}[5m]))/'
        '(sumby(ingress)(rate(nginx_ingress_controller_requests[5m]))>0))>0.01')
    assert rule.for_ == "10m" and "(of requests)" not in str(rule.annotations)


# --- MySQL -------------------------------------------------------------------------------------
def test_mysql_connections_against_max_connections() -> None:
    rule = answered_rule(propose(MYSQL, "warn when mysql connections exceed 80% of max_connections"))
    assert flat(rule.expr) == ('(mysql_global_status_threads_connected/'
                               '(mysql_global_variables_max_connections>0))>0.8')


def test_mysql_replication_lag_in_seconds() -> None:
    rule = answered_rule(propose(
        MYSQL, "page me if mysql replication lag is above 60s for 5 minutes"))
    assert flat(rule.expr) == "mysql_slave_status_seconds_behind_master>60"
    assert rule.for_ == "5m" and rule.labels["severity"] == "critical"


def test_slow_queries_per_minute_are_a_rate_per_second() -> None:
    rule = answered_rule(propose(MYSQL, "warn if there are more than 10 slow queries per minute"))
    assert flat(rule.expr) == "rate(mysql_global_status_slow_queries[5m])>0.166667"


def test_mysql_down() -> None:
    rule = answered_rule(propose(MYSQL, "page when mysql is down"))
    assert flat(rule.expr) == "mysql_up==0" and rule.labels["severity"] == "critical"


# --- RabbitMQ ----------------------------------------------------------------------------------
def test_a_listed_queue_deeper_than_1000_messages() -> None:
    rule = answered_rule(propose(
        RABBITMQ, "warn when the orders queue has more than 1000 messages for 10 minutes"))
    assert families(rule) == {"rabbitmq_queue_messages"}
    assert 'queue="orders"' in rule.expr and flat(rule.expr).endswith(">1000")
    assert rule.for_ == "10m"


@pytest.mark.parametrize("intent", ["no consumers on the orders queue",
                                    "page me if there are no consumers on the orders queue"])
def test_no_consumers_on_a_listed_queue_is_a_count_of_zero(intent: str) -> None:
    rule = answered_rule(propose(RABBITMQ, intent))
    assert flat(rule.expr) == 'rabbitmq_queue_consumers{queue="orders"}==0'


def test_zero_consumers_on_any_queue() -> None:
    rule = answered_rule(propose(
        RABBITMQ, "page me when any queue has zero consumers for 5 minutes"))
    assert flat(rule.expr) == "rabbitmq_queue_consumers==0" and rule.for_ == "5m"


def test_unacknowledged_messages_are_the_unacked_gauge() -> None:
    rule = answered_rule(propose(
        RABBITMQ, "warn when unacknowledged messages on any queue exceed 500 for 15m"))
    assert families(rule) == {"rabbitmq_queue_messages_unacked"}
    assert "by (queue)" in rule.expr and flat(rule.expr).endswith(">500")


# --- Elasticsearch -----------------------------------------------------------------------------
def test_a_red_cluster_is_the_listed_colour() -> None:
    rule = answered_rule(propose(ELASTICSEARCH, "page me when elasticsearch cluster health is red"))
    assert flat(rule.expr) == 'elasticsearch_cluster_health_status{color="red"}>0'
    assert rule.labels["severity"] == "critical"


def test_a_yellow_cluster_for_half_an_hour() -> None:
    rule = answered_rule(propose(
        ELASTICSEARCH, "warn when the elasticsearch cluster is yellow for 30 minutes"))
    assert 'color="yellow"' in rule.expr and rule.for_ == "30m"


def test_elasticsearch_heap_is_the_heap_area_of_used_over_max() -> None:
    rule = answered_rule(propose(
        ELASTICSEARCH, "warn when elasticsearch jvm heap usage is above 85% for 10m"))
    assert flat(rule.expr) == ('(elasticsearch_jvm_memory_used_bytes{area="heap"}/'
                               '(elasticsearch_jvm_memory_max_bytes{area="heap"}>0))>0.85')


def test_elasticsearch_disk_usage_is_the_used_share_of_the_data_path() -> None:
    rule = answered_rule(propose(ELASTICSEARCH, "warn when elasticsearch disk usage is above 85%"))
    assert families(rule) == {"elasticsearch_filesystem_data_available_bytes",
                               "elasticsearch_filesystem_data_size_bytes"}
    assert flat(rule.expr).endswith(">0.85")


# --- a JVM with Micrometer ---------------------------------------------------------------------
def test_heap_usage_of_max_on_any_jvm_pod() -> None:
    rule = answered_rule(propose(JVM, "heap usage above 90% of max for 10 minutes on any JVM pod"))
    assert flat(rule.expr) == ('(jvm_memory_used_bytes{area="heap"}/'
                               '(jvm_memory_max_bytes{area="heap"}>0))>0.9')
    assert rule.for_ == "10m"


@pytest.mark.parametrize(("intent", "number"), [
    ("warn when GC pauses take more than 500ms per second", "0.5"),
    ("warn when GC takes more than 2s per minute", "0.0333333")])
def test_gc_time_per_second_is_the_rate_of_the_pause_sum(intent: str, number: str) -> None:
    # The time spent pausing per unit of time, not the mean length of one pause.
    rule = answered_rule(propose(JVM, intent))
    assert flat(rule.expr) == f"sumby(job,instance)(rate(jvm_gc_pause_seconds_sum[5m]))>{number}"
    assert "per second per second" not in rule.annotations["summary"]


def test_blocked_threads_are_the_listed_thread_state() -> None:
    rule = answered_rule(propose(JVM, "warn when more than 50 threads are blocked for 5 minutes"))
    assert flat(rule.expr) == 'sum(jvm_threads_states_threads{state="blocked"})>50'


def test_a_count_of_a_gauge_split_by_listed_states_is_not_compared_per_state() -> None:
    # One state's threads are not "the thread count": asking beats a rule on a part.
    result = propose(JVM, "warn when thread count exceeds 500")
    assert result.status is Status.CLARIFY
    assert "jvm_threads_live_threads" in result.questions[0].candidates


@pytest.mark.xfail(strict=True, reason="the gauge split by thread state outranks the live "
                   "thread count in retrieval, so the planner asks instead of answering")
def test_a_thread_count_is_the_live_threads() -> None:
    rule = answered_rule(propose(JVM, "warn when thread count exceeds 500"))
    assert flat(rule.expr) == "jvm_threads_live_threads>500"


# --- an availability objective -----------------------------------------------------------------
def test_an_objective_of_succeeding_requests_is_a_success_floor_over_its_window() -> None:
    # "over 30 days" is the objective's window, not a 30-day latency threshold.
    rule = answered_rule(propose(SHOP, "99.9% of checkout requests succeed over 30 days"))
    assert families(rule) == {"http_requests_total"}
    assert 'service="checkout", code=~"5.."}[30d]' in rule.expr
    assert flat(rule.expr).startswith("(1-") and flat(rule.expr).endswith("<0.999")


@pytest.mark.parametrize(("intent", "window", "number"), [
    ("page me when checkout availability drops below 99.9% over 30 days", "30d", "0.999"),
    ("warn when checkout availability is below 99% over the last 7 days", "1w", "0.99")])
def test_availability_of_requests_below_an_objective_is_their_success_share(
        intent: str, window: str, number: str) -> None:
    # No flag says the service is up: its availability is the share of requests served well.
    rule = answered_rule(propose(SHOP, intent))
    assert families(rule) == {"http_requests_total"}
    assert f'service="checkout", code=~"5.."}}[{window}]' in rule.expr
    assert flat(rule.expr).startswith("(1-") and flat(rule.expr).endswith(f"<{number}")
