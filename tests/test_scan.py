import json

import pytest

from streams.judge import judge
from streams.policy import default_policy
from streams.scan import scan_jsonl, verdict_text


def test_verdict_text_is_readable() -> None:
    text = "call me on +1 917 555 0142"
    verdict = verdict_text(text, judge(text, "none", default_policy()))
    assert verdict.startswith("VIOLATION")
    assert "contact_before_contract" in verdict
    assert "+19175550142" in verdict


def test_scan_jsonl_writes_one_line_per_input_in_order() -> None:
    lines = [
        json.dumps({"id": "a", "text": "call me on +1 917 555 0142"}),
        json.dumps({"id": "b", "text": "call me on +1 917 555 0142", "contract": "active"}),
        "not json",
        json.dumps({"id": "c", "text": 5}),
        json.dumps({"id": "d", "text": "hi", "contract": "signed"}),
        "",
        json.dumps({"id": "e", "text": "mail john.doe@gmail.com", "sender_country": "GB"}),
    ]
    out = [json.loads(line) for line in scan_jsonl(lines, default_policy())]
    assert [o["id"] for o in out] == ["a", "b", None, "c", "d", "e"]
    assert out[0] == {
        "id": "a",
        "decision": "violation",
        "rules": ["contact_before_contract"],
        "findings": [{"kind": "phone", "start": 11, "end": 26, "value": "+19175550142"}],
    }
    assert out[1]["decision"] == "allow"
    assert "error" in out[2] and "error" in out[3] and "contract" in out[4]["error"]
    assert out[5]["findings"][0]["value"] == "john.doe@gmail.com"


@pytest.mark.parametrize("size", [10, 100_000])
def test_long_text_says_truncated(size: int) -> None:
    line = json.dumps({"id": "x", "text": "a" * size})
    (out,) = scan_jsonl([line], default_policy())
    assert json.loads(out).get("truncated", False) is (size > default_policy().max_message_chars)
