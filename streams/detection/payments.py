"""Payment accounts: IBANs (mod-97), card numbers (Luhn and a known issuer prefix),
payment links and ids (PayPal, Venmo, Cash App, UPI, Pix).  Crypto addresses live in
``crypto.py``.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from stdnum import iban, luhn, numdb
from stdnum.br import cnpj, cpf
from stdnum.util import get_cc_module

from streams.detection import detail_context
from streams.detection.channels import ChannelMention
from streams.detection.findings import Finding
from streams.detection.handles import handle_after, view_index
from streams.detection.links import URL_VIEW, find_links, link_patterns
from streams.detection.normalize import View
from streams.detection.test_numbers import is_test_card

LINKS = "payment_link"
PATTERNS = link_patterns(
    LINKS,
    [
        ("paypal", r"paypal\.me/[a-z0-9_\-]{2,32}"),
        ("paypal", r"paypal\.com/paypalme/[a-z0-9_\-]{2,32}"),
        ("venmo", r"venmo\.com/(?:u/)?[a-z0-9_\-]{2,32}"),
        ("cashapp", r"cash\.app/\$[a-z0-9_]{1,20}"),
        ("wise", r"wise\.com/pay/(?:me|r)/[a-z0-9_\-]{2,40}"),
        ("revolut", r"revolut\.me/[a-z0-9_\-]{2,40}"),
        ("buymeacoffee", r"buymeacoffee\.com/[a-z0-9_\-]{2,40}"),
        ("kofi", r"ko-fi\.com/[a-z0-9_\-]{2,40}"),
    ],
)
IBAN = re.compile(
    r"(?<![a-z0-9])[a-z]{2}[0-9]{2}(?: ?[a-z0-9]{4}){2,7}(?: ?[a-z0-9]{1,4})?(?![a-z0-9])"
)
_CARD = re.compile(r"[0-9](?<![0-9][0-9])(?:[ \-]?[0-9]){12,18}(?![0-9])")  # digit first: fast skip
# Issuer prefixes and the lengths their cards have (Visa, Mastercard, Amex, Discover,
# JCB, UnionPay).
_CARD_BRANDS = (
    (re.compile(r"4"), (13, 16, 19)),
    (re.compile(r"5[1-5]|2(?:2[2-9]|[3-6][0-9]|7[01]|720)"), (16,)),
    (re.compile(r"3[47]"), (15,)),
    (re.compile(r"6(?:011|5|4[4-9])|35|62"), (16, 17, 18, 19)),
)
_UPI_BANKS = (
    "okaxis|oksbi|okhdfcbank|okicici|ybl|ibl|axl|paytm|upi|apl|yapl|icici|sbi|hdfcbank|"
    "kotak|axisbank|pthdfc|ptsbi|ptaxis|ptyes|airtel|jio|freecharge|waaxis|wahdfcbank|"
    "wasbi|waicici|barodampay|aubank|idfcbank|indus|unionbank|pnb|boi|cnrb|fbl|federal|"
    "rbl|yesbank|abfspay|axisb|ikwik|timecosmos"
)
_UPI = re.compile(rf"(?<![a-z0-9._\-])[a-z0-9._\-]{{2,64}}@(?:{_UPI_BANKS})(?![a-z0-9.\-])")
CASHTAG = re.compile(r"(?<![\w$])\$[a-z][a-z0-9_]{3,20}(?![\w(\[-])")
_PAY_CONTEXT = re.compile(r"\bcash\s?(?:app|tag)|\bpa(?:y|id|yment)\b|\bsend\b|\btransfer")
_PIX_KEY = re.compile(
    r"[\s:=\-–>]*(?:(?:é|e|is|key|chave|minha|my|aleatória|aleatoria|random|cpf|cnpj|"
    r"email|e-mail|celular|telefone|:)[\s:]*){0,4}"
    r"(?P<key>[0-9]{3}\.?[0-9]{3}\.?[0-9]{3}-?[0-9]{2}|[0-9]{2}\.?[0-9]{3}\.?[0-9]{3}/?[0-9]{4}-?[0-9]{2}"
    r"|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    r"|[a-z0-9._%+\-]{1,64}@[a-z0-9.\-]{3,80}|\+?[0-9][0-9 ()\-]{9,18}[0-9])"
)
_CONTACT_WINDOW = 40
# Payment apps whose accounts are named by an id, an e-mail or a phone number.
_PAYMENT_APPS = frozenset(
    {"paypal", "venmo", "cashapp", "zelle", "wise", "payoneer", "revolut", "skrill", "pix",
     "upi", "mobile_money"}
)  # fmt: skip

if TYPE_CHECKING:
    from streams.detection.recognizer import Context


def _finding(view: View, start: int, end: int, value: str, reason: str) -> Finding:
    o_start, o_end = view.to_original(start, end)
    return Finding("payment_account", o_start, o_end, value, reason)


def find_ibans(view: View) -> list[Finding]:
    """IBANs in ``view`` (the folded view) that pass the mod-97 check."""
    found: list[Finding] = []
    for match in IBAN.finditer(view.text):
        written = match.group()
        # The last group may be a word that follows the IBAN ("… 1332 y cerramos").
        for candidate in (written, written.rpartition(" ")[0]):
            number = candidate.replace(" ", "").upper()
            if candidate and iban_is_valid(number):
                end = match.start() + len(candidate)
                found.append(_finding(view, match.start(), end, number, "IBAN (mod-97 valid)"))
                break
    return found


# Letters as mod-97 reads them ("A" is 10 … "Z" is 35).
_BASE36 = str.maketrans({c: str(int(c, 36)) for c in string.ascii_uppercase})


@lru_cache(maxsize=1)
def _iban_db() -> numdb.NumDB:
    """stdnum's copy of the IBAN registry (read on first IBAN: a fast start)."""
    return numdb.get("iban")


_BBAN_PART = re.compile(r"([1-9][0-9]*)!([nac])")
_BBAN_CHARS = {"n": "[0-9]", "a": "[A-Z]", "c": "[A-Za-z0-9]"}


@lru_cache(maxsize=128)  # a country code: at most 36 * 36 of them
def _country_rule(code: str) -> tuple[re.Pattern[str] | None, bool]:
    """The BBAN pattern of country ``code`` (None: no such country in the registry), and
    whether stdnum checks that country's IBANs further (a module of its own)."""
    properties = _iban_db().info(code)[0][1] if len(code) == 2 else {}
    if not properties:
        return None, False
    structure = _BBAN_PART.sub(
        lambda m: f"{_BBAN_CHARS[m.group(2)]}{{{m.group(1)}}}", properties.get("bban", "")
    )
    return re.compile(f"^{structure}$"), get_cc_module(code.lower(), "iban") is not None


def iban_is_valid(number: str) -> bool:
    """``stdnum.iban.is_valid`` of an upper-case ``number`` of letters and digits: the
    mod-97 check and the country's BBAN structure read once per country (stdnum's own
    check reads the registry and converts each character anew, ~50 µs an IBAN); a country
    with a module of its own still goes through stdnum."""
    if not number.isalnum() or not number.isascii() or not number.isupper():
        return iban.is_valid(number)
    digits = (number[4:] + number[:4]).translate(_BASE36)
    if not digits.isdigit() or int(digits) % 97 != 1:
        return False
    bban, own_module = _country_rule(number[:2])
    if bban is None or not bban.match(number[4:]):
        return False
    return iban.is_valid(number) if own_module else True


def find_cards(view: View) -> list[Finding]:
    """Card numbers in ``view`` (the digits view): Luhn valid with an issuer prefix, and
    not a provider's published test card."""
    found: list[Finding] = []
    for match in _CARD.finditer(view.text):
        number = re.sub(r"[ \-]", "", match.group())
        branded = any(p.match(number) and len(number) in n for p, n in _CARD_BRANDS)
        plus = match.start() > 0 and view.text[match.start() - 1] == "+"
        if branded and not plus and luhn.is_valid(number) and not is_test_card(number):
            found.append(
                _finding(view, match.start(), match.end(), number, "card number (Luhn valid)")
            )
    return found


def analyze_links(ctx: Context) -> list[Finding]:
    """Payment links (paypal.me/…, venmo.com/…, cash.app/$…) in the url view."""
    return [
        Finding("payment_account", m.start, m.end, m.url, f"{m.channel} payment link")
        for m in find_links(ctx.scan(URL_VIEW), LINKS, ctx.urls)
    ]


def analyze_cards(ctx: Context) -> list[Finding]:
    return find_cards(ctx.digits)


def analyze_ibans(ctx: Context) -> list[Finding]:
    """IBANs, less those in sample data ("the sample IBAN … for the validator's unit
    tests"): documentation's example IBANs are also what people copy as their own."""
    found = find_ibans(ctx.norm.compact)
    return [f for f in found if not detail_context.sample(ctx, f.start, f.end)]


def analyze_upi_ids(ctx: Context) -> list[Finding]:
    return find_upi_ids(ctx.norm.compact)


def analyze_cashtags(ctx: Context) -> list[Finding]:
    return find_cashtags(ctx.norm.compact)


def analyze_handles(ctx: Context) -> list[Finding]:
    return find_payment_handles(ctx.norm.compact, ctx.mentions, ctx.found_of("phone", "email"))


def find_cashtags(view: View) -> list[Finding]:
    """Cash App "$cashtags" in a text that talks about cash or paying (``$var`` in code
    does not)."""
    if not _PAY_CONTEXT.search(view.text):
        return []
    return [
        _finding(view, m.start(), m.end(), f"cashapp:{m.group()}", "cash app $cashtag")
        for m in CASHTAG.finditer(view.text)
    ]


def find_upi_ids(view: View) -> list[Finding]:
    """UPI ids ("john@okaxis") in ``view`` (the compact view)."""
    return [
        _finding(view, m.start(), m.end(), f"upi:{m.group()}", "UPI id")
        for m in _UPI.finditer(view.text)
    ]


def _valid_pix_key(key: str) -> bool:
    digits = re.sub(r"[^0-9]", "", key)
    if "@" in key or ("-" in key and len(key) == 36):
        return True
    if len(digits) == 11 and cpf.is_valid(digits):
        return True
    return (len(digits) == 14 and cnpj.is_valid(digits)) or (
        key.startswith("+") and len(digits) >= 12
    )


def find_payment_handles(
    view: View, mentions: Sequence[ChannelMention], contacts: Sequence[Finding]
) -> list[Finding]:
    """An id given right after a payment app's name ("venmo @john-d", "chave pix: …",
    "paypal: john@x.com" where the e-mail or phone is in ``contacts``)."""
    found: list[Finding] = []
    for mention in mentions:
        if mention.channel not in _PAYMENT_APPS or mention.work_topic:
            continue
        given = [c for c in contacts if mention.end <= c.start <= mention.end + _CONTACT_WINDOW]
        if given:
            found.extend(
                Finding(
                    "payment_account",
                    c.start,
                    c.end,
                    f"{mention.channel}:{c.value}",
                    f"{mention.channel} account",
                )
                for c in given
            )
            continue
        if mention.channel == "pix":
            position = view_index(view, mention.end)
            match = _PIX_KEY.match(view.text, position)
            if match is not None and _valid_pix_key(match.group("key")):
                key = match.group("key")
                found.append(
                    _finding(view, match.start("key"), match.end("key"), f"pix:{key}", "Pix key")
                )
            continue
        handle = handle_after(view, mention.end)
        if handle is not None and (
            handle[2].startswith(("@", "$")) or mention.channel == "cashapp"
        ):
            start, end, name = handle
            found.append(
                Finding(
                    "payment_account",
                    start,
                    end,
                    f"{mention.channel}:{name}",
                    f"{mention.channel} id",
                )
            )
    return found
