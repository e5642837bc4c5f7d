import pytest

from streams.detection.redact import redact


@pytest.mark.parametrize(
    ("kind", "value", "redacted"),
    [
        ("phone", "+19174820142", "+1 917 ••• ••42"),
        ("email", "john.doe@gmail.com", "j•••@gmail.com"),
        ("messaging_link", "https://t.me/pm_john", "t.me/p•••"),
        ("messaging_handle", "telegram:@pm_john", "telegram:@p•••"),
        ("messaging_handle", "whatsapp:+19174820142", "whatsapp:+1 917 ••• ••42"),
        ("payment_account", "DE89370400440532013000", "DE89••••••••••••••••00"),
        ("contact_request", "what's your number", "what's your number"),
    ],
)
def test_redact(kind: str, value: str, redacted: str) -> None:
    assert redact(kind, value) == redacted
