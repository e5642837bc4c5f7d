"""The words a phrase needs, read from its pattern: a text without them skips it."""

import pytest

from streams.detection.phrase_index import Entry, PrefixIndex, required_words

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
