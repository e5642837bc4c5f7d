"""Channel × frame: a channel named as a way to get in touch, in a clause that proposes
it or asks about it, is a solicitation, in any language (docs/POLICY.md, "Composition").

The phrase files (``intents.py``) spell out whole sentences; this recognizer composes
two lexicons instead: the channel names (``channels.yaml``, work topics and the
platform's own tools already set aside) and the frames of ``frames.yaml``.  In the
clause naming the channel (between sentence ends):

- a *proposal* cue ("let's", "pasemos", "давай", "加我", "tara") -> ``off_platform_intent``;
- else a *question* ("do you have", "есть", a "?") -> ``contact_request``;
- a *work* cue (bot, API, sticker…) or a *negation or report* cue ("never", "scam",
  "someone asked me") -> nothing;
- e-mail and phone words ask for something only with a *personal* cue ("your email?",
  not "did you get my email?").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

import yaml

from streams.detection.findings import Finding
from streams.detection.matcher import Pattern
from streams.detection.normalize import normalize

if TYPE_CHECKING:
    from streams.detection.recognizer import Context

__all__ = ["FRAMES", "GROUP", "analyze", "clause", "cue_lists", "cue_patterns", "patterns"]

FRAMES = (
    "proposal", "question", "personal", "work", "negation", "pay", "outside", "platform",
    "report", "fee",
)  # fmt: skip
GROUP = "frame_{}".format
_KINDS = frozenset({"messaging", "social", "meeting"})  # and "generic" with a personal cue
# A "." of an abbreviation ("whatsapp no. mil sakta h kya") or a number ends nothing.
_CLAUSE_END = re.compile(r"(?<!\bno)(?<!\bnr)(?<!\bph)\.(?!\d)|[!;\n。！；]|\?(?=\s)")
_QUESTION_MARK = re.compile(r"[?؟？]")
_QUESTION_TAG = re.compile(r"\s{0,2}[?؟？]")
#: Negation particles that also close a yes/no question ("…ga?", "…ko?", "…na?").
_TAGS = frozenset(
    {"ga", "gak", "nggak", "enggak", "ko", "k", "không", "hông", "na", "nahi", "nai", "no"}
    | {"non", "nu", "nee", "não", "nao", "hapana"}
)
_PREPOSITION_LIKE = frozenset({"no", "na"})  # negations, and "on"/"in" in pt, tl, hi…
#: A proposal cue after the channel counts this close ("WhatsApp is easier"); farther
#: on, the channel was the object of something else ("write captions for Instagram").
_PROPOSAL_AFTER = 30


@cache
def cue_lists(filename: str) -> dict[str, list[str]]:
    """A cue lexicon of ``phrases/`` (frames.yaml, personal_data.yaml…): list -> cues."""
    text = resources.files("streams.detection.phrases").joinpath(filename).read_text()
    data: dict[str, list[str]] = yaml.load(
        text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    )
    return data


def cue_patterns(
    filename: str, lists: Iterable[str], group: Callable[[str], str]
) -> Iterator[Pattern]:
    """Every cue of the ``lists`` of a cue lexicon, for the matcher (on the folded view),
    in the matcher group ``group(list)`` with the list's name as value."""
    lexicon = cue_lists(filename)
    for name in lists:
        for cue in lexicon.get(name, []):
            yield Pattern(cue_regex(cue), group(name), "folded", name)


_ESCAPE = re.compile(r"(\\.)")


def cue_regex(cue: str) -> str:
    """A cue of a frame lexicon as a regex on the folded view: folded as that view is
    ("dolandırıcı" reads "dolandirici" there), its escapes kept ("\\W" is no "\\w"), and
    a whole word (CJK: anywhere)."""
    cue = "".join(
        part if _ESCAPE.fullmatch(part) else normalize(part).folded for part in _ESCAPE.split(cue)
    )
    body = cue.replace(" ", r"\W{1,3}")
    if re.search(r"[\u3000-\u9fff]", cue):  # CJK: no spaces between words
        return body
    return rf"(?<!\w){body}(?!\w)"


def patterns() -> Iterator[Pattern]:
    """Every frame cue, for the matcher."""
    return cue_patterns("frames.yaml", FRAMES, GROUP)


def clause(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around ``[start, end)``: from the last sentence end before it to the
    first one after it (a "?" closes its clause and belongs to it)."""
    low = max((m.end() for m in _CLAUSE_END.finditer(text, max(0, start - 200), start)), default=0)
    after = _CLAUSE_END.search(text, end, end + 200)
    high = after.end() if after else min(len(text), end + 200)
    return max(low, start - 200), high


# A comma, then the reason of a proposal: "whtsap pe msg kro, yahan notification nahi
# aata", "来扣扣聊吧，这里不方便".  Unless it opens with "but": "…, but that is not allowed".
_COMMA = re.compile(r"[,，、،]")
_BUT = re.compile(
    r"\W*(?:but|pero|mas|mais|aber|ma|ale|maar|dar|но|але|ama|fakat|lakin|lekin|magar|"
    r"par|tapi|namun|nhưng|pero|lakini|لكن|بس|لیکن|مگر|लेकिन|पर|但|但是|可是)(?!\w)"
)


def _reason_after(
    folded: str,
    anchor: tuple[int, int],
    window: list[tuple[int, int, str]],
    made: str = "proposal",
    vetoes: frozenset[str] = frozenset({"work", "negation"}),
) -> bool:
    """Whether every veto cue of the clause stands in a part after a comma that follows
    the anchor's part, where a ``made`` cue stands: the reason given for what that part
    says ("…direct bhej dein, fees ka koi chakkar nahi"), not a refusal of it."""
    comma = _COMMA.search(folded, anchor[1])
    if comma is None or _BUT.match(folded, comma.end()):
        return False
    start = max((m.end() for m in _COMMA.finditer(folded, 0, anchor[0])), default=0)
    own = {frame for s, _e, frame in window if start <= s < comma.start()}
    after = [s for s, _e, frame in window if frame in vetoes]
    return made in own and not own & vetoes and min(after, default=0) > comma.start()


def analyze(ctx: Context) -> list[Finding]:
    mentions = [m for m in ctx.folded_mentions if not m.work_topic]
    if not mentions:
        return []
    folded = ctx.norm.folded
    found = ctx.scan("folded").matches([GROUP(f) for f in FRAMES])
    cues = sorted((m.start, m.end, m.pattern.value) for m in found)
    prepositions = {
        (s, e) for s, e, frame in cues if frame == "negation" and folded[s:e] in _PREPOSITION_LIKE
    }
    findings: list[Finding] = []
    phrases = ctx.found_of("contact_request", "off_platform_intent")
    for mention in mentions:
        if mention.kind not in _KINDS and mention.kind != "generic":
            continue
        start, end = ctx.norm.to_original(mention.start, mention.end)
        if any(f.start < end and start < f.end for f in phrases):
            continue  # a phrase already says what this clause does
        low, high = clause(folded, mention.start, mention.end)
        window = [
            (s, e, frame)
            for s, e, frame in cues[bisect_left(cues, (low,)) : bisect_left(cues, (high,))]
            if e <= high
            and not ((s, e) in prepositions and (0 <= mention.start - e <= 1 or s >= mention.end))
            # a negation closing a question is its tag: "pake LINE ga?", "có zalo ko?"
            and not (
                frame == "negation" and folded[s:e] in _TAGS and _QUESTION_TAG.match(folded, e)
            )
            # "no WhatsApp" (pt "in the"), "email de do na" (hi: a tag, not a "no")
            and not (frame == "proposal" and s > mention.end + _PROPOSAL_AFTER)
        ]
        around = {frame for _s, _e, frame in window}
        anchor = (mention.start, mention.end)
        if around & {"work", "negation"} and not _reason_after(folded, anchor, window):
            continue
        if mention.kind == "generic" and "personal" not in around:
            continue
        if "proposal" in around:
            kind = "off_platform_intent"
        elif "question" in around or _QUESTION_MARK.search(folded, mention.end, high):
            kind = "contact_request"
        else:
            continue
        frame = "proposal" if kind == "off_platform_intent" else "question"
        start, end = ctx.norm.to_original(low, high)
        written = ctx.norm.original[start:end].strip()[:80]
        reason = f"{mention.channel} named in a {frame}: {written!r}"
        findings.append(Finding(kind, start, end, f"{kind}:channel_{frame}", reason))
    return findings


#: A negation this close before the platform or an off-platform cue belongs to it:
#: "а не через milestone", "nicht über die Plattform", "no pagamos las comisiones".
_NEGATION_JOINS = 15


_PAYMENT_VETOES = frozenset({"work", "negation", "platform"})


def _fee_reason_after(
    folded: str, anchor: tuple[int, int], kept: list[tuple[int, int, str]]
) -> bool:
    """Whether the vetoes of a payment clause are the reason given after a comma, and
    the reason is the platform's cut ("Easypaisa pe direct bhej dein, fees ka koi
    chakkar nahi", "переведу напрямую, не будем отдавать процент"); "hostingul îl
    plătim separat, nu e inclus în ofertă" is no such reason."""
    comma = _COMMA.search(folded, anchor[1])
    fee_after = comma is not None and any(
        frame == "fee" and s > comma.start() for s, _e, frame in kept
    )
    return fee_after and _reason_after(folded, anchor, kept, "outside", _PAYMENT_VETOES)


def _negated_platform(folded: str, cues: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """The platform negated ("not through the milestone", "nu prin milestone"): an
    off-platform cue, as a span from the negation to the end of the platform word."""
    negations = [(s, e) for s, e, frame in cues if frame == "negation"]
    return [
        (n_start, p_end)
        for p_start, p_end, frame in cues
        if frame == "platform"
        for n_start, n_end in negations
        if 0 <= p_start - n_end <= _NEGATION_JOINS
    ]


def _part_of_cue(folded: str, start: int, end: int, outs: list[tuple[int, int]]) -> bool:
    """Whether a negation is a word of an off-platform cue or of a negated platform
    (it sets nothing aside then), or "na", a preposition in pl, tl and sw."""
    if folded[start:end] == "na":
        return True
    return any(o <= start < oe or 0 <= o - end <= _NEGATION_JOINS for o, oe in outs)


def analyze_payment(ctx: Context) -> list[Finding]:
    """Payment × off-platform cue: a payment rail named, or a payment action, in a
    clause that says "directly", "outside the platform" or "without its fees" is paying
    off the platform (in every phase); a work, negation or platform-pays cue in the
    clause sets it aside."""
    folded = ctx.norm.folded
    found = ctx.scan("folded").matches([GROUP(f) for f in FRAMES])
    cues = sorted((m.start, m.end, m.pattern.value) for m in found)
    outside = [(s, e) for s, e, frame in cues if frame == "outside"]
    if not outside:
        return []
    rails = [m for m in ctx.folded_mentions if m.kind == "payment" and not m.work_topic]
    anchors = [(m.start, m.end, m.channel) for m in rails]
    anchors += [(s, e, "") for s, e, frame in cues if frame == "pay"]
    findings: list[Finding] = []
    done: set[tuple[int, int]] = set()
    for a_start, a_end, channel in sorted(anchors):
        low, high = clause(folded, a_start, a_end)
        if (low, high) in done:
            continue
        window = cues[bisect_left(cues, (low,)) : bisect_left(cues, (high,))]
        inside = [c for c in window if c[1] <= high]
        negated = _negated_platform(folded, inside)
        outs = [(s, e) for s, e, frame in inside if frame == "outside"] + negated
        kept = [
            (s, e, frame)
            for s, e, frame in inside
            if not (frame == "platform" and any(o <= s < oe for o, oe in outs))
            and not (frame == "negation" and _part_of_cue(folded, s, e, outs))
        ]
        kept += [(s, e, "outside") for s, e in negated]
        around = {frame for _s, _e, frame in kept}
        if not outs or (
            around & _PAYMENT_VETOES and not _fee_reason_after(folded, (a_start, a_end), kept)
        ):
            continue
        if any(m.work_topic and low <= m.start < high for m in ctx.folded_mentions):
            continue  # "a checkout where customers pay directly with PayPal"
        done.add((low, high))
        start, end = ctx.norm.to_original(low, high)
        written = ctx.norm.original[start:end].strip()[:80]
        what = f"{channel} named" if channel else "a payment"
        reason = f"{what} with an off-platform cue: {written!r}"
        findings.append(
            Finding("off_platform_payment", start, end, "off_platform_payment:outside", reason)
        )
    return findings
