"""The detection engine: pure functions over plain data (no Kafka, Redis, clock or I/O)."""
