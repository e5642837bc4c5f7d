"""Two workers in one group split the partitions; when one stops mid-stream the other
takes over its partitions and their table state, and every message is judged."""

from __future__ import annotations

import time

from tests.integration.pipeline_harness import Pipeline, contract, events_of, message

CONVERSATIONS = 24
UNDER_CONTRACT = {f"so-{n}" for n in range(0, CONVERSATIONS, 2)}


def test_a_stopped_worker_hands_its_partitions_and_state_over(pipeline: Pipeline) -> None:
    first = pipeline.start_worker()
    second = pipeline.start_worker()
    topic = pipeline.settings.topic("contract-events")

    def consumed() -> float:
        return sum(
            pipeline.metric(w, "opguard_records_consumed_total", topic=topic)
            for w in (first, second)
            if w.process.poll() is None
        )

    pipeline.wait_all_ready()  # the first worker settles after the second one joined
    for conversation in sorted(UNDER_CONTRACT):
        pipeline.send(
            "contract-events",
            contract(f"e-{conversation}", conversation, "active", "2026-11-21T09:00:00Z"),
        )
    deadline = time.monotonic() + 60
    while consumed() < len(UNDER_CONTRACT):
        assert time.monotonic() < deadline, f"contract events consumed: {consumed()}"
        time.sleep(0.5)
    time.sleep(4)  # committed, and the changelogs written

    def send_round(round_: int) -> None:
        for n in range(CONVERSATIONS):
            pipeline.send(
                "messages",
                message(
                    f"m-{round_}-{n}",
                    f"so-{n}",
                    f"call me at +1 415 555 2671 (round {round_})",
                    f"2026-11-21T10:0{round_}:00Z",
                    sender=f"s-{round_}-{n}",
                ),
            )

    send_round(0)
    pipeline.outputs(lambda r: len(events_of(r)) >= CONVERSATIONS // 2)
    assert second.stop() == 0  # a graceful stop: it leaves the group
    send_round(1)
    send_round(2)
    expected = {
        f"m-{r}-{n}"
        for r in range(3)
        for n in range(CONVERSATIONS)
        if f"so-{n}" not in UNDER_CONTRACT
    }
    records = pipeline.outputs(lambda r: {e["message_id"] for e in events_of(r)} >= expected)
    time.sleep(3)
    records = pipeline.outputs(lambda r: len(events_of(r)) >= len(expected))
    flagged = {e["message_id"] for e in events_of(records)}
    assert flagged == expected  # none missed; none under a contract (state moved over)
