"""``pathway check``: each product's pathways against what its team expects (``checker``), with
the report's models, baselines, the line a failure points at (``blame``), its message, and the
previous version of a product file from git (``history``)."""
