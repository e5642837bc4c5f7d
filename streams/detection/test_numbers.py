"""Provider test numbers (``phrases/test_numbers.yaml``): a card or a phone number that a
payment or telephony provider publishes for testing is no one's account or phone."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml

__all__ = ["is_test_card", "is_test_phone"]


@cache
def _lists() -> tuple[frozenset[str], tuple[str, ...], re.Pattern[str]]:
    text = resources.files("streams.detection.phrases").joinpath("test_numbers.yaml").read_text()
    data = yaml.safe_load(text)
    fictional = re.compile("|".join(f"(?:{p})" for p in data["fictional_phones"]))
    return frozenset(map(str, data["cards"])), tuple(map(str, data["phone_prefixes"])), fictional


def is_test_card(digits: str) -> bool:
    return digits in _lists()[0]


def is_test_phone(e164: str) -> bool:
    """A provider's test number or a range reserved for fiction and examples."""
    _cards, prefixes, fictional = _lists()
    return e164.startswith(prefixes) or fictional.fullmatch(e164) is not None
