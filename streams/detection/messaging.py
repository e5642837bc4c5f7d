"""Messaging handles and links (WhatsApp, Telegram, Signal, Skype, Discord, WeChat,
Viber, LINE, Snapchat, Messenger…).

A handle is the identifier given right after a channel's name, or a phone number next
to a messaging app's name ("whatsapp me on +1…": the phone is also a ``phone``).  A
channel's name alone is not a detail (the intents detector handles "let's continue on
WhatsApp"), and a name used as the work's topic ("a Telegram bot") is skipped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from streams.detection.channels import ChannelMention
from streams.detection.findings import Finding
from streams.detection.handles import at_handle_near, handle_after, handle_before
from streams.detection.links import URL_VIEW, find_links, link_patterns
from streams.detection.normalize import View

LINKS = "messaging_link"
PATTERNS = link_patterns(
    LINKS,
    [
        ("telegram", r"(?:t|telegram)\.(?:me|dog)/(?:joinchat/|\+)?[a-z0-9_\-]{3,64}"),
        ("telegram", r"tg://resolve\?domain=[a-z0-9_]{3,64}"),
        ("whatsapp", r"wa\.me/\+?[0-9]{6,15}"),
        ("whatsapp", r"(?:api\.)?whatsapp\.com/send/?\?phone=\+?[0-9]{6,15}"),
        ("whatsapp", r"chat\.whatsapp\.com/(?:invite/)?[a-z0-9]{6,40}"),
        ("whatsapp", r"wa\.link/[a-z0-9]{4,20}"),
        ("discord", r"discord(?:app)?\.(?:gg|com/invite)/[a-z0-9\-]{2,32}"),
        ("discord", r"discord(?:app)?\.com/users/[0-9]{6,20}"),
        ("signal", r"signal\.me/#[a-z]{1,3}/[a-z0-9+/=_\-]{4,200}"),
        ("signal", r"signal\.group/#[a-z0-9+/=_\-]{4,200}"),
        ("skype", r"skype:[a-z0-9._:\-]{3,64}\?(?:call|chat|add)"),
        ("viber", r"invite\.viber\.com/\?g2?=[a-z0-9_\-]{4,64}"),
        ("viber", r"viber://(?:chat|add|contact)\?number=(?:%2b|\+)?[0-9]{6,15}"),
        ("line", r"line\.me/(?:r/)?ti/p/[~@%a-z0-9_\-]{3,64}"),
        ("line", r"lin\.ee/[a-z0-9_\-]{3,32}"),
        ("wechat", r"u\.wechat\.com/[a-z0-9_\-]{4,64}"),
        ("wechat", r"weixin\.qq\.com/r/[a-z0-9_\-]{4,64}"),
        ("snapchat", r"snapchat\.com/add/[a-z0-9._\-]{3,32}"),
        ("messenger", r"(?:m\.me|messenger\.com/t)/[a-z0-9._\-]{3,64}"),
        ("instagram", r"ig\.me/m/[a-z0-9._]{2,30}"),
        ("kik", r"kik\.me/[a-z0-9._]{2,30}"),
    ],
)
# A Skype name needs no channel word: "live:" ids are Skype's alone.
_SKYPE_LIVE = re.compile(r"(?<![a-z0-9])live:(?:\.cid\.[0-9a-f]{8,20}|[a-z][a-z0-9._\-]{2,63})")
# Chat apps the channel lexicon files under "social"; a handle there is a chat handle.
CHAT_APPS_LISTED_AS_SOCIAL = frozenset({"snapchat"})
_PHONE_WINDOW_AFTER = 40
_PHONE_WINDOW_BEFORE = 25

if TYPE_CHECKING:
    from streams.detection.recognizer import Context


def analyze_links(ctx: Context) -> list[Finding]:
    """Messaging links in the url view, canonical URLs as values."""
    return [
        Finding("messaging_link", m.start, m.end, m.url, f"{m.channel} link")
        for m in find_links(ctx.scan(URL_VIEW), LINKS, ctx.urls)
    ]


def analyze_handles(ctx: Context) -> list[Finding]:
    return find_messaging_handles(ctx.norm.compact, ctx.mentions, ctx.found_of("phone"))


#: Cue of a Skype id on the compact view.
SKYPE_CUE = "live:"


def analyze_skype(ctx: Context) -> list[Finding]:
    return find_skype_ids(ctx.norm.compact)


def find_messaging_handles(
    view: View, mentions: Sequence[ChannelMention], phones: Sequence[Finding]
) -> list[Finding]:
    """Handles given after a messaging channel's name, and phones next to one (Skype
    "live:" ids need no name: :func:`find_skype_ids`)."""
    findings: list[Finding] = []
    for mention in mentions:
        if mention.work_topic or not (
            mention.kind == "messaging" or mention.channel in CHAT_APPS_LISTED_AS_SOCIAL
        ):
            continue
        near = [
            p
            for p in phones
            if mention.end <= p.start <= mention.end + _PHONE_WINDOW_AFTER
            or mention.start - _PHONE_WINDOW_BEFORE <= p.end <= mention.start
        ]
        for phone in near:
            findings.append(
                Finding(
                    "messaging_handle",
                    phone.start,
                    phone.end,
                    f"{mention.channel}:{phone.value}",
                    f"phone number given for {mention.channel}",
                )
            )
        handle = (
            None
            if near
            else handle_after(view, mention.end)
            or handle_before(view, mention.start)
            or at_handle_near(view, mention.end)
        )
        if handle is not None:
            start, end, name = handle
            findings.append(
                Finding(
                    "messaging_handle",
                    start,
                    end,
                    f"{mention.channel}:{name}",
                    f"{mention.channel} handle",
                )
            )
    return findings


def find_skype_ids(view: View) -> list[Finding]:
    """Skype "live:" ids in ``view`` (the compact view), with or without a channel word."""
    findings: list[Finding] = []
    for match in _SKYPE_LIVE.finditer(view.text):
        start, end = view.to_original(match.start(), match.end())
        findings.append(
            Finding("messaging_handle", start, end, f"skype:{match.group()}", "skype id")
        )
    return findings
