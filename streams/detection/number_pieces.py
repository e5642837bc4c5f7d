"""A phone number given in pieces, the pieces named: "first 0544, then 713, last 20
58", "najpierw 601, potem 274, na końcu 538", "前三位158，中间四位6620，最后是3391"
(docs/POLICY.md, "Numbers").

On the digits view (number words are digits there), runs of digits that only the
``joiners`` of ``phrases/number_pieces.yaml``, punctuation and emoji separate, with a
word between two of them, are put together; if what they make is a valid phone number
for the message's regions, it is a ``phone``.  Two pieces need a contact cue near them;
three or more name themselves.  What sets a phone-shaped run aside sets the pieces aside
too: an id prefix or an honest cue before the first, sample data.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING

from streams.detection import detail_context, phones
from streams.detection.channel_frames import cue_lists
from streams.detection.findings import Finding
from streams.detection.normalize import normalize

if TYPE_CHECKING:
    from streams.detection.recognizer import Context

__all__ = ["analyze"]

_PIECE = re.compile(r"\+?\d+")
#: At most this many characters between two pieces.
_GAP = 40
_MIN_DIGITS, _MAX_DIGITS = 8, 15
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_CJK = re.compile(r"[\u3400-\u9fff]+")
_DIMENSION = re.compile(r"[×✕*]|(?<![^\W\d])x(?![^\W\d])")


@cache
def _joiners() -> tuple[frozenset[str], tuple[str, ...]]:
    words = [normalize(str(w)).folded.strip() for w in cue_lists("number_pieces.yaml")["joiners"]]
    cjk = tuple(sorted((w for w in words if _CJK.fullmatch(w)), key=len, reverse=True))
    return frozenset(words), cjk


def _joins(gap: str) -> bool:
    """Whether only joiner words, punctuation and emoji stand in ``gap``."""
    if len(gap) > _GAP or "\n\n" in gap or _DIMENSION.search(gap):
        return False  # a dimension or a product: "3840×2160"
    if not _named(gap):
        return True  # punctuation and emoji only: nothing to normalize
    words, cjk = _joiners()
    folded = normalize(gap).folded
    for word in cjk:
        folded = folded.replace(word, " ")
    return all(w in words for w in _WORD.findall(folded))


def _named(gap: str) -> bool:
    """Whether ``gap`` holds a word: the pieces are named ("then", "luego", "最后"),
    not merely separated as in an address, an id or a version ("127.0.0.1:8000")."""
    return bool(_WORD.search(gap) or _CJK.search(gap))


def analyze(ctx: Context) -> list[Finding]:
    view = ctx.digits
    text = view.text
    pieces = list(_PIECE.finditer(text))
    found: list[Finding] = []
    i = 0
    while i < len(pieces):
        j = i
        while j + 1 < len(pieces) and _joins(text[pieces[j].end() : pieces[j + 1].start()]):
            j += 1
        chain = pieces[i : j + 1]
        i = j + 1
        digits = "".join(m.group() for m in chain)
        if len(chain) < 2 or not _MIN_DIGITS <= len(digits.lstrip("+")) <= _MAX_DIGITS:
            continue
        gaps = [text[a.end() : b.start()] for a, b in pairwise(chain)]
        if not any(_named(gap) for gap in gaps) or phones.not_a_phone(
            text, chain[0].start(), chain[-1].end()
        ):
            continue
        start, end = view.to_original(chain[0].start(), chain[-1].end())
        if len(chain) == 2 and not detail_context.contact_cued(ctx, start, end):
            continue
        if detail_context.honest_before(ctx, start) or detail_context.sample(ctx, start, end):
            continue
        matched = phones.match_whole(digits, ctx.regions)
        if matched is not None:
            found.append(Finding("phone", start, end, matched, "a number given in pieces"))
    return found
