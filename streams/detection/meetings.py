"""Meeting links (Zoom, Google Meet, Teams, Calendly…).

The platform's own call links are allowed by the policy's ``allowed_meeting_links``,
applied after detection.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from streams.detection.findings import Finding
from streams.detection.links import URL_VIEW, find_links, link_patterns

_SUB = r"(?:[a-z0-9\-]{1,30}\.)?"
LINKS = "meeting_link"
PATTERNS = link_patterns(
    LINKS,
    [
        ("zoom", _SUB + r"zoom\.(?:us|com)/(?:j|my|w|s|wc/join)/[a-z0-9.\-_]{3,64}"),
        ("google_meet", r"meet\.google\.com/(?:lookup/)?[a-z0-9\-]{3,40}"),
        ("google_meet", r"g\.co/meet/[a-z0-9\-]{3,40}"),
        ("teams", r"teams\.microsoft\.com/l/meetup-join/[a-z0-9%.\-_~@:]{4,400}"),
        ("teams", r"teams\.live\.com/meet/[0-9]{6,20}"),
        ("calendly", r"calendly\.com/[a-z0-9.\-_]{2,64}(?:/[a-z0-9.\-_]{1,64})?"),
        ("cal_com", r"cal\.com/[a-z0-9.\-_]{2,64}(?:/[a-z0-9.\-_]{1,64})?"),
        ("whereby", r"whereby\.com/[a-z0-9\-_]{2,64}"),
        ("jitsi", r"meet\.jit\.si/[a-z0-9\-_]{2,64}"),
        ("webex", _SUB + r"webex\.com/(?:meet|join|[a-z0-9]{1,20}/j\.php)[a-z0-9/?=.\-_]{0,80}"),
        ("gotomeeting", r"(?:gotomeet\.me|global\.gotomeeting\.com/join)/[a-z0-9\-_]{2,64}"),
        ("skype", r"join\.skype\.com/[a-z0-9]{4,32}"),
    ],
)

if TYPE_CHECKING:
    from streams.detection.recognizer import Context


def analyze(ctx: Context) -> list[Finding]:
    """Meeting links in the url view, canonical URLs as values."""
    return [
        Finding("meeting_link", m.start, m.end, m.url, f"{m.channel} meeting link")
        for m in find_links(ctx.scan(URL_VIEW), LINKS, ctx.urls)
    ]
