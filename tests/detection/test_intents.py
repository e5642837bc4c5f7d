"""Intent phrases, per language: what must be found, and honest look-alikes that must
not be."""

from __future__ import annotations

import pytest

from streams.detection.engine import context, intents
from streams.detection.findings import INTENT_KINDS

CONTACT = "contact_request"
INTENT = "off_platform_intent"
PAYMENT = "off_platform_payment"
PERSONAL = "personal_info_request"


def kinds(text: str) -> set[str]:
    return {finding.kind for finding in intents(context(text, ()))}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # English
        ("let's continue on telegram", {INTENT}),
        ("text me on whatsapp", {INTENT}),
        ("add me on skype", {INTENT}),
        ("ping me on TG", {INTENT}),
        ("whatsapp me", {INTENT}),
        ("message me on t e l e g r a m", {INTENT}),
        ("let's do a Zoom call", {INTENT}),
        ("I'll send you a zoom link", {INTENT}),
        ("join my telegram group", {INTENT}),
        ("no need for upwork", {INTENT}),
        ("let's work outside upwork", {INTENT}),
        ("can we talk outside of the platform?", {INTENT}),
        ("what's your WhatsApp number?", {CONTACT}),
        ("send me your email", {CONTACT}),
        ("can I have your skype id", {CONTACT}),
        ("drop your number", {CONTACT}),
        ("what is your telegram handle", {CONTACT}),
        ("I'll pay you via PayPal", {PAYMENT}),
        ("pay me directly", {PAYMENT}),
        ("we can skip the platform fees", {PAYMENT}),
        ("you will get your payment there", {PAYMENT}),
        ("send the money via western union", {PAYMENT}),
        ("buy the equipment first and we will reimburse you", {PAYMENT}),
        ("I accept USDT only", {PAYMENT}),
        ("pay me via bank transfer", {PAYMENT}),
        ("send me your full name, address and ID", {PERSONAL}),
        ("what is your gender and date of birth", {PERSONAL}),
        ("bank account details", {PERSONAL}),
        ("send a photo of your passport", {PERSONAL}),
        ("what's your SSN", {PERSONAL}),
        # Spanish
        ("hablemos por whatsapp", {INTENT}),
        ("escríbeme por telegram", {INTENT}),
        ("dame tu número", {CONTACT}),
        ("pásame tu correo", {CONTACT}),
        ("te pago por PayPal", {PAYMENT}),
        ("trabajemos fuera de Upwork", {INTENT}),
        ("envíame tu nombre completo", {PERSONAL}),
        # Portuguese
        ("me passa seu zap", {CONTACT}),
        ("me passa seu whats", {CONTACT}),
        ("vamos conversar pelo whatsapp", {INTENT}),
        ("me chama no telegram", {INTENT}),
        ("te pago por pix", {PAYMENT}),
        ("pagamento por fora da plataforma", {PAYMENT, INTENT}),
        # French
        ("écris-moi sur WhatsApp", {INTENT}),
        ("donne-moi ton numéro", {CONTACT}),
        ("je te paie par PayPal", {PAYMENT}),
        ("on continue en dehors de la plateforme", {INTENT}),
        # German
        ("schreib mir auf Telegram", {INTENT}),
        ("gib mir deine Nummer", {CONTACT}),
        ("ich zahle per PayPal", {PAYMENT}),
        ("lass uns außerhalb von Upwork arbeiten", {INTENT}),
        # Russian / Ukrainian
        ("напиши мне в телеграм", {INTENT}),
        ("давай продолжим в телеге", {INTENT}),
        ("скинь свой номер", {CONTACT}),
        ("оплачу на карту напрямую", {PAYMENT}),
        ("напишіть мені у вайбер", {INTENT}),
        ("дай свій номер", {CONTACT}),
        # Hinglish / Roman Urdu / Banglish
        ("mujhe whatsapp karo", {INTENT}),
        ("apna number do", {CONTACT}),
        ("apna whatsapp number do", {CONTACT}),
        ("ap ka number dein", {CONTACT}),
        ("tomar number dao", {CONTACT}),
        ("payment direct karunga", {PAYMENT}),
        # Arabic and Arabizi
        ("كلمني على الواتس", {INTENT}),
        ("لنكمل على الواتساب", {INTENT}),
        ("ابعتلي رقمك", {CONTACT}),
        ("khalina nkamel 3al whatsapp", {INTENT}),
        ("خارج المنصة", {INTENT}),
        # Indonesian / Tagalog / Nigerian Pidgin
        ("kirim nomor wa kamu", {CONTACT}),
        ("lanjut di telegram ya", {INTENT}),
        ("pembayaran via paypal saja", {PAYMENT}),
        ("chat tayo sa viber", {INTENT}),
        ("pahingi ng number mo", {CONTACT}),
        ("abeg send your number", {CONTACT}),
        ("make we yarn for whatsapp", {INTENT}),
        ("you go collect your money there", {PAYMENT}),
    ],
)
def test_finds_intent(text: str, expected: set[str]) -> None:
    assert kinds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # English honest look-alikes
        "I'll send the files via Upwork",
        "please pay through Upwork milestones",
        "can you share your portfolio?",
        "what is your hourly rate",
        "let's schedule a call",
        "use the Upwork Zoom button",
        "call me here on Upwork",
        "I need a WhatsApp chatbot",
        "integrate the Telegram API",
        "build a Telegram bot that sends messages",
        "send me your GitHub",
        "my name is John",
        "the client's address field in the form",
        "add a date of birth field to the signup form",
        "pay per milestone",
        "payment gateway integration (PayPal, Stripe)",
        "the freelancer's bank module",
        "Don't share contact info outside Upwork.",
        "Paying outside Upwork is not allowed",
        "what's the number of pages?",
        "zoom in on the logo and meet the deadline",
        "our teams are in Texas, line by line",
        "Upwork fees are 10%",
        "I'll submit the milestone today",
        "send me the design files",
        "what is your experience with signal processing?",
        # other languages
        "te envío los archivos por Upwork",
        "¿cuál es tu tarifa por hora?",
        "o pagamento é feito pela plataforma",
        "envoie-moi ton portfolio",
        "schick mir die Dateien über Upwork",
        "сделать телеграм-бота для магазина",
        "какой у тебя опыт?",
        "apna portfolio share karo",
        "ارسل لي ملفات التصميم",
        "kirim portofolio kamu",
        "abeg send the design",
    ],
)
def test_honest_lookalike(text: str) -> None:
    assert kinds(text) == set()


def test_finding_carries_phrase_reason_and_original_span() -> None:
    text = "Hi!  Please ａｄｄ me on Ｔｅｌｅｇｒａｍ."
    [finding] = intents(context(text, ()))
    assert finding.kind == INTENT
    assert finding.value == "off_platform_intent:message_me_on"
    assert text[finding.start : finding.end] == "ａｄｄ me on Ｔｅｌｅｇｒａｍ"
    assert "en phrase" in finding.reason and "telegram" in finding.reason


def test_every_kind_is_an_intent_kind() -> None:
    text = "text me on whatsapp, pay me directly, send your full name. What's your number?"
    assert kinds(text) == INTENT_KINDS


# The rule statement after a phrase is looked for only where one of its words follows;
# at every position of these texts the gate agrees with the pattern itself.
_RULE_TEXTS = [
    "paying outside upwork is not allowed",
    "sharing contact info isn't permitted here",
    "off-platform payments are forbidden by the terms",
    "that is prohibited",
    "moving to whatsapp is against the rules",
    "this violates the tos, so no",
    "it's against the terms of service",
    "is not not allowed, are allowed, isnt permitted",
    "we can talk on telegram, is that allowed? the payment is fine",
    "nothing here is a rule at all, just a friendly message with words",
    "x" * 70 + " is not allowed",
    "allowed permitted forbidden prohibited against violation",
    "",
]


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ("don't share contact info outside upwork", True),
        ("paying outside upwork is not allowed", True),
        ("let's talk on whatsapp", False),
        ("we never pay outside the platform. pay me outside the platform", False),
        ("no. pay me via paypal", False),
    ],
)
def test_advice_reads_only_the_clause_before(text: str, advice: bool) -> None:
    found = intents(context(text, ()))
    assert (not found) is advice
