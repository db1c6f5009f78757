"""The pure core: rule spec, rendering, PromQL analysis, explanation, generators. No Django here."""
