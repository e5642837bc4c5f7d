"""Every recognizer, in the order they run, and the one matcher built from every
lexicon pattern and cue (adding a recognizer: its module plus one line here).

A recognizer runs only if one of its cues fired: a cue is a matcher pattern that every
text it can find something in matches (a necessary condition, checked against running
every recognizer on the corpus in ``tests/detection/test_registry.py``).  Order matters
only where a recognizer reads what another found: meeting links before phones (a digit
run in a meeting link is its id), phones and e-mails before handles.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

import num2words

from streams.detection import (
    channel_frames,
    channels,
    crypto,
    detail_context,
    digits,
    email_assembly,
    emails,
    intents,
    links,
    meetings,
    messaging,
    number_pieces,
    payments,
    personal_data,
    phones,
    platform_exit,
    reimbursement,
    social,
)
from streams.detection.matcher import Matcher, Pattern
from streams.detection.recognizer import Recognizer

__all__ = ["INTENT_RECOGNIZERS", "RECOGNIZERS", "matcher", "views"]

_DIGITS = (digits.DIGITS_CUE, digits.SPELLED_CUE)
_LINKS = ("link",)
_CHANNELS = (channels.GROUP,)

RECOGNIZERS = (
    Recognizer("meeting_links", meetings.analyze, _LINKS),
    Recognizer("phones", phones.analyze, _DIGITS),
    Recognizer("number_pieces", number_pieces.analyze, _DIGITS),
    Recognizer("cards", payments.analyze_cards, _DIGITS),
    Recognizer("ibans", payments.analyze_ibans, ("iban",)),
    Recognizer("emails", emails.analyze, ("email",)),
    Recognizer("email_assemblies", email_assembly.analyze, email_assembly.CUES),
    Recognizer("upi_ids", payments.analyze_upi_ids, ("upi",)),
    Recognizer("cashtags", payments.analyze_cashtags, ("cashtag",)),
    Recognizer("messaging_links", messaging.analyze_links, _LINKS),
    Recognizer("social_links", social.analyze_links, _LINKS),
    Recognizer("payment_links", payments.analyze_links, _LINKS),
    Recognizer("crypto_addresses", crypto.analyze, ("crypto",)),
    Recognizer("messaging_handles", messaging.analyze_handles, _CHANNELS),
    Recognizer("social_handles", social.analyze_handles, _CHANNELS),
    Recognizer("payment_handles", payments.analyze_handles, _CHANNELS),
    Recognizer("skype_ids", messaging.analyze_skype, ("skype",)),
)
#: What the message asks or proposes (intent kinds), after the details: the phrase files
#: (``intents.py``, run by the engine on the marked view) and channel × frame.
INTENT_RECOGNIZERS = (
    Recognizer("channel_frames", channel_frames.analyze, _CHANNELS),
    Recognizer("payment_frames", channel_frames.analyze_payment, ("frame_outside",)),
    Recognizer("personal_data", personal_data.analyze, (personal_data.ITEM,)),
    Recognizer("platform_exit", platform_exit.analyze, platform_exit.CUES),
    Recognizer("reimbursement", reimbursement.analyze, reimbursement.CUES),
)


def _cues() -> Iterator[Pattern]:
    for regex in links.CUES:
        yield Pattern(regex, "link", "compact", cue=True)
    for regex in emails.CUES:
        yield Pattern(regex, "email", "compact", cue=True)
    yield Pattern(payments.IBAN.pattern, "iban", "compact", cue=True)
    yield Pattern("@", "upi", "compact", cue=True)
    yield Pattern(payments.CASHTAG.pattern, "cashtag", "compact", cue=True)
    yield Pattern(messaging.SKYPE_CUE, "skype", "compact", cue=True)
    for address in crypto.ADDRESSES:
        yield Pattern(address.pattern, "crypto", "original", cue=True)


def _patterns() -> Iterator[Pattern]:
    yield from channels.patterns()
    yield from intents.patterns()
    yield from digits.patterns()
    yield from channel_frames.patterns()
    yield from personal_data.patterns()
    yield from platform_exit.patterns()
    yield from detail_context.patterns()
    yield from email_assembly.patterns()
    yield from reimbursement.patterns()
    yield from _cues()
    for module in (meetings, messaging, social, payments):
        yield from module.PATTERNS


def _sources() -> list[Path]:
    """What the patterns are made of: the lexicon files, the code reading them, and
    num2words' language modules (the number words of number_words.py)."""
    here = Path(__file__).parent
    spelled = Path(num2words.__file__).parent
    return [*here.glob("*.py"), *(here / "phrases").glob("*.yaml"), *spelled.glob("lang_*.py")]


@cache
def matcher() -> Matcher:
    """The one matcher (built, or loaded from its cache, on first use)."""
    return Matcher.cached(_patterns, _sources())


@cache
def views() -> dict[str, str]:
    """Matcher group -> the view its patterns are matched on."""
    return {p.group: p.view for p in matcher().patterns}


if __name__ == "__main__":  # `python -m streams.detection.registry`: build the cache now
    print(f"matcher: {len(matcher().patterns)} patterns compiled and cached")
