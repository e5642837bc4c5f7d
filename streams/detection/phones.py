"""Phone numbers: phonenumbers' ``PhoneNumberMatcher`` (``Leniency.VALID``) on the digits
view, tried with the sender's country first and then the policy's regions.

A candidate is a run of digits with light separators; runs that read as a price, a
date, a version or an id by their context are skipped before the (costly) matcher runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

import phonenumbers

from streams.detection import detail_context
from streams.detection.findings import Finding
from streams.detection.normalize import View
from streams.detection.test_numbers import is_test_phone

# A run: digits with separators between them ("+", "(" or a digit, then
# ``\+?\(?\d[...]*\d`` read from there: a first character class lets ``re`` skip ahead at
# C speed).  ``[...]*`` followed by one ``\d`` can only give back characters of one run,
# so the scan is linear.
# Groups may also be split by a line break or by emoji and other symbols ("612 🔥 345").
_SYMBOLS = "\u2190-\u2bff\u2600-\u27bf\ufe0f\u200d\U0001f000-\U0001faff"
_RUN = re.compile(rf"[+(\d](?:(?<=\+)\(?\d|(?<=\()\d|(?<=\d))[\d \t\r\n().\-/•·_*~{_SYMBOLS}]*\d")
_ODD_SEPARATOR = re.compile(rf"[\r\n•·_*~{_SYMBOLS}]")
_MAX_RUN_CHARS = 40
_MIN_NATIONAL_DIGITS = 8

_NOT_A_PHONE_BEFORE = re.compile(
    r"(?:[$€£₹¥#№]|\b(?:usd|eur|gbp|inr|budget|price|cost|costs|rate|order|invoice|version|"
    r"ver|v|id|ticket|ref|reference|tracking|sku|isbn|zip|postal|serial|transaction|txn|"
    r"item|no|nr|account|acct|iban|card|amount|total|salary|pay|paid|build|release|"
    r"issue|pr|case|code|pin|otp|hash|commit|factura|facture|pedido|commande|rechnung|"
    r"bestellung|pesanan|kode|código|codigo|policy|pol|contract|tax|vat|nif|ssn|ein|"
    r"счёт|счет|рахунок|заказ|замовлення|nomor\s+pesanan|número\s+de\s+pedido)\b\W{0,3}(?:(?:number|no|nr|num|n\.?º|is|#)\W{0,3}){0,2})$"
)
_NOT_A_PHONE_AFTER = re.compile(
    r"^\s{0,2}(?:[$€£₹%]|(?:usd|eur|gbp|inr|dollars?|euros?|rupees?|k|m|views|followers|"
    r"users|rows|records|words|px|ms|kb|mb|gb|times|downloads|subscribers|items|"
    r"units|pieces|hours|hrs|minutes|days)\b)"
)
_CONTACT_CUE = re.compile(
    r"\b(?:(?:my|mi|mera|meu|mon|mein|mio|m[óo]j|moje|amar|yangu)\W{1,3}(?:no|nr|num)\b|"
    r"phone|tel|telephone|call|text|sms|cell|mobile|mob|contact|reach|"
    r"whats\s?app|wa|telegram|viber|signal|imo|wechat|celular|"
    r"móvil|movil|telefone|téléphone|telefon|handy|телефон|звони\w*)\b"
)
# Right after letters, a currency sign or an id prefix ("POL-446-…", "#", "v2…").
_ID_PREFIX = re.compile(r"(?:[^\W\d_]|[$€£₹#№]|[a-z0-9]-|\bn\.[o°]\.?\s?|\bn°\s?)\Z")
# Dates, times, IP addresses and ranges ("185.53.88.0/22"), ZIP+4 codes.
_DATE = re.compile(
    r"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$|^\d{1,2}:\d{2}"
    r"|^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?:/\d{1,2})?$"  # an IP address or a CIDR range
    r"|^\d{5}-\d{4}$"  # a US ZIP+4 code ("Stanford, CA 94305-9030")
)

if TYPE_CHECKING:
    from streams.detection.recognizer import Context


def _rejected_by_context(text: str, start: int, end: int) -> bool:
    before = text[max(0, start - 40) : start]
    if _CONTACT_CUE.search(text, max(0, start - 40), start):
        return False
    after = text[end : end + 16]
    return bool(_NOT_A_PHONE_BEFORE.search(before) or _NOT_A_PHONE_AFTER.search(after))


def not_a_phone(text: str, start: int, end: int) -> bool:
    """Whether what stands around ``text[start:end]`` names a number as no phone: an id
    prefix ("POL-", "SP-", "#"), a price, order or code word, or a unit after it."""
    cjk_before = start > 0 and "\u3400" <= text[start - 1] <= "\u9fff"  # "前三位158"
    if not cjk_before and _ID_PREFIX.search(text, max(0, start - 12), start):
        return True
    return _rejected_by_context(text, start, end)


def _candidates(text: str) -> Iterator[tuple[int, int]]:
    for match in _RUN.finditer(text):
        start, end = match.span()
        run = match.group()
        digits = sum(map(str.isdigit, run))
        if digits < 7 or end - start > _MAX_RUN_CHARS * 3:
            continue
        if _DATE.match(run.strip("()")) or _ID_PREFIX.search(text, max(0, start - 12), start):
            continue
        yield start, end


# A run of at most this many digits is one candidate of ``PhoneNumberMatcher`` as a
# whole (its pattern takes blocks of up to 20 digits).
_MAX_PLAIN_RUN = 17


_TYPES = (
    "premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan",
    "voicemail", "fixed_line", "mobile",
)  # fmt: skip


def _desc(desc: object) -> tuple[tuple[int, ...], str] | None:
    """(possible lengths, () for any; national number pattern) of a description."""
    pattern = getattr(desc, "national_number_pattern", None)
    if not pattern:
        return None
    return tuple(getattr(desc, "possible_length", ()) or ()), pattern


@lru_cache(maxsize=256)  # regions: the policy's and senders' countries
def _validity_rules(
    region: str,
) -> tuple[re.Pattern[str] | None, dict[int, re.Pattern[str]]] | None:
    """What a number read in ``region`` must satisfy to be valid, for :func:`_may_match`:
    the region's international (IDD) prefix, and by length of the national number one
    pattern matching where, for a region sharing the country code, the general
    description and one number type's both match (``is_valid_number``: each by length
    and pattern).

    None where the test does not apply: no metadata, or a national prefix "transform
    rule" (it may add digits, e.g. a local area code) in the region or in the main
    region of its country code (``parse`` strips prefixes with one of those two)."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    code = None if metadata is None else metadata.country_code
    if metadata is None or code is None:
        return None
    main = phonenumbers.region_code_for_country_code(code)
    for name in {region, main}:
        rules = phonenumbers.PhoneMetadata.metadata_for_region(name)
        if rules is None or rules.national_prefix_transform_rule:
            return None
    by_length: dict[int, list[str]] = {}
    for name in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code, ()):
        rules = phonenumbers.PhoneMetadata.metadata_for_region(name)
        general = None if rules is None else _desc(rules.general_desc)
        if general is None or not general[0]:
            return None
        types = [t for t in (_desc(getattr(rules, kind, None)) for kind in _TYPES) if t]
        for length in general[0]:
            fitting = [p for lengths, p in types if not lengths or length in lengths]
            if fitting:
                alternatives = "|".join(f"(?:{p})" for p in fitting)
                by_length.setdefault(length, []).append(
                    rf"(?=(?:{general[1]})\Z)(?:{alternatives})\Z"
                )
    idd = metadata.international_prefix
    patterns = {n: re.compile("|".join(f"(?:{b})" for b in b_)) for n, b_ in by_length.items()}
    return (re.compile(idd) if idd else None), patterns


def _may_match(digits: str, region: str) -> bool:
    """False only if ``PhoneNumberMatcher(digits, region)`` finds no valid number in a
    run of plain digits (at most ``_MAX_PLAIN_RUN``).

    Such a run is the matcher's one candidate.  With no "+" and no IDD prefix, ``parse``
    reads the region's country code and a national number that is the end of ``digits``
    (less a prefix: the country code, a national prefix); a valid number matches the
    general description and one type's of a region of that country code.  Unless some
    end of ``digits`` does, the region's matcher pass is skipped: with 15 regions, a
    10-digit meeting id otherwise costs a millisecond.
    ``tests/detection/test_phone_regions.py`` checks it against the matcher.
    """
    rules = _validity_rules(region)
    if rules is None:
        return True
    idd, by_length = rules
    if idd is not None and idd.match(digits):
        return True
    n = len(digits)
    return any(
        pattern.match(digits, n - size) is not None
        for size, pattern in by_length.items()
        if size <= n
    )


def _match(run: str, regions: Sequence[str]) -> list[tuple[int, int, str]]:
    plain = len(run) <= _MAX_PLAIN_RUN and run.isascii() and run.isdigit()
    for region in regions:
        if plain and not _may_match(run, region):
            continue
        matches = phonenumbers.PhoneNumberMatcher(run, region, leniency=phonenumbers.Leniency.VALID)
        found = [
            (m.start, m.end, e164)
            for m in matches
            if m.raw_string.lstrip("(").startswith("+")
            or len(str(m.number.national_number)) >= _MIN_NATIONAL_DIGITS
            for e164 in [phonenumbers.format_number(m.number, phonenumbers.PhoneNumberFormat.E164)]
        ]
        if found:
            return found
        if run.lstrip("(").startswith("+"):
            return []
    return []


def match_whole(digits: str, regions: Sequence[str]) -> str | None:
    """The E.164 value of ``digits`` (a plain run, "+" allowed) if the whole run is a
    valid number that is no test or fictional number, else None."""
    for start, end, e164 in _match(digits, regions):
        if start == 0 and end == len(digits) and not is_test_phone(e164):
            return e164
    return None


def _plausible(text: str) -> list[tuple[int, int]]:
    """The candidate runs of ``text`` their context does not reject."""
    return [(s, e) for s, e in _candidates(text) if not _rejected_by_context(text, s, e)]


#: The reason of a number found in a list of phone-shaped numbers (see _is_detail).
IN_A_LIST = "valid phone number, in a list"


def find_phones(
    view: View, regions: Sequence[str], inside: Sequence[tuple[int, int]] = (), original: str = ""
) -> list[Finding]:
    """Phone numbers in ``view`` (the digits view), as E.164 values.

    A run lying wholly inside one of the original spans ``inside`` (the meeting links
    found in the text: a run there is the meeting's id) is not read as a phone.  A run
    the digits view joined across a comma of ``original`` that is no number as a whole
    is read part by part ("Terman 405, (650)723-4173"); a part beside another part of
    phone length is ``IN_A_LIST``."""
    findings: list[Finding] = []
    for start, end in _plausible(view.text):
        if inside and _within(view.to_original(start, end), inside):
            continue
        run = _ODD_SEPARATOR.sub(" ", view.text[start:end])  # one space per character
        matched = _match(run, regions)
        for rel_start, rel_end, e164 in matched:
            if is_test_phone(e164):  # a provider's test number, a fictional range
                continue
            o_start, o_end = view.to_original(start + rel_start, start + rel_end)
            findings.append(Finding("phone", o_start, o_end, e164, "valid phone number"))
        if matched:
            continue
        if _offered_as_phone(view.text, start, run):
            o_start, o_end = view.to_original(start, end)
            value = ("+" if run.lstrip("(").startswith("+") else "") + re.sub(r"\D", "", run)
            findings.append(Finding("phone", o_start, o_end, value, "number offered as a phone"))
        elif original:
            findings.extend(_comma_parts(view, original, start, end, regions))
    return findings


# A part of a list read as a phone is written as one: digits and the usual separators,
# any parenthesis closed ("(650)723-4173", not "205-227 (2002" or "2008 06:39:33").
_FORMATTED = re.compile(r"[\d \t.+\-]*(?:\(?\d{1,4}\)[\d \t.\-]*)?\d")


def _comma_parts(
    view: View, original: str, start: int, end: int, regions: Sequence[str]
) -> Iterator[Finding]:
    """The numbers of the parts of ``view.text[start:end]`` between the commas the
    original had there."""
    o_start, o_end = view.to_original(start, end)
    if "," not in original[o_start:o_end]:
        return
    cuts = [start]
    for i in range(start + 1, end - 1):
        if view.text[i] == " " and "," in original[view.ends[i - 1] : view.starts[i + 1]]:
            cuts.append(i + 1)
    cuts.append(end + 1)
    parts = [(a, b - 1) for a, b in pairwise(cuts)]
    long = [sum(map(str.isdigit, view.text[a:b])) >= 7 for a, b in parts]
    for index, (a, b) in enumerate(parts):
        p_start, p_end = view.to_original(a, b)
        if not long[index] or not _FORMATTED.fullmatch(original[p_start:p_end]):
            continue
        listed = any(long[:index]) or any(long[index + 1 :])
        for rel_start, rel_end, e164 in _match(_ODD_SEPARATOR.sub(" ", view.text[a:b]), regions):
            if not is_test_phone(e164):
                f_start, f_end = view.to_original(a + rel_start, a + rel_end)
                reason = IN_A_LIST if listed else "valid phone number"
                yield Finding("phone", f_start, f_end, e164, reason)


# "my number is …", "call me on …", "WhatsApp: …": right before a phone-shaped run,
# these make it a contact detail even when phonenumbers calls it invalid for every
# region tried (a country not in the list, an old format like Mexico's "+52 1",
# a fictional range).
_OFFERED_AS_PHONE = re.compile(
    r"(?:\b(?:phone|tel|telephone|cell|mobile|whats\s?app|wa|viber|telegram|signal|sms|"
    r"call me|text me|ring me|reach me|(?:my|mi|meu|mon|mein|il mio|mój|moje) "
    r"(?:number|no|num|cell|numero|número|nummer|numer|numéro)|numaram|мой номер|"
    r"телефон\w{0,2}|celular|handy|simu|sđt|điện thoại)\b|رقمي|هاتف\w{0,2}|电话|手机号?)"
    r"[^\w\n]{0,4}(?:(?:is|es|é|est|ist|è|to|jest|on|at|al|au|an)\W{1,3})?$"
)
_PHONE_SHAPE = re.compile(r"\+?\(?\d{1,4}\)?(?:[ .\-/]{1,3}\(?\d{1,5}\)?){1,5}|\+?\d{9,13}")


def _offered_as_phone(text: str, start: int, run: str) -> bool:
    digits = sum(map(str.isdigit, run))
    return (
        9 <= digits <= 13
        and _PHONE_SHAPE.fullmatch(run.strip()) is not None
        and _OFFERED_AS_PHONE.search(text, max(0, start - 30), start) is not None
    )


def _within(span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    """Whether ``span`` lies wholly inside one of ``spans``."""
    start, end = span
    return any(outer_start <= start and end <= outer_end for outer_start, outer_end in spans)


# As people write a number they mean as a number: digits (of any script) and the usual
# separators on one line.  Anything else (digit words, keycap emoji, a line break or an
# emoji between the groups, slashes) is a disguise, which only a contact detail gets.
_PLAIN = re.compile(r"[\d \t\u00a0().+\-]+")
_INTERNATIONAL = re.compile(r"\(?(?:\+|00)")
_DIGITS_AND_COMMAS = re.compile(r"[\d\s,().+\-/]+")


def _region(e164: str) -> str | None:
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164))
    except phonenumbers.NumberParseException:
        return None


def _is_detail(ctx: Context, finding: Finding) -> bool:
    """Whether a phone-shaped number is given as a phone (docs/POLICY.md, "Numbers").

    A number written plainly is not one when an honest cue names it right before
    ("UPC 036000291452"), when it stands in sample data its sender does not call
    theirs ("the mockup shows (555) 555-0123"), or when it reads as a number of a region
    other than the sender's (the first region tried) in its national form and nothing
    in the message says it is a way to get in touch ("PO 4500183726")."""
    written = ctx.norm.original[finding.start : finding.end]
    cued = detail_context.contact_cued(ctx, finding.start, finding.end)
    if finding.reason == IN_A_LIST or ("," in written and _DIGITS_AND_COMMAS.fullmatch(written)):
        return cued  # "169, 463-502 (2001": a list of numbers, unless called a phone
    if not _PLAIN.fullmatch(written):
        return True
    if detail_context.sample(ctx, finding.start, finding.end):
        return False
    if detail_context.honest_before(ctx, finding.start):
        return False
    offered = _OFFERED_AS_PHONE.search(ctx.norm.original, max(0, finding.start - 30), finding.start)
    if _INTERNATIONAL.match(written.strip()) or offered:
        return True
    home = ctx.regions[0] if ctx.regions else None
    return _region(finding.value) == home or cued


def analyze(ctx: Context) -> list[Finding]:
    """Phones in the digits view that are given as phones; a digit run inside a meeting
    link is its id."""
    meetings = [(f.start, f.end) for f in ctx.found_of("meeting_link")]
    found = find_phones(ctx.digits, ctx.regions, meetings, ctx.norm.original)
    return [f for f in found if _is_detail(ctx, f)]
