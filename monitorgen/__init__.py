"""monitorgen: plain-language monitoring intents to validated, reviewed Prometheus rules."""
