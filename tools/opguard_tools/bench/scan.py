"""``opguard bench scan``: the CLI as a user runs it, start-up included, against
phonenumbers in the same run.

- start-up: ``opguard scan "hi"`` against ``python -c "import phonenumbers; parse(…)"``
  (the issue's bound: at most 5x);
- throughput: ``opguard scan --jsonl`` over N generated lines against a process running
  ``PhoneNumberMatcher`` alone over the same lines.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from opguard_tools.bench.detector import generate

_BASELINE_START = "import phonenumbers; phonenumbers.parse('+14155552671')"
_BASELINE_SCAN = """
import json, sys, phonenumbers
for line in open(sys.argv[1], encoding="utf-8"):
    text = json.loads(line)["text"]
    list(phonenumbers.PhoneNumberMatcher(text, "US", leniency=phonenumbers.Leniency.VALID))
"""


@dataclass(frozen=True, slots=True)
class ScanBenchResult:
    lines: int
    start_s: float  # median wall time of `opguard scan "hi"`
    baseline_start_s: float
    scan_s: float  # wall time of `opguard scan --jsonl` over the lines
    baseline_scan_s: float


def _wall(command: list[str], repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(lines: int = 10_000, seed: int = 11, repeat: int = 7) -> ScanBenchResult:
    opguard = shutil.which("opguard") or str(Path(sys.executable).with_name("opguard"))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "lines.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for index, text in enumerate(generate(lines, seed)):
                out.write(json.dumps({"id": index, "text": text, "sender_country": "US"}) + "\n")
        _wall([opguard, "scan", "warm the cache"])  # a cold cache is built once, not timed
        return ScanBenchResult(
            lines=lines,
            start_s=_wall([opguard, "scan", "hi"], repeat),
            baseline_start_s=_wall([sys.executable, "-c", _BASELINE_START], repeat),
            scan_s=_wall([opguard, "scan", "--jsonl", str(path)]),
            baseline_scan_s=_wall([sys.executable, "-c", _BASELINE_SCAN, str(path)]),
        )


def render(result: ScanBenchResult) -> str:
    return "\n".join(
        [
            f'start-up: opguard scan "hi" {result.start_s * 1e3:.0f} ms, python importing '
            f"phonenumbers and parsing one number {result.baseline_start_s * 1e3:.0f} ms: "
            f"{result.start_s / result.baseline_start_s:.1f}x",
            f"scan --jsonl of {result.lines} lines: {result.scan_s:.2f} s, PhoneNumberMatcher "
            f"alone {result.baseline_scan_s:.2f} s: opguard at "
            f"{result.baseline_scan_s / result.scan_s:.2f}x the baseline's speed",
        ]
    )
