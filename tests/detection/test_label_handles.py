"""Short labels before a detail ("tg: @name", "kik: name"), e-wallet names that are
everyday words, and Portuguese "no" (= "in the") read as a negation."""

import pytest

from streams.judge import judge
from streams.policy import default_policy

POLICY = default_policy()

# (text, contract phase, expected decision)
CASES = [
    ("tg: @mira_design", "none", "violation"),
    ("тг: @dev_ivanov", "none", "violation"),
    ("kik: sammyk_22", "none", "violation"),
    ("TG: 2026 targets are in the sheet", "none", "allow"),
    ("the kik drum sample needs more punch", "none", "allow"),
    ("bayar lewat DANA langsung aja, gak usah lewat platform", "none", "violation"),
    ("Dana will review the design tomorrow", "none", "allow"),
    (
        "Não precisa usar o Upwork, fale comigo no Telegram e você recebe o pagamento lá.",
        "none",
        "violation",
    ),
    ("let's hop on a quick zoom, I'll send you my personal link", "none", "warning"),
    ("I'll send you the Upwork meeting link", "none", "allow"),
]


@pytest.mark.parametrize(("text", "phase", "decision"), CASES)
def test_decision(text: str, phase: str, decision: str) -> None:
    assert judge(text, phase, POLICY).decision == decision
