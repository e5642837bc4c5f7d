"""The one matcher: the superset translation Hyperscan compiles, verification with the
exact pattern, offsets on any text, and the on-disk cache."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from streams.detection.matcher import MAX_MATCH_CHARS, Matcher, Pattern
from streams.detection.superset import superset


@pytest.mark.parametrize(
    ("regex", "translated"),
    [
        (r"(?<!\w)wa", r"(?<![0-9A-Za-z_\x{80}-\x{10ffff}])wa"),  # look-arounds: Hyperscan drops
        (r"\d\s", r"[0-9\x{80}-\x{10ffff}][\t-\r\x1c-\x20\x{80}-\x{10ffff}]"),
        (r"\bme\b", "me"),  # ASCII word boundaries would be narrower: dropped
        (r"[^\w\ue000]{1,3}", r"[^0-9A-Za-z_\x{e000}]{1,3}"),
        (r"[^\W\d_]", r"[^\x00-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7f0-9_]"),
        (r"[\w.]", r"[0-9A-Za-z_\x{80}-\x{10ffff}.]"),
        (r"a{1,60}?b", "a{1,}?b"),  # a long bounded repeat: unbounded (fast to compile)
        (r"x{0,3}", "x{0,3}"),
        ("[@\x00]", r"[@\x{00}]"),  # Hyperscan reads a C string
        (r"\{9,99\}", r"\{9,99\}"),  # escaped braces are no repeat
    ],
)  # fmt: skip
def test_superset_translation(regex: str, translated: str) -> None:
    assert superset(regex) == translated


_PATTERNS = [
    Pattern(r"(?<!\w)(?:whatsapp|ватсап)(?!\w)", "channel", "text", "whatsapp"),
    Pattern(r"(?<!\w)tele(?:gram)?(?!\w)", "channel", "text", "telegram"),
    Pattern(r"(?<!\w)call me(?!\w)", "intent", "text", "call"),
    Pattern("@", "at", "text", cue=True),
    Pattern("zzz", "other", "elsewhere"),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build(_PATTERNS)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("my whatsapp is down", [("whatsapp", "whatsapp")]),
        ("mywhatsapp", []),  # not a whole word: the prefilter fires, the exact check says no
        ("ватсап или telegram", [("ватсап", "whatsapp"), ("telegram", "telegram")]),
        ("😀😀 tele 😀", [("tele", "telegram")]),  # offsets are characters, not bytes
        ("\ud800 whatsapp", [("whatsapp", "whatsapp")]),  # a lone surrogate
        ("call me on whatsapp", [("call me", "call"), ("whatsapp", "whatsapp")]),
        ("zzz", []),  # a pattern of another view
        ("", []),
    ],
)
def test_scan_then_verify(matcher: Matcher, text: str, found: list[tuple[str, str]]) -> None:
    matches = matcher.scan("text", text).matches()
    assert [(text[m.start : m.end], m.pattern.value) for m in matches] == found


@pytest.mark.parametrize(("text", "fired"), [("a@b", True), ("ab", False)])
def test_cues_fire_without_verification(matcher: Matcher, text: str, fired: bool) -> None:
    assert matcher.scan("text", text).fired("at") is fired


@pytest.mark.parametrize("at", [0, 5_000, 123_456, 999_000])
def test_long_texts_are_verified_where_the_matches_end(matcher: Matcher, at: int) -> None:
    text = ("lorem ipsum dolor sit amet " * 40_000)[:at] + " whatsapp " + "x " * 200
    [match] = matcher.scan("text", text).matches(["channel"])
    assert text[match.start : match.end] == "whatsapp"
    assert at < match.start < at + 3


def test_windows_are_longer_than_any_match() -> None:
    assert MAX_MATCH_CHARS >= 400  # the phrase language's longest: gaps of 60, 3 per separator


def test_cache_round_trip_and_a_broken_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPGUARD_CACHE_DIR", str(tmp_path))
    source = tmp_path / "lexicon.yaml"
    source.write_text("v1")
    built = Matcher.cached(lambda: _PATTERNS, [source])
    [cache] = tmp_path.glob("matcher-*")
    loaded = Matcher.cached(lambda: pytest.fail("built again"), [source])
    assert loaded.patterns == built.patterns
    assert [m.start for m in loaded.scan("text", "a whatsapp").matches()] == [2]
    cache.write_bytes(b"not a database")
    rebuilt = Matcher.cached(lambda: _PATTERNS, [source])
    assert rebuilt.scan("text", "telegram").matches()
    source.write_text("v2")  # a changed lexicon is a new key
    Matcher.cached(lambda: _PATTERNS, [source])
    assert len(list(tmp_path.glob("matcher-*"))) == 2


def test_a_broken_pattern_is_named() -> None:
    with pytest.raises(ValueError, match=re.escape("lexicon pattern '(unclosed'")):
        Matcher.build([Pattern("(unclosed", "g", "text")])
