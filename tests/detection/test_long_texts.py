"""No part of a text escapes judgement because it is long: a contact planted after
pages of honest prose is found, up to the record size limit."""

from __future__ import annotations

import pytest

from streams.judge import judge
from streams.policy import default_policy

_PROSE = (
    "Thanks for the brief. I reviewed the milestones and the budget of 1,500 USD; the "
    "first draft of the landing page is due on 12/03 and I will share it here. "
)


@pytest.mark.parametrize("at", [6_000, 30_000, 120_000, 400_000])
@pytest.mark.parametrize(
    ("contact", "kind"),
    [
        ("whatsapp me on +1 917 482 0142", "phone"),
        ("write to jane.doe88 at gmail dot com", "email"),
        ("add me on telegram, handle @jane_design", "messaging_handle"),
    ],
)
def test_a_contact_after_pages_of_prose_is_found(at: int, contact: str, kind: str) -> None:
    text = (_PROSE * (at // len(_PROSE) + 1))[:at] + " " + contact + ". " + _PROSE
    judgement = judge(text, "none", default_policy())
    assert judgement.decision == "violation"
    found = [f for f in judgement.findings if f.kind == kind]
    assert found and all(f.start > at for f in found)


def test_honest_pages_stay_allowed() -> None:
    assert judge(_PROSE * 5_000, "none", default_policy()).decision == "allow"
