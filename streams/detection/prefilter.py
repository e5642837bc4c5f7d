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
from dataclasses import dataclass

from streams.detection.crypto import might_hold_crypto_address
from streams.detection.digits import MIN_RUN_DIGITS, might_hold_spelled_digits
from streams.detection.emails import might_hold_email
from streams.detection.links import might_hold_link
from streams.detection.messaging import might_hold_skype_id
from streams.detection.normalize import NormalizedText

# Anchored, and each step takes the next digit: one linear pass.
_SEVEN_DIGITS = re.compile(rf"(?:[^0-9]*+[0-9]){{{MIN_RUN_DIGITS}}}")
# An IBAN's two check digits after its two-letter country code (digits first, so ``re``
# skips ahead at C speed).
_IBAN_CHECK_DIGITS = re.compile(r"[0-9]{2}(?<=[a-z]{2}[0-9]{2})")


@dataclass(frozen=True, slots=True)
class Hints:
    """Which detector families may find something in a text."""

    digits: bool  # phones, cards: seven digits, written or spelled
    iban: bool
    email: bool
    upi: bool
    cashtag: bool
    links: bool
    crypto: bool
    skype_id: bool

    @property
    def any(self) -> bool:
        return (
            self.digits
            or self.iban
            or self.email
            or self.upi
            or self.cashtag
            or self.links
            or self.crypto
            or self.skype_id
        )


def hints(norm: NormalizedText) -> Hints:
    """The detector families worth running on ``norm``."""
    folded, compact = norm.folded, norm.compact.text
    return Hints(
        digits=_SEVEN_DIGITS.match(folded) is not None or might_hold_spelled_digits(folded),
        iban=_IBAN_CHECK_DIGITS.search(compact) is not None,
        email=might_hold_email(compact),
        upi="@" in compact,
        cashtag="$" in compact,
        links=might_hold_link(compact),
        crypto=might_hold_crypto_address(norm.original),
        skype_id=might_hold_skype_id(compact),
    )
