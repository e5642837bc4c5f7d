"""Masks for finding values, for events and logs that must not carry the raw detail:
"+1 917 ••• ••42", "j•••@gmail.com", "t.me/p•••"."""

from __future__ import annotations

import phonenumbers

from streams.detection.findings import INTENT_KINDS

MASK = "•"


def _keep_ends(text: str, head: int, tail: int) -> str:
    if len(text) <= head + tail:
        return text[:1] + MASK * max(len(text) - 1, 3)
    return text[:head] + MASK * (len(text) - head - tail) + text[len(text) - tail :]


def _phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return _keep_ends(value, 3, 2)
    national = str(number.national_number)
    masked = national[:3] + " " + MASK * 3 + " " + MASK * 2 + national[-2:]
    return f"+{number.country_code} {masked}"


def _after_prefix(value: str, keep: int) -> str:
    if not value:
        return value
    lead = value[0] if value[0] in "@$" else ""
    rest = value[len(lead) :]
    return lead + rest[:keep] + MASK * 3 if rest else value


def redact(kind: str, value: str) -> str:
    """``value`` (a finding's normalised detail) with the identifying part masked."""
    if kind in INTENT_KINDS:
        return value
    if kind == "phone":
        return _phone(value)
    if kind == "email" and "@" in value:
        local, _, domain = value.partition("@")
        return f"{local[:1]}{MASK * 3}@{domain}"
    if value.startswith("https://"):
        host, _, path = value.removeprefix("https://").partition("/")
        return f"{host}/{_after_prefix(path, 1)}" if path else host
    channel, sep, handle = value.partition(":")
    if sep and channel.isalpha() and handle:
        if handle.startswith("+"):
            return f"{channel}:{_phone(handle)}"
        if "@" in handle[1:]:
            return f"{channel}:{redact('email', handle)}"
        return f"{channel}:{_after_prefix(handle, 1)}"
    return _keep_ends(value, 4, 2)
