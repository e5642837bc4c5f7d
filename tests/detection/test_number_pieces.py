"""A phone number given in pieces, the pieces named, in any language."""

from __future__ import annotations

import pytest

from streams.detection.engine import detect


@pytest.mark.parametrize(
    ("text", "country", "phone"),
    [
        ("text me, it's 917 then 482 then 33 10", "US", "+19174823310"),
        ("najpierw 601, potem 274, na końcu 538 — dzwoń po 17", "PL", "+48601274538"),
        ("kwanza 0722, halafu 419, mwisho 386", "KE", "+254722419386"),
        ("前三位158，中间四位6620，最后是3391", "CN", "+8615866203391"),
        ("mera no. nau aath do ek, teen chaar saat, chhe zero paanch", "IN", "+919821347605"),
        # not a phone: an address, a dimension, an id, prices, a list without words
        ("el servidor local corre en 127.0.0.1:3000", None, None),
        ("Resolution 3840×2160 at 60 fps, bitrate 45 Mbps.", None, None),
        ("Policy #POL-446-239-7781 covers the equipment.", None, None),
        ("first 3 rounds cost $200, then $450, last $1200", None, None),
    ],
)
def test_a_number_given_in_pieces(text: str, country: str | None, phone: str | None) -> None:
    regions = [r for r in (country, "US", "GB", "IN", "DE") if r]
    phones = {f.value for f in detect(text, regions) if f.kind == "phone"}
    assert phones == ({phone} if phone else set())
