"""The detection engine, the policy, the events and the pipeline are a pure core:
importing them loads no streaming, storage or metrics library."""

import subprocess
import sys

FORBIDDEN = ("faust", "redis", "prometheus_client", "kafka", "aiokafka")


def test_core_imports_no_streaming_libraries() -> None:
    code = (
        "import sys, streams.detection.engine, streams.detection.split, streams.policy, "
        "streams.judge, streams.models, streams.events, streams.pipeline; "
        f"print(sorted(m for m in {FORBIDDEN!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
