"""What the words around a phone-shaped number or an address say it is (the lexicon
``phrases/number_context.yaml``; docs/POLICY.md, "Numbers").

- A *contact* cue anywhere in the message ("number", "ligue", "numaram", "📞"), or a
  channel named as a way to get in touch, says a number there is given to be called.
- An *honest* cue right before a number names it as something else: "UPC", "PO",
  "MST", "routing", "irsaliye no".
- A *placeholder* cue says the message is about sample data: "mockup", "seed data",
  "datos de prueba", "lorem ipsum".

Plain functions of the recognizer context; the phone and e-mail recognizers apply them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from streams.detection.channel_frames import cue_patterns
from streams.detection.matcher import Pattern

if TYPE_CHECKING:
    from streams.detection.recognizer import Context

__all__ = [
    "GROUP",
    "contact_cued",
    "honest_before",
    "owned",
    "patterns",
    "placeholder_near",
    "sample",
]

_LISTS = ("contact", "honest", "placeholder", "own")
GROUP = "numctx_{}".format
#: An honest cue names the number only this close before it ("EAN 4006381333931").
_HONEST_BEFORE = 24
#: A placeholder cue this close (either side) makes a plainly written detail sample
#: data ("the mockup shows john.doe@… and (555) 555-0123 on the contact card").
_PLACEHOLDER_NEAR = 120
#: A contact cue this close (either side) says a number is given to be called.
_CONTACT_NEAR = 80
#: The sender calls a detail theirs this close before it ("my number is", "benim").
_OWN_BEFORE = 40


def patterns() -> Iterator[Pattern]:
    """Every cue of ``number_context.yaml``, for the matcher (folded view)."""
    return cue_patterns("number_context.yaml", _LISTS, GROUP)


def _spans(ctx: Context, name: str) -> list[tuple[int, int]]:
    """Where the cues of list ``name`` are, in the ORIGINAL text."""
    return ctx.spans(GROUP(name))


def contact_cued(ctx: Context, start: int, end: int) -> bool:
    """Whether the message says the detail at ``[start, end)`` is a way to get in
    touch: a contact cue, or a channel (not a work topic) named, within
    ``_CONTACT_NEAR`` characters of it (in a chat message: anywhere; in a long page,
    the words around the number)."""
    low, high = start - _CONTACT_NEAR, end + _CONTACT_NEAR
    spans = [(m.start, m.end) for m in ctx.mentions] + _spans(ctx, "contact")
    return any(s < high and low < e for s, e in spans)


def honest_before(ctx: Context, start: int) -> bool:
    """Whether the nearest cue right before ``start`` (original offsets) names the
    number as a code, an order or an id, and no contact cue comes after it."""
    low = max(0, start - _HONEST_BEFORE)
    honest = [e for s, e in _spans(ctx, "honest") if low <= s and e <= start]
    if not honest:
        return False
    last = max(honest)
    return not any(last <= s and e <= start for s, e in _spans(ctx, "contact"))


def placeholder_near(ctx: Context, start: int, end: int) -> bool:
    """Whether a placeholder cue stands within ``_PLACEHOLDER_NEAR`` characters of
    ``[start, end)`` (original offsets)."""
    return any(
        s < end + _PLACEHOLDER_NEAR and start - _PLACEHOLDER_NEAR < e
        for s, e in _spans(ctx, "placeholder")
    )


def owned(ctx: Context, start: int) -> bool:
    """Whether the sender says, right before ``start``, that the detail is theirs."""
    low = max(0, start - _OWN_BEFORE)
    return any(low <= s and e <= start for s, e in _spans(ctx, "own"))


def sample(ctx: Context, start: int, end: int) -> bool:
    """Whether the detail at ``[start, end)`` stands in sample data (a placeholder cue
    near it) that its sender does not call theirs."""
    return placeholder_near(ctx, start, end) and not owned(ctx, start)
