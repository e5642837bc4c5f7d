"""Reference for ``opguard bench pipeline``: a Faust agent that only reads.

It takes the benchmark's input records in batches (``stream.take_events``, as the
pipeline's agent does) and does nothing with them: no output, no table.  Its rate is
the most any Faust agent reading one record at a time through Faust's streams can
reach on this machine, whatever work it then does.  Run it as
``python -m faust -A opguard_tools.bench.read_faust worker``; its consumer group is
``{prefix}passthrough-faust-read``.
"""

from __future__ import annotations

from typing import Any

from opguard_tools.bench.passthrough_faust import make_app

app, source, _ = make_app("passthrough-faust-read")


@app.agent(source)
async def read(stream: Any) -> None:
    async for _batch in stream.take_events(1000, within=0.05):
        pass
