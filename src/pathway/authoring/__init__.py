"""For people who write rules: lint, satisfiability, rule-base docs, vector files and coverage.
Never on the hot path of an assessment."""
