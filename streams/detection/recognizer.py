"""What every recognizer sees (:class:`Context`) and is (:class:`Recognizer`).

A recognizer is one small module with one signature, ``analyze(ctx) -> findings``,
listed once in ``registry.py``.  The context holds one message: its text views with
their offset maps, the matcher's candidates per view (each view scanned once, on first
need) and the findings of the recognizers that ran before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from streams.detection.channels import (
    ChannelMention,
    FoldedMention,
    find_channel_mentions,
    find_in_folded,
)
from streams.detection.digits import SPELLED_CUE, digit_view
from streams.detection.emails import email_view
from streams.detection.findings import Finding
from streams.detection.links import url_view
from streams.detection.matcher import Candidates, Matcher
from streams.detection.normalize import NormalizedText, View

__all__ = ["Context", "Recognizer"]


@dataclass(frozen=True, slots=True)
class Recognizer:
    """``analyze`` runs only if one of the matcher groups ``cues`` fired (none: always)."""

    name: str
    analyze: Callable[[Context], list[Finding]]
    cues: tuple[str, ...] = ()


@dataclass
class Context:
    """One message as the recognizers see it."""

    norm: NormalizedText
    regions: Sequence[str]
    matcher: Matcher
    #: Group -> view of the matcher's patterns (which view a cue is scanned on).
    views: dict[str, str]
    found: list[Finding] = field(default_factory=list)
    _scans: dict[str, Candidates] = field(default_factory=dict, repr=False)
    _spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict, repr=False)

    def scan(self, view: str) -> Candidates:
        """The matcher's candidates on ``view`` (scanned once)."""
        if view not in self._scans:
            self._scans[view] = self.matcher.scan(view, self.text_of(view))
        return self._scans[view]

    def text_of(self, view: str) -> str:
        if view == "folded":
            return self.norm.folded
        if view == "compact":
            return self.norm.compact_text
        if view == "original":
            return self.norm.original
        if view == "url":
            return self.urls.text
        raise ValueError(f"no text for view {view!r}")

    def fired(self, cues: Iterable[str]) -> bool:
        return any(self.scan(self.views[cue]).fired(cue) for cue in cues)

    def spans(self, group: str) -> list[tuple[int, int]]:
        """Where the matches of ``group`` (a folded-view group) are, in the ORIGINAL
        text; verified once per message."""
        if group not in self._spans:
            matches = self.scan("folded").matches([group])
            self._spans[group] = [self.norm.to_original(m.start, m.end) for m in matches]
        return self._spans[group]

    def found_of(self, *kinds: str) -> list[Finding]:
        return [f for f in self.found if f.kind in kinds]

    @cached_property
    def folded_mentions(self) -> list[FoldedMention]:
        """Channel names in the folded view (work topics included)."""
        return find_in_folded(self.scan("folded"))

    @cached_property
    def channel_mentions(self) -> list[ChannelMention]:
        """Channel names (work topics included) with offsets in the original text."""
        return find_channel_mentions(self.norm, self.folded_mentions)

    @cached_property
    def mentions(self) -> list[ChannelMention]:
        """Channel names offered as a way to get in touch (not as a work topic)."""
        return [m for m in self.channel_mentions if not m.work_topic]

    @cached_property
    def digits(self) -> View:
        """The digits view (spelled and disguised digits as digits)."""
        return digit_view(self.norm, self.scan("folded").fired(SPELLED_CUE))

    @cached_property
    def emails(self) -> View:
        return email_view(self.norm.compact)

    @cached_property
    def urls(self) -> View:
        return url_view(self.norm.compact)
