"""Channel × frame: a channel named in a proposal or a question is a solicitation; as a
work topic, refused or reported, it is nothing."""

from __future__ import annotations

import pytest

from streams.detection.engine import context, intents


def _kinds(text: str) -> set[str]:
    return {f.kind for f in intents(context(text, ()))}


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        # proposals
        ("pasemos a telegram mejor", {"off_platform_intent"}),
        ("давай в вайбер", {"off_platform_intent"}),
        ("lanjut di whatsapp ya kak", {"off_platform_intent"}),
        ("skype is easier for me", {"off_platform_intent"}),
        # everyday names with a channel's context: a pronoun after "have", a comparison,
        # a short question that is the name; spaced, described and nicknamed names
        ("heb je WA?", {"contact_request"}),
        ("tg hai apke pas?", {"contact_request"}),
        ("tenés wsp?", {"contact_request"}),
        ("t'as ⓢⓘⓖⓝⓐⓛ ?", {"contact_request"}),
        ("signal is easier for me, let's switch there", {"off_platform_intent"}),
        ("пиши в т е л е г р а м, там быстрее отвечу", {"off_platform_intent"}),
        ("كلمني على و ا ت س ا ب أحسن", {"off_platform_intent"}),
        ("hablemos x guasap mejor", {"off_platform_intent"}),
        ("sabz wali app pe msg kar lo yaar", {"off_platform_intent"}),
        ("écris-moi sur l'appli verte", {"off_platform_intent"}),
        ("what's the sampling rate of the signal?", set()),
        # a personal address asked for
        ("podasz prywatnego maila?", {"contact_request"}),
        ("apna personal email de do na", {"contact_request"}),
        ("boleh minta email pribadi?", {"contact_request"}),
        ("方便留个私人邮箱吗？", {"off_platform_intent"}),  # "方便": more convenient
        ("the personal email field in the signup form", set()),
        ("Instagram DMs ke auto-reply ke liye ManyChat flow bana doge?", set()),
        # the channel as the venue of what comes next
        ("Наш менеджер свяжется с вами в WhatsApp", {"off_platform_intent"}),
        ("proje müdürümüz size WhatsApp'tan ulaşacak", {"off_platform_intent"}),
        ("ab3at sourat el ba6a2a w kamel ma3ana 3al telegram", {"off_platform_intent"}),
        ("A entrevista será pelo Teams com o RH", {"off_platform_intent"}),
        ("baaki baat telegram pe HR se", {"off_platform_intent"}),
        # questions
        ("viber?", {"contact_request"}),
        ("do you have viber", {"contact_request"}),
        ("your email?", {"contact_request"}),
        ("有微信吗？", {"contact_request"}),
        ("wp var mı?", {"contact_request"}),
        ("có zalo ko a?", {"contact_request"}),
        # nothing
        ("ko qua zalo đâu, chưa có hợp đồng", set()),  # refused (vi)
        ("客户让我去微信聊，我拒绝了", set()),  # refused (zh)
        ("did you get my email?", set()),  # an e-mail word with no "your"
        ("write 10 instagram captions for our bakery", set()),  # work
        ("can you build the whatsapp button for the shop?", set()),
        ("no tengo whatsapp, seguimos aquí", set()),  # refused
        ("the client wants telegram before the offer, is this a scam?", set()),  # reported
        ("the telegram bot is ready?", set()),
        # a common word in disguise is the app: no context needed
        ("przenieśmy się na 5ignal, bezpieczniej", {"off_platform_intent"}),
        ("on passe sur S I G N A L ? ici c'est trop lent", {"off_platform_intent"}),
        ("у тебе с1гнал є?", {"contact_request"}),
        ("what's your availability this week?", set()),  # an apostrophe is English
        ("line-height: 12px on the pricing cards", set()),
        # the postposition or case ending after the name (hi/ur/bn, tr)
        ("bhai tg pe ho?", {"contact_request"}),
        ("bana BiP'ten yaz, orada daha hızlı dönüyorum", {"off_platform_intent"}),
        ("telegramın var mı hocam?", {"contact_request"}),
        # after a comma, the reason of a proposal vetoes nothing; "but" still does
        ("whtsap pe msg kro jldi, yahan notification nahi aata", {"off_platform_intent"}),
        ("来扣扣聊吧，这里不方便", {"off_platform_intent"}),
        ("I'd move to telegram, but that is not allowed here", set()),
        # staying here said outright
        ("N-am telegram, ramanem aici pe chat", set()),
        ("mình ko dùng Zalo, cứ nhắn ở đây nhé", set()),
        ("मैं टेलीग्राम यूज़ नहीं करता, यहीं मैसेज कर दीजिए", set()),
        # the name inside an address is the address's word
        ("contact form me placeholder 'your-email@domain.com' hi rakhna", set()),
        # sending something there, the rest of it there
        (
            "Passez sur Telegram et envoyez une photo de votre carte d'identité",
            {"off_platform_intent", "personal_info_request"},
        ),
        (
            "Для оформления пришлите фото паспорта, в телеграм",
            {"off_platform_intent", "personal_info_request"},
        ),
        ("Resztę omówimy na Telegramie.", {"off_platform_intent"}),
        (
            "Continua la entrevista en Signal y envia tu fecha de nacimiento",
            {"off_platform_intent", "personal_info_request"},
        ),
        ("हमें WhatsApp बॉट चाहिए जो फीस रिमाइंडर भेजे", set()),
        # a plain inflected form, a negation closing a question, "your own" in hi/ur
        ("napisz do mnie na signalu, tam odpisuje szybciej", {"off_platform_intent"}),
        ("kakak pake LINE ga?", {"contact_request"}),
        ("may tg ka ba sir?", {"contact_request"}),
        ("aapka whatsapp no. mil sakta h kya", {"contact_request"}),
        ("باقی تفصیل کے لیے اپنا ای میل بتا دیں", {"contact_request"}),
        ("ek dafa Meet pe video call kar lein?", {"off_platform_intent"}),
        ("the video editing is done, check the link", set()),
    ],
)
def test_channel_in_a_frame(text: str, kinds: set[str]) -> None:
    assert _kinds(text) == kinds


@pytest.mark.parametrize(
    "text",
    [
        "add me on tеlеgram",  # Cyrillic е (UTS #39 confusables)
        "add me on 𝐭𝐞𝐥𝐞𝐠𝐫𝐚𝐦",  # mathematical bold
        "add me on 🇹🇪🇱🇪🇬🇷🇦🇲",  # regional-indicator letters
        "add me on t3l3gr@m",  # leet
        "schreib mir auf whatsäpp",  # marked letters
        "add me on dïscørd",
        "ضيفني على تـلـيـجـرام",  # the tatweel only stretches the word
        "add me on telegran",  # one letter changed
        "add me on instgram",  # one letter dropped
    ],
)
def test_lookalike_app_names_are_channels(text: str) -> None:
    assert _kinds(text) == {"off_platform_intent"}


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("add me on ppastahw", {"off_platform_intent"}),  # reversed
        ("add me on ɯɐɹƃǝlǝʇ", {"off_platform_intent"}),  # upside down
        ("add me on ʇǝlǝƃɹɐɯ", {"off_platform_intent"}),  # turned, in reading order
        ("the telegraf agent ships the metrics", set()),  # a real word one change away
        ("add me on telegrarn", {"off_platform_intent"}),  # "rn" for m
        ("add me on vvhatsapp", {"off_platform_intent"}),  # "vv" for w
        ("modern corn farming in the vvall", set()),
    ],
)
def test_transforms_evaders_use(text: str, kinds: set[str]) -> None:
    assert _kinds(text) == kinds


def _payment_frames(text: str) -> list[str]:
    return [f.value for f in intents(context(text, ())) if f.kind == "off_platform_payment"]


@pytest.mark.parametrize(
    ("text", "paid_outside"),
    [
        # a rail or a payment action, with an off-platform cue
        ("Papara'dan direkt ödeyeyim, komisyon vermeyelim", True),
        ("оплачу остаток напрямую, без комиссии", True),
        ("هحولك على فودافون كاش مباشر من غير عمولة المنصة", True),
        # the platform's cut as the reason, after a comma: its negation vetoes nothing
        ("Easypaisa pe direct bhej dein, fees ka koi chakkar nahi rahega", True),
        ("остаток переведу вам напрямую, не будем отдавать процент", True),
        ("hostingul îl plătim separat, nu e inclus în ofertă", False),
        # a tip
        ("bahşişi dışarıdan vereyim, burası yüzde on kesiyor zaten", True),
        ("剩下的私下转账给你", True),
        ("o extra pode ser por MB WAY direto?", True),
        ("je te verse le reste par Wave, ça évite la commission", True),
        ("tiền bonus a gửi riêng qua momo nhé, ko qua sàn", True),
        # the platform negated, or a negation that is a word of the cue
        ("Следующий этап давай переводом по СБП напрямую, а не через milestone", True),
        ("die nächste Rate bitte direkt per Überweisung, nicht über die Plattform", True),
        ("si quieres te hago un Bizum y asi no pagamos las comisiones", True),
        ("zrób mi BLIKa zamiast przez milestone, szybciej bedzie", True),
        # separately, cheaper than the site
        ("ti mando la mancia su Satispay a parte", True),
        ("adfa3lak western union arkhas", True),
        ("bonusnya aku kirim lewat GoPay terpisah", True),
        # platform-internal, work, refused
        ("the platform pays out to my Payoneer on Fridays", False),
        ("milestone 2 is paid through Upwork, directly after approval", False),
        ("platform dışı ödeme kabul etmiyorum", False),
        ("I won't accept payment outside the platform", False),
        ("pay the invoice by Friday", False),  # no off-platform cue
    ],
)
def test_payment_in_an_off_platform_frame(text: str, paid_outside: bool) -> None:
    assert ("off_platform_payment:outside" in _payment_frames(text)) is paid_outside
