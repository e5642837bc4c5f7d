"""One multi-pattern matcher for every lexicon pattern: Intel Hyperscan.

Every pattern of the lexicons (channel names, intent and frame phrases, the cues that
tell a recognizer it has work to do) is compiled into ONE Hyperscan database.  A text
view is scanned once, at line rate, whatever the number of patterns; Python then
verifies only the patterns that fired, near where they fired, with the exact ``re``
pattern.

Hyperscan compiles each pattern in prefilter mode, from a *superset* translation of the
``re`` pattern (:func:`superset`): look-arounds are dropped, word boundaries and
Unicode classes widened, so the database reports every place a true match ends (and
some more).  Compiling Unicode classes exactly (``HS_FLAG_UCP``) takes ~20 s per phrase;
the superset compiles all of them in about a second, and the exact check is Python's.

The patterns and the compiled database are cached on disk (``OPGUARD_CACHE_DIR``, else
``$XDG_CACHE_HOME/opguard``), keyed by a hash of the lexicon files and of the code that
reads them, and loaded in milliseconds (Hyperscan refuses a database another version
wrote: it is then built again); a cache that cannot be written is skipped.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import hyperscan

from streams.detection.superset import superset

__all__ = ["Candidates", "Match", "Matcher", "Pattern", "cache_dir"]

#: A verified match spans at most this many characters; the exact pattern is tried in
#: this window before each place the database saw a match end (linear in the text).
MAX_MATCH_CHARS = 600
_FLAGS = hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_PREFILTER | hyperscan.HS_FLAG_DOTALL
_CUE_FLAGS = _FLAGS | hyperscan.HS_FLAG_SINGLEMATCH


@dataclass(frozen=True, slots=True)
class Pattern:
    """One lexicon pattern.

    ``regex`` is ``re`` syntax and exact; ``view`` names the text view it is matched on;
    within one ``group`` verified matches do not overlap (leftmost, then longest, then
    first listed).  A ``cue`` is only asked whether it fired (a recognizer's sign of
    work): it is not verified and reports at most once per scan.
    """

    regex: str
    group: str
    view: str
    value: Any = None
    cue: bool = False


@dataclass(frozen=True, slots=True)
class Match:
    pattern: Pattern
    found: re.Match[str]  # the exact pattern's match

    @property
    def start(self) -> int:
        return self.found.start()

    @property
    def end(self) -> int:
        return self.found.end()

    def group(self, name: str) -> str:
        return self.found.group(name) or ""


# -- the database -----------------------------------------------------------------------
def cache_dir() -> Path:
    """Where opguard caches what it builds once (``OPGUARD_CACHE_DIR``)."""
    configured = os.environ.get("OPGUARD_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "opguard"


def _compile(patterns: Sequence[Pattern], ids: Sequence[int]) -> hyperscan.Database:
    """One database of ``patterns`` (each reported by its id in ``ids``)."""
    for pattern in patterns:  # a broken lexicon entry fails here, by name
        try:
            re.compile(pattern.regex)
        except re.error as error:
            raise ValueError(f"lexicon pattern {pattern.regex!r}: {error}") from None
    expressions = [superset(p.regex).encode() for p in patterns]
    flags = [_CUE_FLAGS if p.cue else _FLAGS for p in patterns]
    database = hyperscan.Database()
    try:
        database.compile(expressions=expressions, ids=list(ids), flags=flags)
    except hyperscan.error as error:
        for expression, flag in zip(expressions, flags, strict=True):  # name the culprit
            try:
                hyperscan.Database().compile(expressions=[expression], ids=[0], flags=[flag])
            except hyperscan.error as culprit:
                raise ValueError(f"lexicon pattern {expression.decode()!r}: {culprit}") from None
        raise error
    return database


def _key(sources: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for source in sorted(sources):
        digest.update(source.name.encode() + b"\0" + source.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


class Matcher:
    """The compiled patterns; :meth:`scan` a view, then ask its :class:`Candidates`."""

    def __init__(
        self, patterns: Iterable[Pattern], databases: dict[str, hyperscan.Database]
    ) -> None:
        self.patterns = tuple(patterns)
        self._databases = databases  # one per view: a scan runs that view's patterns only
        for database in databases.values():
            database.scratch = hyperscan.Scratch(database)
        self._compiled: dict[int, re.Pattern[str]] = {}

    @classmethod
    def build(cls, patterns: Iterable[Pattern]) -> Matcher:
        patterns = tuple(patterns)
        by_view: dict[str, list[int]] = {}
        for index, pattern in enumerate(patterns):
            by_view.setdefault(pattern.view, []).append(index)
        databases = {
            view: _compile([patterns[i] for i in ids], ids) for view, ids in by_view.items()
        }
        return cls(patterns, databases)

    @classmethod
    def cached(cls, build: Callable[[], Iterable[Pattern]], sources: Iterable[Path]) -> Matcher:
        """The matcher of ``build()``'s patterns, from the cache if ``sources`` (the
        lexicon files and the code that turns them into patterns) are unchanged."""
        path = cache_dir() / f"matcher-{_key(sources)}.pickle"
        try:
            # Our own cache file (written below, by this user): patterns and database.
            patterns, data = pickle.loads(path.read_bytes())
            mode = hyperscan.HS_MODE_BLOCK
            return cls(patterns, {view: hyperscan.loadb(d, mode) for view, d in data.items()})
        except (OSError, pickle.UnpicklingError, EOFError, hyperscan.error, ValueError):
            pass  # not built yet, or by another Hyperscan: build it
        matcher = cls.build(build())
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as file:
                data = {view: hyperscan.dumpb(db) for view, db in matcher._databases.items()}
                file.write(pickle.dumps((matcher.patterns, data)))
            os.replace(file.name, path)  # atomic: concurrent starts never read half a file
        except OSError:
            pass  # a read-only home: compile again next start
        return matcher

    def scan(self, view: str, text: str) -> Candidates:
        """Every pattern of ``view`` that may match ``text``, with where matches end."""
        ends: dict[int, list[int]] = {}
        database = self._databases.get(view)
        if database is None:
            return Candidates(self, text, ends)

        def on_match(index: int, _from: int, to: int, _flags: int, _context: object) -> None:
            ends.setdefault(index, []).append(to)

        data = text.encode("utf-8", "replace")  # a lone surrogate: one "?" byte
        database.scan(data, match_event_handler=on_match)
        if ends and len(data) != len(text):  # byte offsets to character offsets
            ends = _to_characters(data, ends)
        return Candidates(self, text, ends)

    def regex(self, index: int) -> re.Pattern[str]:
        compiled = self._compiled.get(index)
        if compiled is None:  # compiled on first need: most patterns never fire
            compiled = self._compiled[index] = re.compile(self.patterns[index].regex)
        return compiled


def _to_characters(data: bytes, ends: dict[int, list[int]]) -> dict[int, list[int]]:
    offsets = sorted({end for found in ends.values() for end in found})
    chars: dict[int, int] = {}
    byte = char = 0
    for offset in offsets:  # one decode of each stretch: linear in the text
        char += len(data[byte:offset].decode("utf-8", "replace"))
        chars[offset], byte = char, offset
    return {index: [chars[end] for end in found] for index, found in ends.items()}


class Candidates:
    """What one scan of one view found: the patterns that fired, and where."""

    def __init__(self, matcher: Matcher, text: str, ends: dict[int, list[int]]) -> None:
        self._matcher, self.text, self._ends = matcher, text, ends

    def fired(self, group: str) -> bool:
        """Whether some pattern of ``group`` may match (for cues: does)."""
        patterns = self._matcher.patterns
        return any(patterns[index].group == group for index in self._ends)

    def __bool__(self) -> bool:
        return bool(self._ends)

    def matches(self, groups: Iterable[str] | None = None) -> list[Match]:
        """The verified matches of the patterns of ``groups`` (None: all but cues); in
        each group non-overlapping, leftmost then longest then first listed."""
        wanted = None if groups is None else frozenset(groups)
        found: list[tuple[int, int, int, re.Match[str]]] = []
        for index, ends in self._ends.items():
            pattern = self._matcher.patterns[index]
            if pattern.cue or (wanted is not None and pattern.group not in wanted):
                continue
            found += ((m.start(), -m.end(), index, m) for m in self._verify(index, ends))
        found.sort(key=lambda item: item[:3])
        chosen: list[Match] = []
        group_ends: dict[str, int] = {}
        for start, _end, index, match in found:
            pattern = self._matcher.patterns[index]
            if start >= group_ends.get(pattern.group, -1):
                chosen.append(Match(pattern, match))
                group_ends[pattern.group] = match.end()
        return chosen

    def _verify(self, index: int, ends: list[int]) -> list[re.Match[str]]:
        regex, text = self._matcher.regex(index), self.text
        found: dict[tuple[int, int], re.Match[str]] = {}
        for low, high in _windows(ends, len(text)):
            # The character after a match is read by its look-ahead: a match running
            # into ``stop`` (one past the window) is cut there and not trusted.
            stop = min(len(text), high + 1)
            for match in regex.finditer(text, low, stop):
                if match.end() > match.start() and (match.end() < stop or stop == len(text)):
                    found.setdefault(match.span(), match)
        return list(found.values())


def _windows(ends: list[int], length: int) -> list[tuple[int, int]]:
    """Merged ``[end - MAX_MATCH_CHARS, end]`` windows (the whole text if it is short)."""
    if length <= 4 * MAX_MATCH_CHARS:
        return [(0, length)]
    windows: list[tuple[int, int]] = []
    for end in sorted(set(ends)):
        low = max(0, end - MAX_MATCH_CHARS)
        if windows and low <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((low, end))
    return windows
