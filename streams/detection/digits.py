"""The digits view: spelled-out and disguised digits resolved, for phone and account
detection.

Number words (``phrases/numbers.yaml``: 24 languages, Chinese numerals, Roman
numerals), "double"/"triple", and letters used for digits (O→0, l/I→1) count
only inside a run of digit-like tokens holding at least ``MIN_RUN_DIGITS`` digits, so
"one of two options" or "I can do it" stay words.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import NamedTuple

import yaml

from streams.detection.matcher import Pattern
from streams.detection.normalize import NormalizedText, View
from streams.detection.number_words import TOKEN, Phrases, phrases, read

__all__ = ["MIN_RUN_DIGITS", "digit_view", "patterns"]

MIN_RUN_DIGITS = 7
_PLUS_ONE = (1).__add__


class _Lexicon(NamedTuple):
    words: dict[str, str]  # word -> the digit it stands for
    phrases: Phrases  # the words of numbers up to 999 ("сорок пять"), with ``words``
    # Short words of those phrases that are also common words ("on": tr 10, "due": it 2,
    # "et", "cent"): a number word only next to another number word ("on sekiz").
    weak: frozenset[str]
    multipliers: dict[str, int]
    plus: frozenset[str]
    glued_part: re.Pattern[str]  # a number word or a digit, inside one token
    glued: re.Pattern[str]


@cache
def _lexicon() -> _Lexicon:
    """``phrases/numbers.yaml``, read on first use."""
    text = resources.files("streams.detection.phrases").joinpath("numbers.yaml").read_text()
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    words = {str(w): str(d) for d, names in data["digits"].items() for w in names}
    multipliers = {str(w): int(n) for n, names in data["multipliers"].items() for w in names}
    ascii_words = sorted((w for w in words if w.isascii() and len(w) > 2), key=len, reverse=True)
    part = re.compile("|".join([*ascii_words, "[0-9]"]))
    glued = re.compile(f"(?:{part.pattern}){{2,40}}")
    said = phrases(tuple(sorted(words.items())))
    weak = frozenset(w for w in said.words if w not in words and len(w) <= _WEAK_CHARS)
    plus = frozenset(map(str, data["plus"]))
    return _Lexicon(words, said, weak, multipliers, plus, part, glued)


_WEAK_CHARS = 4


# What may stand between two tokens of one number: spaces and light punctuation.
_GAP_CHARS = r"[\s,.\-()/:;+]"
_GAP = re.compile(_GAP_CHARS + "{0,4}")
_AS_DIGIT = str.maketrans({"o": "0", "о": "0", "ο": "0", "l": "1", "i": "1", "і": "1"})
_LOOKALIKE_TOKEN = re.compile(r"[0-9oоοlii]+")
# Two digit tokens with a comma or semicolon between them.
_COMMA_GAP = r"[0-9][\s,.\-()/:;+]{0,3}[,;][\s,.\-()/:;+]{0,3}[0-9]"

#: Cue of the digit recognizers: seven digits somewhere.
DIGITS_CUE = "digits"
#: Cue of a run to rewrite: a number word next to a digit or another number word, a
#: token of letters and digits ("nine1seven", "9I7"), a comma between digit groups.
SPELLED_CUE = "spelled_digits"


def patterns() -> list[Pattern]:
    """The digit cues, for the matcher (on the folded view)."""
    lexicon = _lexicon()
    said = lexicon.phrases
    names = sorted(
        {
            *(w for w in said.words if len(w) > 2 or (w,) in said.table),
            *lexicon.multipliers,
            *lexicon.plus,
        },
        key=lambda w: (-len(w), w),
    )
    # Hyperscan limits a pattern's length: the word list goes in chunks, and a pair cue
    # ("word near word") is one pattern per pair of chunks.
    chunks = [
        "(?:" + "|".join(map(re.escape, names[i : i + _CHUNK])) + ")"
        for i in range(0, len(names), _CHUNK)
    ]
    near = rf"{_GAP_CHARS}{{0,4}}"
    spelled = [
        *(rf"(?<![^\W_]){a}{near}(?:{b}(?![^\W_])|[0-9])" for a in chunks for b in chunks),
        *(rf"[0-9]{near}{word}(?![^\W_])" for word in chunks),
        r"[0-9][^\W\d_]|[^\W\d_][0-9]",
        _COMMA_GAP,
        "[" + "".join(sorted(w for w in lexicon.words if len(w) == 1 and not w.isascii())) + "]{3}",
    ]
    return [
        Pattern(rf"(?:[0-9][^0-9]*){{{MIN_RUN_DIGITS}}}", DIGITS_CUE, "folded", cue=True),
        *(Pattern(regex, SPELLED_CUE, "folded", cue=True) for regex in spelled),
    ]


_CHUNK = 300


class _Token(NamedTuple):  # a tuple: made ~5x as fast as a frozen dataclass
    start: int
    end: int
    digits: str  # the digits it stands for ("" for a number word, a multiplier or plus)
    spelled: bool  # a word or a letter-for-digit, not plain digits
    times: int = 1
    plus: bool = False
    word: str = ""  # a number word, read with its neighbours (number_words.read)


class _Piece(NamedTuple):
    start: int  # of its first token in the folded text
    end: int
    digits: str


def _classify(word: str, start: int, end: int, lexicon: _Lexicon) -> _Token | None:
    if word.isdigit():
        return _Token(start, end, word, False)
    if word in lexicon.multipliers:
        return _Token(start, end, "", spelled=True, times=lexicon.multipliers[word])
    if word in lexicon.plus:
        return _Token(start, end, "", spelled=True, plus=True)
    if word in lexicon.phrases.words:
        return _Token(start, end, "", spelled=True, word=word)
    if len(word) > 1 and not word.isascii() and all(c in lexicon.words for c in word):
        # Chinese numerals, one character per digit and no spaces ("一五九")
        return _Token(start, end, "".join(lexicon.words[c] for c in word), True)
    if word.isalpha():  # a word that is no number word
        return None
    if lexicon.glued.fullmatch(word):
        # "nine1seven": number words glued to digits
        digits = "".join(lexicon.words.get(p, p) for p in lexicon.glued_part.findall(word))
        return _Token(start, end, digits, True)
    if _LOOKALIKE_TOKEN.fullmatch(word) and any(c.isdigit() for c in word):
        return _Token(start, end, word.translate(_AS_DIGIT), True)
    return None


def _runs(folded: str) -> list[list[_Token]]:
    lexicon = _lexicon()
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    for match in TOKEN.finditer(folded):
        token = _classify(match.group(), match.start(), match.end(), lexicon)
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
    return [part for run in runs for part in _split_at_lone_weak(run, lexicon.weak)]


def _split_at_lone_weak(run: list[_Token], weak: frozenset[str]) -> list[list[_Token]]:
    """``run`` less its weak number words with no number word beside them ("whatsapp me
    on +1 917…", "milestone 1 due 12/05"), cut where they were."""
    parts: list[list[_Token]] = [[]]
    for index, token in enumerate(run):
        if token.word in weak and not any(
            0 <= i < len(run) and run[i].word and run[i].word not in weak
            for i in (index - 1, index + 1)
        ):
            parts.append([])
        else:
            parts[-1].append(token)
    return [part for part in parts if part]


def _has_comma_gap(folded: str, run: list[_Token]) -> bool:
    return any(
        "," in folded[a.end : b.start] or ";" in folded[a.end : b.start] for a, b in pairwise(run)
    )


def _resolve(run: list[_Token]) -> list[_Piece]:
    """The digits of a run, piece by piece: a digit token, or a group of number words
    ("сорок пять" → 45); "double five" → 55."""
    phrases_ = _lexicon().phrases
    pieces: list[_Piece] = []
    times = 1
    index = 0
    while index < len(run):
        token = run[index]
        if token.word:
            end = index
            while end < len(run) and run[end].word:
                end += 1
            words = run[index:end]
            found = [
                _Piece(words[first].start, words[last - 1].end, digits)
                for first, last, digits in read([t.word for t in words], phrases_)
            ]
            index = end
        else:
            found = [_Piece(token.start, token.end, "+" if token.plus and not pieces else "")]
            if token.times > 1:
                times = token.times
            elif token.digits:
                found = [_Piece(token.start, token.end, token.digits)]
            index += 1
        for piece in found:
            if times > 1 and piece.digits:
                piece = piece._replace(digits=piece.digits[0] * times + piece.digits[1:])
                times = 1
            pieces.append(piece)
    return pieces


def digit_view(norm: NormalizedText, spelled: bool) -> View:
    """``folded`` with disguised digit runs rewritten as plain digits (``spelled``: the
    spelled-digits cue fired; without it there is no run to rewrite).

    A rewritten run keeps one space between tokens, so "nine one seven, five five five"
    reads "9 1 7 5 5 5" and each digit maps back to the word it came from.
    """
    folded = norm.folded
    if not spelled:
        return norm.skeleton if folded.isascii() else _plain(norm)
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
        pieces = _resolve(run)
        total = sum(len(p.digits) for p in pieces)
        if total < MIN_RUN_DIGITS or not (
            any(t.spelled for t in run) or _has_comma_gap(folded, run)
        ):
            continue
        copy(run[0].start)
        for index, (start, end, digits) in enumerate(pieces):
            if index and digits and out and out[-1] not in ("", "+"):
                out.append(" ")
                starts.append(offsets[start])
                ends.append(offsets[start] + 1)
            span_start, span_end = offsets[start], offsets[end - 1] + 1
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
