"""``opguard eval FILE``: judge a labelled corpus (docs/POLICY.md, "Corpus labels") and
report precision and recall per rule and kind, decision agreement and the misjudged
lines."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streams.judge import judge
from streams.policy.model import Policy


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass(frozen=True, slots=True)
class Misjudged:
    id: str
    text: str
    contract: str
    expected_decision: str
    decision: str
    expected_rules: tuple[str, ...]
    rules: tuple[str, ...]
    missing_kinds: tuple[str, ...]
    found_kinds: tuple[str, ...]


@dataclass(slots=True)
class GroupCounts:
    """Decision figures of the lines of one language or one category."""

    lines: int = 0
    agreed: int = 0
    flagged_expected: int = 0
    flagged_caught: int = 0
    honest: int = 0
    honest_flagged: int = 0

    def add(self, agreed: bool, want_flag: bool, flagged: bool) -> None:
        self.lines += 1
        self.agreed += agreed
        self.flagged_expected += want_flag
        self.flagged_caught += want_flag and flagged
        self.honest += not want_flag
        self.honest_flagged += flagged and not want_flag


@dataclass(slots=True)
class EvalReport:
    total: int = 0
    agreed: int = 0
    flagged_expected: int = 0  # lines whose expected decision is not allow
    flagged_caught: int = 0  # ... and that were flagged
    honest: int = 0  # lines whose expected decision is allow
    honest_flagged: int = 0
    rules: dict[str, Counts] = field(default_factory=dict)
    kinds: dict[str, Counts] = field(default_factory=dict)
    misjudged: list[Misjudged] = field(default_factory=list)
    #: per ``lang`` and per ``category`` of the lines: what is still missed, and where
    langs: dict[str, GroupCounts] = field(default_factory=dict)
    categories: dict[str, GroupCounts] = field(default_factory=dict)

    @property
    def decision_agreement(self) -> float:
        return self.agreed / self.total if self.total else 0.0

    @property
    def flag_recall(self) -> float:
        return self.flagged_caught / self.flagged_expected if self.flagged_expected else 1.0

    @property
    def false_positive_rate(self) -> float:
        return self.honest_flagged / self.honest if self.honest else 0.0


def _count(table: dict[str, Counts], expected: set[str], found: set[str]) -> None:
    for name in expected | found:
        counts = table.setdefault(name, Counts())
        if name in expected and name in found:
            counts.tp += 1
        elif name in found:
            counts.fp += 1
        else:
            counts.fn += 1


def evaluate(records: Iterable[Mapping[str, Any]], policy: Policy) -> EvalReport:
    """Judge every labelled record and compare with its ``expected`` block."""
    report = EvalReport()
    for record in records:
        expected = record["expected"]
        contract = record.get("contract") or "none"
        judgement = judge(record["text"], contract, policy, record.get("sender_country"))
        rules = {h.rule for h in judgement.rules}
        kinds = {f.kind for f in judgement.findings}
        want_rules, want_kinds = set(expected.get("rules", [])), set(expected.get("kinds", []))
        report.total += 1
        _count(report.rules, want_rules, rules)
        _count(report.kinds, want_kinds, kinds)
        flagged, want_flag = judgement.decision != "allow", expected["decision"] != "allow"
        report.flagged_expected += want_flag
        report.flagged_caught += want_flag and flagged
        report.honest += not want_flag
        report.honest_flagged += flagged and not want_flag
        agreed = judgement.decision == expected["decision"]
        report.agreed += agreed
        for table, name in ((report.langs, "lang"), (report.categories, "category")):
            group = table.setdefault(str(record.get(name) or "-"), GroupCounts())
            group.add(agreed, want_flag, flagged)
        if not agreed or rules != want_rules or not want_kinds <= kinds:
            report.misjudged.append(
                Misjudged(
                    id=str(record.get("id")),
                    text=record["text"],
                    contract=contract,
                    expected_decision=expected["decision"],
                    decision=judgement.decision,
                    expected_rules=tuple(sorted(want_rules)),
                    rules=tuple(sorted(rules)),
                    missing_kinds=tuple(sorted(want_kinds - kinds)),
                    found_kinds=tuple(sorted(kinds)),
                )
            )
    return report


def load_records(path: str | Path) -> list[dict[str, Any]]:
    """The labelled lines of a corpus file, or of every ``*.jsonl`` in a folder."""
    path = Path(path)
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    records = []
    for file in files:
        for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as error:
                    raise ValueError(f"{file}:{number}: not JSON ({error.msg})") from None
    return records


def _table(title: str, table: dict[str, Counts]) -> list[str]:
    lines = [f"{title:<30} {'precision':>9} {'recall':>7} {'tp':>5} {'fp':>5} {'fn':>5}"]
    for name in sorted(table):
        c = table[name]
        lines.append(
            f"{name:<30} {c.precision:>9.3f} {c.recall:>7.3f} {c.tp:>5} {c.fp:>5} {c.fn:>5}"
        )
    return lines


def _group_table(title: str, table: dict[str, GroupCounts]) -> list[str]:
    header = f"{'lines':>5} {'exact':>6} {'recall':>7} {'missed':>6} {'fp rate':>7} {'fp':>4}"
    lines = [f"{title:<30} {header}"]
    for name in sorted(table):
        g = table[name]
        recall = g.flagged_caught / g.flagged_expected if g.flagged_expected else 1.0
        fp_rate = g.honest_flagged / g.honest if g.honest else 0.0
        lines.append(
            f"{name:<30} {g.lines:>5} {g.agreed / g.lines:>6.3f} {recall:>7.3f} "
            f"{g.flagged_expected - g.flagged_caught:>6} {fp_rate:>7.3f} {g.honest_flagged:>4}"
        )
    return lines


def render(report: EvalReport) -> str:
    """A plain-text report: summary, per-rule and per-kind tables, per-language and
    per-category figures, misjudged lines."""
    lines = [
        f"lines: {report.total}",
        f"decision agreement: {report.decision_agreement:.3f} ({report.agreed}/{report.total})",
        f"flag recall: {report.flag_recall:.3f} "
        f"({report.flagged_caught}/{report.flagged_expected})",
        f"false-positive rate on honest lines: {report.false_positive_rate:.3f} "
        f"({report.honest_flagged}/{report.honest})",
        "",
        *_table("rule", report.rules),
        "",
        *_table("kind", report.kinds),
        "",
        *_group_table("language", report.langs),
        "",
        *_group_table("category", report.categories),
        "",
        f"misjudged: {len(report.misjudged)}",
    ]
    for m in report.misjudged:
        lines.append(
            f"- {m.id} [{m.contract}] expected {m.expected_decision} {list(m.expected_rules)}, "
            f"got {m.decision} {list(m.rules)}"
            + (f"; missing kinds {list(m.missing_kinds)}" if m.missing_kinds else "")
            + f"; found {list(m.found_kinds)}"
        )
        lines.append(f"    {m.text!r}")
    return "\n".join(lines)
