"""Contact details and payment accounts, as a policy person reads them: text → (kind, value)."""

import pytest

from streams.detection.engine import context, detect_details

REGIONS = ("US", "GB", "IN", "PH", "FR", "ES", "DE", "BR", "RU")


def found(text: str, regions: tuple[str, ...] = REGIONS) -> set[tuple[str, str]]:
    return {(f.kind, f.value) for f in detect_details(context(text, regions))}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("call me +1 917 482 0142", {("phone", "+19174820142")}),
        ("nine one seven, four eight two, zero one four two", {("phone", "+19174820142")}),
        ("9I7-482-O142", {("phone", "+19174820142")}),
        ("٩١٧٤٨٢٠١٤٢", {("phone", "+19174820142")}),
        ("ph: +1•917•482•3310", {("phone", "+19174823310")}),
        ("number ko po +63 917 123 4567", {("phone", "+639171234567")}),
        # groups split by emoji or line breaks
        ("text me +34 612 🔥 345 🔥 678", {("phone", "+34612345678")}),
        ("text me\n+49 151\n2345\n6789", {("phone", "+4915123456789")}),
        # number words of more languages, Chinese numerals
        ("sei quattro sei, tre tre nove, sette sette otto uno", {("phone", "+16463397781")}),
        (
            "dziewięć jeden siedem cztery osiem dwa zero jeden cztery dwa",
            {("phone", "+19174820142")},
        ),
        ("号码 九一七 四八二 零一四二", {("phone", "+19174820142")}),
        # offered as a phone, invalid in every region tried (Egypt is not in the list)
        ("my number: 010 1234 5678", {("phone", "01012345678")}),
        ("whatsapp +52 1 55 1234 5678", {("phone", "+5215512345678")}),
        # a phone after a short number and a comma (the digits view joins them)
        ("Roz Morf, Terman 405, (650)723-4173", {("phone", "+16507234173")}),
        ("Debbie Barros, Gates 150, +1 (650) 725-3358", {("phone", "+16507253358")}),
    ],
)
def test_phones_are_found(text: str, expected: set[tuple[str, str]]) -> None:
    assert expected <= found(text)


@pytest.mark.parametrize(
    "text",
    [
        "My rate is $45/hr, and for the full scope I'd estimate $1,500 fixed.",
        "Budget is USD 2500.00, milestone 1 due 12/05/2026.",
        "Gates Building, Stanford, CA 94305-9030",  # ZIP+4
        "allow only 91.203.4.0/24 in iptables",  # a CIDR range
        "Delivery by 2026-11-21, revisions until 2026-12-01.",
        "The invoice number is 3128461195, amount $2,150.00, due 30 days.",
        "Policy #POL-446-239-7781 covers the equipment.",
        "The staging box is at 10.0.12.45 and prod behind 192.168.1.254 NAT.",
        "call 555-0142",  # seven digits, no region makes it valid
        "order 5512345678 shipped",
        # parts of a list that are no phone as written: a page range, a clock time
        "J. Comput. Phys. 176, 205-227 (2002).",
        "Last update: November 24, 2008 06:39:33 PM",
        "I can do it in one or two days",
        "order number is 0101 2345 678, shipped",  # a number word, not "my number"
        "الفاتورة رقم ٠١٠٠١٢٣٤٥٦٧ تم دفعها",  # invoice number
        "prices:\n120\n340\n560\n780",
    ],
)
def test_numbers_that_are_not_phones_are_not_details(text: str) -> None:
    assert not found(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("jordan.hale@gmail.com", "jordan.hale@gmail.com"),
        ("john dot doe [at] gmail dot com", "john.doe@gmail.com"),
        ("write me at john at gmail", "john@gmail.com"),
        ("ivan arroba hotmail punto es", "ivan@hotmail.es"),
        ("почта: anna.petrova собака mail точка ru", "anna.petrova@mail.ru"),
        ("john＠gmail．com", "john@gmail.com"),
        ("mera email rahul.sharma at the rate gmail dot com hai", "rahul.sharma@gmail.com"),
        # a bare "at" after the address is named as one; its dots may be spaces
        ("E-mail: lam at cs.stanford.edu", "lam@cs.stanford.edu"),
        ("email: pal at cs stanford edu, but I read it rarely", "pal@cs.stanford.edu"),
        ("email to support at gradiance dt com", "support@gradiance.com"),
        ("jks at robotics;stanford;edu", "jks@robotics.stanford.edu"),
        # an HTML character reference for "@"
        ("ada&#x40;graphics.stanford.edu", "ada@graphics.stanford.edu"),
        ("nour&#64;proton.me", "nour@proton.me"),
    ],
)
def test_emails_are_found(text: str, value: str) -> None:
    assert ("email", value) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "we work at google.com",
        "i am at stanford.edu this week",
        "my email: i work at google.com",
        "&lt;b&gt;bold&lt;/b&gt; renders as HTML",
        "see test@example.com",
        "git@github.com:me/repo.git",
        "logo@2x.png",
    ],
)
def test_non_emails(text: str) -> None:
    assert not {k for k, _ in found(text)} & {"email"}


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("t.me/pm_john", "messaging_link", "https://t.me/pm_john"),
        ("t . me / pm_john", "messaging_link", "https://t.me/pm_john"),
        ("hxxps://t[.]me/recruit_hr_team", "messaging_link", "https://t.me/recruit_hr_team"),
        ("wa.me/19174820142", "messaging_link", "https://wa.me/19174820142"),
        ("discord.gg/abc123", "messaging_link", "https://discord.gg/abc123"),
        ("zoom.us/j/123456789", "meeting_link", "https://zoom.us/j/123456789"),
        ("meet.google.com/abc-defg-hij", "meeting_link", "https://meet.google.com/abc-defg-hij"),
        ("calendly.com/john/30min", "meeting_link", "https://calendly.com/john/30min"),
        ("linkedin.com/in/johndoe", "social_profile", "https://linkedin.com/in/johndoe"),
        ("my telegram is @pm_john", "messaging_handle", "telegram:@pm_john"),
        ("skype: live:john.smith_1", "messaging_handle", "skype:live:john.smith_1"),
        ("discord john#1234", "messaging_handle", "discord:john#1234"),
        ("wechat id: jz_88", "messaging_handle", "wechat:jz_88"),
        ("whatsapp me on +1 917 482 0142", "messaging_handle", "whatsapp:+19174820142"),
        ("my insta @john.art", "social_profile", "instagram:@john.art"),
        # an "@" handle a few words after the name, in any language
        ("Teleqram पर ऐड कर लो: @kavya_edits", "messaging_handle", "telegram:@kavya_edits"),
        ("teIegram kullanıcı adım @emre_tasarim", "messaging_handle", "telegram:@emre_tasarim"),
    ],
)
def test_messaging_meeting_and_social_details(text: str, kind: str, value: str) -> None:
    assert (kind, value) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "I built a Telegram bot last year",
        "WhatsApp Business API integration",
        "let's continue on whatsapp",  # an intent, not a detail
        "zoom in on the logo and meet the deadline",
        "my code is on github.com/john/portfolio",
    ],
)
def test_channel_names_without_a_detail(text: str) -> None:
    assert not found(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("IBAN DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("transfiere a ES91 2100 0418 4502 0005 1332 y cerramos", "ES9121000418450200051332"),
        ("card 4539 1488 0343 6467", "4539148803436467"),
        ("btc 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", "btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
        (
            "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
            "btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        ),
        (
            "0x52908400098527886E0F7030069857D2E4169EE7",
            "eth:0x52908400098527886e0f7030069857d2e4169ee7",
        ),
        ("paypal.me/john", "https://paypal.me/john"),
        ("venmo @john-d", "venmo:@john-d"),
        ("pay me to $johncash on cash app", "cashapp:$johncash"),
        ("upi: john@okaxis", "upi:john@okaxis"),
        (
            "chave pix aleatória: 123e4567-e89b-12d3-a456-426614174000",
            "pix:123e4567-e89b-12d3-a456-426614174000",
        ),
    ],
)
def test_payment_accounts(text: str, value: str) -> None:
    assert ("payment_account", value) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "IBAN DE89 3704 0044 0532 0130 01",  # mod-97 fails
        "card 4111 1111 1111 1112",  # Luhn fails
        "0x52908400098527886E0F7030069857D2E4169Ee7",  # EIP-55 checksum fails
        "Order 2348098765432 delivered",
        "in PHP $this->value is set",
    ],
)
def test_invalid_payment_accounts(text: str) -> None:
    assert not {k for k, _ in found(text)} & {"payment_account"}


# A digit run wholly inside a meeting link is the meeting's id, not a phone; a phone
# anywhere else in the same message is still one.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Join here: zoom.us/j/8474751589 and we'll go through the details",
            {("meeting_link", "https://zoom.us/j/8474751589")},
        ),
        (
            "https://us02web.zoom.us/j/9174820142 tomorrow",
            {("meeting_link", "https://us02web.zoom.us/j/9174820142")},
        ),
        (
            "teams.live.com/meet/9174820142",
            {("meeting_link", "https://teams.live.com/meet/9174820142")},
        ),
        (
            "zoom.us/j/8474751589 or call me +1 917 482 0142",
            {("meeting_link", "https://zoom.us/j/8474751589"), ("phone", "+19174820142")},
        ),
        (
            "call me at 917-482-0142, then zoom.us/j/8474751589",
            {("meeting_link", "https://zoom.us/j/8474751589"), ("phone", "+19174820142")},
        ),
        (  # a run reaching past the link is read whole, as before
            "zoom.us/j/8474751589 9174820142",
            {
                ("meeting_link", "https://zoom.us/j/8474751589"),
                ("phone", "+18474751589"),
                ("phone", "+19174820142"),
            },
        ),
        (
            "zoom.us/j/8474751589 and 9174820142",
            {("meeting_link", "https://zoom.us/j/8474751589"), ("phone", "+19174820142")},
        ),
        (  # the same number outside a meeting link is a phone
            "my number: 8474751589",
            {("phone", "+18474751589")},
        ),
        (  # a messaging link is no meeting link: its number is still read
            "wa.me/19174820142",
            {
                ("messaging_link", "https://wa.me/19174820142"),
                ("messaging_handle", "whatsapp:+19174820142"),
                ("phone", "+19174820142"),
            },
        ),
    ],
)
def test_meeting_ids_are_not_phones(text: str, expected: set[tuple[str, str]]) -> None:
    assert found(text) == expected


# The platform's own call link is allowed; its meeting id no longer reads as a phone
# that fires a rule by itself.  A phone given next to it still does.
@pytest.mark.parametrize(
    ("text", "decision"),
    [
        ("Join the call: https://upwork.zoom.us/j/9174820142", "allow"),
        ("Join the call: https://upwork.zoom.us/j/9174820142 or call 917 482 0142", "violation"),
        ("Join here: zoom.us/j/9174820142", "violation"),  # not the platform's own link
    ],
)
def test_platform_meeting_link_id_is_no_phone(text: str, decision: str) -> None:
    from streams.judge import judge
    from streams.policy import default_policy

    assert judge(text, "none", default_policy(), "US").decision == decision
