import pytest
from hypothesis import given
from hypothesis import strategies as st

from streams.detection.digits import digit_view
from streams.detection.normalize import normalize


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
    assert digit_view(normalize(text)).text == digits


@given(st.text())
def test_no_unicode_input_raises_and_views_stay_mapped(text: str) -> None:
    norm = normalize(text)
    assert len(norm.offsets) == len(norm.folded) + 1
    for view in (norm.skeleton, norm.compact, digit_view(norm)):
        assert len(view.starts) == len(view.ends) == len(view.text) + 1
        assert all(0 <= s <= e <= len(text) for s, e in zip(view.starts, view.ends, strict=True))
