"""The shapes of the contracts (``contracts.md`` sections 1 and 2): types only, no logic of the law."""
