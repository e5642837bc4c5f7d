"""Placeholder addresses of templates, docs and code are no one's e-mail."""

from __future__ import annotations

import pytest

from streams.detection.engine import detect


@pytest.mark.parametrize(
    ("text", "is_email"),
    [
        ("SMTP_USER=your-email@domain.com", False),
        ("W .env wpisz SMTP_USER=twoj-email@domena.com", False),
        ("w stopce daj kontakt@twojafirma.pl", False),
        ("contactblok: contact@jouwbedrijf.nl", False),
        ("iletişim kısmına info@firmaniz.com.tr yaz", False),
        ("regex phải match được a@b.co", False),
        ("zamień foo@bar.com na coś innego", False),
        ("form validation dapat tanggapin 'name@domain.ph'", False),
        # real addresses
        ("write me: deniz.kaya@gmail.com", True),
        ("mail me at tatiana@tatamotors.com", True),
        ("anna@sunrise-design.com", True),
    ],
)
def test_placeholder_addresses(text: str, is_email: bool) -> None:
    assert any(f.kind == "email" for f in detect(text, ["US"])) is is_email
