"""The words a phrase needs, read from its pattern: a text without them skips it."""

import pytest

from streams.detection.phrase_index import required_words

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
