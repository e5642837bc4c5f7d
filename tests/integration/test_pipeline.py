"""End to end on the real broker and Redis: conversations in, the expected events out.

Each scenario is a conversation (contract events first, then messages) and the exact
set of (message, event type, rule) it must produce.  Contract events are consumed
before the messages are sent, so the expected events do not depend on which agent runs
first; the retraction test sends a late contract event on purpose.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from streams.records import load_schema
from streams.settings import Settings
from tests.integration.pipeline_harness import (
    Pipeline,
    contract,
    events_of,
    free_port,
    message,
    start_redis,
    summary,
)

T = "2026-11-21T{}:00Z".format
PHONE = "+1 415 555 2671"

# (conversation, contract events, messages, expected (message, type, rule) set)
SCENARIOS: list[tuple[str, list[dict[str, Any]], list[dict[str, Any]], set[tuple[str, ...]]]] = [
    (
        "whatsapp-interview",
        [],
        [
            message(
                "wi-1",
                "whatsapp-interview",
                "Hi! Thanks for the proposal, budget is $1,500.",
                T("09:00"),
            ),
            message(
                "wi-2",
                "whatsapp-interview",
                f"Our team is not on Upwork. Let's do the voice interview on WhatsApp: {PHONE}",
                T("09:05"),
            ),
        ],
        {("wi-2", "violation", "contact_before_contract")},
    ),
    (
        "declined-offer",
        [
            contract("do-e1", "declined-offer", "offered", T("09:00")),
            contract("do-e2", "declined-offer", "declined", T("09:10")),
        ],
        [message("do-1", "declined-offer", f"No worries, just call me at {PHONE}", T("09:20"))],
        {("do-1", "violation", "contact_before_contract")},
    ),
    (
        "after-ended",
        [
            contract("ae-e1", "after-ended", "active", T("09:00")),
            contract("ae-e2", "after-ended", "ended", T("09:30")),
        ],
        [
            message(
                "ae-1",
                "after-ended",
                f"Great working with you! My number is {PHONE}",
                T("10:00"),
                sender="u-free",
                role="freelancer",
            )
        ],
        set(),
    ),
    (
        "payment-active",
        [contract("pa-e1", "payment-active", "active", T("09:00"))],
        [
            message(
                "pa-1",
                "payment-active",
                "Let's skip the Upwork fees, I'll pay you via PayPal.",
                T("09:30"),
            ),
            message(
                "pa-2",
                "payment-active",
                f"Sure, here is my cell: {PHONE}",
                T("09:31"),
                sender="u-free",
                role="freelancer",
            ),
        ],
        {("pa-1", "violation", "off_platform_payment")},
    ),
    (
        "platform-call",
        [],
        [
            message(
                "pc-1",
                "platform-call",
                "Let's use the call button here on Upwork at 3pm.",
                T("09:00"),
            )
        ],
        set(),
    ),
    (
        "split-phone",
        [],
        [
            message(
                f"sp-{n}", "split-phone", piece, T(f"09:0{n}"), sender="u-free", role="freelancer"
            )
            for n, piece in enumerate(["415", "555", "2671"], 1)
        ],
        {("sp-3", "violation", "contact_before_contract")},
    ),
    (
        "telegram-pm",
        [],
        [
            message(
                "tp-0",
                "telegram-pm",
                "Thanks for applying, I'm the project manager.",
                T("09:00"),
                sender="u-free",
                role="freelancer",
            ),
            message(
                "tp-1",
                "telegram-pm",
                "Our developers talk on Telegram: t.me/pm_emma_hr. Send your full name, home "
                "address and gender.",
                T("09:10"),
            ),
        ],
        {
            ("tp-1", "violation", "contact_before_contract"),
            ("tp-1", "violation", "scam_pattern"),
            ("tp-1", "warning", "scam_pattern"),
        },
    ),
]


@pytest.fixture(scope="module")
def scenario_outputs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[dict[str, Any]]]:
    import uuid
    from dataclasses import replace

    settings = replace(Settings.from_env(), topic_prefix=f"e2e{uuid.uuid4().hex[:6]}-")
    pipeline = Pipeline(settings, tmp_path_factory.mktemp("e2e"), Settings.from_env().redis_url)
    try:
        worker = pipeline.start_worker()
        contract_events = [e for _, events, _, _ in SCENARIOS for e in events]
        for event in contract_events:
            pipeline.send("contract-events", event)
        _wait_for(
            lambda: (
                pipeline.metric(
                    worker,
                    "opguard_records_consumed_total",
                    topic=settings.topic("contract-events"),
                )
                >= len(contract_events)
            ),
            what="contract events consumed",
        )
        for _, _, messages, _ in SCENARIOS:
            for record in messages:
                pipeline.send("messages", record)
        expected = sum(len(e) for *_, e in SCENARIOS)
        pipeline.outputs(lambda r: len(events_of(r)) >= expected)
        time.sleep(3)  # anything unexpected has time to show up too
        yield pipeline.outputs(lambda r: len(events_of(r)) >= expected)
    finally:
        pipeline.close()


@pytest.mark.parametrize(
    ("conversation", "expected"),
    [(c, e) for c, _, _, e in SCENARIOS],
    ids=[s[0] for s in SCENARIOS],
)
def test_scenario(
    scenario_outputs: list[dict[str, Any]], conversation: str, expected: set[tuple[str, ...]]
) -> None:
    assert summary(scenario_outputs, conversation) == expected


def test_events_validate_and_carry_no_raw_detail(scenario_outputs: list[dict[str, Any]]) -> None:
    validator = jsonschema.Draft202012Validator(
        load_schema("event"), format_checker=jsonschema.FormatChecker()
    )
    events = events_of(scenario_outputs)
    assert events
    for event in events:
        validator.validate(event)
        assert "555 2671" not in str(event) and "5552671" not in str(event)
        assert event["policy_version"]


def test_split_detail_names_its_messages(scenario_outputs: list[dict[str, Any]]) -> None:
    (event,) = events_of(scenario_outputs, "split-phone")
    assert event["related_message_ids"] == ["sp-1", "sp-2"]
    assert event["findings"][0]["kind"] == "phone"
    assert event["findings"][0]["redacted"].endswith("71")


def test_warnings_name_recipient_and_notice(scenario_outputs: list[dict[str, Any]]) -> None:
    (warning,) = [e for e in events_of(scenario_outputs, "telegram-pm") if e["type"] == "warning"]
    assert warning["recipient_id"] == "u-free"  # the freelancer being scammed
    assert warning["notice"]


def _wait_for(condition: Any, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.3)


def test_late_contract_event_retracts_the_violation(pipeline: Pipeline) -> None:
    pipeline.start_worker()
    pipeline.send(
        "messages",
        message("lc-1", "late", "Send the weekly reports to jon.harlow88@gmail.com", T("10:05")),
    )
    (flagged,) = events_of(pipeline.outputs(lambda r: len(events_of(r)) >= 1))
    assert flagged["rule"] == "contact_before_contract"
    pipeline.send("contract-events", contract("lc-e1", "late", "active", T("10:00")))
    records = pipeline.outputs(lambda r: len(events_of(r)) >= 2)
    (retraction,) = [e for e in events_of(records) if e["type"] == "retraction"]
    assert retraction["retracts"] == flagged["event_id"]
    assert (retraction["message_id"], retraction["conversation_id"]) == ("lc-1", "late")
    assert retraction["contract_phase"] == "active"


def test_redelivered_input_gives_the_same_event_ids(pipeline: Pipeline) -> None:
    pipeline.start_worker()
    record = message("rd-1", "redeliver", f"call me: {PHONE}", T("09:00"))
    pipeline.send("messages", record)
    pipeline.send("messages", record)
    events = events_of(pipeline.outputs(lambda r: len(events_of(r)) >= 2))
    assert len(events) == 2
    assert events[0]["event_id"] == events[1]["event_id"]


def test_malformed_records_go_to_dead_letters(pipeline: Pipeline) -> None:
    pipeline.env["OPGUARD_MAX_RECORD_BYTES"] = "10000"
    pipeline.start_worker()
    good = [message(f"ok-{n}", f"dl-{n}", f"call me at {PHONE}", T("09:00")) for n in range(3)]
    pipeline.send("messages", good[0])
    pipeline.send("messages", b"not json {", key="dl-x")
    pipeline.send("messages", b"\xff\xfe\x00 not utf-8", key="dl-x")
    pipeline.send("messages", good[1])
    missing_text = {
        k: v for k, v in message("bad-1", "dl-x", "", T("09:00")).items() if k != "text"
    }
    pipeline.send("messages", missing_text)
    pipeline.send("messages", message("big", "dl-x", "x" * 20000, T("09:00")))
    pipeline.send("contract-events", b'{"event_id": "truncated', key="dl-x")
    pipeline.send("messages", good[2])
    records = pipeline.outputs(lambda r: len(r) >= 8)
    dead = [r["value"] for r in records if r["topic"].endswith("dead-letters")]
    assert sorted(d["reason"] for d in dead) == [
        "not_json",
        "not_json",
        "not_utf8",
        "oversized",
        "schema_mismatch",
    ]
    validator = jsonschema.Draft202012Validator(load_schema("dead-letters"))
    for letter in dead:
        validator.validate(letter)
        assert letter["source_topic"].startswith(pipeline.settings.topic_prefix)
        assert letter["offset"] >= 0
    assert {e["message_id"] for e in events_of(records)} == {"ok-0", "ok-1", "ok-2"}


def test_repeat_offender_and_warning_throttling(pipeline: Pipeline) -> None:
    pipeline.start_worker()
    for n in range(3):  # the default policy's threshold is 3 violations in a week
        pipeline.send(
            "messages",
            message(
                f"ro-{n}", f"ro-conv-{n}", f"text me at {PHONE}", T(f"09:0{n}"), sender="u-spammer"
            ),
        )
    for n in range(2):  # the same notice twice in one conversation: sent once
        pipeline.send(
            "messages",
            message(
                f"th-{n}",
                "throttle",
                "send me your whatsapp number",
                T(f"09:1{n}"),
                sender="u-asker",
            ),
        )
    records = pipeline.outputs(lambda r: len(events_of(r)) >= 5)
    time.sleep(2)
    events = events_of(pipeline.outputs(lambda r: len(events_of(r)) >= 5))
    repeat = [e for e in events if e["rule"] == "repeat_offender"]
    assert [e["message_id"] for e in repeat] == ["ro-2"]
    assert repeat[0]["severity"] == "critical"
    warnings = [e for e in events if e["type"] == "warning"]
    assert len(warnings) == 1
    assert records


def test_worker_killed_and_restarted_recovers_contract_state(pipeline: Pipeline) -> None:
    worker = pipeline.start_worker()
    pipeline.send("contract-events", contract("kr-e1", "kr-contract", "active", T("09:00")))
    _wait_for(
        lambda: (
            pipeline.metric(
                worker,
                "opguard_records_consumed_total",
                topic=pipeline.settings.topic("contract-events"),
            )
            >= 1
        ),
        what="the contract event",
    )
    time.sleep(4)  # past the commit interval (2.8 s): the changelog holds the timeline
    worker.kill()
    # Sent while no worker runs: judged after the restart, none missed.
    pipeline.send("messages", message("kr-1", "kr-contract", f"my number: {PHONE}", T("10:00")))
    pipeline.send("messages", message("kr-2", "kr-nocontract", f"my number: {PHONE}", T("10:00")))
    pipeline.start_worker()
    records = pipeline.outputs(lambda r: len(events_of(r)) >= 1)
    time.sleep(3)
    records = pipeline.outputs(lambda r: len(events_of(r)) >= 1)
    assert summary(records, "kr-nocontract") == {("kr-2", "violation", "contact_before_contract")}
    assert summary(records, "kr-contract") == set()  # recovered: sent under a contract


def test_redis_stopped_mid_run(pipeline: Pipeline, tmp_path: Path) -> None:
    port = free_port()

    def start() -> subprocess.Popen[bytes]:
        return start_redis(port)

    redis_process = start()
    pipeline.redis_url = f"redis://127.0.0.1:{port}/0"
    try:
        worker = pipeline.start_worker()
        pipeline.send("messages", message("rs-1", "rs-a", f"call {PHONE}", T("09:00")))
        pipeline.outputs(lambda r: len(events_of(r)) >= 1)
        redis_process.terminate()
        redis_process.wait(timeout=10)
        for n in range(2, 5):
            pipeline.send("messages", message(f"rs-{n}", f"rs-{n}", f"call {PHONE}", T("09:05")))
        records = pipeline.outputs(lambda r: len(events_of(r)) >= 4)
        assert {e["message_id"] for e in events_of(records)} >= {"rs-2", "rs-3", "rs-4"}
        assert pipeline.metric(worker, "opguard_redis_errors_total") >= 1
        # Redis is back: strikes count again, without restarting the worker.
        redis_process = start()
        time.sleep(2.5)  # the back-off after the last error
        # One conversation, so one partition: judged in this order (messages of several
        # partitions may reach a batch in any order, and the third judged crosses).
        for n in range(5, 8):
            pipeline.send(
                "messages",
                message(f"rs-{n}", "rs-back", f"call {PHONE}", T("09:10"), sender="u-back"),
            )
        records = pipeline.outputs(
            lambda r: any(e["rule"] == "repeat_offender" for e in events_of(r))
        )
        assert [e["message_id"] for e in events_of(records) if e["rule"] == "repeat_offender"] == [
            "rs-7"
        ]
    finally:
        redis_process.terminate()
        redis_process.wait(timeout=10)
