"""Crypto addresses with their checksums: Bitcoin (Base58Check and bech32/bech32m),
Ethereum (EIP-55 when mixed case) and TRON (Base58Check, 0x41 prefix).

Searched on the original text: these checksums are case-sensitive.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from streams.detection.findings import Finding

_BASE58 = "1-9A-HJ-NP-Za-km-z"
_BTC_BASE58 = re.compile(rf"(?<![0-9A-Za-z])[13][{_BASE58}]{{25,34}}(?![0-9A-Za-z])")
_BTC_BECH32 = re.compile(
    r"(?<![0-9A-Za-z])(?:bc1|BC1)[02-9ac-hj-np-zAC-HJ-NP-Z]{11,71}(?![0-9A-Za-z])"
)
_ETH = re.compile(r"(?<![0-9A-Za-z])0x[0-9a-fA-F]{40}(?![0-9A-Za-z])")
_TRON = re.compile(rf"(?<![0-9A-Za-z])T[{_BASE58}]{{33}}(?![0-9A-Za-z])")
#: Every address shape (cues of the recognizer, on the original text).
ADDRESSES = (_BTC_BASE58, _BTC_BECH32, _ETH, _TRON)
_BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_BECH32_CONSTANTS = (1, 0x2BC830A3)  # bech32, bech32m

if TYPE_CHECKING:
    from streams.detection.recognizer import Context


def _base58check_version(address: str) -> int | None:
    try:
        import base58  # imported on first address: most texts hold none (fast start)

        payload = base58.b58decode_check(address)
    except ValueError:
        return None
    return payload[0] if len(payload) == 21 else None


def _bech32_valid(address: str) -> bool:
    # Hand-written: BIP-173's reference checksum is a dozen lines and no maintained
    # PyPI package we already depend on provides it.
    address = address.lower()
    hrp, data = address[:2], address[3:]
    values = [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]
    values += [_BECH32_CHARSET.index(c) for c in data]
    checksum = 1
    for value in values:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for bit, generator in enumerate(
            (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
        ):
            if (top >> bit) & 1:
                checksum ^= generator
    return checksum in _BECH32_CONSTANTS


def _eth_valid(address: str) -> bool:
    digits = address[2:]
    if digits.islower() or digits.isupper() or digits.isdigit():
        return True  # no checksum to check
    from Crypto.Hash import keccak  # as base58

    digest = keccak.new(digest_bits=256, data=digits.lower().encode()).hexdigest()
    return all(
        (c.isupper() if int(h, 16) >= 8 else not c.isupper()) if c.isalpha() else True
        for c, h in zip(digits, digest, strict=False)
    )


def find_crypto_addresses(text: str) -> list[Finding]:
    """Checksum-valid crypto addresses in ``text`` (the original text)."""
    found: list[Finding] = []
    for m in _BTC_BASE58.finditer(text):
        if _base58check_version(m.group()) in (0, 5):
            found.append(
                Finding(
                    "payment_account", m.start(), m.end(), f"btc:{m.group()}", "bitcoin address"
                )
            )
    for m in _BTC_BECH32.finditer(text):
        if _bech32_valid(m.group()):
            found.append(
                Finding(
                    "payment_account",
                    m.start(),
                    m.end(),
                    f"btc:{m.group().lower()}",
                    "bitcoin address",
                )
            )
    for m in _ETH.finditer(text):
        if _eth_valid(m.group()):
            found.append(
                Finding(
                    "payment_account",
                    m.start(),
                    m.end(),
                    f"eth:{m.group().lower()}",
                    "ethereum address",
                )
            )
    for m in _TRON.finditer(text):
        if _base58check_version(m.group()) == 0x41:
            found.append(
                Finding("payment_account", m.start(), m.end(), f"tron:{m.group()}", "tron address")
            )
    return found


def analyze(ctx: Context) -> list[Finding]:
    return find_crypto_addresses(ctx.norm.original)
