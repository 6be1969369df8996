"""The durable_rules engine: the rule base compiled to rulesets (``compile``), proved within the
C engine's limits (``limits``) and run one session per evaluation (``session``)."""
