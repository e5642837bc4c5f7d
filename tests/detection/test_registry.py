"""A recognizer runs only where one of its cues fired: every cue must be a necessary
condition.  Running every recognizer on every text gives the same findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.detection.engine import context, dedup, detect_details
from streams.detection.registry import RECOGNIZERS, matcher

_ROOT = Path(__file__).resolve().parents[2]
_TEXTS = [
    json.loads(line)["text"]
    for path in sorted(
        [*(_ROOT / "tests/corpus").glob("*.jsonl"), *(_ROOT / "tests/blind").glob("*.jsonl")]
    )
    for line in path.read_text(encoding="utf-8").splitlines()
    if line.strip()
]


def test_every_recognizer_is_listed_once() -> None:
    names = [r.name for r in RECOGNIZERS]
    assert len(names) == len(set(names))
    groups = {p.group for p in matcher().patterns}
    assert {cue for r in RECOGNIZERS for cue in r.cues} <= groups


@pytest.mark.parametrize("chunk", range(8))
def test_cues_never_skip_a_finding(chunk: int) -> None:
    regions = ("US", "GB", "IN", "BR", "DE", "RU", "NG")
    for text in _TEXTS[chunk::8]:
        gated = detect_details(context(text, regions))
        ctx = context(text, regions)
        for recognizer in RECOGNIZERS:
            ctx.found += recognizer.analyze(ctx)
        assert gated == dedup(ctx.found), text
