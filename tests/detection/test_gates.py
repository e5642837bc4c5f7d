"""The word gate of spelled channel names and the literal gate of link tables: each is
a necessary condition, so every trigger in the phrase files still passes it."""

from __future__ import annotations

import random
import re
from importlib import resources
from itertools import product

import pytest
import yaml

from streams.detection import channels, emails, links, meetings, messaging, payments, social
from streams.detection.channels import _LOOKALIKES, _spelled_words, find_in_folded
from streams.detection.links import _SPACED_SLASH, LinkTable, required_literals
from streams.detection.normalize import identity_view, normalize

_LEXICON = yaml.safe_load(
    resources.files("streams.detection.phrases").joinpath("channels.yaml").read_text()
)
_FORMS = [
    (entry["id"], form)
    for entry in _LEXICON
    for key in ("spelled", "tight")
    for form in entry.get(key, [])
]


def _spellings(form: str) -> list[str]:
    """Every plain spelling of a form ("sk?ype" → "skype", "sype")."""
    parts = [
        (char, "") if optional else (char,)
        for char, optional in (
            (c, i + 1 < len(form) and form[i + 1] == "?") for i, c in enumerate(form)
        )
        if char != "?"
    ]
    return ["".join(p) for p in product(*parts)]


def test_lookalikes_of_a_latin_letter_are_never_ascii_letters() -> None:
    # The word gate rests on this: in an ASCII word, a spelled name reads its own letters.
    for letter, lookalikes in _LOOKALIKES.items():
        assert not any(c.isascii() and c.isalpha() for c in lookalikes), letter


@pytest.mark.parametrize(
    ("form", "inside", "outside"),
    [
        ("sk?yp?e", {"skype", "skypes", "sky", "sk", "s", "skypeing", "sype"}, {"skip", "skyping"}),
        # a beginning of the name counts: junk or a look-alike may follow ("what's app")
        ("wh?ats?ap?p", {"whatsapp", "watsap", "wh", "what", "whatsapped"}, {"was", "whale"}),
        ("tel?e?gr?am?m", {"telegram", "t", "tel", "telegrams"}, {"tell", "team", "text"}),
    ],
)
def test_spelled_words(form: str, inside: set[str], outside: set[str]) -> None:
    words = _spelled_words(form)
    assert inside <= words
    assert not outside & words


@pytest.mark.parametrize(("channel", "form"), _FORMS)
def test_every_spelled_name_passes_the_word_gate(channel: str, form: str) -> None:
    words = _spelled_words(form)
    for spelling in _spellings(form):
        assert spelling in words
        found = {m.channel for m in find_in_folded(f"ok {spelling}: hi")}
        assert channel in found, spelling


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("text me on w h a t s a p p", "whatsapp"),
        ("wh@tsapp me", "whatsapp"),
        ("find me on t.e.l.e.g.r.a.m", "telegram"),
        ("my t3l3gr4m is open", "telegram"),
        ("whаtsapp me", "whatsapp"),  # Cyrillic а
        ("Теlеgram me", "telegram"),  # Cyrillic Т and е
        ("пиши в ватсап", "whatsapp"),  # another script
        ("ping me on ѕkуpе", "skype"),  # Cyrillic ѕ, у, е
        ("ping me on sk-ype", "skype"),
        ("my whatsapp's the same", "whatsapp"),
    ],
)
def test_evasions_still_pass_the_word_gate(text: str, channel: str) -> None:
    assert channel in {m.channel for m in find_in_folded(normalize(text).folded)}


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"paypal\.me/[a-z0-9_\-]{2,32}", {"paypal.me/"}),
        (
            r"(?:t|telegram)\.(?:me|dog)/[a-z]{3}",
            {"t.me/", "t.dog/", "telegram.me/", "telegram.dog/"},
        ),
        (r"(?:[a-z0-9\-]{1,30}\.)?zoom\.us/j/[0-9]{9,11}", {"zoom.us/j/"}),
        (r"cal(?:endly)?\.com/[a-z]{2,9}", {".com/"}),  # optional pieces break a run
        (r"[a-z]{2,9}@[a-z]{2,9}", {"@"}),
        (r"[a-z]{2,9}", None),  # no literal at all
    ],
)
def test_required_literals(pattern: str, expected: set[str] | None) -> None:
    assert required_literals(pattern) == (None if expected is None else frozenset(expected))


@pytest.mark.parametrize(
    ("table", "url"),
    [
        (messaging._TABLE, "t.me/john_doe"),
        (messaging._TABLE, "telegram.dog/john_doe"),
        (messaging._TABLE, "wa.me/15551234567"),
        (messaging._TABLE, "skype:john.doe?call"),
        (messaging._TABLE, "tg://resolve?domain=john_doe"),
        (meetings._TABLE, "https://us02web.zoom.us/j/123456789"),
        (meetings._TABLE, "meet.google.com/abc-defg-hij"),
        (meetings._TABLE, "calendly.com/jane/30min"),
        (social._TABLE, "linkedin.com/in/jane-doe"),
        (social._TABLE, "instagram.com/jane.doe"),
        (payments._LINKS, "paypal.me/johndoe"),
        (payments._LINKS, "cash.app/$johndoe"),
    ],
)
def test_link_tables_still_find_their_links(table: LinkTable, url: str) -> None:
    assert table.needs is not None
    assert table.find(identity_view(f"here: {url} thanks")), url


def test_a_text_without_the_literals_skips_the_tables() -> None:
    text = "samples at github.com/jane/portfolio and docs.example.org/guide"
    for table in (messaging._TABLE, meetings._TABLE, social._TABLE, payments._LINKS):
        assert table.needs is not None
        assert not any(needed in text for needed in table.needs)


def test_channel_lexicon_has_spelled_forms() -> None:
    assert len(_FORMS) > 40 and all(channel for channel, _ in _FORMS)
    assert channels._INDEX is not None


# The spaced-slash pattern reads its first character first (a class: ``re`` skips ahead
# at C speed); it must match exactly where the plain form of it does.
_PLAIN_SPACED_SLASH = re.compile(r"(?<=[a-z0-9])\s*(?:/|\bslash\b)\s*(?=[a-z0-9@#~+$])")


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("t.me / john", [(4, 7)]),
        ("t.me/john", [(4, 5)]),
        ("zoom.us slash j slash 123", [(7, 14), (15, 22)]),
        ("a  /  b", [(1, 6)]),
        ("0/ / slash", []),
        ("and/or", [(3, 4)]),
        ("no slash here", [(2, 9)]),  # "slash" between words reads as "/"
    ],
)
def test_spaced_slash(text: str, spans: list[tuple[int, int]]) -> None:
    assert [m.span() for m in _SPACED_SLASH.finditer(text)] == spans
    assert [m.span() for m in _PLAIN_SPACED_SLASH.finditer(text)] == spans


def test_spaced_slash_matches_where_its_plain_form_does() -> None:
    rng = random.Random(5)
    pieces = ["slash", " slash ", "/", " / ", "a", "0", " ", "  ", "\t", "s", "@", ".", "\u00a0"]
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        expected = [m.span() for m in _PLAIN_SPACED_SLASH.finditer(text)]
        assert [m.span() for m in _SPACED_SLASH.finditer(text)] == expected, text


# The e-mail view's "@" and "." patterns open with a lookahead of the characters their
# matches can begin with; without it they match the same spans.
_EMAIL_TEXTS = [
    "my email is samuel dot dev [at] gmail dot com, write there",
    "john.doe@gmail.com",
    "john . doe @ gmail . com",
    "john(at)gmail(dot)com",
    "john {@} gmail {.} com",
    "john <at> yahoo <dot> com and  arroba  x",
    "john at the rate of gmail dot com",
    "maria at gmail",
    "priya arroba hotmail punto com",
    "olga coбaka mail toчka ru",
    "chen [ at gmail.com",
    "a\tat\tb\n@\nc",
    "   at   ",
    "@@..[[((",
    "",
]


@pytest.mark.parametrize("text", [*_EMAIL_TEXTS, " ".join(_EMAIL_TEXTS)])
def test_email_patterns_match_as_without_their_lookahead(text: str) -> None:
    rng = random.Random(text)
    for pattern in (emails._AT, emails._DOT):
        plain = re.compile(pattern.pattern.split("(?:", 1)[1][:-1])
        assert pattern.pattern.startswith("(?=[") and plain.pattern != pattern.pattern
        texts = [text] + ["".join(rng.sample(text, len(text))) for _ in range(20)]
        for sample in texts:
            assert [m.span() for m in pattern.finditer(sample)] == [
                m.span() for m in plain.finditer(sample)
            ], sample


# ``links._might_space_a_dot`` searches for a bracketed dot or a dot word only where the
# text holds a bracket or a literal of every ``_DOT_WORD`` match: the same answer as the
# three searches alone.
_SPACED_DOT_TEXTS = [
    "zoom(.)us/j/1",
    "t [dot] me / john",
    "paypal{ . }me",
    "john dot dev at gmail",
    "paypal punto me",
    "wa ponto me",
    "site point com",
    "site\tdot\ncom",
    "dot com",
    " dot ",
    "the version (v3.12.4) is out",
    "see [the file] (attached) {later}",
    "t . me / john",
    "a. com/x",
    "a good point, and a dotted line",
    "punktual: unto the end, onto it",
    "",
]


def _space_a_dot_ungated(compact: str) -> bool:
    return any(
        p.search(compact) is not None
        for p in (links._BRACKET_DOT, links._DOT_WORD, links._SPACED_DOT_CHAR)
    )


@pytest.mark.parametrize("text", _SPACED_DOT_TEXTS)
def test_spaced_dot_literal_gates_keep_every_match(text: str) -> None:
    compact = normalize(text).compact.text
    assert links._might_space_a_dot(compact) == _space_a_dot_ungated(compact)
    for piece in (text, text.lower(), f"x {text} y"):  # and as written, unnormalised
        assert links._might_space_a_dot(piece) == _space_a_dot_ungated(piece)


def test_spaced_dot_literal_gates_on_shuffles() -> None:
    rng = random.Random(5)
    alphabet = [*"([{)]} .\tdotpuninkaoc", "dot", "punto", "point", "ponto", " . "]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert links._might_space_a_dot(text) == _space_a_dot_ungated(text), text
