"""Intents: asking for a contact detail, proposing an external channel, paying outside
the platform, asking for personal data (multilingual).

Phrase data is YAML under ``phrases/`` (one file per language, ``common.yaml`` for the
shared macros and the pattern language), loaded once at import.  Phrases run over a
*view* of the folded text in which every channel mention that is not a work topic is
replaced by one marker character ({ch}, {pay}, {phone}, {email}): "t e l e g r a m",
"ватсап" and "WA" all read as {ch}, and "build a Telegram bot" never does.

Matching: each phrase compiles to a regex, matched by the engine's one matcher
(``matcher.py``) on that view; within a kind matches do not overlap.  Linear time:
every quantifier of the phrase language is bounded (separators ``{1,3}``, gaps
``{0,60}``), so each match is bounded by the pattern.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from streams.detection.channels import FoldedMention
from streams.detection.findings import INTENT_KINDS, Finding
from streams.detection.matcher import Candidates, Pattern
from streams.detection.normalize import NormalizedText

__all__ = ["MARKED_VIEW", "Phrase", "detect_intents", "marked_view", "patterns"]

#: The view intent phrases are matched on: the folded text, each channel a marker.
MARKED_VIEW = "marked"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_CH, _PAY, _PHONE, _EMAIL = "\ue000", "\ue001", "\ue002", "\ue003"
_MARKERS = {
    "{ch}": _CH,
    "{pay}": _PAY,
    "{phone}": _PHONE,
    "{email}": _EMAIL,
    "{contact}": f"[{_CH}{_PHONE}{_EMAIL}]",
}
_SEP = r"[^\w\ue000-\ue003]{1,3}"
_OPTIONAL_SEP = r"[^\w\ue000-\ue003]{0,3}"
_GAP = rf"(?:{_SEP}|{_SEP}[^.!?\n]{{1,60}}?{_SEP})"
_MACRO = re.compile(r"<(\w+)>")
_OPEN_GROUP = re.compile(r"(?<!\\)\((?!\?)")

# A negation or a rule statement in the same clause turns a phrase into advice:
# "don't share contact info outside Upwork", "paying outside Upwork is not allowed".
_NEGATION_BEFORE = re.compile(
    r"(?:^|\W)(?:don'?t|do not|never|not|cannot|can'?t|won'?t|shouldn'?t|mustn'?t|avoid|"
    # "no" is also Portuguese for "in the": "fale comigo no Telegram" is no negation.
    r"no(?!\W[\ue000-\ue003])|nunca|jamais|nie|nicht|kein\w{0,2}|geen|niet|non|не|нельзя|ні|mat|nahi|nahin|jangan|tidak|"
    r"huwag|wag|لا|ممنوع|ne|pas|não|nao)\W[^.,!?;\n]{0,30}$"
)
_RULE_AFTER = re.compile(
    r"[^.!?\n]{0,40}(?:is|are|isn'?t|is not)\s(?:not\s)?(?:allowed|permitted|forbidden|"
    r"prohibited|against)|[^.!?\n]{0,40}(?:against the (?:rules|tos|terms)|violat\w{1,5})"
)
_CLAUSE_ENDS = ".,!?;\n"


@dataclass(frozen=True, slots=True)
class Phrase:
    kind: str
    phrase_id: str
    lang: str


def _expand(pattern: str, macros: dict[str, str], depth: int = 0) -> str:
    if depth > 5:
        raise ValueError(f"macro nesting too deep in {pattern!r}")
    pattern = _MACRO.sub(lambda m: f"({macros[m.group(1)]})", pattern)
    return _expand(pattern, macros, depth + 1) if _MACRO.search(pattern) else pattern


def _to_regex(pattern: str, macros: dict[str, str]) -> str:
    text = _expand(pattern, macros)
    for marker, char in _MARKERS.items():
        text = text.replace(marker, char)
    text = _OPEN_GROUP.sub("(?:", text).replace("'", "['’]?")
    text = text.replace(" ~ ", _GAP).replace(" ?", _OPTIONAL_SEP).replace(" ", _SEP)
    return rf"(?<!\w)(?:{text})(?!\w)"


def _phrase_files() -> Iterable[tuple[str, dict[str, Any]]]:
    folder = resources.files("streams.detection.phrases")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml") and entry.name not in {"common.yaml", "channels.yaml"}:
            yield entry.name, yaml.load(entry.read_text(), Loader=_LOADER)


def patterns() -> Iterator[Pattern]:
    """Every phrase of every language file, for the matcher (one group per kind)."""
    folder = resources.files("streams.detection.phrases")
    common: dict[str, Any] = yaml.load(folder.joinpath("common.yaml").read_text(), _LOADER)
    for name, data in _phrase_files():
        macros = {**common["macros"], **data.get("macros", {})}
        for kind in sorted(INTENT_KINDS):
            for phrase_id, patterns in data.get(kind, {}).items():
                for pattern in patterns:
                    try:
                        regex = _to_regex(pattern, macros)
                    except KeyError as error:  # an unknown macro
                        raise ValueError(f"{name}: {kind}.{phrase_id}: {pattern!r}") from error
                    phrase = Phrase(kind, phrase_id, data["lang"])
                    yield Pattern(regex, kind, MARKED_VIEW, phrase)


class _View:
    """The folded text with each mention replaced by one marker character.

    ``_starts[i]`` is where segment ``i`` begins in the view; ``_folded[i]`` where it
    begins in the folded text; ``_ends[i]`` is the folded end of a marker segment (one
    character standing for a whole mention), or -1 for a plain copied segment.
    """

    def __init__(self, folded: str, mentions: list[FoldedMention]) -> None:
        pieces: list[str] = []
        self._starts, self._folded, self._ends = [0], [0], [-1]
        self.channels: dict[int, str] = {}
        position = 0
        for mention in mentions:
            if mention.work_topic or mention.start < position:
                continue
            pieces.append(folded[position : mention.start])
            at = self._starts[-1] + mention.start - self._folded[-1]
            self.channels[at] = mention.channel
            pieces.append(_marker(mention))
            self._starts += [at, at + 1]
            self._folded += [mention.start, mention.end]
            self._ends += [mention.end, -1]
            position = mention.end
        pieces.append(folded[position:])
        self.text = "".join(pieces)

    def to_folded(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty ``[start, end)`` span of the view to the folded text."""
        return self._char(start)[0], self._char(end - 1)[1]

    def _char(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self._starts, offset) - 1
        if self._ends[index] >= 0:
            return self._folded[index], self._ends[index]
        folded = self._folded[index] + offset - self._starts[index]
        return folded, folded + 1


def _marker(mention: FoldedMention) -> str:
    if mention.kind == "payment":
        return _PAY
    if mention.kind == "generic":
        return _EMAIL if mention.channel == "email" else _PHONE
    return _CH


def _is_advice(view: str, start: int, end: int) -> bool:
    before = view[max(0, start - 40) : start]
    cut = max(map(before.rfind, _CLAUSE_ENDS))  # the clause starts after the last one
    if cut >= 0:
        before = before[cut + 1 :]
    return bool(_NEGATION_BEFORE.search(before)) or _RULE_AFTER.match(view, end) is not None


def marked_view(folded: str, mentions: list[FoldedMention]) -> _View:
    """The view the phrases are matched on (its ``text`` goes to the matcher)."""
    return _View(folded, mentions)


def detect_intents(
    norm: NormalizedText, view: _View, scan: Callable[[str], Candidates]
) -> list[Finding]:
    """Every intent phrase in ``norm``, with spans on the original text; ``view`` is
    :func:`marked_view` of it and ``scan`` the matcher's scan of the marked view."""
    findings: list[Finding] = []
    for match in scan(view.text).matches(sorted(INTENT_KINDS)):
        start, end, phrase = match.start, match.end, match.pattern.value
        if _is_advice(view.text, start, end):
            continue
        folded_start, folded_end = view.to_folded(start, end)
        original_start, original_end = norm.to_original(folded_start, folded_end)
        named = sorted({ch for at, ch in view.channels.items() if start <= at < end})
        via = f", channel {', '.join(named)}" if named else ""
        findings.append(
            Finding(
                kind=phrase.kind,
                start=original_start,
                end=original_end,
                value=f"{phrase.kind}:{phrase.phrase_id}",
                reason=(
                    f"{phrase.lang} phrase {phrase.phrase_id!r} matched "
                    f"{norm.original[original_start:original_end]!r}{via}"
                ),
            )
        )
    findings.sort(key=lambda f: (f.start, f.end, f.kind))
    return findings
