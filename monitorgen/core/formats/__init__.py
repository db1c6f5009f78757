"""Rule-file formats for export and import: Prometheus, prometheus-operator, Mimir/Cortex, Thanos."""
