"""Runs every detector over one normalised text and merges what they find.

The prefilter's hints (``prefilter.py``) decide which detectors a text needs; the
channel scan is made once per message and shared by the detail and intent detectors.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from streams.detection.channels import ChannelMention, find_channel_mentions, find_in_folded
from streams.detection.crypto import find_crypto_addresses
from streams.detection.digits import digit_view
from streams.detection.emails import email_view, find_emails
from streams.detection.findings import Finding
from streams.detection.intents import detect_intents
from streams.detection.links import url_view
from streams.detection.meetings import find_meeting_links
from streams.detection.messaging import (
    find_messaging_handles,
    find_messaging_links,
    find_skype_ids,
)
from streams.detection.normalize import NormalizedText, normalize
from streams.detection.payments import (
    find_cards,
    find_cashtags,
    find_ibans,
    find_payment_handles,
    find_payment_links,
    find_upi_ids,
)
from streams.detection.phones import find_phones
from streams.detection.prefilter import hints
from streams.detection.social import find_social_handles, find_social_links


def detect_details(
    norm: NormalizedText,
    regions: Sequence[str],
    mentions: Sequence[ChannelMention] | None = None,
) -> list[Finding]:
    """Contact details and payment accounts (no intents), deduplicated, in text order.

    ``mentions`` are ``find_channel_mentions(norm)`` if the caller already has them.
    """
    hint = hints(norm)
    if mentions is None:
        mentions = find_channel_mentions(norm)
    # The handle detectors skip a channel named as what the work is about.
    mentions = [m for m in mentions if not m.work_topic]
    if not hint.any and not mentions:
        return []  # the prefilter proves there is nothing to find
    findings: list[Finding] = []
    phones: list[Finding] = []
    # Meeting links first: a digit run inside one is the meeting's id, not a phone.
    links = url_view(norm.compact) if hint.links else None
    meetings = [] if links is None else find_meeting_links(links)
    if hint.digits:
        digits = digit_view(norm)
        phones = find_phones(digits, regions, [(m.start, m.end) for m in meetings])
        findings += phones
        findings += find_cards(digits)
    if hint.iban:
        findings += find_ibans(norm.compact)
    emails: list[Finding] = []
    if hint.email:
        emails = find_emails(email_view(norm.compact))
        findings += emails
    if hint.upi:
        findings += find_upi_ids(norm.compact)
    if hint.cashtag:
        findings += find_cashtags(norm.compact)
    if links is not None:
        findings += find_messaging_links(links)
        findings += meetings
        findings += find_social_links(links)
        findings += find_payment_links(links)
    if hint.crypto:
        findings += find_crypto_addresses(norm.original)
    if mentions:
        view = norm.compact
        findings += find_messaging_handles(view, mentions, phones)
        findings += find_social_handles(view, mentions)
        findings += find_payment_handles(view, mentions, phones + emails)
    if hint.skype_id:
        findings += find_skype_ids(norm.compact)
    return dedup(findings)


def detect(text: str | NormalizedText, regions: Sequence[str]) -> list[Finding]:
    """Every finding in ``text``: details, payment accounts and intents.

    ``regions`` are the phone regions to try, most likely first (the sender's country,
    then the policy's list).
    """
    norm = text if isinstance(text, NormalizedText) else normalize(text)
    folded = find_in_folded(norm.folded)  # one channel scan for both detectors
    details = detect_details(norm, regions, find_channel_mentions(norm, folded))
    return dedup([*details, *detect_intents(norm, folded)])


def dedup(findings: Iterable[Finding]) -> list[Finding]:
    """Drop a finding overlapping a longer (or earlier) one of the same kind."""
    findings = list(findings)
    if len(findings) < 2:
        return findings
    if len({f.kind for f in findings}) == len(findings):
        # No two of one kind: nothing is dropped, and no two share a sort key.
        return sorted(findings, key=_position)
    return _drop_overlaps(findings)


def _drop_overlaps(findings: list[Finding]) -> list[Finding]:
    """:func:`dedup`'s full pass (what every list of two or more findings took)."""
    kept: list[Finding] = []
    ordered = sorted(findings, key=lambda f: (f.start, -(f.end - f.start), f.kind, f.value))
    for finding in sorted(ordered, key=lambda f: -(f.end - f.start)):
        if not any(
            k.kind == finding.kind and k.start < finding.end and finding.start < k.end for k in kept
        ):
            kept.append(finding)
    return sorted(kept, key=_position)


def _position(finding: Finding) -> tuple[int, int, str]:
    return finding.start, finding.end, finding.kind
