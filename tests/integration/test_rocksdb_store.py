"""The production table store (RocksDB, ``OPGUARD_STORE=rocksdb://``): a worker killed
with SIGKILL and restarted on its own data directory, and a new worker on an empty one,
both know the contract state; messages sent meanwhile are all judged."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from tests.integration.pipeline_harness import Pipeline, contract, events_of, message, summary

PHONE = "+1 415 555 2671"
T = "2026-11-21T{}:00Z".format


def _outputs_after(pipeline: Pipeline, mid: str) -> list[dict[str, Any]]:
    """Every output record, read once the event for ``mid`` is out (and 3 s more)."""
    seen = lambda records: any(e["message_id"] == mid for e in events_of(records))  # noqa: E731
    pipeline.outputs(seen)
    time.sleep(3)  # anything else the worker emits for the same round
    return pipeline.outputs(seen)


def test_rocksdb_tables_survive_a_kill_and_a_new_pod(pipeline: Pipeline, tmp_path: Path) -> None:
    pipeline.env["OPGUARD_STORE"] = "rocksdb://"
    pipeline.env["OPGUARD_DATA_DIR"] = str(tmp_path / "pod-1")
    worker = pipeline.start_worker()
    pipeline.send("contract-events", contract("rk-e1", "rk-contract", "active", T("09:00")))
    deadline = time.monotonic() + 60
    topic = pipeline.settings.topic("contract-events")
    while pipeline.metric(worker, "opguard_records_consumed_total", topic=topic) < 1:
        assert time.monotonic() < deadline, "the contract event was not consumed"
        time.sleep(0.5)
    time.sleep(4)  # past the commit interval
    # One database per table and partition, each with the small sizes of rocksdb_options.
    options = sorted((tmp_path / "pod-1").rglob("OPTIONS-*"))
    databases = {path.parent.name for path in options}
    assert {name.split("-")[0] for name in databases} >= {"contracts", "conversations", "flagged"}
    for path in options:
        text = path.read_text()
        assert "write_buffer_size=2097152" in text, path
        assert "max_write_buffer_number=2" in text, path

    # 1. Killed, restarted on the same data directory.
    worker.kill()
    pipeline.send("messages", message("rk-1", "rk-contract", f"my number: {PHONE}", T("10:00")))
    pipeline.send("messages", message("rk-2", "rk-other", f"my number: {PHONE}", T("10:00")))
    worker = pipeline.start_worker()
    records = _outputs_after(pipeline, "rk-2")
    assert summary(records, "rk-other") == {("rk-2", "violation", "contact_before_contract")}
    assert summary(records, "rk-contract") == set()  # the contract was known

    # 2. A new pod: empty data directory, state rebuilt from the changelog alone.
    time.sleep(4)
    worker.kill()
    pipeline.env["OPGUARD_DATA_DIR"] = str(tmp_path / "pod-2")
    pipeline.send("messages", message("rk-3", "rk-contract", f"call {PHONE}", T("11:00")))
    pipeline.send("messages", message("rk-4", "rk-other", f"call {PHONE}", T("11:00")))
    pipeline.start_worker()
    records = _outputs_after(pipeline, "rk-4")
    assert ("rk-4", "violation", "contact_before_contract") in summary(records, "rk-other")
    assert summary(records, "rk-contract") == set()
