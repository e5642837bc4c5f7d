"""Mentions of external channels (messaging apps, meeting tools, social networks,
payment platforms, phone and e-mail words), robust to evasive spellings.

The lexicon is ``phrases/channels.yaml``: one small regular expression per form, all of
them compiled into the engine's one matcher (``matcher.py``) and matched on the folded
view.  Linear-time by construction: every quantifier is bounded (junk between letters
is ``{0,3}``).  Regexes rather than a plain token lookup because evasions
("t.e.l.e.g", "wh@tsapp", "teleg ram") cross token boundaries.

Each mention carries ``work_topic``: the name is what the work is about ("build a
Telegram bot", "PayPal checkout integration"), so it is not a way to get in touch.  The
platform's own tools ("the Upwork Zoom button") are not external channels and are not
reported.  Common words ("line", "signal", "teams", "WA") are reported only next to
channel context ("on signal", "my WA", "line id").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from streams.detection import emails
from streams.detection.matcher import Candidates, Pattern
from streams.detection.normalize import NormalizedText, latin_lookalikes

__all__ = ["ChannelMention", "FoldedMention", "find_channel_mentions", "find_in_folded", "patterns"]

#: The matcher's group of channel names (matched on the folded view).
GROUP = "channel"


@dataclass(frozen=True, slots=True)
class ChannelMention:
    """A channel named in a message; ``start``/``end`` index the ORIGINAL text."""

    channel: str  # canonical id: "whatsapp", "google_meet", "western_union", "phone", ...
    kind: str  # "messaging" | "meeting" | "social" | "payment" | "generic"
    start: int
    end: int
    work_topic: bool


@dataclass(frozen=True, slots=True)
class FoldedMention:
    """The same as :class:`ChannelMention`, with offsets in ``NormalizedText.folded``."""

    channel: str
    kind: str
    start: int
    end: int
    work_topic: bool


# App-name matching needs every way a letter of an app name is written: its Unicode
# look-alikes (UTS #39 data, ``normalize.latin_lookalikes``: Cyrillic "а", Greek "ο"…)
# and the leet digits and symbols evaders use, which no confusables data lists
# (wh@tsapp, t3l3gram, 5ignal), and capital I for l ("TeIegram" folds to "teiegram").
_LEET: dict[str, str] = {
    "a": "@4", "b": "8", "c": "(", "e": "3", "g": "9", "i": "1!|l", "l": "1|i",
    "o": "0", "s": "5$", "t": "7+",
    # Cyrillic ("с1гнал", "д1скорд", "т3леграм")
    "и": "1!|і", "і": "1!|", "о": "0", "е": "3є", "а": "@4", "з": "3", "б": "6",
}  # fmt: skip


# Latin letters with a diacritic or a stroke ("Sígnál", "whatsäpp", "dïscørd", "ṭelegram"):
# their Unicode names say which letter they carry.
_MARKED_LETTER = re.compile(r"LATIN SMALL LETTER ([A-Z]) WITH .+")


@cache
def _lookalikes() -> dict[str, str]:
    found: dict[str, str] = dict(_LEET)
    for char, letter in sorted(latin_lookalikes().items()):
        found[letter] = found.get(letter, "") + char
    for code in (*range(0x00E0, 0x0250), *range(0x1E00, 0x1F00)):
        named = _MARKED_LETTER.fullmatch(unicodedata.name(chr(code), ""))
        if named:
            letter = named.group(1).lower()
            if chr(code) not in found.get(letter, ""):
                found[letter] = found.get(letter, "") + chr(code)
    return found


_JUNK = r"[\W\d_]{0,3}"  # spaces, dots, dashes, emoji, digits between letters
_TIGHT_JUNK = r"[^\w\s]{0,2}"  # punctuation only: "we chat" and "linked in" are English
# English endings, and Turkish case endings written onto the name ("telegramdan",
# "whatsappın": Turkish writes them with or without an apostrophe).
_SUFFIX = r"(?:'?s|es|ed|ing|er|ers|[dt][ae]n|[dt][ae]|y?[ıiuüae]n?|n[ıiuü]n)?"


# Letters written as two ("rn" for m, "vv" for w), and upside-down letters (the text
# is then also reversed: "ɯɐɹƃǝlǝʇ"), where an ASCII letter may stand for another.
_PAIRS = {"m": "rn", "w": "vv"}
_UPSIDE_DOWN = {
    "a": "ɐ", "b": "q", "c": "ɔ", "d": "p", "e": "ǝ", "f": "ɟ", "g": "ƃ", "h": "ɥ", "i": "ı",
    "j": "ɾ", "k": "ʞ", "l": "l", "m": "ɯ", "n": "u", "p": "d", "q": "b", "r": "ɹ", "t": "ʇ",
    "u": "n", "v": "ʌ", "w": "ʍ", "y": "ʎ",
}  # fmt: skip


def _letter(char: str, flipped: bool = False, turned_only: bool = False) -> str:
    """The ways to write letter ``char``; ``flipped``: upside down too; ``turned_only``:
    upside down only, where the letter has a turned form."""
    chars = char + _lookalikes().get(char, "")
    if flipped and char in _UPSIDE_DOWN:  # and the letter folding makes of it ("ɯ" is w)
        turned = _UPSIDE_DOWN[char]
        turned += latin_lookalikes().get(turned, "")
        chars = turned if turned_only and turned[0] != char else chars + turned
    written = "[" + re.escape(chars) + "]"
    return f"(?:{written}|{_PAIRS[char]})" if char in _PAIRS else written


def _spelled(form: str, junk: str, backwards: bool = False, turned: bool = False) -> str:
    """``"wh?atsapp"`` -> a letter-by-letter pattern with junk allowed between letters
    (``backwards``: the name reversed, as written backwards or upside down, its letters
    plain or turned; ``turned``: in reading order, every letter with a turned form
    turned: "ʇǝlǝƃɹɐɯ")."""
    flipped = backwards or turned
    letters = [(c, i + 1 < len(form) and form[i + 1] == "?") for i, c in enumerate(form)]
    letters = [(c, optional) for c, optional in letters if c != "?"]
    if backwards:
        letters.reverse()
    parts: list[str] = []
    for char, optional in letters:
        piece = (junk if parts else "") + _letter(char, flipped=flipped, turned_only=turned)
        parts.append(f"(?:{piece})?" if optional else piece)
    suffix = "" if backwards else _SUFFIX
    return rf"(?<![^\W\d_]){''.join(parts)}{suffix}(?![^\W\d_])"


def _fuzzy(form: str, real_words: frozenset[str]) -> Iterator[str]:
    """``form`` with one letter after the first changed or dropped ("telegran",
    "instgram", "whatsaap"), as patterns of whole words; never one of the
    ``real_words`` one change makes of it ("telegraf")."""
    for i in range(1, len(form)):
        taken = "".join(w[i] for w in real_words if _one_change_of(w, form, i))
        before = "".join(_letter(c) for c in form[:i])
        after = "".join(_letter(c) for c in form[i + 1 :])
        changed = f"[^\\W\\d_{re.escape(form[i] + taken)}]"
        for middle in (changed, ""):
            if middle or form[:i] + form[i + 1 :] not in real_words:
                yield rf"(?<![^\W\d_]){before}{middle}{after}{_SUFFIX}(?![^\W\d_])"


def _one_change_of(word: str, form: str, i: int) -> bool:
    """Whether ``word`` is ``form`` with its letter ``i`` changed."""
    return len(word) == len(form) and word[:i] == form[:i] and word[i + 1 :] == form[i + 1 :]


# Whole words, except that Chinese, Japanese and Korean text has no spaces between
# words: a CJK name ("微信") may stand between any two CJK characters.
_CJK = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff"
_WORD_START = rf"(?<![^\W{_CJK}])"
_WORD_END = rf"(?![^\W{_CJK}])"


def _latin_images(word: str) -> str:
    """``word`` (a regular expression) where each Cyrillic or Greek letter also matches
    the Latin letter it looks like: folding writes "вaйбeр" (Latin a, e) as "baйбep"."""
    images = latin_lookalikes()
    out: list[str] = []
    in_class = escaped = False
    for char in word:
        image = images.get(char, "") if not escaped and _cyrillic_or_greek(char) else ""
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        out.append(char + image if in_class or not image else f"[{char}{image}]")
    return "".join(out)


def _cyrillic_or_greek(char: str) -> bool:
    return unicodedata.name(char, "").startswith(("CYRILLIC", "GREEK"))


@dataclass(frozen=True, slots=True)
class _Form:
    channel: str
    kind: str
    contextual: bool
    verb: bool
    prepositions_only: bool  # "on signal" yes, "my signal" no
    #: A common word written in disguise ("5ignal", "s i g n a l", "Sígnál", "с1гнал"): the
    #: disguise says it is the app, no context needed; written plainly ("signalu"), it
    #: is ``word`` judged by its context.
    disguised: str = ""


def patterns() -> Iterator[Pattern]:
    """Every form of every channel in ``phrases/channels.yaml``, for the matcher."""
    text = resources.files("streams.detection.phrases").joinpath("channels.yaml").read_text()
    for entry in yaml.load(text, Loader=_LOADER):
        channel, kind = entry["id"], entry["kind"]
        plain = _Form(channel, kind, contextual=False, verb=False, prepositions_only=False)
        for word in entry.get("words", []):
            yield Pattern(
                rf"{_WORD_START}(?:{_latin_images(word)}){_WORD_END}", GROUP, "folded", plain
            )
        for junk, key in ((_JUNK, "spelled"), (_TIGHT_JUNK, "tight")):
            for form in entry.get(key, []):
                yield Pattern(_spelled(form, junk), GROUP, "folded", plain)
                if len(form.replace("?", "")) >= 5:  # long enough to be no other word
                    yield Pattern(_spelled(form, junk, backwards=True), GROUP, "folded", plain)
                    # upside-down letters in reading order ("ʇǝlǝƃɹɐɯ")
                    yield Pattern(_spelled(form, junk, turned=True), GROUP, "folded", plain)
        for form in entry.get("fuzzy", []):
            for regex in _fuzzy(form, frozenset(entry.get("fuzzy_not", []))):
                yield Pattern(regex, GROUP, "folded", plain)
        verbs = set(entry.get("verb", []))
        strict = entry.get("left") == "prepositions"
        for word in entry.get("contextual", []):
            form = _Form(channel, kind, True, word in verbs, strict)
            yield Pattern(rf"(?<!\w){re.escape(word)}(?!\w)", GROUP, "folded", form)
            if len(word) >= _DISGUISED_MIN and word.isalpha():
                disguised = _Form(channel, kind, True, word in verbs, strict, disguised=word)
                yield Pattern(_spelled(word, _JUNK), GROUP, "folded", disguised)


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's, where built

_PREPOSITIONS = (
    "on|via|through|thru|over|using|por|pelo|pela|pro|no|na|sur|par|auf|über|per|"
    "в|во|по|через|di|lewat|sa|pe|ke|ng|ka|ki|add|qua|trên|على|ع|عال|عبر|3al|3ala|3a|"
    "su|przez|op|kwa|üzerinden|en|em|u|у|до"
)
# "have WA?", "do you use signal?", "ada WA kak?", "có zalo ko?", "عندك واتس؟": the
# verb of an availability question names the channel as surely as a possessive.
_USE = (
    "use|using|pake|pakai|dùng|xài|usas|usa|usi|używasz|gebruik|gebruikt|nutzt|utilises|"
    "folose[șs]ti|unatumia|gamit|kullan\\w{0,8}"
)
_HAVE = (
    "have|has|got|ada|punya|có|عندك|عندكم|3andak|3ndk|есть|є|tienes|tenés|tenes|tiene|tem|"
    "tens|hai|masz|macie|heb|hebt|hebben|hast|habt|as-tu|avez|ai|una|meron|may|имеешь|маєш"
)
# "heb je WA?", "do you have signal", "t'as snap": a pronoun between the verb and the name.
_PRONOUN = "je|jij|u|du|you|ya|u|tu|vous|ты|ти|kamu|kak|aap|ap|wewe|t|ud|usted"
_POSSESSIVES = (
    "mein|meine|dein|deine|mi|tu|seu|sua|teu|tua|meu|minha|mon|ma|ton|ta|"
    "мой|мою|моём|моем|твой|твою|твоём|твоем|мій|твій|my|your|ur|"
    "mera|meri|mere|apna|apni|apne|tera|teri|tere|aapka|aapki|tumhara|tumhari|"
    "nomor|akun|id|at|"
    f"{_HAVE}|{_USE}"
)
_LEFT_PREPOSITION = re.compile(rf"(?:^|\W)(?:{_PREPOSITIONS}|{_USE})\W{{1,3}}$")
_LEFT_ANY = re.compile(
    rf"(?:^|\W)(?:{_PREPOSITIONS}|{_POSSESSIVES}|(?:{_HAVE})\W{{1,3}}(?:{_PRONOUN}))\W{{1,3}}$"
)
_CHANNEL_NOUNS = (
    "app|apps|id|account|acc|number|no|num|handle|username|user|call|calls|chat|group|"
    "grupo|channel|profile|link|meeting|video|message|messages|dm|contact|address|"
    "kamu|saya|aku|aja|ku|mo|ko|ya|номер|ник|аккаунт|кошел[её]к|key|chave|transfer|"
    "payment|pago|pagamento|"
    # Turkish and Vietnamese put the verb after: "wp var mı?", "zalo có không?"
    "var|yok|kullan\\w{0,8}|numara\\w{0,4}|hesab\\w{0,4}|có|không|"
    # Hindi, Urdu, Bengali and Swahili too: "tg hai apke pas?", "imo ache?", "WA है?"
    "hai|hain|he|है|ہے|ache|ase|iko|ipo|use\\W{1,3}kar\\w{0,4}|chala\\w{0,4}|"
    # their postpositions come after the name: "tg pe ho?", "imo te ashen", "Zoom पर"
    "pe|par|pr|te|पर|पे|پر|پہ|यूज़|यूज|استعمال|use\\W{1,3}kor\\w{0,4}|"
    # "тг есть?", "с1гнал є?"
    "есть|є"
)
# A Turkish case ending after an apostrophe makes the word a name: "BiP'ten yaz".
_RIGHT_CASE_ENDING = re.compile(r"['’](?:[dt][ae]n|[dt][ae]|y?[ıiuüae]|n?[ıiuü]n)(?!\w)")
# "signal is easier for me": the name, then a proposal's comparison.
_BETTER = (
    "(?:is|es|é|est|ist|è|e|jest|is|это|є|daha|lebih|mas)\\W{1,3}(?:much\\W{1,3})?"
    "(?:easier|better|faster|quicker|simpler|mejor|m[áa]s|mais|melhor|plus|besser|einfacher|"
    "schneller|meglio|pi[ùu]|lepiej|łatwiej|makkelijker|beter|удобнее|лучше|краще|зручніше|"
    "kolay|iyi|h[ıi]zl[ıi]|mudah|enak|cepat|madali|mabilis)"
)
_RIGHT_CONTEXT = re.compile(rf"\W{{1,3}}(?:{_CHANNEL_NOUNS}|{_BETTER})(?!\w)")
# A short question that is the name: "tenés wsp?", "tg?", "u on signal?".
_RIGHT_QUESTION = re.compile(r"\s{0,2}[?？؟]")
_SHORT_QUESTION_WORDS = 4
_RIGHT_VERB = re.compile(r"\W{1,3}(?:me|us|karo|kar|kardo|kijiye|na)(?!\w)")
_RIGHT_VETO = re.compile(
    r"\W{0,3}(?:\d|of|by|in|out|into|level|chart|graph|break|item|height|processing|"
    r"strength|range|edit|manager|lead|member|work|between)(?!\w)"
)

# "PayPal, Stripe and Square integration": skip up to three listed names.
_CONNECTOR = r"(?:\W{0,2}[,/&+]\W{0,2}|\W{1,2}(?:and|or|y|e|et|und|и|dan|ou|o)\W{1,2})"
_LIST_GAP = rf"(?:{_CONNECTOR}[^\W\d_]{{2,12}}){{0,3}}"
_LIST_GAP_BEFORE = rf"(?:\W{{1,3}}[^\W\d_]{{2,12}}{_CONNECTOR}){{0,3}}"
_WORK_MODIFIERS = (
    r"business|cloud|payments?|web|mobile|desktop|chat|group|channel|messenger|support|"
    r"notifications?|customer|ai|auto|video|meeting|marketing|order|trading|сервис"
)
_WORK_NOUNS = (
    r"bots?|chat\W?bots?|api|apis|sdk|sdks|integrations?|integrat\w{0,5}|clone|"
    r"mini\W?apps?|webhooks?|scrap\w{0,5}|automation|plugins?|widgets?|ads|advert\w{0,6}|"
    r"campaigns?|marketing|pixel|shop|store|checkout|gateways?|buttons?|processing|"
    r"moderation|template|theme|for\W{1,3}business\W{1,3}(?:migration|integration|"
    r"deployment|server|rollout)|migration|sso|oauth|login|sign\W?in|web\W?app|"
    r"бот\w{0,3}|чат\W?бот\w{0,3}|апи|интеграц\w{0,3}|плагин\w{0,2}|парс\w{0,4}|"
    r"integraci[oó]n|integra[cç][aã]o|int[eé]gration|schnittstelle|anbindung|"
    r"بوت|برمجة|تكامل"
)
_WORK_AFTER = re.compile(
    rf"(?:'s)?{_LIST_GAP}\W{{1,3}}(?:(?:{_WORK_MODIFIERS})\W{{1,3}})?(?:{_WORK_NOUNS})(?!\w)"
)
_WORK_BEFORE = re.compile(
    r"(?:^|\W)(?:bots?|chat\W?bots?|api|apis|sdk|integrat\w{0,6}|build\w{0,3}|"
    r"develop\w{0,6}|automat\w{0,5}|gateways?|checkout|scrap\w{0,5}|clone|migrat\w{0,5}|"
    r"code|coding|program\w{0,5}|implement\w{0,6}|desarroll\w{0,4}|"
    r"integra\w{0,6}|intégr\w{0,6}|entwick\w{0,6}|разраб\w{0,6}|интегр\w{0,6}|бот\w{0,3}|"
    r"(?:sdk|api)\W{1,3}(?:for|de|для))"
    rf"(?:\W{{1,3}}(?:for|with|into|in|of|to|the|a|an|our|my|your|de|del|con|com|da|do|"
    rf"para|en|avec|mit|für|с|со|для|в|untuk|dengan|ng|sa)){{0,2}}{_LIST_GAP_BEFORE}\W{{0,3}}$"
)
_PLATFORM_OWN_BEFORE = re.compile(r"(?:^|\W)up\W?work(?:'s)?\W{1,3}$")
_PLATFORM_OWN_AFTER = re.compile(
    r"\W{1,3}(?:(?:call|meeting|button|link|feature|integration|tool)\W{1,3})?"
    r"(?:on|in|via|through|inside|within|from|de|en|no|na|do|pelo|sur|auf|в|через)\W{1,3}"
    r"(?:the\W{1,3})?up\W?work(?!\w)"
)
_WINDOW = 60  # characters of context looked at on each side of a name


# A word _WORK_BEFORE needs (a cheap first test: its alternatives start with a literal).
_WORK_BEFORE_WORD = re.compile(
    r"bot|api|sdk|integ|intégr|build|develop|automat|gateway|checkout|scrap|clone|migrat|"
    r"cod|program|implement|desarroll|entwick|разраб|интегр|бот"
)


#: A common word this long or longer counts when written in disguise.
_DISGUISED_MIN = 4
_LETTERS = re.compile(r"[^\W\d_]+")


def _is_disguised(written: str, word: str) -> bool:
    """Whether ``written`` (a match of ``word`` spelled letter by letter) is not the
    word as people write it: a digit or a symbol in it, a look-alike or marked letter,
    or its letters spaced out ("s i g n a l"); one hyphen or space is a compound."""
    if written.startswith(word) and _LETTERS.fullmatch(written):
        return False  # the word, or the word and a suffix ("signals")
    letters = "".join(_LETTERS.findall(written))
    if not set(letters) <= set(word) or any(c.isdigit() for c in written):
        return True
    gaps = len(written) - len(letters)
    symbols = any(not (c.isalnum() or c in " -'’") for c in written)  # "what's" is English
    return symbols or gaps >= 2


def _ends_with(pattern: re.Pattern[str], text: str) -> bool:
    """Whether ``pattern`` (ending in "$") matches at the end of the window ``text``."""
    return pattern.search(text) is not None


def _left_word(prepositions_only: bool, before: str) -> bool:
    return _ends_with(_LEFT_PREPOSITION if prepositions_only else _LEFT_ANY, before)


def _accepted(folded: str, start: int, end: int, form: _Form) -> bool:
    before = folded[max(0, start - _WINDOW) : start]
    if ("work" in before and _ends_with(_PLATFORM_OWN_BEFORE, before)) or (
        _PLATFORM_OWN_AFTER.match(folded, end)
    ):
        return False
    if form.disguised and _is_disguised(folded[start:end], form.disguised):
        return True  # else the word as written, judged by its context
    if not form.contextual:
        return True
    if (
        _RIGHT_CONTEXT.match(folded, end)
        or _RIGHT_CASE_ENDING.match(folded, end)
        or (form.verb and _RIGHT_VERB.match(folded, end))
    ):
        return True
    if _RIGHT_QUESTION.match(folded, end):
        line = re.split(r"[.!?\n。！？]", before)[-1]
        if len(line.split()) <= _SHORT_QUESTION_WORDS:
            return True
    if _RIGHT_VETO.match(folded, end):  # the cheaper test first ("zoom in", "line chart")
        return False
    return _left_word(form.prepositions_only, before)


def _work_topic(folded: str, start: int, end: int) -> bool:
    if _WORK_AFTER.match(folded[: end + _WINDOW], end):
        return True
    before = folded[max(0, start - _WINDOW) : start]
    return _WORK_BEFORE_WORD.search(before) is not None and _ends_with(_WORK_BEFORE, before)


_ADDRESS_FROM_LOCAL = re.compile(r"[a-z0-9._%+\-]*@[a-z0-9\-]+\.[a-z0-9.\-]+")


def _in_local_part(folded: str, start: int, end: int) -> bool:
    """Whether the name is a word of an address's local part ("your-email@domain.com",
    "whatsapp.support@acme.io"): the address is the detail, the e-mail recognizer's."""
    left = start
    while left > 0 and folded[left - 1] in emails.LOCAL_CHARS:
        left -= 1
    address = _ADDRESS_FROM_LOCAL.match(folded, left)
    return address is not None and address.end() > end


def find_in_folded(candidates: Candidates) -> list[FoldedMention]:
    """Channel mentions in a scan of the folded view, with folded offsets."""
    folded = candidates.text
    found: list[FoldedMention] = []
    for match in candidates.matches([GROUP]):
        start, end, form = match.start, match.end, match.pattern.value
        if _accepted(folded, start, end, form) and not _in_local_part(folded, start, end):
            work = _work_topic(folded, start, end)
            found.append(FoldedMention(form.channel, form.kind, start, end, work))
    return found


def find_channel_mentions(
    norm: NormalizedText, folded: list[FoldedMention]
) -> list[ChannelMention]:
    """The mentions ``folded`` (of ``norm.folded``) with offsets in the original text."""
    mentions: list[ChannelMention] = []
    for m in folded:
        start, end = norm.to_original(m.start, m.end)
        mentions.append(ChannelMention(m.channel, m.kind, start, end, m.work_topic))
    return mentions
