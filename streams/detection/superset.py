"""The superset translation: a ``re`` pattern as Hyperscan compiles it in prefilter mode.

Hyperscan without UCP reads ``\\w``, ``\\d``, ``\\s`` and ``\\b`` as ASCII.  Each Unicode class
becomes a class at least as wide where it matches and at most as wide where it is
negated; look-arounds are dropped (prefilter mode), word boundaries too, long bounded
repeats unbounded.  So the database reports every place a true match ends (and some
more); the exact ``re`` pattern decides (``matcher.py``).
"""

from __future__ import annotations

import re

__all__ = ["superset"]

# Hyperscan (no UCP) reads \w, \d, \s, \b as ASCII.  Each Unicode class becomes a class
# at least as wide where it matches, and at most as wide where it is negated.
_NON_ASCII = r"\x{80}-\x{10ffff}"
_ASCII_NON_WORD = r"\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f"
_WIDE = {  # inside a positive class: a superset of the Unicode class
    "w": rf"0-9A-Za-z_{_NON_ASCII}",
    "W": rf"{_ASCII_NON_WORD}{_NON_ASCII}",
    "d": rf"0-9{_NON_ASCII}",
    "D": r"\x00-\x{10ffff}",
    "s": rf"\t-\r\x1c-\x20{_NON_ASCII}",
    "S": r"\x00-\x{10ffff}",
}
_NARROW = {  # inside a negated class: a subset of the Unicode class
    "w": "0-9A-Za-z_",
    "W": _ASCII_NON_WORD,
    "d": "0-9",
    "s": r"\t-\r\x1c-\x20",
}
_REPEAT = re.compile(r"\{(\d*)(,?)(\d*)\}")
#: Bounded repeats up to this count stay bounded; longer ones (a gap of up to 60
#: characters) become unbounded: a superset, and a large bounded repeat of a Unicode
#: class is what makes Hyperscan's compile slow (15 s for one phrase, 0.05 s widened).
_MAX_BOUNDED_REPEAT = 8
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|.)", re.S)


def _escape(body: str, wide: bool | None) -> str:
    """One escape (``body`` without its backslash) as Hyperscan reads it: outside a
    class (``wide`` None), in a positive class (True) or in a negated one (False)."""
    if body[0] in "uU":
        return rf"\x{{{body[1:]}}}"
    if body in "bBAzZ" and wide is None:
        return "" if body in "bB" else "\\" + body
    if body in _WIDE:
        if wide is None:
            return "[" + _WIDE[body] + "]"
        if wide:
            return _WIDE[body]
        if body in _NARROW:
            return _NARROW[body]
        return "\\" + body  # \D or \S in a negated class: keep (rare, exact in ASCII)
    return "\\" + body


def superset(regex: str) -> str:
    """``regex`` (``re`` syntax) translated so that Hyperscan, in prefilter mode, matches
    wherever ``re`` does (and perhaps elsewhere)."""
    out: list[str] = []
    index, length = 0, len(regex)
    in_class: bool | None = None  # None: outside; True: positive class; False: negated
    while index < length:
        char = regex[index]
        if char == "\\":
            escape = _ESCAPE.match(regex, index)
            assert escape is not None
            out.append(_escape(escape.group(1), in_class))
            index = escape.end()
            continue
        repeat = _REPEAT.match(regex, index) if in_class is None and char == "{" else None
        if repeat is not None:
            low, comma, high = repeat.groups()
            bound = high if comma else low
            wide = bound and int(bound) > _MAX_BOUNDED_REPEAT
            out.append(f"{{{low or 0},}}" if wide else repeat.group())
            index = repeat.end()
            continue
        if in_class is None and char == "[":
            negated = regex.startswith("[^", index)
            in_class = not negated
            out.append("[^" if negated else "[")
            index += 2 if negated else 1
            if index < length and regex[index] == "]":  # a literal "]" first
                out.append(r"\]")
                index += 1
            continue
        if in_class is not None and char == "]":
            in_class = None
        # Hyperscan reads a C string: a control character is written as an escape.
        out.append(char if char >= " " else f"\\x{{{ord(char):02x}}}")
        index += 1
    return "".join(out)
