"""Questions about an assessment: what if a fact were different (``whatif``), which question
decides most (``ranking``), and does it match what the team expects (``check``)."""
