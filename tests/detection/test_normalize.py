import re
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from streams.detection import emails, links
from streams.detection.emails import email_view
from streams.detection.engine import context
from streams.detection.links import url_view
from streams.detection.normalize import View, normalize, rewrite


def test_folded_keeps_offsets_back_to_the_original() -> None:
    text = "Call ＋１ ９１７\u200b"
    norm = normalize(text)
    start = norm.folded.index("917")
    assert norm.to_original(start, start + 3) == (text.index("９"), text.index("７") + 1)


def test_all_cyrillic_word_stays_but_mixed_word_folds() -> None:
    norm = normalize("Привет ТеlеgrаM")
    assert norm.folded == "привет telegram"
    assert norm.skeleton.text.endswith("telegram")


@pytest.mark.parametrize(
    ("text", "compact"),
    [
        ("w h a t s a p p", "whatsapp"),
        ("t.e.l.e.g.r.a.m", "telegram"),
        ("j o h n @ g m a i l . c o m", "john @ gmail.com"),
        ("plan a or b", "plan a or b"),
    ],
)
def test_separators_between_single_characters_are_removed(text: str, compact: str) -> None:
    assert normalize(text).compact.text == compact


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("nine one seven, five five five, zero one four two", "9 1 7 5 5 5 0 1 4 2"),
        ("9I7-555-O142", "917 555 0142"),
        ("٩١٧٥٥٥٠١٤٢", "9175550142"),
        ("9️⃣1️⃣7️⃣5️⃣5️⃣5️⃣0️⃣1️⃣4️⃣2️⃣", "9175550142"),
        ("nueve uno siete cinco cinco cinco cero uno cuatro dos", "9 1 7 5 5 5 0 1 4 2"),
        ("neuf un sept cinq cinq cinq zéro un quatre deux", "9 1 7 5 5 5 0 1 4 2"),
        ("neun eins sieben fünf fünf fünf null eins vier zwei", "9 1 7 5 5 5 0 1 4 2"),
        ("nove um sete cinco cinco cinco zero um quatro dois", "9 1 7 5 5 5 0 1 4 2"),
        ("девять один семь пять пять пять ноль один четыре два", "9 1 7 5 5 5 0 1 4 2"),
        ("nau ek saat paanch paanch paanch shunya ek char do", "9 1 7 5 5 5 0 1 4 2"),
        ("nine one 7 double five 5 oh one four two", "9 1 755 5 0 1 4 2"),
        ("nine1seven-4eight2-33one0", "917 482 3310"),
        ("I can do it in one or two days", "i can do it in one or two days"),
    ],
)
def test_digits_view_resolves_disguised_digits(text: str, digits: str) -> None:
    assert context(text, ()).digits.text == digits


@given(st.text())
def test_no_unicode_input_raises_and_views_stay_mapped(text: str) -> None:
    norm = normalize(text)
    assert len(norm.offsets) == len(norm.folded) + 1
    for view in (norm.skeleton, norm.compact, context(norm, ()).digits):
        assert len(view.starts) == len(view.ends) == len(view.text) + 1
        assert all(0 <= s <= e <= len(text) for s, e in zip(view.starts, view.ends, strict=True))


def _rewrite_every_match(view: View, pattern: re.Pattern[str], replace: Callable[..., str]) -> View:
    """``rewrite`` as it was, character by character: every match's replacement maps to
    the span of the whole match, none is copied as it stands."""
    chars: list[tuple[str, int, int]] = []  # (character, start, end)
    last = 0
    for match in pattern.finditer(view.text):
        begin, finish = match.span()
        chars += [(view.text[i], view.starts[i], view.ends[i]) for i in range(last, begin)]
        span = view.starts[begin], view.ends[finish - 1] if begin < finish else view.starts[begin]
        chars += [(c, *span) for c in replace(match)]
        last = finish
    n = len(view.text)
    chars += [(view.text[i], view.starts[i], view.ends[i]) for i in range(last, n)]
    return View(
        "".join(c for c, _, _ in chars),
        (*(start for _, start, _ in chars), view.starts[n]),
        (*(end for _, _, end in chars), view.ends[n]),
    )


# A match replaced by itself is copied as it stands: the view is the same as when every
# match is rebuilt (the url view's "/" → "/", the e-mail view's "@" → "@", "." → ".").
@pytest.mark.parametrize(
    "text",
    [
        "Join here: zoom.us/j/8474751589 and we'll talk",
        "t . me / john_work, ping me there",
        "my email is john dot dev [at] gmail dot com",
        "add me on telegram @john_pm so we can discuss faster",
        "john@gmail.com or j o h n @ g m a i l . c o m",
        "https://paypal.me/maria / slash / here",
        "ｊｏｈｎ＠ｇｍａｉｌ．ｃｏｍ, zoom(.)us/j/123",
        "",
        "/",
        "@ @ . .",
    ],
)
def test_rewrite_copies_matches_replaced_by_themselves(text: str) -> None:
    compact = normalize(text).compact
    url_like = re.compile(r"\s*/\s*|\s+(?:dot)\s+|\.")
    email_like = re.compile(r"\s*@\s*|\s*\[at\]\s*|(?<=[a-z0-9]) ?\. ?(?=[a-z0-9])|x?")
    for pattern, produce in (
        (url_like, lambda m: "/" if "/" in m.group() else "."),
        (email_like, lambda m: "@" if "@" in m.group() or "at" in m.group() else m.group()),
    ):
        assert rewrite(compact, pattern, produce) == _rewrite_every_match(compact, pattern, produce)
    assert url_view(compact) == url_view_every_match(compact)
    assert email_view(compact) == _rewrite_every_match(
        _rewrite_every_match(compact, emails._AT, emails._weak_at), emails._DOT, lambda _: "."
    )


def url_view_every_match(compact: View) -> View:
    view = _rewrite_every_match(compact, links._SPACED_DOT, lambda _: ".")
    return _rewrite_every_match(view, links._SPACED_SLASH, lambda _: "/")
