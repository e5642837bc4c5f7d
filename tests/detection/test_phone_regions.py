"""A region whose metadata cannot make a run of plain digits a valid number is skipped
before its (costly) ``PhoneNumberMatcher`` pass: the skip test is a necessary
condition, checked here against the matcher itself."""

from __future__ import annotations

import random

import phonenumbers
import pytest

from streams.bench.detector import generate
from streams.detection import phones as phones_module
from streams.detection.engine import context
from streams.detection.phones import _MAX_PLAIN_RUN, _may_match, find_phones
from streams.policy import default_policy

REGIONS = default_policy().phone_regions
# Prefixes that change how ``parse`` reads a run: IDD prefixes, country codes, national
# prefixes, the Russian "8", the Australian "14…0011".
PREFIXES = (
    "", "0", "00", "011", "001", "0011", "009", "0012", "1", "14", "1414", "183", "7",
    "8", "810", "90", "44", "91", "92", "63", "234", "55", "49", "33", "34", "52",
    "380", "61", "9", "3", "4", "5", "6",
)  # fmt: skip


def _matcher_finds(digits: str, region: str) -> bool:
    matches = phonenumbers.PhoneNumberMatcher(digits, region, leniency=phonenumbers.Leniency.VALID)
    return any(True for _ in matches)


def test_a_skipped_region_never_finds_a_number() -> None:
    rng = random.Random(7)
    skipped = 0
    for _ in range(800):
        size = rng.randint(7, _MAX_PLAIN_RUN)
        digits = rng.choice(PREFIXES) + "".join(rng.choices("0123456789", k=size))
        digits = digits[:_MAX_PLAIN_RUN]
        for region in REGIONS:
            if not _may_match(digits, region):
                skipped += 1
                assert not _matcher_finds(digits, region), (digits, region)
    assert skipped > 3000  # the test skips something


@pytest.mark.parametrize(
    ("digits", "region"),
    [
        ("2125551281", "US"),  # a valid US number
        ("02079460000", "GB"),  # national prefix 0
        ("442079460000", "GB"),  # the country code written without "+"
        ("00442079460000", "DE"),  # an IDD prefix: any country may follow
        ("9876543210", "IN"),
        ("89161234567", "RU"),  # national prefix 8
        ("0412345678", "AU"),
        ("11987654321", "BR"),  # a region with a prefix transform rule: never skipped
    ],
)
def test_a_region_that_finds_a_number_is_never_skipped(digits: str, region: str) -> None:
    assert _may_match(digits, region)
    if region != "BR":
        assert _matcher_finds(digits, region), (digits, region)


def test_phones_in_meeting_ids_are_the_same_with_and_without_skipping(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The bench's Zoom ids: valid in the US, in India, in Brazil… or nowhere.  Skipping
    # regions changes nothing about which region wins.
    texts = [t for t in generate(2000, 7) if "zoom.us/j/" in t]
    assert len(texts) > 40

    def phones() -> list[list[tuple[int, int, str]]]:
        return [
            [(f.start, f.end, f.value) for f in find_phones(context(t, ()).digits, REGIONS)]
            for t in texts
        ]

    skipping = phones()
    with monkeypatch.context() as patch:
        patch.setattr(phones_module, "_may_match", lambda digits, region: True)
        assert phones() == skipping
    assert any(skipping) and not all(skipping)
