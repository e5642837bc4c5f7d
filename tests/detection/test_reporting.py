"""Reports and refusals: a message reporting, refusing or asking whether an off-platform
request is allowed proposes nothing, wherever the cue stands; its details still count."""

from __future__ import annotations

import pytest

from streams.detection.engine import detect
from streams.detection.findings import INTENT_KINDS


def _kinds(text: str) -> set[str]:
    return {f.kind for f in detect(text, ["US"])}


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # reports and refusals: nothing
        ("he wants to pay me via PayPal outside the site, I said no. should I report him?", set()),
        ("um cliente pediu pra pagar por fora, isso é golpe?", set()),
        ("me ofrecieron pagar por fuera, ¿es estafa? lo voy a reportar", set()),
        ("on m'a proposé de payer hors plateforme, je signale", set()),
        ("chcieli płacić poza platformą, zgłosiłem", set()),
        ("предложили оплату мимо площадки, я пожаловался", set()),
        ("عرضوا علي الدفع برا المنصة وبلغت عنهم", set()),
        ("klien minta foto KTP dan lanjut di Telegram, ini penipuan gak sih?", set()),
        ("un cliente mi ha chiesto whatsapp prima del contratto, è permesso?", set()),
        # keeping it here, only through the platform
        ("у меня нет вотсапа, давай тут", set()),
        ("ma3andeesh telegram aslan, khallina hena a7san", set()),
        ("maaf kak, saya cuma kerja lewat platform, gak bisa pindah ke WA", set()),
        ("no tengo telegram, seguimos aquí", set()),
        # the same requests, not reported: intents
        ("pay me via PayPal outside the site", {"off_platform_payment", "off_platform_intent"}),
        ("vamos pagar por fora, te faço um pix", {"off_platform_payment"}),
        # a report keeps its details
        ("he sent me +1 917 482 0142 and said to whatsapp him, is this a scam?", {"phone"}),
    ],
)
def test_a_report_or_refusal_sets_intents_aside(text: str, kinds: set[str]) -> None:
    found = _kinds(text)
    assert found & INTENT_KINDS == kinds & INTENT_KINDS
    assert kinds - INTENT_KINDS <= found


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # asking whether it is a scam, telling support, refusing with the verb last
        ("one client say make I pay registration fee with Western Union, na scam abi?", set()),
        ("'Sana çek yollarız, ekipman alırsın' diye mesaj geldi. Dolandırıcılık mı?", set()),
        ("aliniambia aende Telegram, nikakataa na nikaripoti", set()),
        ("Скрин для модераторов: человек предлагал мне оплату мимо площадки", set()),
        ("mình không nhận thanh toán ngoài sàn đâu nha", set()),
        ("合同前不加微信，谢谢理解", set()),
        # someone else's words, or a label of the work, in quotation marks
        ('wa7ed 2alli "kalemni 3al telegram" w talab sorat el passport', set()),
        ("el botón de 'Escríbenos por WhatsApp' de la web no aparece en móvil", set()),
        ("Zrób przycisk „Napisz do nas na WhatsApp” w stopce strony", set()),
        ("she likhechilo 'Telegram e ashen, direct payment dibo' — report korbo?", set()),
        # a refusal in another sentence of the message
        ("Der Recruiter wollte, dass ich mit seinem Scheck kaufe. Hab's gemeldet.", set()),
        ("Direkt IBAN'a ödeme teklif ettin ama kabul etmiyorum", set()),
        ("Mi-ai propus sa te platesc direct pe Revolut. Nu accept.", set()),
        # saying no in the forms people type
        ("Le client veut me payer en direct pour éviter les frais, j'ai dit non.", set()),
        ("آسف ما أقبل أي دفع برا الموقع، كل شي يكون عن طريق الميلستون", set()),
        ("合同虽然暂停了，但钱还是请走平台，我不收私下转账", set()),
        ("maaf, aku ga terima pembayaran di luar platform, pakai milestone aja ya", set()),
        ("sorry sir, bahar se payment accept nahi karta, sab milestone se hi hoga", set()),
        ("samahani, sipokei malipo nje ya platform", set()),
        # the sender's own proposal, and a detail inside quotes, still count
        ("let's move to WhatsApp, it's faster", {"off_platform_intent"}),
        ('my number is "+1 917 482 3310", text me', {"phone"}),
    ],
)
def test_scam_questions_support_and_quoted_words(text: str, kinds: set[str]) -> None:
    assert _kinds(text) & ({"phone"} | INTENT_KINDS) == kinds
