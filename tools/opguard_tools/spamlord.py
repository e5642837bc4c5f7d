"""``opguard bench spamlord DIR``: the engine's phones and e-mails scored on SpamLord.

SpamLord (Stanford CS124, github.com/auNLP/spamlord) is a folder of real web pages of
people who wrote their phone numbers and e-mails for humans, not spammers
(``jurafsky(at)cs.stanford.edu``, ``650 723 1614``…), and a gold file of
``page<TAB>e|p<TAB>value`` lines in one canonical form: phones ``ddd-ddd-dddd``,
e-mails ``local@domain``.  Each page's whole text (HTML as it is) goes through
``streams.judge.judge`` as ``opguard scan --country US`` would judge it; the findings of
kind ``phone`` and ``email`` are brought to the gold's form and compared, as sets per
page, with the gold.  A baseline runs in the same pass: phonenumbers'
``PhoneNumberMatcher`` alone (region US) for phones and a plain e-mail regex.

The scoring (``parse_gold``, ``normalise_*``, ``score``, ``misses``) is pure; reading
the folder is ``load`` and the run is ``run``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import phonenumbers
from rich.console import Console
from rich.table import Table

from streams.judge import judge
from streams.policy.model import default_policy

TYPES = {"p": "phone", "e": "email"}  # SpamLord's type letters → the engine's kinds
REGION = "US"  # the pages are American: phones are read in, and written back to, US form
SNIPPET = 40  # characters of context on each side of a miss


@dataclass(frozen=True, slots=True, order=True)
class Contact:
    """One line of the gold, or one guess in the gold's form."""

    page: str
    type: str  # "p" | "e"
    value: str


@dataclass(frozen=True, slots=True)
class Guess:
    """A contact one system found, with where it found it in the page."""

    contact: Contact
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TypeScore:
    """SpamLord's tp / fp / fn sets for one type, and the figures they give."""

    tp: frozenset[Contact]
    fp: frozenset[Contact]
    fn: frozenset[Contact]

    @property
    def precision(self) -> float:
        found = len(self.tp) + len(self.fp)
        return len(self.tp) / found if found else 0.0

    @property
    def recall(self) -> float:
        gold = len(self.tp) + len(self.fn)
        return len(self.tp) / gold if gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True, slots=True)
class Miss:
    """A false positive or a false negative, with a snippet of the page around it."""

    outcome: str  # "fp" | "fn"
    contact: Contact
    snippet: str  # "" when the gold value is not in the page as written


# -- pure: the gold, the gold's form, the score ---------------------------------------


def parse_gold(lines: Iterable[str]) -> frozenset[Contact]:
    """The gold file's ``page<TAB>e|p<TAB>value`` lines; values compared lower-case."""
    gold = set()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        fields = line.strip().split("\t")
        if len(fields) != 3 or fields[1] not in TYPES:
            raise ValueError(f"gold line {number}: expected page<TAB>e|p<TAB>value: {line!r}")
        page, kind, value = fields
        gold.add(Contact(page, kind, value.strip().lower()))
    return frozenset(gold)


def normalise_phone(value: str) -> str:
    """A phone finding's value (E.164, or the digits of a number offered as a phone) in
    the gold's form: ``ddd-ddd-dddd`` for a North American number, E.164 otherwise (such a
    number can never match the gold, and counts as a false positive)."""
    try:
        number = phonenumbers.parse(value, REGION)
    except phonenumbers.NumberParseException:
        return value
    national = str(number.national_number)
    if number.country_code == 1 and len(national) == 10:
        return f"{national[:3]}-{national[3:6]}-{national[6:]}"
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(value: str) -> str:
    """An e-mail in the gold's form: ``local@domain``, lower-case."""
    return value.strip().removeprefix("mailto:").lower()


def to_contact(page: str, kind: str, value: str) -> Contact | None:
    """A finding of ``kind`` as a SpamLord contact; None for any other kind."""
    if kind == "phone":
        return Contact(page, "p", normalise_phone(value))
    if kind == "email":
        return Contact(page, "e", normalise_email(value))
    return None


def score(guessed: Iterable[Contact], gold: Iterable[Contact]) -> dict[str, TypeScore]:
    """Set comparison per type, as SpamLord's own ``score`` does (values lower-cased;
    the same contact found twice on a page counts once)."""
    guesses = {Contact(c.page, c.type, c.value.lower()) for c in guessed}
    golds = {Contact(c.page, c.type, c.value.lower()) for c in gold}
    scores = {}
    for kind in TYPES:
        mine = {c for c in guesses if c.type == kind}
        theirs = {c for c in golds if c.type == kind}
        scores[kind] = TypeScore(
            frozenset(mine & theirs), frozenset(mine - theirs), frozenset(theirs - mine)
        )
    return scores


def locate(text: str, contact: Contact) -> tuple[int, int] | None:
    """Where a gold contact is written in ``text``, if it is written plainly enough to
    be found: the e-mail; its local part and its domain's labels on one line, in either
    order (``lam at cs.stanford.edu``, ``obfuscate('stanford.edu','jurafsky')``); its
    local part and the domain's first label; its local part alone; the phone's ten
    digits, or its last seven, with a few separators between digits."""
    if contact.type == "e":
        local, _, domain = contact.value.partition("@")
        labels = domain.split(".")
        name, first = _word(local), _word(labels[0])
        whole = ".{1,12}?".join(rf"(?<!\w){re.escape(label)}(?!\w)" for label in labels)
        patterns = [
            re.escape(contact.value),
            rf"{name}.{{0,40}}?{whole}",
            rf"{whole}.{{0,40}}?{name}",
            rf"{name}.{{0,40}}?{first}",
            name,
        ]
    else:
        digits = re.sub(r"\D", "", contact.value)
        patterns = [r"\D{0,4}".join(digits), r"\D{0,3}".join(digits[3:])]
    for pattern in patterns:
        match = re.search(pattern, text, re.IGNORECASE)
        if match:
            return match.start(), match.end()
    return None


def _word(part: str) -> str:
    return rf"(?<![\w.]){re.escape(part)}(?!\w)"


def snippet(text: str, start: int, end: int, width: int = SNIPPET) -> str:
    """``…before «found» after…`` on one line."""

    def flat(part: str) -> str:
        return " ".join(part.split())

    before, found, after = text[max(0, start - width) : start], text[start:end], text[end:]
    return f"…{flat(before)} «{flat(found)}» {flat(after[:width])}…"


def misses(
    texts: Mapping[str, str], guesses: Iterable[Guess], scores: Mapping[str, TypeScore]
) -> list[Miss]:
    """Every fp (at its first place in the page) and fn (where the page writes it, if
    found), in page order."""
    first: dict[Contact, Guess] = {}
    for guess in sorted(guesses, key=lambda g: g.start):
        first.setdefault(guess.contact, guess)
    found = []
    for type_score in scores.values():
        for contact in type_score.fp:
            at = first.get(contact)
            text = texts.get(contact.page, "")
            where = snippet(text, at.start, at.end) if at else ""
            found.append(Miss("fp", contact, where))
        for contact in type_score.fn:
            text = texts.get(contact.page, "")
            span = locate(text, contact)
            found.append(Miss("fn", contact, snippet(text, *span) if span else ""))
    return sorted(found, key=lambda m: (m.contact.page, m.contact.type, m.outcome, m.contact))


# -- the systems ------------------------------------------------------------------------

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def engine_guesses(page: str, text: str) -> list[Guess]:
    """The engine's phones and e-mails in ``text``, as ``opguard scan --country US``
    judges it with the shipped policy."""
    guesses = []
    for finding in judge(text, "none", default_policy(), REGION).findings:
        contact = to_contact(page, finding.kind, finding.value)
        if contact is not None:
            guesses.append(Guess(contact, finding.start, finding.end))
    return guesses


def baseline_guesses(page: str, text: str) -> list[Guess]:
    """``PhoneNumberMatcher`` alone (region US, its default leniency) and a plain
    e-mail regex."""
    guesses = []
    for match in phonenumbers.PhoneNumberMatcher(text, REGION):
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        guesses.append(Guess(Contact(page, "p", normalise_phone(e164)), match.start, match.end))
    guesses += [
        Guess(Contact(page, "e", normalise_email(m.group())), m.start(), m.end())
        for m in _EMAIL.finditer(text)
    ]
    return guesses


SYSTEMS: dict[str, Callable[[str, str], list[Guess]]] = {
    "opguard engine": engine_guesses,
    "baseline (PhoneNumberMatcher + e-mail regex)": baseline_guesses,
}


# -- I/O at the edge ----------------------------------------------------------------------


def read_page(path: Path) -> str:
    """A page's text: UTF-8 (with or without a BOM), else Latin-1 (one dev page is)."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def default_gold(pages: Path) -> Path:
    """SpamLord's layout: ``data/dev`` is scored against ``data/devGOLD``."""
    return pages.parent / f"{pages.name}GOLD"


def load(pages: Path, gold: Path | None = None) -> tuple[dict[str, str], frozenset[Contact]]:
    """The pages of ``pages`` (by file name, hidden files skipped) and the gold."""
    gold = gold or default_gold(pages)
    texts = {
        path.name: read_page(path)
        for path in sorted(pages.iterdir())
        if path.is_file() and not path.name.startswith(".")
    }
    if not texts:
        raise FileNotFoundError(f"no pages in {pages}")
    with gold.open(encoding="utf-8") as lines:
        return texts, parse_gold(lines)


@dataclass(frozen=True, slots=True)
class SystemResult:
    name: str
    scores: dict[str, TypeScore]
    misses: tuple[Miss, ...]


@dataclass(frozen=True, slots=True)
class SpamLordResult:
    pages: int
    gold: frozenset[Contact]
    systems: tuple[SystemResult, ...]


def evaluate(texts: Mapping[str, str], gold: frozenset[Contact]) -> SpamLordResult:
    """Every system over every page, scored against ``gold``."""
    systems = []
    for name, system in SYSTEMS.items():
        guesses = [guess for page, text in texts.items() for guess in system(page, text)]
        scores = score((g.contact for g in guesses), gold)
        systems.append(SystemResult(name, scores, tuple(misses(texts, guesses, scores))))
    return SpamLordResult(len(texts), gold, tuple(systems))


def run(pages: Path, gold: Path | None = None) -> SpamLordResult:
    return evaluate(*load(pages, gold))


def render(result: SpamLordResult, show_misses: bool = False, width: int = 140) -> str:
    """The figures as a rich table; with ``show_misses``, the engine's fp and fn."""
    n_gold = {kind: sum(c.type == kind for c in result.gold) for kind in TYPES}
    table = Table(
        title=f"SpamLord: {result.pages} pages, gold {n_gold['p']} phones, {n_gold['e']} e-mails",
        title_justify="left",
    )
    table.add_column("system")
    table.add_column("type")
    for column in ("tp", "fp", "fn", "precision", "recall", "F1"):
        table.add_column(column, justify="right")
    for system in result.systems:
        for kind, name in TYPES.items():
            s = system.scores[kind]
            table.add_row(
                system.name, name, str(len(s.tp)), str(len(s.fp)), str(len(s.fn)),
                f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}",
            )  # fmt: skip
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, highlight=False)
    console.print(table)
    if show_misses:
        console.print(misses_table(result.systems[0]))
    return "\n".join(line.rstrip() for line in out.getvalue().rstrip().splitlines())


def misses_table(system: SystemResult) -> Table:
    table = Table(title=f"{system.name}: every fp and fn", title_justify="left")
    for column in ("", "page", "type", "value"):
        table.add_column(column, no_wrap=True)
    table.add_column("context", overflow="fold")
    for miss in system.misses:
        table.add_row(
            miss.outcome,
            miss.contact.page,
            TYPES[miss.contact.type],
            miss.contact.value,
            miss.snippet or "(not written plainly in the page)",
        )
    return table
