"""Replay files: which line goes to which topic with which key and value, or which error."""

from __future__ import annotations

import orjson
import pytest
from opguard_tools.demo.run import load_scenarios
from opguard_tools.replay import parse_lines

from streams.errors import OpguardError

MESSAGE = '{"message_id": "m-1", "conversation_id": "c-1", "text": "hi"}'
CONTRACT = '{"event_id": "e-1", "conversation_id": "c-1", "state": "active"}'


@pytest.mark.parametrize(
    ("line", "topic", "key", "value"),
    [
        # the topic is inferred: event_id and state make a contract event
        (MESSAGE, "messages", b"c-1",
         {"message_id": "m-1", "conversation_id": "c-1", "text": "hi"}),
        (CONTRACT, "contract-events", b"c-1",
         {"event_id": "e-1", "conversation_id": "c-1", "state": "active"}),
        # an explicit topic wins, and topic and expect never reach Kafka
        ('{"topic": "contract-events", "conversation_id": "c-2", "expect": "allow"}',
         "contract-events", b"c-2", {"conversation_id": "c-2"}),
        ('{"topic": "messages", "event_id": "e-1", "state": "x", "conversation_id": "c-3"}',
         "messages", b"c-3", {"event_id": "e-1", "state": "x", "conversation_id": "c-3"}),
        # a record without a conversation id is sent without a key (the worker dead-letters it)
        ('{"message_id": "m-2", "text": "no conversation"}', "messages", None,
         {"message_id": "m-2", "text": "no conversation"}),
        ('{"message_id": "m-3", "conversation_id": 42}', "messages", None,
         {"message_id": "m-3", "conversation_id": 42}),
        # non-ASCII text is kept as UTF-8, and so is the key
        ('{"conversation_id": "c-é", "text": "нет"}', "messages", "c-é".encode(),
         {"conversation_id": "c-é", "text": "нет"}),
    ],
)  # fmt: skip
def test_record_lines(line: str, topic: str, key: bytes | None, value: dict[str, object]) -> None:
    (record,) = parse_lines([line])
    assert (record.topic, record.key, orjson.loads(record.value)) == (topic, key, value)


@pytest.mark.parametrize(
    ("line", "topic", "key", "value"),
    [
        ('{"topic": "messages", "raw": "not json {"}', "messages", None, b"not json {"),
        ('{"topic": "contract-events", "raw": "{\\"state\\": ", "key": "c-9"}',
         "contract-events", b"c-9", b'{"state": '),
        # \\udcXX stands for a byte that is not UTF-8
        ('{"raw": "bad \\udcff byte", "expect": "dead letter"}', "messages", None,
         b"bad \xff byte"),
        ('{"raw": ""}', "messages", None, b""),
    ],
)  # fmt: skip
def test_raw_lines(line: str, topic: str, key: bytes | None, value: bytes) -> None:
    (record,) = parse_lines([line])
    assert (record.topic, record.key, record.value) == (topic, key, value)


@pytest.mark.parametrize(
    ("lines", "error"),
    [
        ([MESSAGE, "not json"], "line 2: not JSON"),
        ([MESSAGE, "", '{"text": "hi"'], "line 3: not JSON"),
        (['["a", "list"]'], "line 1: expected a JSON object, got list"),
        (['"a string"'], "line 1: expected a JSON object, got str"),
        (['{"topic": "violations", "text": "hi"}'], "line 1: unknown topic 'violations'"),
        (['{"topic": "Messages"}'], "line 1: unknown topic 'Messages'"),
        (['{"text": "hi", "expect": 3}'], "line 1: 'expect' must be a string"),
        (['{"raw": 12}'], "line 1: 'raw' must be a string"),
        (['{"raw": "x", "key": 7}'], "line 1: 'key' must be a string"),
        (['{"raw": "x", "text": "hi"}'], "line 1: a raw line takes only topic, raw, key"),
        (['{"raw": "\\ud800"}'], "line 1: 'raw' has a lone surrogate"),
        ([MESSAGE.encode(), b'{"text": "\xff"}'], "line 2: not UTF-8"),
        (['{"text": "\\udcff"}'], "line 1: a lone surrogate escape outside 'raw'"),
    ],
)  # fmt: skip
def test_bad_lines_stop_everything(lines: list[str | bytes], error: str) -> None:
    with pytest.raises(OpguardError) as raised:
        parse_lines(lines)
    assert str(raised.value).startswith(error)


def test_blank_lines_are_skipped_and_lines_keep_their_numbers() -> None:
    records = parse_lines(["", MESSAGE, "   ", CONTRACT])
    assert [(r.line, r.topic) for r in records] == [(2, "messages"), (4, "contract-events")]


def test_the_shipped_scenarios_parse() -> None:
    records = [record for scenario in load_scenarios() for record in scenario.records]
    assert len(records) == 43
    assert {record.topic for record in records} == {"messages", "contract-events"}
