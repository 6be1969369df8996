"""Products: read, validated against the contract, checked against the rule base's vocabularies."""
