"""Which partitions the consumer rewinds after a rebalance (streams/faust_transport.py)."""

from __future__ import annotations

import pytest
from faust.types import TP

from streams.faust_transport import never_committed

INPUTS = {"messages", "contract-events"}


@pytest.mark.parametrize(
    ("committed", "expected"),
    [
        # committed offset (next to read) per partition → partitions read from the start
        ({TP("messages", 0): None}, [TP("messages", 0)]),
        ({TP("messages", 0): 0}, [TP("messages", 0)]),
        ({TP("messages", 0): 1}, []),
        ({TP("messages", 0): 5000}, []),
        # a changelog partition is left to table recovery, committed or not
        ({TP("opguard-contracts-changelog", 3): None}, []),
        (
            {
                TP("contract-events", 2): None,
                TP("messages", 1): 12,
                TP("contract-events", 0): 0,
                TP("messages", 0): None,
            },
            [TP("contract-events", 0), TP("contract-events", 2), TP("messages", 0)],
        ),
        ({}, []),
    ],
)
def test_never_committed_input_partitions(
    committed: dict[TP, int | None], expected: list[TP]
) -> None:
    assert never_committed(committed, INPUTS.__contains__) == expected
