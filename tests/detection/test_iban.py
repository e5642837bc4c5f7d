"""The IBAN check of ``payments.iban_is_valid`` against stdnum's: (number, expected)
tables, and every country of the registry with valid and broken numbers."""

import random
import re

import pytest
from stdnum import iban, numdb
from stdnum.util import get_cc_module

from streams.detection.payments import iban_is_valid

_BBAN_PART = re.compile(r"([1-9][0-9]*)!([nac])")
_CHARS = {"n": "0123456789", "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "c": "0123456789ABCDEFGHIJ"}


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("DE89370400440532013000", True),
        ("DE89370400440532013001", False),  # mod-97 fails
        ("DE8937040044053201300", False),  # a digit short
        ("GB29NWBK60161331926819", True),
        ("GB29NWBK6016133192681X", False),
        ("GB2960161331926819NWBK", False),  # mod-97 may hold, the structure does not
        ("BE71096123456769", True),  # a country stdnum checks further
        ("BE68539007547034", False),  # mod-97 holds, its own check does not
        ("ES9121000418450200051332", True),
        ("NO9386011117947", True),
        ("XX89370400440532013000", False),  # no such country
        ("D", False),
        ("", False),
        ("1234567890123456", False),
    ],
)
def test_known_numbers(number: str, expected: bool) -> None:
    assert iban.is_valid(number) is expected
    assert iban_is_valid(number) is expected


def _countries() -> list[tuple[str, str]]:
    return [
        (code, props["bban"])
        for code, props in ((p[1], p[3]) for p in numdb.get("iban").prefixes)
        if "bban" in props
    ]


def _numbers(code: str, structure: str, rng: random.Random) -> list[str]:
    bban = "".join(
        "".join(rng.choice(_CHARS[kind]) for _ in range(int(count)))
        for count, kind in _BBAN_PART.findall(structure)
    )
    check = iban.calc_check_digits(f"{code}00{bban}")
    valid = f"{code}{check}{bban}"
    wrong = str((int(check) + 1) % 100).zfill(2)
    swapped = bban[::-1]
    return [
        valid,
        f"{code}{wrong}{bban}",
        valid[:-1],
        valid + "7",
        f"{code}{iban.calc_check_digits(f'{code}00{swapped}')}{swapped}",  # structure?
        f"{code}{iban.calc_check_digits(f'{code}00{bban}0')}{bban}0",  # one too long
        f"{code}{check}{bban}".replace(code, code[::-1], 1),
    ]


@pytest.mark.parametrize(("code", "structure"), _countries())
def test_every_country_agrees_with_stdnum(code: str, structure: str) -> None:
    rng = random.Random(code)
    verdicts = []
    for _ in range(20):
        for number in _numbers(code, structure, rng):
            verdicts.append(iban.is_valid(number))
            assert iban_is_valid(number) is verdicts[-1], number
    assert not all(verdicts)
    # Both outcomes were compared (random numbers fail a country's own further check).
    assert any(verdicts) or get_cc_module(code.lower(), "iban") is not None
