import json

import pytest

from streams.judge import judge
from streams.policy import default_policy
from streams.scan import scan_jsonl, verdict_text


def test_verdict_text_is_readable() -> None:
    text = "call me on +1 917 482 0142"
    verdict = verdict_text(text, judge(text, "none", default_policy()))
    assert verdict.startswith("VIOLATION")
    assert "contact_before_contract" in verdict
    assert "+19174820142" in verdict


def test_scan_jsonl_writes_one_line_per_input_in_order() -> None:
    lines = [
        json.dumps({"id": "a", "text": "call me on +1 917 482 0142"}),
        json.dumps({"id": "b", "text": "call me on +1 917 482 0142", "contract": "active"}),
        "not json",
        json.dumps({"id": "c", "text": 5}),
        json.dumps({"id": "d", "text": "hi", "contract": "signed"}),
        "",
        json.dumps({"id": "e", "text": "mail jordan.hale@gmail.com", "sender_country": "GB"}),
    ]
    out = [json.loads(line) for line in scan_jsonl(lines, default_policy())]
    assert [o["id"] for o in out] == ["a", "b", None, "c", "d", "e"]
    assert out[0] == {
        "id": "a",
        "decision": "violation",
        "rules": ["contact_before_contract"],
        "findings": [{"kind": "phone", "start": 11, "end": 26, "value": "+19174820142"}],
    }
    assert out[1]["decision"] == "allow"
    assert "error" in out[2] and "error" in out[3] and "contract" in out[4]["error"]
    assert out[5]["findings"][0]["value"] == "jordan.hale@gmail.com"


# (case, text): a contact detail anywhere in a long text is found
LONG_TEXTS = [
    ("after 5,000 characters of prose", "Dear client, " * 400 + "whatsapp me on +1 917 482 0142"),
    ("after 100,000 characters", "a" * 100_000 + " mail me at jon.harlow88@gmail.com"),
    ("across a window boundary", "b " * 2_480 + "call me: +1 917 482 0142 " + "c " * 3000),
]


@pytest.mark.parametrize("text", [case[1] for case in LONG_TEXTS], ids=[c[0] for c in LONG_TEXTS])
def test_a_long_text_is_judged_whole(text: str) -> None:
    (out,) = scan_jsonl([json.dumps({"id": "x", "text": text})], default_policy())
    record = json.loads(out)
    assert record["decision"] == "violation"
    details = [f for f in record["findings"] if f["kind"] in ("phone", "email")]
    assert details and all(0 < f["start"] < f["end"] <= len(text) for f in details)
