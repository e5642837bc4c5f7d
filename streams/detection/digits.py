"""The digits view: spelled-out and disguised digits resolved, for phone and account
detection.

Number words (English, Spanish, Portuguese, French, German, Russian/Ukrainian and Hindi
in Latin script), "double"/"triple", and letters used for digits (O→0, l/I→1) count
only inside a run of digit-like tokens holding at least ``MIN_RUN_DIGITS`` digits, so
"one of two options" or "I can do it" stay words.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import pairwise
from typing import NamedTuple

from streams.detection.normalize import NormalizedText, View
from streams.detection.phrase_index import MIXED_TOKEN, ascii_words, has_mixed_token, words

MIN_RUN_DIGITS = 7
_PLUS_ONE = (1).__add__

_WORDS: dict[str, str] = {}
for _digit, _names in enumerate(
    (
        "zero oh cero zéro null nul ноль нуль shunya shoonya sunya sifar nol sero صفر",
        "one uno una um uma un une eins ein один одна одну ek satu isa واحد",
        "two dos dois duas deux zwei zwo два две дві do dua dalawa اثنين اثنان",
        "three tres três trois drei три teen tin tiga tatlo ثلاثة ثلاث",
        "four cuatro quatro quatre vier четыре чотири char chaar empat apat أربعة اربعة",
        "five cinco cinq fünf fuenf funf пять п'ять п’ять panch paanch lima خمسة",
        "six seis meia sechs шесть шість chhe chhah che cheh enam anim ستة",
        "seven siete sete sept sieben семь сім saat sat tujuh pito سبعة",
        "eight ocho oito huit acht восемь вісім aath ath delapan walo ثمانية",
        "nine nueve nove neuf neun девять дев'ять дев’ять nau nao sembilan siyam تسعة",
    )
):
    for _name in _names.split():
        _WORDS[_name] = str(_digit)
_MULTIPLIERS = {
    "double": 2, "doble": 2, "duplo": 2, "doppel": 2, "dupla": 2,
    "triple": 3, "triplo": 3, "tripla": 3,
}  # fmt: skip
_ASCII_WORDS = sorted((w for w in _WORDS if w.isascii() and len(w) > 2), key=len, reverse=True)
_GLUED_PART = re.compile("|".join([*_ASCII_WORDS, "[0-9]"]))
_GLUED = re.compile(f"(?:{_GLUED_PART.pattern}){{2,40}}")
_PLUS = frozenset({"plus", "mas", "más", "mais", "плюс"})
_AS_DIGIT = str.maketrans({"o": "0", "о": "0", "ο": "0", "l": "1", "i": "1", "і": "1"})
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
# What may stand between two tokens of one number: spaces and light punctuation.
_GAP = re.compile(r"[\s,.\-()/:;+]{0,4}")
_LOOKALIKE_TOKEN = re.compile(r"[0-9oоοlii]+")


class _Token(NamedTuple):  # a tuple: made ~5x as fast as a frozen dataclass
    start: int
    end: int
    digits: str  # the digits it stands for ("" for a multiplier or plus)
    spelled: bool  # a word or a letter-for-digit, not plain digits
    times: int = 1
    plus: bool = False


def _classify(word: str, start: int, end: int) -> _Token | None:
    if word.isdigit():
        return _Token(start, end, word, False)
    if word in _WORDS:
        return _Token(start, end, _WORDS[word], True)
    if word in _MULTIPLIERS:
        return _Token(start, end, "", spelled=True, times=_MULTIPLIERS[word])
    if word in _PLUS:
        return _Token(start, end, "", spelled=True, plus=True)
    if word.isalpha():  # a word that is no number word
        return None
    if _GLUED.fullmatch(word):
        # "nine1seven": number words glued to digits
        digits = "".join(_WORDS.get(p, p) for p in _GLUED_PART.findall(word))
        return _Token(start, end, digits, True)
    if _LOOKALIKE_TOKEN.fullmatch(word) and any(c.isdigit() for c in word):
        return _Token(start, end, word.translate(_AS_DIGIT), True)
    return None


# A spelled digit in a run long enough to matter: a number word next to another number
# word or digits, or letters and digits in one token ("nine1seven", "9I7").  In an
# ASCII text every digit-like token is a number word, digits or such a mixed token; a
# token of other digits ("፩") may stand elsewhere, so there any number word counts.
# Each pattern starts with a character class so ``re`` skips ahead at C speed.
_NUMBER_WORDS = frozenset([*_WORDS, *_MULTIPLIERS, *_PLUS])
_NUMBER_WORD = re.compile(
    rf"(?<![^\W_])(?:{'|'.join(map(re.escape, sorted(_NUMBER_WORDS, key=len, reverse=True)))})"
    r"(?![^\W_])"
)
# ASCII characters that are not part of a token as spaces (every ASCII character in the
# table: a miss is slow), so ``split`` gives tokens.
_TOKEN_BREAKS = str.maketrans({c: c if c.isalnum() else " " for c in map(chr, range(128))})
# Two digit tokens with a comma or semicolon between them (a superset of _GAP's).
_COMMA_GAP = re.compile(r"[0-9][\s,.\-()/:;+]{0,3}[,;][\s,.\-()/:;+]{0,3}[0-9]")


@lru_cache(maxsize=8)  # the prefilter and digit_view look at the same text
def might_hold_spelled_digits(folded: str) -> bool:
    """False only if :func:`digit_view` adds no digit to ``folded``'s own."""
    if not folded.isascii():
        return has_mixed_token(folded) or _NUMBER_WORD.search(folded) is not None
    # Without "_" an ASCII text's tokens are its words (one split per text, shared with
    # the phrase indexes), and ``MIXED_TOKEN`` matches ``folded`` where it matches the
    # spaced copy (only characters outside tokens are written " "): most texts hold
    # neither a number word nor a mixed token, and without a mixed token only the
    # number words' neighbours are left to look at.
    if "_" not in folded and not has_mixed_token(folded):
        if _NUMBER_WORDS.isdisjoint(words(folded)):
            return False
        return _number_word_in_run(ascii_words(folded)[1])
    return _might_hold_spelled_ascii(folded)


def _might_hold_spelled_ascii(folded: str) -> bool:
    """:func:`might_hold_spelled_digits` of an ASCII text, without its first look."""
    spaced = folded.translate(_TOKEN_BREAKS)
    for mixed in MIXED_TOKEN.finditer(spaced):  # "nine1seven", "9I7" (not "v3" or "5pm")
        end = spaced.find(" ", mixed.end())
        token = spaced[spaced.rfind(" ", 0, mixed.start()) + 1 : end if end >= 0 else None]
        if _classify(token, 0, 0):
            return True
    return _number_word_in_run(spaced.split())


def _number_word_in_run(tokens: list[str]) -> bool:
    """Whether a number word of ``tokens`` (a text's tokens in order) stands next to
    another number word or to digits."""
    words = _NUMBER_WORDS.intersection(tokens)
    if not words:
        return False
    # A run needs a number word next to another one or to digits: look at the tokens
    # around each number word (``joined`` holds every token between single spaces).
    joined = f" {' '.join(tokens)} "
    for word in words:
        needle = f" {word} "
        at = joined.find(needle)
        while at >= 0:
            before = joined[joined.rfind(" ", 0, at) + 1 : at]
            end = at + len(needle)
            after = joined[end : joined.find(" ", end)]
            if before in _NUMBER_WORDS or before.isdigit():
                return True
            if after in _NUMBER_WORDS or after.isdigit():
                return True
            at = joined.find(needle, end - 1)
    return False


def _runs(folded: str) -> list[list[_Token]]:
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    for match in _TOKEN.finditer(folded):
        token = _classify(match.group(), match.start(), match.end())
        if token is not None and current:
            gap = _GAP.fullmatch(folded, current[-1].end, token.start)
            if gap is None:
                runs.append(current)
                current = []
        if token is None:
            if current:
                runs.append(current)
                current = []
            continue
        current.append(token)
    if current:
        runs.append(current)
    return runs


def _has_comma_gap(folded: str, run: list[_Token]) -> bool:
    return any(
        "," in folded[a.end : b.start] or ";" in folded[a.end : b.start] for a, b in pairwise(run)
    )


def _resolve(run: list[_Token]) -> list[tuple[_Token, str]]:
    """The digits each token of a run contributes ("double five" → "", "55")."""
    resolved: list[tuple[_Token, str]] = []
    times = 1
    for token in run:
        if token.plus:
            resolved.append((token, "+" if not resolved else ""))
            continue
        if token.times > 1:
            times = token.times
            resolved.append((token, ""))
            continue
        digits = token.digits
        if times > 1 and digits:
            digits = digits[0] * times + digits[1:]
            times = 1
        resolved.append((token, digits))
    return resolved


def might_rewrite(folded: str) -> bool:
    """False only if the text of :func:`digit_view` is ``folded`` itself: no run to
    rewrite (a spelled digit or a comma between digit groups)."""
    return might_hold_spelled_digits(folded) or _COMMA_GAP.search(folded) is not None


def digit_view(norm: NormalizedText) -> View:
    """``folded`` with disguised digit runs rewritten as plain digits.

    A rewritten run keeps one space between tokens, so "nine one seven, five five five"
    reads "9 1 7 5 5 5" and each digit maps back to the word it came from.
    """
    folded = norm.folded
    if folded.isascii() and not might_rewrite(folded):  # no run to rewrite
        return norm.skeleton
    offsets = norm.offsets
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    last = 0

    def copy(upto: int) -> None:
        out.append(folded[last:upto])
        starts.extend(offsets[last:upto])
        ends.extend(map(_PLUS_ONE, offsets[last:upto]))

    for run in _runs(folded):
        resolved = _resolve(run)
        total = sum(len(d) for _, d in resolved)
        if total < MIN_RUN_DIGITS or not (
            any(t.spelled for t in run) or _has_comma_gap(folded, run)
        ):
            continue
        copy(run[0].start)
        for index, (token, digits) in enumerate(resolved):
            if index and digits and out and out[-1] not in ("", "+"):
                out.append(" ")
                starts.append(offsets[token.start])
                ends.append(offsets[token.start] + 1)
            span_start, span_end = offsets[token.start], offsets[token.end - 1] + 1
            out.append(digits)
            starts.extend([span_start] * len(digits))
            ends.extend([span_end] * len(digits))
        last = run[-1].end
    if last == 0:
        return norm.skeleton if norm.folded.isascii() else _plain(norm)
    copy(len(folded))
    starts.append(len(norm.original))
    ends.append(len(norm.original))
    return View("".join(out), tuple(starts), tuple(ends))


def _plain(norm: NormalizedText) -> View:
    offsets = norm.offsets
    return View(norm.folded, offsets, (*(o + 1 for o in offsets[:-1]), len(norm.original)))
