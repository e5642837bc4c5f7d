"""Channel mentions: evasive spellings are found, work topics and ordinary words are not
contact channels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from streams.detection.channels import ChannelMention
from streams.detection.engine import context

_CORPUS_TEXTS = [
    json.loads(line)["text"]
    for path in sorted(Path(__file__).parents[1].joinpath("corpus").glob("*.jsonl"))
    for line in path.read_text().splitlines()
    if line.strip()
]

CANONICAL = {
    "whatsapp", "telegram", "signal", "skype", "discord", "wechat", "viber", "line",
    "snapchat", "instagram", "facebook", "linkedin", "twitter", "tiktok", "imo",
    "kakaotalk", "zoom", "google_meet", "teams", "calendly", "email", "phone", "paypal",
    "venmo", "cashapp", "zelle", "wise", "payoneer", "western_union", "moneygram",
    "skrill", "revolut", "stripe", "crypto", "bank_transfer", "upi", "pix", "mobile_money",
}  # fmt: skip


def contact_channels(text: str) -> list[tuple[str, str]]:
    """(channel, exact text) of every mention that is a way to get in touch."""
    return [
        (m.channel, text[m.start : m.end])
        for m in context(text, ()).channel_mentions
        if not m.work_topic
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # plain and misspelled names
        ("let's continue on telegram", [("telegram", "telegram")]),
        ("text me on WhatsApp", [("whatsapp", "WhatsApp")]),
        ("whatsap me", [("whatsapp", "whatsap")]),
        ("my watsapp is busy", [("whatsapp", "watsapp")]),
        ("add me on skype", [("skype", "skype")]),
        ("find me on Discord", [("discord", "Discord")]),
        ("viber or wechat?", [("viber", "viber"), ("wechat", "wechat")]),
        (
            "snapchat, instagram, tiktok",
            [("snapchat", "snapchat"), ("instagram", "instagram"), ("tiktok", "tiktok")],
        ),
        ("my linkedin", [("linkedin", "linkedin")]),
        ("kakaotalk id please", [("kakaotalk", "kakaotalk")]),
        ("book me on calendly", [("calendly", "calendly")]),
        # evasions: leet, spacing, junk, look-alike letters
        ("add me on SkyIine", []),  # not a channel name with I for l
        ("ping me on TeIegram", [("telegram", "TeIegram")]),  # capital I for l
        ("my dlscord is open", [("discord", "dlscord")]),  # l for i
        ("on ᴛᴇʟᴇɢʀᴀᴍ", [("telegram", "ᴛᴇʟᴇɢʀᴀᴍ")]),  # small capitals
        ("мой тeлeгрaм", [("telegram", "тeлeгрaм")]),  # Cyrillic word, Latin e and a
        ("加我微信吧", [("wechat", "微信")]),  # Chinese: no spaces between words
        ("去电报上聊", [("telegram", "电报")]),
        # availability questions name the channel ("have"/"use" before it)
        ("have WA?", [("whatsapp", "WA")]),
        ("do you use signal?", [("signal", "signal")]),
        ("ada WA kak?", [("whatsapp", "WA")]),
        ("wp var mı?", [("whatsapp", "wp")]),
        ("I have signal now", []),  # "have" is not enough for an everyday word
        # regional messengers and described apps
        ("có zalo không", [("zalo", "zalo")]),
        ("عندك بوتيم", [("botim", "بوتيم")]),
        ("on the blue paper plane app", [("telegram", "the blue paper plane app")]),
        ("message me in the green app", [("whatsapp", "the green app")]),
        ("wh@tsapp", [("whatsapp", "wh@tsapp")]),
        ("w h a t s a p p", [("whatsapp", "w h a t s a p p")]),
        ("t e l e g r a m", [("telegram", "t e l e g r a m")]),
        ("t.e.l.e.g.r.a.m", [("telegram", "t.e.l.e.g.r.a.m")]),
        ("t-e-l-e-g-r-a-m", [("telegram", "t-e-l-e-g-r-a-m")]),
        ("teleg ram", [("telegram", "teleg ram")]),
        ("tele🔥gram", [("telegram", "tele🔥gram")]),
        ("t3l3gram", [("telegram", "t3l3gram")]),
        ("Теlеgram", [("telegram", "Теlеgram")]),  # Cyrillic Т and е
        ("s k y p e", [("skype", "s k y p e")]),
        ("sky.pe", [("skype", "sky.pe")]),
        # other scripts and transliterations
        ("пиши в ватсап", [("whatsapp", "ватсап")]),
        ("вотсап", [("whatsapp", "вотсап")]),
        ("в телеграм", [("telegram", "телеграм")]),
        ("в телеге", [("telegram", "телеге")]),
        ("вайбер", [("viber", "вайбер")]),
        ("скайп", [("skype", "скайп")]),
        ("واتساب", [("whatsapp", "واتساب")]),
        ("على الواتساب", [("whatsapp", "الواتساب")]),
        ("تيليجرام", [("telegram", "تيليجرام")]),
        ("व्हाट्सएप", [("whatsapp", "व्हाट्सएप")]),
        ("me passa seu zap", [("whatsapp", "zap")]),
        ("manda no whats", [("whatsapp", "whats")]),
        # abbreviations only in contact context
        ("my WA", [("whatsapp", "WA")]),
        ("on TG", [("telegram", "TG")]),
        ("kirim nomor wa kamu", [("whatsapp", "wa")]),
        ("follow my IG", [("instagram", "IG")]),
        # common words only next to channel context
        ("add me on line", [("line", "line")]),
        ("my line id is", [("line", "line")]),
        ("reach me on signal", [("signal", "signal")]),
        ("let's talk on teams", [("teams", "teams")]),
        ("a quick zoom call", [("zoom", "zoom")]),
        ("google meet link", [("google_meet", "google meet")]),
        ("ms teams", [("teams", "ms teams")]),
        # phone and e-mail words, payment platforms
        ("my cell", [("phone", "cell")]),
        ("phone number", [("phone", "phone number")]),
        ("your gmail", [("email", "gmail")]),
        ("e-mail", [("email", "e-mail")]),
        ("via PayPal", [("paypal", "PayPal")]),
        ("by Western Union", [("western_union", "Western Union")]),
        ("in USDT", [("crypto", "USDT")]),
        ("venmo or zelle", [("venmo", "venmo"), ("zelle", "zelle")]),
        ("bank transfer", [("bank_transfer", "bank transfer")]),
        ("chave pix", [("pix", "pix")]),
        ("my upi id", [("upi", "upi")]),
        ("payoneer", [("payoneer", "payoneer")]),
    ],
)
def test_finds_channel(text: str, expected: list[tuple[str, str]]) -> None:
    assert contact_channels(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # the work's topic
        "build a Telegram bot",
        "WhatsApp Business API integration",
        "Zoom SDK",
        "Discord moderation bot",
        "I need a WhatsApp chatbot",
        "integrate the Telegram API",
        "Skype for Business migration",
        "PayPal checkout integration",
        "Stripe/PayPal payment gateway for my shop",
        "payment gateway integration (PayPal, Stripe)",
        "PayPal, Stripe and Square integration",
        "телеграм-бот для магазина",
        "бот для телеграма",
        "integración con WhatsApp",
        # ordinary words
        "signal processing",
        "my signal is weak",
        "zoom in on the logo",
        "line chart",
        "line by line",
        "see line 42",
        "meet the deadline",
        "meet me halfway on the price",
        "our teams are in Texas and Arizona",
        "the project is online, see the timeline",
        "otherwise excellent work",
        "I linked in the doc",
        "we chat every day",
        "what a pity, sky people",
        "whats up",
        "what's your hourly rate",
        "a wise choice",
        # the platform's own tools
        "use the Upwork Zoom button",
        "Upwork's zoom works fine",
        "zoom call on upwork",
    ],
)
def test_no_contact_channel(text: str) -> None:
    assert contact_channels(text) == []


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("build a Telegram bot", "telegram"),
        ("Discord moderation bot", "discord"),
        ("PayPal checkout integration", "paypal"),
    ],
)
def test_work_topic_is_reported_as_such(text: str, channel: str) -> None:
    mentions = context(text, ()).channel_mentions
    assert [(m.channel, m.work_topic) for m in mentions] == [(channel, True)]


def test_mention_shape_and_offsets() -> None:
    text = "Please, ａｄｄ me on Ｔｅｌｅｇｒａｍ"
    [mention] = context(text, ()).channel_mentions
    assert mention == ChannelMention("telegram", "messaging", 18, 26, work_topic=False)
    assert text[mention.start : mention.end] == "Ｔｅｌｅｇｒａｍ"


def test_channel_ids_are_canonical() -> None:
    text = (
        "whatsapp telegram skype discord wechat viber snapchat instagram facebook "
        "messenger linkedin twitter tiktok kakaotalk calendly gmail phone paypal venmo "
        "cashapp zelle payoneer moneygram skrill revolut stripe usdt gcash "
        "on signal, on line, on imo, on teams, on meet, on zoom, via wise, via upi, "
        "via pix, bank transfer, western union"
    )
    found = {m.channel for m in context(text, ()).channel_mentions}
    assert found <= CANONICAL
    assert len(found) == len(CANONICAL)


def test_kinds() -> None:
    kinds = {
        m.channel: m.kind
        for m in context("skype, zoom call, instagram, paypal, email", ()).channel_mentions
    }
    assert kinds == {
        "skype": "messaging",
        "zoom": "meeting",
        "instagram": "social",
        "paypal": "payment",
        "email": "generic",
    }


# The left-context check (``channels._accepted``): the veto is read first and the
# preposition/possessive search is memoised by the end of the window it reads
# (``channels._left_word``).  Both are compared with the direct search at every name
# start of a table of texts and every cut of each text.
_LEFT_TEXTS = [
    "add me on telegram",
    "on telegram",
    "my signal is weak",
    "via  -- whatsapp please",
    "ping me through the line app",
    "zoom in on the logo, the line chart needs work.",
    "mi whatsapp es",
    "Напиши мне в телеграм через сигнал",
    "nomor wa kamu",
    "reach me over.   skype",
    "great, i'll meet the deadline. signal processing with react is my main area",
    "through\u00a0signal",
    "id: line",
    "",
]
