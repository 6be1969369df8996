"""One ``Evaluation`` per jurisdiction: the durable_rules engine, checked against the oracle."""
