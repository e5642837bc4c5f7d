"""Social profiles offered for contact: profile links, and a handle given right after a
social network's name ("my insta @john").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from streams.detection.channels import ChannelMention
from streams.detection.findings import Finding
from streams.detection.handles import at_handle_near, handle_after
from streams.detection.links import URL_VIEW, find_links, link_patterns
from streams.detection.normalize import View

LINKS = "social_profile"
PATTERNS = link_patterns(
    LINKS,
    [
        ("linkedin", r"(?:[a-z]{2}\.)?linkedin\.com/(?:in|pub)/[a-z0-9\-_%]{2,100}"),
        (
            "facebook",
            r"(?:facebook|fb)\.com/(?!groups/|events/|watch|share|sharer|help/|business/)"
            r"(?:profile\.php\?id=[0-9]{5,20}|[a-z0-9.]{3,64})",
        ),
        (
            "instagram",
            r"(?:instagram\.com|instagr\.am)/(?!p/|reel/|reels/|explore/)[a-z0-9._]{2,30}",
        ),
        ("twitter", r"(?:twitter|x)\.com/(?!i/|home|search|intent/)[a-z0-9_]{2,15}"),
        ("tiktok", r"tiktok\.com/@[a-z0-9._]{2,24}"),
        ("vk", r"vk\.com/[a-z0-9._]{3,32}"),
        ("threads", r"threads\.net/@[a-z0-9._]{2,30}"),
    ],
)

if TYPE_CHECKING:
    from streams.detection.recognizer import Context


def analyze_links(ctx: Context) -> list[Finding]:
    """Social profile links in the url view, canonical URLs as values."""
    return [
        Finding("social_profile", m.start, m.end, m.url, f"{m.channel} profile link")
        for m in find_links(ctx.scan(URL_VIEW), LINKS, ctx.urls)
    ]


def analyze_handles(ctx: Context) -> list[Finding]:
    return find_social_handles(ctx.norm.compact, ctx.mentions)


def find_social_handles(view: View, mentions: Sequence[ChannelMention]) -> list[Finding]:
    """A handle given right after a social network's name ("my insta @john")."""
    findings: list[Finding] = []
    for mention in mentions:
        if mention.kind != "social" or mention.work_topic or mention.channel == "snapchat":
            continue
        handle = handle_after(view, mention.end) or at_handle_near(view, mention.end)
        if handle is not None:
            start, end, name = handle
            findings.append(
                Finding(
                    "social_profile",
                    start,
                    end,
                    f"{mention.channel}:{name}",
                    f"{mention.channel} handle",
                )
            )
    return findings
