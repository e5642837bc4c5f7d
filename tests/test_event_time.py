"""Event time decides (docs/POLICY.md, "Time"): no window, retention or decision of the
pure core depends on the wall clock, so a backfill gives the same decisions as live
processing.  The real-broker version is ``tests/integration/test_backfill.py``."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from streams.contract import to_record
from streams.models import MessageEvent, ViolationEvent, WarningEvent
from streams.pipeline import (
    FLAGGED_RETENTION_SECONDS,
    Batch,
    ConversationState,
    Judged,
    StateChanges,
    batch_outputs,
    contract_step,
    message_step,
    remember_flagged,
)
from streams.policy import default_policy
from streams.records import format_time, parse_time

POLICY = default_policy()
KEY = b"test-key"
STREAMS = Path(__file__).resolve().parents[1] / "streams"
DAY = 86400.0

#: The pure core: it takes time as an argument and never reads a clock.
PURE = [
    "pipeline.py",
    "contract.py",
    "claims.py",
    "events.py",
    "models.py",
    "records.py",
    "judge.py",
    "policy",
    "detection",
]
CLOCK_MODULES = {"time"}
CLOCK_CALLS = {"now", "utcnow", "today", "time", "monotonic", "perf_counter"}


def _pure_files() -> list[Path]:
    files: list[Path] = []
    for name in PURE:
        path = STREAMS / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def _clock_uses(path: Path) -> list[str]:
    uses = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            uses += [f"import {a.name}" for a in node.names if a.name in CLOCK_MODULES]
        elif isinstance(node, ast.ImportFrom) and node.module in CLOCK_MODULES:
            uses.append(f"from {node.module} import …")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in CLOCK_CALLS
        ):
            uses.append(f"{ast.unparse(node.func)}()")
    return uses


def test_the_pure_core_reads_no_clock() -> None:
    files = _pure_files()
    assert len(files) > 20  # the list above still names the core
    assert [
        f"{path.relative_to(STREAMS)}: {use}" for path in files for use in _clock_uses(path)
    ] == []


def test_the_clock_check_sees_a_clock(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import time\nfrom datetime import datetime\nx = datetime.now()\n")
    assert _clock_uses(sample) == ["import time", "datetime.now()"]


def _entry(event_id: str, days: float) -> dict[str, Any]:
    return {"event_id": event_id, "sent_at_epoch": parse_time("2019-03-01T00:00:00Z") + days * DAY}


# (case, remembered (event id, day sent), new ones, event ids kept)
RETENTION_CASES = [
    ("recent flags are kept", [("a", 0)], [("b", 1)], ["a", "b"]),
    ("a flag 30 days behind the newest is kept", [("a", 0)], [("b", 30)], ["a", "b"]),
    ("a flag over 30 days behind the newest is forgotten", [("a", 0)], [("b", 31)], ["b"]),
    ("an old flag arriving late is kept while within 30 days", [("b", 31)], [("a", 2)], ["b", "a"]),
    ("a redelivered flag is kept once", [("a", 0)], [("a", 0)], ["a"]),
]


@pytest.mark.parametrize(
    ("known", "new", "kept"),
    [case[1:] for case in RETENTION_CASES],
    ids=[case[0] for case in RETENTION_CASES],
)
def test_flag_retention_is_measured_in_event_time(
    known: list[tuple[str, float]], new: list[tuple[str, float]], kept: list[str]
) -> None:
    assert FLAGGED_RETENTION_SECONDS == 30 * DAY
    merged = remember_flagged([_entry(*e) for e in known], [_entry(*e) for e in new])
    assert [entry["event_id"] for entry in merged] == kept


def _event(mid: str, n: int, sent_at: float, sender: str, kind: str) -> MessageEvent:
    about = {
        "event_id": f"{mid}-{n}",
        "conversation_id": "c",
        "message_id": mid,
        "sender_id": sender,
        "sender_role": "client",
        "contract_phase": "none",
        "message_sent_at": format_time(sent_at),
        "detected_at": format_time(sent_at),
        "policy_version": POLICY.version,
        "severity": "high",
    }
    if kind == "violation":
        return ViolationEvent(rule="contact_before_contract", **about)
    return WarningEvent(
        rule="solicitation",
        recipient_id="u-other",
        recipient_role="freelancer",
        notice="keep_communication_on_platform",
        **about,
    )


def _judged(mid: str, sent_at: float, sender: str, *types: str) -> Judged:
    events = [_event(mid, n, sent_at, sender, kind) for n, kind in enumerate(types)]
    return Judged(
        mid.encode(), sent_at, events, [e for e in events if isinstance(e, ViolationEvent)]
    )


# (case, batch (message, sent at, event types), strike counts, notices allowed,
#  (message, rule) of what is produced)
BATCH_CASES = [
    (
        "the message whose strike reaches the threshold escalates",
        [("m1", 0, "violation"), ("m2", 1, "violation"), ("m3", 2, "violation")],
        [1, 2, 3],
        [],
        [
            ("m1", "contact_before_contract"),
            ("m2", "contact_before_contract"),
            ("m3", "contact_before_contract"),
            ("m3", "repeat_offender"),
        ],
    ),
    (
        "strikes are counted in event-time order, whatever order the batch holds",
        [("m3", 2, "violation"), ("m1", 0, "violation")],
        [1, 3],  # for m1 (sent first), then m3
        [],
        [
            ("m3", "contact_before_contract"),
            ("m3", "repeat_offender"),
            ("m1", "contact_before_contract"),
        ],
    ),
    (
        "no counts (Redis unavailable): no escalation",
        [("m1", 0, "violation")],
        None,
        [],
        [("m1", "contact_before_contract")],
    ),
    (
        "a held-back warning is dropped, the others go out",
        [("m1", 0, "warning"), ("m2", 5, "warning")],
        [],
        [True, False],
        [("m1", "solicitation")],
    ),
]


@pytest.mark.parametrize(
    ("batch", "counts", "allowed", "expected"),
    [case[1:] for case in BATCH_CASES],
    ids=[case[0] for case in BATCH_CASES],
)
def test_batch_outputs(
    batch: list[tuple[Any, ...]],
    counts: list[int] | None,
    allowed: list[bool],
    expected: list[tuple[str, str]],
) -> None:
    judged = Batch([_judged(mid, float(at), "u-1", *types) for mid, at, *types in batch])
    assert len(judged.strikes) == (len(counts) if counts is not None else 1)
    assert len(judged.notices) == len(allowed)
    out = batch_outputs(judged, counts, allowed, POLICY)
    assert [(o.event.message_id, o.event.rule) for o in out] == expected
    assert all(o.key == o.event.message_id.encode() for o in out)


# --- a backfill gives the same decisions as live processing ---------------------------

# (conversation, then records in arrival order: ("m", id, text, minutes) or
#  ("c", id, state, minutes)); minutes are relative to the replay's start.
CONVERSATIONS: list[tuple[str, list[tuple[str, str, str, float]]]] = [
    ("contact", [("m", "m1", "text me at +1 415 555 2671", 0)]),
    ("contract-first", [("c", "e1", "active", 0), ("m", "m1", "my number +1 415 555 2671", 1)]),
    (
        "late-contract-seconds",
        [("m", "m1", "mail me jon.harlow88@gmail.com", 1), ("c", "e1", "active", 0.9)],
    ),
    (
        "late-contract-weeks",
        [("m", "m1", "mail me jon.harlow88@gmail.com", 0), ("c", "e1", "active", -3 * 7 * 1440)],
    ),
    (
        "flag forgotten after 30 days",
        [
            ("m", "m1", "mail me jon.harlow88@gmail.com", 0),
            ("m", "m2", "or call +1 415 555 2671", 31 * 1440),
            ("c", "e1", "active", -1),
        ],
    ),
    (
        "payment-after-contract",
        [("c", "e1", "active", 0), ("m", "m1", "skip the fees, pay me via PayPal", 5)],
    ),
    ("split", [("m", "m1", "415", 0), ("m", "m2", "555", 0.5), ("m", "m3", "2671", 1)]),
]


def _apply(state: ConversationState, changes: StateChanges) -> ConversationState:
    """What the agent does between two steps: write the changes, read them back."""
    return ConversationState.from_tables(
        changes.contract if changes.contract is not None else to_record(state.timeline),
        changes.conversation if changes.conversation is not None else state.conversation,
        changes.flagged if changes.flagged is not None else state.flagged,
    )


def _replay(start: float) -> list[tuple[str, str, str, str]]:
    """Run the conversations through the pure steps with event times from ``start``;
    (conversation, message, type, rule) of what comes out."""
    out: list[tuple[str, str, str, str]] = []
    for conversation, records in CONVERSATIONS:
        state = ConversationState()
        for kind, rid, text, minutes in records:
            at = format_time(start + minutes * 60)
            if kind == "c":
                record = {
                    "event_id": rid,
                    "conversation_id": conversation,
                    "contract_id": "k",
                    "state": text,
                    "_epoch": parse_time(at),
                }
                contract = contract_step(record, state, POLICY, detected_at=0.0)
                state = _apply(state, contract.changes)
                out += [(conversation, e.message_id, e.type, e.rule) for e in contract.events]
                continue
            message = {
                "message_id": rid,
                "conversation_id": conversation,
                "sender_id": f"u-{conversation}",
                "sender_role": "client",
                "text": text,
                "sent_at": at,
                "_epoch": parse_time(at),
            }
            step = message_step(message, state, POLICY, key=KEY, detected_at=0.0, record_key=b"k")
            state = _apply(state, step.changes)
            events = step.judged.events if step.judged else []
            out += [(conversation, rid, e.type, e.rule) for e in events]
    return out


LIVE = parse_time("2026-11-21T09:00:00Z")
EXPECTED = [
    ("contact", "m1", "violation", "contact_before_contract"),
    ("late-contract-seconds", "m1", "violation", "contact_before_contract"),
    ("late-contract-seconds", "m1", "retraction", "contact_before_contract"),
    ("late-contract-weeks", "m1", "violation", "contact_before_contract"),
    ("late-contract-weeks", "m1", "retraction", "contact_before_contract"),
    ("flag forgotten after 30 days", "m1", "violation", "contact_before_contract"),
    ("flag forgotten after 30 days", "m2", "violation", "contact_before_contract"),
    ("flag forgotten after 30 days", "m2", "retraction", "contact_before_contract"),
    ("payment-after-contract", "m1", "violation", "off_platform_payment"),
    ("split", "m3", "violation", "contact_before_contract"),
]


def test_live_replay_gives_the_expected_decisions() -> None:
    assert _replay(LIVE) == EXPECTED


@pytest.mark.parametrize("days_old", [60, 400, 4000])
def test_a_backfill_gives_the_same_decisions(days_old: int) -> None:
    assert _replay(LIVE - days_old * DAY) == EXPECTED
