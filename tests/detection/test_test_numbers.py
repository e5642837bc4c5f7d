"""Provider test numbers are no one's card or phone; real ones still are."""

from __future__ import annotations

import pytest

from streams.detection.engine import detect


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("test with 4242 4242 4242 4242, any future expiry, CVC 123", set()),
        ("sandbox card 4111-1111-1111-1111 works, 4000 0000 0000 0002 declines", set()),
        ("kartu test Midtrans: 4811 1111 1111 1114, exp 01/39", set()),
        ("Serverul e pe 185.53.88.0/22, Postgres asculta pe portul 5432", set()),  # CIDR
        ("use Twilio's test number +15005550006 in the sandbox", set()),
        ("pay to my card 4539 1488 0343 6467", {"payment_account"}),
        ("call me +1 917 482 3310", {"phone"}),
        # ranges reserved for fiction and examples (NANPA, Ofcom, ARCEP, ACMA)
        ("call me +1 917 555 0142", set()),
        ("ring 020 7946 0321 in the script", set()),
        ("the hero's mobile is 07700 900461", set()),
        ("appelle le 01 99 00 12 34 dans le film", set()),
    ],
)
def test_provider_test_numbers(text: str, kinds: set[str]) -> None:
    found = {f.kind for f in detect(text, ["US"])}
    assert found & {"payment_account", "phone"} == kinds
