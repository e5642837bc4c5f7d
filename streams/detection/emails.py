"""E-mail addresses, obfuscated ones too ("john dot doe [at] gmail dot com", "arroba",
"собака", "punto", "точка"), with the domain checked against the public suffix list.

Reserved domains (example.com, .test, .invalid…) are never details; the platform's own
domains and support addresses are dropped later, by the policy's allow-list.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml
from publicsuffixlist import PublicSuffixList

from streams.detection import detail_context
from streams.detection.findings import Finding
from streams.detection.normalize import View, normalize, rewrite


@cache
def _words() -> dict[str, Any]:
    """``phrases/email_words.yaml``, each word as the compact view writes it."""
    text = resources.files("streams.detection.phrases").joinpath("email_words.yaml").read_text()
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))

    def alternation(words: list[str]) -> str:
        written = {normalize(f" {w} ").compact.text.strip() for w in words}
        return "|".join(
            re.escape(w).replace(r"\ ", r"\s+") for w in sorted(written, key=len, reverse=True)
        )

    providers = {
        normalize(f" {name} ").compact.text.strip().replace(" ", ""): domain
        for domain, names in data["providers"].items()
        for name in names
    }
    return {
        "placeholder_names": frozenset(data["placeholder_names"]),
        "placeholder_your": tuple(data["placeholder_your"]),
        "placeholder_your_suffixes": tuple(data["placeholder_your_suffixes"]),
        "placeholder_locals": frozenset(data["placeholder_locals"]),
        "at": alternation(data["at"]),
        "weak_at": alternation(data["weak_at"]),
        "dot": alternation(data["dot"]),
        "cue": alternation(data["cue"]),
        "providers": providers,
    }


_AT_WORDS = _words()["at"]
_WEAK_AT_WORDS = _words()["weak_at"]
_DOT_WORDS = _words()["dot"]
_CUE_WORDS = _words()["cue"]

# Strong "@" forms: "[at]", "(at)", "{@}", " @ ", "arroba", an HTML character reference
# ("&#64;", "&#x40;", "&commat;": a page, or a client that renders HTML, shows "@");
# weak: a bare " at ".
# Every match begins with a space, a bracket, "&" or "@" (a branch's leading ``\s*``
# matching nothing leaves its next character first): the lookahead turns every other
# position away before the branches are tried (``tests/detection/test_gates.py``).
_AT = re.compile(
    r"(?=[\s\[({<@&])(?:"
    r"\s*&(?:#0*64|#x0*40|commat);\s*|"
    rf"\s*[\[({{<]\s*(?:at|@|{_AT_WORDS})\s*[\])}}>]\s*"
    rf"|\s*[\[(]\s*(?:{_WEAK_AT_WORDS})\s+(?=[a-z])"
    r"|\s+at\s+the\s+rate(?:\s+of)?\s+"
    rf"|\s+(?:{_AT_WORDS})\s+"
    r"|\s*@\s*"
    rf"|(?<=[a-z0-9])\s+(?:{_WEAK_AT_WORDS})\s+(?=[^\W_])"
    ")"
)
# Every match begins with a space, a bracket, "&" or "." (as ``_AT``).
_DOT = re.compile(
    r"(?=[\s\[({<.&])(?:"
    r"&(?:#0*46|#x0*2e|period);|"
    rf"\s*[\[({{<]\s*(?:{_DOT_WORDS}|\.)\s*[\])}}>]\s*"
    rf"|(?<=[a-z0-9])\s+(?:{_DOT_WORDS})\s+(?=[a-z0-9])"
    r"|(?<=[a-z0-9]) ?\. ?(?=[a-z0-9])"
    ")"
)
#: The characters of an address's local part, in the folded and e-mail views.
LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._%+-")
# A ";" between two labels is a disguised dot ("jks at robotics;stanford;edu"), only
# after an at: in the rest of a text it is a ";" ("&lt;manning@…").
_DOMAIN = re.compile(r"[a-z0-9\-]{1,63}(?:[.;][a-z0-9\-]{1,63}){0,4}(?![a-z0-9\-])")
# Providers people name without the ".com" ("john at gmail").
_BARE_PROVIDERS: dict[str, str] = _words()["providers"]
_PROVIDERS = frozenset(
    {
        *_BARE_PROVIDERS.values(), "live.com", "msn.com", "me.com", "proton.me", "pm.me",
        "mail.ru", "yandex.com", "ya.ru", "gmx.com", "gmx.de", "gmx.net", "web.de",
        "qq.com", "163.com", "126.com", "zoho.com", "rediffmail.com", "bk.ru", "inbox.ru",
        "list.ru", "rambler.ru", "ukr.net", "tutanota.com", "fastmail.com", "mail.com",
        "yahoo.co.uk", "yahoo.fr", "yahoo.es", "hotmail.fr", "hotmail.es", "outlook.es",
        "hotmail.co.uk", "yahoo.co.in", "bol.com.br", "uol.com.br", "libero.it",
    }
)  # fmt: skip
_RESERVED_SUFFIXES = (".example", ".test", ".invalid", ".localhost", ".local")
_RESERVED_DOMAINS = frozenset({"example.com", "example.net", "example.org"})
# Tool addresses that are not a person: "git@github.com:owner/repo.git".
_NOT_A_PERSON = frozenset({"git", "noreply", "no-reply", "donotreply", "mailer-daemon"})

if TYPE_CHECKING:
    from streams.detection.recognizer import Context


@lru_cache(maxsize=1)
def _psl() -> PublicSuffixList:
    return PublicSuffixList(accept_unknown=False)


_WEAK = re.compile(rf"(?:{_WEAK_AT_WORDS})")


def _weak_at(match: re.Match[str]) -> str:
    """A bare weak word ("at", "et") is a weak at; any other form is an "@"."""
    return "\x00" if _WEAK.fullmatch(match.group().strip()) else "@"


_HYPHENABLE_PROVIDERS = "|".join("-*".join(name) for name in _BARE_PROVIDERS)
#: Cues of an e-mail in the compact view: an "@" or a strong at-word, or a bare " at "
#: followed by a domain word and a dot (or dot word), or by a bare provider.
CUES = (
    "[@\x00]",
    rf"[\[({{<]\s*(?:at|@|{_AT_WORDS})",
    rf"\s(?:{_AT_WORDS})\s",
    rf"\s(?:{_WEAK_AT_WORDS})\s+[^\W_][\w\-]*(?:\s*[.\[({{<]|\s+(?:{_DOT_WORDS})\s)",
    rf"\s(?:{_WEAK_AT_WORDS})\s+(?:the\s|(?:{_HYPHENABLE_PROVIDERS})(?![a-z0-9]))",
    r"&(?:#0*64|#x0*40|commat);",
    rf"(?:{_CUE_WORDS})\W[^@\n]{{0,24}}\s(?:{_WEAK_AT_WORDS})\s",
)  # a bare provider may be hyphenated: "at g-mail"


def email_view(compact: View) -> View:
    """``compact`` with spelled-out "@" and "." resolved.

    A bare " at " becomes ``"\\x00"`` (a weak at) so a finding can ask for more proof.
    """
    with_at = rewrite(compact, _AT, _weak_at)
    return rewrite(with_at, _DOT, lambda _: ".")


_RESERVED_ENDINGS = tuple(f".{d}" for d in sorted(_RESERVED_DOMAINS)) + _RESERVED_SUFFIXES


def has_public_suffix(domain: str) -> bool:
    """Whether ``domain`` is a registrable name under a public suffix ("stanford.edu")."""
    return _psl().privatesuffix(domain) is not None


def is_reserved(domain: str) -> bool:
    return domain in _RESERVED_DOMAINS or domain.endswith(_RESERVED_ENDINGS)


def is_placeholder(domain: str) -> bool:
    """A template's domain: "domain.com", "twojafirma.pl", "tu-empresa.es" (the names
    and "your" words of ``phrases/email_words.yaml``)."""
    registered = _psl().privatesuffix(domain)
    name = (registered or domain).split(".")[0]
    words = _words()
    first = name.split("-")[0]
    return (
        name in words["placeholder_names"]
        or ("-" in name and first in words["placeholder_your"])
        or any(
            name.startswith(w) and len(w) >= 4 and len(name) > len(w) + 2
            for w in words["placeholder_your"]
        )
        or (len(name) >= 7 and name.endswith(words["placeholder_your_suffixes"]))
    )


# A pure function of the domain (the public suffix list is read once); people write the
# same few providers' domains over and over.
@lru_cache(maxsize=4096)
def canonical_domain(domain: str) -> str | None:
    domain = domain.strip(".-")
    if domain.replace("-", "") in _BARE_PROVIDERS:
        return _BARE_PROVIDERS[domain.replace("-", "")]
    if is_reserved(domain) or not has_public_suffix(domain) or is_placeholder(domain):
        return None
    return domain


def _local_start(text: str, at: int) -> int | None:
    """Where the local part before ``text[at]`` starts, or None if there is none."""
    start = at
    while start > 0 and at - start < 64 and text[start - 1] in LOCAL_CHARS:
        start -= 1
    if start == at or (start > 0 and text[start - 1].isalnum()):
        return None
    return start


_AT_SIGN = re.compile("[@\x00]")
# "email: pal at …", "e-mail to support at …": the next address is named as one.
_NAMED = re.compile(
    rf"(?<![a-z])(?:{_CUE_WORDS})(?:\W{{1,3}}(?:is|to|me|address|id|es|e|est|ist|adresi)){{0,2}}"
    r"\W{1,3}\Z"
)
# A domain whose dots are spaces ("cs stanford edu"), read only after a named address.
_SPACED_DOMAIN = re.compile(r"[a-z0-9\-]{1,63}(?: [a-z0-9\-]{1,63}){1,4}")


def find_emails(view: View, original: str = "") -> list[Finding]:
    """E-mail addresses in ``view`` (see :func:`email_view`), lower-case values.

    A weak at ("lam at cs.stanford.edu") needs a known provider, a dot spelled out or
    the address named as one right before it ("email: …"); named, its domain's dots may
    be spaces ("email: pal at cs stanford edu")."""
    findings: list[Finding] = []
    text = view.text
    for at_match in _AT_SIGN.finditer(text):
        at = at_match.start()
        start = _local_start(text, at)
        match = _DOMAIN.match(text, at + 1)
        if start is None or match is None:
            continue
        local = text[start:at].strip("._-+")
        domain, end = _longest_domain(match.group().replace(";", "."), match.start())
        named = _NAMED.search(text, max(0, start - 40), start) is not None
        if domain is None and named:
            spaced = _SPACED_DOMAIN.match(text, at + 1)
            if spaced:
                domain, end = _longest_domain(spaced.group().replace(" ", "."), spaced.start())
        if not local or domain is None or local in _NOT_A_PERSON:
            continue
        if len(local) == 1 and len(domain.split(".")[0]) == 1:
            continue  # "a@b.co": a format's example
        weak = text[at] == "\x00"
        spelled = ";" in text[match.start() : end] or _dot_spelled(
            view, match.start(), end, original
        )
        if weak and not (domain in _PROVIDERS or spelled or named):
            continue
        o_start, o_end = view.to_original(start, end)
        findings.append(Finding("email", o_start, o_end, f"{local}@{domain}", "e-mail address"))
    return findings


def _longest_domain(written: str, start: int) -> tuple[str | None, int]:
    """The canonical domain of the longest run of labels of ``written`` that is one, and
    where it ends: "gmail.com.thanks" (a sentence's end spaced out as a dot) is
    gmail.com."""
    labels = written.split(".")
    for count in range(len(labels), 0, -1):
        candidate = ".".join(labels[:count])
        domain = canonical_domain(candidate)
        if domain is not None:
            return domain, start + len(candidate)
    return None, start


def _dot_spelled(view: View, start: int, end: int, original: str) -> bool:
    """Whether a dot of the domain was written as something other than "." (of the
    ``original`` text, when given)."""
    return any(
        view.text[i] == "."
        and (
            view.ends[i] - view.starts[i] > 1
            or (original != "" and original[view.starts[i]] != ".")
        )
        for i in range(start, end)
    )


def is_placeholder_local(local: str) -> bool:
    """A template's local part: "user", "john.doe", "tu_usuario", "your.name" (the
    ``placeholder_locals`` of ``phrases/email_words.yaml``, or a "your" word of
    ``placeholder_your`` followed by another word)."""
    words = _words()
    parts = [p for p in re.split(r"[._+\-]", local) if p]
    return local in words["placeholder_locals"] or (
        len(parts) >= 2 and parts[0] in words["placeholder_your"]
    )


def analyze(ctx: Context) -> list[Finding]:
    """E-mail addresses; one written out plainly is a template's, not a person's, when
    its local part is a placeholder ("tu_usuario@gmail.com") or it stands in sample
    data its sender does not call theirs ("the mockup shows john.doe@acme.com")."""
    found = []
    for finding in find_emails(ctx.emails, ctx.norm.original):
        written = ctx.norm.original[finding.start : finding.end]
        plain = written.strip().lower() == finding.value
        local = finding.value.rsplit("@", 1)[0]
        if plain and (
            is_placeholder_local(local) or detail_context.sample(ctx, finding.start, finding.end)
        ):
            continue
        found.append(finding)
    return found
