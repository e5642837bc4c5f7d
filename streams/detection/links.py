"""Links to known hosts, written plainly or spaced out ("t . me / pm_john",
"zoom(.)us/j/123"), shared by the messaging, meeting, social and payment detectors.

Each detector passes a table of ``(channel, pattern)`` where ``pattern`` matches the host
and path with bounded repetitions only, so the scan is linear in the text length.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

from streams.detection.normalize import View, rewrite

_SPACED_DOT = re.compile(
    r"(?<=[a-z0-9])(?:\s*[\[({]\s*(?:\.|dot)\s*[\])}]\s*|\s+(?:dot|punto|ponto|point)\s+"
    r"|\s+\.\s*|\.\s+(?=[a-z]{2,4}\s*/))(?=[a-z0-9])"
)
# ``(?<=[a-z0-9])\s*(?:/|\bslash\b)\s*(?=[a-z0-9@#~+$])`` with its first character (a
# space or "/": "slash" right after a letter has no word boundary) read first, so ``re``
# skips ahead at C speed.
_SPACED_SLASH = re.compile(
    r"[\s/](?<=[a-z0-9][\s/])(?:(?<=/)|(?<=\s)\s*(?:/|\bslash\b))\s*(?=[a-z0-9@#~+$])"
)


# Every host in the link tables has a dot between a letter or digit and a letter
# ("t.me", "zoom.us", "ko-fi.com"), except the "tg://", "viber://" and "skype:" schemes.
# Both patterns start with a literal or a class: ``re`` skips ahead at C speed.
_HOST_DOT = re.compile(r"\.(?<=[a-z0-9]\.)[a-z]")
# Where ``_SPACED_DOT`` can match: a bracket then "." or "dot", a dot word between
# spaces, " ." or ". com/" (each pattern starts with a literal or a class).
_BRACKET_DOT = re.compile(r"[\[({]\s*(?:\.|dot)")
_DOT_WORD = re.compile(r"dot\s(?<=\sdot\s)|p(?:unto|onto|oint)\s(?<=\s.....\s)")
_SPACED_DOT_CHAR = re.compile(r"\.(?:(?<=\s\.)|\s+[a-z]{2,4}\s*/)")


def _might_space_a_dot(compact: str) -> bool:
    # Each search only where the text holds a literal its every match holds: ``in``
    # scans at memchr speed, a leading character class one character at a time.
    if ("(" in compact or "[" in compact or "{" in compact) and _BRACKET_DOT.search(compact):
        return True
    if (
        "dot" in compact or "unto" in compact or "onto" in compact or "oint" in compact
    ) and _DOT_WORD.search(compact):  # every match holds one of these
        return True
    return _SPACED_DOT_CHAR.search(compact) is not None


def might_hold_link(compact: str) -> bool:
    """False only if no link table can match the url view of the compact view
    ``compact``: its dots are ``compact``'s or ``_SPACED_DOT``'s, and closing up slashes
    makes no dot, "://" or "skype:"."""
    return (
        "://" in compact
        or "skype:" in compact
        or _HOST_DOT.search(compact) is not None
        or (_might_space_a_dot(compact) and _SPACED_DOT.search(compact) is not None)
    )


def url_view(compact: View) -> View:
    """``compact`` with spelled or spaced dots and slashes closed up."""
    view = compact
    if _might_space_a_dot(view.text):  # else _SPACED_DOT cannot match
        view = rewrite(view, _SPACED_DOT, lambda _: ".")
    if "/" in view.text or "slash" in view.text:  # else _SPACED_SLASH cannot match
        view = rewrite(view, _SPACED_SLASH, lambda _: "/")
    return view


@dataclass(frozen=True, slots=True)
class LinkMatch:
    channel: str
    start: int  # in the original text
    end: int
    url: str  # canonical: https://host/path, lower case


Literals = frozenset[str]
_ZERO_WIDTH = frozenset({sre.AT, sre.ASSERT, sre.ASSERT_NOT})


def _best(options: list[Literals]) -> Literals | None:
    """The set whose shortest string is longest (the rarest to find in a text)."""
    return max(options, key=lambda o: (min(map(len, o)), -len(o)), default=None)


def _alternatives(op: Any, av: Any) -> list[str] | None:
    """The strings a group or branch of plain literals matches ("me|dog"), else None."""
    if op is sre.SUBPATTERN:
        inner = list(av[-1])
        if len(inner) == 1:
            return _alternatives(*inner[0])
        plain = _plain(inner)
        return None if plain is None else [plain]
    if op is sre.BRANCH:
        strings = [_plain(list(alt)) for alt in av[1]]
        return [s for s in strings if s is not None] if None not in strings else None
    return None


def _plain(items: list[tuple[Any, Any]]) -> str | None:
    if all(op is sre.LITERAL for op, _ in items):
        return "".join(chr(av) for _, av in items)
    return None


def _literals(items: list[tuple[Any, Any]]) -> list[Literals]:
    """Sets of strings one of which every match of ``items`` (a parsed pattern) holds."""
    found: list[Literals] = []
    runs = {""}  # what the literal run read so far may be ("t.me/", "telegram.me/")

    def close() -> None:
        nonlocal runs
        if "" not in runs:
            found.append(frozenset(runs))
        runs = {""}

    for op, av in items:
        if op is sre.LITERAL:
            runs = {run + chr(av) for run in runs}
            continue
        if op in _ZERO_WIDTH:  # consumes nothing: the literal run goes on
            continue
        strings = _alternatives(op, av)
        if strings and len(runs) * len(strings) <= 64:
            runs = {run + string for run in runs for string in strings}
            continue
        close()
        if op is sre.SUBPATTERN:
            found += _literals(list(av[-1]))
        elif op is sre.BRANCH:
            alternatives = [_best(_literals(list(alt))) for alt in av[1]]
            if all(a is not None for a in alternatives):
                found.append(frozenset().union(*alternatives))  # type: ignore[arg-type]
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] >= 1:
            found += _literals(list(av[2]))
    close()
    return found


def required_literals(pattern: str) -> Literals | None:
    """Strings one of which every match of ``pattern`` holds (the rarest such set read
    from the pattern), or None if there is none."""
    return _best(_literals(list(sre_parse.parse(pattern).data)))


class LinkTable:
    """One compiled alternation over a detector's ``(channel, pattern)`` table.

    The alternation starts with a look-behind, so ``re`` tries it at every position
    of a text; a text holding none of the strings some entry needs (every host names
    a literal: "zoom.", "paypal.me/", "skype:") is not searched at all.
    """

    def __init__(self, entries: Sequence[tuple[str, str]]) -> None:
        self._channels = [channel for channel, _ in entries]
        alternatives = "|".join(f"(?P<g{i}>{pattern})" for i, (_, pattern) in enumerate(entries))
        self._pattern = re.compile(
            rf"(?<![a-z0-9\-_.@/])(?:h[tx]{{2}}ps?://)?(?:www\.)?(?:{alternatives})(?![a-z0-9_\-])"
        )
        needs = [required_literals(pattern) for _, pattern in entries]
        self.needs: Literals | None = (
            None if any(n is None for n in needs) else frozenset().union(*needs)  # type: ignore[arg-type]
        )

    def find(self, view: View) -> list[LinkMatch]:
        if self.needs is not None and not any(map(view.text.__contains__, self.needs)):
            return []
        found: list[LinkMatch] = []
        for match in self._pattern.finditer(view.text):
            group = match.lastgroup or ""
            channel = self._channels[int(group[1:])]
            start, end = view.to_original(match.start(), match.end())
            found.append(LinkMatch(channel, start, end, f"https://{match.group(group)}"))
        return found
