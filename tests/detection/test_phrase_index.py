"""The words a phrase needs, read from its pattern: a text without them skips it."""

import re
from typing import Any

import pytest

from streams.detection import channels, intents
from streams.detection.phrase_index import (
    Entry,
    PrefixIndex,
    ascii_words,
    required_words,
    words,
)

SEP = r"[^\w\ue000-\ue003]{1,3}"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (rf"(?<!\w)(?:share{SEP}your{SEP}number)(?!\w)", {"number"}),  # the longest word
        (rf"(?<!\w)(?:(?:send|give){SEP}me)(?!\w)", {"send", "give"}),  # one of them
        (rf"(?<!\w)(?:add{SEP}me{SEP}on{SEP}\ue000)(?!\w)", {"\ue000"}),  # a marker first
        (rf"(?<!\w)(?:call{SEP}(?:me{SEP})?now)(?!\w)", {"call"}),  # optional words skipped
        (r"(?<!\w)(?:e-?mail)(?!\w)", None),  # "email" or "e-mail": no whole word
        (rf"(?<!\w)(?:licen[cs]e{SEP}photo)(?!\w)", {"photo"}),  # a class breaks a word
        (rf"(?<!\w)(?:pay\w{{0,3}}{SEP}outside)(?!\w)", {"outside"}),  # "pay" may go on
        # {"number", "no"} is needed too, but "no" is short: "your" is less likely
        (rf"(?<!\w)(?:what['’]?s{SEP}your{SEP}(?:number|no\.?))(?!\w)", {"your"}),
    ],
)
def test_required_words(pattern: str, expected: set[str] | None) -> None:
    assert required_words(pattern) == (None if expected is None else frozenset(expected))


SEP_ = r"\W{1,3}"
# Three branches under one key ("send "), in two parts by the words they need ("money";
# "send"): a text tries only the parts whose words it holds, and the first branch that
# matches still wins across parts.
_SEND = [
    Entry(rf"(?<!\w)send{SEP_}(?:the{SEP_})?money(?!\w)", "money"),
    Entry(rf"(?<!\w)send{SEP_}the{SEP_}(?:money|file)(?!\w)", "the file"),
    Entry(rf"(?<!\w)send{SEP_}it(?!\w)", "it"),
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("please send the money", ["money"]),  # both of the first two match: the first wins
        ("please send the file", ["the file"]),
        ("send it now", ["it"]),
        ("send the invoice", []),
    ],
)
def test_branch_gates(text: str, expected: list[str]) -> None:
    index = PrefixIndex(_SEND, start=r"\w", not_after=r"\w")
    assert [value for _, value in index.matches(text)] == expected
    index.branch_gates = False
    assert [value for _, value in index.matches(text)] == expected


# The word gate (``PrefixIndex._needs_of``): a word start is tried only if the text holds
# a word one of the buckets its word may begin needs.  A key may go on past the word
# ("i d l" of "i'd like"): such a key counts for the whole word only.
_GATED = [
    Entry(rf"(?<!\w)send{SEP_}(?:the{SEP_})?money(?!\w)", "money"),  # key "send ", needs "money"
    Entry(rf"(?<!\w)i{SEP_}d{SEP_}like{SEP_}your{SEP_}number(?!\w)", "number"),  # key "i d l"
    Entry(r"(?<!\w)e-?mail(?!\w)", "email"),  # key "email"/"e mai", needs no word
]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("send", {"money"}),  # "send" then a non-word character: key "send "
        ("sender", set()),  # "send " cannot begin inside a longer word
        ("sen", set()),  # too short for "send "
        ("i", {"number"}),  # "i d l": the whole word "i", then the rest of the key
        ("id", set()),  # "i d l" needs "i" to end the word
        ("email", {""}),  # a bucket that needs no word: every text meets ``ALWAYS``
        ("emails", {""}),  # "email" begins "emails"
        ("e", {""}),  # "e mai" ("e-mail"): the whole word "e"
        ("hello", set()),  # no key
    ],
)
def test_needs_of(word: str, expected: set[str]) -> None:
    index = PrefixIndex(_GATED, start=r"\w", not_after=r"\w")
    assert index._needs_of(word) == frozenset(expected)


_ALL_STARTS = {
    channels._INDEX: r"(?<![^\W\d_])(?=[^\W\d_])",
    intents._INDEX: r"(?<!\w)(?=[\w\ue000-\ue003])",
}


def _every_gated_try(index: PrefixIndex[Any], text: str) -> list[tuple[int, int]]:
    """``_tries`` without the word gate: every word start, its word's buckets, each kept
    if the text holds a word it needs."""
    present = words(text)
    word_at = re.compile(r"[^\W\d_]+" if index is channels._INDEX else r"\w+")
    tries = []
    for start in re.finditer(_ALL_STARTS[index], text):
        at = start.start()
        word = word_at.match(text, at)
        for bucket in index._buckets_for[text[at : at + 5], word.group() if word else None]:
            if bucket.needs is None or not bucket.needs.isdisjoint(present):
                tries.append((at, id(bucket)))
    return tries


@pytest.mark.parametrize("index", list(_ALL_STARTS), ids=["channels", "intents"])
@pytest.mark.parametrize(
    "text",
    [
        "i'd like your number please",  # a key across words, at the text's start
        "could you share your whatsapp number",
        "add me on t.e.l.e.g.r.a.m or wh@tsapp",  # spelled names begin in "t", "wh"
        "ping me on telegram2day or 5skype",  # a letter after a digit starts a word
        "send the money via paypal",
        "my e-mail is below, or call me",
        "email",  # a word at the text's end: the key is padded with " "
        "i",
        "Напиши мне в телеграм, номер 123",  # non-ASCII words are always tried
        "ok \ue000 me",  # a marker (the intent view's channel) starts a word
        "add me on \ue000me now",  # a word right after a marker, glued to it
        "write me\ue000 or \ue000\ue002 call",  # a marker glued after a word; two markers
        "\ue001 paypal",
        "thanks, the figma file looks great; i'll start today.",
        # digits but no "_" and no mixed token: the channel index reads the words of
        # ``ascii_words`` (digit words start nothing)
        "invoice #4417 for order 99 is attached; call 2026-05-12 at 10:00 on telegram",
        "7 telegram 7 signal 77 whatsapp 777",
        "telegram 12 telegram",
        "on 5 skype",
        "v1.2.3 on telegram",  # a mixed token: the letter runs are read by translate
        "on telegram_2 or 5skype",  # "_": likewise
    ],
)
def test_word_gate_keeps_every_try(index: PrefixIndex[Any], text: str) -> None:
    text = text.lower()
    assert [(at, id(bucket)) for at, bucket in index._tries(text)] == _every_gated_try(index, text)


@pytest.mark.parametrize(
    "text",
    ["i'd like your number, please", "send_it to me@x.com (v1.2.3) #42", "", "  a  ", "3-d"],
)
def test_intent_starts_share_the_words_split(text: str) -> None:
    """An ASCII text's words are split once for :func:`words` and the intent index."""
    index = intents._INDEX
    assert index._starts_are_words and not channels._INDEX._starts_are_words
    spaced = f" {index._starts_only.translate(text)} "
    assert ascii_words(text) == (spaced, spaced.split())
    assert words(text) == frozenset([*re.findall(r"\w+", text), ""])


@pytest.mark.parametrize(
    ("text", "reads_ascii_words"),
    [
        ("invoice #4417 for order 99 is attached; call on telegram", True),
        ("sure, a call here on upwork tomorrow at 10:00.", True),
        ("no digits at all, add me on skype", True),
        ("v1.2.3 on telegram", False),  # "v1": a mixed token
        ("5pm on telegram", False),
        ("my_telegram 42", False),  # "_"
        ("телеграм 42", False),  # not ASCII
    ],
)
def test_channel_starts_from_the_shared_words(
    text: str, reads_ascii_words: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The channel index's word starts (letter runs) come from :func:`ascii_words` where
    those are the same runs, and give the same tries as its own split."""
    index = channels._INDEX
    assert index._starts_are_letters and not intents._INDEX._starts_are_letters
    translated: list[str] = []
    own = index._starts_only.translate
    with monkeypatch.context() as patch:
        patch.setattr(index._starts_only, "translate", lambda t: translated.append(t) or own(t))
        tries = [(at, id(bucket)) for at, bucket in index._tries(text)]
    assert (not translated) == reads_ascii_words
    index._starts_are_letters = False
    try:
        assert [(at, id(bucket)) for at, bucket in index._tries(text)] == tries
    finally:
        index._starts_are_letters = True
    assert tries == _every_gated_try(index, text)
