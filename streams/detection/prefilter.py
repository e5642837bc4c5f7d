"""A cheap first look that tells which (costlier) detectors a text needs.

Most marketplace messages hold no detail at all.  Each hint is a NECESSARY condition for
its detectors to find anything, checked with one or two compiled regular expressions
(C speed), so a text whose hint is off skips the detector, and the view it needs (digits
view, e-mail view, url view) is never built.  A hint may be on for a text that holds
nothing; it is never off for a text that holds something
(``tests/detection/test_prefilter.py`` checks that against running every detector).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from streams.detection.crypto import might_hold_crypto_address
from streams.detection.digits import (
    MIN_RUN_DIGITS,
    might_hold_spelled_digits,
    might_rewrite,
)
from streams.detection.emails import might_hold_email
from streams.detection.links import might_hold_link
from streams.detection.messaging import might_hold_skype_id
from streams.detection.normalize import NormalizedText
from streams.detection.payments import might_hold_card
from streams.detection.phones import might_hold_phone
from streams.detection.phrase_index import has_mixed_token

# Anchored, and each step takes the next digit: one linear pass.
_SEVEN_DIGITS = re.compile(rf"(?:[^0-9]*+[0-9]){{{MIN_RUN_DIGITS}}}")
# A cashtag: "$" then a letter (literal first: ``re`` skips ahead at C speed).
_CASHTAG_START = re.compile(r"\$[a-z]")
# An IBAN's two check digits after its two-letter country code (digits first, so ``re``
# skips ahead at C speed).
_IBAN_CHECK_DIGITS = re.compile(r"[0-9]{2}(?<=[a-z]{2}[0-9]{2})")


class Hints(NamedTuple):
    """Which detector families may find something in a text (a named tuple: one is
    made per message, and a frozen dataclass costs several times as much to make)."""

    digits: bool  # phones, cards: a candidate run of seven digits, or spelled digits
    iban: bool
    email: bool
    upi: bool
    cashtag: bool
    links: bool
    crypto: bool
    skype_id: bool

    @property
    def any(self) -> bool:
        return any(self)


def _might_hold_plain_number(folded: str) -> bool:
    """Seven digits are there: whether a phone or a card may be.  If the digits view
    rewrites nothing its text is ``folded``, where the detectors' own first looks
    (candidate runs and their context, card runs) can then be taken."""
    return might_rewrite(folded) or might_hold_card(folded) or might_hold_phone(folded)


def hints(norm: NormalizedText) -> Hints:
    """The detector families worth running on ``norm``."""
    folded, compact = norm.folded, norm.compact_text
    return Hints(
        digits=might_hold_spelled_digits(folded)
        or (_SEVEN_DIGITS.match(folded) is not None and _might_hold_plain_number(folded)),
        # Its check digits follow a letter: a mixed token (memoised, the spelled-digits
        # hint asks too).
        iban=has_mixed_token(compact) and _IBAN_CHECK_DIGITS.search(compact) is not None,
        email=might_hold_email(compact),
        upi="@" in compact,
        cashtag="$" in compact and _CASHTAG_START.search(compact) is not None,
        links=might_hold_link(compact),
        crypto=might_hold_crypto_address(norm.original),
        skype_id=might_hold_skype_id(compact),
    )
