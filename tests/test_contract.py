"""The contract phase of a conversation at a moment, from its events (docs/POLICY.md)."""

from __future__ import annotations

import pytest

from streams.contract import MAX_EVENTS, ContractEvent, Timeline, from_record, to_record

H = 3600.0


def timeline(*events: tuple[float, str] | tuple[float, str, bool]) -> Timeline:
    result = Timeline()
    for n, (at, state, *funded) in enumerate(events):
        result = result.with_event(
            ContractEvent(at, f"e{n}", "k1", state, bool(funded and funded[0]))
        )
    return result


# (events as (hour, state), moment in hours, expected phase)
CASES = [
    ((), 10, "none"),
    (((9, "offered"),), 10, "offered"),
    (((9, "offered"),), 8, "none"),  # before the offer
    (((9, "offered"), (9.5, "active")), 10, "active"),
    (((9, "offered"), (9.5, "declined")), 10, "none"),  # declined before active: back to none
    (((9, "offered"), (9.5, "withdrawn")), 10, "none"),
    (((9, "active"), (9.5, "paused")), 10, "paused"),
    (((9, "active"), (9.5, "ended")), 10, "ended"),
    (((9, "active"), (9.5, "ended"), (9.7, "offered")), 10, "ended"),  # sticky after a contract
    (((9, "active"), (9.5, "ended"), (9.7, "declined")), 10, "ended"),
    (((9, "active"), (9.5, "ended")), 9.2, "active"),  # event time decides
    (((9, "ended"),), 10, "none"),  # ended without ever being active
    (((10, "active"),), 10, "active"),  # an event at exactly the moment counts
]


@pytest.mark.parametrize(("events", "hour", "phase"), CASES)
def test_phase_at(events: tuple[tuple[float, str], ...], hour: float, phase: str) -> None:
    built = timeline(*((h * H, s) for h, s in events))
    assert built.phase_at(hour * H) == phase


def test_arrival_order_does_not_matter() -> None:
    forward = timeline((9 * H, "offered"), (10 * H, "active"), (11 * H, "ended"))
    backward = Timeline()
    for n, (at, state) in reversed(
        list(enumerate([(9 * H, "offered"), (10 * H, "active"), (11 * H, "ended")]))
    ):
        backward = backward.with_event(ContractEvent(at, f"e{n}", "k1", state))
    assert [forward.phase_at(h * H) for h in range(8, 13)] == [
        backward.phase_at(h * H) for h in range(8, 13)
    ]


@pytest.mark.parametrize(("funded", "phase"), [(False, "offered"), (True, "active")])
def test_require_escrow_funded(funded: bool, phase: str) -> None:
    built = timeline((9 * H, "offered"), (9.5 * H, "active", funded))
    assert built.phase_at(10 * H, require_escrow_funded=True) == phase
    assert built.phase_at(10 * H) == "active"


def test_redelivered_event_changes_nothing() -> None:
    once = timeline((9 * H, "active"))
    assert once.with_event(ContractEvent(9 * H, "e0", "k1", "active")) is once


def test_timeline_is_bounded_and_round_trips() -> None:
    built = Timeline()
    for n in range(MAX_EVENTS + 10):
        built = built.with_event(
            ContractEvent(n * H, f"e{n}", "k1", "active" if n == 0 else "paused")
        )
    assert len(built.events) == MAX_EVENTS
    assert built.current_phase() == "paused"
    assert from_record(to_record(built)) == built
