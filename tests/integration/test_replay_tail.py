"""`opguard replay` then `opguard tail` on the real local Kafka: what goes in comes out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from opguard_tools.replay import replay_file
from opguard_tools.tail import tail_topic

from streams.errors import OpguardError
from streams.settings import Settings
from streams.topics import apply_topics, load_topic_specs

LINES = [
    {"topic": "messages", "message_id": "m-1", "conversation_id": "c-1", "sender_id": "u-1",
     "sender_role": "client", "text": "my number is +1 415 763 2289",
     "sent_at": "2026-11-21T09:00:00Z", "expect": "violation contact_before_contract"},
    {"message_id": "m-2", "conversation_id": "c-1", "sender_id": "u-2",
     "sender_role": "freelancer", "text": "let's keep it here", "sent_at": "2026-11-21T09:01:00Z"},
    {"event_id": "e-1", "conversation_id": "c-1", "contract_id": "k-1", "state": "active",
     "occurred_at": "2026-11-21T09:02:00Z", "escrow_funded": True},
    {"topic": "messages", "raw": "not json {"},
]  # fmt: skip


@pytest.fixture()
def topics(settings: Settings) -> Settings:
    apply_topics(settings, load_topic_specs(None, settings), dry_run=False)
    return settings


def _write(tmp_path: Path, lines: list[dict[str, object]]) -> str:
    path = tmp_path / "replay.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    return str(path)


def test_replayed_records_are_read_back_by_tail(
    topics: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    summary = replay_file(topics, _write(tmp_path, LINES))
    assert summary.startswith(
        f"replayed 4 records (3 messages, 1 contract events) to prefix '{topics.topic_prefix}'"
    )
    capsys.readouterr()

    count = tail_topic(
        topics, "messages", from_beginning=True, max_events=3, idle_timeout=20, as_json=True
    )
    lines = capsys.readouterr().out.splitlines()
    assert count == 3
    # one partition per conversation: c-1's records keep their order; topic and expect
    # stripped.  The raw record has no key, so it may land in any partition: any position.
    read = [json.loads(line) for line in lines]
    keyed = [record for record in read if record != {"not_json": "not json {"}]
    assert keyed == [{k: v for k, v in LINES[0].items() if k not in ("topic", "expect")}, LINES[1]]
    assert {"not_json": "not json {"} in read

    tail_topic(
        topics, "contract-events", from_beginning=True, max_events=1, idle_timeout=20, as_json=True
    )
    assert json.loads(capsys.readouterr().out) == LINES[2]


def test_tail_stops_when_idle_and_prints_readable_lines(
    topics: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replay_file(topics, _write(tmp_path, LINES[:2]))
    capsys.readouterr()
    count = tail_topic(topics, "messages", from_beginning=True, idle_timeout=3)
    out = capsys.readouterr().out
    assert count == 2
    assert "c-1 m-1" in out and "my number is +1 415 763 2289" in out


def test_a_bad_line_sends_nothing(
    topics: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(LINES[1]) + "\n{oops\n", "utf-8")
    with pytest.raises(OpguardError, match="line 2: not JSON"):
        replay_file(topics, str(path))
    assert tail_topic(topics, "messages", from_beginning=True, idle_timeout=2) == 0


def test_missing_topics_are_named(settings: Settings, tmp_path: Path) -> None:
    with pytest.raises(OpguardError, match=f"{settings.topic_prefix}messages does not exist"):
        replay_file(settings, _write(tmp_path, LINES[1:2]))
    with pytest.raises(OpguardError, match="does not exist"):
        tail_topic(settings, "violations", idle_timeout=1)
