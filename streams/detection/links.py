"""Links to known hosts, written plainly or spaced out ("t . me / pm_john",
"zoom(.)us/j/123"), shared by the messaging, meeting, social and payment detectors.

Each detector passes a table of ``(channel, pattern)`` where ``pattern`` matches the host
and path with bounded repetitions only; the tables are matcher patterns (``matcher.py``)
on the url view.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from streams.detection.matcher import Candidates, Pattern
from streams.detection.normalize import View, rewrite

_SPACED_DOT = re.compile(
    r"(?<=[a-z0-9])(?:\s*[\[({]\s*(?:\.|dot)\s*[\])}]\s*|\s+(?:dot|punto|ponto|point)\s+"
    r"|\s+\.\s*|\.\s+(?=[a-z]{2,4}\s*/))(?=[a-z0-9])"
)
# ``(?<=[a-z0-9])\s*(?:/|\bslash\b)\s*(?=[a-z0-9@#~+$])`` with its first character (a
# space or "/": "slash" right after a letter has no word boundary) read first, so ``re``
# skips ahead at C speed.
_SPACED_SLASH = re.compile(
    r"[\s/](?<=[a-z0-9][\s/])(?:(?<=/)|(?<=\s)\s*(?:/|\bslash\b))\s*(?=[a-z0-9@#~+$])"
)


#: Cues of a link in the compact view: a scheme, a dot between a letter or digit and a
#: letter ("t.me", "zoom.us"), or a dot spelled or spaced out.
CUES = (
    "://",
    "skype:",
    r"[a-z0-9]\.[a-z]",
    r"[\[({]\s*(?:\.|dot)",
    r"\s(?:dot|punto|ponto|point)\s",
    r"\s\.|\.\s+[a-z]{2,4}\s*/",
)


def url_view(compact: View) -> View:
    """``compact`` with spelled or spaced dots and slashes closed up."""
    view = rewrite(compact, _SPACED_DOT, lambda _: ".")
    if "/" in view.text or "slash" in view.text:  # else _SPACED_SLASH cannot match
        view = rewrite(view, _SPACED_SLASH, lambda _: "/")
    return view


@dataclass(frozen=True, slots=True)
class LinkMatch:
    channel: str
    start: int  # in the original text
    end: int
    url: str  # canonical: https://host/path, lower case


#: The view the link patterns are matched on (``url_view`` of the compact view).
URL_VIEW = "url"


def link_patterns(group: str, entries: Sequence[tuple[str, str]]) -> list[Pattern]:
    """A detector's ``(channel, pattern)`` table as matcher patterns of ``group``: each
    host pattern with an optional scheme and "www.", whole (not inside a longer host)."""
    return [
        Pattern(
            rf"(?<![a-z0-9\-_.@/])(?:h[tx]{{2}}ps?://)?(?:www\.)?(?P<url>{pattern})(?![a-z0-9_\-])",
            group,
            URL_VIEW,
            channel,
        )
        for channel, pattern in entries
    ]


def find_links(candidates: Candidates, group: str, view: View) -> list[LinkMatch]:
    """The links of ``group`` in the scan ``candidates`` of the url view ``view``."""
    found: list[LinkMatch] = []
    for match in candidates.matches([group]):
        start, end = view.to_original(match.start, match.end)
        url = f"https://{match.group('url')}"
        found.append(LinkMatch(match.pattern.value, start, end, url))
    return found
