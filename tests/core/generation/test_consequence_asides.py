"""What an outage disrupts ("disrupting traffic management") is its consequence, not what the
alert measures (invented mesh exporter)."""

from monitorgen.core.generation.ranking import rank_metrics, without_asides
from tests.core.generation.proposing import exporter_catalog

_MESH = exporter_catalog("weave", [
    ("weave_requests_total counter source,destination", "Total requests between services."),
    ("weave_request_duration_milliseconds histogram source,destination", "Request duration."),
    ("weave_build gauge component,tag", "Build information of each control plane component.",
     {"component": ["router", "registry"]}),
])


def test_it_leaves_out_what_a_stopped_component_disrupts() -> None:
    assert "traffic" not in without_asides("Component stopped, disrupting traffic management.")


def test_it_ranks_the_component_not_the_traffic_it_disrupts() -> None:
    ranked = rank_metrics(
        "Weave control plane component <component> has stopped reporting, disrupting service "
        "discovery, configuration propagation, and traffic management across the mesh.", _MESH)
    assert ranked[0].name == "weave_build"
