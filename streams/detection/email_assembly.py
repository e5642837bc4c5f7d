"""An e-mail address given as its parts: a mailbox provider named, or a domain
introduced as one, with a local part near it ("my gmail is jordan.hale.design",
"hotmail adresim zeynep_kaya93", "login kirill.web, домен mail.ru", "the domain is
outlook.com, before it put andrea.vega"; docs/POLICY.md, "Composition").

The lexicon is ``phrases/email_assembly.yaml``.  A local part is a Latin token shaped
like one (letters and digits with a dot, an underscore or a digit in it, not a file
name, a version or a domain); it must stand within ``_NEAR`` characters of the provider
or domain, and a work cue in the clause ("the Gmail API", "an Outlook add-in": the
``work`` frame) sets it aside.  The value is the assembled address.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from typing import TYPE_CHECKING

from streams.detection import emails
from streams.detection.channel_frames import GROUP as FRAME_GROUP
from streams.detection.channel_frames import clause, cue_lists, cue_regex
from streams.detection.findings import Finding
from streams.detection.matcher import Pattern

if TYPE_CHECKING:
    from streams.detection.recognizer import Context

__all__ = ["CUES", "DOMAIN_WORD", "GROUP", "analyze", "patterns"]

GROUP = "mailbox"
DOMAIN_WORD = "mailbox_domain_word"
#: The groups every text with a finding matches (the recognizer's cues; "email": an "@").
CUES = (GROUP, DOMAIN_WORD, "email")
#: A local part stands this close to the provider or the domain (either side).
_NEAR = 60
# ASCII boundaries: a local part may touch CJK text ("邮箱是2846153970，").
_LOCAL = re.compile(
    r"(?<![a-z0-9_@.\-/])[a-z0-9](?:[a-z0-9._\-]{1,62}[a-z0-9])(?![a-z0-9_@/]|\.[a-z0-9])", re.I
)
_DOMAIN_LIKE = re.compile(r"(?<![\w@.\-])(?:[a-z0-9\-]+\.)+[a-z]{2,10}(?![\w@.\-])", re.I)
# The domain part alone ("teresa.lynn (followed by “@stanford.edu”)").
_AT_DOMAIN = re.compile(r"(?<![\w.%+\-])@ ?((?:[a-z0-9\-]+\.)+[a-z]{2,10})(?![\w.\-])", re.I)
# Between a local part and the domain part written alone: a few words and quotes, no
# markup ("teresa.lynn (followed by "@…", not 'font-weight: 400">"first name"@…').
_LEADS_TO_DOMAIN = re.compile(r"[^:=<>{};\n]{0,24}")
_FILE = re.compile(
    r"\.(?:pdf|png|jpe?g|gif|svg|docx?|xlsx?|pptx?|csv|json|ya?ml|zip|rar|js|ts|py|rb|php|"
    r"html?|css|md|txt|mp4|mov|fig|psd|ai|sketch|apk|exe|env|log|sql|xml)$",
    re.I,
)


def patterns() -> Iterator[Pattern]:
    """The provider names (value: the domain) and the domain words, for the matcher."""
    lexicon = cue_lists("email_assembly.yaml")
    mailboxes: dict[str, list[str]] = lexicon["mailboxes"]  # type: ignore[assignment]
    for domain, names in mailboxes.items():
        for name in names:
            yield Pattern(cue_regex(name), GROUP, "folded", domain)
    for word in lexicon["domain"]:
        yield Pattern(cue_regex(word), DOMAIN_WORD, "folded", "domain")


def _is_local(token: str, domain: str) -> bool:
    name = domain.split(".")[0]
    if token.isupper():
        return False  # a constant or a setting's name ("MAIL_USERNAME")
    if _FILE.search(token) or name in token.lower() or not re.search(r"[a-z]", token, re.I):
        return domain in ("qq.com", "163.com") and token.isdigit() and 5 <= len(token) <= 11
    return bool(re.search(r"[._\-\d]", token)) and len(token) >= 4


def _domains(ctx: Context) -> list[tuple[int, int, str, int]]:
    """Where a domain is named (original offsets), which, and where in the folded view:
    a provider's name, a domain-like token right after a domain word, or the domain
    part of an address written alone ("@stanford.edu")."""
    scan = ctx.scan("folded")
    found = []
    for m in scan.matches([GROUP]):
        start, end = ctx.norm.to_original(m.start, m.end)
        found.append((start, end, m.pattern.value, m.start))
    text = ctx.norm.original
    for m in scan.matches([DOMAIN_WORD]):
        _start, end = ctx.norm.to_original(m.start, m.end)
        token = _DOMAIN_LIKE.search(text, end, end + 24)
        if token:
            found.append((token.start(), token.end(), token.group().lower(), m.start))
    if "@" in text:
        for part in _AT_DOMAIN.finditer(text):
            domain = emails.canonical_domain(part.group(1).lower())
            if domain is not None:
                at = bisect_left(ctx.norm.offsets, part.start())
                found.append((part.start(), part.end(), domain, at))
    return found


def analyze(ctx: Context) -> list[Finding]:
    if ctx.found_of("email"):
        return []
    text = ctx.norm.original
    folded = ctx.norm.folded
    work = [(m.start, m.end) for m in ctx.scan("folded").matches([FRAME_GROUP("work")])]
    for start, end, domain, at in sorted(_domains(ctx)):
        if "@" in text[max(0, start - 3) : start]:
            continue  # the domain of an address written out (the e-mail recognizer's)
        low, high = clause(folded, at, at + 1)
        if any(low <= s and e <= high for s, e in work):
            continue
        window_low, window_high = max(0, start - _NEAR), min(len(text), end + _NEAR)
        locals_ = [
            m
            for m in _LOCAL.finditer(text, window_low, window_high)
            if not (m.start() < end and start < m.end()) and _is_local(m.group(), domain)
        ]
        if not locals_:
            continue
        if text[start] == "@":  # the domain part alone: its local part comes first
            locals_ = [m for m in locals_ if _LEADS_TO_DOMAIN.fullmatch(text, m.end(), start)]
            if not locals_:
                continue
        local = min(locals_, key=lambda m: min(abs(m.start() - end), abs(start - m.end())))
        address = f"{local.group().lower()}@{domain}"
        span = (min(start, local.start()), max(end, local.end()))
        reason = f"an address given as its parts: {text[span[0] : span[1]]!r}"
        return [Finding("email", span[0], span[1], address, reason)]
    return []
