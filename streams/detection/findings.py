"""The one shape every detector returns."""

from __future__ import annotations

from dataclasses import dataclass

#: Contact details: sharing one before a contract is ``contact_before_contract``.
CONTACT_KINDS = frozenset(
    {"phone", "email", "messaging_handle", "messaging_link", "meeting_link", "social_profile"}
)
#: A payment account given for off-platform payment.
PAYMENT_KINDS = frozenset({"payment_account"})
#: What someone asks for or proposes, with no detail in it.
INTENT_KINDS = frozenset(
    {"contact_request", "off_platform_intent", "off_platform_payment", "personal_info_request"}
)
KINDS = CONTACT_KINDS | PAYMENT_KINDS | INTENT_KINDS


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing found in a message.

    ``start``/``end`` index the ORIGINAL text (not a normalised copy).  ``value`` is the
    normalised detail (E.164 phone, lower-case email, canonical URL, ``channel:handle``)
    or, for intent kinds, the canonical phrase that matched.  ``reason`` says why it
    matched, for audits and policy tuning.
    """

    kind: str
    start: int
    end: int
    value: str
    reason: str
