"""The prefilter only ever skips detectors that would find nothing: judging with it and
without it (every detector run on every text) gives the same findings."""

import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.bench.detector import generate
from streams.detection import channels, engine, intents, links, prefilter
from streams.detection.crypto import might_hold_crypto_address
from streams.detection.digits import (
    _might_hold_spelled_ascii,
    might_hold_spelled_digits,
)
from streams.detection.emails import might_hold_email
from streams.detection.links import might_hold_link
from streams.detection.normalize import NormalizedText, normalize
from streams.detection.phrase_index import PrefixIndex, has_mixed_token
from streams.detection.prefilter import Hints, hints
from streams.evaluate import load_records
from streams.judge import judge
from streams.policy import default_policy

CORPUS = sorted((Path(__file__).parent.parent / "corpus").glob("*.jsonl"))
EVERYTHING = Hints(
    digits=True,
    iban=True,
    email=True,
    upi=True,
    cashtag=True,
    links=True,
    crypto=True,
    skype_id=True,
)


def _everything(_: NormalizedText) -> Hints:
    return EVERYTHING


def _findings(
    text: str, country: str | None = "US", phase: str = "none"
) -> list[tuple[object, ...]]:
    judgement = judge(text, phase, default_policy(), country)
    return [(f.kind, f.start, f.end, f.value, f.reason) for f in judgement.findings]


def _both(text: str, monkeypatch: pytest.MonkeyPatch, **kwargs: str | None) -> None:
    with_prefilter = _findings(text, **kwargs)  # type: ignore[arg-type]
    with monkeypatch.context() as patch:
        patch.setattr(engine, "hints", _everything)
        without = _findings(text, **kwargs)  # type: ignore[arg-type]
    assert with_prefilter == without, text


def _corpus() -> Iterator[tuple[str, str, str | None]]:
    for path in CORPUS:
        for record in load_records(path):
            yield record["text"], record.get("contract") or "none", record.get("sender_country")


def test_every_corpus_line_judges_the_same_with_and_without_prefilter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = list(_corpus())
    assert lines
    for text, phase, country in lines:
        _both(text, monkeypatch, phase=phase, country=country)


def test_every_bench_message_judges_the_same_with_and_without_prefilter(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for text in generate(300, 7):
        _both(text, monkeypatch)


# Pieces of details, evasions and ordinary prose, glued at random below.
_PIECES = [
    "call me", "+1 917 555 0142", "nine one seven", "five five five", "double five", "0142",
    "9I7", "nine1seven", "one or two", "do 2", "at", "@", "[at]", "arroba", "dot", "(dot)",
    " . ", "gmail", "com", "john.doe", "t.me/", "t . me / john", "zoom.us/j/123456789",
    "paypal.me/jo", "skype:", "live:john.smith", "$cashtag", "pay", "DE89 3704 0044 0532 0130 00",
    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq", "w h a t s a p p", "telegram", "whatsapp",
    "insta", "@john_pm", "venmo", "pix", "123.456.789-09", ",", ";", "-", "/", "\n", "v1.2.3",
    "2026-05-12", "$1,500.00", "tomorrow", "Ñandú", "тел", "٩١٧", "ｔｅｌｅｇｒａｍ", "e-mail",
]  # fmt: skip


# Phrase starts and the words phrases need, with channel names and markers' neighbours.
_PHRASE_PIECES = [
    "could you", "share", "your", "number", "whatsapp", "me", "the", "i'll", "i'd like",
    "send", "email", "pay", "outside", "upwork", "fees", "avoid", "let's", "talk", "on",
    "telegram", "t e l e g r a m", "ватсап", "skype", "contact", "details", "dm", "pm",
    "wa", "line id", "build a telegram bot", "no", "don't", "pago", "fale comigo no",
]  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12), st.sampled_from(" ,.-"))
def test_random_mixes_judge_the_same_with_and_without_prefilter(
    pieces: list[str], glue: str
) -> None:
    text = glue.join(pieces)
    with pytest.MonkeyPatch.context() as patch:
        with_prefilter = _findings(text)
        patch.setattr(engine, "hints", _everything)
        assert _findings(text) == with_prefilter, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hi John, I can do it in one or two days.", False),
        ("the budget is $1,500 for v2", False),  # "v2" mixes letters and digits, spells none
        ("call 9I7-555-O142", True),  # letters for digits
        ("nine one seven five five five", True),
        ("do 2 revisions", True),
        ("девять один", True),
    ],
)
def test_spelled_digits_hint(text: str, expected: bool) -> None:
    assert might_hold_spelled_digits(normalize(text).folded) is expected


# The first look of the ASCII spelled-digits hint (no "_", no number word among the
# text's words, no mixed token: False) never turns off a text the full check keeps.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("thanks, the figma file looks great; i'll start today.", False),  # no first look
        ("my rate is $55/hr, delivery by 2026-03-12", False),
        ("call me: nine1seven 555 0142", True),  # a mixed token of number words
        ("9i7 555 o142", True),  # letters for digits, in a mixed token
        ("nine_one seven", True),  # "_" splits tokens but not words
        ("five-five-five, 0142", True),  # number words between punctuation
        ("it's one, 2, 3", True),  # a number word next to digits
        ("one o'clock", False),  # a number word with no neighbour
        ("v3.12.4 and 5pm", False),  # mixed tokens that spell no digit
    ],
)
def test_spelled_digits_first_look(text: str, expected: bool) -> None:
    assert might_hold_spelled_digits.__wrapped__(text) is expected
    assert _might_hold_spelled_ascii(text) is expected  # the check without the first look


# Without "_" and without a mixed token, the number words' neighbours are read from the
# text's shared word list: the same answer as the full check.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i'd propose three milestones, about 40 hours", False),
        ("three 4 five", True),  # a number word next to digits
        ("one, two; three", True),  # number words between punctuation
        ("(one)(two)", True),
        ("one... and then 2", False),  # a word between them
        ("it's 555 one", True),  # digits before the number word
        ("one", False),
        ("one one", True),  # the same number word twice
        ("double five", True),  # a multiplier is a number word too
        ("phone one  2", True),  # several spaces
        ("seven-eight-nine, then a break", True),
    ],
)
def test_spelled_digits_number_words_from_the_shared_word_list(text: str, expected: bool) -> None:
    assert "_" not in text and not has_mixed_token(text)
    assert might_hold_spelled_digits.__wrapped__(text) is expected
    assert _might_hold_spelled_ascii(text) is expected


# An IBAN's check digits follow a letter, so a text with no digit next to a letter needs
# no IBAN search; every IBAN form keeps the hint on.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Send the deposit to DE89 3704 0044 0532 0130 00 and we skip the fees", True),
        ("iban: gb29nwbk60161331926819", True),
        ("G B 2 9 N W B K 6016 1331 9268 19", True),  # spaced out: joined in compact
        ("ｄｅ８９ ３７０４ ００４４ ０５３２ ０１３０ ００", True),  # full width
        ("Invoice #9020785 for order 460123743", False),
        ("delivery on 2026-06-04, budget $1250", False),
        ("v3.12.4 and 5pm", False),  # mixed tokens, but no two letters then two digits
    ],
)
def test_iban_hint(text: str, expected: bool) -> None:
    compact = normalize(text).compact.text
    assert hints(normalize(text)).iban is expected
    assert (prefilter._IBAN_CHECK_DIGITS.search(compact) is not None) is expected
    if expected:
        assert has_mixed_token(compact)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Invoice #9020785 for order 460123743 is attached", False),  # ids by context
        ("delivery on 2026-06-04, budget $1250 and 159 hours", False),  # a date, no run
        ("call 917 555 0142", True),
        ("card 4111 1111 1111 1111", True),
        ("917, 555, 0142", True),  # groups the digits view joins
        ("nine one seven five five five", True),
    ],
)
def test_digits_hint(text: str, expected: bool) -> None:
    assert hints(normalize(text)).digits is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I reviewed the job post, thanks.", False),
        ("version 3.5 is out", False),
        ("see github.com/john", True),
        ("t . me / john", True),
        ("paypal {dot} me / john", True),
        ("tg://resolve?domain=john", True),
        ("zoom(.)us/j/123456", True),
        ("t [ dot ] me / john", True),
        ("t( . )me/john", True),
        ("the version (v3.12.4) is out", False),  # a bracket, but no dot after it
        ("see [the file] (attached) {later}", False),
    ],
)
def test_link_hint(text: str, expected: bool) -> None:
    assert might_hold_link(normalize(text).compact.text) is expected


# A bracketed dot is the only way ``_SPACED_DOT`` uses a bracket: the bracket gate says
# the same as "a bracket is there" wherever ``_SPACED_DOT`` matches.
@pytest.mark.parametrize(
    "text",
    ["zoom(.)us", "t [dot] me", "paypal{ . }me", "t ( dot ) me", "a[.]b", "x(  .)y", "wa{dot}me"],
)
def test_bracketed_dots_keep_the_link_hint(text: str) -> None:
    compact = normalize(text).compact.text
    assert links._SPACED_DOT.search(compact) is not None
    assert links._might_space_a_dot(compact)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Let's schedule a call here.", False),
        ("john [at] gmail dot com", True),
        ("john arroba gmail", True),
        ("mail me at work", False),  # a weak at without a provider or a dot
        ("see you tomorrow at 9:00", False),
        ("mail me at gmail", True),  # a bare provider
        ("john at example dot org", True),  # a spelled dot
        ("john at site.org", True),
        ("john at the rate of gmail", True),
    ],
)
def test_email_hint(text: str, expected: bool) -> None:
    assert might_hold_email(normalize(text).compact.text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("order1BoatSLRHtKNngkdXEeobR76b53LETtpyT", False),  # glued to a word
        ("btc 1BoatSLRHtKNngkdXEeobR76b53LETtpyT", True),
        ("eth 0x52908400098527886E0F7030069857D2E4169EE7", True),
        ("no address here, 0x12", False),
    ],
)
def test_crypto_hint(text: str, expected: bool) -> None:
    assert might_hold_crypto_address(text) is expected


def test_an_honest_message_needs_no_detail_detector() -> None:
    assert not hints(normalize("Thanks, the Figma file looks great; I'll start today.")).any


# The phrase indexes try a pattern only at the word starts a key may begin and only if
# the text holds a word every branch needs (``PrefixIndex._tries``), and within a bucket
# only the branches whose words the text holds (``branch_gates``); without those gates
# every branch of every bucket filed under a word start's key is tried.
_WORD_STARTS: dict[PrefixIndex[Any], str] = {
    channels._INDEX: r"(?<![^\W\d_])(?=[^\W\d_])",
    intents._INDEX: r"(?<!\w)(?=[\w\ue000-\ue003])",
}


def _every_try(index: PrefixIndex[Any], text: str) -> Iterator[tuple[int, Any]]:
    for start in re.finditer(_WORD_STARTS[index], text):
        for bucket in index._buckets_at[text[start.start() : start.start() + 5]]:
            yield start.start(), bucket


def _both_gates(text: str, monkeypatch: pytest.MonkeyPatch, **kwargs: str | None) -> None:
    gated = _findings(text, **kwargs)  # type: ignore[arg-type]
    with monkeypatch.context() as patch:
        for index in _WORD_STARTS:
            patch.setattr(index, "_tries", partial(_every_try, index))
            patch.setattr(index, "branch_gates", False)
        assert _findings(text, **kwargs) == gated, text  # type: ignore[arg-type]


def test_every_corpus_line_judges_the_same_without_phrase_index_gates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for text, phase, country in _corpus():
        _both_gates(text, monkeypatch, phase=phase, country=country)


def test_every_bench_message_judges_the_same_without_phrase_index_gates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for text in generate(300, 7):
        _both_gates(text, monkeypatch)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + _PHRASE_PIECES), min_size=1, max_size=12))
def test_random_mixes_judge_the_same_without_phrase_index_gates(pieces: list[str]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        _both_gates(" ".join(pieces), patch)
