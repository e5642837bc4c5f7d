"""A conversation's contract timeline, and its phase at any moment (pure).

Phases are sticky: once a conversation has had an ``active`` contract it never returns
to ``none`` or ``offered``; an offer that is declined or withdrawn before it became
active returns the conversation to ``none``.  With ``require_escrow_funded`` an
``active`` state counts only once escrow is funded.

Event time decides: ``phase_at(t)`` replays the events that occurred at or before
``t`` in ``occurred_at`` order, whatever order they arrived in.
"""

from __future__ import annotations

from dataclasses import dataclass

PHASES = ("none", "offered", "active", "paused", "ended")
CONTRACT_PHASES = frozenset({"active", "paused", "ended"})
#: A timeline keeps at most this many events; older ones fold into ``base_phase``.
MAX_EVENTS = 64


@dataclass(frozen=True, slots=True)
class ContractEvent:
    occurred_at: float  # seconds since the epoch
    event_id: str
    contract_id: str
    state: str  # offered | active | paused | ended | declined | withdrawn
    escrow_funded: bool = False


@dataclass(frozen=True, slots=True)
class Timeline:
    """The contract events of one conversation, sorted by (occurred_at, event_id).

    ``base_phase``/``base_active`` summarise events folded away to bound memory; they
    hold for any moment after ``base_until``.
    """

    events: tuple[ContractEvent, ...] = ()
    base_phase: str = "none"
    base_active: bool = False
    base_until: float = float("-inf")

    def with_event(self, event: ContractEvent) -> Timeline:
        """This timeline plus ``event`` (a redelivered event id changes nothing)."""
        if any(e.event_id == event.event_id for e in self.events):
            return self
        events = tuple(sorted((*self.events, event), key=lambda e: (e.occurred_at, e.event_id)))
        timeline = Timeline(events, self.base_phase, self.base_active, self.base_until)
        if len(events) > MAX_EVENTS:
            folded = events[: len(events) - MAX_EVENTS]
            phase, active = _replay(folded, self.base_phase, self.base_active, False)
            timeline = Timeline(events[len(folded) :], phase, active, folded[-1].occurred_at)
        return timeline

    def phase_at(self, moment: float, *, require_escrow_funded: bool = False) -> str:
        """The phase in force at ``moment`` (events at exactly ``moment`` count)."""
        earlier = tuple(e for e in self.events if e.occurred_at <= moment)
        phase, _ = _replay(earlier, self.base_phase, self.base_active, require_escrow_funded)
        return phase

    def current_phase(self, *, require_escrow_funded: bool = False) -> str:
        phase, _ = _replay(self.events, self.base_phase, self.base_active, require_escrow_funded)
        return phase


def _replay(
    events: tuple[ContractEvent, ...], phase: str, ever_active: bool, require_escrow: bool
) -> tuple[str, bool]:
    # Per contract, the latest state; the conversation's phase follows the contract
    # that changed last, except that after any active contract it never goes back.
    for event in events:
        state = event.state
        if state == "active" and require_escrow and not event.escrow_funded:
            state = "offered"  # running but unfunded: not yet a contract under this policy
        if state == "active":
            ever_active = True
            phase = "active"
        elif state in ("paused", "ended"):
            phase = state if ever_active else "none"
        elif state == "offered":
            phase = phase if ever_active else "offered"
        elif state in ("declined", "withdrawn"):
            phase = phase if ever_active else "none"
    return phase, ever_active


def to_record(timeline: Timeline) -> dict[str, object]:
    """A JSON-ready form for the changelog-backed table."""
    return {
        "events": [
            [e.occurred_at, e.event_id, e.contract_id, e.state, e.escrow_funded]
            for e in timeline.events
        ],
        "base": [
            timeline.base_phase,
            timeline.base_active,
            None if timeline.base_until == float("-inf") else timeline.base_until,
        ],
    }


def from_record(record: object) -> Timeline:
    if not isinstance(record, dict):
        return Timeline()
    events = tuple(
        ContractEvent(float(e[0]), str(e[1]), str(e[2]), str(e[3]), bool(e[4]))
        for e in record.get("events", [])
    )
    phase, active, until = record.get("base", ["none", False, None])
    return Timeline(
        events, str(phase), bool(active), float("-inf") if until is None else float(until)
    )
