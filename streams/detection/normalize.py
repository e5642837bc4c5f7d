"""Normalisation that keeps a map back to the original offsets.

Every view is a string plus, per character, the ``[start, end)`` span of the ORIGINAL
text that produced it, so a detector can search whichever view suits it and still
report spans on what the sender wrote.

- ``folded``: NFKC, case-folded, zero-width and bidi controls removed, every decimal digit
  (Arabic-Indic, Devanagari, full-width, emoji keycaps…) as ASCII, and look-alike
  characters folded to Latin only inside words that already hold Latin letters (an
  all-Cyrillic Russian word stays Cyrillic).
- ``skeleton``: ``folded`` with every confusable mapped to Latin and accents dropped.
- ``compact``: ``skeleton`` with separators between single characters removed
  ("w h a t s a p p", "t.e.l.e.g.r.a.m", "j o h n @ g m a i l").
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Zero-width characters, soft hyphen, bidi controls, variation selectors, the emoji
# keycap combiner (so "9️⃣" reads as "9"), the combining grapheme joiner and the Arabic
# tatweel, which only stretches a word ("تـيـلـيـجـرام" is "تيليجرام").
_INVISIBLE = frozenset(
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069\ufe0e\ufe0f\u20e3\u034f\u180e\u0640"
)


@cache
def latin_lookalikes() -> dict[str, str]:
    """Every non-ASCII character that Unicode's confusables data (UTS #39
    ``confusables.txt``, as the maintained ``confusable-homoglyphs`` package ships it)
    says looks like exactly one ASCII letter, lower case after case folding: Cyrillic
    "а", Greek "ο", IPA "ɑ", mathematical and other compatibility forms NFKC leaves.
    Read on first use (11 ms)."""
    source = resources.files("confusable_homoglyphs").joinpath("confusables.json")
    data: dict[str, list[dict[str, str]]] = json.loads(source.read_text(encoding="utf-8"))
    table: dict[str, str] = {}
    for char, glyphs in data.items():
        if len(char) != 1 or char.isascii():
            continue
        letters = {g["c"].lower() for g in glyphs if len(g["c"]) == 1 and g["c"].isascii()}
        letters = {c for c in letters if c.isalpha()}
        if len(letters) == 1:
            (letter,) = letters
            for form in {char, char.casefold()}:
                if len(form) == 1 and not form.isascii():
                    table.setdefault(form, letter)
    for offset in range(26):  # regional-indicator letters ("🇼🇦"): a flag's halves
        table.setdefault(chr(0x1F1E6 + offset), chr(ord("a") + offset))
    # Small capitals and modifier letters ("ᴡʜᴀᴛsᴀᴘᴘ") that confusables.txt leaves out
    # or maps to another script: their Unicode names say which Latin letter they are.
    for code in range(0x0250, 0x2C80):
        name = unicodedata.name(chr(code), "")
        named = _NAMED_LETTER.fullmatch(name)
        if named:
            table.setdefault(chr(code), (named.group(1) or named.group(2)).lower())
    return table


_NAMED_LETTER = re.compile(
    r"LATIN (?:LETTER SMALL CAPITAL|SUBSCRIPT SMALL LETTER) ([A-Z])|"
    r"MODIFIER LETTER (?:SMALL|CAPITAL) ([A-Z])"
)


@cache
def _confusable_table() -> dict[int, str]:
    return str.maketrans(latin_lookalikes())


_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True, slots=True)
class View:
    """A derived text: ``starts[i]``/``ends[i]`` is the original span of ``text[i]``.

    Both tuples have one extra entry (``len(original)``) so an end offset maps too.
    """

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of ``text`` back to the original text."""
        if end <= start:
            return self.starts[start], self.starts[start]
        return self.starts[start], self.ends[end - 1]


class NormalizedText:
    """A normalised view of ``original``.

    ``folded`` is NFKC, case-folded, zero-width characters removed, digits as ASCII and
    look-alikes folded inside Latin-looking words.  ``offsets[i]`` is the index in
    ``original`` of the character that produced ``folded[i]``; it has one extra entry,
    ``len(original)``, so an end offset maps too.  ``skeleton`` and ``compact`` are
    further views (see the module docstring), built on first use: most messages never
    need them.  Read-only.
    """

    __slots__ = ("_compact", "_offsets", "_skeleton", "folded", "original")

    def __init__(self, original: str, folded: str, offsets: tuple[int, ...] | None) -> None:
        """``offsets`` None: ``folded`` maps character for character onto ``original``."""
        self.original = original
        self.folded = folded
        self._offsets = offsets
        self._skeleton: View | None = None
        self._compact: View | None = None

    @property
    def offsets(self) -> tuple[int, ...]:
        if self._offsets is None:
            self._offsets = tuple(range(len(self.original) + 1))
        return self._offsets

    @property
    def skeleton(self) -> View:
        if self._skeleton is None:
            self._skeleton = _skeleton(self.folded, self._offsets, len(self.original))
        return self._skeleton

    @property
    def compact(self) -> View:
        if self._compact is None:
            self._compact = compact_view(self.skeleton)
        return self._compact

    @property
    def compact_text(self) -> str:
        """``compact.text``, without building the offset maps when nothing is joined."""
        # An ASCII skeleton is ``folded`` itself.
        ascii_unjoined = self.folded.isascii() and _SPACED_HINT.search(self.folded) is None
        if self._compact is None and ascii_unjoined:
            return self.folded
        return self.compact.text

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of ``folded`` back to the original text."""
        if self._offsets is None:
            return (start, start) if end <= start else (start, end)
        if end <= start:
            return self._offsets[start], self._offsets[start]
        return self._offsets[start], self._offsets[end - 1] + 1


def identity_view(text: str) -> View:
    """A view of ``text`` that is the text itself."""
    n = len(text)
    return View(text, tuple(range(n + 1)), (*range(1, n + 1), n))


def rewrite(view: View, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]) -> View:
    """``pattern.sub(replace, view.text)`` keeping the offset map.

    A replacement's characters all map to the span of the whole match.  A match of at
    most one character replaced by itself ("/" for "/", "@" for "@") changes neither the
    text nor the map, so it is copied with the text around it: a text with no other match
    is returned as it is, without building a new map.
    """
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    last = 0
    for match in pattern.finditer(view.text):
        begin, finish = match.span()
        produced = replace(match)
        if finish - begin <= 1 and produced == match.group():
            continue
        out.append(view.text[last:begin])
        starts.extend(view.starts[last:begin])
        ends.extend(view.ends[last:begin])
        if begin < finish:
            span_start, span_end = view.starts[begin], view.ends[finish - 1]
        else:
            span_start = span_end = view.starts[begin]
        out.append(produced)
        starts.extend([span_start] * len(produced))
        ends.extend([span_end] * len(produced))
        last = finish
    if last == 0 and not out:
        return view
    out.append(view.text[last:])
    starts.extend(view.starts[last:])
    ends.extend(view.ends[last:])
    return View("".join(out), tuple(starts), tuple(ends))


def _fold_char(char: str) -> str:
    if char in _INVISIBLE:
        return ""
    if char.isdecimal():
        return str(unicodedata.decimal(char, 0))
    return unicodedata.normalize("NFKC", char).casefold()


def _skeleton_char(char: str) -> str:
    mapped = latin_lookalikes().get(char)
    if mapped is not None:
        return mapped
    if char.isascii():
        return char
    if unicodedata.combining(char):
        return ""
    base = unicodedata.normalize("NFD", char)[0]
    return base if base.isascii() else char


class _CharTable(dict[str, str]):
    """A per-character mapping filled on first use, so ``map(table.__getitem__, text)``
    runs at C speed after warm-up; bounded, as a text can hold any character."""

    def __init__(self, fold: Callable[[str], str]) -> None:
        super().__init__()
        self._fold = fold

    def __missing__(self, char: str) -> str:
        produced = self._fold(char)
        if len(self) < _MAX_CACHED_CHARS:
            self[char] = produced
        return produced


_MAX_CACHED_CHARS = 20_000
_FOLDED = _CharTable(_fold_char)
_SKELETON = _CharTable(_skeleton_char)


def _is_latin_letter(char: str) -> bool:
    return "a" <= char <= "z" or (char.isalpha() and "LATIN" in unicodedata.name(char, ""))


def _fold_mixed_words(folded: str) -> str:
    """Fold look-alikes inside words that also hold Latin letters ("tеlеgram")."""
    if folded.isascii():
        return folded
    parts: list[str] = []
    last = 0
    for match in _WORD.finditer(folded):
        word = match.group()
        if word.isascii() or not any(_is_latin_letter(c) for c in word):
            continue
        parts.append(folded[last : match.start()])
        parts.append(word.translate(_confusable_table()))
        last = match.end()
    if not parts:
        return folded
    parts.append(folded[last:])
    return "".join(parts)


def _ends(starts: tuple[int, ...], original_length: int) -> tuple[int, ...]:
    """The end offsets of one-character spans starting at ``starts`` (plus the extra
    ``original_length`` entry)."""
    return (*map((1).__add__, starts[:-1]), original_length)


def _skeleton(folded: str, offsets: tuple[int, ...] | None, original_length: int) -> View:
    if offsets is None:  # folded maps 1:1 onto the original
        offsets = tuple(range(len(folded) + 1))
        ends = (*range(1, len(folded) + 1), original_length)
        if folded.isascii():
            return View(folded, offsets, ends)
    elif folded.isascii():
        return View(folded, offsets, _ends(offsets, original_length))
    pieces = list(map(_SKELETON.__getitem__, folded))
    if "" not in pieces:  # every character kept: same offsets
        return View("".join(pieces), offsets, _ends(offsets, original_length))
    starts = (*(offsets[i] for i, piece in enumerate(pieces) if piece), original_length)
    return View("".join(pieces), starts, _ends(starts, original_length))


# A run of at least four single characters with the same kind of short separator
# between them.  The character class of the separator excludes letters and digits, so
# the repetition cannot backtrack into itself: linear time.
_SPACED = re.compile(r"(?<![^\W_])[^\W_](?:[ .\-_*·|/,+~]{1,3}[^\W_](?![^\W_])){3,}")
_SEPARATOR = re.compile(r"[ .\-_*·|/,+~]+")


def _join_spaced(match: re.Match[str]) -> str:
    """Drop the usual separator; an odd one out holding a dot stays a dot
    ("g m a i l . c o m" → "gmail.com", "t.e.l.e.g.r.a.m" → "telegram")."""
    separators = _SEPARATOR.findall(match.group())
    usual = max(set(separators), key=separators.count)
    return _SEPARATOR.sub(
        lambda m: "." if m.group() != usual and "." in m.group() else "", match.group()
    )


# Where ``_SPACED`` can match: a single character between separators, then another one
# (the second and third characters of its run).  Starts with a class: ``re`` skips ahead
# at C speed, where ``_SPACED``'s leading look-behind is tried at every position.
_SPACED_HINT = re.compile(r"[ .\-_*·|/,+~][^\W_][ .\-_*·|/,+~]{1,3}[^\W_](?![^\W_])")


def compact_view(view: View) -> View:
    """``view`` with separators between single characters removed."""
    if _SPACED_HINT.search(view.text) is None:
        return view
    return rewrite(view, _SPACED, _join_spaced)


def normalize(text: str) -> NormalizedText:
    if text.isascii():
        return NormalizedText(text, text.lower(), None)
    pieces = list(map(_FOLDED.__getitem__, text))
    folded = _fold_mixed_words("".join(pieces))
    if len(folded) == len(text) and "" not in pieces:  # every character folded to one
        return NormalizedText(text, folded, None)
    offsets = (*(i for i, piece in enumerate(pieces) for _ in piece), len(text))
    return NormalizedText(text, folded, offsets)
