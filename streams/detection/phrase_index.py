"""An index of many regular expressions by how their matches begin.

Keys write every non-word character as " " (so one key covers "t.e", "t e" and "t-e").

Python's ``re`` tries every branch of an alternation at every position, so one regex
holding hundreds of phrases costs milliseconds per message.  Instead each pattern is
filed under the one- or two-character strings its matches can start with (read from the
parsed pattern), and at each word start of a text only the patterns filed under that
word's first characters are tried with ``match``.  Matching stays linear: a bounded
number of anchored attempts per word start, each bounded by the pattern.

Two necessary conditions keep most attempts from being made, at C speed:

- the word starts worth a look: a text's words come from one ``translate`` and one
  ``split``, and a memo per word gives the words one of which the text must hold for
  some bucket a key beginning that word files to be tried (:meth:`PrefixIndex._needs_of`);
- the words a bucket needs (:func:`required_words`, read from the parsed patterns):
  most phrases fail after a generic start ("the ", "could", "share") for want of a
  word further on, so a text whose words (one ``frozenset``) miss every branch's
  rarest needed word skips the bucket.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress
from operator import itemgetter, not_
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


def _is_word(char: str) -> bool:
    """Whether ``re`` reads ``char`` as ``\\w``."""
    return char.isalnum() or char == "_"


def _is_mark(char: str) -> bool:
    """A private-use character: callers substitute them for whole words."""
    return "\ue000" <= char <= "\uf8ff"


def _never_word(op: Any, av: Any) -> bool:
    """``(op, av)`` matches one character, never a word character."""
    if op is sre.LITERAL:
        return not _is_word(chr(av))
    if op is not sre.IN:
        return False
    items = list(av)
    if items and items[0][0] is sre.NEGATE:
        return any(o is sre.CATEGORY and a is sre.CATEGORY_WORD for o, a in items[1:])
    return all(
        (o is sre.LITERAL and not _is_word(chr(a)))
        or (
            o is sre.RANGE
            and a[1] - a[0] < 64
            and not any(_is_word(chr(c)) for c in range(a[0], a[1] + 1))
        )
        or (o is sre.CATEGORY and a in (sre.CATEGORY_NOT_WORD, sre.CATEGORY_SPACE))
        for o, a in items
    )


def _edge(op: Any, av: Any, first: bool) -> bool:
    """Every non-empty match of ``(op, av)`` begins (ends) with a non-word character."""
    if op in (sre.LITERAL, sre.IN):
        return _never_word(op, av)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        return _seq_edge(list(av[2]), first)
    if op is sre.SUBPATTERN:
        return _seq_edge(list(av[-1]), first)
    if op is sre.BRANCH:
        return all(_seq_edge(list(alt), first) for alt in av[1])
    return op in _ZERO_WIDTH


def _nullable(op: Any, av: Any) -> bool:
    """``(op, av)`` can match the empty string."""
    if op in (sre.LITERAL, sre.IN):
        return False
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        return bool(av[0] == 0) or _seq_nullable(list(av[2]))
    if op is sre.SUBPATTERN:
        return _seq_nullable(list(av[-1]))
    if op is sre.BRANCH:
        return any(_seq_nullable(list(alt)) for alt in av[1])
    return True


def _seq_nullable(items: list[tuple[Any, Any]]) -> bool:
    return all(_nullable(op, av) for op, av in items)


def _seq_edge(items: list[tuple[Any, Any]], first: bool) -> bool:
    for op, av in items if first else reversed(items):
        if not _edge(op, av, first):
            return False
        if not _nullable(op, av):
            return True
    return True


def _not_word_look(op: Any, av: Any) -> int:
    """-1 for ``(?<!\\w)``, 1 for ``(?!\\w)``, else 0."""
    if op is not sre.ASSERT_NOT:
        return 0
    direction, sub = av
    inner = list(sub)
    if (
        len(inner) == 1
        and inner[0][0] is sre.IN
        and list(inner[0][1]) == [(sre.CATEGORY, sre.CATEGORY_WORD)]
    ):
        return -1 if direction < 0 else 1
    return 0


def _right_edge(items: list[tuple[Any, Any]], index: int, right: bool) -> bool:
    """Whether the character after ``items[:index]`` is never a word character."""
    for op, av in items[index:]:
        if _not_word_look(op, av) == 1:
            return True
        if not _edge(op, av, first=True):
            return False
        if not _nullable(op, av):
            return True
    return right


Clause = frozenset[str]


def _clauses(items: list[tuple[Any, Any]], left: bool, right: bool) -> list[Clause]:
    """Sets of words one of which every match needs as a whole word (a run of word
    characters between non-word characters), or marker characters it needs.

    ``left``/``right``: the characters before and after a match of ``items`` are never
    word characters."""
    found: list[Clause] = []
    boundary = left  # the character before the current item is never a word character
    run: list[str] = []
    run_left = False

    def close(run_right: bool) -> None:
        if run and run_left and run_right:
            found.append(frozenset({"".join(run)}))
        run.clear()

    for index, (op, av) in enumerate(items):
        if op is sre.LITERAL and _is_word(chr(av)):
            if not run:
                run_left = boundary
            run.append(chr(av))
            boundary = False
            continue
        look = _not_word_look(op, av)
        if look or op in _ZERO_WIDTH:
            if look == -1 and not run:
                boundary = True
            elif look == 1:
                close(True)
            continue
        close(_right_edge(items, index, right))
        after = _right_edge(items, index + 1, right)
        if op is sre.SUBPATTERN:
            found += _clauses(list(av[-1]), boundary, after)
        elif op is sre.BRANCH:
            alternatives = [_clauses(list(alt), boundary, after) for alt in av[1]]
            if all(alternatives):
                found.append(frozenset().union(*map(_best, alternatives)))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
            inner = list(av[2])
            once = av[1] == 1
            found += _clauses(
                inner,
                boundary and (once or _seq_edge(inner, False)),
                after and (once or _seq_edge(inner, True)),
            )
        elif op is sre.LITERAL and _is_mark(chr(av)):
            found.append(frozenset({chr(av)}))
        elif op is sre.IN and all(o is sre.LITERAL and _is_mark(chr(a)) for o, a in av):
            found.append(frozenset(chr(a) for _, a in av))
        boundary = _edge(op, av, first=False) and (boundary or not _nullable(op, av))
    close(right)
    return found


def _rarity(clause: Clause) -> tuple[int, int]:
    """Higher for a clause less likely to hold in a text: markers, then long words."""
    return min(99 if _is_mark(w) else len(w) for w in clause), -len(clause)


def _best(clauses: list[Clause]) -> Clause:
    return max(clauses, key=_rarity)


def required_words(pattern: str) -> Clause | None:
    """Words (or marker characters) one of which every match of ``pattern`` holds as a
    whole word, the rarest such set read from the pattern; None if there is none."""
    clauses = _clauses(list(sre_parse.parse(pattern).data), False, False)
    return _best(clauses) if clauses else None


def longest_match(pattern: re.Pattern[str]) -> int:
    """The most characters a match of ``pattern`` can span (huge if unbounded)."""
    return int(sre_parse.parse(pattern.pattern).getwidth()[1])


@dataclass(frozen=True, slots=True)
class Entry(Generic[T]):
    """One pattern to index: ``keys`` overrides the starts read from the pattern;
    entries of different ``group`` may overlap each other in the results.

    ``words``: if given, the only ASCII words (whole runs of the index's ``start``
    characters) a match may begin in; a word start whose word is ASCII and not among
    them is not tried.  A necessary condition the caller derives from the pattern
    (``tests/detection/test_prefilter.py`` checks it against every word start).
    """

    pattern: str
    value: T
    keys: frozenset[str] | None = None
    group: str = ""
    words: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class _Bucket(Generic[T]):
    # The branches, one (?P<gN>...) group each, as alternations of the branches that
    # need the same words (:func:`required_words`; None: no word), each tried only if
    # the text holds one of them.  The first branch (lowest N) that matches wins, as
    # in one alternation of them all.
    parts: tuple[tuple[frozenset[str] | None, re.Pattern[str]], ...]
    values: dict[str, tuple[int, str, T]]  # branch name -> (N, group, value)
    # Every branch's rarest word set of :func:`required_words`, together (None: some
    # branch has none).  A text holding none of these words skips the bucket.
    needs: frozenset[str] | None
    # Every branch's ASCII words it may begin in (``Entry.words``), together (None:
    # some branch may begin in any).  A word start in another ASCII word skips it.
    starts_in: frozenset[str] | None


class _CharTable(dict[int, str]):
    """``str.translate`` table of one character function, filled on first use
    (bounded, as a text can hold any character).  :meth:`translate` uses a plain
    ``dict`` of the ASCII characters for an ASCII text: ``str.translate`` is three times
    as fast with a plain ``dict`` as with a subclass."""

    def __init__(self, char: Callable[[str], str]) -> None:
        super().__init__()
        self._char = char
        self._ascii = {code: char(chr(code)) for code in range(128)}

    def translate(self, text: str) -> str:
        return text.translate(self._ascii if text.isascii() else self)

    def __missing__(self, code: int) -> str:
        produced = self._char(chr(code))
        if len(self) < 20_000:
            self[code] = produced
        return produced


_KEY_CHARS = _CharTable(key_char)
# Whole words and marker characters, each between spaces: ``split`` gives a text's words.
_WORDS = _CharTable(lambda c: c if _is_word(c) else f" {c} " if _is_mark(c) else " ")
_LETTERS = _CharTable(lambda c: c if c.isalpha() else " ")  # ASCII: same as [^\W\d_]

K = TypeVar("K")
V = TypeVar("V")


class _Memo(dict[K, V]):
    """A function of a short string (or a pair of them), computed on first use; emptied
    when full, so the strings in use come back first (texts hold ids and names seen
    once)."""

    def __init__(self, compute: Callable[[K], V]) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, key: K) -> V:
        value = self._compute(key)
        if len(self) >= 50_000:
            self.clear()
        self[key] = value
        return value


# A set of needed words every text meets: ``words`` holds "" (no word is "").
ALWAYS = frozenset({""})


@lru_cache(maxsize=8)  # the channel and intent indexes mostly look at the same text
def words(text: str) -> frozenset[str]:
    """The whole words (runs of word characters) and the marker characters of ``text``,
    and "" (see ``ALWAYS``)."""
    if text.isascii():
        return frozenset([*ascii_words(text)[1], ""])
    return frozenset([*_WORDS.translate(text).split(), ""])


# A digit next to a letter ("v3", "5pm", "de89"): a token of both, in a text without "_".
MIXED_TOKEN = re.compile(r"[0-9](?:[^\W\d_]|(?<=[^\W\d_][0-9]))")


@lru_cache(maxsize=8)  # the channel index, the prefilter and digit_view ask of one text
def has_mixed_token(text: str) -> bool:
    """Whether a digit of ``text`` stands next to a letter ("v3", "5pm", "de89")."""
    return MIXED_TOKEN.search(text) is not None


@lru_cache(maxsize=8)
def ascii_words(text: str) -> tuple[str, list[str]]:
    """An ASCII ``text`` with every non-word character written " " (between two more
    spaces), and its words in text order (read-only): shared by :func:`words`, an
    index whose word starts are those of words (the intent index) and the
    spelled-digits hint."""
    spaced = f" {_WORDS.translate(text)} "
    return spaced, spaced.split()


class PrefixIndex(Generic[T]):
    """Patterns filed by start keys; :meth:`matches` tries only the relevant ones.

    All patterns of one group filed under one key are compiled into a single
    alternation, so a word start costs one ``match`` call per key and group, and none
    when the text lacks every word the alternation needs (:func:`required_words`).
    Patterns must not contain capturing groups of their own.

    A word start is a character of the class ``start`` not preceded by one of the class
    ``not_after`` (both written as regex character classes).  ``also_after``: a class
    of the characters of ``start`` that are not in ``not_after`` (a word may start right
    after one), "" if there are none; they must be non-ASCII.
    """

    def __init__(
        self, entries: Iterable[Entry[T]], start: str, not_after: str, also_after: str = ""
    ) -> None:
        pending: dict[str, dict[str, list[tuple[str, T, frozenset[str] | None]]]] = {}
        for entry in entries:
            keys = start_keys(entry.pattern) if entry.keys is None else entry.keys
            for key in keys if keys is not None else ("",):
                by_group = pending.setdefault(key, {})
                by_group.setdefault(entry.group, []).append(
                    (entry.pattern, entry.value, entry.words)
                )
        by_key: dict[str, list[_Bucket[T]]] = {}
        # Keys filing the same patterns share one compiled bucket (compiling dominates
        # start-up time).
        compiled: dict[
            tuple[str, tuple[tuple[str, T, frozenset[str] | None], ...]], _Bucket[T]
        ] = {}
        for key, by_group in pending.items():
            buckets: list[_Bucket[T]] = []
            for group, items in by_group.items():
                bucket = compiled.get((group, tuple(items)))
                if bucket is None:
                    bucket = _bucket(group, items)
                    compiled[group, tuple(items)] = bucket
                buckets.append(bucket)
            by_key[key] = buckets  # key "": starts unknown, tried everywhere
        lengths = sorted({len(key) for key in by_key})
        # The buckets to try where a text continues with given ``_KEY_LENGTH`` characters
        # (fewer at its end).
        self._buckets_at: _Memo[str, tuple[_Bucket[T], ...]] = _Memo(
            lambda raw: tuple(
                bucket
                for n in lengths
                for bucket in by_key.get(raw.translate(_KEY_CHARS).ljust(_KEY_LENGTH)[:n], ())
            )
        )
        # Word starts are read from a copy of the text with every character outside
        # ``start`` written " ": ``split`` gives its words at C speed.
        is_start = re.compile(start).fullmatch
        self._starts_only = _CharTable(lambda c: c if is_start(c) else " ")
        # In an ASCII text, are the words of ``start`` those of :func:`words`?
        self._starts_are_words = self._starts_only._ascii == _WORDS._ascii
        # Or its letter runs, so that in an ASCII text without "_" or a mixed token (where
        # every word is all letters or all digits) they are the words of
        # :func:`ascii_words` less those of digits, at the same places?
        self._starts_are_letters = self._starts_only._ascii == _LETTERS._ascii
        # The buckets worth a look at a word start, by its next ``_KEY_LENGTH``
        # characters and its word: ``_buckets_at`` less those the word cannot begin.
        self._buckets_for: _Memo[tuple[str, str | None], tuple[_Bucket[T], ...]] = _Memo(
            lambda key: self._buckets_in(*key)
        )
        # What a word start needs of the text's words (``words``) for some bucket there
        # to be tried, by its word: see :meth:`_needs_of`.
        self._by_key = by_key
        self._after_word: dict[str, list[_Bucket[T]]] = {}
        for key, key_buckets in by_key.items():
            at = key.translate(self._starts_only).find(" ")
            if at > 0:  # the key goes on after a word of ``at`` characters
                self._after_word.setdefault(key[:at], []).extend(key_buckets)
        self._lengths = lengths
        self._word_needs: _Memo[str, frozenset[str]] = _Memo(self._needs_of)
        # The same for a word of :func:`ascii_words` where the starts are letter runs: a
        # word of digits is none (it needs a word no text holds).
        self._letter_word_needs: _Memo[str, frozenset[str]] = _Memo(
            lambda word: frozenset() if word[0].isdigit() else self._word_needs[word]
        )
        self._also_after = re.compile(also_after) if also_after else None
        # Whether a bucket tries only the branches whose words the text holds (off: every
        # branch, for tests that compare the two).
        self.branch_gates = True
        if self._also_after and any(self._also_after.match(chr(c)) for c in range(128)):
            raise ValueError("also_after must name non-ASCII characters only")

    def _tries(self, text: str) -> list[tuple[int, _Bucket[T]]]:
        """The (word start, bucket) pairs worth a ``match``, in text order: a superset of
        those that match (``tests/detection/test_prefilter.py`` checks it against every
        pair)."""
        present = words(text)
        needs_of = self._word_needs
        if self._starts_are_words and text.isascii():
            starts, found = ascii_words(text)
        elif (
            self._starts_are_letters
            and text.isascii()
            and "_" not in text
            and not has_mixed_token(text)
        ):  # the letter runs are the words of letters, the digit words start nothing
            starts, found = ascii_words(text)
            needs_of = self._letter_word_needs
        else:
            starts = f" {self._starts_only.translate(text)} "
            found = starts.split()
        # A word none of whose buckets the text can satisfy is no start to try; at C
        # speed (a memo per word).
        live = map(not_, map(present.isdisjoint, map(needs_of.__getitem__, found)))
        positions: list[tuple[int, str | None]] = []
        at = 0
        for live_word in compress(found, live):
            # The next " word " is this word: an earlier one is live too, taken already.
            # (" " at ``at`` in ``starts`` is before ``text[at]``.)
            at = starts.find(f" {live_word} ", at)
            positions.append((at, live_word))
            at += 1
        if self._also_after is not None and not text.isascii():
            extra = [  # right after a character of also_after: no word start of ``split``
                (match.end(), None)
                for match in self._also_after.finditer(text)
                if match.end() < len(text) and starts[match.end() + 1] != " "
            ]
            if extra:
                positions += extra
                positions.sort(key=itemgetter(0))
        buckets_for = self._buckets_for
        tries: list[tuple[int, _Bucket[T]]] = []
        for pos, word in positions:
            for bucket in buckets_for[text[pos : pos + _KEY_LENGTH], word]:
                if bucket.needs is None or not bucket.needs.isdisjoint(present):
                    tries.append((pos, bucket))
        return tries

    def _needs_of(self, word: str) -> frozenset[str]:
        """Words one of which the text must hold for a bucket to be tried at a start of
        ``word`` (a whole run of ``start`` characters); ``ALWAYS`` if some bucket needs
        none, empty if no bucket may be tried there.

        A superset of the buckets ``_buckets_for`` gives at such a start, whatever
        follows the word: a key of ``n`` characters matches the text there only if it
        is the word's first ``n`` characters, or the whole word and then a character
        outside ``start`` (which ``_starts_only`` writes " ")."""
        candidates = [*self._by_key.get("", ()), *self._after_word.get(word, ())]
        for n in self._lengths:
            if 0 < n <= len(word):
                candidates += self._by_key.get(word[:n], ())
        needs: set[str] = set()
        for bucket in candidates:
            if bucket.starts_in is not None and word.isascii() and word not in bucket.starts_in:
                continue
            if bucket.needs is None:
                return ALWAYS
            needs |= bucket.needs
        return frozenset(needs)

    def _buckets_in(self, head: str, word: str | None) -> tuple[_Bucket[T], ...]:
        """The buckets filed under ``head`` that a match may begin in ``word``
        (``Entry.words``; None: right after a character of ``also_after``)."""
        return tuple(
            bucket
            for bucket in self._buckets_at[head]
            if bucket.starts_in is None
            or word is None
            or word in bucket.starts_in
            or not word.isascii()
        )

    def matches(self, text: str) -> list[tuple[re.Match[str], T]]:
        """Matches beginning at word starts; within a group non-overlapping, leftmost then
        longest."""
        found: list[tuple[re.Match[str], str, T]] = []
        present: frozenset[str] | None = None
        for pos, bucket in self._tries(text):
            if len(bucket.parts) == 1:
                match = bucket.parts[0][1].match(text, pos)
            else:
                if present is None:
                    present = words(text) if self.branch_gates else frozenset()
                match = _first_match(bucket, text, pos, present if self.branch_gates else None)
            if match and match.end() > pos:
                _, group, value = bucket.values[match.lastgroup or ""]
                found.append((match, group, value))
        found.sort(key=lambda item: (item[0].start(), -item[0].end()))
        chosen: list[tuple[re.Match[str], T]] = []
        ends: dict[str, int] = {}
        for match, group, value in found:
            if match.start() >= ends.get(group, -1):
                chosen.append((match, value))
                ends[group] = match.end()
        return chosen


def _first_match(
    bucket: _Bucket[T], text: str, pos: int, present: frozenset[str] | None
) -> re.Match[str] | None:
    """The match of the bucket's first branch that matches at ``pos``; parts needing
    none of the words ``present`` are skipped (None: every part is tried)."""
    best: re.Match[str] | None = None
    best_index = len(bucket.values)
    for need, regex in bucket.parts:
        if need is not None and present is not None and need.isdisjoint(present):
            continue
        match = regex.match(text, pos)
        if match is not None:
            index = bucket.values[match.lastgroup or ""][0]
            if index < best_index:
                best, best_index = match, index
    return best


def _bucket(group: str, items: list[tuple[str, T, frozenset[str] | None]]) -> _Bucket[T]:
    by_need: dict[frozenset[str] | None, list[str]] = {}
    values: dict[str, tuple[int, str, T]] = {}
    needs: set[str] | None = set()
    starts_in: set[str] | None = set()
    for index, (pattern, value, words_) in enumerate(items):
        required = required_words(pattern)
        by_need.setdefault(required, []).append(f"(?P<g{index}>{pattern})")
        values[f"g{index}"] = (index, group, value)
        needs = None if needs is None or required is None else needs | required
        starts_in = None if starts_in is None or words_ is None else starts_in | words_
    return _Bucket(
        tuple((need, re.compile("|".join(branches))) for need, branches in by_need.items()),
        values,
        None if needs is None else frozenset(needs),
        None if starts_in is None else frozenset(starts_in),
    )
