"""An index of many regular expressions by how their matches begin.

Keys write every non-word character as " " (so one key covers "t.e", "t e" and "t-e").

Python's ``re`` tries every branch of an alternation at every position, so one regex
holding hundreds of phrases costs milliseconds per message.  Instead each pattern is
filed under the one- or two-character strings its matches can start with (read from the
parsed pattern), and at each word start of a text only the patterns filed under that
word's first characters are tried with ``match``.  Matching stays linear: a bounded
number of anchored attempts per word start, each bounded by the pattern.

The word starts worth a look are found by one more regex, a trie of every key compiled
once: ``finditer`` skips the others at C speed, so a text naming nothing costs one scan.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any, Generic, TypeVar

T = TypeVar("T")
_MAX_KEYS = 5000
_ZERO_WIDTH = frozenset({sre.ASSERT, sre.ASSERT_NOT, sre.AT})


def _class_chars(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The characters a class can match, with every non-word character written " "."""
    if items and items[0][0] is sre.NEGATE:
        rest = {av for op, av in items[1:] if op is sre.CATEGORY}
        return {" "} if sre.CATEGORY_WORD in rest else None  # [^\w...]: non-word only
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(key_char(chr(av)))
        elif op is sre.RANGE and av[1] - av[0] < 64:
            chars.update(key_char(chr(c)) for c in range(av[0], av[1] + 1))
        elif op is sre.CATEGORY and av in (sre.CATEGORY_NOT_WORD, sre.CATEGORY_SPACE):
            chars.add(" ")
        elif op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            chars.update("0123456789")
        else:  # \w, \S, wide ranges
            return None
    return chars


def key_char(char: str) -> str:
    """How a character is written in a key: itself if it is a word character (or one of
    the private-use marker characters callers substitute for words), else " "."""
    return char if char.isalnum() or char == "_" or "\ue000" <= char <= "\uf8ff" else " "


def _starts(items: list[tuple[Any, Any]], n: int) -> set[str] | None:
    """Every string of (at most) ``n`` characters a match of ``items`` can begin with."""
    if n == 0 or not items:
        return {""}
    (op, av), rest = items[0], items[1:]
    if op in _ZERO_WIDTH:
        return _starts(rest, n)
    if op is sre.SUBPATTERN:
        return _starts(list(av[-1]) + rest, n)
    if op is sre.BRANCH:
        return _union(_starts(list(alt) + rest, n) for alt in av[1])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, _high, sub = av
        once = _starts(list(sub) + rest, n)
        return _union([once, _starts(rest, n)]) if low == 0 else once
    if op is sre.LITERAL:
        heads: set[str] | None = {key_char(chr(av))}
    elif op is sre.IN:
        heads = _class_chars(list(av))
    else:
        return None
    tails = _starts(rest, n - 1)
    if heads is None or tails is None or len(heads) * len(tails) > _MAX_KEYS:
        return None
    return {head + tail for head in heads for tail in tails}


def _union(parts: Iterable[set[str] | None]) -> set[str] | None:
    result: set[str] = set()
    for part in parts:
        if part is None:
            return None
        result |= part
    return result if len(result) <= _MAX_KEYS else None


_KEY_LENGTH = 5


def start_keys(pattern: str) -> frozenset[str] | None:
    """The longest starts (up to ``_KEY_LENGTH`` characters) of every match, all of one
    length (None: unknown).  Longer keys try fewer patterns in vain."""
    parsed = list(sre_parse.parse(pattern).data)
    for n in range(_KEY_LENGTH, 0, -1):
        keys = _starts(parsed, n)
        if keys is not None and all(len(key) == n for key in keys):
            return frozenset(keys)
    return None


def longest_match(pattern: re.Pattern[str]) -> int:
    """The most characters a match of ``pattern`` can span (huge if unbounded)."""
    return int(sre_parse.parse(pattern.pattern).getwidth()[1])


@dataclass(frozen=True, slots=True)
class Entry(Generic[T]):
    """One pattern to index: ``keys`` overrides the starts read from the pattern;
    entries of different ``group`` may overlap each other in the results."""

    pattern: str
    value: T
    keys: frozenset[str] | None = None
    group: str = ""


@dataclass(frozen=True, slots=True)
class _Bucket(Generic[T]):
    regex: re.Pattern[str]  # an alternation of (?P<gN>...) branches, one group each
    values: dict[str, tuple[str, T]]  # branch name -> (group, value)


class _KeyChars(dict[int, str]):
    """``str.translate`` table of :func:`key_char`, filled on first use (bounded)."""

    def __missing__(self, code: int) -> str:
        char = key_char(chr(code))
        if len(self) < 20_000:
            self[code] = char
        return char


_KEY_CHARS = _KeyChars()
_NON_KEY = r"(?:[^\w\ue000-\uf8ff]|\Z)"  # what key character " " stands for, or the end


def _keys_pattern(keys: Iterable[str]) -> str:
    """A pattern matching one character where one of ``keys`` matches (as
    :meth:`PrefixIndex.matches` builds keys from a text): a branch per first character,
    the rest of its keys checked by a look-ahead (a trie of the keys' tails).  Branches
    start with a literal, which ``re`` tests before entering one."""
    trie: dict[str, Any] = {}
    for key in keys:
        node = trie
        for char in key:
            node = node.setdefault(char, {})
        node[""] = {}

    def tail(node: dict[str, Any]) -> str:
        if "" in node:  # a key ends here: nothing more to check
            return ""
        branches = [
            (_NON_KEY if char == " " else re.escape(char)) + tail(child)
            for char, child in sorted(node.items())
        ]
        return branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"

    firsts = []
    for char, child in sorted(trie.items()):
        rest = tail(child)
        firsts.append(re.escape(char) + (f"(?={rest})" if rest else ""))
    return f"(?:{'|'.join(firsts)})"


class PrefixIndex(Generic[T]):
    """Patterns filed by start keys; :meth:`matches` tries only the relevant ones.

    All patterns of one group filed under one key are compiled into a single
    alternation, so a word start costs one ``match`` call per key and group.
    Patterns must not contain capturing groups of their own.

    A word start is a character of the class ``start`` not preceded by one of the class
    ``not_after`` (both written as regex character classes).
    """

    def __init__(self, entries: Iterable[Entry[T]], start: str, not_after: str) -> None:
        pending: dict[str, dict[str, list[tuple[str, T]]]] = {}
        for entry in entries:
            keys = start_keys(entry.pattern) if entry.keys is None else entry.keys
            for key in keys if keys is not None else ("",):
                by_group = pending.setdefault(key, {})
                by_group.setdefault(entry.group, []).append((entry.pattern, entry.value))
        self._by_key: dict[str, list[_Bucket[T]]] = {}
        # Keys filing the same patterns share one compiled bucket (compiling dominates
        # start-up time).
        compiled: dict[tuple[str, tuple[tuple[str, T], ...]], _Bucket[T]] = {}
        for key, by_group in pending.items():
            buckets: list[_Bucket[T]] = []
            for group, items in by_group.items():
                bucket = compiled.get((group, tuple(items)))
                if bucket is None:
                    branches: list[str] = []
                    values: dict[str, tuple[str, T]] = {}
                    for index, (pattern, value) in enumerate(items):
                        branches.append(f"(?P<g{index}>{pattern})")
                        values[f"g{index}"] = (group, value)
                    bucket = _Bucket(re.compile("|".join(branches)), values)
                    compiled[group, tuple(items)] = bucket
                buckets.append(bucket)
            self._by_key[key] = buckets  # key "": starts unknown, tried everywhere
        # Cheapest test first: the look-behind rejects a position inside a word at once.
        first = "." if "" in self._by_key else _keys_pattern(self._by_key)
        self._word_starts = re.compile(f"(?<!{not_after}){first}(?<={start})", re.DOTALL)
        # The key lengths filed, as slices of a text's first characters.
        self._key_slices = [slice(0, n) for n in sorted({len(key) for key in self._by_key})]

    def matches(self, text: str) -> list[tuple[re.Match[str], T]]:
        """Matches beginning at word starts; within a group non-overlapping, leftmost then
        longest."""
        found: list[tuple[re.Match[str], str, T]] = []
        get = self._by_key.get
        for start in self._word_starts.finditer(text):
            pos = start.start()
            # The start is a word character: it is its own key character.
            head = text[pos : pos + _KEY_LENGTH].translate(_KEY_CHARS).ljust(_KEY_LENGTH)
            for key in map(head.__getitem__, self._key_slices):
                for bucket in get(key, ()):
                    match = bucket.regex.match(text, pos)
                    if match and match.end() > pos:
                        group, value = bucket.values[match.lastgroup or ""]
                        found.append((match, group, value))
        found.sort(key=lambda item: (item[0].start(), -item[0].end()))
        chosen: list[tuple[re.Match[str], T]] = []
        ends: dict[str, int] = {}
        for match, group, value in found:
            if match.start() >= ends.get(group, -1):
                chosen.append((match, value))
                ends[group] = match.end()
        return chosen
