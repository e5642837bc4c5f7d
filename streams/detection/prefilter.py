"""A cheap first look that tells which (costlier) detectors a text needs.

Most marketplace messages hold no detail at all; a few substring and short regex
checks let them skip the phone matcher, the link tables and the e-mail rewriting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from streams.detection.digits import MIN_RUN_DIGITS, number_word_count
from streams.detection.normalize import NormalizedText

_DIGIT = re.compile(r"[0-9]")
_AT = re.compile(r"@|\b[aä]t\b|arroba|собака|sobaka|arobase|klammeraffe")
_LINK = re.compile(
    r"(?:\.|\bdot\b|\bslash\b|[\[(]\.?[\])]|/)\s{0,2}(?:me|com|us|gg|link|ee|app|net|group|am|"
    r"im|click|co|si|dog|ru|in|ti|add|u|j|my|t|m|l|r|meet)\b|://|\blive:|\bskype:"
)
_CRYPTO = re.compile(r"(?<![0-9A-Za-z])(?:[13T][1-9A-HJ-NP-Za-km-z]{25}|bc1|BC1|0x[0-9a-fA-F]{40})")
_HANDLE_HINT = re.compile(r"[@$:#_0-9]|\b(?:live|is|es|ist|tag|id|username|name|como|ник)\b")
_IBAN_START = re.compile(r"(?<![a-z0-9])[a-z]{2}[0-9]{2}")


@dataclass(frozen=True, slots=True)
class Hints:
    """Which detector families may find something in a text."""

    digits: bool  # phones, cards: a run of seven or more digits may be written
    iban: bool
    email: bool
    links: bool
    crypto: bool
    handles: bool  # something a handle could be made of, after a channel's name


def hints(norm: NormalizedText) -> Hints:
    text = norm.compact.text
    digits = len(_DIGIT.findall(norm.folded))
    if digits < MIN_RUN_DIGITS:
        digits += number_word_count(norm.folded)
    many = digits >= MIN_RUN_DIGITS
    return Hints(
        digits=many,
        iban=many and _IBAN_START.search(text) is not None,
        email="@" in text or _AT.search(norm.folded) is not None,
        links=_LINK.search(text) is not None,
        crypto=_CRYPTO.search(norm.original) is not None,
        handles=_HANDLE_HINT.search(text) is not None,
    )
