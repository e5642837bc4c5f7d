"""Number words read as the numbers a speaker says: "сорок пять" is 45, "девятьсот
шестнадцать" 916, "soixante-dix-huit" 78, "beş yüz otuz iki" 532, "nine one seven" 9 1 7.

The words of 0-99 and of the hundreds come from num2words (a maintained number-to-words
library) for the languages it knows; ``phrases/numbers.yaml`` adds the digit words of
every language (Hindi, Urdu, Bengali, Swahili, Tagalog, Arabizi…).  A run of number words
reads as groups: a hundreds word, then a tens word, then a unit make one group
("девятьсот" + "шестнадцать" = 916, "beş" × "yüz" + "otuz" + "iki" = 532); a unit after
a unit, or a zero, starts a new group ("nine one seven" = 9, 1, 7).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from num2words import num2words

from streams.detection.normalize import normalize

__all__ = ["LANGUAGES", "TOKEN", "Phrases", "phrases", "read"]

#: The languages whose number words num2words spells (``pt_BR``: "dezesseis").
LANGUAGES = (
    "en", "es", "pt", "pt_BR", "fr", "de", "it", "pl", "nl", "ro", "ru", "uk", "tr", "ar",
    "id", "vi",
)  # fmt: skip
#: A word of the folded text (combining marks belong to it: "पाँच", "नौ").
TOKEN = re.compile(
    r"(?:[^\W_]|[\u0900-\u0dff\u064b-\u065f\u0670])+(?:['’](?:[^\W_]|[\u0900-\u0dff])+)?"
)
_HUNDRED = 100


class Phrases:
    """Token tuples of the folded text -> the number they say."""

    def __init__(self, table: dict[tuple[str, ...], int]) -> None:
        self.table = table
        self.longest = max(map(len, table))
        #: every word of a phrase ("y", "و" and "hundred" only inside one)
        self.words = frozenset(word for phrase in table for word in phrase)


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(TOKEN.findall(normalize(text).folded))


@cache
def phrases(digit_words: tuple[tuple[str, str], ...]) -> Phrases:
    """The phrase table: num2words' 0-99 and hundreds, and ``digit_words`` (word,
    digit) pairs.  The first language to spell a phrase gives its value."""
    table: dict[tuple[str, ...], int] = {}
    for language in LANGUAGES:
        for number in (*range(100), *range(100, 1000, 100)):
            words = _tokens(num2words(number, lang=language))
            table.setdefault(words, number)
            if "و" in words:  # Arabic writes "and" glued to the next word: "وأربعون"
                glued = " ".join(words).replace("و ", "و").split()
                table.setdefault(tuple(glued), number)
        one_hundred = _tokens(num2words(_HUNDRED, lang=language))
        if len(one_hundred) == 2:  # "one hundred": "hundred" alone multiplies ("five hundred")
            table.setdefault(one_hundred[1:], _HUNDRED)
    for phrase, number in list(table.items()):
        if any(w.endswith("ون") for w in phrase):  # spoken Arabic: "أربعين" for "أربعون"
            spoken = tuple(w[:-2] + "ين" if w.endswith("ون") else w for w in phrase)
            table.setdefault(spoken, number)
    for word, digit in digit_words:
        table.setdefault(_tokens(word), int(digit))
    return Phrases(table)


def read(words: Sequence[str], table: Phrases) -> list[tuple[int, int, str]]:
    """The groups of number ``words``: (first word, end word, digits) per group, longest
    phrases first; a word that is in no phrase ("y" alone) is skipped."""
    said: list[tuple[int, int, int]] = []  # (first, end, number)
    index = 0
    while index < len(words):
        for size in range(min(table.longest, len(words) - index), 0, -1):
            number = table.table.get(tuple(words[index : index + size]))
            if number is not None:
                said.append((index, index + size, number))
                index += size
                break
        else:
            index += 1
    groups: list[tuple[int, int, str]] = []
    for first, end, number in said:
        if groups and _joins(int(groups[-1][2]), number):
            start, _, value = groups[-1]
            joined = int(value) * _HUNDRED if number == _HUNDRED else int(value) + number
            groups[-1] = (start, end, str(joined))
        else:
            groups.append((first, end, str(number)))
    return groups


def _joins(group: int, number: int) -> bool:
    """Whether ``number`` continues ``group``: 5 × hundred, 900 + 16, 40 + 5, 930 + 2."""
    if group == 0 or number == 0:
        return False
    if number == _HUNDRED:
        return group < 10
    rest = group % _HUNDRED
    if rest == 0:
        return number < _HUNDRED
    return rest % 10 == 0 and number < 10  # "on sekiz" (tr), "mười sáu" (vi): 10 + 8
