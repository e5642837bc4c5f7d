"""Sample conversations for ``opguard demo``, built from the seeds' scenarios.

``scenarios.jsonl`` is an ordered replay file: each line is a ``messages`` or
``contract-events`` record as SPEC.md §2 defines it, plus a ``topic`` field naming where
it goes and an optional ``expect`` note for the demo's narrative (the replayer strips
both). A line with ``raw`` is sent as those raw bytes (a malformed record that must end
up on ``dead-letters``).
"""
