"""Generation: from a plain-language intent and a metric catalog to rule specs (pure core)."""
