"""The validation pipeline: schema, lint, catalog grounding and promtool, as one report."""
