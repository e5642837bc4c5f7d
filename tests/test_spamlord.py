"""The SpamLord evaluator: gold parsing, the gold's form, scoring, and the command on a
three-page fixture written for these tests (tests/fixtures/spamlord/, SpamLord's
layout: ``dev/<page>`` and ``devGOLD``)."""

from pathlib import Path

import pytest
from click.testing import CliRunner
from opguard_tools.spamlord import (
    Contact,
    Guess,
    TypeScore,
    default_gold,
    load,
    locate,
    misses,
    normalise_email,
    normalise_phone,
    parse_gold,
    score,
    snippet,
    to_contact,
)

from streams.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "spamlord" / "dev"


def c(page: str, kind: str, value: str) -> Contact:
    return Contact(page, kind, value)


# -- gold ---------------------------------------------------------------------------------

# (case, lines, gold)
GOLD = [
    ("one of each", ["a\tp\t650-723-1614\n", "a\te\tjo@cs.stanford.edu\n"],
     {c("a", "p", "650-723-1614"), c("a", "e", "jo@cs.stanford.edu")}),
    ("values lower-cased", ["a\te\tJo@CS.Stanford.EDU\n"], {c("a", "e", "jo@cs.stanford.edu")}),
    ("blank lines skipped", ["\n", "b\tp\t410-516-8000\n", "   \n"], {c("b", "p", "410-516-8000")}),
    ("a repeated line counts once", ["a\tp\t650-723-1614"] * 2, {c("a", "p", "650-723-1614")}),
    ("no lines", [], set()),
]  # fmt: skip


@pytest.mark.parametrize(("lines", "gold"), [g[1:] for g in GOLD], ids=[g[0] for g in GOLD])
def test_parse_gold(lines: list[str], gold: set[Contact]) -> None:
    assert parse_gold(lines) == gold


@pytest.mark.parametrize(
    "line",
    ["a\tx\t650-723-1614", "a\tp", "a p 650-723-1614", "a\tp\t650-723-1614\textra"],
    ids=["unknown type", "two fields", "spaces, not tabs", "four fields"],
)
def test_a_bad_gold_line_names_its_number(line: str) -> None:
    with pytest.raises(ValueError, match="gold line 2"):
        parse_gold(["a\tp\t650-723-1614", line])


# -- the gold's form ----------------------------------------------------------------------

# (finding value, gold form)
PHONES = [
    ("+16507231614", "650-723-1614"),  # E.164, as the engine writes a valid phone
    ("6507231614", "650-723-1614"),  # the digits of a number offered as a phone
    ("16507231614", "650-723-1614"),  # national prefix 1
    ("+14105168000", "410-516-8000"),
    ("+34943059010", "+34943059010"),  # not North American: stays E.164, can never match
    ("+447911123456", "+447911123456"),  # ten national digits, but British
    ("+1650723161", "+1650723161"),  # nine national digits: not the gold's form
    ("not a number", "not a number"),
]


@pytest.mark.parametrize(("value", "expected"), PHONES)
def test_normalise_phone(value: str, expected: str) -> None:
    assert normalise_phone(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("jo@cs.stanford.edu", "jo@cs.stanford.edu"),
        ("Jo@CS.Stanford.EDU", "jo@cs.stanford.edu"),
        ("mailto:jo@stanford.edu", "jo@stanford.edu"),
        (" jo@stanford.edu\n", "jo@stanford.edu"),
    ],
)
def test_normalise_email(value: str, expected: str) -> None:
    assert normalise_email(value) == expected


@pytest.mark.parametrize(
    ("kind", "value", "expected"),
    [
        ("phone", "+16507231614", c("pg", "p", "650-723-1614")),
        ("email", "JO@stanford.edu", c("pg", "e", "jo@stanford.edu")),
        ("messaging_handle", "telegram:jo", None),
        ("contact_request", "email me", None),
    ],
)
def test_only_phones_and_emails_become_contacts(
    kind: str, value: str, expected: Contact | None
) -> None:
    assert to_contact("pg", kind, value) == expected


# -- scoring ------------------------------------------------------------------------------

P1, P2, E1 = c("a", "p", "650-723-1614"), c("a", "p", "650-723-4173"), c("a", "e", "jo@x.edu")

# (case, guessed, gold, {type: (tp, fp, fn)})
SCORES = [
    ("all found", [P1, P2, E1], [P1, P2, E1], {"p": (2, 0, 0), "e": (1, 0, 0)}),
    ("nothing found", [], [P1, E1], {"p": (0, 0, 1), "e": (0, 0, 1)}),
    ("found twice counts once", [P1, P1, P1], [P1], {"p": (1, 0, 0), "e": (0, 0, 0)}),
    ("a wrong number is an fp and an fn", [P2], [P1], {"p": (0, 1, 1), "e": (0, 0, 0)}),
    ("the right value on another page",
     [c("b", "p", P1.value)], [P1], {"p": (0, 1, 1), "e": (0, 0, 0)}),
    ("types are scored apart", [c("a", "e", P1.value)], [P1], {"p": (0, 0, 1), "e": (0, 1, 0)}),
    ("case does not matter", [c("a", "e", "JO@X.EDU")], [E1], {"p": (0, 0, 0), "e": (1, 0, 0)}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("guessed", "gold", "expected"), [s[1:] for s in SCORES], ids=[s[0] for s in SCORES]
)
def test_score_counts(
    guessed: list[Contact], gold: list[Contact], expected: dict[str, tuple[int, int, int]]
) -> None:
    scores = score(guessed, gold)
    assert {k: (len(s.tp), len(s.fp), len(s.fn)) for k, s in scores.items()} == expected


# (tp, fp, fn, precision, recall, f1)
FIGURES = [
    (3, 1, 0, 0.75, 1.0, 6 / 7),
    (1, 0, 3, 1.0, 0.25, 0.4),
    (0, 0, 0, 0.0, 0.0, 0.0),  # nothing to find, nothing found: no division by zero
    (0, 2, 2, 0.0, 0.0, 0.0),
]


@pytest.mark.parametrize(("tp", "fp", "fn", "precision", "recall", "f1"), FIGURES)
def test_figures(tp: int, fp: int, fn: int, precision: float, recall: float, f1: float) -> None:
    s = TypeScore(
        frozenset(c("a", "p", f"tp{i}") for i in range(tp)),
        frozenset(c("a", "p", f"fp{i}") for i in range(fp)),
        frozenset(c("a", "p", f"fn{i}") for i in range(fn)),
    )
    assert (s.precision, s.recall, s.f1) == pytest.approx((precision, recall, f1))


# -- misses and their context --------------------------------------------------------------

# (case, text, contact, the located part, or None)
LOCATED = [
    ("e-mail as written", "mail jo@cs.x.edu now", c("a", "e", "jo@cs.x.edu"), "jo@cs.x.edu"),
    ("local part and domain", "E-mail: lam at cs.x.edu<br>", c("a", "e", "lam@cs.x.edu"),
     "lam at cs.x.edu"),
    ("domain first", "hide('x.edu','jo');", c("a", "e", "jo@x.edu"), "x.edu','jo"),
    ("local part alone", "Email: jo (followed by our domain)", c("a", "e", "jo@x.edu"), "jo"),
    ("local part inside a word is not it", "jones@y.org", c("a", "e", "jo@x.edu"), None),
    ("phone with separators", "Tel (650) 723-1614.", c("a", "p", "650-723-1614"),
     "650) 723-1614"),
    ("phone's last seven", "ext. 723 1614", c("a", "p", "650-723-1614"), "723 1614"),
    ("phone not written as digits", "six five oh", c("a", "p", "650-723-1614"), None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "contact", "part"), [x[1:] for x in LOCATED], ids=[x[0] for x in LOCATED]
)
def test_locate(text: str, contact: Contact, part: str | None) -> None:
    span = locate(text, contact)
    assert (text[span[0] : span[1]] if span else None) == part


def test_snippet_marks_the_span_on_one_line() -> None:
    text = "a" * 50 + "\n  call (650)\n723-1614 now\n" + "b" * 50
    start = text.index("(650)")
    assert snippet(text, start, start + 14, width=10) == "…aa call «(650) 723-1614» now bbbbb…"


def test_misses_give_fp_at_its_first_place_and_fn_where_written() -> None:
    texts = {"a": "x 94305-9010 y 94305-9010 z; Tel 650 723 1614", "b": "nothing"}
    fp = c("a", "p", "+34943059010")
    guesses = [Guess(fp, 15, 25), Guess(fp, 2, 12)]
    scores = score([fp], [P1, c("b", "e", "jo@x.edu")])
    found = {(m.outcome, m.contact): m.snippet for m in misses(texts, guesses, scores)}
    assert found == {
        ("fp", fp): "…x «94305-9010» y 94305-9010 z; Tel 650 723 1614…",
        ("fn", P1): "…x 94305-9010 y 94305-9010 z; Tel «650 723 1614» …",
        ("fn", c("b", "e", "jo@x.edu")): "",  # not in the page as written
    }


# -- the folder, and the command --------------------------------------------------------------


def test_load_reads_the_pages_and_the_gold_beside_them(tmp_path: Path) -> None:
    assert default_gold(FIXTURE) == FIXTURE.parent / "devGOLD"
    texts, gold = load(FIXTURE)
    assert sorted(texts) == ["alice", "bob", "carol"]
    assert c("bob", "e", "robert@tiller.org") in gold and len(gold) == 6
    (tmp_path / "dev").mkdir()
    (tmp_path / "dev" / ".hidden").write_text("x")
    (tmp_path / "devGOLD").write_text("")
    with pytest.raises(FileNotFoundError, match="no pages"):
        load(tmp_path / "dev")


def test_the_command_scores_both_systems_and_lists_the_misses() -> None:
    result = CliRunner().invoke(main, ["bench", "spamlord", str(FIXTURE), "--misses"])
    assert result.exit_code == 0, result.output
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in result.output.splitlines()]
    figures = {(r[0], r[1]): r[2:] for r in rows if len(r) == 8}
    assert "SpamLord: 3 pages, gold 3 phones, 3 e-mails" in result.output
    # The baseline is phonenumbers and a regex: its figures are fixed by the fixture.
    base = "baseline (PhoneNumberMatcher + e-mail regex)"
    assert figures[(base, "phone")] == ["3", "0", "0", "1.000", "1.000", "1.000"]
    assert figures[(base, "email")] == ["1", "0", "2", "1.000", "0.333", "0.500"]
    # The engine's rows account for every gold contact (tp + fn).
    for kind in ("phone", "email"):
        tp, _, fn = (int(x) for x in figures[("opguard engine", kind)][:3])
        assert tp + fn == 3
    # No one runs the page's script: its address is a miss, shown where the page has it.
    listed: list[list[str]] = []
    for row in (r for r in rows if len(r) == 5):
        if listed and not any(row[:4]):  # a context folded over several lines
            listed[-1][4] += " " + row[4]
        else:
            listed.append(row)
    (robert,) = [r for r in listed if r[3] == "robert@tiller.org"]
    assert robert[:3] == ["fn", "bob", "email"] and "tiller.org','robert" in robert[4]


def test_the_command_without_a_gold_file_says_so_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "dev").mkdir()
    (tmp_path / "dev" / "page").write_text("hi")
    result = CliRunner().invoke(main, ["bench", "spamlord", str(tmp_path / "dev")])
    assert result.exit_code == 2
    assert result.output.startswith("opguard: ") and "devGOLD" in result.output
