"""The law as data: the rule base's model, its conditions, its file shapes, and its loader."""
